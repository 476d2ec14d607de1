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

	"github.com/tbackend/sdk/client"
)

// These tests run under Node (GOOS=js GOARCH=wasm go test ./bridge, with
// $(go env GOROOT)/lib/wasm on PATH) or in Chromium with wasmbrowsertest.

func eval(t *testing.T, src string) safejs.Value {
	t.Helper()
	fn, err := get("Function").New("return (" + src + ");")
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
	fn, _ := get("Function").New(`return class TBackendError extends Error { constructor(f) { super(f.message); Object.assign(this, f); this.name = "TBackendError"; } }`)
	errorClass, _ = fn.Invoke()
	os.Exit(m.Run())
}

func TestPromiseResolvesAndRejects(t *testing.T) {
	ctx := context.Background()
	v, err := await(ctx, promise(func() (any, error) { return "done", nil }))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := v.String(); s != "done" {
		t.Errorf("resolved %q", s)
	}
	_, err = await(ctx, promise(func() (any, error) { return nil, client.Errorf(client.CodeBudgetExceeded, "too much") }))
	jv, ok := thrown(err)
	if !ok || !isTBackendError(jv) {
		t.Fatalf("rejection %v is not a TBackendError", err)
	}
	code, _ := jv.Get("code")
	if s, _ := code.String(); s != "budget_exceeded" {
		t.Errorf("code %q", s)
	}
	_, err = await(ctx, promise(func() (any, error) { panic("boom") }))
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("a panic in work must reject, got %v", err)
	}
}

func TestAwaitStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	never := eval(t, "new Promise(() => {})")
	if _, err := await(ctx, never); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	v, err := await(context.Background(), eval(t, "42"))
	if n, _ := v.Int(); err != nil || n != 42 {
		t.Errorf("awaiting a plain value: %v, %v", n, err)
	}
}

func TestFieldsReadTypesAndReportTheFirstProblem(t *testing.T) {
	obj := eval(t, `{ s: "text", n: 1.5, i: 7, b: true, big: 12345678901234567890n, amt: "2500000", neg: -1, list: ["a","b"], map: { "X-A": "1", n: 2 }, fn() {}, nul: null }`)
	f := readFields(obj, "opts")
	if f.str("s") != "text" || f.integer("i") != 7 || !f.boolean("b") || f.str("missing") != "" || f.str("nul") != "" {
		t.Error("plain reads")
	}
	if n, ok := f.number("n"); !ok || n != 1.5 {
		t.Error("number")
	}
	if v, ok := f.lovelace("big"); !ok || v != 12345678901234567890 {
		t.Errorf("bigint lovelace = %d, %v", v, ok)
	}
	if v, ok := f.lovelace("amt"); !ok || v != 2_500_000 {
		t.Errorf("string lovelace = %d", v)
	}
	if got := f.stringList("list"); len(got) != 2 || got[1] != "b" {
		t.Errorf("list = %v", got)
	}
	if m := f.stringMap("map"); m["X-A"] != "1" || m["n"] != "2" {
		t.Errorf("map = %v", m)
	}
	if _, ok := f.function("fn"); !ok {
		t.Error("function")
	}
	if f.err() != nil {
		t.Fatalf("unexpected: %v", f.err())
	}
	for name, read := range map[string]func(*fields){
		"n as string":     func(f *fields) { f.str("n") },
		"s as number":     func(f *fields) { f.number("s") },
		"n as integer":    func(f *fields) { f.integer("n") },
		"negative amount": func(f *fields) { f.lovelace("neg") },
		"s as amount":     func(f *fields) { f.lovelace("s") },
		"s as function":   func(f *fields) { f.function("s") },
		"b as list":       func(f *fields) { f.stringList("b") },
	} {
		f := readFields(obj, "opts")
		read(f)
		if err := f.err(); err == nil || !errors.Is(err, errBadArgument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if readFields(eval(t, `"a string"`), "opts").err() == nil {
		t.Error("a string is not an options object")
	}
}

func TestReadImageFromEveryForm(t *testing.T) {
	ctx := context.Background()
	png := []byte("\x89PNG\r\n\x1a\nrest")
	forms := map[string]safejs.Value{
		"Uint8Array":  uint8Array(png),
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
	if _, err := readImage(ctx, eval(t, `{}`), "image"); !errors.Is(err, errBadArgument) {
		t.Errorf("object: %v", err)
	}
}

func TestErrorsCarryTheContractFields(t *testing.T) {
	inv := &client.Invoice{ID: "inv_1", Network: "preprod", Asset: "ADA", AmountLovelace: 10_000_000, PayTo: "addr_test1x",
		Outputs: []client.Output{{Address: "addr_test1x", Lovelace: 10_000_000}, {Address: "addr_test1y", Lovelace: 9007199254740993}},
		ExpiresAt: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	v := toJSError(&client.Error{Code: client.CodePaymentRequired, Status: 402, RequestID: "r1", Body: []byte(`{"detail":{"x":1}}`), Invoice: inv, Message: "pay"})
	read := func(path string) string {
		cur := v
		for _, p := range strings.Split(path, ".") {
			cur, _ = cur.Get(p)
		}
		s, _ := get("String").Invoke(cur)
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
