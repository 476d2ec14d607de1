package client

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testPayTo = "addr_test1qz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgs68faae"

type fakePayer struct {
	mu      sync.Mutex
	pays    []PaymentRequest
	settled []string
	proof   Proof
	err     error
}

func (p *fakePayer) Pay(ctx context.Context, req PaymentRequest) (*Proof, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pays = append(p.pays, req)
	if p.err != nil {
		return nil, p.err
	}
	proof := p.proof
	proof.InvoiceID = req.Invoice.ID
	return &proof, nil
}

func (p *fakePayer) Settle(id string, accepted bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.settled = append(p.settled, fmt.Sprintf("%s:%v", id, accepted))
}

func invoiceBody(id string, lovelace uint64) map[string]any {
	return map[string]any{"detail": map[string]any{
		"version": "0.1", "invoiceId": id, "chain": "cardano-preprod", "asset": "ADA",
		"amountUnits": fmt.Sprint(lovelace), "decimals": 6, "payTo": testPayTo, "timeout": 300,
		"extra": map[string]any{"lovelace": true},
	}}
}

var signedTx = []byte{0x84, 0xa4, 0x00, 0x01}

func TestPayAndRetry(t *testing.T) {
	for _, submitted := range []bool{false, true} {
		t.Run(fmt.Sprintf("submitted=%v", submitted), func(t *testing.T) {
			payer := &fakePayer{proof: Proof{TxHash: strings.Repeat("ab", 32), SignedTx: signedTx, Submitted: submitted}}
			ts := setup(t, WithPayer(payer))
			var calls atomic.Int32
			ts.mux.HandleFunc("POST /images/generate", func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					writeJSON(w, 402, invoiceBody("inv-1", 3_000_000))
					return
				}
				testHeader(t, r, "X-Invoice-Id", "inv-1")
				want := hex.EncodeToString(signedTx)
				if submitted {
					want = strings.Repeat("ab", 32)
				}
				testHeader(t, r, "X-Payment", want)
				writeJSON(w, 200, map[string]any{"success": true, "images": []string{"u"}})
			})
			resp, err := ts.client.Images.Generate(context.Background(), ImageRequest{Prompt: "cat"})
			if err != nil || !resp.Success {
				t.Fatalf("Generate = %+v, %v", resp, err)
			}
			if len(payer.pays) != 1 || payer.pays[0].Route != "POST /images/generate" || payer.pays[0].Invoice.AmountLovelace != 3_000_000 {
				t.Errorf("pays = %+v", payer.pays)
			}
			if strings.Join(payer.settled, ",") != "inv-1:true" {
				t.Errorf("settled = %v", payer.settled)
			}
		})
	}
}

func TestPaymentRetryDoesNotCountAgainstMaxRetries(t *testing.T) {
	payer := &fakePayer{proof: Proof{TxHash: "aa", SignedTx: signedTx}}
	ts := setup(t, WithPayer(payer), WithMaxRetries(0))
	var calls atomic.Int32
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			writeJSON(w, 402, invoiceBody("inv-2", 1_000_000))
			return
		}
		writeJSON(w, 200, map[string]string{"reply": "paid"})
	})
	if resp, err := ts.client.Chat.Send(context.Background(), ChatRequest{Message: "x"}); err != nil || resp.Reply != "paid" {
		t.Fatalf("Send = %+v, %v", resp, err)
	}
}

func TestPendingPaymentIsPolledThenResent(t *testing.T) {
	payer := &fakePayer{proof: Proof{TxHash: "cd", Submitted: true}}
	ts := setup(t, WithPayer(payer), WithBackoff(time.Millisecond, 4*time.Millisecond))
	var calls, polls atomic.Int32
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if n <= 2 || polls.Load() < 2 {
			// The first 402 asks for payment, the next says it is pending.
			writeJSON(w, 402, invoiceBody("inv-3", 1_000_000))
			return
		}
		writeJSON(w, 200, map[string]string{"reply": "done"})
	})
	ts.mux.HandleFunc("GET /payments/status/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != "inv-3" {
			t.Errorf("polled %q", r.PathValue("id"))
		}
		status := "submitted"
		if polls.Add(1) >= 2 {
			status = "confirmed"
		}
		writeJSON(w, 200, map[string]string{"status": status})
	})
	resp, err := ts.client.Chat.Send(context.Background(), ChatRequest{Message: "x"})
	if err != nil || resp.Reply != "done" {
		t.Fatalf("Send = %+v, %v", resp, err)
	}
	if len(payer.pays) != 1 {
		t.Errorf("paid %d times, want once", len(payer.pays))
	}
	if polls.Load() != 2 {
		t.Errorf("%d polls, want 2", polls.Load())
	}
}

