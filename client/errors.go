package client

import (
	"fmt"
	"strings"
)

// Code names the kind of a failure. The values are part of the JavaScript
// contract (TBackendError.code), so they never change.
type Code string

const (
	CodeUnauthorized      Code = "unauthorized"
	CodePaymentRequired   Code = "payment_required"
	CodeForbidden         Code = "forbidden"
	CodePayloadTooLarge   Code = "payload_too_large"
	CodeInvalidRequest    Code = "invalid_request"
	CodeServerError       Code = "server_error"
	CodeNetwork           Code = "network"
	CodeTimeout           Code = "timeout"
	CodeAborted           Code = "aborted"
	CodeBudgetExceeded    Code = "budget_exceeded"
	CodePayeeNotAllowed   Code = "payee_not_allowed"
	CodePaymentDeclined   Code = "payment_declined"
	CodeInvoiceExpired    Code = "invoice_expired"
	CodeInvoiceInvalid    Code = "invoice_invalid"
	CodeNetworkMismatch   Code = "network_mismatch"
	CodeInsufficientFunds Code = "insufficient_funds"
	CodeWalletError       Code = "wallet_error"
	CodeAccountChanged    Code = "account_changed"
	// Added beyond DESIGN.md's list: a 404 and a 429 deserve their own names.
	CodeNotFound    Code = "not_found"
	CodeRateLimited Code = "rate_limited"
)

// Error is the one error type every call returns. Status is the HTTP status,
// or 0 when no response arrived (network, timeout, aborted, payer failures).
type Error struct {
	Code      Code
	Status    int
	RequestID string
	// Body is the response body as received, bounded by maxErrorBody.
	Body []byte
	// Invoice is the parsed invoice of an unpaid 402, when it could be parsed.
	Invoice *Invoice
	// Message is a sentence a person understands; it never holds the api-key.
	Message string
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("tbackend: ")
	b.WriteString(e.Message)
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.RequestID != "" {
		b.WriteString(" [request ")
		b.WriteString(e.RequestID)
		b.WriteString("]")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, client.ErrTimeout) works for any timeout.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels for errors.Is; only their Code matters.
var (
	ErrUnauthorized      = &Error{Code: CodeUnauthorized}
	ErrPaymentRequired   = &Error{Code: CodePaymentRequired}
	ErrForbidden         = &Error{Code: CodeForbidden}
	ErrPayloadTooLarge   = &Error{Code: CodePayloadTooLarge}
	ErrInvalidRequest    = &Error{Code: CodeInvalidRequest}
	ErrServerError       = &Error{Code: CodeServerError}
	ErrNetwork           = &Error{Code: CodeNetwork}
	ErrTimeout           = &Error{Code: CodeTimeout}
	ErrAborted           = &Error{Code: CodeAborted}
	ErrBudgetExceeded    = &Error{Code: CodeBudgetExceeded}
	ErrPayeeNotAllowed   = &Error{Code: CodePayeeNotAllowed}
	ErrPaymentDeclined   = &Error{Code: CodePaymentDeclined}
	ErrInvoiceExpired    = &Error{Code: CodeInvoiceExpired}
	ErrInvoiceInvalid    = &Error{Code: CodeInvoiceInvalid}
	ErrNetworkMismatch   = &Error{Code: CodeNetworkMismatch}
	ErrInsufficientFunds = &Error{Code: CodeInsufficientFunds}
	ErrWalletError       = &Error{Code: CodeWalletError}
	ErrAccountChanged    = &Error{Code: CodeAccountChanged}
	ErrNotFound          = &Error{Code: CodeNotFound}
	ErrRateLimited       = &Error{Code: CodeRateLimited}
)

// Errorf builds an *Error without an HTTP response, for failures found on the
// client side (invoices, payers, wallets).
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}
