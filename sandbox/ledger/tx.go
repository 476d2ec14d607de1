package ledger

import (
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/fxamacker/cbor/v2"
	"golang.org/x/crypto/blake2b"
)

// maxDecodeSize bounds what Decode reads at all, whatever the protocol
// parameters say; Verify refuses anything above MaxTxSize first.
const maxDecodeSize = 1 << 16

// Input points at an output of an earlier transaction.
type Input struct {
	TxID  [32]byte
	Index uint64
}

// String is "txhash#index".
func (in Input) String() string {
	return hex.EncodeToString(in.TxID[:]) + "#" + strconv.FormatUint(in.Index, 10)
}

// Output is a transaction output. Raw is its CBOR as received (legacy array
// or post-Alonzo map form); it is what the min-ADA rule measures and what
// getUtxos serves.
type Output struct {
	Address Address
	Value   Value
	Raw     []byte
}

// Witness is a vkey witness: a verification key and its signature over the
// body hash.
type Witness struct {
	VKey      []byte
	Signature []byte
}

// Tx is a decoded transaction. Body is the body exactly as received: Hash is
// blake2b-256 of those bytes, never of a re-encoding.
type Tx struct {
	Raw     []byte
	Body    cbor.RawMessage
	Hash    [32]byte
	Inputs  []Input
	Outputs []Output
	Fee     uint64
	TTL     uint64
	HasTTL  bool
	// ValidFrom is body key 8 (validity interval start), 0 when absent.
	ValidFrom       uint64
	AuxDataHash     []byte
	RequiredSigners []KeyHash
	// NetworkID is body key 15, or -1 when absent.
	NetworkID int
	Witnesses []Witness
	IsValid   bool
	// AuxData is the auxiliary data as received, nil when null.
	AuxData cbor.RawMessage
	// Metadata is the transaction metadata by label, values as received.
	Metadata map[uint64]cbor.RawMessage
}

// HashHex is the transaction id in hex.
func (t *Tx) HashHex() string { return hex.EncodeToString(t.Hash[:]) }

// Body keys the sandbox refuses, with what they are: they move value (or
// need governance state) in ways the sandbox does not model.
var unsupportedBodyKeys = map[uint64]string{
	4:  "certificates",
	5:  "withdrawals",
	9:  "mint",
	19: "voting procedures",
	20: "proposal procedures",
	22: "treasury donation",
	11: "a script data hash (the sandbox runs no scripts)",
	18: "reference inputs",
	21: "a current treasury value",
}

// Body keys that are read and checked (3, 7, 8, 14, 15) or tolerated because
// they cannot move value without scripts, which the sandbox has none of.
var knownBodyKeys = map[uint64]bool{
	0: true, 1: true, 2: true, 3: true, 7: true, 8: true, 13: true,
	14: true, 15: true, 16: true, 17: true,
}

// Decode reads a transaction [body, witness_set, is_valid, auxiliary_data]
// (the three-item pre-Alonzo form [body, witness_set, auxiliary_data] too).
// Errors are *RejectError wrapping ErrMalformed or ErrUnsupported.
func Decode(raw []byte) (*Tx, error) {
	if len(raw) > maxDecodeSize {
		return nil, reject(ErrTooLarge, "the transaction is %d bytes, far above any maximum size", len(raw))
	}
	items, err := decodeArray(raw)
	if err != nil {
		return nil, reject(ErrMalformed, "the transaction is not CBOR of the form [body, witnesses, valid, metadata]: %v", err)
	}
	tx := &Tx{Raw: raw, IsValid: true, NetworkID: -1}
	var aux cbor.RawMessage
	switch len(items) {
	case 4:
		if len(items[2]) != 1 || items[2][0] != 0xf4 && items[2][0] != 0xf5 {
			return nil, reject(ErrMalformed, "the transaction's third item must be the is_valid boolean, got %s", kind(items[2]))
		}
		tx.IsValid = items[2][0] == 0xf5
		aux = items[3]
	case 3:
		aux = items[2]
	default:
		return nil, reject(ErrMalformed, "the transaction has %d items, want 4: [body, witnesses, valid, metadata]", len(items))
	}
	tx.Body = items[0]
	tx.Hash = blake2b.Sum256(tx.Body)
	if err := tx.decodeBody(); err != nil {
		return nil, err
	}
	if err := tx.decodeWitnesses(items[1]); err != nil {
		return nil, err
	}
	if !isNull(aux) {
		tx.AuxData = aux
		if tx.Metadata, err = decodeAuxData(aux); err != nil {
			return nil, reject(ErrMalformed, "auxiliary data: %v", err)
		}
	}
	return tx, nil
}

