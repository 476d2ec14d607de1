package client

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

const (
	// maxProofRounds bounds how often one call re-sends a proof while the
	// service reports the payment pending: never a loop.
	maxProofRounds = 8
	firstPollDelay = time.Second
	maxPollDelay   = 5 * time.Second
)

// payment is the invoice a call paid and the proof it sends.
type payment struct {
	invoice *Invoice
	proof   *Proof
	rounds  int
}

// headers carries the proof: X-Invoice-Id + X-Payment for the T API and flat
// invoices, PAYMENT-SIGNATURE for x402 v2.
func (p *payment) headers() Header {
	h := Header{}
	if p.invoice.Kind == KindX402 {
		sig, _ := json.Marshal(struct {
			Version  int             `json:"x402Version"`
			Accepted json.RawMessage `json:"accepted"`
			Payload  struct {
				Transaction string `json:"transaction"`
				Nonce       string `json:"nonce"`
			} `json:"payload"`
		}{
			Version:  2,
			Accepted: p.invoice.Requirement,
			Payload: struct {
				Transaction string `json:"transaction"`
				Nonce       string `json:"nonce"`
			}{base64.StdEncoding.EncodeToString(p.proof.SignedTx), p.proof.Nonce},
		})
		h.Set("PAYMENT-SIGNATURE", base64.StdEncoding.EncodeToString(sig))
		return h
	}
	h.Set("X-Invoice-Id", p.invoice.ID)
	if p.proof.Submitted {
		h.Set("X-Payment", p.proof.TxHash)
	} else {
		h.Set("X-Payment", hex.EncodeToString(p.proof.SignedTx))
	}
	return h
}

// handle402 answers a 402: pay a new invoice once, or, for the invoice this
// call already paid, wait while the service reports the payment pending and
// send the same proof again. A second, different invoice is an error: one
// call never pays twice.
func (c *Client) handle402(ctx context.Context, cl *call, res *result, paid *payment) (*payment, error) {
	inv, err := ParseInvoice(InvoiceSource{Body: res.data, PaymentRequired: res.header.Get("PAYMENT-REQUIRED"), ReceivedAt: c.now(), URL: c.url(cl), RequestID: cl.cfg.requestID})
	if err != nil {
		// The invoice is the 402's own content: the error keeps its status
		// and body.
		e := c.withResponse(err, res).(*Error)
		e.Status, e.Body = res.status, res.data
		return nil, e
	}
	if paid != nil {
		if inv.ID != paid.invoice.ID {
			e := c.responseError(res, cl)
			e.Message = fmt.Sprintf("The service asked for a second payment (invoice %s) after invoice %s was paid; not paying twice for one call", inv.ID, paid.invoice.ID)
			return nil, e
		}
		paid.rounds++
		if paid.rounds > maxProofRounds {
			e := c.responseError(res, cl)
			e.Message = fmt.Sprintf("The service still asks for invoice %s after %d attempts with the payment; it was paid with transaction %s", inv.ID, maxProofRounds, paid.proof.TxHash)
			return nil, e
		}
		if err := c.awaitPayment(ctx, paid, cl); err != nil {
			return nil, err
		}
		return paid, nil
	}
	proof, err := c.payer.Pay(ctx, PaymentRequest{Invoice: inv, Route: cl.route()})
	if err != nil {
		return nil, c.withResponse(err, res)
	}
	if proof == nil || (proof.TxHash == "" && len(proof.SignedTx) == 0) || (inv.Kind == KindX402 && len(proof.SignedTx) == 0) {
		return nil, &Error{Code: CodeWalletError, RequestID: res.requestID, Invoice: inv, Message: "the payer returned no usable proof of payment"}
	}
	return &payment{invoice: inv, proof: proof}, nil
}

// withResponse adds the 402's request id, and the invoice when known, to a
// failure found while paying.
func (c *Client) withResponse(err error, res *result) error {
	var e *Error
	if !errors.As(err, &e) {
		return &Error{Code: CodeWalletError, RequestID: res.requestID, Message: "the payment failed: " + err.Error(), Err: err}
	}
	out := *e
	if out.RequestID == "" {
		out.RequestID = res.requestID
	}
	return &out
}

// awaitPayment polls /payments/status/{id} with backoff until the service
// counts the payment (confirmed or consumed), bounded by the invoice expiry.
func (c *Client) awaitPayment(ctx context.Context, p *payment, cl *call) error {
	if p.invoice.Kind == KindX402 {
		// x402 has no status route: re-sending after a pause is all there is.
		return c.pause(ctx, c.pollDelay(0, p.invoice), cl)
	}
	for poll := 0; ; poll++ {
		if !c.now().Before(p.invoice.ExpiresAt) {
			return &Error{Code: CodeInvoiceExpired, RequestID: cl.cfg.requestID, Invoice: p.invoice,
				Message: fmt.Sprintf("Invoice %s expired before the service confirmed its payment (transaction %s)", p.invoice.ID, p.proof.TxHash)}
		}
		status, err := c.paymentStatus(ctx, p.invoice.ID)
		if e, ok := err.(*Error); ok && e.Code == CodeAborted {
			return e
		}
		switch status {
		case "confirmed", "consumed":
			return nil
		case "expired":
			return &Error{Code: CodeInvoiceExpired, RequestID: cl.cfg.requestID, Invoice: p.invoice,
				Message: fmt.Sprintf("The service reports invoice %s expired", p.invoice.ID)}
		case "failed":
			return &Error{Code: CodePaymentRequired, Status: 402, RequestID: cl.cfg.requestID, Invoice: p.invoice,
				Message: fmt.Sprintf("The service reports the payment of invoice %s (transaction %s) failed", p.invoice.ID, p.proof.TxHash)}
		}
		if err := c.pause(ctx, c.pollDelay(poll, p.invoice), cl); err != nil {
			return err
		}
	}
}

func (c *Client) pollDelay(poll int, inv *Invoice) time.Duration {
	d := min(firstPollDelay<<min(poll, 8), maxPollDelay)
	if c.backoff < defaultBackoff {
		// Tests shrink the backoff; polling follows.
		d = min(c.backoff<<min(poll, 8), c.maxBackoff)
	}
	if left := inv.ExpiresAt.Sub(c.now()); left < d {
		d = max(left, 0)
	}
	return d
}

// paymentStatus reads the status field of /payments/status/{id}; "" when
// the answer has none.
func (c *Client) paymentStatus(ctx context.Context, invoiceID string) (string, error) {
	raw, err := c.Payments.Status(ctx, invoiceID)
	if err != nil {
		return "", err
	}
	var v struct {
		Status string `json:"status"`
	}
	json.Unmarshal(raw, &v)
	return v.Status, nil
}
