package cbor

import (
	"bytes"
	"errors"

	"github.com/tbackend/sdk/cip30/internal/heapsort"
)

// Major types.
const (
	MajorUint  = 0
	MajorNint  = 1
	MajorBytes = 2
	MajorText  = 3
	MajorArray = 4
	MajorMap   = 5
	MajorTag   = 6
)

// AppendHead appends the shortest head for a major type and argument.
func AppendHead(b []byte, major byte, n uint64) []byte {
	m := major << 5
	switch {
	case n < 24:
		return append(b, m|byte(n))
	case n <= 0xff:
		return append(b, m|24, byte(n))
	case n <= 0xffff:
		return append(b, m|25, byte(n>>8), byte(n))
	case n <= 0xffffffff:
		return append(b, m|26, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(b, m|27, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32),
		byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// HeadSize is the length of the shortest head for argument n.
func HeadSize(n uint64) int {
	switch {
	case n < 24:
		return 1
	case n <= 0xff:
		return 2
	case n <= 0xffff:
		return 3
	case n <= 0xffffffff:
		return 5
	}
	return 9
}

// AppendUint appends an unsigned integer.
func AppendUint(b []byte, v uint64) []byte { return AppendHead(b, MajorUint, v) }

// AppendInt appends a signed integer.
func AppendInt(b []byte, v int64) []byte {
	if v >= 0 {
		return AppendHead(b, MajorUint, uint64(v))
	}
	return AppendHead(b, MajorNint, uint64(-1-v))
}

// AppendBytes appends a definite-length byte string.
func AppendBytes(b, p []byte) []byte {
	return append(AppendHead(b, MajorBytes, uint64(len(p))), p...)
}

// AppendText appends a definite-length text string; s must be valid UTF-8.
func AppendText(b []byte, s string) []byte {
	return append(AppendHead(b, MajorText, uint64(len(s))), s...)
}

// AppendArray appends the head of an array of n elements.
func AppendArray(b []byte, n int) []byte { return AppendHead(b, MajorArray, uint64(n)) }

// AppendMap appends the head of a map of n entries. The caller must write
// the keys in canonical order; MapBuilder does that.
func AppendMap(b []byte, n int) []byte { return AppendHead(b, MajorMap, uint64(n)) }

// AppendTag appends a tag head.
func AppendTag(b []byte, n uint64) []byte { return AppendHead(b, MajorTag, n) }

// AppendBool appends false or true.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 0xf5)
	}
	return append(b, 0xf4)
}

// AppendNull appends null.
func AppendNull(b []byte) []byte { return append(b, 0xf6) }

// KeyCompare orders encoded map keys canonically: the shorter encoding
// first, then bytewise (RFC 7049 §3.9, CIP-21).
func KeyCompare(a, b []byte) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return bytes.Compare(a, b)
}

// MapBuilder collects encoded keys and values and writes them as one
// canonical map.
type MapBuilder struct {
	entries []mapEntry
}

type mapEntry struct{ key, value []byte }

// Add adds an entry; key and value must each be one canonically encoded
// data item. The slices are kept, not copied.
func (m *MapBuilder) Add(key, value []byte) {
	m.entries = append(m.entries, mapEntry{key, value})
}

// ErrDuplicateKeyEncode reports two entries with the same key.
var ErrDuplicateKeyEncode = errors.New("cbor: duplicate map key")

// AppendTo appends the map with its keys in canonical order.
func (m *MapBuilder) AppendTo(b []byte) ([]byte, error) {
	e := m.entries
	heapsort.Sort(len(e), func(i, j int) bool { return KeyCompare(e[i].key, e[j].key) < 0 },
		func(i, j int) { e[i], e[j] = e[j], e[i] })
	for i := 1; i < len(m.entries); i++ {
		if bytes.Equal(m.entries[i-1].key, m.entries[i].key) {
			return b, ErrDuplicateKeyEncode
		}
	}
	b = AppendMap(b, len(m.entries))
	for _, e := range m.entries {
		b = append(b, e.key...)
		b = append(b, e.value...)
	}
	return b, nil
}

// EncodeCanonical returns the canonical encoding of an item: what a
// canonical encoder writes for the same value.
func EncodeCanonical(it *Item) ([]byte, error) { return AppendCanonical(nil, it) }

// AppendCanonical appends the canonical encoding of an item.
func AppendCanonical(b []byte, it *Item) ([]byte, error) {
	switch it.Kind {
	case KindUint:
		return AppendHead(b, MajorUint, it.Uint), nil
	case KindNint:
		return AppendHead(b, MajorNint, it.Uint), nil
	case KindBytes:
		return AppendBytes(b, it.Bytes), nil
	case KindText:
		return append(AppendHead(b, MajorText, uint64(len(it.Bytes))), it.Bytes...), nil
	case KindBool:
		return AppendBool(b, it.Uint != 0), nil
	case KindNull:
		return AppendNull(b), nil
	case KindTag:
		if len(it.Items) != 1 {
			return b, errors.New("cbor: a tag needs exactly one item")
		}
		return AppendCanonical(AppendTag(b, it.Uint), &it.Items[0])
	case KindArray:
		b = AppendArray(b, len(it.Items))
		var err error
		for i := range it.Items {
			if b, err = AppendCanonical(b, &it.Items[i]); err != nil {
				return b, err
			}
		}
		return b, nil
	case KindMap:
		if len(it.Items)%2 != 0 {
			return b, errors.New("cbor: a map needs an even number of items")
		}
		// Encode every key and value once into a scratch buffer, then
		// sort the entries by their encoded keys.
		var scratch []byte
		type span struct{ k0, k1, v1 int }
		spans := make([]span, len(it.Items)/2)
		var err error
		for i := range spans {
			k0 := len(scratch)
			if scratch, err = AppendCanonical(scratch, &it.Items[2*i]); err != nil {
				return b, err
			}
			k1 := len(scratch)
			if scratch, err = AppendCanonical(scratch, &it.Items[2*i+1]); err != nil {
				return b, err
			}
			spans[i] = span{k0, k1, len(scratch)}
		}
		var m MapBuilder
		m.entries = make([]mapEntry, len(spans))
		for i, s := range spans {
			m.entries[i] = mapEntry{scratch[s.k0:s.k1], scratch[s.k1:s.v1]}
		}
		return m.AppendTo(b)
	}
	return b, errors.New("cbor: cannot encode an item of " + it.Kind.String())
}