func (tx *Tx) decodeBody() error {
	body, err := decodeUintMap(tx.Body)
	if err != nil {
		return reject(ErrMalformed, "the transaction body is not a map with integer keys: %v", err)
	}
	keys := slices.Sorted(maps.Keys(body))
	for _, k := range keys {
		if what, ok := unsupportedBodyKeys[k]; ok {
			return reject(ErrUnsupported, "the transaction has %s (body key %d), which the sandbox does not support", what, k)
		}
		if !knownBodyKeys[k] {
			return reject(ErrUnsupported, "the transaction body has key %d, unknown to the sandbox", k)
		}
	}
	for _, k := range []uint64{0, 1, 2} {
		if _, ok := body[k]; !ok {
			return reject(ErrMalformed, "the transaction body lacks key %d (%s)", k, [...]string{"inputs", "outputs", "fee"}[k])
		}
	}
	ins, err := decodeSet(body[0])
	if err != nil {
		return reject(ErrMalformed, "inputs: %v", err)
	}
	for i, raw := range ins {
		in, err := decodeInput(raw)
		if err != nil {
			return reject(ErrMalformed, "input %d: %v", i, err)
		}
		tx.Inputs = append(tx.Inputs, in)
	}
	outs, err := decodeArray(body[1])
	if err != nil {
		return reject(ErrMalformed, "outputs: %v", err)
	}
	for i, raw := range outs {
		out, err := decodeOutput(raw)
		if err != nil {
			return reject(ErrMalformed, "output %d: %v", i, err)
		}
		tx.Outputs = append(tx.Outputs, out)
	}
	if tx.Fee, err = decodeUint(body[2]); err != nil {
		return reject(ErrMalformed, "fee: %v", err)
	}
	if raw, ok := body[3]; ok {
		if tx.TTL, err = decodeUint(raw); err != nil {
			return reject(ErrMalformed, "ttl: %v", err)
		}
		tx.HasTTL = true
	}
	if raw, ok := body[7]; ok {
		if tx.AuxDataHash, err = decodeBytes(raw, 32); err != nil {
			return reject(ErrMalformed, "auxiliary data hash: %v", err)
		}
	}
	if raw, ok := body[8]; ok {
		if tx.ValidFrom, err = decodeUint(raw); err != nil {
			return reject(ErrMalformed, "validity start: %v", err)
		}
	}
	if raw, ok := body[14]; ok {
		signers, err := decodeSet(raw)
		if err != nil {
			return reject(ErrMalformed, "required signers: %v", err)
		}
		for i, s := range signers {
			b, err := decodeBytes(s, KeyHashSize)
			if err != nil {
				return reject(ErrMalformed, "required signer %d: %v", i, err)
			}
			tx.RequiredSigners = append(tx.RequiredSigners, KeyHash(b))
		}
	}
	if raw, ok := body[15]; ok {
		id, err := decodeUint(raw)
		if err != nil || id > 1 {
			return reject(ErrMalformed, "network id (body key 15) must be 0 or 1")
		}
		tx.NetworkID = int(id)
	}
	return nil
}

