package sandbox

import (
	"bytes"
	"image/color"
	"net/http"
	"sync"
	"testing"
)

// admitRecorder is a PaymentGate that records what it is asked.
type admitRecorder struct {
	mu      sync.Mutex
	admits  []Route
	allow   bool
	status  []string
	balance int
}

func (g *admitRecorder) Admit(w http.ResponseWriter, r *http.Request, route Route) bool {
	g.mu.Lock()
	g.admits = append(g.admits, route)
	allow := g.allow
	g.mu.Unlock()
	if !allow {
		writeJSON(w, http.StatusPaymentRequired, map[string]any{"detail": map[string]any{"invoiceId": "inv-1", "route": string(route)}})
	}
	return allow
}

func (g *admitRecorder) Status(w http.ResponseWriter, r *http.Request, id string) {
	g.mu.Lock()
	g.status = append(g.status, id)
	g.mu.Unlock()
	writeJSON(w, 200, map[string]any{"status": "pending", "invoiceId": id})
}

func (g *admitRecorder) Balance(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.balance++
	g.mu.Unlock()
	writeJSON(w, 200, map[string]any{"balance": "42"})
}

func (g *admitRecorder) take() []Route {
	g.mu.Lock()
	defer g.mu.Unlock()
	a := g.admits
	g.admits = nil
	return a
}

func TestPaidRoutesConsultTheGate(t *testing.T) {
	png := pngURI(t, solid(4, 4, color.RGBA{9, 9, 9, 255}))
	upload, uploadType := multipartBody(t, "image", [][]byte{pngBytes(t, solid(4, 4, color.RGBA{9, 9, 9, 255}))}, map[string]string{"prompt": "invert"})
	paid := []struct {
		route Route
		path  string
		body  any
		hdr   []string
	}{
		{RouteChat, "/chat", map[string]any{"message": "hi"}, nil},
		{RouteChat, "/chat", map[string]any{"message": "hi", "stream": true}, nil},
		{RouteTokenAnalysis, "/token-analysis", map[string]any{"token": "SNEK"}, nil},
		{RouteImageGenerate, "/images/generate", map[string]any{"prompt": "p", "size": "256x256"}, nil},
		{RouteImageEdit, "/images/edit", map[string]any{"prompt": "p", "input_images": []string{png}}, nil},
		{RouteImageUpload, "/images/upload-and-edit", upload.Bytes(), []string{"Content-Type", uploadType}},
	}
	gate := &admitRecorder{}
	s := New(Config{Payments: gate, StreamDelay: -1})
	for _, p := range paid {
		// Without a key and unpaid: the gate answers 402.
		w := send(t, s, "POST", p.path, p.body, p.hdr...)
		if w.Code != 402 {
			t.Errorf("%s unpaid: %d %s", p.path, w.Code, w.Body)
		}
		if got := gate.take(); len(got) != 1 || got[0] != p.route {
			t.Errorf("%s: Admit calls %v, want [%s]", p.path, got, p.route)
		}
		if w.Header().Get("X-Request-ID") == "" {
			t.Errorf("%s: 402 without X-Request-ID", p.path)
		}
		// With an api-key the gate is not asked.
		w = send(t, s, "POST", p.path, p.body, append([]string{"api-key", "some-key"}, p.hdr...)...)
		wantStatus(t, w, 200)
		if got := gate.take(); len(got) != 0 {
			t.Errorf("%s with a key: Admit called %v", p.path, got)
		}
	}
	// Paid: the route answers.
	gate.allow = true
	for _, p := range paid {
		wantStatus(t, send(t, s, "POST", p.path, p.body, p.hdr...), 200)
		if got := gate.take(); len(got) != 1 {
			t.Errorf("%s paid: Admit calls %v", p.path, got)
		}
	}
	// Validation comes first: an invalid request is never charged.
	for _, p := range []struct {
		path string
		body any
	}{
		{"/chat", map[string]any{"message": ""}},
		{"/images/generate", map[string]any{"prompt": "p", "n": 9}},
		{"/images/edit", map[string]any{"prompt": "p", "input_images": []string{"data:image/png;base64,aGk="}}},
	} {
		wantStatus(t, send(t, s, "POST", p.path, p.body), 422)
	}
	if w := send(t, s, "POST", "/token-analysis", map[string]any{"token": "NOPE"}); w.Code != 404 {
		t.Errorf("unknown token: %d", w.Code)
	}
	if got := gate.take(); len(got) != 0 {
		t.Errorf("invalid requests were charged: %v", got)
	}
	// Variations: api-key only, never the gate.
	if w := send(t, s, "POST", "/images/variations", map[string]any{"image": png}); w.Code != 401 {
		t.Errorf("variations without key: %d", w.Code)
	}
	wantStatus(t, send(t, s, "POST", "/images/variations", map[string]any{"image": png}, "api-key", "k"), 200)
	if got := gate.take(); len(got) != 0 {
		t.Errorf("variations consulted the gate: %v", got)
	}
	// Free routes never ask.
	send(t, s, "GET", "/health", nil)
	send(t, s, "GET", "/api", nil)
	if got := gate.take(); len(got) != 0 {
		t.Errorf("free routes consulted the gate: %v", got)
	}
}

func TestPaymentRoutesDelegate(t *testing.T) {
	gate := &admitRecorder{}
	s := New(Config{Payments: gate})
	w := send(t, s, "GET", "/payments/status/inv%2042", nil)
	wantStatus(t, w, 200)
	if len(gate.status) != 1 || gate.status[0] != "inv 42" {
		t.Errorf("status ids %v", gate.status)
	}
	w = send(t, s, "GET", "/payments/balance?wallet=w", nil)
	if w.Code != 200 || gate.balance != 1 || !bytes.Contains(w.Body.Bytes(), []byte(`"42"`)) {
		t.Errorf("balance %d %s", w.Code, w.Body)
	}
}
