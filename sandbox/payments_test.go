package sandbox

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tbackend/sdk/sandbox/ledger"
	"github.com/tbackend/sdk/sandbox/ledger/ledgertest"
)

func TestGateInvoiceShape(t *testing.T) {
	e := newPayEnv(t, GateConfig{})
	r := e.do(t, "POST", "/chat", map[string]string{"message": "hi"}).want(t, 402)
	var got map[string]any
	r.json(t, &got)
	id := got["detail"].(map[string]any)["invoiceId"].(string)
	want := map[string]any{"detail": map[string]any{
		"version": "0.1", "invoiceId": id, "chain": "cardano-preprod", "asset": "ADA",
		"amountUnits": "1000000", "decimals": 6.0, "payTo": e.gate.Ledger().Address(ledger.Payee).String(), "timeout": 300.0,
		"extra": map[string]any{"lovelace": true, "babel": false, "partner": nil, "batchTarget": 100.0},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("402 body\n got %s\nwant %v", r.body, want)
	}
	if !strings.HasPrefix(id, "inv_") || len("invoice "+id) > 64 {
		t.Errorf("invoice id %q", id)
	}

	// With splits and a partner.
	l := ledger.New(ledger.Config{Now: e.clock.now})
	g := NewGate(GateConfig{Ledger: l, Now: e.clock.now, Splits: SandboxSplits(l)})
	w := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/images/generate", nil)
	req.Header.Set("X-Partner", "acme")
	if g.Admit(w, req, RouteImageGenerate) {
		t.Fatal("admitted without payment")
	}
	var d struct{ Detail map[string]any }
	json.Unmarshal(w.Body.Bytes(), &d)
	extra := d.Detail["extra"].(map[string]any)
	if d.Detail["amountUnits"] != "3000000" || extra["partner"] != "acme" {
		t.Errorf("amount %v partner %v", d.Detail["amountUnits"], extra["partner"])
	}
	outs, _ := json.Marshal(extra["outputs"])
	partner, treasury := l.Address(ledger.Partner), l.Address(ledger.Treasury)
	if wantOuts := fmt.Sprintf(`[{"address":%q,"lovelace":"1000000"},{"address":%q,"lovelace":"1000000"}]`, partner, treasury); string(outs) != wantOuts {
		t.Errorf("outputs %s\nwant %s", outs, wantOuts)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestGateSameInvoiceForSameRequestID(t *testing.T) {
	e := newPayEnv(t, GateConfig{})
	a := e.invoice(t, "X-Request-Id", "req-1")
	e.clock.advance(10 * time.Second)
	b := e.invoice(t, "X-Request-Id", "req-1")
	if a.InvoiceID != b.InvoiceID || b.Timeout != 290 {
		t.Errorf("resumed invoice %s (timeout %d), want %s with 290s left", b.InvoiceID, b.Timeout, a.InvoiceID)
	}
	if c := e.invoice(t, "X-Request-Id", "req-2"); c.InvoiceID == a.InvoiceID {
		t.Error("another request id got the same invoice")
	}
	if x, y := e.invoice(t), e.invoice(t); x.InvoiceID == y.InvoiceID {
		t.Error("requests without X-Request-Id share an invoice")
	}
	// Another route is another invoice.
	var img struct{ Detail payInvoice }
	e.do(t, "POST", "/images/generate", nil, "X-Request-Id", "req-1").want(t, 402).json(t, &img)
	if img.Detail.InvoiceID == a.InvoiceID || img.Detail.AmountUnits != "3000000" {
		t.Errorf("images invoice %+v", img.Detail)
	}
	// Once expired, a new one.
	e.clock.advance(300 * time.Second)
	if d := e.invoice(t, "X-Request-Id", "req-1"); d.InvoiceID == a.InvoiceID {
		t.Error("an expired invoice was handed out again")
	}
}

func TestGatePayWithCBOR(t *testing.T) {
	e := newPayEnv(t, GateConfig{})
	inv := e.invoice(t, "X-Request-Id", "r1")
	if st := e.status(t, inv.InvoiceID); st["status"] != "pending" || st["amountUnits"] != "1000000" || st["expiresAt"] != "2025-06-01T12:05:00Z" {
		t.Errorf("status before paying: %v", st)
	}
	proof := e.payment(t, inv, "demo", 0)
	if r := e.payWith(t, inv, proof).want(t, 200); string(r.body) != "ok" {
		t.Fatalf("admitted body %q", r.body)
	}
	tx, _ := hex.DecodeString(proof)
	decoded, _ := ledger.Decode(tx)
	st := e.status(t, inv.InvoiceID)
	if st["status"] != "consumed" || st["txHash"] != decoded.HashHex() || st["chain"] != "cardano-preprod" {
		t.Errorf("status after paying: %v", st)
	}
	// The payee has the money.
	if out, ok := e.gate.Ledger().Lookup(ledger.Input{TxID: decoded.Hash, Index: 0}); !ok || out.Value.Coin != 1_000_000 {
		t.Errorf("payee output %v %v", out, ok)
	}

	// A retry of the same call with the same proof is admitted again (the
	// response was lost) ...
	e.payWith(t, inv, proof, "r1").want(t, 200)
	// ... also with the hash.
	e.payWith(t, inv, decoded.HashHex(), "r1").want(t, 200)
	// Another call cannot ride on the used-up proof.
	e.payWith(t, inv, proof, "r2").refusal(t, "payment_rejected", "already used for a call")
	e.payWith(t, inv, proof).refusal(t, "payment_rejected", "already used for a call")
	// The same request id is the same call: its paid invoice comes back, so
	// a payer that lost the answer re-sends its proof instead of paying twice.
	if again := e.invoice(t, "X-Request-Id", "r1"); again.InvoiceID != inv.InvoiceID {
		t.Error("a retried call got a new invoice after paying")
	}
	// Another request id is another call: a new invoice.
	if fresh := e.invoice(t, "X-Request-Id", "r2"); fresh.InvoiceID == inv.InvoiceID {
		t.Error("another call got the paid invoice")
	}

	// The same transaction for another invoice: replay.
	other := e.invoice(t)
	e.payWith(t, other, proof).refusal(t, "payment_rejected", "already paid invoice "+inv.InvoiceID)
	// Another transaction for the paid invoice.
	e.payWith(t, inv, e.payment(t, inv, "demo", 1), "r1").refusal(t, "payment_rejected", "already paid by transaction")
	// An invoice for another route.
	var img struct{ Detail payInvoice }
	e.do(t, "POST", "/images/generate", nil).want(t, 402).json(t, &img)
	e.payWith(t, img.Detail, e.payment(t, img.Detail, "demo", 1)).refusal(t, "payment_rejected", "is for images/generate, not chat")
}

func TestGateRefusals(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(e *payEnv, inv payInvoice, s *ledgertest.Spend)
		code   string
		reason string
	}{
		{"amount too small", func(e *payEnv, inv payInvoice, s *ledgertest.Spend) { s.Outputs[0].Coin = 999_999 },
			"payment_rejected", "no output of at least 1000000 lovelace"},
		{"wrong payee", func(e *payEnv, inv payInvoice, s *ledgertest.Spend) {
			s.Outputs[0].Address = e.gate.Ledger().Address("someone")
		}, "payment_rejected", "(payTo)"},
		{"no metadata", func(e *payEnv, inv payInvoice, s *ledgertest.Spend) { s.Aux = nil },
			"payment_rejected", "no CIP-20 message"},
		{"metadata for another invoice", func(e *payEnv, inv payInvoice, s *ledgertest.Spend) {
			s.Aux = ledgertest.Messages("invoice inv_000000000000000000000000")
		}, "payment_rejected", "does not name invoice"},
		{"ttl beyond the invoice", func(e *payEnv, inv payInvoice, s *ledgertest.Spend) { s.TTL += 61 },
			"payment_rejected", "outlives the invoice"},
		{"ttl past", func(e *payEnv, inv payInvoice, s *ledgertest.Spend) { s.TTL = e.gate.Ledger().Slot() },
			"payment_rejected", "has passed"},
		{"bad signature (ledger)", func(e *payEnv, inv payInvoice, s *ledgertest.Spend) {
			s.Keys = []ed25519.PrivateKey{ledger.KeyFor("mallory").Payment}
		}, "payment_rejected", "no witness signs for it"},
		{"not CBOR", nil, "payment_rejected", "not CBOR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newPayEnv(t, GateConfig{})
			inv := e.invoice(t)
			proof := "00ff"
			if tt.edit != nil {
				s := e.spend(t, inv, "demo", 0)
				tt.edit(e, inv, &s)
				tx, _ := s.Build()
				proof = hex.EncodeToString(tx)
			}
			e.payWith(t, inv, proof).refusal(t, tt.code, tt.reason)
			if st := e.status(t, inv.InvoiceID); st["status"] != "failed" || !strings.Contains(st["reason"].(string), tt.reason) {
				t.Errorf("status %v", st)
			}
			// The invoice can still be paid properly.
			e.payWith(t, inv, e.payment(t, inv, "demo", 0)).want(t, 200)
		})
	}
}

func TestGateUnknownAndMalformedProofs(t *testing.T) {
	e := newPayEnv(t, GateConfig{})
	inv := e.invoice(t)
	e.payWith(t, payInvoice{InvoiceID: "inv_nope"}, "00").refusal(t, "payment_rejected", "unknown")
	e.payWith(t, inv, strings.Repeat("ab", 32)).refusal(t, "payment_rejected", "unknown to the sandbox ledger")
	e.payWith(t, inv, "zz").refusal(t, "payment_rejected", "neither a 64-hex transaction hash")
	e.do(t, "POST", "/chat", nil, "X-Invoice-Id", inv.InvoiceID).refusal(t, "payment_rejected", "together")
	var nf map[string]any
	e.do(t, "GET", "/payments/status/inv_nope", nil).want(t, 404).json(t, &nf)
	if nf["detail"] != "Invoice not found" {
		t.Errorf("404 body %v", nf)
	}
}

func TestGateSplits(t *testing.T) {
	e := newPayEnv(t, GateConfig{})
	e.gate = NewGate(GateConfig{Ledger: e.gate.Ledger(), Now: e.clock.now, Splits: SandboxSplits(e.gate.Ledger())})
	w := httptest.NewRecorder()
	e.gate.Admit(w, httptest.NewRequest("POST", "/chat", nil), RouteChat)
	var d struct{ Detail payInvoice }
	json.Unmarshal(w.Body.Bytes(), &d)
	inv := d.Detail
	if len(inv.Extra.Outputs) != 2 {
		t.Fatalf("outputs %+v", inv.Extra.Outputs)
	}
	admit := func(s ledgertest.Spend) *httptest.ResponseRecorder {
		tx, _ := s.Build()
		r := httptest.NewRequest("POST", "/chat", nil)
		r.Header.Set("X-Invoice-Id", inv.InvoiceID)
		r.Header.Set("X-Payment", hex.EncodeToString(tx))
		w := httptest.NewRecorder()
		if e.gate.Admit(w, r, RouteChat) {
			w.WriteHeader(200)
		}
		return w
	}
	missing := e.spend(t, inv, "demo", 0)
	missing.Outputs = missing.Outputs[:2] // no treasury output
	if w := admit(missing); w.Code != 400 || !strings.Contains(w.Body.String(), "extra.outputs[1]") {
		t.Errorf("without the treasury split: %d %s", w.Code, w.Body)
	}
	short := e.spend(t, inv, "demo", 0)
	short.Outputs[1].Coin = 999_999
	if w := admit(short); w.Code != 400 || !strings.Contains(w.Body.String(), "extra.outputs[0]") {
		t.Errorf("short partner split: %d %s", w.Code, w.Body)
	}
	if w := admit(e.spend(t, inv, "demo", 0)); w.Code != 200 {
		t.Errorf("full payment: %d %s", w.Code, w.Body)
	}

	// One output cannot pay both payTo and a split to the same address.
	l := e.gate.Ledger()
	payee := l.Address(ledger.Payee).String()
	e.gate = NewGate(GateConfig{Ledger: l, Now: e.clock.now, Splits: []Split{{Address: payee, Lovelace: 1_000_000}}})
	w = httptest.NewRecorder()
	e.gate.Admit(w, httptest.NewRequest("POST", "/chat", nil), RouteChat)
	json.Unmarshal(w.Body.Bytes(), &d)
	inv = d.Detail
	merged := e.spend(t, inv, "demo", 1)
	merged.Outputs = []ledgertest.Output{{Address: l.Address(ledger.Payee), Coin: 2_000_000}}
	if w := admit(merged); w.Code != 400 || !strings.Contains(w.Body.String(), "besides the others") {
		t.Errorf("one output for two: %d %s", w.Code, w.Body)
	}
	if w := admit(e.spend(t, inv, "demo", 1)); w.Code != 200 {
		t.Errorf("two outputs to the same address: %d %s", w.Code, w.Body)
	}
}

func TestGateExpiredInvoice(t *testing.T) {
	e := newPayEnv(t, GateConfig{Timeout: time.Minute})
	inv := e.invoice(t)
	if inv.Timeout != 60 {
		t.Errorf("timeout %d", inv.Timeout)
	}
	s := e.spend(t, inv, "demo", 0)
	s.TTL += 30 // still within the slack, so only the expiry is wrong
	tx, _ := s.Build()
	e.clock.advance(61 * time.Second)
	e.payWith(t, inv, hex.EncodeToString(tx)).refusal(t, "invoice_expired", "expired at")
	if st := e.status(t, inv.InvoiceID); st["status"] != "expired" {
		t.Errorf("status %v", st)
	}
	// One more lifetime later it is forgotten.
	e.clock.advance(time.Minute)
	e.do(t, "GET", "/payments/status/"+inv.InvoiceID, nil).want(t, 404)
}

func TestGateSubmitPath(t *testing.T) {
	e := newPayEnv(t, GateConfig{ConfirmDelay: 2 * time.Second})
	inv := e.invoice(t, "X-Request-Id", "sub-1")
	s := e.spend(t, inv, "demo", 0)
	_, body := s.Build() // the fee covers one witness
	unsigned := hex.EncodeToString(ledgertest.Tx(body, ledgertest.WitnessSet(false), s.Aux))

	var signed struct{ WitnessSet string }
	e.do(t, "POST", "/sandbox/wallet/demo/sign", map[string]any{"tx": unsigned}).want(t, 200).json(t, &signed)
	ws, _ := hex.DecodeString(signed.WitnessSet)
	tx := hex.EncodeToString(ledgertest.Tx(body, ws, s.Aux))
	var sub struct{ TxHash string }
	e.do(t, "POST", "/sandbox/wallet/demo/submit", map[string]any{"tx": tx}).want(t, 200).json(t, &sub)
	if h := ledgertest.Hash(body); sub.TxHash != hex.EncodeToString(h[:]) {
		t.Fatalf("txHash %s", sub.TxHash)
	}

	// Before confirmation: 402 with the same invoice, status pending.
	var pending struct{ Detail payInvoice }
	e.payWith(t, inv, sub.TxHash).want(t, 402).json(t, &pending)
	if pending.Detail.InvoiceID != inv.InvoiceID || pending.Detail.Status != "pending" {
		t.Errorf("pending 402 %+v", pending.Detail)
	}
	if st := e.status(t, inv.InvoiceID); st["status"] != "submitted" || st["txHash"] != sub.TxHash {
		t.Errorf("status %v", st)
	}
	// A reload without the proof gets the same invoice, still pending.
	if again := e.invoice(t, "X-Request-Id", "sub-1"); again.InvoiceID != inv.InvoiceID || again.Status != "pending" {
		t.Errorf("reload: %+v", again)
	}
	e.clock.advance(2 * time.Second)
	if st := e.status(t, inv.InvoiceID); st["status"] != "confirmed" {
		t.Errorf("status %v", st)
	}
	e.payWith(t, inv, sub.TxHash).want(t, 200)
	if st := e.status(t, inv.InvoiceID); st["status"] != "consumed" {
		t.Errorf("status %v", st)
	}
	// The signed CBOR of the same transaction counts as the same payment.
	e.payWith(t, inv, tx, "sub-1").want(t, 200)
}

func TestGateBalance(t *testing.T) {
	e := newPayEnv(t, GateConfig{})
	var b map[string]any
	e.do(t, "GET", "/payments/balance?wallet=addr_test1xyz&partner=acme", nil).want(t, 200).json(t, &b)
	want := map[string]any{"partner": "acme", "wallet": "addr_test1xyz", "balanceLovelace": "0", "currency": "ADA", "sandbox": true}
	if !reflect.DeepEqual(b, want) {
		t.Errorf("balance %v", b)
	}
	var missing struct{ Detail []map[string]any }
	e.do(t, "GET", "/payments/balance?partner=acme", nil).want(t, 422).json(t, &missing)
	if len(missing.Detail) != 1 || missing.Detail[0]["type"] != "missing" || fmt.Sprint(missing.Detail[0]["loc"]) != "[query wallet]" {
		t.Errorf("422 %v", missing)
	}
}

func TestGateFreeRoutesAndBoundedMemory(t *testing.T) {
	e := newPayEnv(t, GateConfig{Prices: map[Route]uint64{RouteChat: 0}, MaxInvoices: 3})
	e.do(t, "POST", "/chat", nil).want(t, 200)
	var ids []string
	for range 5 {
		var d struct{ Detail payInvoice }
		e.do(t, "POST", "/images/generate", nil).want(t, 402).json(t, &d)
		ids = append(ids, d.Detail.InvoiceID)
	}
	e.do(t, "GET", "/payments/status/"+ids[0], nil).want(t, 404)
	e.do(t, "GET", "/payments/status/"+ids[4], nil).want(t, 200)
	if n := len(e.gate.invoices); n > 3 {
		t.Errorf("%d invoices kept, at most 3", n)
	}
}

func TestGateConcurrentPayments(t *testing.T) {
	e := newPayEnv(t, GateConfig{})
	// Invoices and transactions first, then every payment at once (run
	// with -race).
	proofs := map[string]string{}
	for i := range 8 {
		inv := e.invoice(t)
		proofs[inv.InvoiceID] = e.payment(t, inv, fmt.Sprintf("buyer-%d", i), 0)
	}
	var wg sync.WaitGroup
	for id, proof := range proofs {
		wg.Add(2)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", e.srv.URL+"/chat", nil)
			req.Header.Set("X-Invoice-Id", id)
			req.Header.Set("X-Payment", proof)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Errorf("paying %s: HTTP %d", id, res.StatusCode)
			}
		}()
		go func() { // new invoices meanwhile
			defer wg.Done()
			res, err := http.Post(e.srv.URL+"/chat", "application/json", nil)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != 402 {
				t.Errorf("invoice: HTTP %d", res.StatusCode)
			}
		}()
	}
	wg.Wait()
}
