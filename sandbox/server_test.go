package sandbox

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestHealthAndAPI(t *testing.T) {
	s := New(Config{})
	w := send(t, s, "GET", "/health", nil)
	wantStatus(t, w, 200)
	h := object(t, w)
	if h["status"] != "ok" || h["sandbox"] != true {
		t.Errorf("health: %v", h)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type %q", ct)
	}
	w = send(t, s, "GET", "/api", nil)
	wantStatus(t, w, 200)
	a := object(t, w)
	if a["sandbox"] != true || a["version"] != Version {
		t.Errorf("api: %v", a)
	}
	paths := map[string]bool{}
	for _, r := range a["routes"].([]any) {
		paths[r.(map[string]any)["path"].(string)] = true
	}
	for _, p := range []string{"/health", "/chat", "/token-analysis", "/images/generate", "/images/edit", "/images/upload-and-edit", "/images/variations", "/payments/status/{invoiceId}", "/payments/balance", "/usage"} {
		if !paths[p] {
			t.Errorf("/api does not list %s", p)
		}
	}
	if w := send(t, s, "HEAD", "/health", nil); w.Code != 200 {
		t.Errorf("HEAD /health: %d", w.Code)
	}
}

func TestNotFoundAndMethod(t *testing.T) {
	s := New(Config{})
	for _, c := range []struct {
		method, path string
		status       int
		detail       string
	}{
		{"GET", "/nope", 404, "Not Found"},
		{"GET", "/", 404, "Not Found"},
		{"GET", "/payments/status/", 404, "Not Found"},
		{"GET", "/payments/status/a/b", 404, "Not Found"},
		{"GET", "/chat", 405, "Method Not Allowed"},
		{"POST", "/health", 405, "Method Not Allowed"},
		{"PUT", "/images/generate", 405, "Method Not Allowed"},
		{"DELETE", "/usage", 405, "Method Not Allowed"},
	} {
		w := send(t, s, c.method, c.path, nil)
		if w.Code != c.status || detail(t, w) != c.detail {
			t.Errorf("%s %s: %d %s", c.method, c.path, w.Code, w.Body)
		}
		if c.status == 405 && w.Header().Get("Allow") == "" {
			t.Errorf("%s %s: no Allow header", c.method, c.path)
		}
	}
}

var uuid4Re = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestRequestID(t *testing.T) {
	s := New(Config{})
	w := send(t, s, "GET", "/health", nil, "X-Request-Id", "abc-123")
	if got := w.Header().Get("X-Request-ID"); got != "abc-123" {
		t.Errorf("echo: %q", got)
	}
	for _, path := range []string{"/health", "/nope"} {
		w = send(t, s, "GET", path, nil)
		if got := w.Header().Get("X-Request-ID"); !uuid4Re.MatchString(got) {
			t.Errorf("%s: generated id %q is not a UUID v4", path, got)
		}
	}
	w = send(t, s, "GET", "/health", nil, "X-Request-Id", "bad id with spaces")
	if got := w.Header().Get("X-Request-ID"); !uuid4Re.MatchString(got) {
		t.Errorf("unsafe id replaced by %q", got)
	}
}

