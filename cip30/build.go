package cip30

import (
	"errors"
	"slices"
	"strconv"

	"github.com/tbackend/sdk/cip30/internal/heapsort"
)

// PaymentSpec is what BuildPayment pays and with what.
type PaymentSpec struct {
	Outputs []Output // every invoice output, in order
	Change  Address
	UTxOs   []UTxO  // the wallet's
	Exclude []Input // inputs already used by pending payments: never selected
	// Require lists inputs to spend first when the wallet still holds them:
	// a payment rebuilt after an interrupted attempt spends one of the first
	// attempt's inputs, so that at most one of the two can ever land.
	Require []Input
	TTL     uint64 // absolute slot after which the transaction is invalid
	// Message holds CIP-20 message lines (label 674). Lines longer than 64
	// bytes are split at character boundaries. Empty: no auxiliary data.
	Message []string
	Params  Params // the zero Params means MainnetParams
}

// Payment is an unsigned payment transaction.
type Payment struct {
	Tx   []byte   // [body, {}, true, auxiliary_data]
	Body []byte   // the exact body bytes inside Tx
	Hash [32]byte // blake2b-256(Body): what the wallet signs
	Fee  uint64
	// Inputs are the selected inputs, in the body's (sorted) order.
	Inputs []Input
	// Change is what returns to the change address, over all change
	// outputs; zero when the leftover was folded into the fee.
	Change Value
	// Size is the signed-size estimate the fee pays for.
	Size int
	// Outputs are all outputs of the transaction: the invoice's, then
	// change.
	Outputs []Output
	// Signers are the payment key hashes whose signatures the transaction
	// needs, one vkey witness each.
	Signers [][28]byte
	AuxData []byte // nil without a message
	TTL     uint64
}

// BuildPayment selects inputs and builds a Conway-era payment
// transaction: invoice outputs exactly as given, change back to
// spec.Change with every native token of the spent inputs, fee at the
// fixed point of minFeeA × signed size + minFeeB, canonical CBOR.
//
// Selection is deterministic: UTxOs carrying the tokens the outputs need,
// then ADA-only UTxOs from the largest, then token-carrying ones from the
// largest. UTxOs at script or Byron addresses, with a reference script, or
// listed in spec.Exclude are never spent.
func BuildPayment(spec PaymentSpec) (*Payment, error) {
	b, err := newBuilder(&spec)
	if err != nil {
		return nil, err
	}
	return b.run()
}

type candidate struct {
	utxo   *UTxO
	signer [28]byte
}

type builder struct {
	p       Params
	outs    []Output
	target  Value
	change  Address
	ttl     uint64
	aux     []byte
	auxHash *[32]byte
	cands   []candidate
	require []Input
	have    Value
	skipped int
}

func newBuilder(spec *PaymentSpec) (*builder, error) {
	b := &builder{p: spec.Params, change: spec.Change, ttl: spec.TTL, require: spec.Require}
	if b.p == (Params{}) {
		b.p = MainnetParams
	}
	if b.p.MaxTxSize == 0 {
		return nil, invalid("the protocol parameters have no maximum transaction size")
	}
	if len(spec.Outputs) == 0 {
		return nil, invalid("there is nothing to pay")
	}
	if b.change.IsZero() || b.change.IsReward() {
		return nil, invalid("the change address must be a payment address")
	}
	if b.ttl == 0 {
		return nil, invalid("the transaction needs a TTL")
	}
	net := b.change.NetworkID()
	for i, o := range spec.Outputs {
		where := "output " + strconv.Itoa(i)
		if o.Address.IsZero() || o.Address.IsReward() {
			return nil, invalid(where + " has no payment address")
		}
		if o.Address.NetworkID() != net {
			return nil, invalid(where + " pays an address of another network than the change address")
		}
		o.Value = o.Value.Clone()
		if len(appendValue(nil, o.Value)) > MaxValueSize {
			return nil, invalid(where + " carries more tokens than one output can hold")
		}
		if need := MinADA(o, b.p); o.Value.Coin < need {
			return nil, &BelowMinADAError{Index: i, Have: o.Value.Coin, Need: need}
		}
		t, err := b.target.Add(o.Value)
		if err != nil {
			return nil, invalid("the outputs add up to more than 64 bits")
		}
		b.target = t
		b.outs = append(b.outs, o)
	}
	lines, err := splitMessage(spec.Message)
	if err != nil {
		return nil, err
	}
	if len(lines) > 0 {
		b.aux = appendAuxData(nil, lines)
		h := hash256(b.aux)
		b.auxHash = &h
	}
	if err := b.collect(spec, net); err != nil {
		return nil, err
	}
	return b, nil
}

