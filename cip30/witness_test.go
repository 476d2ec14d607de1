package cip30

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/tbackend/sdk/cip30/internal/cbor"
)

// A mainnet transaction (SteelSwap, tag-259 auxiliary data with a CIP-20
// message), as found in a public test suite.
const steelSwapTx = "84a500d901028182582016a66157e4444eea03a3832cbcc581f872d8f065cdfe" +
	"042acfbcbf2a7038e0f7000182a300581d71c134d839a64a5dfb9b155869ef3f" +
	"34280751a622f69958baa8ffd29c011a1e0a6e00028201d81858f1d8799f1a00" +
	"1e8480d8799fd8799f581ccbb7479da4fee934d6cad1c741ec1db1763f14ccc9" +
	"1ee20855a90c52ffd8799fd8799fd8799f581c2ce46b16000844a172a4126878" +
	"954ef93d9c533f0e6a254793cd3babffffffffd8799fd8799f581ccbb7479da4" +
	"fee934d6cad1c741ec1db1763f14ccc91ee20855a90c52ffd8799fd8799fd879" +
	"9f581c2ce46b16000844a172a4126878954ef93d9c533f0e6a254793cd3babff" +
	"ffffff40d879801b000001a818ffd4374040581c8db269c3ec630e06ae29f74b" +
	"c39edd1f87c819f1056206e879a1cd614c446a65644d6963726f555344d8799f" +
	"d879801a07a5c781ff0101ff82583901cbb7479da4fee934d6cad1c741ec1db1" +
	"763f14ccc91ee20855a90c522ce46b16000844a172a4126878954ef93d9c533f" +
	"0e6a254793cd3bab1a03310085021a0002c519031a0bd9b50c0758203b308c14" +
	"8cd78090ef1c8e41e30f288b4c04df1a2296fd1c89b320d120bb4975a1008182" +
	"58203b326825653beddb6d706ed19638e4a5482e035683bd6c246e67d0c1edcd" +
	"ad415840a367d31c47a2db16272f009ca01ab7432509a36085d7709c3489f184" +
	"f7b9826336eb78a38be2da05a742d435dda35a11dfef491e55a37761fd150313" +
	"1d016506f5d90103a100a11902a2a1636d7367826643617244654d7153746565" +
	"6c537761703a20312e31382e30"

func TestTxHashMainnet(t *testing.T) {
	tx := mustHex(t, steelSwapTx)
	h, err := TxHash(tx)
	if err != nil || hex.EncodeToString(h[:]) != "c78c995f40885f82eae2e3a5af498bcb805adf6737d8aab10788bfac20ecb239" {
		t.Fatalf("hash %x %v", h, err)
	}
	ins, err := TxInputs(tx)
	if err != nil || len(ins) != 1 || ins[0].String() != "16a66157e4444eea03a3832cbcc581f872d8f065cdfe042acfbcbf2a7038e0f7#0" {
		t.Errorf("inputs %v %v", ins, err)
	}
	if s, err := SignedBy(tx); err != nil || len(s) != 1 {
		t.Errorf("SignedBy %v %v", s, err)
	}
	// Re-attaching its own witness set changes nothing, byte for byte
	// (the witness set there is canonical and untagged).
	it, _ := cbor.Decode(tx, cbor.Limits{})
	again, err := AttachWitnesses(tx, it.Items[1].Raw)
	if d := firstDiff(again, tx); err != nil || d >= 0 {
		t.Errorf("re-attach differs at byte %d: %v", d, err)
	}
}

func samplePayment(t *testing.T) (*Payment, []testKey, []UTxO) {
	t.Helper()
	k0, k1 := newTestKey(0), newTestKey(1)
	utxos := []UTxO{mkUTxO(t, 1, 0, k0.address(t, false), Lovelace(3_000_000)), mkUTxO(t, 2, 0, k1.address(t, false), Lovelace(3_000_000))}
	p, err := BuildPayment(PaymentSpec{Outputs: []Output{{payTo(t, 0), Lovelace(4_000_000)}}, Change: k0.address(t, false), UTxOs: utxos, TTL: 5000, Message: []string{"witness test"}})
	if err != nil {
		t.Fatal(err)
	}
	return p, []testKey{k0, k1}, utxos
}

