//go:build js && wasm

package bridge

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/bridge/jsutil"
	"github.com/tbackend/sdk/client"
)

// These tests run under Node (GOOS=js GOARCH=wasm go test ./bridge, with
// $(go env GOROOT)/lib/wasm on PATH) or in Chromium with wasmbrowsertest.

func eval(t *testing.T, src string) safejs.Value {
	t.Helper()
	fn, err := jsutil.Get("Function").New("return (" + src + ");")
	if err != nil {
		t.Fatalf("compile %s: %v", src, err)
	}
	v, err := fn.Invoke()
	if err != nil {
		t.Fatalf("eval %s: %v", src, err)
	}
	return v
}

func TestMain(m *testing.M) {
	errorClass = safejs.Undefined()
	fn, _ := jsutil.Get("Function").New(`return class TBackendError extends Error { constructor(f) { super(f.message); Object.assign(this, f); this.name = "TBackendError"; } }`)
	errorClass, _ = fn.Invoke()
	os.Exit(m.Run())
}

func TestReadImageFromEveryForm(t *testing.T) {
	ctx := context.Background()
	png := []byte("\x89PNG\r\n\x1a\nrest")
	forms := map[string]safejs.Value{
		"Uint8Array":  jsutil.Uint8Array(png),
		"ArrayBuffer": eval(t, `new Uint8Array([137,80,78,71,13,10,26,10,114,101,115,116]).buffer`),
		"data URI":    eval(t, `"data:image/png;base64,iVBORw0KGgpyZXN0"`),
		"Blob":        eval(t, `new Blob([new Uint8Array([137,80,78,71,13,10,26,10,114,101,115,116])], { type: "image/png" })`),
	}
	for name, v := range forms {
		img, err := readImage(ctx, v, "image")
		if err != nil || !bytes.Equal(img.Data, png) {
			t.Errorf("%s: %q, %v", name, img.Data, err)
		}
	}
	_, err := readImage(ctx, eval(t, `new Blob([new Uint8Array(26 * 1024 * 1024)])`), "image")
	var e *client.Error
	if !errors.As(err, &e) || e.Code != client.CodePayloadTooLarge {
		t.Errorf("oversized Blob: %v", err)
	}
	if _, err := readImage(ctx, eval(t, `{}`), "image"); !errors.Is(err, jsutil.ErrBadArgument) {
		t.Errorf("object: %v", err)
	}
}

func TestErrorsCarryTheContractFields(t *testing.T) {
	inv := &client.Invoice{ID: "inv_1", Network: "preprod", Asset: "ADA", AmountLovelace: 10_000_000, PayTo: "addr_test1x",
		Outputs:   []client.Output{{Address: "addr_test1x", Lovelace: 10_000_000}, {Address: "addr_test1y", Lovelace: 9007199254740993}},
		ExpiresAt: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	v := toJSError(&client.Error{Code: client.CodePaymentRequired, Status: 402, RequestID: "r1", Body: []byte(`{"detail":{"x":1}}`), Invoice: inv, Message: "pay"})
	read := func(path string) string {
		cur := v
		for _, p := range strings.Split(path, ".") {
			cur, _ = cur.Get(p)
		}
		s, _ := jsutil.Get("String").Invoke(cur)
		str, _ := s.String()
		return str
	}
	for path, want := range map[string]string{
		"code": "payment_required", "status": "402", "requestId": "r1", "message": "pay", "name": "TBackendError",
		"body.detail.x": "1", "invoice.invoiceId": "inv_1", "invoice.amountLovelace": "10000000",
		"invoice.outputs.1.lovelace": "9007199254740993", "invoice.expiresAt": "2026-12-04T12:00:00Z", "invoice.totalLovelace": "9007199264740993",
	} {
		if got := read(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	if !isTBackendError(toJSError(errors.New("plain"))) {
		t.Error("a plain Go error must still become a TBackendError")
	}
}

// TestFetchAgainstTheSandbox needs a running serve.go: test.sh sets
// TBACKEND_TEST_URL.
func TestFetchAgainstTheSandbox(t *testing.T) {
	base := os.Getenv("TBACKEND_TEST_URL")
	if base == "" {
		if os.Getenv("TBACKEND_REQUIRE_NODE") == "1" {
			t.Fatal("TBACKEND_TEST_URL is not set")
		}
		t.Skip("TBACKEND_TEST_URL is not set (test.sh sets it)")
	}
	c, err := client.New(client.WithTransport(Fetch{}), client.WithBaseURL(base+"/t"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if raw, err := c.Health(ctx); err != nil || !strings.Contains(string(raw), `"ok"`) {
		t.Fatalf("health: %s %v", raw, err)
	}
	resp, err := c.Chat.Send(ctx, client.ChatRequest{Message: "through fetch"}, client.RequestID("0d9f6a1e-1b2c-4d3e-8f4a-5b6c7d8e9f01"))
	if err != nil || !strings.Contains(resp.Reply, "through fetch") || resp.RequestID != "0d9f6a1e-1b2c-4d3e-8f4a-5b6c7d8e9f01" {
		t.Fatalf("chat: %+v %v", resp, err)
	}
	st, err := c.Chat.Stream(ctx, client.ChatRequest{Message: "stream through fetch please"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		ev, err := st.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("stream: %v", err)
		}
		if ev.Type == "content" {
			n++
		}
	}
	if n < 3 {
		t.Errorf("%d content events", n)
	}
	cctx, cancel := context.WithCancel(ctx)
	st, err = c.Chat.Stream(cctx, client.ChatRequest{Message: "cancel me after the first event please"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Next(); err != nil {
		t.Fatal(err)
	}
	cancel()
	for {
		if _, err = st.Next(); err != nil {
			break
		}
	}
	var e *client.Error
	if err != io.EOF && (!errors.As(err, &e) || e.Code != client.CodeAborted) {
		t.Errorf("after cancel: %v", err)
	}
	pay, _ := client.New(client.WithTransport(Fetch{}), client.WithBaseURL(base+"/t-pay"))
	_, err = pay.Chat.Send(ctx, client.ChatRequest{Message: "x"})
	if !errors.As(err, &e) || e.Code != client.CodePaymentRequired || e.Invoice == nil {
		t.Errorf("402 through fetch: %v", err)
	}
}
