package bech32

import (
	"bytes"
	"errors"
	"testing"

	"github.com/fivebinaries/go-cardano-serialization/address"
)

// Addresses from CIP-19's test vectors, decoded independently by
// go-cardano-serialization.
var cip19 = []string{
	"addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgse35a3x",
	"addr1z8phkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gten0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgs9yc0hh",
	"addr1vx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzers66hrl8",
	"addr_test1qz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgs68faae",
	"addr_test1vz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzerspjrlsz",
	"stake1uyehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gh6ffgw",
}

func TestRoundTripAgainstIndependentDecoder(t *testing.T) {
	for _, s := range cip19 {
		t.Run(s[:12], func(t *testing.T) {
			hrp, data, err := Decode(s)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			ref, err := address.NewAddress(s)
			if err != nil {
				t.Fatalf("reference decoder: %v", err)
			}
			if !bytes.Equal(data, ref.Bytes()) {
				t.Fatalf("bytes differ from reference:\n got %x\nwant %x", data, ref.Bytes())
			}
			again, err := Encode(hrp, data)
			if err != nil || again != s {
				t.Fatalf("Encode = %q, %v; want %q", again, err, s)
			}
		})
	}
}

func TestRejects(t *testing.T) {
	good := cip19[2]
	flipped := []byte(good)
	flipped[len(flipped)-1] ^= 1
	cases := map[string]struct {
		in   string
		want error
	}{
		"checksum":   {string(flipped), nil},
		"mixed case": {"Addr1vx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzers66hrl8", ErrMixedCase},
		"no sep":     {"addrvx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzers66hrl8", ErrFormat},
		"bad char":   {"addr1vx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzers66hrlb", ErrFormat},
		"short":      {"a1qqqq", ErrFormat},
		"empty":      {"", ErrFormat},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := Decode(c.in)
			if err == nil {
				t.Fatal("accepted")
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range cip19 {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hrp, data, err := Decode(s)
		if err != nil {
			return
		}
		again, err := Encode(hrp, data)
		if err != nil {
			t.Fatalf("decoded %q but cannot encode: %v", s, err)
		}
		if _, d2, err := Decode(again); err != nil || !bytes.Equal(d2, data) {
			t.Fatalf("round trip of %q changed data", s)
		}
	})
}
