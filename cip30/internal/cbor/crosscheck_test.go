package cbor

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"unicode/utf8"

	fxcbor "github.com/fxamacker/cbor/v2"
)

// fxamacker/cbor is the independent reference: a decoder configured as
// strictly as ours where it can be, and its canonical encoders.
var (
	fxDec = mustDecMode(fxcbor.DecOptions{
		DupMapKey:       fxcbor.DupMapKeyEnforcedAPF,
		IndefLength:     fxcbor.IndefLengthAllowed,
		MaxNestedLevels: 128,
		UTF8:            fxcbor.UTF8RejectInvalid,
		DefaultMapType:  reflect.TypeOf(map[any]any(nil)),
	})
	fxCanonical = mustEncMode(fxcbor.CanonicalEncOptions()) // RFC 7049 canonical: length-first keys
	fxCoreDet   = mustEncMode(fxcbor.CoreDetEncOptions())   // RFC 8949 core deterministic: bytewise keys
	fxCTAP2     = mustEncMode(ctap2WithTags())
)

// ctap2WithTags is CTAP2 canonical CBOR with tags allowed (CTAP2 itself
// forbids them; Cardano needs 24, 258 and 259).
func ctap2WithTags() fxcbor.EncOptions {
	o := fxcbor.CTAP2EncOptions()
	o.TagsMd = fxcbor.TagsAllowed
	return o
}

func mustDecMode(o fxcbor.DecOptions) fxcbor.DecMode {
	m, err := o.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}

func mustEncMode(o fxcbor.EncOptions) fxcbor.EncMode {
	m, err := o.EncMode()
	if err != nil {
		panic(err)
	}
	return m
}

// noReference reports items fxamacker cannot decode into plain Go values
// the same way: tags it interprets (times, bignums, encodings, the
// self-described tag) and map keys that are arrays, maps or tags.
func noReference(it *Item) bool {
	switch it.Kind {
	case KindTag:
		switch it.Uint {
		case 0, 1, 2, 3, 21, 22, 23, 55799:
			return true
		}
	case KindMap:
		for i := 0; i < len(it.Items); i += 2 {
			switch it.Items[i].Kind {
			case KindArray, KindMap, KindTag:
				return true
			}
		}
	}
	for i := range it.Items {
		if noReference(&it.Items[i]) {
			return true
		}
	}
	return false
}

// stricter lists the errors where this decoder refuses on purpose what
// fxamacker accepts: floats and simple values Cardano never uses, a text
// chunk that splits a character, and the size limits.
func stricter(err error) bool {
	return errors.Is(err, ErrUnsupported) || errors.Is(err, ErrTooLarge) ||
		errors.Is(err, ErrTooDeep) || errors.Is(err, ErrInvalidUTF8)
}

// checkInvariants: the raw span is the input, every child's raw span
// decodes to the same value, and canonical encoding is a fixed point.
func checkInvariants(t testing.TB, data []byte, it *Item) {
	t.Helper()
	if !bytes.Equal(it.Raw, data) {
		t.Fatalf("raw span %x != input %x", it.Raw, data)
	}
	canon, err := EncodeCanonical(it)
	if err != nil {
		t.Fatalf("canonical: %v", err)
	}
	again, err := Decode(canon, Limits{MaxSize: len(canon) + 1})
	if err != nil {
		t.Fatalf("canonical %x does not decode: %v", canon, err)
	}
	canon2, _ := EncodeCanonical(&again)
	if !bytes.Equal(canon, canon2) {
		t.Fatalf("canonical not stable: %x then %x", canon, canon2)
	}
	var walk func(*Item)
	walk = func(x *Item) {
		for i := range x.Items {
			c := &x.Items[i]
			d, err := Decode(c.Raw, Limits{})
			if err != nil {
				t.Fatalf("child span %x: %v", c.Raw, err)
			}
			a, _ := EncodeCanonical(c)
			b, _ := EncodeCanonical(&d)
			if !bytes.Equal(a, b) {
				t.Fatalf("child span %x decodes differently", c.Raw)
			}
			walk(c)
		}
	}
	walk(it)
}

// crossCheck decodes data with both decoders and compares the canonical
// encodings of what they decoded.
func crossCheck(t testing.TB, data []byte) {
	t.Helper()
	ours, errOurs := Decode(data, Limits{})
	var v any
	errFx := fxDec.Unmarshal(data, &v)
	if errOurs != nil {
		var e *Error
		if !errors.As(errOurs, &e) {
			t.Fatalf("error %T is not *Error: %v", errOurs, errOurs)
		}
		if errFx == nil && !stricter(errOurs) {
			t.Fatalf("%x: we reject (%v), fxamacker accepts %#v", data, errOurs, v)
		}
		return
	}
	checkInvariants(t, data, &ours)
	if noReference(&ours) {
		return
	}
	if errFx != nil {
		t.Fatalf("%x: we accept, fxamacker rejects: %v", data, errFx)
	}
	want, err := fxCanonical.Marshal(v)
	if err != nil {
		t.Fatalf("fxamacker marshal: %v", err)
	}
	got, _ := EncodeCanonical(&ours)
	if !bytes.Equal(got, want) {
		t.Fatalf("%x: canonical %x, fxamacker %x", data, got, want)
	}
}

func TestCrossCheckDecode(t *testing.T) {
	for _, s := range seedInputs {
		crossCheck(t, mustHex(t, s))
	}
}

// gen turns fuzz bytes into a value, built both as an Item and as the Go
// value fxamacker encodes.
type gen struct {
	b       []byte
	uniform bool // every map's keys share one major type
}

func (g *gen) next() byte {
	if len(g.b) == 0 {
		return 0
	}
	c := g.b[0]
	g.b = g.b[1:]
	return c
}