// collect keeps the UTxOs this package can spend, in selection order.
func (b *builder) collect(spec *PaymentSpec, net byte) error {
	excluded := make(map[Input]bool, len(spec.Exclude))
	for _, in := range spec.Exclude {
		excluded[in] = true
	}
	seen := make(map[Input]bool, len(spec.UTxOs))
	for i := range spec.UTxOs {
		u := &spec.UTxOs[i]
		if seen[u.Input] {
			continue
		}
		seen[u.Input] = true
		kh, isKey := u.Address.PaymentKeyHash()
		if excluded[u.Input] || !isKey || u.HasScriptRef || u.Address.NetworkID() != net {
			b.skipped++
			continue
		}
		if err := b.have.add(u.Value); err != nil {
			return invalid("the wallet's UTxOs add up to more than 64 bits")
		}
		b.cands = append(b.cands, candidate{utxo: u, signer: kh})
	}
	// ADA-only first, then by coin from the largest, then by input.
	c := b.cands
	heapsort.Sort(len(c), func(i, j int) bool {
		x, y := c[i].utxo, c[j].utxo
		if xa, ya := x.Value.HasAssets(), y.Value.HasAssets(); xa != ya {
			return ya
		}
		if x.Value.Coin != y.Value.Coin {
			return x.Value.Coin > y.Value.Coin
		}
		return compareInputs(x.Input, y.Input) < 0
	}, func(i, j int) { c[i], c[j] = c[j], c[i] })
	return nil
}

func (b *builder) run() (*Payment, error) {
	// Tokens the outputs need come first, from the UTxOs holding most of
	// each.
	var pre []candidate
	rest := slices.Clone(b.cands)
	for _, in := range b.require {
		if i := slices.IndexFunc(rest, func(c candidate) bool { return c.utxo.Input == in }); i >= 0 {
			pre = append(pre, rest[i])
			rest = slices.Delete(rest, i, i+1)
		}
	}
	for _, id := range sortedAssets(b.target.Assets) {
		var got uint64
		for _, c := range pre {
			got = satAdd(got, c.utxo.Value.Assets[id])
		}
		for got < b.target.Assets[id] {
			best := -1
			for i, c := range rest {
				if q := c.utxo.Value.Assets[id]; q > 0 && (best < 0 || q > rest[best].utxo.Value.Assets[id]) {
					best = i
				}
			}
			if best < 0 {
				return nil, b.insufficient()
			}
			got = satAdd(got, rest[best].utxo.Value.Assets[id])
			pre = append(pre, rest[best])
			rest = slices.Delete(rest, best, best+1)
		}
	}
	var fallback *attempt
	var coin uint64
	for _, c := range pre {
		coin = satAdd(coin, c.utxo.Value.Coin)
	}
	for k := 0; k <= len(rest); k++ {
		if k > 0 {
			coin = satAdd(coin, rest[k-1].utxo.Value.Coin)
		}
		sel := append(slices.Clip(pre), rest[:k]...)
		if len(sel) == 0 || coin < satAdd(b.target.Coin, b.p.MinFeeB) {
			continue
		}
		a, st, err := b.try(sel)
		if err != nil {
			return nil, err
		}
		switch st {
		case built:
			// Folding a small leftover into the fee may still be cheaper
			// than the extra input that made change possible.
			if fallback != nil && fallback.fee <= a.fee {
				a = fallback
			}
			return b.finish(a)
		case folded:
			if fallback == nil {
				fallback = a
			}
		case tooLarge:
			if fallback != nil {
				return b.finish(fallback)
			}
			return nil, &TxTooLargeError{Size: a.size, Max: int(b.p.MaxTxSize), Tokens: a.size-a.changeBytes <= int(b.p.MaxTxSize)}
		}
	}
	if fallback != nil {
		return b.finish(fallback)
	}
	return nil, b.insufficient()
}

// satAdd adds without wrapping around.
func satAdd(a, b uint64) uint64 {
	if a+b < a {
		return ^uint64(0)
	}
	return a + b
}

func (b *builder) insufficient() error {
	e := &InsufficientFundsError{Have: b.have, Skipped: b.skipped}
	need := b.target.Clone()
	e.Fee = b.estimateFee(b.cands)
	need.Coin += e.Fee
	if len(b.cands) > 0 {
		if a, st, err := b.try(b.cands); err == nil && st == needMore && a.changeCoin > 0 {
			// Enough ADA for the outputs, not for the tokens' change.
			need.Coin += a.changeCoin
		}
	}
	e.Need = need
	return e
}

