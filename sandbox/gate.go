package sandbox

import "net/http"

// Route names a paid route for pricing and invoices.
type Route string

const (
	RouteChat          Route = "chat"
	RouteTokenAnalysis Route = "token-analysis"
	RouteImageGenerate Route = "images/generate"
	RouteImageEdit     Route = "images/edit"
	RouteImageUpload   Route = "images/upload-and-edit"
)

// PaymentGate charges paid routes for callers without an api-key. The Server
// works without one (every call is free); the payments side plugs in here.
type PaymentGate interface {
	// Admit is called for a paid route when the caller sent no api-key, after
	// the request passed validation. It returns true when the request carries
	// a payment that covers this call. Otherwise it has written the response
	// itself: a 402 with an invoice, a 402 for the same invoice while its
	// payment is pending, or a 4xx for a rejected payment.
	Admit(w http.ResponseWriter, r *http.Request, route Route) bool
	// Status answers GET /payments/status/{invoiceId}.
	Status(w http.ResponseWriter, r *http.Request, invoiceID string)
	// Balance answers GET /payments/balance.
	Balance(w http.ResponseWriter, r *http.Request)
}