func (g *gen) uint() uint64 {
	switch n := g.next(); n % 5 {
	case 0:
		return uint64(n / 5 % 24)
	case 1:
		return uint64(g.next())
	case 2:
		return uint64(g.next())<<8 | uint64(g.next())
	case 3:
		return uint64(g.next())<<24 | uint64(g.next())<<16 | uint64(g.next())<<8 | uint64(g.next())
	default:
		var v uint64
		for range 8 {
			v = v<<8 | uint64(g.next())
		}
		return v
	}
}

func (g *gen) str() []byte {
	n := int(g.next() % 40)
	b := make([]byte, 0, n)
	for range n {
		b = append(b, g.next())
	}
	return b
}

func (g *gen) text() string {
	n := int(g.next() % 12)
	var b []byte
	for range n {
		r := rune(g.next())
		if g.next()%4 == 0 {
			r = r<<8 | rune(g.next())
		}
		if !utf8.ValidRune(r) {
			r = 'x'
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

func (g *gen) scalar(kind byte) (any, Item) {
	switch kind % 4 {
	case 0:
		v := g.uint()
		return v, Item{Kind: KindUint, Uint: v}
	case 1:
		v := int64(g.uint() >> 1)
		return -1 - v, Item{Kind: KindNint, Uint: uint64(v)}
	case 2:
		b := g.str()
		return fxcbor.ByteString(b), Item{Kind: KindBytes, Bytes: b}
	default:
		s := g.text()
		return s, Item{Kind: KindText, Bytes: []byte(s)}
	}
}

func (g *gen) value(depth int) (any, Item) {
	k := g.next()
	if depth > 4 {
		k %= 4
	}
	switch k % 10 {
	case 0, 1, 2, 3:
		v, it := g.scalar(k)
		if b, ok := v.(fxcbor.ByteString); ok {
			return []byte(b), it
		}
		return v, it
	case 4, 5:
		n := int(g.next() % 6)
		vs := []any{}
		it := Item{Kind: KindArray}
		for range n {
			v, c := g.value(depth + 1)
			vs = append(vs, v)
			it.Items = append(it.Items, c)
		}
		return vs, it
	case 6, 7:
		n := int(g.next() % 6)
		m := map[any]any{}
		it := Item{Kind: KindMap}
		keyKind := g.next()
		for range n {
			kk := g.next()
			if g.uniform {
				kk = keyKind
			}
			kv, ki := g.scalar(kk)
			if _, dup := m[kv]; dup {
				continue
			}
			v, vi := g.value(depth + 1)
			m[kv] = v
			it.Items = append(it.Items, ki, vi)
		}
		return m, it
	case 8:
		num := g.uint()
		switch num {
		case 0, 1, 2, 3, 21, 22, 23, 55799:
			num = 258
		}
		v, c := g.value(depth + 1)
		return fxcbor.Tag{Number: num, Content: v}, Item{Kind: KindTag, Uint: num, Items: []Item{c}}
	default:
		switch g.next() % 3 {
		case 0:
			return false, Item{Kind: KindBool}
		case 1:
			return true, Item{Kind: KindBool, Uint: 1}
		}
		return nil, Item{Kind: KindNull}
	}
}

// checkEncode compares our canonical encoding of a generated value with
// fxamacker's canonical encoders.
func checkEncode(t testing.TB, seed []byte) {
	t.Helper()
	for _, uniform := range []bool{false, true} {
		g := gen{b: seed, uniform: uniform}
		v, it := g.value(0)
		got, err := EncodeCanonical(&it)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		want, err := fxCanonical.Marshal(v)
		if err != nil {
			t.Fatalf("fxamacker: %v", err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("canonical %x, fxamacker CanonicalEncOptions %x", got, want)
		}
		if uniform {
			// With one key type per map, length-first and bytewise order
			// agree, so RFC 8949 core deterministic and CTAP2 match too.
			for name, m := range map[string]fxcbor.EncMode{"CoreDet": fxCoreDet, "CTAP2": fxCTAP2} {
				want, err := m.Marshal(v)
				if err != nil {
					t.Fatalf("fxamacker %s: %v", name, err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("canonical %x, fxamacker %s %x", got, name, want)
				}
			}
		}
		back, err := Decode(got, Limits{})
		if err != nil {
			t.Fatalf("decode own encoding %x: %v", got, err)
		}
		again, _ := EncodeCanonical(&back)
		if !bytes.Equal(again, got) || !bytes.Equal(back.Raw, got) {
			t.Fatalf("round trip %x -> %x", got, again)
		}
	}
}

func TestCrossCheckEncode(t *testing.T) {
	for i := range 2000 {
		seed := make([]byte, 64)
		x := uint32(i*2654435761 + 1)
		for j := range seed {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			seed[j] = byte(x)
		}
		checkEncode(t, seed)
	}
}

// The mixed-key case where the two deterministic orders differ.
func TestKeyOrderDiffers(t *testing.T) {
	v := map[any]any{uint64(24): 1, fxcbor.ByteString(""): 2}
	it := Item{Kind: KindMap, Items: []Item{
		{Kind: KindUint, Uint: 24}, {Kind: KindUint, Uint: 1},
		{Kind: KindBytes}, {Kind: KindUint, Uint: 2},
	}}
	got, _ := EncodeCanonical(&it)
	canon, _ := fxCanonical.Marshal(v)
	core, _ := fxCoreDet.Marshal(v)
	if !bytes.Equal(got, canon) || bytes.Equal(got, core) {
		t.Errorf("ours %x, canonical %x, core deterministic %x", got, canon, core)
	}
}
