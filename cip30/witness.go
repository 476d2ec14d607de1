package cip30

import (
	"bytes"
	"errors"
	"strconv"

	"github.com/tbackend/sdk/cip30/internal/cbor"
	"github.com/tbackend/sdk/cip30/internal/heapsort"
)

// txLimits bound a transaction or witness set from outside; the ledger's
// maximum transaction size is 16 KiB today.
var txLimits = cbor.Limits{MaxSize: 64 << 10, MaxDepth: 128, MaxItems: 1 << 16}

// Witness set keys (Conway CDDL).
const (
	wsVKeys     = 0
	wsBootstrap = 2
	wsRedeemers = 5
)

// decodeTx splits a Conway transaction [body, witness_set, bool, aux].
func decodeTx(tx []byte) (cbor.Item, error) {
	it, err := cbor.Decode(tx, txLimits)
	if err != nil {
		return it, &DecodeError{Where: "transaction", Err: err}
	}
	if it.Kind != cbor.KindArray || len(it.Items) != 4 {
		return it, &DecodeError{Where: "transaction", Err: errors.New("a Conway transaction is [body, witness set, valid, auxiliary data]")}
	}
	if it.Items[0].Kind != cbor.KindMap {
		return it, &DecodeError{Where: "transaction: body", Err: errors.New("the body is not a map")}
	}
	if it.Items[1].Kind != cbor.KindMap {
		return it, &DecodeError{Where: "transaction: witness set", Err: errors.New("the witness set is not a map")}
	}
	if it.Items[2].Kind != cbor.KindBool {
		return it, &DecodeError{Where: "transaction", Err: errors.New("the validity flag is not a boolean")}
	}
	if k := it.Items[3].Kind; k != cbor.KindNull && k != cbor.KindMap && k != cbor.KindArray && k != cbor.KindTag {
		return it, &DecodeError{Where: "transaction: auxiliary data", Err: errors.New("not auxiliary data")}
	}
	return it, nil
}

// TxHash is blake2b-256 of the body's original bytes.
func TxHash(tx []byte) ([32]byte, error) {
	it, err := decodeTx(tx)
	if err != nil {
		return [32]byte{}, err
	}
	return hash256(it.Items[0].Raw), nil
}

// TxInputs returns the inputs of a transaction, in the body's order.
func TxInputs(tx []byte) ([]Input, error) {
	it, err := decodeTx(tx)
	if err != nil {
		return nil, err
	}
	v, ok := it.Items[0].Lookup(bodyInputs)
	if !ok {
		return nil, &DecodeError{Where: "transaction: body", Err: errors.New("no inputs")}
	}
	set, ok := v.Set()
	if !ok {
		return nil, &DecodeError{Where: "transaction: body: inputs", Err: errors.New("not a set")}
	}
	out := make([]Input, 0, len(set))
	for i := range set {
		in, err := inputFromItem(&set[i])
		if err != nil {
			return nil, &DecodeError{Where: "transaction: body: input " + strconv.Itoa(i), Err: err}
		}
		out = append(out, in)
	}
	return out, nil
}

// SignedBy returns the key hashes (blake2b-224) of the transaction's vkey
// witnesses, to compare with Payment.Signers.
func SignedBy(tx []byte) ([][28]byte, error) {
	it, err := decodeTx(tx)
	if err != nil {
		return nil, err
	}
	ws, err := readWitnessSet(&it.Items[1])
	if err != nil {
		return nil, decodeErr("transaction: witness set", err)
	}
	var out [][28]byte
	for _, w := range ws[wsVKeys].elems {
		out = append(out, hash224(w.Items[0].Bytes))
	}
	return out, nil
}

// witnessField is one key of a witness set: its set elements (or, for a
// field that is not a set, the raw item alone).
type witnessField struct {
	elems  []cbor.Item
	tagged bool       // written with tag 258
	single *cbor.Item // not a set (redeemers)
}

func readWitnessSet(ws *cbor.Item) (map[uint64]*witnessField, error) {
	if ws.Kind != cbor.KindMap {
		return nil, errors.New("a witness set is a map, not a " + ws.Kind.String())
	}
	out := map[uint64]*witnessField{}
	for i := range ws.Len() {
		k, v := ws.Entry(i)
		if k.Kind != cbor.KindUint {
			return nil, errors.New("witness set keys are unsigned integers")
		}
		where := "key " + strconv.FormatUint(k.Uint, 10)
		f := &witnessField{}
		if k.Uint == wsRedeemers {
			f.single = v
			out[k.Uint] = f
			continue
		}
		elems, ok := v.Set()
		if !ok {
			return nil, &DecodeError{Where: where, Err: errors.New("not a set")}
		}
		f.elems, f.tagged = elems, v.Kind == cbor.KindTag
		for j := range elems {
			if err := checkWitness(k.Uint, &elems[j]); err != nil {
				return nil, &DecodeError{Where: where + ": item " + strconv.Itoa(j), Err: err}
			}
		}
		out[k.Uint] = f
	}
	return out, nil
}