func TestCORS(t *testing.T) {
	s := New(Config{})
	w := send(t, s, "GET", "/health", nil, "Origin", "https://dapp.example")
	if w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Error("no Allow-Origin *")
	}
	if got := w.Header().Get("Access-Control-Expose-Headers"); got != "X-Request-ID, Retry-After, PAYMENT-REQUIRED, PAYMENT-RESPONSE" {
		t.Errorf("expose: %q", got)
	}
	w = send(t, s, "OPTIONS", "/chat", nil, "Origin", "https://dapp.example",
		"Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "api-key, content-type, x-request-id, x-sandbox-fail, payment-signature")
	wantStatus(t, w, 204)
	allow := w.Header().Get("Access-Control-Allow-Headers")
	for _, h := range strings.Fields("api-key content-type accept x-request-id x-partner x-wallet-address x-invoice-id x-payment x-api-version x-bypass-cache payment-signature x-sandbox-fail x-sandbox-fail-times") {
		if !strings.Contains(allow, h) {
			t.Errorf("allow-headers lacks %s", h)
		}
	}
	if m := w.Header().Get("Access-Control-Allow-Methods"); m != "GET, POST, OPTIONS" {
		t.Errorf("allow-methods %q", m)
	}
	// Like Starlette: a header outside the list fails the preflight.
	w = send(t, s, "OPTIONS", "/chat", nil, "Origin", "https://x", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-custom")
	wantStatus(t, w, 400)
	w = send(t, s, "OPTIONS", "/chat", nil, "Origin", "https://x", "Access-Control-Request-Method", "DELETE")
	wantStatus(t, w, 400)
}

func TestAPIKey(t *testing.T) {
	s := New(Config{APIKey: "secret-key-123"})
	for _, path := range []string{"/health", "/usage", "/payments/balance?wallet=x"} {
		w := send(t, s, "GET", path, nil, "api-key", "wrong")
		if w.Code != 401 || detail(t, w) != "Invalid API key" {
			t.Errorf("%s with a wrong key: %d %s", path, w.Code, w.Body)
		}
	}
	w := send(t, s, "POST", "/chat", map[string]any{"message": "hi"}, "api-key", "wrong")
	wantStatus(t, w, 401)
	w = send(t, s, "POST", "/chat", map[string]any{"message": "hi"}, "api-key", "secret-key-123")
	wantStatus(t, w, 200)
	w = send(t, s, "POST", "/chat", map[string]any{"message": "hi"}) // no key, no gate: free
	wantStatus(t, w, 200)

	open := New(Config{})
	w = send(t, open, "POST", "/chat", map[string]any{"message": "hi"}, "api-key", "anything")
	wantStatus(t, w, 200)
}

func TestUsage(t *testing.T) {
	s := New(Config{StreamDelay: -1})
	w := send(t, s, "GET", "/usage", nil)
	if w.Code != 401 {
		t.Fatalf("usage without key: %d", w.Code)
	}
	key := "key-aaaa-bbbb"
	send(t, s, "POST", "/chat", map[string]any{"message": "hello there"}, "api-key", key)
	send(t, s, "POST", "/chat", map[string]any{"message": ""}, "api-key", key)
	send(t, s, "POST", "/images/generate", map[string]any{"prompt": "a cat", "size": "256x256", "n": 2}, "api-key", key)
	send(t, s, "POST", "/chat", map[string]any{"message": "other key"}, "api-key", "another-key-1")
	w = send(t, s, "GET", "/usage", nil, "api-key", key)
	wantStatus(t, w, 200)
	u := object(t, w)
	req := u["requests"].(map[string]any)
	if req["chat"] != 2.0 || req["images/generate"] != 1.0 || u["total_requests"] != 3.0 {
		t.Errorf("requests: %v", u)
	}
	if u["errors"].(map[string]any)["chat"] != 1.0 || u["images"] != 2.0 {
		t.Errorf("errors/images: %v", u)
	}
	if tok := u["tokens"].(map[string]any); tok["input"].(float64) < 1 || tok["output"].(float64) < 1 {
		t.Errorf("tokens: %v", tok)
	}
	if strings.Contains(w.Body.String(), key) {
		t.Error("usage shows the full key")
	}
}

func TestFaultInjection(t *testing.T) {
	s := New(Config{})
	h := []string{"X-Request-Id", "retry-1", "X-Sandbox-Fail", "503", "X-Sandbox-Fail-Times", "2"}
	for i := 0; i < 2; i++ {
		w := send(t, s, "GET", "/health", nil, h...)
		if w.Code != 503 || w.Header().Get("Retry-After") != "1" || w.Header().Get("X-Request-ID") != "retry-1" {
			t.Fatalf("attempt %d: %d %v", i, w.Code, w.Header())
		}
	}
	wantStatus(t, send(t, s, "GET", "/health", nil, h...), 200)
	wantStatus(t, send(t, s, "GET", "/health", nil, h...), 200)

	w := send(t, s, "POST", "/chat", map[string]any{"message": "x"}, "X-Request-Id", "r2", "X-Sandbox-Fail", "429")
	if w.Code != 429 || w.Header().Get("Retry-After") != "1" {
		t.Errorf("429: %d %v", w.Code, w.Header())
	}
	wantStatus(t, send(t, s, "POST", "/chat", map[string]any{"message": "x"}, "X-Request-Id", "r2", "X-Sandbox-Fail", "429"), 200)

	w = send(t, s, "GET", "/health", nil, "X-Request-Id", "r3", "X-Sandbox-Fail", "500")
	if w.Code != 500 || w.Header().Get("Retry-After") != "" {
		t.Errorf("500: %d %v", w.Code, w.Header())
	}
	for i := 0; i < 3; i++ { // no request id: fails every time
		if w := send(t, s, "GET", "/health", nil, "X-Sandbox-Fail", "503"); w.Code != 503 {
			t.Errorf("no id, attempt %d: %d", i, w.Code)
		}
	}
	e := firstError(t, send(t, s, "GET", "/health", nil, "X-Sandbox-Fail", "abc"))
	if e["type"] != "int_parsing" || locString(e["loc"]) != "header.x-sandbox-fail" {
		t.Errorf("bad header: %v", e)
	}
	e = firstError(t, send(t, s, "GET", "/health", nil, "X-Sandbox-Fail", "200"))
	if e["type"] != "greater_than_equal" {
		t.Errorf("200: %v", e)
	}
}

func TestPaymentsWithoutGate(t *testing.T) {
	s := New(Config{})
	w := send(t, s, "GET", "/payments/status/inv_123", nil)
	if w.Code != 404 || detail(t, w) != "Invoice not found" {
		t.Errorf("status: %d %s", w.Code, w.Body)
	}
	e := firstError(t, send(t, s, "GET", "/payments/balance?partner=p", nil))
	if e["type"] != "missing" || locString(e["loc"]) != "query.wallet" {
		t.Errorf("balance without wallet: %v", e)
	}
	w = send(t, s, "GET", "/payments/balance?partner=p1&wallet=addr1xyz", nil)
	wantStatus(t, w, 200)
	b := object(t, w)
	if b["balance"] != "0" || b["wallet"] != "addr1xyz" || b["partner"] != "p1" {
		t.Errorf("balance: %v", b)
	}
}

func TestClock(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	s := New(Config{Now: func() time.Time { return at }})
	if got := object(t, send(t, s, "GET", "/health", nil))["time"]; got != "2030-01-02T03:04:05Z" {
		t.Errorf("time %v", got)
	}
}
