package client

import (
	"context"
	"encoding/json"
	"time"
)

// InvoiceKind tells which of the three invoice shapes a 402 carried, which
// decides how the proof is sent back.
type InvoiceKind int

const (
	// KindTAPI is the T API's {"detail": {...}} invoice.
	KindTAPI InvoiceKind = iota + 1
	// KindFlat is the flat {invoiceId, amount, splits, ...} invoice.
	KindFlat
	// KindX402 is a standard x402 v2 PAYMENT-REQUIRED header.
	KindX402
)

// Output is one payment output: an address and the lovelace it must receive.
type Output struct {
	Address  string `json:"address"`
	Lovelace uint64 `json:"lovelace,string"`
}

// Invoice is a 402 invoice in one shape, whatever shape it arrived in. Only
// ADA invoices exist after parsing: any other asset is invoice_invalid.
type Invoice struct {
	// ID is the server's invoice id; for x402, which has none, it is
	// "x402:" + hex BLAKE2b-256 of the request URL, the request id and the
	// accepted requirement (BLAKE2b is in the binary for transaction hashes
	// anyway).
	ID      string
	Kind    InvoiceKind
	Network string // mainnet, preprod or preview
	Asset   string // "ADA"
	// AmountLovelace is what PayTo receives.
	AmountLovelace uint64
	PayTo          string
	// Outputs is every output the payment transaction must contain: PayTo
	// with AmountLovelace first, then the splits in the order received.
	Outputs   []Output
	ExpiresAt time.Time
	Partner   string
	// Requirement is the x402 requirement as received, echoed back in
	// PAYMENT-SIGNATURE's "accepted"; nil for the other kinds.
	Requirement json.RawMessage
}

// TotalLovelace is the sum of all outputs (fee not included).
func (inv *Invoice) TotalLovelace() uint64 {
	var total uint64
	for _, o := range inv.Outputs {
		total += o.Lovelace
	}
	return total
}

// PaymentRequest is what a Payer is asked to pay.
type PaymentRequest struct {
	Invoice *Invoice
	// Route is "METHOD /path" of the call that needs the payment, for the
	// person confirming it.
	Route string
}

// Proof is a payment the server can check.
type Proof struct {
	InvoiceID string
	// TxHash is the hex hash of the transaction body.
	TxHash string
	// SignedTx is the signed transaction CBOR; the server submits it unless
	// Submitted is true.
	SignedTx []byte
	// Submitted reports that the wallet already submitted the transaction,
	// so X-Payment carries TxHash.
	Submitted bool
	// Nonce is "txHash#index" of one input of the transaction (x402).
	Nonce string
}

// Payer pays invoices. The client calls Pay for each 402 it can parse and
// Settle once the server answered the proof.
type Payer interface {
	// Pay returns a proof for the invoice. For an invoice it paid before, it
	// returns the stored proof instead of paying again.
	Pay(ctx context.Context, req PaymentRequest) (*Proof, error)
	// Settle records the server's verdict on the proof for invoiceID:
	// accepted when the paid call went through, rejected when the server
	// refused the payment with a 4xx other than a 402 for the same invoice.
	Settle(invoiceID string, accepted bool)
}
