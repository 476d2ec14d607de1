package ledger

import (
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/fxamacker/cbor/v2"
)

// PolicyID is a minting policy hash.
type PolicyID [28]byte

func (p PolicyID) String() string { return hex.EncodeToString(p[:]) }

// Asset names one native token: its policy and its raw asset name bytes.
type Asset struct {
	Policy PolicyID
	Name   string // raw bytes, 0..32 of them
}

// String is policy hex + "." + asset name hex.
func (a Asset) String() string { return a.Policy.String() + "." + hex.EncodeToString([]byte(a.Name)) }

// Value is lovelace plus native tokens. Assets never holds zero quantities.
type Value struct {
	Coin   uint64
	Assets map[Asset]uint64
}

var errOverflow = errors.New("quantity overflows 64 bits")

// Add returns v + o, or an error when a quantity overflows.
func (v Value) Add(o Value) (Value, error) {
	out := Value{Coin: v.Coin + o.Coin}
	if out.Coin < v.Coin {
		return Value{}, errOverflow
	}
	if len(v.Assets)+len(o.Assets) > 0 {
		out.Assets = maps.Clone(v.Assets)
		if out.Assets == nil {
			out.Assets = map[Asset]uint64{}
		}
		for a, q := range o.Assets {
			s := out.Assets[a] + q
			if s < q {
				return Value{}, errOverflow
			}
			out.Assets[a] = s
		}
	}
	return out, nil
}

// Equal compares coin and every asset quantity.
func (v Value) Equal(o Value) bool {
	if v.Coin != o.Coin || len(v.Assets) != len(o.Assets) {
		return false
	}
	for a, q := range v.Assets {
		if o.Assets[a] != q {
			return false
		}
	}
	return true
}

// Covers reports whether v holds at least o of lovelace and of every asset.
func (v Value) Covers(o Value) bool {
	if v.Coin < o.Coin {
		return false
	}
	for a, q := range o.Assets {
		if v.Assets[a] < q {
			return false
		}
	}
	return true
}

// sortedAssets lists the assets in canonical order (policy, then name bytes
// shorter first).
func (v Value) sortedAssets() []Asset {
	list := slices.Collect(maps.Keys(v.Assets))
	slices.SortFunc(list, func(a, b Asset) int {
		if c := strings.Compare(string(a.Policy[:]), string(b.Policy[:])); c != 0 {
			return c
		}
		if len(a.Name) != len(b.Name) {
			return len(a.Name) - len(b.Name)
		}
		return strings.Compare(a.Name, b.Name)
	})
	return list
}

// diff describes how the inputs v differ from the outputs plus fee o, per
// asset, for error messages.
func (v Value) diff(o Value) string {
	var parts []string
	if v.Coin != o.Coin {
		parts = append(parts, fmt.Sprintf("lovelace: inputs %d, outputs + fee %d", v.Coin, o.Coin))
	}
	all := Value{Assets: map[Asset]uint64{}}
	for a := range v.Assets {
		all.Assets[a] = 1
	}
	for a := range o.Assets {
		all.Assets[a] = 1
	}
	for _, a := range all.sortedAssets() {
		if v.Assets[a] != o.Assets[a] {
			parts = append(parts, fmt.Sprintf("token %s: inputs %d, outputs %d", a.display(), v.Assets[a], o.Assets[a]))
		}
	}
	return strings.Join(parts, ", ")
}

// display shows the asset name as text when it is printable.
func (a Asset) display() string {
	for _, r := range a.Name {
		if r < 0x20 || r > 0x7e {
			return a.String()
		}
	}
	return a.Policy.String()[:8] + "…" + "." + a.Name
}

// MarshalCBOR encodes coin, or [coin, {policy: {name: qty}}] when there are
// tokens, canonically.
func (v Value) MarshalCBOR() ([]byte, error) {
	if len(v.Assets) == 0 {
		return encMode.Marshal(v.Coin)
	}
	ma := map[cbor.ByteString]map[cbor.ByteString]uint64{}
	for a, q := range v.Assets {
		p := cbor.ByteString(a.Policy[:])
		if ma[p] == nil {
			ma[p] = map[cbor.ByteString]uint64{}
		}
		ma[p][cbor.ByteString(a.Name)] = q
	}
	return encMode.Marshal([]any{v.Coin, ma})
}

// decodeValue reads coin / [coin, multiasset<positive_coin>].
func decodeValue(raw []byte) (Value, error) {
	if major(raw) == majorUint {
		c, err := decodeUint(raw)
		return Value{Coin: c}, err
	}
	items, err := decodeArray(raw)
	if err != nil {
		return Value{}, fmt.Errorf("value: %w", err)
	}
	if len(items) != 2 {
		return Value{}, fmt.Errorf("value: want [coin, multiasset], got %d items", len(items))
	}
	v := Value{}
	if v.Coin, err = decodeUint(items[0]); err != nil {
		return Value{}, fmt.Errorf("value coin: %w", err)
	}
	if v.Assets, err = decodeMultiAsset(items[1]); err != nil {
		return Value{}, err
	}
	return v, nil
}

func decodeMultiAsset(raw []byte) (map[Asset]uint64, error) {
	if major(raw) != majorMap {
		return nil, fmt.Errorf("multiasset: want a map, got %s", kind(raw))
	}
	var ma map[cbor.ByteString]cbor.RawMessage
	if err := decMode.Unmarshal(raw, &ma); err != nil {
		return nil, fmt.Errorf("multiasset: %w", err)
	}
	out := map[Asset]uint64{}
	for p, rawNames := range ma {
		if len(p) != 28 {
			return nil, fmt.Errorf("multiasset: policy id of %d bytes, want 28", len(p))
		}
		if major(rawNames) != majorMap {
			return nil, fmt.Errorf("multiasset policy %x: want a map of asset names", p)
		}
		var names map[cbor.ByteString]cbor.RawMessage
		if err := decMode.Unmarshal(rawNames, &names); err != nil {
			return nil, fmt.Errorf("multiasset policy %x: %w", p, err)
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("multiasset policy %x: no assets", p)
		}
		for n, rawQty := range names {
			if len(n) > 32 {
				return nil, fmt.Errorf("multiasset policy %x: asset name of %d bytes, at most 32", p, len(n))
			}
			q, err := decodeUint(rawQty)
			if err != nil {
				return nil, fmt.Errorf("multiasset %x.%x: %w", p, n, err)
			}
			if q == 0 {
				return nil, fmt.Errorf("multiasset %x.%x: quantity 0 (must be positive)", p, n)
			}
			var a Asset
			copy(a.Policy[:], p)
			a.Name = string(n)
			out[a] = q
		}
	}
	return out, nil
}

// DecodeValue reads a CBOR value (coin or [coin, multiasset]), as CIP-30's
// getUtxos(amount) and getBalance carry it.
func DecodeValue(raw []byte) (Value, error) {
	v, err := decodeValue(raw)
	if err != nil {
		return Value{}, fmt.Errorf("ledger: %w", err)
	}
	return v, nil
}
