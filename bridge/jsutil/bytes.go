//go:build js && wasm

package jsutil

import "github.com/hack-pad/safejs"

func InstanceOf(v safejs.Value, class string) bool {
	c := Get(class)
	if Kind(c) != safejs.TypeFunction || Kind(v) != safejs.TypeObject {
		return false
	}
	ok, _ := v.InstanceOf(c)
	return ok
}

// Bytes copies a Uint8Array or ArrayBuffer into Go.
func Bytes(v safejs.Value) ([]byte, bool) {
	if InstanceOf(v, "ArrayBuffer") {
		u, err := Get("Uint8Array").New(v)
		if err != nil {
			return nil, false
		}
		v = u
	} else if !InstanceOf(v, "Uint8Array") {
		return nil, false
	}
	n, err := v.Length()
	if err != nil {
		return nil, false
	}
	b := make([]byte, n)
	if _, err := safejs.CopyBytesToGo(b, v); err != nil {
		return nil, false
	}
	return b, true
}

// Uint8Array copies b into a new Uint8Array.
func Uint8Array(b []byte) safejs.Value {
	u, err := Get("Uint8Array").New(len(b))
	if err != nil {
		panic(err)
	}
	safejs.CopyBytesToJS(u, b)
	return u
}
