package cip30

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/tbackend/sdk/cip30/internal/cbor"
)

// Input names a transaction output: the hash of the transaction that made
// it and its index there.
type Input struct {
	TxHash [32]byte
	Index  uint32
}

// String is "txhashhex#index".
func (in Input) String() string {
	return hex.EncodeToString(in.TxHash[:]) + "#" + strconv.FormatUint(uint64(in.Index), 10)
}

// ParseInput reads "txhashhex#index".
func ParseInput(s string) (Input, error) {
	h, idx, ok := strings.Cut(s, "#")
	var in Input
	if !ok || len(h) != 64 {
		return in, errors.New("an input is written txhash#index with a 64-digit hex hash")
	}
	if _, err := hex.Decode(in.TxHash[:], []byte(h)); err != nil {
		return in, errors.New("an input's hash must be hex")
	}
	n, err := strconv.ParseUint(idx, 10, 16)
	if err != nil {
		return in, errors.New("an input's index must be a number from 0 to 65535")
	}
	in.Index = uint32(n)
	return in, nil
}

func compareInputs(a, b Input) int {
	if c := bytes.Compare(a.TxHash[:], b.TxHash[:]); c != 0 {
		return c
	}
	switch {
	case a.Index < b.Index:
		return -1
	case a.Index > b.Index:
		return 1
	}
	return 0
}

// UTxO is one TransactionUnspentOutput from getUtxos().
type UTxO struct {
	Input   Input
	Address Address
	Value   Value
	// Output is the exact bytes of the output as the wallet sent them.
	Output []byte
	// HasDatum reports a datum hash or an inline datum.
	HasDatum bool
	// HasScriptRef reports a reference script, which this package never
	// spends (Conway charges for its size).
	HasScriptRef bool
}

// utxoLimits: one output is bounded by the transaction that made it
// (16 KiB today); reference scripts and inline datums are the big ones.
var utxoLimits = cbor.Limits{MaxSize: 64 << 10, MaxDepth: 128, MaxItems: 1 << 16}

// DecodeUTxO decodes one TransactionUnspentOutput, [input, output], where
// the output is the legacy array [address, value(, datum_hash)] or the map
// {0: address, 1: value, ?2: datum_option, ?3: script_ref}.
func DecodeUTxO(b []byte) (UTxO, error) {
	it, err := cbor.Decode(b, utxoLimits)
	if err != nil {
		return UTxO{}, &DecodeError{Err: err}
	}
	if it.Kind != cbor.KindArray || len(it.Items) != 2 {
		return UTxO{}, &DecodeError{Err: errors.New("a TransactionUnspentOutput is [input, output]")}
	}
	in, err := inputFromItem(&it.Items[0])
	if err != nil {
		return UTxO{}, &DecodeError{Where: "input", Err: err}
	}
	u := UTxO{Input: in}
	if err := u.parseOutput(&it.Items[1]); err != nil {
		return UTxO{}, decodeErr("output", err)
	}
	u.Output = bytes.Clone(it.Items[1].Raw)
	return u, nil
}

// DecodeUTxOs decodes getUtxos(): a list of hex CBOR strings.
func DecodeUTxOs(hexes []string) ([]UTxO, error) {
	out := make([]UTxO, 0, len(hexes))
	for i, h := range hexes {
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, &DecodeError{Where: "utxo " + strconv.Itoa(i), Err: errors.New("not hex")}
		}
		u, err := DecodeUTxO(b)
		if err != nil {
			return nil, decodeErr("utxo "+strconv.Itoa(i), err)
		}
		out = append(out, u)
	}
	return out, nil
}

func inputFromItem(it *cbor.Item) (Input, error) {
	var in Input
	if it.Kind != cbor.KindArray || len(it.Items) != 2 {
		return in, errors.New("an input is [transaction_id, index]")
	}
	h, ix := &it.Items[0], &it.Items[1]
	if h.Kind != cbor.KindBytes || len(h.Bytes) != 32 {
		return in, errors.New("a transaction id is 32 bytes")
	}
	if ix.Kind != cbor.KindUint || ix.Uint > 0xffff {
		return in, errors.New("an output index is an integer from 0 to 65535")
	}
	copy(in.TxHash[:], h.Bytes)
	in.Index = uint32(ix.Uint)
	return in, nil
}

func (u *UTxO) parseOutput(it *cbor.Item) error {
	var addr, val *cbor.Item
	switch it.Kind {
	case cbor.KindArray:
		if len(it.Items) < 2 || len(it.Items) > 3 {
			return errors.New("a legacy output is [address, value(, datum_hash)]")
		}
		addr, val = &it.Items[0], &it.Items[1]
		if len(it.Items) == 3 {
			if dh := &it.Items[2]; dh.Kind != cbor.KindBytes || len(dh.Bytes) != 32 {
				return &DecodeError{Where: "datum hash", Err: errors.New("a datum hash is 32 bytes")}
			}
			u.HasDatum = true
		}
	case cbor.KindMap:
		for i := range it.Len() {
			k, v := it.Entry(i)
			if k.Kind != cbor.KindUint || k.Uint > 3 {
				return errors.New("an output map has keys 0 to 3 only")
			}
			switch k.Uint {
			case 0:
				addr = v
			case 1:
				val = v
			case 2:
				if err := checkDatumOption(v); err != nil {
					return &DecodeError{Where: "datum", Err: err}
				}
				u.HasDatum = true
			case 3:
				if v.Kind != cbor.KindTag || v.Uint != cbor.TagEncodedCBOR || v.Content().Kind != cbor.KindBytes {
					return &DecodeError{Where: "script ref", Err: errors.New("a script ref is #6.24(bytes)")}
				}
				u.HasScriptRef = true
			}
		}
		if addr == nil || val == nil {
			return errors.New("an output map needs an address (0) and a value (1)")
		}
	default:
		return errors.New("an output is an array or a map, not a " + it.Kind.String())
	}
	if addr.Kind != cbor.KindBytes {
		return &DecodeError{Where: "address", Err: errors.New("an address is a byte string")}
	}
	a, err := AddressFromBytes(addr.Bytes)
	if err != nil {
		return &DecodeError{Where: "address", Err: err}
	}
	if a.IsReward() {
		return &DecodeError{Where: "address", Err: errors.New("a reward address cannot hold an output")}
	}
	v, err := valueFromItem(val)
	if err != nil {
		return &DecodeError{Where: "value", Err: err}
	}
	u.Address, u.Value = a, v
	return nil
}

// checkDatumOption: [0, datum_hash] or [1, #6.24(bytes)].
func checkDatumOption(it *cbor.Item) error {
	if it.Kind != cbor.KindArray || len(it.Items) != 2 || it.Items[0].Kind != cbor.KindUint {
		return errors.New("a datum option is [0, hash] or [1, #6.24(bytes)]")
	}
	d := &it.Items[1]
	switch it.Items[0].Uint {
	case 0:
		if d.Kind == cbor.KindBytes && len(d.Bytes) == 32 {
			return nil
		}
	case 1:
		if d.Kind == cbor.KindTag && d.Uint == cbor.TagEncodedCBOR && d.Content().Kind == cbor.KindBytes {
			return nil
		}
	}
	return errors.New("a datum option is [0, hash] or [1, #6.24(bytes)]")
}
