package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestErrorMapping(t *testing.T) {
	cases := []struct {
		status int
		body   string
		code   Code
		msg    string
	}{
		{400, `{"detail":"bad thing"}`, CodeInvalidRequest, "bad thing"},
		{422, `{"detail":[{"type":"string_too_long","loc":["body","message"],"msg":"String should have at most 32000 characters"}]}`, CodeInvalidRequest, "message: String should have at most 32000 characters"},
		{401, `{"detail":"Invalid API key"}`, CodeUnauthorized, "Invalid API key"},
		{402, `{"detail":"Payment required"}`, CodePaymentRequired, "must be paid"},
		{403, `{"detail":"nope"}`, CodeForbidden, "nope"},
		{404, `{"detail":"Not Found"}`, CodeNotFound, "Not Found"},
		{413, `{"detail":"too big"}`, CodePayloadTooLarge, "too big"},
		{409, `not json`, CodeInvalidRequest, "rejected"},
		{429, `{"error":{"message":"slow down"}}`, CodeRateLimited, "slow down"},
		{500, ``, CodeServerError, "HTTP 500"},
		{503, `{"message":"maintenance"}`, CodeServerError, "maintenance"},
	}
	for _, c := range cases {
		t.Run(http.StatusText(c.status), func(t *testing.T) {
			ts := setup(t, WithMaxRetries(0), WithAPIKey("secret-key-42"))
			ts.mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-ID", "srv-"+r.Header.Get("X-Request-Id"))
				w.WriteHeader(c.status)
				io.WriteString(w, c.body)
			})
			_, err := ts.client.Health(context.Background(), RequestID("rid-1"))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T)", err, err)
			}
			if e.Code != c.code || e.Status != c.status || e.RequestID != "srv-rid-1" || string(e.Body) != c.body {
				t.Errorf("got code %s status %d id %q body %q", e.Code, e.Status, e.RequestID, e.Body)
			}
			if !strings.Contains(e.Message, c.msg) {
				t.Errorf("message %q lacks %q", e.Message, c.msg)
			}
			if !errors.Is(err, &Error{Code: c.code}) {
				t.Error("errors.Is by code fails")
			}
		})
	}
}

func TestMessagesNeverCarryTheKey(t *testing.T) {
	ts := setup(t, WithAPIKey("secret-key-42"), WithMaxRetries(0))
	ts.mux.HandleFunc("/usage", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, map[string]string{"detail": "key secret-key-42 is revoked"})
	})
	_, err := ts.client.Usage(context.Background())
	if err == nil || strings.Contains(err.Error(), "secret-key-42") || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("err = %v", err)
	}
}

func TestRetriesTransientFailures(t *testing.T) {
	ts := setup(t, WithBackoff(100*time.Millisecond, time.Second))
	var calls atomic.Int32
	var ids, bodies []string
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		b, _ := io.ReadAll(r.Body)
		ids = append(ids, r.Header.Get("X-Request-Id"))
		bodies = append(bodies, string(b))
		switch n {
		case 1:
			w.WriteHeader(503)
		case 2:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(429)
		default:
			writeJSON(w, 200, map[string]string{"reply": "ok"})
		}
	})
	resp, err := ts.client.Chat.Send(context.Background(), ChatRequest{Message: "x"})
	if err != nil || resp.Reply != "ok" {
		t.Fatalf("Send = %+v, %v", resp, err)
	}
	if calls.Load() != 3 {
		t.Fatalf("%d attempts, want 3", calls.Load())
	}
	if ids[0] != ids[1] || ids[1] != ids[2] || bodies[0] != bodies[2] {
		t.Errorf("retries changed the request: ids %v", ids)
	}
	d := ts.sleeps.all()
	if len(d) != 2 || d[0] < 50*time.Millisecond || d[0] > 100*time.Millisecond || d[1] != 7*time.Second {
		t.Errorf("waits = %v; want a jittered 50–100ms, then Retry-After's 7s", d)
	}
}

func TestRetryLimitAndNonRetryable(t *testing.T) {
	for _, c := range []struct {
		name    string
		status  int
		retries int
		want    int32
	}{
		{"5xx up to maxRetries", 502, 2, 3},
		{"no retries", 500, 0, 1},
		{"408 retried", 408, 1, 2},
		{"400 never retried", 400, 3, 1},
		{"401 never retried", 401, 3, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			ts := setup(t, WithMaxRetries(c.retries))
			var calls atomic.Int32
			ts.mux.HandleFunc("/api", func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.WriteHeader(c.status)
			})
			if _, err := ts.client.API(context.Background()); err == nil {
				t.Fatal("no error")
			}
			if calls.Load() != c.want {
				t.Errorf("%d attempts, want %d", calls.Load(), c.want)
			}
		})
	}
}

func TestRetryAfterForms(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{"0", 0, true},
		{"Fri, 04 Dec 2026 12:00:10 GMT", 10 * time.Second, true},
		{"Fri, 04 Dec 2026 11:00:00 GMT", 0, true},
		{"999999", maxRetryAfter, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	} {
		got, ok := retryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestNetworkFailureIsRetriedThenReported(t *testing.T) {
	ts := setup(t, WithMaxRetries(1))
	var calls atomic.Int32
	ts.mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	_, err := ts.client.Health(context.Background())
	if !isCode(err, CodeNetwork) || err.(*Error).Status != 0 {
		t.Fatalf("err = %v", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d attempts, want 2", calls.Load())
	}
}

func TestTimeoutAndAbort(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	ts := setup(t, WithMaxRetries(1), WithTimeout(30*time.Millisecond))
	var calls atomic.Int32
	ts.mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	_, err := ts.client.Health(context.Background())
	if !isCode(err, CodeTimeout) || err.(*Error).Status != 0 {
		t.Fatalf("err = %v", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d attempts, want 2 (a timeout is retried)", calls.Load())
	}

	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	_, err = ts.client.Health(ctx, CallTimeout(time.Minute))
	if !isCode(err, CodeAborted) {
		t.Fatalf("cancelled call: err = %v", err)
	}
}

func TestCallValidation(t *testing.T) {
	ts := setup(t)
	ctx := context.Background()
	if _, err := ts.client.Health(ctx, RequestID("bad id\n")); !isCode(err, CodeInvalidRequest) {
		t.Errorf("bad request id: %v", err)
	}
	if _, err := ts.client.Health(ctx, WithCallHeader("X-A", "b\r\nc")); !isCode(err, CodeInvalidRequest) {
		t.Errorf("header injection: %v", err)
	}
	if _, err := ts.client.Chat.Send(ctx, ChatRequest{}); !isCode(err, CodeInvalidRequest) {
		t.Errorf("empty message: %v", err)
	}
}

func TestMalformedSuccessBody(t *testing.T) {
	ts := setup(t)
	ts.mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>") })
	if _, err := ts.client.Health(context.Background()); !isCode(err, CodeServerError) {
		t.Fatalf("err = %v", err)
	}
}
