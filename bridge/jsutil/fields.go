//go:build js && wasm

package jsutil

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/client"
)

var ErrBadArgument = errors.New("bad argument")

// Fields reads typed properties of a JavaScript options object. The first
// problem is kept and reported by err(); later reads return zero values.
type Fields struct {
	obj  safejs.Value
	what string
	fail error
}

func ReadFields(v safejs.Value, what string) *Fields {
	f := &Fields{obj: v, what: what}
	switch Kind(v) {
	case safejs.TypeUndefined, safejs.TypeNull, safejs.TypeObject, safejs.TypeFunction:
	default:
		f.fail = BadArgument("%s must be an object", what)
	}
	return f
}

func BadArgument(format string, args ...any) error {
	return &client.Error{Code: client.CodeInvalidRequest, Message: fmt.Sprintf(format, args...), Err: ErrBadArgument}
}

func (f *Fields) Err() error { return f.fail }

// Get returns the property, undefined when absent, null counted as absent.
func (f *Fields) Get(name string) safejs.Value {
	if f.fail != nil || f.obj.IsUndefined() || f.obj.IsNull() {
		return safejs.Undefined()
	}
	v, err := f.obj.Get(name)
	if err != nil || v.IsNull() {
		return safejs.Undefined()
	}
	return v
}

func (f *Fields) wrong(name, want string) {
	if f.fail == nil {
		f.fail = BadArgument("%s.%s must be %s", f.what, name, want)
	}
}

func (f *Fields) Has(name string) bool { return !f.Get(name).IsUndefined() }

func (f *Fields) String(name string) string {
	v := f.Get(name)
	if v.IsUndefined() {
		return ""
	}
	if Kind(v) != safejs.TypeString {
		f.wrong(name, "a string")
		return ""
	}
	s, _ := v.String()
	return s
}

func (f *Fields) Number(name string) (float64, bool) {
	v := f.Get(name)
	if v.IsUndefined() {
		return 0, false
	}
	if Kind(v) != safejs.TypeNumber || v.IsNaN() {
		f.wrong(name, "a number")
		return 0, false
	}
	n, _ := v.Float()
	return n, true
}

func (f *Fields) Integer(name string) int {
	n, ok := f.Number(name)
	if !ok {
		return 0
	}
	if n != math.Trunc(n) || math.Abs(n) > 1<<31 {
		f.wrong(name, "a whole number")
		return 0
	}
	return int(n)
}

func (f *Fields) OptFloat(name string) *float64 {
	if n, ok := f.Number(name); ok {
		return &n
	}
	return nil
}

func (f *Fields) Boolean(name string) bool {
	v := f.Get(name)
	if v.IsUndefined() {
		return false
	}
	if Kind(v) != safejs.TypeBoolean {
		f.wrong(name, "true or false")
		return false
	}
	b, _ := v.Bool()
	return b
}

// Millis reads a duration given in milliseconds.
func (f *Fields) Millis(name string) time.Duration {
	n, ok := f.Number(name)
	if !ok {
		return 0
	}
	if n <= 0 || n > 24*3600*1000 {
		f.wrong(name, "a positive number of milliseconds")
		return 0
	}
	return time.Duration(n * float64(time.Millisecond))
}

// JSON returns the property as JSON text (JSON.stringify), or nil.
func (f *Fields) JSON(name string) json.RawMessage {
	v := f.Get(name)
	if v.IsUndefined() {
		return nil
	}
	s, err := Get("JSON").Call("stringify", v)
	if err != nil || Kind(s) != safejs.TypeString {
		f.wrong(name, "JSON-serialisable")
		return nil
	}
	str, _ := s.String()
	return json.RawMessage(str)
}

// StringMap reads an object of string values (headers, query).
func (f *Fields) StringMap(name string) map[string]string {
	v := f.Get(name)
	if v.IsUndefined() {
		return nil
	}
	if Kind(v) != safejs.TypeObject {
		f.wrong(name, "an object of strings")
		return nil
	}
	keys, err := Get("Object").Call("keys", v)
	if err != nil {
		f.wrong(name, "an object of strings")
		return nil
	}
	n, _ := keys.Length()
	out := make(map[string]string, n)
	for i := 0; i < n; i++ {
		k, _ := keys.Index(i)
		key, _ := k.String()
		val, _ := v.Get(key)
		switch Kind(val) {
		case safejs.TypeString:
			out[key], _ = val.String()
		case safejs.TypeNumber, safejs.TypeBoolean:
			s, _ := Get("String").Invoke(val)
			out[key], _ = s.String()
		default:
			f.wrong(name+"."+key, "a string")
			return nil
		}
	}
	return out
}

// StringList reads an array of strings.
func (f *Fields) StringList(name string) []string {
	v := f.Get(name)
	if v.IsUndefined() {
		return nil
	}
	isArray, _ := Get("Array").Call("isArray", v)
	if ok, _ := isArray.Bool(); !ok {
		f.wrong(name, "an array of strings")
		return nil
	}
	n, _ := v.Length()
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		item, _ := v.Index(i)
		if Kind(item) != safejs.TypeString {
			f.wrong(name, "an array of strings")
			return nil
		}
		s, _ := item.String()
		out = append(out, s)
	}
	return out
}

// Lovelace reads an amount given as a number, a decimal string or a bigint.
func (f *Fields) Lovelace(name string) (uint64, bool) {
	v := f.Get(name)
	var text string
	switch Kind(v) {
	case safejs.TypeUndefined:
		return 0, false
	case safejs.TypeNumber:
		n, _ := v.Float()
		if n < 0 || n != math.Trunc(n) || n > 1<<53 {
			f.wrong(name, "a whole, non-negative number of lovelace (use a string or bigint above 2^53)")
			return 0, false
		}
		return uint64(n), true
	case safejs.TypeString:
		text, _ = v.String()
	default:
		s, err := Get("String").Invoke(v)
		if err != nil {
			f.wrong(name, "a lovelace amount")
			return 0, false
		}
		text, _ = s.String()
	}
	text = strings.TrimSpace(text)
	n, err := strconv.ParseUint(text, 10, 64)
	if err != nil || strings.HasPrefix(text, "+") {
		f.wrong(name, "a whole number of lovelace")
		return 0, false
	}
	return n, true
}

// Function returns the property if it is a function.
func (f *Fields) Function(name string) (safejs.Value, bool) {
	v := f.Get(name)
	if v.IsUndefined() {
		return v, false
	}
	if Kind(v) != safejs.TypeFunction {
		f.wrong(name, "a function")
		return safejs.Undefined(), false
	}
	return v, true
}