func TestAttachWitnesses(t *testing.T) {
	p, keys, utxos := samplePayment(t)
	for _, plain := range []bool{false, true} {
		ws := walletSign(t, p.Hash, keys, plain)
		signed, err := AttachWitnesses(p.Tx, ws)
		if err != nil {
			t.Fatal(err)
		}
		checkSignedTx(t, p, signed, utxos, MainnetParams, []string{"witness test"})
		// body and auxiliary data spliced byte for byte
		if !bytes.Equal(signed[1:1+len(p.Body)], p.Body) || !bytes.HasSuffix(signed, append([]byte{0xf5}, p.AuxData...)) {
			t.Error("body or auxiliary data re-encoded")
		}
		it, _ := cbor.Decode(signed, cbor.Limits{})
		vk, _ := it.Items[1].Lookup(0)
		if (vk.Kind == cbor.KindTag) == plain {
			t.Errorf("plain=%v: the wallet's set form was not kept", plain)
		}
		// Attaching again, or one signature at a time, dedupes.
		again, err := AttachWitnesses(signed, ws)
		if err != nil || !bytes.Equal(again, signed) {
			t.Errorf("re-attach: %v", err)
		}
		one, err := AttachWitnesses(p.Tx, walletSign(t, p.Hash, keys[:1], plain))
		if err != nil {
			t.Fatal(err)
		}
		both, err := AttachWitnesses(one, ws)
		if err != nil || !bytes.Equal(both, signed) {
			t.Errorf("one then both: %v", err)
		}
		by, err := SignedBy(signed)
		if err != nil || len(by) != 2 {
			t.Errorf("SignedBy: %v %v", by, err)
		}
		// A wallet that returns the whole signed transaction.
		if full, err := AttachWitnesses(p.Tx, signed); err != nil || !bytes.Equal(full, signed) {
			t.Errorf("full tx from the wallet: %v", err)
		}
	}
	// A witness set holding the same witness twice.
	w := walletSign(t, p.Hash, []testKey{keys[0], keys[0], keys[1]}, false)
	signed, err := AttachWitnesses(p.Tx, w)
	if by, _ := SignedBy(signed); err != nil || len(by) != 2 {
		t.Errorf("duplicate vkeys: %d %v", len(by), err)
	}
}

func TestAttachWitnessesOtherKeys(t *testing.T) {
	p, keys, _ := samplePayment(t)
	ws := walletSign(t, p.Hash, keys, false)
	// Add a native script (key 1) and redeemers (key 5) to the wallet set.
	it, _ := cbor.Decode(ws, cbor.Limits{})
	var m cbor.MapBuilder
	m.Add([]byte{0x00}, it.Items[1].Raw)
	script := cbor.AppendArray(nil, 2)
	script = cbor.AppendUint(script, 0)
	script = cbor.AppendBytes(script, keys[0].hash[:])
	m.Add([]byte{0x01}, append(cbor.AppendArray(nil, 1), script...))
	m.Add([]byte{0x05}, mustHex(t, "a182000082d87980821a000f42401a05f5e100"))
	extended, _ := m.AppendTo(nil)
	signed, err := AttachWitnesses(p.Tx, extended)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := cbor.Decode(signed, cbor.Limits{})
	if out.Items[1].Len() != 3 {
		t.Errorf("witness set has %d keys", out.Items[1].Len())
	}
	if again, err := AttachWitnesses(signed, extended); !errors.Is(err, ErrMalformed) || again != nil {
		t.Errorf("redeemers on both sides: %v", err)
	}
}

func TestAttachWitnessesGarbage(t *testing.T) {
	p, keys, _ := samplePayment(t)
	good := walletSign(t, p.Hash, keys, false)
	vk := "825820" + strings.Repeat("01", 32) + "5840" + strings.Repeat("02", 64)
	other, _ := BuildPayment(PaymentSpec{Outputs: []Output{{payTo(t, 0), Lovelace(2_000_000)}}, Change: keys[0].address(t, false),
		UTxOs: []UTxO{mkUTxO(t, 9, 0, keys[0].address(t, false), Lovelace(9_000_000))}, TTL: 1})
	otherSigned, _ := AttachWitnesses(other.Tx, walletSign(t, other.Hash, keys[:1], false))
	tests := map[string][]byte{
		"empty":             {},
		"integer":           {0x00},
		"truncated":         good[:len(good)-1],
		"trailing":          append(append([]byte{}, good...), 0),
		"text key":          mustHex(t, "a16130"+"81"+vk),
		"not a set":         mustHex(t, "a10001"),
		"short vkey":        mustHex(t, "a10081825819"+strings.Repeat("01", 25)+"5840"+strings.Repeat("02", 64)),
		"short signature":   mustHex(t, "a10081825820"+strings.Repeat("01", 32)+"5820"+strings.Repeat("02", 32)),
		"vkey of 3":         mustHex(t, "a10081835820"+strings.Repeat("01", 32)+"5840"+strings.Repeat("02", 64)+"00"),
		"bad bootstrap":     mustHex(t, "a10281"+vk),
		"duplicate key":     mustHex(t, "a200"+"81"+vk+"00"+"81"+vk),
		"other transaction": otherSigned,
		"deep":              mustHex(t, "a101"+strings.Repeat("81", 300)+"00"),
	}
	for name, ws := range tests {
		_, err := AttachWitnesses(p.Tx, ws)
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	for _, ws := range []string{"a0", "a10080", "a100d9010280", "a10181820000"} {
		if _, err := AttachWitnesses(p.Tx, mustHex(t, ws)); !errors.Is(err, ErrNoWitnesses) {
			t.Errorf("%s: err = %v", ws, err)
		}
	}
	for _, tx := range [][]byte{nil, {0x80}, mustHex(t, "83a0a0f5"), mustHex(t, "84a0a0f500"), mustHex(t, "8400a0f5f6"), mustHex(t, "84a000f5f6"), mustHex(t, "84a0a000f6"), p.Tx[:len(p.Tx)-1]} {
		if _, err := AttachWitnesses(tx, good); !errors.Is(err, ErrMalformed) {
			t.Errorf("tx %x: err = %v", tx, err)
		}
		if _, err := TxHash(tx); !errors.Is(err, ErrMalformed) {
			t.Errorf("TxHash %x: err = %v", tx, err)
		}
	}
}
