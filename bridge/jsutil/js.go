//go:build js && wasm

// Package jsutil holds the JavaScript helpers the bridge and the CIP-30
// binding share, over safejs: values, promises both ways, cancellation,
// bytes and typed reading of options objects. Nothing here panics across
// the boundary: every callback recovers.
package jsutil

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/hack-pad/safejs"
)

var global = safejs.Global()

// ErrorValue turns a Go error into the JavaScript value promises reject
// with; the bridge sets it to build TBackendError instances.
var ErrorValue = func(err error) safejs.Value {
	v, _ := Get("Error").New(err.Error())
	return v
}

// Get reads a global constructor or object, e.g. Get("Uint8Array").
func Get(name string) safejs.Value {
	v, err := global.Get(name)
	if err != nil {
		return safejs.Undefined()
	}
	return v
}

// NewObject returns an empty plain JavaScript object.
func NewObject() safejs.Value {
	obj, err := Get("Object").New()
	if err != nil {
		panic(err) // cannot happen while the runtime is alive
	}
	return obj
}

// Set stores properties on obj; values go through safejs.ValueOf rules.
func Set(obj safejs.Value, kv ...any) error {
	for i := 0; i+1 < len(kv); i += 2 {
		if err := obj.Set(kv[i].(string), kv[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// Object builds a plain object from key/value pairs.
func Object(kv ...any) safejs.Value {
	obj := NewObject()
	if err := Set(obj, kv...); err != nil {
		panic(err)
	}
	return obj
}

// Array builds a JavaScript array.
func Array(items []any) safejs.Value {
	arr, err := Get("Array").New(len(items))
	if err != nil {
		panic(err)
	}
	for i, it := range items {
		if err := arr.SetIndex(i, it); err != nil {
			panic(err)
		}
	}
	return arr
}

// Error is a JavaScript value that was thrown or rejected.
type Error struct{ Value safejs.Value }

func (e *Error) Error() string {
	if msg, err := e.Value.Get("message"); err == nil && Kind(msg) == safejs.TypeString {
		s, _ := msg.String()
		return s
	}
	if s, err := Get("String").Invoke(e.Value); err == nil {
		str, _ := s.String()
		return str
	}
	return "a JavaScript error"
}

// Thrown returns the JavaScript value behind err, if any.
func Thrown(err error) (safejs.Value, bool) {
	var je *Error
	if errors.As(err, &je) {
		return je.Value, true
	}
	var sysErr js.Error
	if errors.As(err, &sysErr) {
		return safejs.Safe(sysErr.Value), true
	}
	return safejs.Undefined(), false
}

// FuncOf wraps fn so that a Go panic inside a callback becomes an error
// value instead of killing the wasm runtime.
func FuncOf(fn func(this safejs.Value, args []safejs.Value) any) safejs.Func {
	f, err := safejs.FuncOf(func(this safejs.Value, args []safejs.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				result = nil
				reportPanic(r)
			}
		}()
		return fn(this, args)
	})
	if err != nil {
		panic(err)
	}
	return f
}

func reportPanic(r any) {
	if c, err := global.Get("console"); err == nil {
		c.Call("error", fmt.Sprintf("tbackend: internal error: %v", r))
	}
}

// Noop is a JavaScript function that does nothing, for promise rejections
// the SDK expects and must not leave unhandled.
var Noop = FuncOf(func(safejs.Value, []safejs.Value) any { return nil })

// Ignore marks a promise's rejection as handled.
func Ignore(p safejs.Value, err error) {
	if err == nil && Kind(p) == safejs.TypeObject {
		p.Call("catch", Noop)
	}
}

// Promise runs work on a new goroutine and returns a Promise of its result.
// A Go callback given to JS must not block, so the work never runs on the
// caller's goroutine.
func Promise(work func() (any, error)) safejs.Value {
	var executor safejs.Func
	executor = FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			defer executor.Release()
			var (
				value any
				err   error
			)
			func() {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("internal error: %v", r)
					}
				}()
				value, err = work()
			}()
			if err != nil {
				reject.Invoke(ErrorValue(err))
				return
			}
			if _, ierr := resolve.Invoke(value); ierr != nil {
				reject.Invoke(ErrorValue(ierr))
			}
		}()
		return nil
	})
	p, err := Get("Promise").New(executor)
	if err != nil {
		executor.Release()
		panic(err)
	}
	return p
}

// Await blocks the calling goroutine (never a JS callback) until p settles.
// When ctx ends first it returns ctx.Err(); the promise keeps running.
func Await(ctx context.Context, p safejs.Value) (safejs.Value, error) {
	type outcome struct {
		value safejs.Value
		err   error
	}
	done := make(chan outcome, 1)
	onResolve := FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		done <- outcome{value: Arg(args, 0)}
		return nil
	})
	onReject := FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		done <- outcome{err: &Error{Value: Arg(args, 0)}}
		return nil
	})
	// Promise.resolve accepts plain values and foreign thenables alike.
	wrapped, err := Get("Promise").Call("resolve", p)
	if err == nil {
		_, err = wrapped.Call("then", onResolve, onReject)
	}
	if err != nil {
		onResolve.Release()
		onReject.Release()
		return safejs.Undefined(), err
	}
	select {
	case o := <-done:
		onResolve.Release()
		onReject.Release()
		return o.value, o.err
	case <-ctx.Done():
		// The callbacks may still fire; release them once they do.
		go func() {
			<-done
			onResolve.Release()
			onReject.Release()
		}()
		return safejs.Undefined(), ctx.Err()
	}
}

func Arg(args []safejs.Value, i int) safejs.Value {
	if i < len(args) {
		return args[i]
	}
	return safejs.Undefined()
}

// SignalContext returns a context cancelled when the AbortSignal aborts.
func SignalContext(parent context.Context, signal safejs.Value) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	if signal.IsUndefined() || signal.IsNull() {
		return ctx, cancel
	}
	if aborted, err := signal.Get("aborted"); err == nil {
		if yes, _ := aborted.Truthy(); yes {
			cancel()
			return ctx, cancel
		}
	}
	onAbort := FuncOf(func(safejs.Value, []safejs.Value) any { cancel(); return nil })
	if _, err := signal.Call("addEventListener", "abort", onAbort); err != nil {
		onAbort.Release()
		return ctx, cancel
	}
	return ctx, func() {
		cancel()
		signal.Call("removeEventListener", "abort", onAbort)
		onAbort.Release()
	}
}

// TypeBigInt is what kind reports for a bigint, which syscall/js cannot
// classify (its Type panics on one).
const TypeBigInt safejs.Type = -1

// Kind is v.Type() that never panics.
func Kind(v safejs.Value) (t safejs.Type) {
	defer func() {
		if recover() != nil {
			t = TypeBigInt
		}
	}()
	return v.Type()
}

// Global is the JavaScript global object.
func Global() safejs.Value { return global }
