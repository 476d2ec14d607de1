package cip30

import (
	"errors"
	"strconv"

	"github.com/tbackend/sdk/cip30/internal/cbor"
)

// makeChange returns change outputs for a leftover that carries tokens:
// one output, or several when one value would exceed MaxValueSize (5000
// bytes), each with at least its minimum ADA and the last with the rest.
// It reports false, with the lovelace the change would need, when the
// leftover's ADA does not cover the minimums.
func (b *builder) makeChange(left Value) ([]Output, uint64, bool) {
	bundles := splitAssets(left.Assets)
	outs := make([]Output, len(bundles))
	var used uint64
	for i, assets := range bundles {
		outs[i] = Output{Address: b.change, Value: Value{Assets: assets}}
		if i < len(bundles)-1 {
			c := minCoin(b.change, assets, b.p)
			outs[i].Value.Coin = c
			used += c
		}
	}
	last := &outs[len(outs)-1]
	need := used + minCoin(b.change, last.Value.Assets, b.p)
	if left.Coin < need {
		return nil, need, false
	}
	last.Value.Coin = left.Coin - used
	if last.Value.Coin < MinADA(*last, b.p) {
		return nil, need, false
	}
	return outs, need, true
}

// splitAssets cuts a token bundle, in canonical order, into bundles whose
// value encodes to at most MaxValueSize bytes even with the largest coin.
func splitAssets(assets map[AssetID]uint64) []map[AssetID]uint64 {
	var out []map[AssetID]uint64
	var cur map[AssetID]uint64
	// The bundle's encoded value: array head (1) + coin (at most 9) + map
	// head + per policy (30 + map head) + per asset (name + quantity).
	var body, policies, inPolicy int
	var policy [28]byte
	for _, id := range sortedAssets(assets) {
		asset := cbor.HeadSize(uint64(len(id.Name))) + len(id.Name) + cbor.HeadSize(assets[id])
		nb, np, ni := body+asset, policies, inPolicy+1
		if cur == nil || id.PolicyID != policy {
			nb, np, ni = nb+30+1, np+1, 1
		} else {
			nb += cbor.HeadSize(uint64(ni)) - cbor.HeadSize(uint64(inPolicy))
		}
		if cur == nil || 1+9+cbor.HeadSize(uint64(np))+nb > MaxValueSize {
			cur = map[AssetID]uint64{}
			out = append(out, cur)
			nb, np, ni = asset+30+1, 1, 1
		}
		cur[id] = assets[id]
		body, policies, inPolicy, policy = nb, np, ni, id.PolicyID
	}
	return out
}

// verify re-checks the finished transaction: value conserved exactly per
// asset, every output at or above its minimum ADA and within the value
// size limit, and the fee at least the minimum for the signed size.
func (b *builder) verify(p *Payment) error {
	var in, out Value
	inputs := map[Input]bool{}
	for _, i := range p.Inputs {
		inputs[i] = true
	}
	for _, c := range b.cands {
		if inputs[c.utxo.Input] {
			_ = in.add(c.utxo.Value)
		}
	}
	for i, o := range p.Outputs {
		_ = out.add(o.Value)
		if o.Value.Coin < MinADA(o, b.p) {
			return errors.New("cip30: internal error: output " + strconv.Itoa(i) + " below its minimum ADA")
		}
		if len(appendValue(nil, o.Value)) > MaxValueSize {
			return errors.New("cip30: internal error: output " + strconv.Itoa(i) + " value too large")
		}
	}
	out.Coin += p.Fee
	if !in.Equal(out) {
		return errors.New("cip30: internal error: value not conserved")
	}
	if p.Fee < b.minFee(p.Size) || p.Size > int(b.p.MaxTxSize) {
		return errors.New("cip30: internal error: fee below the minimum")
	}
	return nil
}
