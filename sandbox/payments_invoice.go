package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tbackend/sdk/sandbox/ledger"
)

// gateInvoice is one issued invoice.
type gateInvoice struct {
	id        string
	route     Route
	requestID string // "" when the request had none
	amount    uint64
	partner   string // X-Partner of the request, "" for none
	expires   time.Time
	txHash    string // the transaction that pays it, once one was accepted
	consumed  bool   // a call was admitted with it
	failure   string // why the last payment was refused, while unpaid
}

// gateInvoiceSlack is how far past the invoice's expiry a payment's TTL may
// reach (clock skew between payer and server).
const gateInvoiceSlack = 60 * time.Second

// issue answers 402 with an invoice: the one bound to the request's
// X-Request-Id and route if there is one, else a new one. A paid invoice is
// handed out again too: the same request id is the same call retried (say,
// after its answer was lost), and the payer answers it with the proof it
// already holds instead of paying twice.
func (g *Gate) issue(w http.ResponseWriter, r *http.Request, route Route, price uint64) {
	rid := gateRequestID(r)
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	g.sweepLocked(now)
	key := rid + "\x00" + string(route)
	if rid != "" {
		if inv := g.invoices[g.byRequest[key]]; inv != nil && now.Before(inv.expires) {
			g.writeInvoiceLocked(w, inv, now)
			return
		}
	}
	for len(g.invoices) >= g.maxInvoices && len(g.order) > 0 {
		g.dropLocked(g.order[0])
		g.order = g.order[1:]
	}
	inv := &gateInvoice{
		id:        gateNewInvoiceID(),
		route:     route,
		requestID: rid,
		amount:    price,
		partner:   strings.TrimSpace(r.Header.Get("X-Partner")),
		expires:   now.Add(g.timeout),
	}
	g.invoices[inv.id] = inv
	g.order = append(g.order, inv.id)
	if rid != "" {
		g.byRequest[key] = inv.id
	}
	g.writeInvoiceLocked(w, inv, now)
}

// gateRequestID is the caller's X-Request-Id when it is a sane token.
func gateRequestID(r *http.Request) string {
	id := r.Header.Get("X-Request-Id")
	if len(id) > 200 {
		return ""
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return ""
		}
	}
	return id
}

func gateNewInvoiceID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "inv_" + hex.EncodeToString(b)
}

// sweepLocked forgets invoices one lifetime after they expired. Every
// invoice lives as long, so creation order is expiry order.
func (g *Gate) sweepLocked(now time.Time) {
	for len(g.order) > 0 {
		inv := g.invoices[g.order[0]]
		if inv != nil && now.Before(inv.expires.Add(g.timeout)) {
			break
		}
		g.dropLocked(g.order[0])
		g.order = g.order[1:]
	}
	if cap(g.order) > 2*len(g.order)+64 {
		g.order = append([]string(nil), g.order...)
	}
}

func (g *Gate) dropLocked(id string) {
	inv := g.invoices[id]
	if inv == nil {
		return
	}
	delete(g.invoices, id)
	if key := inv.requestID + "\x00" + string(inv.route); g.byRequest[key] == id {
		delete(g.byRequest, key)
	}
	if inv.txHash != "" && g.usedTx[inv.txHash] == id {
		delete(g.usedTx, inv.txHash)
	}
}

// gateDetail is the T API invoice (DESIGN.md shape 1).
type gateDetail struct {
	Version     string    `json:"version"`
	InvoiceID   string    `json:"invoiceId"`
	Chain       string    `json:"chain"`
	Asset       string    `json:"asset"`
	AmountUnits string    `json:"amountUnits"`
	Decimals    int       `json:"decimals"`
	PayTo       string    `json:"payTo"`
	Timeout     int64     `json:"timeout"`
	Extra       gateExtra `json:"extra"`
	Status      string    `json:"status,omitempty"` // "pending" while a submitted payment awaits confirmation
}

type gateExtra struct {
	Lovelace    bool    `json:"lovelace"`
	Babel       bool    `json:"babel"`
	Partner     *string `json:"partner"`
	BatchTarget int     `json:"batchTarget"`
	Outputs     []Split `json:"outputs,omitempty"`
}

// writeInvoiceLocked answers 402 with inv; timeout is the lifetime left.
func (g *Gate) writeInvoiceLocked(w http.ResponseWriter, inv *gateInvoice, now time.Time) {
	d := gateDetail{
		Version:     "0.1",
		InvoiceID:   inv.id,
		Chain:       g.led.Network().Chain(),
		Asset:       "ADA",
		AmountUnits: strconv.FormatUint(inv.amount, 10),
		Decimals:    6,
		PayTo:       g.payTo.String(),
		Timeout:     max(0, int64(inv.expires.Sub(now)/time.Second)),
		Extra:       gateExtra{Lovelace: true, BatchTarget: 100},
	}
	if inv.partner != "" {
		p := inv.partner
		d.Extra.Partner = &p
	}
	for _, s := range g.splits {
		d.Extra.Outputs = append(d.Extra.Outputs, Split{Address: s.addr.String(), Lovelace: s.lovelace})
	}
	if inv.txHash != "" && !inv.consumed {
		if rec, _ := g.led.Transaction(inv.txHash); rec.Status != ledger.StatusConfirmed {
			d.Status = "pending"
		}
	}
	gateJSON(w, http.StatusPaymentRequired, map[string]any{"detail": d})
}

