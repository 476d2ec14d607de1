package ledger

import (
	"fmt"
	"strings"

	"golang.org/x/crypto/blake2b"
)

// Sandbox tokens. Their policy ids are blake2b-224("tbackend sandbox
// policy/" + name): made up, deterministic, matching no real policy. They
// exist only in this in-memory ledger and are worth nothing.
var (
	PolicySNEK  = sandboxPolicy("tSNEK")
	PolicyHOSKY = sandboxPolicy("tHOSKY")
	PolicyNFT   = sandboxPolicy("tNFT")

	TokenSNEK  = Asset{Policy: PolicySNEK, Name: "tSNEK"}
	TokenHOSKY = Asset{Policy: PolicyHOSKY, Name: "tHOSKY"}
)

// NFT is the n-th sandbox NFT, asset name "tNFT%04d" under PolicyNFT.
func NFT(n int) Asset { return Asset{Policy: PolicyNFT, Name: fmt.Sprintf("tNFT%04d", n)} }

func sandboxPolicy(name string) PolicyID {
	h, _ := blake2b.New(28, nil)
	h.Write([]byte("tbackend sandbox policy/" + name))
	return PolicyID(h.Sum(nil))
}

// GenesisTxID is the made-up transaction that funds an account on first use:
// blake2b-256("tbackend sandbox genesis/" + account).
func GenesisTxID(account string) [32]byte {
	return blake2b.Sum256([]byte("tbackend sandbox genesis/" + account))
}

type genesisOutput struct {
	value   Value
	mapForm bool // post-Alonzo {0: address, 1: value} rather than [address, value]
	// indefinite serves the TransactionUnspentOutput as an
	// indefinite-length array, to exercise wallet decoders.
	indefinite bool
}

const ada = 1_000_000

// Profile names the funding an account name gets: "tokens-only" for names
// starting with "tokens-only", "poor" for names starting with "poor",
// "default" for every other name.
func Profile(account string) string {
	switch {
	case strings.HasPrefix(account, "tokens-only"):
		return "tokens-only"
	case strings.HasPrefix(account, "poor"):
		return "poor"
	}
	return "default"
}

func assets(pairs ...any) map[Asset]uint64 {
	m := map[Asset]uint64{}
	for i := 0; i < len(pairs); i += 2 {
		m[pairs[i].(Asset)] = uint64(pairs[i+1].(int))
	}
	return m
}

// genesisOutputs is the funding of each profile:
//
//	default:     1000 ADA; 250 ADA + 1,000,000 tSNEK + 42,000,000 tHOSKY;
//	             8 ADA + NFT tNFT0001; 2 ADA + 69,000 tHOSKY + tNFT0002 + tNFT0003
//	tokens-only: 20 ADA + 5,000 tSNEK; 20 ADA + 1,000,000 tHOSKY;
//	             20 ADA + tNFT0004 + 100 tSNEK
//	poor:        1.2 ADA
func genesisOutputs(account string) []genesisOutput {
	switch Profile(account) {
	case "tokens-only":
		return []genesisOutput{
			{value: Value{Coin: 20 * ada, Assets: assets(TokenSNEK, 5_000)}, mapForm: true},
			{value: Value{Coin: 20 * ada, Assets: assets(TokenHOSKY, 1_000_000)}},
			{value: Value{Coin: 20 * ada, Assets: assets(NFT(4), 1, TokenSNEK, 100)}, mapForm: true, indefinite: true},
		}
	case "poor":
		return []genesisOutput{{value: Value{Coin: 1_200_000}}}
	}
	return []genesisOutput{
		{value: Value{Coin: 1000 * ada}},
		{value: Value{Coin: 250 * ada, Assets: assets(TokenSNEK, 1_000_000, TokenHOSKY, 42_000_000)}, mapForm: true},
		{value: Value{Coin: 8 * ada, Assets: assets(NFT(1), 1)}},
		{value: Value{Coin: 2 * ada, Assets: assets(TokenHOSKY, 69_000, NFT(2), 1, NFT(3), 1)}, mapForm: true, indefinite: true},
	}
}

// encodeOutput writes an output canonically in legacy or map form.
func encodeOutput(addr Address, v Value, mapForm bool) []byte {
	var b []byte
	var err error
	if mapForm {
		b, err = encMode.Marshal(map[uint64]any{0: []byte(addr), 1: v})
	} else {
		b, err = encMode.Marshal([]any{[]byte(addr), v})
	}
	if err != nil {
		panic("ledger: encoding an output: " + err.Error())
	}
	return b
}

// fundLocked adds the account's genesis outputs the first time it is used.
func (l *Ledger) fundLocked(account string) {
	if l.funded[account] {
		return
	}
	l.funded[account] = true
	addr := KeyFor(account).Address(l.net)
	id := GenesisTxID(account)
	for i, g := range genesisOutputs(account) {
		out := Output{Address: addr, Value: g.value, Raw: encodeOutput(addr, g.value, g.mapForm)}
		l.addLocked(Input{TxID: id, Index: uint64(i)}, out, g.indefinite)
	}
}
