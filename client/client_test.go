package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The test server mounts routes under a prefix so that a call that ignores
// the base URL's path fails.
const prefix = "/prefix"

type testServer struct {
	mux    *http.ServeMux
	client *Client
	sleeps *sleepLog
}

// sleepLog records the client's waits instead of sleeping.
type sleepLog struct {
	mu     sync.Mutex
	delays []time.Duration
}

func (s *sleepLog) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.delays = append(s.delays, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepLog) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.delays...)
}

func setup(t *testing.T, opts ...Option) *testServer {
	t.Helper()
	mux := http.NewServeMux()
	outer := http.NewServeMux()
	outer.Handle(prefix+"/", http.StripPrefix(prefix, mux))
	outer.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base URL: %s %s", r.Method, r.URL)
		http.Error(w, "wrong path", http.StatusTeapot)
	})
	srv := httptest.NewServer(outer)
	t.Cleanup(srv.Close)
	c, err := New(append([]Option{WithBaseURL(srv.URL + prefix)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := &testServer{mux: mux, client: c, sleeps: &sleepLog{}}
	c.sleep = ts.sleeps.sleep
	return ts
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if r.Method != want {
		t.Errorf("method = %s, want %s", r.Method, want)
	}
}

func testHeader(t *testing.T, r *http.Request, name, want string) {
	t.Helper()
	if got := r.Header.Get(name); got != want {
		t.Errorf("header %s = %q, want %q", name, got, want)
	}
}

func testJSONBody(t *testing.T, r *http.Request, want map[string]any) {
	t.Helper()
	var got map[string]any
	if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	for k, v := range want {
		gv, _ := json.Marshal(got[k])
		wv, _ := json.Marshal(v)
		if string(gv) != string(wv) {
			t.Errorf("body[%q] = %s, want %s", k, gv, wv)
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewRejectsBadOptions(t *testing.T) {
	cases := map[string]Option{
		"empty api key":   WithAPIKey(""),
		"newline in key":  WithAPIKey("a\nb"),
		"ftp base":        WithBaseURL("ftp://example.com"),
		"query in base":   WithBaseURL("https://example.com/?x=1"),
		"no host":         WithBaseURL("https://"),
		"zero timeout":    WithTimeout(0),
		"retries":         WithMaxRetries(-1),
		"header name":     WithHeaders(map[string]string{"bad name": "x"}),
		"partner newline": WithPartner("p\r\nX-Evil: 1"),
		"nil payer":       WithPayer(nil),
		"backoff":         WithBackoff(time.Second, time.Millisecond),
	}
	for name, opt := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := New(opt); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	for _, base := range []string{"/t", "https://api.example.com/v1/", "http://127.0.0.1:8080"} {
		c, err := New(WithBaseURL(base))
		if err != nil {
			t.Fatalf("WithBaseURL(%q): %v", base, err)
		}
		if strings.HasSuffix(c.BaseURL(), "/") {
			t.Errorf("BaseURL %q keeps a trailing slash", c.BaseURL())
		}
	}
}

func TestHeadersOnEveryRequest(t *testing.T) {
	ts := setup(t, WithAPIKey("k-123"), WithPartner("acme"), WithWalletAddress("addr_test1xyz"), WithHeaders(map[string]string{"X-Extra": "1"}))
	var seen []*http.Request
	var mu sync.Mutex
	ts.mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r)
		mu.Unlock()
		w.Header().Set("X-Request-ID", r.Header.Get("X-Request-Id"))
		writeJSON(w, 200, map[string]string{"status": "ok"})
	})
	ctx := context.Background()
	if _, err := ts.client.Health(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.client.Health(ctx, RequestID("fixed-id-1")); err != nil {
		t.Fatal(err)
	}
	for _, r := range seen {
		testMethod(t, r, "GET")
		testHeader(t, r, "api-key", "k-123")
		testHeader(t, r, "X-Partner", "acme")
		testHeader(t, r, "X-Wallet-Address", "addr_test1xyz")
		testHeader(t, r, "X-Extra", "1")
		testHeader(t, r, "Accept", "application/json")
	}
	if id := seen[0].Header.Get("X-Request-Id"); !uuidV4.MatchString(id) {
		t.Errorf("generated request id %q is not a UUID v4", id)
	}
	testHeader(t, seen[1], "X-Request-Id", "fixed-id-1")
}

func TestChatSendsEveryField(t *testing.T) {
	ts := setup(t)
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Content-Type", "application/json")
		if got := r.URL.Query().Get("output"); got != "structured" {
			t.Errorf("?output = %q, want structured", got)
		}
		testJSONBody(t, r, map[string]any{
			"message": "hi", "session_id": "s1", "output_mode": "structured", "system": "be brief",
			"persona": "p", "profile": "pr", "temperature": 0, "top_p": 0.5, "max_tokens": 10,
			"meta": map[string]any{"a": 1}, "context": []any{"x"}, "request_id": r.Header.Get("X-Request-Id"),
			"image_data": "data:image/png;base64,iVBORw0KGgo=",
		})
		w.Header().Set("X-Request-ID", "echoed-id")
		writeJSON(w, 200, map[string]any{"reply": "hello", "reply_json": map[string]any{"k": "v"}, "provider": "p", "model": "m"})
	})
	zero, half := 0.0, 0.5
	resp, err := ts.client.Chat.Send(context.Background(), ChatRequest{
		Message: "hi", SessionID: "s1", OutputMode: "structured", System: "be brief", Persona: "p", Profile: "pr",
		Temperature: &zero, TopP: &half, MaxTokens: 10, Meta: json.RawMessage(`{"a":1}`), Context: json.RawMessage(`["x"]`),
		ImageData: "data:image/png;base64,iVBORw0KGgo=",
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Reply != "hello" || string(resp.ReplyJSON) != `{"k":"v"}` || resp.RequestID != "echoed-id" || resp.Model != "m" {
		t.Errorf("response = %+v", resp)
	}
	if !json.Valid(resp.Raw) || !strings.Contains(string(resp.Raw), `"provider":"p"`) {
		t.Errorf("Raw = %s", resp.Raw)
	}
}

func TestTokenAnalysisWireNames(t *testing.T) {
	ts := setup(t)
	ts.mux.HandleFunc("POST /token-analysis", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "X-API-Version", "2")
		testHeader(t, r, "x-bypass-cache", "1")
		testJSONBody(t, r, map[string]any{"token": "SNEK", "policyId": "279c", "assetNameHex": "534e454b", "network": "cardano"})
		writeJSON(w, 200, map[string]any{"risk_engine": map[string]any{"score": 10}})
	})
	raw, err := ts.client.Tokens.Analyze(context.Background(), TokenAnalysisRequest{Token: "SNEK", PolicyID: "279c", AssetNameHex: "534e454b", Network: "cardano", APIVersion: "2"}, BypassCache())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "risk_engine") {
		t.Errorf("raw = %s", raw)
	}
	if _, err := ts.client.Tokens.Analyze(context.Background(), TokenAnalysisRequest{Token: "X", APIVersion: "3"}); !isCode(err, CodeInvalidRequest) {
		t.Errorf("apiVersion 3: err = %v", err)
	}
}

