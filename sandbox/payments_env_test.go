package sandbox

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tbackend/sdk/sandbox/ledger"
	"github.com/tbackend/sdk/sandbox/ledger/ledgertest"
)

var payNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

type payClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *payClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *payClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// payEnv is a gate behind a tiny API on an httptest server: /chat and
// /images/generate answer "ok" once admitted.
type payEnv struct {
	gate  *Gate
	clock *payClock
	srv   *httptest.Server
}

func newPayEnv(t *testing.T, cfg GateConfig) *payEnv {
	t.Helper()
	c := &payClock{t: payNow}
	cfg.Now = c.now
	if cfg.Ledger == nil {
		cfg.Ledger = ledger.New(ledger.Config{Now: c.now})
	}
	g := NewGate(cfg)
	mux := http.NewServeMux()
	paid := func(route Route) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if g.Admit(w, r, route) {
				io.WriteString(w, "ok")
			}
		}
	}
	mux.Handle("POST /chat", paid(RouteChat))
	mux.Handle("POST /images/generate", paid(RouteImageGenerate))
	mux.HandleFunc("GET /payments/status/{id}", func(w http.ResponseWriter, r *http.Request) { g.Status(w, r, r.PathValue("id")) })
	mux.HandleFunc("GET /payments/balance", g.Balance)
	mux.Handle("/sandbox/wallet/", http.StripPrefix("/sandbox/wallet", g.WalletHandler()))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &payEnv{gate: g, clock: c, srv: srv}
}

type payResponse struct {
	status int
	body   []byte
}

func (e *payEnv) do(t *testing.T, method, path string, body any, hdr ...string) payResponse {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return payResponse{res.StatusCode, b}
}

func (r payResponse) want(t *testing.T, status int) payResponse {
	t.Helper()
	if r.status != status {
		t.Fatalf("HTTP %d, want %d: %s", r.status, status, r.body)
	}
	return r
}

func (r payResponse) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("%s: %v", r.body, err)
	}
}

type payInvoice struct {
	InvoiceID   string `json:"invoiceId"`
	AmountUnits string `json:"amountUnits"`
	PayTo       string `json:"payTo"`
	Timeout     int64  `json:"timeout"`
	Status      string `json:"status"`
	Extra       struct {
		Outputs []Split `json:"outputs"`
	} `json:"extra"`
}

// invoice asks for a chat call without payment and returns the 402's invoice.
func (e *payEnv) invoice(t *testing.T, hdr ...string) payInvoice {
	t.Helper()
	var got struct{ Detail payInvoice }
	e.do(t, "POST", "/chat", map[string]string{"message": "hi"}, hdr...).want(t, 402).json(t, &got)
	return got.Detail
}

// payWith retries the chat call with a payment (and, when given, the
// request id of the call it pays for).
func (e *payEnv) payWith(t *testing.T, inv payInvoice, proof string, requestID ...string) payResponse {
	t.Helper()
	headers := []string{"X-Invoice-Id", inv.InvoiceID, "X-Payment", proof}
	if len(requestID) > 0 {
		headers = append(headers, "X-Request-Id", requestID[0])
	}
	return e.do(t, "POST", "/chat", map[string]string{"message": "hi"}, headers...)
}

// refusal checks a 400 {"detail": {"error", "reason"}}.
func (r payResponse) refusal(t *testing.T, code, reason string) {
	t.Helper()
	r.want(t, 400)
	var got struct {
		Detail struct{ Error, Reason string }
	}
	r.json(t, &got)
	if got.Detail.Error != code || !strings.Contains(got.Detail.Reason, reason) {
		t.Fatalf("refusal %+v, want %s mentioning %q", got.Detail, code, reason)
	}
}

// spend describes a payment of inv from account's genesis UTxO utxo: every
// output the invoice asks for, a CIP-20 message naming it, a TTL at the
// invoice's expiry, signed by the account.
func (e *payEnv) spend(t *testing.T, inv payInvoice, account string, utxo int) ledgertest.Spend {
	t.Helper()
	l := e.gate.Ledger()
	us, err := l.UTxOs(account)
	if err != nil || len(us) <= utxo {
		t.Fatalf("UTxOs(%s): %v", account, err)
	}
	u := us[utxo]
	amount, _ := strconv.ParseUint(inv.AmountUnits, 10, 64)
	outs := []ledgertest.Output{{Address: ledger.MustParseAddress(inv.PayTo), Coin: amount}}
	for _, s := range inv.Extra.Outputs {
		outs = append(outs, ledgertest.Output{Address: ledger.MustParseAddress(s.Address), Coin: s.Lovelace, MapForm: true})
	}
	assets := ledgertest.Assets{}
	for a, q := range u.Output.Value.Assets {
		if assets[a.Policy] == nil {
			assets[a.Policy] = map[string]uint64{}
		}
		assets[a.Policy][a.Name] = q
	}
	return ledgertest.Spend{
		Inputs:   []ledgertest.Input{{TxID: u.Input.TxID, Index: u.Input.Index}},
		InCoin:   u.Output.Value.Coin,
		InAssets: assets,
		Outputs:  outs,
		Change:   l.Address(account),
		TTL:      l.Network().Slot(e.clock.now().Add(time.Duration(inv.Timeout) * time.Second)),
		Aux:      ledgertest.Messages("invoice " + inv.InvoiceID),
		Keys:     []ed25519.PrivateKey{ledger.KeyFor(account).Payment},
		TagSets:  true,
	}
}

func (e *payEnv) payment(t *testing.T, inv payInvoice, account string, utxo int) string {
	t.Helper()
	tx, _ := e.spend(t, inv, account, utxo).Build()
	return hex.EncodeToString(tx)
}

func (e *payEnv) status(t *testing.T, id string) map[string]any {
	t.Helper()
	var st map[string]any
	e.do(t, "GET", "/payments/status/"+id, nil).want(t, 200).json(t, &st)
	return st
}
