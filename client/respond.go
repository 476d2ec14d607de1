package client

import (
	"github.com/tbackend/sdk/internal/ada"

	"encoding/json"
	"fmt"
	"strings"
)

// codeForStatus maps an HTTP status to the contract's error codes.
func codeForStatus(status int) Code {
	switch {
	case status == 400 || status == 422:
		return CodeInvalidRequest
	case status == 401:
		return CodeUnauthorized
	case status == 402:
		return CodePaymentRequired
	case status == 403:
		return CodeForbidden
	case status == 404:
		return CodeNotFound
	case status == 408:
		return CodeTimeout
	case status == 413:
		return CodePayloadTooLarge
	case status == 429:
		return CodeRateLimited
	case status >= 500:
		return CodeServerError
	default:
		return CodeInvalidRequest
	}
}

var statusSentence = map[Code]string{
	CodeInvalidRequest:  "The service rejected the request as invalid",
	CodeUnauthorized:    "The api-key was missing or not accepted",
	CodePaymentRequired: "This call must be paid for",
	CodeForbidden:       "The service refused this call",
	CodeNotFound:        "The service has no such resource",
	CodeTimeout:         "The service timed out",
	CodePayloadTooLarge: "The request is too large for the service",
	CodeRateLimited:     "Too many requests: the service asked to slow down",
	CodeServerError:     "The service failed",
}

// responseError turns a failed response into the one error type.
func (c *Client) responseError(res *result, cl *call) *Error {
	code := codeForStatus(res.status)
	e := &Error{Code: code, Status: res.status, RequestID: res.requestID, Body: res.data}
	msg := statusSentence[code]
	if code == CodeServerError {
		msg = fmt.Sprintf("The service failed with HTTP %d", res.status)
	}
	if code == CodePaymentRequired {
		inv, err := ParseInvoice(InvoiceSource{Body: res.data, PaymentRequired: res.header.Get("PAYMENT-REQUIRED"), ReceivedAt: c.now(), URL: c.url(cl), RequestID: cl.cfg.requestID})
		if err == nil {
			e.Invoice = inv
			msg = fmt.Sprintf("This call costs %s ADA (invoice %s); configure a payer or an api-key", ada.Format(inv.TotalLovelace()), inv.ID)
		} else if ie, ok := err.(*Error); ok && ie.Invoice != nil {
			e.Invoice = ie.Invoice
		}
	}
	if detail := detailText(res.data); detail != "" {
		msg += ": " + detail
	}
	e.Message = c.redact(msg)
	return e
}

// detailText extracts a readable reason from an error body: FastAPI's
// {"detail": "..."} or {"detail": [{"loc": [...], "msg": "..."}]}, or a
// {"error"/"message"/"reason": "..."} object.
func detailText(body []byte) string {
	var v struct {
		Detail  json.RawMessage `json:"detail"`
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
	}
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	for _, raw := range []json.RawMessage{v.Detail, v.Error} {
		if s := rawText(raw); s != "" {
			return s
		}
	}
	return clip(v.Message)
}

func rawText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return clip(s)
	}
	var items []struct {
		Loc []any  `json:"loc"`
		Msg string `json:"msg"`
	}
	if json.Unmarshal(raw, &items) == nil && len(items) > 0 {
		parts := make([]string, 0, len(items))
		for _, it := range items {
			loc := make([]string, 0, len(it.Loc))
			for _, l := range it.Loc {
				if s := fmt.Sprint(l); s != "body" && s != "query" {
					loc = append(loc, s)
				}
			}
			if len(loc) > 0 {
				parts = append(parts, strings.Join(loc, ".")+": "+it.Msg)
			} else {
				parts = append(parts, it.Msg)
			}
		}
		return clip(strings.Join(parts, "; "))
	}
	var obj struct {
		Reason  string `json:"reason"`
		Message string `json:"message"`
		Error   string `json:"error"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		for _, s := range []string{obj.Reason, obj.Message, obj.Error} {
			if s != "" {
				return clip(s)
			}
		}
	}
	return ""
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// redact keeps the api-key out of messages, whatever the server echoed.
func (c *Client) redact(s string) string {
	if c.apiKey == "" {
		return s
	}
	return strings.ReplaceAll(s, c.apiKey, "[redacted]")
}