func TestPaymentsPathsAndQuery(t *testing.T) {
	ts := setup(t)
	ts.mux.HandleFunc("GET /payments/status/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"status": "pending", "id": r.PathValue("id")})
	})
	ts.mux.HandleFunc("GET /payments/balance", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"partner": r.URL.Query().Get("partner"), "wallet": r.URL.Query().Get("wallet")})
	})
	raw, err := ts.client.Payments.Status(context.Background(), "inv/1 2")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"id":"inv/1 2"`) {
		t.Errorf("the id did not arrive whole: %s", raw)
	}
	raw, err = ts.client.Payments.Balance(context.Background(), "p&1", "addr=x")
	if err != nil || string(raw) != `{"partner":"p\u00261","wallet":"addr=x"}`+"\n" {
		t.Errorf("balance = %s, %v", raw, err)
	}
}

func TestDoAnyRoute(t *testing.T) {
	ts := setup(t)
	ts.mux.HandleFunc("PUT /custom", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "X-Thing", "y")
		testHeader(t, r, "Content-Type", "application/octet-stream")
		b, _ := io.ReadAll(r.Body)
		if string(b) != "\x00\x01" || r.URL.Query().Get("q") != "a b" {
			t.Errorf("body %q query %q", b, r.URL.RawQuery)
		}
		w.Write([]byte("plain"))
	})
	resp, err := ts.client.Do(context.Background(), "put", "/custom", RawRequest{Body: []byte{0, 1}, Query: map[string]string{"q": "a b"}, Headers: map[string]string{"X-Thing": "y"}})
	if err != nil || string(resp.Body) != "plain" || resp.Status != 200 {
		t.Fatalf("Do = %+v, %v", resp, err)
	}
	for _, bad := range []string{"chat", "https://evil/x", "/x?y=1"} {
		if _, err := ts.client.Do(context.Background(), "GET", bad, RawRequest{}); !isCode(err, CodeInvalidRequest) {
			t.Errorf("path %q: err = %v", bad, err)
		}
	}
}

func isCode(err error, code Code) bool {
	e, ok := err.(*Error)
	return ok && e.Code == code
}