// estimateFee is the fee of spending sel with one change output, for
// error messages.
func (b *builder) estimateFee(sel []candidate) uint64 {
	a := &attempt{}
	seen := map[[28]byte]bool{}
	var in Value
	for _, c := range sel {
		_ = in.add(c.utxo.Value)
		a.inputs = append(a.inputs, c.utxo.Input)
		if !seen[c.signer] {
			seen[c.signer] = true
			a.signers = append(a.signers, c.signer)
		}
	}
	if len(sel) == 0 {
		a.signers = make([][28]byte, 1)
	}
	change := Value{Coin: 1 << 31}
	for id, q := range in.Assets {
		if q > b.target.Assets[id] {
			if change.Assets == nil {
				change.Assets = map[AssetID]uint64{}
			}
			change.Assets[id] = q - b.target.Assets[id]
		}
	}
	b.assemble(a, splitChange(b.change, change), 1<<20)
	return b.minFee(a.size)
}

func splitChange(addr Address, v Value) []Output {
	if !v.HasAssets() {
		return []Output{{Address: addr, Value: v}}
	}
	var outs []Output
	for _, assets := range splitAssets(v.Assets) {
		outs = append(outs, Output{Address: addr, Value: Value{Coin: v.Coin, Assets: assets}})
	}
	return outs
}

type status int

const (
	needMore status = iota
	built
	folded
	tooLarge
)

type attempt struct {
	inputs      []Input
	signers     [][28]byte
	outs        []Output
	change      Value
	fee         uint64
	body, tx    []byte
	size        int
	changeBytes int
	changeCoin  uint64 // when short because of token change: its minimum ADA
}

// try builds the transaction spending sel, iterating the fee to a fixed
// point.
func (b *builder) try(sel []candidate) (*attempt, status, error) {
	a := &attempt{}
	var in Value
	seen := map[[28]byte]bool{}
	for _, c := range sel {
		if err := in.add(c.utxo.Value); err != nil {
			return nil, 0, invalid("the selected UTxOs add up to more than 64 bits")
		}
		a.inputs = append(a.inputs, c.utxo.Input)
		if !seen[c.signer] {
			seen[c.signer] = true
			a.signers = append(a.signers, c.signer)
		}
	}
	sortInputs(a.inputs)
	if !in.Covers(b.target) {
		return a, needMore, nil
	}
	var fee uint64
	for range 32 {
		if in.Coin < satAdd(b.target.Coin, fee) {
			a.fee = fee
			return a, needMore, nil
		}
		left, _ := in.Sub(b.target)
		left.Coin -= fee
		var change []Output
		switch {
		case left.HasAssets():
			var ok bool
			if change, a.changeCoin, ok = b.makeChange(left); !ok {
				a.fee = fee
				return a, needMore, nil
			}
		case left.Coin >= minCoin(b.change, nil, b.p):
			change = []Output{{Address: b.change, Value: left}}
		default:
			// Too little for a change output and no tokens: it goes to
			// the fee.
			b.assemble(a, nil, in.Coin-b.target.Coin)
			switch {
			case a.size > int(b.p.MaxTxSize):
				return a, tooLarge, nil
			case b.minFee(a.size) > a.fee:
				return a, needMore, nil
			}
			return a, folded, nil
		}
		b.assemble(a, change, fee)
		if a.size > int(b.p.MaxTxSize) {
			return a, tooLarge, nil
		}
		need := b.minFee(a.size)
		if need <= fee {
			a.change = left
			return a, built, nil
		}
		fee = need
	}
	return nil, 0, errors.New("cip30: the fee did not converge")
}

func (b *builder) minFee(size int) uint64 { return b.p.MinFeeA*uint64(size) + b.p.MinFeeB }

func (b *builder) assemble(a *attempt, change []Output, fee uint64) {
	a.outs = append(slices.Clip(b.outs), change...)
	a.fee = fee
	a.body = appendBody(a.body[:0], a.inputs, a.outs, fee, b.ttl, b.auxHash)
	a.tx = appendTx(a.tx[:0], a.body, b.aux)
	a.size = len(a.tx) - 1 + witnessSetSize(len(a.signers))
	a.changeBytes = 0
	for _, o := range change {
		a.changeBytes += int(outputSize(o))
	}
}

func (b *builder) finish(a *attempt) (*Payment, error) {
	p := &Payment{
		Tx:      a.tx,
		Body:    a.tx[1 : 1+len(a.body)],
		Hash:    hash256(a.body),
		Fee:     a.fee,
		Inputs:  a.inputs,
		Change:  a.change,
		Size:    a.size,
		Outputs: a.outs,
		Signers: a.signers,
		AuxData: b.aux,
		TTL:     b.ttl,
	}
	if err := b.verify(p); err != nil {
		return nil, err
	}
	return p, nil
}
