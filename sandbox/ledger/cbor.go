package ledger

import (
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// Bytes from outside (wallets, HTTP callers) are decoded in one strict mode
// with low limits; what the ledger writes is encoded canonically (CIP-21:
// definite lengths, shortest forms, map keys shorter first then bytewise).
var (
	decMode = mustDecMode()
	encMode = mustEncMode()
)

func mustDecMode() cbor.DecMode {
	dm, err := cbor.DecOptions{
		DupMapKey:        cbor.DupMapKeyEnforcedAPF,
		IndefLength:      cbor.IndefLengthAllowed,
		MaxNestedLevels:  24,
		MaxArrayElements: 4096,
		MaxMapPairs:      4096,
		MapKeyByteString: cbor.MapKeyByteStringAllowed,
	}.DecMode()
	if err != nil {
		panic(err)
	}
	return dm
}

func mustEncMode() cbor.EncMode {
	em, err := cbor.EncOptions{
		Sort:        cbor.SortCanonical,
		IndefLength: cbor.IndefLengthForbidden,
	}.EncMode()
	if err != nil {
		panic(err)
	}
	return em
}

// CBOR major types, from the top three bits of an item's first byte.
const (
	majorUint   = 0
	majorNint   = 1
	majorBytes  = 2
	majorText   = 3
	majorArray  = 4
	majorMap    = 5
	majorTag    = 6
	majorSimple = 7
)

func major(raw []byte) int {
	if len(raw) == 0 {
		return -1
	}
	return int(raw[0] >> 5)
}

// isNull reports whether raw is the CBOR null (or undefined) simple value.
func isNull(raw []byte) bool {
	return len(raw) == 1 && (raw[0] == 0xf6 || raw[0] == 0xf7)
}

// decodeUint decodes an unsigned integer and nothing else: no bignum tags,
// no floats, no tags around it.
func decodeUint(raw []byte) (uint64, error) {
	if major(raw) != majorUint {
		return 0, fmt.Errorf("want an unsigned integer, got %s", kind(raw))
	}
	var u uint64
	if err := decMode.Unmarshal(raw, &u); err != nil {
		return 0, err
	}
	return u, nil
}

// decodeBytes decodes a byte string of exactly n bytes (any length when n < 0).
func decodeBytes(raw []byte, n int) ([]byte, error) {
	if major(raw) != majorBytes {
		return nil, fmt.Errorf("want a byte string, got %s", kind(raw))
	}
	var b []byte
	if err := decMode.Unmarshal(raw, &b); err != nil {
		return nil, err
	}
	if n >= 0 && len(b) != n {
		return nil, fmt.Errorf("want %d bytes, got %d", n, len(b))
	}
	return b, nil
}

// decodeArray decodes a definite or indefinite-length array into its items,
// each kept as the bytes received.
func decodeArray(raw []byte) ([]cbor.RawMessage, error) {
	if major(raw) != majorArray {
		return nil, fmt.Errorf("want an array, got %s", kind(raw))
	}
	var items []cbor.RawMessage
	if err := decMode.Unmarshal(raw, &items); err != nil {
		return nil, err
	}
	return items, nil
}

// decodeSet decodes a CDDL set: an array, optionally wrapped in tag 258.
func decodeSet(raw []byte) ([]cbor.RawMessage, error) {
	if major(raw) == majorTag {
		var tag cbor.RawTag
		if err := decMode.Unmarshal(raw, &tag); err != nil {
			return nil, err
		}
		if tag.Number != 258 {
			return nil, fmt.Errorf("want a set (tag 258), got tag %d", tag.Number)
		}
		raw = tag.Content
	}
	return decodeArray(raw)
}

// decodeUintMap decodes a map with unsigned integer keys, values kept raw.
func decodeUintMap(raw []byte) (map[uint64]cbor.RawMessage, error) {
	if major(raw) != majorMap {
		return nil, fmt.Errorf("want a map, got %s", kind(raw))
	}
	var m map[uint64]cbor.RawMessage
	if err := decMode.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

func kind(raw []byte) string {
	switch major(raw) {
	case majorUint, majorNint:
		return "an integer"
	case majorBytes:
		return "a byte string"
	case majorText:
		return "a text string"
	case majorArray:
		return "an array"
	case majorMap:
		return "a map"
	case majorTag:
		return "a tagged item"
	case majorSimple:
		if isNull(raw) {
			return "null"
		}
		return "a simple value or float"
	}
	return "nothing"
}
