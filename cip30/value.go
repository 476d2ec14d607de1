package cip30

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/tbackend/sdk/cip30/internal/cbor"
	"github.com/tbackend/sdk/cip30/internal/heapsort"
)

// AssetID names a native token: its policy and its asset name (raw bytes,
// at most 32).
type AssetID struct {
	PolicyID [28]byte
	Name     string
}

// String is "policyhex.namehex".
func (id AssetID) String() string {
	return hex.EncodeToString(id.PolicyID[:]) + "." + hex.EncodeToString([]byte(id.Name))
}

func compareAssets(a, b AssetID) int {
	if c := bytes.Compare(a.PolicyID[:], b.PolicyID[:]); c != 0 {
		return c
	}
	// canonical order of the encoded names: shorter first, then bytewise
	if len(a.Name) != len(b.Name) {
		return len(a.Name) - len(b.Name)
	}
	return strings.Compare(a.Name, b.Name)
}

func sortedAssets(m map[AssetID]uint64) []AssetID {
	ids := make([]AssetID, 0, len(m))
	for id, q := range m {
		if q != 0 {
			ids = append(ids, id)
		}
	}
	heapsort.Sort(len(ids), func(i, j int) bool { return compareAssets(ids[i], ids[j]) < 0 },
		func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids
}

// Value is an amount of lovelace and native tokens. A nil or empty Assets
// map means ADA only; zero quantities count as absent.
type Value struct {
	Coin   uint64
	Assets map[AssetID]uint64
}

// Lovelace is a Value of ADA only.
func Lovelace(coin uint64) Value { return Value{Coin: coin} }

// Clone returns a copy that shares no map with v and holds no zero
// quantities.
func (v Value) Clone() Value {
	out := Value{Coin: v.Coin}
	for id, q := range v.Assets {
		if q != 0 {
			if out.Assets == nil {
				out.Assets = make(map[AssetID]uint64, len(v.Assets))
			}
			out.Assets[id] = q
		}
	}
	return out
}

// HasAssets reports any native token.
func (v Value) HasAssets() bool {
	for _, q := range v.Assets {
		if q != 0 {
			return true
		}
	}
	return false
}

// IsZero reports no lovelace and no tokens.
func (v Value) IsZero() bool { return v.Coin == 0 && !v.HasAssets() }

// Equal compares amounts, ignoring zero quantities.
func (v Value) Equal(w Value) bool { return v.Covers(w) && w.Covers(v) }

// Covers reports v ≥ w for lovelace and for every token.
func (v Value) Covers(w Value) bool {
	if v.Coin < w.Coin {
		return false
	}
	for id, q := range w.Assets {
		if v.Assets[id] < q {
			return false
		}
	}
	return true
}

// Add returns v + w.
func (v Value) Add(w Value) (Value, error) {
	out := v.Clone()
	if err := out.add(w); err != nil {
		return Value{}, err
	}
	return out, nil
}

// add adds w to v in place; v must own its map. On overflow v is left
// partly updated.
func (v *Value) add(w Value) error {
	if v.Coin+w.Coin < v.Coin {
		return ErrOverflow
	}
	v.Coin += w.Coin
	for id, q := range w.Assets {
		if q == 0 {
			continue
		}
		if v.Assets == nil {
			v.Assets = make(map[AssetID]uint64, len(w.Assets))
		}
		s := v.Assets[id] + q
		if s < q {
			return ErrOverflow
		}
		v.Assets[id] = s
	}
	return nil
}

// ErrNegative reports a subtraction below zero.
var ErrNegative = errors.New("value would be negative")

// Sub returns v − w, or ErrNegative when v does not cover w.
func (v Value) Sub(w Value) (Value, error) {
	if !v.Covers(w) {
		return Value{}, ErrNegative
	}
	out := v.Clone()
	out.Coin -= w.Coin
	for id, q := range w.Assets {
		if q == 0 {
			continue
		}
		if r := out.Assets[id] - q; r == 0 {
			delete(out.Assets, id)
		} else {
			out.Assets[id] = r
		}
	}
	return out, nil
}

// String is "1.500000 ADA" or "1.500000 ADA + 3 tokens".
func (v Value) String() string {
	s := formatADA(v.Coin)
	if n := len(sortedAssets(v.Assets)); n > 0 {
		s += " + " + strconv.Itoa(n) + " token"
		if n > 1 {
			s += "s"
		}
	}
	return s
}

// Bytes is the canonical CBOR of the value: coin, or [coin, multiasset].
func (v Value) Bytes() []byte { return appendValue(nil, v) }

func appendValue(b []byte, v Value) []byte {
	ids := sortedAssets(v.Assets)
	if len(ids) == 0 {
		return cbor.AppendUint(b, v.Coin)
	}
	b = cbor.AppendArray(b, 2)
	b = cbor.AppendUint(b, v.Coin)
	policies := 0
	for i := range ids {
		if i == 0 || ids[i].PolicyID != ids[i-1].PolicyID {
			policies++
		}
	}
	b = cbor.AppendMap(b, policies)
	for i := 0; i < len(ids); {
		j := i
		for j < len(ids) && ids[j].PolicyID == ids[i].PolicyID {
			j++
		}
		b = cbor.AppendBytes(b, ids[i].PolicyID[:])
		b = cbor.AppendMap(b, j-i)
		for _, id := range ids[i:j] {
			b = cbor.AppendHead(b, cbor.MajorBytes, uint64(len(id.Name)))
			b = append(b, id.Name...)
			b = cbor.AppendUint(b, v.Assets[id])
		}
		i = j
	}
	return b
}

// valueLimits bound a value from a wallet (getBalance of a wallet with
// thousands of tokens stays far below).
var valueLimits = cbor.Limits{MaxSize: 1 << 20, MaxDepth: 8, MaxItems: 1 << 18}

// DecodeValue decodes getBalance(): coin, or [coin, multiasset].
func DecodeValue(b []byte) (Value, error) {
	it, err := cbor.Decode(b, valueLimits)
	if err != nil {
		return Value{}, decodeErr("value", err)
	}
	v, err := valueFromItem(&it)
	if err != nil {
		return Value{}, decodeErr("value", err)
	}
	return v, nil
}

func valueFromItem(it *cbor.Item) (Value, error) {
	switch it.Kind {
	case cbor.KindUint:
		return Value{Coin: it.Uint}, nil
	case cbor.KindArray:
		if len(it.Items) != 2 {
			return Value{}, errors.New("a value array must be [coin, multiasset], not " + strconv.Itoa(len(it.Items)) + " items")
		}
		c, ma := &it.Items[0], &it.Items[1]
		if c.Kind != cbor.KindUint {
			return Value{}, errors.New("coin is a " + c.Kind.String() + ", not an unsigned integer")
		}
		v := Value{Coin: c.Uint}
		assets, err := multiAssetFromItem(ma)
		if err != nil {
			return Value{}, err
		}
		v.Assets = assets
		return v, nil
	}
	return Value{}, errors.New("a value is a coin or [coin, multiasset], not a " + it.Kind.String())
}

func multiAssetFromItem(ma *cbor.Item) (map[AssetID]uint64, error) {
	if ma.Kind != cbor.KindMap {
		return nil, errors.New("multiasset is a " + ma.Kind.String() + ", not a map")
	}
	var out map[AssetID]uint64
	for i := range ma.Len() {
		pk, pv := ma.Entry(i)
		if pk.Kind != cbor.KindBytes || len(pk.Bytes) != hash28 {
			return nil, errors.New("a policy id must be 28 bytes")
		}
		if pv.Kind != cbor.KindMap {
			return nil, errors.New("the assets of a policy must be a map")
		}
		var id AssetID
		copy(id.PolicyID[:], pk.Bytes)
		for j := range pv.Len() {
			nk, nv := pv.Entry(j)
			if nk.Kind != cbor.KindBytes || len(nk.Bytes) > 32 {
				return nil, errors.New("an asset name must be at most 32 bytes")
			}
			if nv.Kind != cbor.KindUint {
				return nil, errors.New("an asset quantity must be an unsigned integer, not a " + nv.Kind.String())
			}
			if nv.Uint == 0 {
				continue
			}
			if out == nil {
				out = make(map[AssetID]uint64)
			}
			id.Name = string(nk.Bytes)
			out[id] = nv.Uint
		}
	}
	return out, nil
}