func checkWitness(key uint64, w *cbor.Item) error {
	isBytes := func(i int, n int) bool {
		return w.Items[i].Kind == cbor.KindBytes && (n < 0 || len(w.Items[i].Bytes) == n)
	}
	switch key {
	case wsVKeys:
		if w.Kind != cbor.KindArray || len(w.Items) != 2 || !isBytes(0, 32) || !isBytes(1, 64) {
			return errors.New("a vkey witness is [vkey (32 bytes), signature (64 bytes)]")
		}
	case wsBootstrap:
		if w.Kind != cbor.KindArray || len(w.Items) != 4 || !isBytes(0, 32) || !isBytes(1, 64) || !isBytes(2, 32) || !isBytes(3, -1) {
			return errors.New("a bootstrap witness is [vkey, signature, chain code, attributes]")
		}
	}
	return nil
}

// AttachWitnesses merges the witness set a wallet's signTx() returned into
// the transaction's witness set. The body and auxiliary data are copied
// byte for byte from unsignedTx; only the witness set is re-encoded, from
// the original bytes of each witness. Vkey and bootstrap witnesses are
// deduplicated by key, other set elements by their bytes.
func AttachWitnesses(unsignedTx, walletWitnessSet []byte) ([]byte, error) {
	tx, err := decodeTx(unsignedTx)
	if err != nil {
		return nil, err
	}
	mine, err := readWitnessSet(&tx.Items[1])
	if err != nil {
		return nil, decodeErr("transaction: witness set", err)
	}
	wit, err := cbor.Decode(walletWitnessSet, txLimits)
	if err != nil {
		return nil, &DecodeError{Where: "witness set", Err: err}
	}
	if wit.Kind == cbor.KindArray && len(wit.Items) == 4 && bytes.Equal(wit.Items[0].Raw, tx.Items[0].Raw) {
		// Some wallets return the whole signed transaction: take its
		// witness set, since the body is ours.
		wit = wit.Items[1]
	}
	theirs, err := readWitnessSet(&wit)
	if err != nil {
		return nil, decodeErr("witness set", err)
	}
	if f := theirs[wsVKeys]; f == nil || len(f.elems) == 0 {
		if f := theirs[wsBootstrap]; f == nil || len(f.elems) == 0 {
			return nil, ErrNoWitnesses
		}
	}
	keys := make([]uint64, 0, len(mine)+len(theirs))
	for k := range mine {
		keys = append(keys, k)
	}
	for k := range theirs {
		if mine[k] == nil {
			keys = append(keys, k)
		}
	}
	heapsort.Sort(len(keys), func(i, j int) bool { return keys[i] < keys[j] },
		func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	var ws cbor.MapBuilder
	for _, k := range keys {
		a, b := mine[k], theirs[k]
		var val []byte
		switch {
		case a == nil || b == nil:
			f := a
			if f == nil {
				f = b
			}
			if f.single != nil {
				val = f.single.Raw
			} else {
				val = appendSet(nil, f.tagged, dedupe(k, f.elems, nil))
			}
		case a.single != nil || b.single != nil:
			return nil, &DecodeError{Where: "witness set", Err: errors.New("both sides carry key " + strconv.FormatUint(k, 10) + ", which cannot be merged")}
		default:
			val = appendSet(nil, a.tagged || b.tagged, dedupe(k, a.elems, b.elems))
		}
		ws.Add(cbor.AppendUint(nil, k), val)
	}
	out := cbor.AppendArray(make([]byte, 0, len(unsignedTx)+len(walletWitnessSet)+16), 4)
	out = append(out, tx.Items[0].Raw...)
	out, err = ws.AppendTo(out)
	if err != nil {
		return nil, err
	}
	out = append(out, tx.Items[2].Raw...)
	out = append(out, tx.Items[3].Raw...)
	return out, nil
}

// dedupe joins two lists of set elements, dropping repeats: by public key
// for vkey and bootstrap witnesses, by bytes otherwise.
func dedupe(key uint64, a, b []cbor.Item) []cbor.Item {
	id := func(it *cbor.Item) string {
		if key == wsVKeys || key == wsBootstrap {
			return string(it.Items[0].Bytes)
		}
		return string(it.Raw)
	}
	seen := map[string]bool{}
	var out []cbor.Item
	for _, list := range [][]cbor.Item{a, b} {
		for i := range list {
			if k := id(&list[i]); !seen[k] {
				seen[k] = true
				out = append(out, list[i])
			}
		}
	}
	return out
}

func appendSet(b []byte, tagged bool, elems []cbor.Item) []byte {
	if tagged {
		b = cbor.AppendTag(b, cbor.TagSet)
	}
	b = cbor.AppendArray(b, len(elems))
	for i := range elems {
		b = append(b, elems[i].Raw...)
	}
	return b
}
