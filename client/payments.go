package client

import (
	"context"
	"encoding/json"
)

// Status calls GET /payments/status/{invoiceId}.
func (s *PaymentService) Status(ctx context.Context, invoiceID string, opts ...CallOption) (json.RawMessage, error) {
	if invoiceID == "" || len(invoiceID) > 200 {
		return nil, Errorf(CodeInvalidRequest, "the invoice id is empty or too long")
	}
	return s.client.getJSON(ctx, "/payments/status/"+escape(invoiceID), nil, opts)
}

// Balance calls GET /payments/balance for a partner and wallet.
func (s *PaymentService) Balance(ctx context.Context, partner, wallet string, opts ...CallOption) (json.RawMessage, error) {
	q := map[string]string{}
	if partner != "" {
		q["partner"] = partner
	}
	if wallet != "" {
		q["wallet"] = wallet
	}
	return s.client.getJSON(ctx, "/payments/balance", q, opts)
}
