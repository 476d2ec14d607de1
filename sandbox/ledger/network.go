package ledger

import "time"

// Network is a Cardano network the sandbox imitates: its id in addresses and
// the time of slot 0 (one slot a second in the Shelley era).
type Network struct {
	Name string // mainnet, preprod or preview
	ID   byte   // 1 mainnet, 0 test networks
	// SlotZero is the Unix time that maps to slot 0 with one-second slots
	// (mainnet slot = unix − 1591566291, and so on).
	SlotZero int64
}

// The networks the sandbox knows.
var (
	Mainnet = Network{Name: "mainnet", ID: 1, SlotZero: 1591566291}
	Preprod = Network{Name: "preprod", ID: 0, SlotZero: 1655683200}
	Preview = Network{Name: "preview", ID: 0, SlotZero: 1666656000}
)

// Chain is the invoice chain name: cardano-mainnet, cardano-preprod, cardano-preview.
func (n Network) Chain() string { return "cardano-" + n.Name }

// Slot is the slot of t (0 before the network's slot 0).
func (n Network) Slot(t time.Time) uint64 {
	s := t.Unix() - n.SlotZero
	if s < 0 {
		return 0
	}
	return uint64(s)
}

// SlotTime is the start of slot.
func (n Network) SlotTime(slot uint64) time.Time {
	return time.Unix(n.SlotZero+int64(slot), 0).UTC()
}

// Params are the protocol parameters the ledger checks.
type Params struct {
	MinFeeA          uint64 // lovelace per byte of transaction
	MinFeeB          uint64 // lovelace per transaction
	CoinsPerUTxOByte uint64 // min-ADA: (160 + output size) × this
	MaxTxSize        uint64 // bytes
}

// DefaultParams are the mainnet values.
var DefaultParams = Params{MinFeeA: 44, MinFeeB: 155381, CoinsPerUTxOByte: 4310, MaxTxSize: 16384}

func (p Params) withDefaults() Params {
	if p.MinFeeA == 0 {
		p.MinFeeA = DefaultParams.MinFeeA
	}
	if p.MinFeeB == 0 {
		p.MinFeeB = DefaultParams.MinFeeB
	}
	if p.CoinsPerUTxOByte == 0 {
		p.CoinsPerUTxOByte = DefaultParams.CoinsPerUTxOByte
	}
	if p.MaxTxSize == 0 {
		p.MaxTxSize = DefaultParams.MaxTxSize
	}
	return p
}

// MinFee is the least fee for a transaction of size bytes.
func (p Params) MinFee(size int) uint64 {
	return p.MinFeeA*uint64(size) + p.MinFeeB
}

// MinADA is the least lovelace an output of size serialized bytes must hold
// (Babbage rule).
func (p Params) MinADA(size int) uint64 {
	return (160 + uint64(size)) * p.CoinsPerUTxOByte
}
