package sandbox

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// fieldError is one item of a FastAPI 422 answer, as pydantic v2 reports it
// (FastAPI leaves out the "url" key).
type fieldError struct {
	Type  string         `json:"type"`
	Loc   []any          `json:"loc"`
	Msg   string         `json:"msg"`
	Input any            `json:"input"`
	Ctx   map[string]any `json:"ctx,omitempty"`
}

// writeValidation answers 422 {"detail":[...]}.
func writeValidation(w http.ResponseWriter, errs []fieldError) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": errs})
}

// maxEcho bounds the size of an input string echoed back in an error: FastAPI
// echoes everything, the sandbox cuts a 30 MB image down to this.
const maxEcho = 40000

// echo returns v as it is put in an error's "input", long strings shortened.
func echo(v any) any {
	switch t := v.(type) {
	case string:
		if len(t) > maxEcho {
			cut := maxEcho
			for cut > 0 && !utf8.RuneStart(t[cut]) {
				cut--
			}
			return t[:cut] + "…"
		}
		return t
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = echo(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = echo(x)
		}
		return l
	}
	return v
}

// fields reads named values from one source (a JSON body object, a query, a
// form) and collects pydantic-style errors for all of them, in order.
type fields struct {
	where  string         // "body", "query", "header"
	values map[string]any // JSON values, or strings for query/form/header
	whole  any            // the input reported for a missing field
	errs   []fieldError
}

func newFields(where string, values map[string]any) *fields {
	f := &fields{where: where, values: values}
	if where == "body" {
		f.whole = values
	}
	return f
}

func (f *fields) fail(typ string, loc []any, msg string, input any, ctx map[string]any) {
	f.errs = append(f.errs, fieldError{Type: typ, Loc: loc, Msg: msg, Input: echo(input), Ctx: ctx})
}

func (f *fields) loc(name string, more ...any) []any {
	return append([]any{f.where, name}, more...)
}