// checkTx checks a transaction against an invoice: the outputs it asks for,
// its id in a CIP-20 message, a TTL inside the invoice window (and above
// slot, when slot is not 0). It returns a reason, "" when it pays.
func (g *Gate) checkTx(inv *gateInvoice, tx *ledger.Tx, slot uint64) string {
	want := append([]gateOutput{{addr: g.payTo, lovelace: inv.amount}}, g.splits...)
	if i := gateMatchOutputs(want, tx.Outputs); i >= 0 {
		o := want[i]
		if i == 0 {
			return fmt.Sprintf("the transaction has no output of at least %d lovelace to %s (payTo)", o.lovelace, o.addr)
		}
		return fmt.Sprintf("the transaction has no output of at least %d lovelace to %s (extra.outputs[%d]), besides the others it must contain", o.lovelace, o.addr, i-1)
	}
	msgs := tx.Messages()
	if msgs == nil {
		return fmt.Sprintf("the transaction has no CIP-20 message (metadata label 674 {\"msg\": [...]}) naming invoice %s", inv.id)
	}
	if !strings.Contains(strings.Join(msgs, ""), inv.id) {
		return fmt.Sprintf("the transaction's CIP-20 message (label 674) does not name invoice %s", inv.id)
	}
	net := g.led.Network()
	if !tx.HasTTL {
		return "the transaction has no time to live; it must expire with the invoice"
	}
	if limit := net.Slot(inv.expires.Add(gateInvoiceSlack)); tx.TTL > limit {
		return fmt.Sprintf("the transaction's time to live (slot %d) outlives the invoice, which expires at slot %d (%s); at most slot %d is accepted",
			tx.TTL, net.Slot(inv.expires), gateISO(inv.expires), limit)
	}
	if slot != 0 && tx.TTL <= slot {
		return fmt.Sprintf("the transaction's time to live (slot %d) has passed: the current slot is %d", tx.TTL, slot)
	}
	return ""
}

// gateMatchOutputs assigns each wanted output a distinct transaction output to
// the same address holding at least its lovelace (bipartite matching, so an
// output never counts twice). It returns the index of a wanted output left
// without one, or -1 when all are paid.
func gateMatchOutputs(want []gateOutput, outs []ledger.Output) int {
	owner := make([]int, len(outs)) // output → wanted index, -1 free
	for i := range owner {
		owner[i] = -1
	}
	var try func(wi int, seen []bool) bool
	try = func(wi int, seen []bool) bool {
		for oi, o := range outs {
			if seen[oi] || !o.Address.Equal(want[wi].addr) || o.Value.Coin < want[wi].lovelace {
				continue
			}
			seen[oi] = true
			if owner[oi] < 0 || try(owner[oi], seen) {
				owner[oi] = wi
				return true
			}
		}
		return false
	}
	for wi := range want {
		if !try(wi, make([]bool, len(outs))) {
			return wi
		}
	}
	return -1
}

// gateStatus is GET /payments/status/{id}.
type gateStatus struct {
	InvoiceID   string `json:"invoiceId"`
	Status      string `json:"status"`
	TxHash      string `json:"txHash,omitempty"`
	AmountUnits string `json:"amountUnits"`
	Chain       string `json:"chain"`
	ExpiresAt   string `json:"expiresAt"`
	Reason      string `json:"reason,omitempty"` // why the last payment failed
}

// Status implements PaymentGate: pending (unpaid), submitted (paid by a
// transaction not yet confirmed), confirmed (paid, not yet used), consumed
// (a call was admitted with it), expired (unpaid past its expiry), failed
// (the last payment was refused; another may still pay it).
func (g *Gate) Status(w http.ResponseWriter, r *http.Request, invoiceID string) {
	g.mu.Lock()
	now := g.now()
	g.sweepLocked(now)
	inv := g.invoices[invoiceID]
	if inv == nil {
		g.mu.Unlock()
		gateJSON(w, http.StatusNotFound, map[string]any{"detail": "Invoice not found"})
		return
	}
	st := gateStatus{
		InvoiceID:   inv.id,
		TxHash:      inv.txHash,
		AmountUnits: strconv.FormatUint(inv.amount, 10),
		Chain:       g.led.Network().Chain(),
		ExpiresAt:   gateISO(inv.expires),
	}
	switch {
	case inv.consumed:
		st.Status = "consumed"
	case inv.txHash != "":
		st.Status = "submitted"
		if rec, _ := g.led.Transaction(inv.txHash); rec.Status == ledger.StatusConfirmed {
			st.Status = "confirmed"
		}
	case !now.Before(inv.expires):
		st.Status = "expired"
	case inv.failure != "":
		st.Status, st.Reason = "failed", inv.failure
	default:
		st.Status = "pending"
	}
	g.mu.Unlock()
	gateJSON(w, http.StatusOK, st)
}

// Balance implements PaymentGate: the sandbox has no prepaid balances, so
// every wallet has 0.
func (g *Gate) Balance(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	wallet := q.Get("wallet")
	if wallet == "" {
		var input any // FastAPI reports the missing value as null
		gateJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": []any{map[string]any{
			"type": "missing", "loc": []string{"query", "wallet"}, "msg": "Field required", "input": input,
		}}})
		return
	}
	var partner *string
	if p := q.Get("partner"); p != "" {
		partner = &p
	}
	gateJSON(w, http.StatusOK, map[string]any{
		"partner":         partner,
		"wallet":          wallet,
		"balanceLovelace": "0",
		"currency":        "ADA",
		"sandbox":         true,
	})
}

func gateRefuse(w http.ResponseWriter, code, reason string) {
	gateJSON(w, http.StatusBadRequest, map[string]any{"detail": map[string]string{"error": code, "reason": reason}})
}

func gateJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
}

func gateISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }
