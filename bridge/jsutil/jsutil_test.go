//go:build js && wasm

package jsutil

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/client"
)

func eval(t *testing.T, src string) safejs.Value {
	t.Helper()
	fn, err := Get("Function").New("return (" + src + ");")
	if err != nil {
		t.Fatalf("compile %s: %v", src, err)
	}
	v, err := fn.Invoke()
	if err != nil {
		t.Fatalf("eval %s: %v", src, err)
	}
	return v
}

func TestPromiseResolvesAndRejects(t *testing.T) {
	ctx := context.Background()
	v, err := Await(ctx, Promise(func() (any, error) { return "done", nil }))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := v.String(); s != "done" {
		t.Errorf("resolved %q", s)
	}
	_, err = Await(ctx, Promise(func() (any, error) { return nil, client.Errorf(client.CodeBudgetExceeded, "too much") }))
	jv, ok := Thrown(err)
	if !ok {
		t.Fatalf("rejection %v carries no JavaScript value", err)
	}
	if isErr, _ := jv.InstanceOf(Get("Error")); !isErr || err.Error() != "tbackend: too much" {
		t.Errorf("rejection = %v (an Error: %v)", err, isErr)
	}
	_, err = Await(ctx, Promise(func() (any, error) { panic("boom") }))
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("a panic in work must reject, got %v", err)
	}
}

func TestAwaitStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	never := eval(t, "new Promise(() => {})")
	if _, err := Await(ctx, never); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	v, err := Await(context.Background(), eval(t, "42"))
	if n, _ := v.Int(); err != nil || n != 42 {
		t.Errorf("awaiting a plain value: %v, %v", n, err)
	}
}

func TestFieldsReadTypesAndReportTheFirstProblem(t *testing.T) {
	obj := eval(t, `{ s: "text", n: 1.5, i: 7, b: true, big: 12345678901234567890n, amt: "2500000", neg: -1, list: ["a","b"], map: { "X-A": "1", n: 2 }, fn() {}, nul: null }`)
	f := ReadFields(obj, "opts")
	if f.String("s") != "text" || f.Integer("i") != 7 || !f.Boolean("b") || f.String("missing") != "" || f.String("nul") != "" {
		t.Error("plain reads")
	}
	if n, ok := f.Number("n"); !ok || n != 1.5 {
		t.Error("number")
	}
	if v, ok := f.Lovelace("big"); !ok || v != 12345678901234567890 {
		t.Errorf("bigint lovelace = %d, %v", v, ok)
	}
	if v, ok := f.Lovelace("amt"); !ok || v != 2_500_000 {
		t.Errorf("string lovelace = %d", v)
	}
	if got := f.StringList("list"); len(got) != 2 || got[1] != "b" {
		t.Errorf("list = %v", got)
	}
	if m := f.StringMap("map"); m["X-A"] != "1" || m["n"] != "2" {
		t.Errorf("map = %v", m)
	}
	if _, ok := f.Function("fn"); !ok {
		t.Error("function")
	}
	if f.Err() != nil {
		t.Fatalf("unexpected: %v", f.Err())
	}
	for name, read := range map[string]func(*Fields){
		"n as string":     func(f *Fields) { f.String("n") },
		"s as number":     func(f *Fields) { f.Number("s") },
		"n as integer":    func(f *Fields) { f.Integer("n") },
		"negative amount": func(f *Fields) { f.Lovelace("neg") },
		"s as amount":     func(f *Fields) { f.Lovelace("s") },
		"s as function":   func(f *Fields) { f.Function("s") },
		"b as list":       func(f *Fields) { f.StringList("b") },
	} {
		f := ReadFields(obj, "opts")
		read(f)
		if err := f.Err(); err == nil || !errors.Is(err, ErrBadArgument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if ReadFields(eval(t, `"a string"`), "opts").Err() == nil {
		t.Error("a string is not an options object")
	}
}
