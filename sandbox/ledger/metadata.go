package ledger

import (
	"fmt"
	"math/big"

	"github.com/fxamacker/cbor/v2"
)

// MessageLabel is the CIP-20 metadata label for transaction messages:
// {674: {"msg": ["…", …]}}, each string at most 64 bytes.
const MessageLabel = 674

// decodeAuxData reads the metadata out of auxiliary data in any of its
// forms: a metadata map (Shelley), [metadata, scripts] (Allegra) or
// #6.259({0: metadata, …}) (Alonzo onwards).
func decodeAuxData(raw []byte) (map[uint64]cbor.RawMessage, error) {
	switch major(raw) {
	case majorMap:
		return decodeMetadata(raw)
	case majorArray:
		items, err := decodeArray(raw)
		if err != nil {
			return nil, err
		}
		if len(items) != 2 {
			return nil, fmt.Errorf("want [metadata, scripts], got %d items", len(items))
		}
		return decodeMetadata(items[0])
	case majorTag:
		var tag cbor.RawTag
		if err := decMode.Unmarshal(raw, &tag); err != nil {
			return nil, err
		}
		if tag.Number != 259 {
			return nil, fmt.Errorf("want tag 259, got tag %d", tag.Number)
		}
		m, err := decodeUintMap(tag.Content)
		if err != nil {
			return nil, err
		}
		for k := range m {
			if k > 4 {
				return nil, fmt.Errorf("unknown key %d in tag 259 auxiliary data", k)
			}
		}
		md, ok := m[0]
		if !ok {
			return map[uint64]cbor.RawMessage{}, nil
		}
		return decodeMetadata(md)
	}
	return nil, fmt.Errorf("want a metadata map, an array or tag 259, got %s", kind(raw))
}

func decodeMetadata(raw []byte) (map[uint64]cbor.RawMessage, error) {
	md, err := decodeUintMap(raw)
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	for label, v := range md {
		var item any
		if err := decMode.Unmarshal(v, &item); err != nil {
			return nil, fmt.Errorf("metadata label %d: %w", label, err)
		}
		if err := checkMetadatum(item); err != nil {
			return nil, fmt.Errorf("metadata label %d: %w", label, err)
		}
	}
	return md, nil
}

// checkMetadatum enforces the metadatum grammar: maps, arrays, integers,
// byte and text strings of at most 64 bytes.
func checkMetadatum(v any) error {
	switch v := v.(type) {
	case uint64, int64, big.Int, *big.Int:
		return nil
	case string:
		if len(v) > 64 {
			return fmt.Errorf("text string of %d bytes, at most 64 allowed", len(v))
		}
	case []byte:
		if len(v) > 64 {
			return fmt.Errorf("byte string of %d bytes, at most 64 allowed", len(v))
		}
	case cbor.ByteString:
		if len(v) > 64 {
			return fmt.Errorf("byte string of %d bytes, at most 64 allowed", len(v))
		}
	case []any:
		for _, e := range v {
			if err := checkMetadatum(e); err != nil {
				return err
			}
		}
	case map[any]any:
		for k, e := range v {
			if err := checkMetadatum(k); err != nil {
				return err
			}
			if err := checkMetadatum(e); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%T is not a metadatum (maps, arrays, integers, bytes and text only)", v)
	}
	return nil
}

// Messages returns the CIP-20 message strings (label 674, key "msg"), nil
// when there are none.
func (t *Tx) Messages() []string {
	raw, ok := t.Metadata[MessageLabel]
	if !ok {
		return nil
	}
	var m map[string]cbor.RawMessage
	if major(raw) != majorMap || decMode.Unmarshal(raw, &m) != nil {
		return nil
	}
	msg, ok := m["msg"]
	if !ok || major(msg) != majorArray {
		return nil
	}
	var out []string
	if decMode.Unmarshal(msg, &out) != nil {
		return nil
	}
	return out
}
