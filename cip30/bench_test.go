package cip30

import (
	"math/rand"
	"strconv"
	"testing"

	fxcbor "github.com/fxamacker/cbor/v2"
)

// benchWallet is a deterministic wallet of n UTxOs over three keys: most
// ADA-only, a third carrying one to five tokens.
func benchWallet(b *testing.B, n int) ([]UTxO, Address, uint64) {
	r := rand.New(rand.NewSource(int64(n)))
	keys := []testKey{newTestKey(0), newTestKey(1), newTestKey(2)}
	var utxos []UTxO
	var total uint64
	for i := range n {
		v := Lovelace(uint64(1_000_000 + r.Intn(49_000_000)))
		if r.Intn(3) == 0 {
			v.Assets = map[AssetID]uint64{}
			for range 1 + r.Intn(5) {
				v.Assets[asset(byte(r.Intn(8)), "tok"+strconv.Itoa(r.Intn(20)))] = uint64(1 + r.Intn(1000))
			}
		}
		total += v.Coin
		utxos = append(utxos, mkUTxO(b, byte(i/250), uint32(i%250), keys[i%3].address(b, true), v))
	}
	return utxos, keys[0].address(b, true), total
}

// BenchmarkBuildPayment pays a fifth of the wallet (capped so that the
// transaction fits), which takes many inputs from the larger wallets.
func BenchmarkBuildPayment(b *testing.B) {
	for _, n := range []int{10, 100, 500} {
		b.Run("utxos="+strconv.Itoa(n), func(b *testing.B) {
			utxos, change, total := benchWallet(b, n)
			amount := min(total/5, 2_000_000_000)
			spec := PaymentSpec{
				Outputs: []Output{{newTestKey(9).enterprise(b), Lovelace(amount)}},
				Change:  change, UTxOs: utxos, TTL: 150_000_000,
				Message: []string{"tbackend invoice inv_benchmark"},
			}
			payee := newTestKey(9)
			spec.Outputs[0].Address, _ = AddressFromBytes(append([]byte{0x61}, payee.hash[:]...))
			p, err := BuildPayment(spec)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := BuildPayment(spec); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(p.Inputs)), "inputs")
		})
	}
}

type fxInput struct {
	_     struct{} `cbor:",toarray"`
	Hash  []byte
	Index uint64
}

type fxValue struct {
	_      struct{} `cbor:",toarray"`
	Coin   uint64
	Assets map[fxcbor.ByteString]map[fxcbor.ByteString]uint64
}

type fxLegacyOutput struct {
	_       struct{} `cbor:",toarray"`
	Address []byte
	Value   fxValue
}

type fxUTxO struct {
	_      struct{} `cbor:",toarray"`
	Input  fxInput
	Output fxLegacyOutput
}

// BenchmarkDecodeUTxO decodes the same UTxOs with this package and, as a
// baseline, with fxamacker/cbor (into interface{} and into typed structs).
func BenchmarkDecodeUTxO(b *testing.B) {
	vectors := map[string]string{"multiasset": utxoVectors[5].hex, "inline-datum": utxoVectors[8].hex}
	for name, h := range vectors {
		raw := mustHex(b, h)
		b.Run("cip30/"+name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DecodeUTxO(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("fxamacker-any/"+name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				var v any
				if err := fxcbor.Unmarshal(raw, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	raw := mustHex(b, utxoVectors[5].hex)
	b.Run("fxamacker-typed/multiasset", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for b.Loop() {
			var u fxUTxO
			if err := fxcbor.Unmarshal(raw, &u); err != nil {
				b.Fatal(err)
			}
		}
	})
}
