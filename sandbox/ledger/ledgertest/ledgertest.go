// Package ledgertest builds Conway-era transactions for tests, independently
// of package ledger: its own canonical CBOR (definite lengths, shortest
// integers, map keys shorter first then bytewise), its own hashing and
// ed25519 signing. A test that builds with this package and verifies with
// package ledger checks two encoders against each other.
package ledgertest

import (
	"crypto/ed25519"
	"fmt"

	"github.com/fxamacker/cbor/v2"
	"golang.org/x/crypto/blake2b"
)

var enc = func() cbor.EncMode {
	em, err := cbor.EncOptions{Sort: cbor.SortCanonical, IndefLength: cbor.IndefLengthAllowed}.EncMode()
	if err != nil {
		panic(err)
	}
	return em
}()

// Marshal encodes v canonically; it panics on error (tests only).
func Marshal(v any) []byte {
	b, err := enc.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("ledgertest: %v", err))
	}
	return b
}

// Hash is blake2b-256.
func Hash(b []byte) [32]byte { return blake2b.Sum256(b) }

// Assets is a multiasset: policy id → asset name (raw bytes) → quantity.
type Assets map[[28]byte]map[string]uint64

// Input is a transaction input.
type Input struct {
	TxID  [32]byte
	Index uint64
}

// Output is a transaction output.
type Output struct {
	Address []byte
	Coin    uint64
	Assets  Assets
	MapForm bool // post-Alonzo {0: address, 1: value} instead of [address, value]
}

// Value encodes coin or [coin, multiasset].
func Value(coin uint64, assets Assets) any {
	if len(assets) == 0 {
		return coin
	}
	ma := map[cbor.ByteString]map[cbor.ByteString]uint64{}
	for p, names := range assets {
		m := map[cbor.ByteString]uint64{}
		for n, q := range names {
			m[cbor.ByteString(n)] = q
		}
		ma[cbor.ByteString(p[:])] = m
	}
	return []any{coin, ma}
}

// Encode writes the output canonically.
func (o Output) Encode() []byte {
	if o.MapForm {
		return Marshal(map[uint64]any{0: o.Address, 1: Value(o.Coin, o.Assets)})
	}
	return Marshal([]any{o.Address, Value(o.Coin, o.Assets)})
}

// Body is a transaction body.
type Body struct {
	Inputs  []Input
	Outputs []Output
	Fee     uint64
	TTL     uint64 // 0: no key 3
	AuxHash []byte // nil: no key 7
	// TagSets writes the input set as #6.258([...]).
	TagSets bool
	// Indefinite writes the input and output arrays with indefinite lengths.
	Indefinite bool
	// Extra adds body keys (values encoded as given).
	Extra map[uint64]any
}

// Encode writes the body.
func (b Body) Encode() []byte {
	ins := make([]cbor.RawMessage, len(b.Inputs))
	for i, in := range b.Inputs {
		ins[i] = Marshal([]any{in.TxID[:], in.Index})
	}
	outs := make([]cbor.RawMessage, len(b.Outputs))
	for i, o := range b.Outputs {
		outs[i] = o.Encode()
	}
	var inRaw, outRaw any = Array(b.Indefinite, ins...), Array(b.Indefinite, outs...)
	if b.TagSets {
		inRaw = cbor.Tag{Number: 258, Content: inRaw}
	}
	m := map[uint64]any{0: inRaw, 1: outRaw, 2: b.Fee}
	if b.TTL != 0 {
		m[3] = b.TTL
	}
	if b.AuxHash != nil {
		m[7] = b.AuxHash
	}
	for k, v := range b.Extra {
		m[k] = v
	}
	return Marshal(m)
}

// Array writes items (already encoded) as a definite or indefinite array.
func Array(indefinite bool, items ...cbor.RawMessage) cbor.RawMessage {
	var out []byte
	if indefinite {
		out = []byte{0x9f}
	} else {
		out = header(4, uint64(len(items)))
	}
	for _, it := range items {
		out = append(out, it...)
	}
	if indefinite {
		out = append(out, 0xff)
	}
	return out
}

// header is a CBOR head of major type mt with argument n, shortest form.
func header(mt byte, n uint64) []byte {
	m := mt << 5
	switch {
	case n < 24:
		return []byte{m | byte(n)}
	case n <= 0xff:
		return []byte{m | 24, byte(n)}
	case n <= 0xffff:
		return []byte{m | 25, byte(n >> 8), byte(n)}
	case n <= 0xffffffff:
		return []byte{m | 26, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
	}
	return []byte{m | 27, byte(n >> 56), byte(n >> 48), byte(n >> 40), byte(n >> 32), byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
}

// Witness is [vkey, ed25519 signature over blake2b-256(body)].
func Witness(body []byte, key ed25519.PrivateKey) cbor.RawMessage {
	h := Hash(body)
	return Marshal([]any{[]byte(key.Public().(ed25519.PublicKey)), ed25519.Sign(key, h[:])})
}

// WitnessSet is {0: [witnesses]} ({} with none); tag adds #6.258.
func WitnessSet(tag bool, ws ...cbor.RawMessage) []byte {
	if len(ws) == 0 {
		return Marshal(map[uint64]any{})
	}
	var set any = Array(false, ws...)
	if tag {
		set = cbor.Tag{Number: 258, Content: set}
	}
	return Marshal(map[uint64]any{0: set})
}

// Tx is [body, witness_set, true, aux] with each part's bytes kept as
// given; aux nil is null.
func Tx(body, witnessSet, aux []byte) []byte {
	if aux == nil {
		aux = []byte{0xf6}
	}
	return Array(false, body, witnessSet, []byte{0xf5}, aux)
}

// Messages is CIP-20 metadata {674: {"msg": msgs}} as Shelley-form
// auxiliary data (a bare metadata map).
func Messages(msgs ...string) []byte {
	return Marshal(map[uint64]any{674: map[string]any{"msg": msgs}})
}

// ConwayAux wraps metadata as Alonzo/Conway auxiliary data #6.259({0: md}).
func ConwayAux(metadata []byte) []byte {
	return Marshal(cbor.Tag{Number: 259, Content: map[uint64]cbor.RawMessage{0: metadata}})
}