func TestNeverPaysTwiceInOneCall(t *testing.T) {
	payer := &fakePayer{proof: Proof{TxHash: "ef", SignedTx: signedTx}}
	ts := setup(t, WithPayer(payer))
	var calls atomic.Int32
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 402, invoiceBody(fmt.Sprintf("inv-new-%d", calls.Add(1)), 1_000_000))
	})
	_, err := ts.client.Chat.Send(context.Background(), ChatRequest{Message: "x"})
	if !isCode(err, CodePaymentRequired) || !strings.Contains(err.Error(), "second payment") {
		t.Fatalf("err = %v", err)
	}
	if len(payer.pays) != 1 || calls.Load() != 2 {
		t.Errorf("pays %d, requests %d; want 1 and 2", len(payer.pays), calls.Load())
	}
}

func TestPendingIsBounded(t *testing.T) {
	payer := &fakePayer{proof: Proof{TxHash: "ef", SignedTx: signedTx}}
	ts := setup(t, WithPayer(payer), WithBackoff(time.Millisecond, time.Millisecond))
	var calls atomic.Int32
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 402, invoiceBody("inv-stuck", 1_000_000))
	})
	ts.mux.HandleFunc("GET /payments/status/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"status": "confirmed"})
	})
	_, err := ts.client.Chat.Send(context.Background(), ChatRequest{Message: "x"})
	if !isCode(err, CodePaymentRequired) {
		t.Fatalf("err = %v", err)
	}
	if got := calls.Load(); got != maxProofRounds+2 {
		t.Errorf("%d requests, want %d (one unpaid, one paid, %d re-sends)", got, maxProofRounds+2, maxProofRounds)
	}
}

func TestRejectedPaymentIsSettledAndReported(t *testing.T) {
	payer := &fakePayer{proof: Proof{TxHash: "ef", SignedTx: signedTx}}
	ts := setup(t, WithPayer(payer))
	var calls atomic.Int32
	ts.mux.HandleFunc("POST /token-analysis", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			writeJSON(w, 402, invoiceBody("inv-4", 2_000_000))
			return
		}
		writeJSON(w, 400, map[string]any{"detail": map[string]string{"error": "payment_rejected", "reason": "fee too low"}})
	})
	_, err := ts.client.Tokens.Analyze(context.Background(), TokenAnalysisRequest{Token: "SNEK"})
	if !isCode(err, CodeInvalidRequest) || !strings.Contains(err.Error(), "fee too low") {
		t.Fatalf("err = %v", err)
	}
	if strings.Join(payer.settled, ",") != "inv-4:false" || calls.Load() != 2 {
		t.Errorf("settled %v after %d requests", payer.settled, calls.Load())
	}
}

