package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"strconv"

	"golang.org/x/crypto/blake2b"
)

// verifyLocked runs every check on a transaction, cheapest first:
// size, form, network, inputs, validity interval, fee, outputs, witnesses,
// value conservation, auxiliary data hash.
// maxValueSize is the protocol's maxValSize: the largest serialized value
// one output may carry.
const maxValueSize = 5000

func (l *Ledger) verifyLocked(raw []byte) (*Tx, error) {
	p := l.params
	if uint64(len(raw)) > p.MaxTxSize {
		return nil, reject(ErrTooLarge, "the transaction is %d bytes; the maximum size is %d bytes", len(raw), p.MaxTxSize)
	}
	tx, err := Decode(raw)
	if err != nil {
		return nil, err
	}
	if !tx.IsValid {
		return nil, reject(ErrInvalidFlag, "the transaction is marked invalid (is_valid false), which only makes sense for failing scripts")
	}
	if tx.NetworkID >= 0 && byte(tx.NetworkID) != l.net.ID {
		return nil, reject(ErrWrongNetwork, "the transaction is for network id %d, this ledger is %s (network id %d)", tx.NetworkID, l.net.Name, l.net.ID)
	}
	if _, ok := l.txs[tx.Hash]; ok {
		return nil, reject(ErrSpentInput, "transaction %s was already submitted", tx.HashHex())
	}

	inputs, err := l.resolveInputsLocked(tx)
	if err != nil {
		return nil, err
	}

	slot := l.net.Slot(l.now())
	if !tx.HasTTL {
		return nil, reject(ErrNoTTL, "the transaction has no time to live (body key 3); the sandbox requires one")
	}
	if tx.TTL <= slot {
		return nil, reject(ErrExpired, "the transaction's time to live (slot %d) has passed: the current slot is %d", tx.TTL, slot)
	}
	if tx.ValidFrom > slot {
		return nil, reject(ErrNotYetValid, "the transaction is valid from slot %d, the current slot is %d", tx.ValidFrom, slot)
	}

	if min := p.MinFee(len(raw)); tx.Fee < min {
		return nil, reject(ErrFeeTooLow, "the fee is %d lovelace; a transaction of %d bytes needs at least %d (%d × %d + %d)",
			tx.Fee, len(raw), min, p.MinFeeA, len(raw), p.MinFeeB)
	}

	for i, out := range tx.Outputs {
		if err := out.Address.check(l.net); err != nil {
			err.Reason = "output " + strconv.Itoa(i) + ": " + err.Reason
			return nil, err
		}
		if v, err := out.Value.MarshalCBOR(); err != nil || len(v) > maxValueSize {
			return nil, reject(ErrOutputTooSmall, "output %d carries a value of more than %d bytes (maxValSize)", i, maxValueSize)
		}
		if min := p.MinADA(len(out.Raw)); out.Value.Coin < min {
			return nil, reject(ErrOutputTooSmall, "output %d holds %d lovelace; an output of %d bytes needs at least %d (min-ADA: (160 + %d) × %d)",
				i, out.Value.Coin, len(out.Raw), min, len(out.Raw), p.CoinsPerUTxOByte)
		}
	}

	if err := checkWitnesses(tx, inputs); err != nil {
		return nil, err
	}
	if err := checkConservation(tx, inputs); err != nil {
		return nil, err
	}
	if err := checkAuxData(tx); err != nil {
		return nil, err
	}
	return tx, nil
}

// resolveInputsLocked finds every input's output, refusing an empty,
// duplicate, spent or unknown input.
func (l *Ledger) resolveInputsLocked(tx *Tx) ([]Output, error) {
	if len(tx.Inputs) == 0 {
		return nil, reject(ErrNoInputs, "the transaction has no inputs")
	}
	seen := map[Input]bool{}
	outs := make([]Output, 0, len(tx.Inputs))
	for _, in := range tx.Inputs {
		if seen[in] {
			return nil, reject(ErrDuplicateInput, "input %s appears twice", in)
		}
		seen[in] = true
		e, ok := l.utxo[in]
		if !ok {
			if by, spent := l.spent[in]; spent {
				return nil, reject(ErrSpentInput, "input %s was already spent by transaction %x", in, by)
			}
			return nil, reject(ErrUnknownInput, "input %s does not exist in the sandbox ledger", in)
		}
		outs = append(outs, e.out)
	}
	return outs, nil
}

// checkWitnesses verifies every vkey witness over the body hash and that the
// payment key of every input, and every required signer, has one.
func checkWitnesses(tx *Tx, inputs []Output) error {
	signed := map[KeyHash]bool{}
	for i, w := range tx.Witnesses {
		h := HashKey(w.VKey)
		if !ed25519.Verify(ed25519.PublicKey(w.VKey), tx.Hash[:], w.Signature) {
			return reject(ErrBadSignature, "witness %d (key hash %s) does not verify over the body hash %s; was the body re-encoded after signing?", i, h, tx.HashHex())
		}
		signed[h] = true
	}
	for i, out := range inputs {
		kh, ok := out.Address.PaymentKeyHash()
		if !ok {
			return reject(ErrUnsupported, "input %s is locked by a script, which the sandbox does not run", tx.Inputs[i])
		}
		if !signed[kh] {
			return reject(ErrMissingWitness, "input %s is locked by key hash %s and no witness signs for it", tx.Inputs[i], kh)
		}
	}
	for _, kh := range tx.RequiredSigners {
		if !signed[kh] {
			return reject(ErrMissingWitness, "required signer %s has no witness", kh)
		}
	}
	return nil
}

// checkConservation: the inputs hold exactly the outputs plus the fee, for
// lovelace and for every token (nothing is minted or burnt).
func checkConservation(tx *Tx, inputs []Output) error {
	var in, out Value
	var err error
	for _, o := range inputs {
		if in, err = in.Add(o.Value); err != nil {
			return reject(ErrValueNotConserved, "the inputs' value overflows")
		}
	}
	for _, o := range tx.Outputs {
		if out, err = out.Add(o.Value); err != nil {
			return reject(ErrValueNotConserved, "the outputs' value overflows")
		}
	}
	if out, err = out.Add(Value{Coin: tx.Fee}); err != nil {
		return reject(ErrValueNotConserved, "outputs plus fee overflow")
	}
	if !in.Equal(out) {
		return reject(ErrValueNotConserved, "value is not conserved (inputs must equal outputs + fee): %s", in.diff(out))
	}
	return nil
}

// checkAuxData: auxiliary data and body key 7 come together, and the hash is
// blake2b-256 of the auxiliary data bytes as received.
func checkAuxData(tx *Tx) error {
	switch {
	case tx.AuxData == nil && tx.AuxDataHash == nil:
		return nil
	case tx.AuxData == nil:
		return reject(ErrAuxDataHash, "the body has an auxiliary data hash (key 7) but the transaction has no auxiliary data")
	case tx.AuxDataHash == nil:
		return reject(ErrAuxDataHash, "the transaction has auxiliary data but the body has no auxiliary data hash (key 7)")
	}
	sum := blake2b.Sum256(tx.AuxData)
	if !bytes.Equal(sum[:], tx.AuxDataHash) {
		return reject(ErrAuxDataHash, "the auxiliary data hashes to %x, but the body says %s", sum, hex.EncodeToString(tx.AuxDataHash))
	}
	return nil
}
