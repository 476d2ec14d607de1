package cip30

import (
	"errors"
	"time"

	"github.com/tbackend/sdk/cip30/internal/cbor"
)

// Params are the protocol parameters a payment needs.
type Params struct {
	MinFeeA          uint64 // lovelace per byte of the signed transaction
	MinFeeB          uint64 // lovelace per transaction
	CoinsPerUTxOByte uint64
	MaxTxSize        uint64 // bytes
}

// MainnetParams are mainnet's values in the Conway era.
var MainnetParams = Params{MinFeeA: 44, MinFeeB: 155381, CoinsPerUTxOByte: 4310, MaxTxSize: 16384}

// MaxValueSize is the ledger's maxValSize: the largest serialized value an
// output may carry.
const MaxValueSize = 5000

// utxoOverhead is the Babbage rule's constant: min ADA is (160 + output
// size) × coinsPerUTxOByte.
const utxoOverhead = 160

// Output is a transaction output this package writes.
type Output struct {
	Address Address
	Value   Value
}

// Bytes is the output as a transaction carries it: the post-Alonzo map
// {0: address, 1: value}, canonical.
func (o Output) Bytes() []byte { return appendOutput(nil, o) }

func appendOutput(b []byte, o Output) []byte {
	b = cbor.AppendMap(b, 2)
	b = cbor.AppendUint(b, 0)
	b = cbor.AppendHead(b, cbor.MajorBytes, uint64(len(o.Address.raw)))
	b = append(b, o.Address.raw...)
	b = cbor.AppendUint(b, 1)
	return appendValue(b, o.Value)
}

func outputSize(o Output) uint64 {
	a := uint64(len(o.Address.raw))
	return 1 + 1 + uint64(cbor.HeadSize(a)) + a + 1 + uint64(len(appendValue(nil, o.Value)))
}

func minADAFor(size, coinsPerByte uint64) uint64 {
	return (utxoOverhead + size) * coinsPerByte
}

// MinADA is the least lovelace the output must hold under the Babbage
// rule, (160 + size of the serialized output) × coinsPerUTxOByte, with the
// output serialized as this package writes it. Like cardano-serialization-
// lib it starts from the output's own coin and raises it until the size of
// the coin field itself is accounted for.
func MinADA(out Output, p Params) uint64 {
	o := Output{Address: out.Address, Value: Value{Coin: out.Value.Coin, Assets: out.Value.Assets}}
	for range 3 {
		need := minADAFor(outputSize(o), p.CoinsPerUTxOByte)
		if o.Value.Coin >= need {
			return need
		}
		o.Value.Coin = need
	}
	o.Value.Coin = ^uint64(0)
	return minADAFor(outputSize(o), p.CoinsPerUTxOByte)
}

// minCoin is the least coin an output to addr carrying assets can hold.
func minCoin(addr Address, assets map[AssetID]uint64, p Params) uint64 {
	return MinADA(Output{Address: addr, Value: Value{Assets: assets}}, p)
}

// Network slot arithmetic: slot = unix time − offset, valid from the
// start of the Shelley era of each network (one-second slots).
var networks = map[string]struct {
	id      byte
	offset  int64 // unix time of (virtual) slot 0
	shelley int64 // unix time the formula starts to hold
}{
	"mainnet": {1, 1591566291, 1596059091},
	"preprod": {0, 1655683200, 1655769600},
	"preview": {0, 1666656000, 1666656000},
}

// Slot converts a time to an absolute slot of a network: mainnet, preprod
// or preview.
func Slot(network string, t time.Time) (uint64, error) {
	n, ok := networks[network]
	if !ok {
		return 0, unknownNetwork(network)
	}
	u := t.Unix()
	if u < n.shelley {
		return 0, ErrBeforeShelley
	}
	return uint64(u - n.offset), nil
}

// NetworkIDOf is the address network id of a network: 1 for mainnet, 0
// for preprod and preview.
func NetworkIDOf(network string) (byte, error) {
	n, ok := networks[network]
	if !ok {
		return 0, unknownNetwork(network)
	}
	return n.id, nil
}

type networkError struct{ name string }

func (e *networkError) Error() string {
	return "unknown network \"" + e.name + "\": use mainnet, preprod or preview"
}
func (e *networkError) Is(target error) bool { return target == ErrUnknownNetwork }

func unknownNetwork(name string) error { return &networkError{name} }

// ErrBeforeShelley reports a time before the network's Shelley era, where
// slots are not one second long and Slot does not apply.
var ErrBeforeShelley = errors.New("the time is before the network's Shelley era, where slot arithmetic starts")
