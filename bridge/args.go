//go:build js && wasm

package bridge

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

var errBadArgument = errors.New("bad argument")

// fields reads typed properties of a JavaScript options object. The first
// problem is kept and reported by err(); later reads return zero values.
type fields struct {
	obj  safejs.Value
	what string
	fail error
}

func readFields(v safejs.Value, what string) *fields {
	f := &fields{obj: v, what: what}
	switch kind(v) {
	case safejs.TypeUndefined, safejs.TypeNull, safejs.TypeObject, safejs.TypeFunction:
	default:
		f.fail = badArgument("%s must be an object", what)
	}
	return f
}

func badArgument(format string, args ...any) error {
	return &client.Error{Code: client.CodeInvalidRequest, Message: fmt.Sprintf(format, args...), Err: errBadArgument}
}

func (f *fields) err() error { return f.fail }

// get returns the property, undefined when absent, null counted as absent.
func (f *fields) get(name string) safejs.Value {
	if f.fail != nil || f.obj.IsUndefined() || f.obj.IsNull() {
		return safejs.Undefined()
	}
	v, err := f.obj.Get(name)
	if err != nil || v.IsNull() {
		return safejs.Undefined()
	}
	return v
}

func (f *fields) wrong(name, want string) {
	if f.fail == nil {
		f.fail = badArgument("%s.%s must be %s", f.what, name, want)
	}
}

func (f *fields) has(name string) bool { return !f.get(name).IsUndefined() }

func (f *fields) str(name string) string {
	v := f.get(name)
	if v.IsUndefined() {
		return ""
	}
	if kind(v) != safejs.TypeString {
		f.wrong(name, "a string")
		return ""
	}
	s, _ := v.String()
	return s
}

func (f *fields) number(name string) (float64, bool) {
	v := f.get(name)
	if v.IsUndefined() {
		return 0, false
	}
	if kind(v) != safejs.TypeNumber || v.IsNaN() {
		f.wrong(name, "a number")
		return 0, false
	}
	n, _ := v.Float()
	return n, true
}

func (f *fields) integer(name string) int {
	n, ok := f.number(name)
	if !ok {
		return 0
	}
	if n != math.Trunc(n) || math.Abs(n) > 1<<31 {
		f.wrong(name, "a whole number")
		return 0
	}
	return int(n)
}

func (f *fields) optFloat(name string) *float64 {
	if n, ok := f.number(name); ok {
		return &n
	}
	return nil
}

func (f *fields) boolean(name string) bool {
	v := f.get(name)
	if v.IsUndefined() {
		return false
	}
	if kind(v) != safejs.TypeBoolean {
		f.wrong(name, "true or false")
		return false
	}
	b, _ := v.Bool()
	return b
}

// millis reads a duration given in milliseconds.
func (f *fields) millis(name string) time.Duration {
	n, ok := f.number(name)
	if !ok {
		return 0
	}
	if n <= 0 || n > 24*3600*1000 {
		f.wrong(name, "a positive number of milliseconds")
		return 0
	}
	return time.Duration(n * float64(time.Millisecond))
}

// json returns the property as JSON text (JSON.stringify), or nil.
func (f *fields) json(name string) json.RawMessage {
	v := f.get(name)
	if v.IsUndefined() {
		return nil
	}
	s, err := get("JSON").Call("stringify", v)
	if err != nil || kind(s) != safejs.TypeString {
		f.wrong(name, "JSON-serialisable")
		return nil
	}
	str, _ := s.String()
	return json.RawMessage(str)
}

// strings reads an object of string values (headers, query).
func (f *fields) stringMap(name string) map[string]string {
	v := f.get(name)
	if v.IsUndefined() {
		return nil
	}
	if kind(v) != safejs.TypeObject {
		f.wrong(name, "an object of strings")
		return nil
	}
	keys, err := get("Object").Call("keys", v)
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
		switch kind(val) {
		case safejs.TypeString:
			out[key], _ = val.String()
		case safejs.TypeNumber, safejs.TypeBoolean:
			s, _ := get("String").Invoke(val)
			out[key], _ = s.String()
		default:
			f.wrong(name+"."+key, "a string")
			return nil
		}
	}
	return out
}

// stringList reads an array of strings.
func (f *fields) stringList(name string) []string {
	v := f.get(name)
	if v.IsUndefined() {
		return nil
	}
	isArray, _ := get("Array").Call("isArray", v)
	if ok, _ := isArray.Bool(); !ok {
		f.wrong(name, "an array of strings")
		return nil
	}
	n, _ := v.Length()
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		item, _ := v.Index(i)
		if kind(item) != safejs.TypeString {
			f.wrong(name, "an array of strings")
			return nil
		}
		s, _ := item.String()
		out = append(out, s)
	}
	return out
}

// lovelace reads an amount given as a number, a decimal string or a bigint.
func (f *fields) lovelace(name string) (uint64, bool) {
	v := f.get(name)
	var text string
	switch kind(v) {
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
		s, err := get("String").Invoke(v)
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

// function returns the property if it is a function.
func (f *fields) function(name string) (safejs.Value, bool) {
	v := f.get(name)
	if v.IsUndefined() {
		return v, false
	}
	if kind(v) != safejs.TypeFunction {
		f.wrong(name, "a function")
		return safejs.Undefined(), false
	}
	return v, true
}
