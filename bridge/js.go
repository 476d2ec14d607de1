//go:build js && wasm

// Package bridge is the JavaScript glue of the SDK over safejs: promises,
// awaiting, argument reading, bytes, errors, the fetch transport and the
// exported functions that tbackend.js wraps into the public interface.
package bridge

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/hack-pad/safejs"
)

var global = safejs.Global()

// get reads a global constructor or object, e.g. get("Uint8Array").
func get(name string) safejs.Value {
	v, err := global.Get(name)
	if err != nil {
		return safejs.Undefined()
	}
	return v
}

// newObject returns an empty plain JavaScript object.
func newObject() safejs.Value {
	obj, err := get("Object").New()
	if err != nil {
		panic(err) // cannot happen while the runtime is alive
	}
	return obj
}

// set stores properties on obj; values go through safejs.ValueOf rules.
func set(obj safejs.Value, kv ...any) error {
	for i := 0; i+1 < len(kv); i += 2 {
		if err := obj.Set(kv[i].(string), kv[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// object builds a plain object from key/value pairs.
func object(kv ...any) safejs.Value {
	obj := newObject()
	if err := set(obj, kv...); err != nil {
		panic(err)
	}
	return obj
}

// array builds a JavaScript array.
func array(items []any) safejs.Value {
	arr, err := get("Array").New(len(items))
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

// jsError is a JavaScript value that was thrown or rejected.
type jsError struct{ value safejs.Value }

func (e *jsError) Error() string {
	if msg, err := e.value.Get("message"); err == nil && kind(msg) == safejs.TypeString {
		s, _ := msg.String()
		return s
	}
	if s, err := get("String").Invoke(e.value); err == nil {
		str, _ := s.String()
		return str
	}
	return "a JavaScript error"
}

// thrown returns the JavaScript value behind err, if any.
func thrown(err error) (safejs.Value, bool) {
	var je *jsError
	if errors.As(err, &je) {
		return je.value, true
	}
	var sysErr js.Error
	if errors.As(err, &sysErr) {
		return safejs.Safe(sysErr.Value), true
	}
	return safejs.Undefined(), false
}

// funcOf wraps fn so that a Go panic inside a callback becomes an error
// value instead of killing the wasm runtime.
func funcOf(fn func(this safejs.Value, args []safejs.Value) any) safejs.Func {
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

// noop is a JavaScript function that does nothing, for promise rejections
// the SDK expects and must not leave unhandled.
var noop = funcOf(func(safejs.Value, []safejs.Value) any { return nil })

// ignore marks a promise's rejection as handled.
func ignore(p safejs.Value, err error) {
	if err == nil && kind(p) == safejs.TypeObject {
		p.Call("catch", noop)
	}
}

// promise runs work on a new goroutine and returns a Promise of its result.
// A Go callback given to JS must not block, so the work never runs on the
// caller's goroutine.
func promise(work func() (any, error)) safejs.Value {
	var executor safejs.Func
	executor = funcOf(func(_ safejs.Value, args []safejs.Value) any {
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
				reject.Invoke(toJSError(err))
				return
			}
			if _, ierr := resolve.Invoke(value); ierr != nil {
				reject.Invoke(toJSError(ierr))
			}
		}()
		return nil
	})
	p, err := get("Promise").New(executor)
	if err != nil {
		executor.Release()
		panic(err)
	}
	return p
}

// await blocks the calling goroutine (never a JS callback) until p settles.
// When ctx ends first it returns ctx.Err(); the promise keeps running.
func await(ctx context.Context, p safejs.Value) (safejs.Value, error) {
	type outcome struct {
		value safejs.Value
		err   error
	}
	done := make(chan outcome, 1)
	onResolve := funcOf(func(_ safejs.Value, args []safejs.Value) any {
		done <- outcome{value: argOr(args, 0)}
		return nil
	})
	onReject := funcOf(func(_ safejs.Value, args []safejs.Value) any {
		done <- outcome{err: &jsError{value: argOr(args, 0)}}
		return nil
	})
	// Promise.resolve accepts plain values and foreign thenables alike.
	wrapped, err := get("Promise").Call("resolve", p)
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

func argOr(args []safejs.Value, i int) safejs.Value {
	if i < len(args) {
		return args[i]
	}
	return safejs.Undefined()
}

// signalContext returns a context cancelled when the AbortSignal aborts.
func signalContext(parent context.Context, signal safejs.Value) (context.Context, context.CancelFunc) {
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
	onAbort := funcOf(func(safejs.Value, []safejs.Value) any { cancel(); return nil })
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

// typeBigInt is what kind reports for a bigint, which syscall/js cannot
// classify (its Type panics on one).
const typeBigInt safejs.Type = -1

// kind is v.Type() that never panics.
func kind(v safejs.Value) (t safejs.Type) {
	defer func() {
		if recover() != nil {
			t = typeBigInt
		}
	}()
	return v.Type()
}