func decodeInput(raw []byte) (Input, error) {
	items, err := decodeArray(raw)
	if err != nil {
		return Input{}, err
	}
	if len(items) != 2 {
		return Input{}, fmt.Errorf("want [txhash, index], got %d items", len(items))
	}
	id, err := decodeBytes(items[0], 32)
	if err != nil {
		return Input{}, fmt.Errorf("transaction id: %w", err)
	}
	in := Input{TxID: [32]byte(id)}
	if in.Index, err = decodeUint(items[1]); err != nil {
		return Input{}, fmt.Errorf("index: %w", err)
	}
	if in.Index > 0xffff {
		return Input{}, fmt.Errorf("index %d does not fit in 16 bits", in.Index)
	}
	return in, nil
}

// decodeOutput reads [address, value, ?datum_hash] or {0: address, 1: value,
// ?2: datum, ?3: script_ref}. Datums and script references are refused: the
// sandbox locks nothing with scripts.
func decodeOutput(raw []byte) (Output, error) {
	out := Output{Raw: slices.Clone(raw)}
	var addrRaw, valueRaw cbor.RawMessage
	switch major(raw) {
	case majorArray:
		items, err := decodeArray(raw)
		if err != nil {
			return Output{}, err
		}
		if len(items) == 3 {
			return Output{}, fmt.Errorf("outputs with a datum hash are not supported in the sandbox")
		}
		if len(items) != 2 {
			return Output{}, fmt.Errorf("want [address, value], got %d items", len(items))
		}
		addrRaw, valueRaw = items[0], items[1]
	case majorMap:
		m, err := decodeUintMap(raw)
		if err != nil {
			return Output{}, err
		}
		for k := range m {
			if k > 1 {
				return Output{}, fmt.Errorf("output key %d (datum or script reference) is not supported in the sandbox", k)
			}
		}
		var ok bool
		if addrRaw, ok = m[0]; !ok {
			return Output{}, fmt.Errorf("output map lacks key 0 (address)")
		}
		if valueRaw, ok = m[1]; !ok {
			return Output{}, fmt.Errorf("output map lacks key 1 (value)")
		}
	default:
		return Output{}, fmt.Errorf("want an array or a map, got %s", kind(raw))
	}
	addr, err := decodeBytes(addrRaw, -1)
	if err != nil {
		return Output{}, fmt.Errorf("address: %w", err)
	}
	if len(addr) == 0 {
		return Output{}, fmt.Errorf("address: empty")
	}
	out.Address = Address(addr)
	if out.Value, err = decodeValue(valueRaw); err != nil {
		return Output{}, err
	}
	return out, nil
}

func (tx *Tx) decodeWitnesses(raw []byte) error {
	ws, err := decodeUintMap(raw)
	if err != nil {
		return reject(ErrMalformed, "the witness set is not a map with integer keys: %v", err)
	}
	for k := range ws {
		if k != 0 {
			return reject(ErrUnsupported, "witness set key %d (scripts, datums, redeemers or bootstrap witnesses) is not supported in the sandbox", k)
		}
	}
	raw, ok := ws[0]
	if !ok {
		return nil
	}
	items, err := decodeSet(raw)
	if err != nil {
		return reject(ErrMalformed, "vkey witnesses: %v", err)
	}
	for i, item := range items {
		pair, err := decodeArray(item)
		if err != nil || len(pair) != 2 {
			return reject(ErrMalformed, "vkey witness %d is not [vkey, signature]", i)
		}
		vkey, err := decodeBytes(pair[0], 32)
		if err != nil {
			return reject(ErrMalformed, "vkey witness %d key: %v", i, err)
		}
		sig, err := decodeBytes(pair[1], 64)
		if err != nil {
			return reject(ErrMalformed, "vkey witness %d signature: %v", i, err)
		}
		tx.Witnesses = append(tx.Witnesses, Witness{VKey: vkey, Signature: sig})
	}
	return nil
}