func TestUnpaid402(t *testing.T) {
	t.Run("no payer", func(t *testing.T) {
		ts := setup(t)
		ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 402, invoiceBody("inv-5", 1_500_000))
		})
		_, err := ts.client.Chat.Send(context.Background(), ChatRequest{Message: "x"})
		e, ok := err.(*Error)
		if !ok || e.Code != CodePaymentRequired || e.Status != 402 || e.Invoice == nil || e.Invoice.ID != "inv-5" {
			t.Fatalf("err = %#v", err)
		}
		if !strings.Contains(e.Message, "1.5 ADA") {
			t.Errorf("message %q does not say the price", e.Message)
		}
	})
	t.Run("expired invoice is refused before paying", func(t *testing.T) {
		payer := &fakePayer{}
		ts := setup(t, WithPayer(payer))
		ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
			body := invoiceBody("inv-6", 1_000_000)
			body["detail"].(map[string]any)["timeout"] = 0
			writeJSON(w, 402, body)
		})
		_, err := ts.client.Chat.Send(context.Background(), ChatRequest{Message: "x"})
		if !isCode(err, CodeInvoiceExpired) || len(payer.pays) != 0 || err.(*Error).Status != 402 || len(err.(*Error).Body) == 0 {
			t.Fatalf("err = %v, pays %d", err, len(payer.pays))
		}
	})
	t.Run("malformed invoice is refused before paying", func(t *testing.T) {
		payer := &fakePayer{}
		ts := setup(t, WithPayer(payer))
		ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
			body := invoiceBody("inv-7", 1_000_000)
			body["detail"].(map[string]any)["amountUnits"] = "1e6"
			writeJSON(w, 402, body)
		})
		_, err := ts.client.Chat.Send(context.Background(), ChatRequest{Message: "x"})
		if !isCode(err, CodeInvoiceInvalid) || len(payer.pays) != 0 {
			t.Fatalf("err = %v, pays %d", err, len(payer.pays))
		}
	})
	t.Run("payer failure keeps its code and gains the request id", func(t *testing.T) {
		payer := &fakePayer{err: Errorf(CodeBudgetExceeded, "over the cap")}
		ts := setup(t, WithPayer(payer))
		ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 402, invoiceBody("inv-8", 1_000_000))
		})
		_, err := ts.client.Chat.Send(context.Background(), ChatRequest{Message: "x"}, RequestID("6b0c8f6e-3f2d-4b7a-9c1e-2d3f4a5b6c7d"))
		if !isCode(err, CodeBudgetExceeded) || err.(*Error).RequestID != "6b0c8f6e-3f2d-4b7a-9c1e-2d3f4a5b6c7d" {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestX402ProofHeader(t *testing.T) {
	requirement := `{"scheme":"exact","network":"cardano:preprod","amount":"2000000","asset":"lovelace","payTo":"` + testPayTo + `","maxTimeoutSeconds":120}`
	header := base64.StdEncoding.EncodeToString([]byte(`{"x402Version":2,"accepts":[` + requirement + `]}`))
	payer := &fakePayer{proof: Proof{TxHash: "ab", SignedTx: signedTx, Nonce: "ab#0"}}
	ts := setup(t, WithPayer(payer))
	var sig string
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		if sig = r.Header.Get("PAYMENT-SIGNATURE"); sig == "" {
			w.Header().Set("PAYMENT-REQUIRED", header)
			writeJSON(w, 402, map[string]string{})
			return
		}
		writeJSON(w, 200, map[string]string{"reply": "x402 ok"})
	})
	if _, err := ts.client.Chat.Send(context.Background(), ChatRequest{Message: "x"}); err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		t.Fatalf("PAYMENT-SIGNATURE is not base64: %v", err)
	}
	var got struct {
		Version  int             `json:"x402Version"`
		Accepted json.RawMessage `json:"accepted"`
		Payload  struct{ Transaction, Nonce string }
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	tx, _ := base64.StdEncoding.DecodeString(got.Payload.Transaction)
	if got.Version != 2 || string(got.Accepted) != requirement || string(tx) != string(signedTx) || got.Payload.Nonce != "ab#0" {
		t.Errorf("signature = %s", raw)
	}
	if !strings.HasPrefix(payer.pays[0].Invoice.ID, "x402:") || payer.pays[0].Invoice.Kind != KindX402 {
		t.Errorf("invoice = %+v", payer.pays[0].Invoice)
	}
}

func TestOnlyRefusalsSettleAPaymentAsRejected(t *testing.T) {
	for status, rejected := range map[int]bool{400: true, 422: true, 409: true, 401: false, 403: false, 404: false, 413: false, 429: false, 503: false} {
		payer := &fakePayer{proof: Proof{TxHash: "ef", SignedTx: signedTx}}
		ts := setup(t, WithPayer(payer), WithMaxRetries(0))
		var calls atomic.Int32
		ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				writeJSON(w, 402, invoiceBody("inv-s", 1_000_000))
				return
			}
			w.WriteHeader(status)
		})
		ts.client.Chat.Send(context.Background(), ChatRequest{Message: "x"})
		want := ""
		if rejected {
			want = "inv-s:false"
		}
		if got := strings.Join(payer.settled, ","); got != want {
			t.Errorf("HTTP %d after paying: settled %q, want %q", status, got, want)
		}
	}
}

func TestX402IDsAreOnePerCall(t *testing.T) {
	header := base64.StdEncoding.EncodeToString([]byte(`{"x402Version":2,"accepts":[{"scheme":"exact","network":"cardano:preprod","amount":"2000000","asset":"lovelace","payTo":"` + testPayTo + `","maxTimeoutSeconds":120}]}`))
	id := func(url, rid string) string {
		inv, err := ParseInvoice(InvoiceSource{PaymentRequired: header, URL: url, RequestID: rid})
		if err != nil {
			t.Fatal(err)
		}
		return inv.ID
	}
	if id("https://x/chat", "a") != id("https://x/chat", "a") {
		t.Error("one call retried got two ids")
	}
	if id("https://x/chat", "a") == id("https://x/chat", "b") || id("https://x/chat", "a") == id("https://x/images", "a") {
		t.Error("two calls share an id")
	}
}
