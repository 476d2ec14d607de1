package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestProxyAddsTheKeyAndStreams(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("api-key") != "server-secret" || r.Header.Get("Cookie") != "" {
			http.Error(w, "bad auth "+r.Header.Get("api-key"), http.StatusUnauthorized)
			return
		}
		if r.URL.Path != "/chat" {
			http.Error(w, "path "+r.URL.Path, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Set-Cookie", "tracking=1")
		for i := 0; i < 3; i++ {
			io.WriteString(w, `data: {"type":"content","text":"x"}`+"\n\n")
			w.(http.Flusher).Flush()
			time.Sleep(150 * time.Millisecond)
		}
		io.WriteString(w, "data: [DONE]\n\n")
	}))
	defer upstream.Close()
	h, cfg, err := newHandler(options{dist: t.TempDir(), apiKey: "server-secret", baseURL: upstream.URL})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Mode != "proxy" || cfg.KeyedBaseURL != "/t" || cfg.PayBaseURL != upstream.URL {
		t.Errorf("config = %+v", cfg)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/t/chat", strings.NewReader(`{"message":"hi","stream":true}`))
	req.Header.Set("api-key", "browser-supplied")
	req.Header.Set("Cookie", "session=1")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Set-Cookie") != "" {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d, cookie %q: %s", resp.StatusCode, resp.Header.Get("Set-Cookie"), b)
	}
	line, _ := bufio.NewReader(resp.Body).ReadString('\n')
	if !strings.HasPrefix(line, "data: ") || time.Since(start) > 400*time.Millisecond {
		t.Errorf("first frame %q after %v: the proxy buffers", line, time.Since(start))
	}
}

func TestSandboxModeRoutes(t *testing.T) {
	h, cfg, err := newHandler(options{dist: t.TempDir(), sandboxAPIKey: "sandbox-test-key", invoiceTTL: time.Minute, confirmDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	var got serveConfig
	resp, err := http.Get(srv.URL + "/serve-config.json")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if got != cfg || got.Mode != "sandbox" || got.PayBaseURL != "/t-pay" || got.Network != "preprod" || got.SandboxWallet == "" {
		t.Errorf("config = %+v", got)
	}
	post := func(path string) int {
		resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader(`{"message":"hello"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := post("/t/chat"); s != 200 {
		t.Errorf("/t/chat (keyed) = %d", s)
	}
	if s := post("/t-pay/chat"); s != 402 {
		t.Errorf("/t-pay/chat (unauthenticated) = %d", s)
	}
	for path, want := range map[string]int{"/sandbox/wallet/wallet.js": 200, "/sandbox/wallet/demo/info": 200, "/t/usage": 200, "/t-pay/usage": 401} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s = %d, want %d", path, resp.StatusCode, want)
		}
	}
}

func TestRejectsABadBaseURL(t *testing.T) {
	if _, _, err := newHandler(options{apiKey: "k", baseURL: "ftp://x"}); err == nil {
		t.Error("accepted ftp://")
	}
}