// get returns the value of name; present is false when it is absent or null
// (pydantic's Optional with a None default). A required field that is absent
// is reported as missing.
func (f *fields) get(name string, required bool) (v any, present bool) {
	v, ok := f.values[name]
	if !ok {
		if required {
			f.fail("missing", f.loc(name), "Field required", echo(f.whole), nil)
		}
		return nil, false
	}
	if v == nil && !required {
		return nil, false
	}
	return v, true
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// checkLen applies min_length/max_length (in characters, as Python counts).
func (f *fields) checkLen(loc []any, s string, min, max int) bool {
	n := utf8.RuneCountInString(s)
	if min > 0 && n < min {
		f.fail("string_too_short", loc, "String should have at least "+plural(min, "character"), s, map[string]any{"min_length": min})
		return false
	}
	if max > 0 && n > max {
		f.fail("string_too_long", loc, "String should have at most "+plural(max, "character"), s, map[string]any{"max_length": max})
		return false
	}
	return true
}

// str reads a string with length bounds (0 = unbounded).
func (f *fields) str(name string, required bool, min, max int) (string, bool) {
	v, ok := f.get(name, required)
	if !ok {
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		f.fail("string_type", f.loc(name), "Input should be a valid string", v, nil)
		return "", false
	}
	if !f.checkLen(f.loc(name), s, min, max) {
		return "", false
	}
	return s, true
}

// pattern reads an optional string that must match re (shown as src).
func (f *fields) pattern(name string, re *regexp.Regexp, src string) (string, bool) {
	s, ok := f.str(name, false, 0, 0)
	if !ok {
		return "", false
	}
	if !re.MatchString(s) {
		f.fail("string_pattern_mismatch", f.loc(name), "String should match pattern '"+src+"'", s, map[string]any{"pattern": src})
		return "", false
	}
	return s, true
}

// choice reads an optional string among allowed. typ is "literal_error" for a
// Literal field, "enum" for an Enum one.
func (f *fields) choice(name, typ string, allowed ...string) (string, bool) {
	v, ok := f.get(name, false)
	if !ok {
		return "", false
	}
	if s, isStr := v.(string); isStr {
		for _, a := range allowed {
			if s == a {
				return s, true
			}
		}
	}
	exp := expected(allowed)
	f.fail(typ, f.loc(name), "Input should be "+exp, v, map[string]any{"expected": exp})
	return "", false
}

// expected formats choices as pydantic does: 'a', 'b' or 'c'.
func expected(allowed []string) string {
	q := make([]string, len(allowed))
	for i, a := range allowed {
		q[i] = "'" + a + "'"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// integer reads an optional int in [min, max] (pydantic lax mode: numeric
// strings and whole floats are accepted).
func (f *fields) integer(name string, min, max int64) (int64, bool) {
	v, ok := f.get(name, false)
	if !ok {
		return 0, false
	}
	loc := f.loc(name)
	var n int64
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			n = i
		} else if x, err := t.Float64(); err == nil && x == math.Trunc(x) && math.Abs(x) < 1e18 {
			n = int64(x)
		} else if err == nil {
			f.fail("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", v, nil)
			return 0, false
		} else {
			f.fail("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", v, nil)
			return 0, false
		}
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
		if err != nil {
			f.fail("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", v, nil)
			return 0, false
		}
		n = i
	case bool:
		if t {
			n = 1
		}
	default:
		f.fail("int_type", loc, "Input should be a valid integer", v, nil)
		return 0, false
	}
	return n, f.bounds(loc, v, float64(n), float64(min), float64(max))
}

// number reads an optional float in [min, max].
func (f *fields) number(name string, min, max float64) (float64, bool) {
	v, ok := f.get(name, false)
	if !ok {
		return 0, false
	}
	loc := f.loc(name)
	var x float64
	switch t := v.(type) {
	case json.Number:
		y, err := t.Float64()
		if err != nil {
			f.fail("float_parsing", loc, "Input should be a valid number, unable to parse string as a number", v, nil)
			return 0, false
		}
		x = y
	case string:
		y, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err != nil || math.IsNaN(y) || math.IsInf(y, 0) {
			f.fail("float_parsing", loc, "Input should be a valid number, unable to parse string as a number", v, nil)
			return 0, false
		}
		x = y
	case bool:
		if t {
			x = 1
		}
	default:
		f.fail("float_type", loc, "Input should be a valid number", v, nil)
		return 0, false
	}
	return x, f.bounds(loc, v, x, min, max)
}

func (f *fields) bounds(loc []any, v any, x, min, max float64) bool {
	if x < min {
		f.fail("greater_than_equal", loc, "Input should be greater than or equal to "+num(min), v, map[string]any{"ge": jsonNum(min)})
		return false
	}
	if x > max {
		f.fail("less_than_equal", loc, "Input should be less than or equal to "+num(max), v, map[string]any{"le": jsonNum(max)})
		return false
	}
	return true
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func jsonNum(x float64) any {
	if x == math.Trunc(x) {
		return int64(x)
	}
	return x
}

// boolean reads an optional bool (lax: "true", "yes", "1", 0/1 ...).
func (f *fields) boolean(name string) (bool, bool) {
	v, ok := f.get(name, false)
	if !ok {
		return false, false
	}
	switch t := v.(type) {
	case bool:
		return t, true
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "1", "on", "t", "true", "y", "yes":
			return true, true
		case "0", "off", "f", "false", "n", "no":
			return false, true
		}
	case json.Number:
		switch t.String() {
		case "1", "1.0":
			return true, true
		case "0", "0.0":
			return false, true
		}
	default:
		f.fail("bool_type", f.loc(name), "Input should be a valid boolean", v, nil)
		return false, false
	}
	f.fail("bool_parsing", f.loc(name), "Input should be a valid boolean, unable to interpret input", v, nil)
	return false, false
}

// object reads an optional JSON object.
func (f *fields) object(name string) (map[string]any, bool) {
	v, ok := f.get(name, false)
	if !ok {
		return nil, false
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		f.fail("dict_type", f.loc(name), "Input should be a valid dictionary", v, nil)
		return nil, false
	}
	return m, true
}

// strList reads a list of strings with min..max items.
func (f *fields) strList(name string, required bool, min, max int) ([]string, bool) {
	v, ok := f.get(name, required)
	if !ok {
		return nil, false
	}
	loc := f.loc(name)
	l, isList := v.([]any)
	if !isList {
		f.fail("list_type", loc, "Input should be a valid list", v, nil)
		return nil, false
	}
	if len(l) < min {
		f.fail("too_short", loc, fmt.Sprintf("List should have at least %s after validation, not %d", plural(min, "item"), len(l)), v,
			map[string]any{"field_type": "List", "min_length": min, "actual_length": len(l)})
		return nil, false
	}
	if len(l) > max {
		f.fail("too_long", loc, fmt.Sprintf("List should have at most %s after validation, not %d", plural(max, "item"), len(l)), v,
			map[string]any{"field_type": "List", "max_length": max, "actual_length": len(l)})
		return nil, false
	}
	out := make([]string, len(l))
	good := true
	for i, x := range l {
		s, isStr := x.(string)
		if !isStr {
			f.fail("string_type", f.loc(name, i), "Input should be a valid string", x, nil)
			good = false
		}
		out[i] = s
	}
	return out, good
}

// uuid4 reads an optional UUID that must be version 4, in any form pydantic
// accepts (hyphenated, 32 hex digits, braces, urn:uuid: prefix). It returns
// the canonical lower-case hyphenated form.
func (f *fields) uuid4(name string) (string, bool) {
	v, ok := f.get(name, false)
	if !ok {
		return "", false
	}
	loc := f.loc(name)
	s, isStr := v.(string)
	if !isStr {
		f.fail("uuid_type", loc, "UUID input should be a string, bytes or UUID object", v, nil)
		return "", false
	}
	canon, reason := parseUUID(s)
	if reason != "" {
		f.fail("uuid_parsing", loc, "Input should be a valid UUID, "+reason, v, map[string]any{"error": reason})
		return "", false
	}
	if canon[14] != '4' {
		f.fail("uuid_version", loc, "UUID version 4 expected", v, map[string]any{"expected_version": 4})
		return "", false
	}
	return canon, true
}

// parseUUID returns the canonical form of s, or why it is not a UUID.
func parseUUID(s string) (string, string) {
	t := strings.TrimPrefix(strings.ToLower(s), "urn:uuid:")
	if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
		t = t[1 : len(t)-1]
	}
	for i, c := range t {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == '-') {
			return "", fmt.Sprintf("invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `%c` at %d", c, i+1)
		}
	}
	hexOnly := strings.ReplaceAll(t, "-", "")
	groups := strings.Split(t, "-")
	switch {
	case len(groups) == 1 && len(t) != 32:
		return "", fmt.Sprintf("invalid length: expected length 32 for simple format, found %d", len(t))
	case len(groups) != 1 && len(groups) != 5:
		return "", fmt.Sprintf("invalid group count: expected 5, found %d", len(groups))
	case len(groups) == 5:
		want := []int{8, 4, 4, 4, 12}
		for i, g := range groups {
			if len(g) != want[i] {
				return "", fmt.Sprintf("invalid group length in group %d: expected %d, found %d", i, want[i], len(g))
			}
		}
	}
	h := hexOnly
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32], ""
}
