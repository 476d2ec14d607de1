package static

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func dist(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":           "<!doctype html>home",
		"chat.html":            "<!doctype html>chat",
		"404.html":             "<!doctype html>lost",
		"sdk/tbackend.wasm":    "\x00asm-raw",
		"sdk/tbackend.wasm.br": "brotli-bytes",
		"sdk/tbackend.wasm.gz": "gzip-bytes",
		"sdk/tbackend.js":      "export {}",
		"assets/app.css":       "body{}",
		"docs/index.html":      "docs",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func get(t *testing.T, h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestServesPrecompressedAndTypes(t *testing.T) {
	h := New(dist(t), "'self'")
	cases := []struct {
		path, accept, body, encoding, ctype string
	}{
		{"/sdk/tbackend.wasm", "gzip, deflate, br", "brotli-bytes", "br", "application/wasm"},
		{"/sdk/tbackend.wasm", "gzip", "gzip-bytes", "gzip", "application/wasm"},
		{"/sdk/tbackend.wasm", "br;q=0, gzip;q=0", "\x00asm-raw", "", "application/wasm"},
		{"/sdk/tbackend.wasm", "", "\x00asm-raw", "", "application/wasm"},
		{"/sdk/tbackend.js", "br", "export {}", "", "text/javascript; charset=utf-8"},
		{"/", "", "<!doctype html>home", "", "text/html; charset=utf-8"},
		{"/chat", "", "<!doctype html>chat", "", "text/html; charset=utf-8"},
		{"/docs/", "", "docs", "", "text/html; charset=utf-8"},
	}
	for _, c := range cases {
		w := get(t, h, c.path, "Accept-Encoding", c.accept)
		if w.Code != 200 || w.Body.String() != c.body || w.Header().Get("Content-Encoding") != c.encoding || w.Header().Get("Content-Type") != c.ctype {
			t.Errorf("%s (%q): %d %q enc %q type %q", c.path, c.accept, w.Code, w.Body.String(), w.Header().Get("Content-Encoding"), w.Header().Get("Content-Type"))
		}
		if w.Header().Get("Vary") != "Accept-Encoding" || w.Header().Get("Cache-Control") != "no-cache" || w.Header().Get("ETag") == "" {
			t.Errorf("%s: caching headers %v", c.path, w.Header())
		}
	}
}

func TestHeadersByKind(t *testing.T) {
	h := New(dist(t), "'self' https://api.example")
	page := get(t, h, "/")
	csp := page.Header().Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self' https://api.example", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Error("the CSP allows inline code")
	}
	if page.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("pages must not be CORS-readable")
	}
	sdk := get(t, h, "/sdk/tbackend.js")
	if sdk.Header().Get("Access-Control-Allow-Origin") != "*" || sdk.Header().Get("Cross-Origin-Resource-Policy") != "cross-origin" {
		t.Errorf("the SDK is not importable from other origins: %v", sdk.Header())
	}
	if get(t, h, "/assets/app.css").Header().Get("Content-Security-Policy") != "" {
		t.Error("CSP on a stylesheet")
	}
}

func TestRevalidation(t *testing.T) {
	h := New(dist(t), "'self'")
	first := get(t, h, "/sdk/tbackend.wasm", "Accept-Encoding", "br")
	again := get(t, h, "/sdk/tbackend.wasm", "Accept-Encoding", "br", "If-None-Match", first.Header().Get("ETag"))
	if again.Code != http.StatusNotModified {
		t.Errorf("revalidation = %d", again.Code)
	}
	plain := get(t, h, "/sdk/tbackend.wasm")
	if plain.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Error("the brotli and identity bodies share an ETag")
	}
}

func TestRefusals(t *testing.T) {
	h := New(dist(t), "'self'")
	for _, p := range []string{"/missing", "/../../etc/passwd", "/sdk/tbackend.wasm.br", "/sdk/"} {
		w := get(t, h, p)
		if w.Code != 404 {
			t.Errorf("%s = %d", p, w.Code)
		}
	}
	if w := get(t, h, "/nothing"); !strings.Contains(w.Body.String(), "lost") || w.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("404 page: %q", w.Body.String())
	}
	r := httptest.NewRequest("POST", "/", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d", w.Code)
	}
}
