// Package cbor is a small CBOR codec for Cardano data: a strict decoder for
// untrusted bytes that keeps the exact byte span of every item it decodes,
// and a canonical encoder (CIP-21 / RFC 7049 §3.9 canonical CBOR: definite
// lengths, shortest heads, map keys shorter-first then bytewise, no
// duplicate keys).
//
// It exists instead of a general-purpose library because the browser build
// has a tight size budget: it uses no reflection, no math/big and no floats.
package cbor

import (
	"errors"
	"strconv"
)

// Kind is the type of a decoded item.
type Kind uint8

const (
	KindUint  Kind = iota + 1 // unsigned integer: Item.Uint
	KindNint                  // negative integer: the value is -1 - Item.Uint
	KindBytes                 // byte string: Item.Bytes
	KindText                  // UTF-8 text string: Item.Bytes
	KindArray                 // array: Item.Items
	KindMap                   // map: Item.Items holds key, value, key, value…
	KindTag                   // tag Item.Uint around Item.Items[0]
	KindBool                  // false or true: Item.Uint is 0 or 1
	KindNull                  // null
)

var kindNames = [...]string{"invalid", "unsigned integer", "negative integer", "byte string", "text string", "array", "map", "tag", "boolean", "null"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind " + strconv.Itoa(int(k))
}

// Item is one decoded CBOR data item.
type Item struct {
	Kind Kind
	// Raw is the exact encoding of the item as it appeared in the input
	// (a sub-slice of it): hash these bytes, never a re-encoding.
	Raw []byte
	// Uint is the value of an unsigned integer, the argument n of a
	// negative integer (-1-n), a tag number, or 0/1 for a boolean.
	Uint uint64
	// Bytes is the content of a byte or text string. For an
	// indefinite-length string it is the concatenation of the chunks.
	Bytes []byte
	// Items are the elements of an array, the keys and values of a map
	// (interleaved), or the single content item of a tag.
	Items []Item
	// Indefinite reports that the input used an indefinite-length form.
	Indefinite bool
}

// Len is the number of elements of an array or entries of a map.
func (it *Item) Len() int {
	switch it.Kind {
	case KindMap:
		return len(it.Items) / 2
	case KindArray:
		return len(it.Items)
	}
	return 0
}

// Text returns the content of a text string.
func (it *Item) Text() string { return string(it.Bytes) }

// Content returns the item inside a tag.
func (it *Item) Content() *Item { return &it.Items[0] }

// Entry returns the key and value of map entry i.
func (it *Item) Entry(i int) (key, value *Item) { return &it.Items[2*i], &it.Items[2*i+1] }

// Lookup finds the value of an unsigned-integer key in a map.
func (it *Item) Lookup(key uint64) (*Item, bool) {
	if it.Kind != KindMap {
		return nil, false
	}
	for i := 0; i+1 < len(it.Items); i += 2 {
		if k := &it.Items[i]; k.Kind == KindUint && k.Uint == key {
			return &it.Items[i+1], true
		}
	}
	return nil, false
}

// Set returns the elements of a set: an array, or an array inside tag 258.
func (it *Item) Set() ([]Item, bool) {
	a := it
	if a.Kind == KindTag && a.Uint == TagSet {
		a = a.Content()
	}
	if a.Kind != KindArray {
		return nil, false
	}
	return a.Items, true
}

// Tag numbers Cardano uses.
const (
	TagEncodedCBOR = 24  // bytes holding CBOR (datums, script refs)
	TagSet         = 258 // a set, encoded as an array
	TagAuxData     = 259 // Alonzo-and-later auxiliary data map
)

// Sentinel errors, wrapped by *Error.
var (
	ErrTruncated    = errors.New("unexpected end of data")
	ErrTrailing     = errors.New("trailing bytes after the data item")
	ErrTooDeep      = errors.New("nested too deeply")
	ErrTooLarge     = errors.New("too large")
	ErrMalformed    = errors.New("malformed")
	ErrDuplicateKey = errors.New("duplicate map key")
	ErrUnsupported  = errors.New("unsupported")
	ErrInvalidUTF8  = errors.New("invalid UTF-8 in a text string")
)

// Error is a decoding error at a byte offset of the input.
type Error struct {
	Offset int
	Err    error  // one of the sentinels above
	Detail string // optional
}

func (e *Error) Error() string {
	msg := "cbor: " + e.Err.Error()
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg + " at byte " + strconv.Itoa(e.Offset)
}

func (e *Error) Unwrap() error { return e.Err }
