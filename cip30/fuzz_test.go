package cip30

import (
	"bytes"
	"errors"
	"testing"
)

// The committed corpus is in testdata/fuzz/<Name>/; these add the vectors.

func FuzzDecodeUTxO(f *testing.F) {
	for _, v := range utxoVectors {
		f.Add(mustHex(f, v.hex))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := DecodeUTxO(data)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %T is not a *DecodeError: %v", err, err)
			}
			return
		}
		if _, err := AddressFromBytes(u.Address.Bytes()); err != nil {
			t.Fatalf("decoded an invalid address: %v", err)
		}
		if !bytes.Contains(data, u.Output) {
			t.Fatal("output bytes are not a span of the input")
		}
		back, err := DecodeValue(u.Value.Bytes())
		if err != nil || !back.Equal(u.Value) {
			t.Fatalf("value round trip: %v", err)
		}
		var ref []any
		if fxAny.Unmarshal(data, &ref) == nil {
			checkAgainstReference(t, data, u)
		}
	})
}

func FuzzDecodeValue(f *testing.F) {
	for _, s := range []string{"00", "1a004c4b40", "1bffffffffffffffff", "821a000f4240a0",
		"821a000f4240a1581c6666666666666666666666666666666666666666666666666666666666a143666f6f1a000f4240",
		"9f1a000f4240bf581c6666666666666666666666666666666666666666666666666666666666bf40182affffff"} {
		f.Add(mustHex(f, s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := DecodeValue(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		b := v.Bytes()
		back, err := DecodeValue(b)
		if err != nil || !back.Equal(v) || !bytes.Equal(back.Bytes(), b) {
			t.Fatalf("round trip %x: %v", b, err)
		}
	})
}

func FuzzAttachWitnesses(f *testing.F) {
	k := newTestKey(0)
	a := k.address(f, false)
	p, err := BuildPayment(PaymentSpec{Outputs: []Output{{payTo(f, 0), Lovelace(2_000_000)}}, Change: a,
		UTxOs: []UTxO{mkUTxO(f, 1, 0, a, Lovelace(10_000_000))}, TTL: 1000, Message: []string{"fuzz"}})
	if err != nil {
		f.Fatal(err)
	}
	good := walletSign(f, p.Hash, []testKey{k}, false)
	f.Add(good)
	f.Add(walletSign(f, p.Hash, []testKey{k, newTestKey(1)}, true))
	f.Add([]byte{0xa0})
	f.Add(mustHex(f, steelSwapTx))
	f.Fuzz(func(t *testing.T, ws []byte) {
		signed, err := AttachWitnesses(p.Tx, ws)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNoWitnesses) {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		if h, err := TxHash(signed); err != nil || h != p.Hash {
			t.Fatalf("hash changed: %v", err)
		}
		if !bytes.Equal(signed[1:1+len(p.Body)], p.Body) || !bytes.HasSuffix(signed, p.AuxData) {
			t.Fatal("body or auxiliary data changed")
		}
		again, err := AttachWitnesses(signed, ws)
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("re-attach: %v", err)
		}
		if err == nil && !bytes.Equal(again, signed) {
			t.Fatal("attaching the same witnesses twice changed the transaction")
		}
	})
}
