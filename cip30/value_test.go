package cip30

import (
	"errors"
	"strings"
	"testing"
)

func asset(p byte, name string) AssetID {
	var id AssetID
	for i := range id.PolicyID {
		id.PolicyID[i] = p
	}
	id.Name = name
	return id
}

func TestDecodeValue(t *testing.T) {
	tests := []struct {
		hex  string
		want Value
	}{
		{"00", Value{}},
		{"1a004c4b40", Lovelace(5_000_000)},
		{"1bffffffffffffffff", Lovelace(1<<64 - 1)},
		{"821a000f4240a1581c" + strings.Repeat("66", 28) + "a143666f6f1a000f4240", Value{Coin: 1_000_000, Assets: map[AssetID]uint64{asset(0x66, "foo"): 1_000_000}}},
		{"821a000f4240a0", Lovelace(1_000_000)},
		{"9f1a000f4240bf581c" + strings.Repeat("66", 28) + "bf40182aff" + "ffff", Value{Coin: 1_000_000, Assets: map[AssetID]uint64{asset(0x66, ""): 42}}},
	}
	for _, tt := range tests {
		v, err := DecodeValue(mustHex(t, tt.hex))
		if err != nil || !v.Equal(tt.want) {
			t.Errorf("%s: %v %v", tt.hex, v, err)
		}
	}
	for _, bad := range []string{"", "20", "80", "8100", "83000000", "820000", "8200a14100a0", "82006161", "1a0000", "0000", "f5", "c200"} {
		_, err := DecodeValue(mustHex(t, bad))
		var de *DecodeError
		if !errors.As(err, &de) || de.Where != "value" {
			t.Errorf("%s: err = %v", bad, err)
		}
	}
}

func TestValueArithmetic(t *testing.T) {
	a, b := asset(1, "a"), asset(2, "b")
	x := Value{Coin: 10, Assets: map[AssetID]uint64{a: 5}}
	y := Value{Coin: 3, Assets: map[AssetID]uint64{a: 5, b: 1}}
	s, err := x.Add(y)
	if err != nil || s.Coin != 13 || s.Assets[a] != 10 || s.Assets[b] != 1 {
		t.Fatalf("add: %v %v", s, err)
	}
	if x.Assets[a] != 5 {
		t.Error("Add changed its receiver")
	}
	d, err := s.Sub(y)
	if err != nil || !d.Equal(x) || len(d.Assets) != 1 {
		t.Errorf("sub: %v %v", d, err)
	}
	if _, err := x.Sub(y); !errors.Is(err, ErrNegative) {
		t.Errorf("negative: %v", err)
	}
	if _, err := Lovelace(1<<64 - 1).Add(Lovelace(1)); !errors.Is(err, ErrOverflow) {
		t.Errorf("coin overflow: %v", err)
	}
	big := Value{Assets: map[AssetID]uint64{a: 1<<64 - 1}}
	if _, err := big.Add(Value{Assets: map[AssetID]uint64{a: 1}}); !errors.Is(err, ErrOverflow) {
		t.Errorf("asset overflow: %v", err)
	}
	if !s.Covers(x) || x.Covers(s) || !(Value{}).IsZero() || (Value{Assets: map[AssetID]uint64{a: 0}}).HasAssets() {
		t.Error("Covers / IsZero / HasAssets")
	}
	if got := s.String(); got != "0.000013 ADA + 2 tokens" {
		t.Errorf("String() = %q", got)
	}
	if got := formatADA(1_234_567_890); got != "1234.56789 ADA" {
		t.Errorf("formatADA = %q", got)
	}
}

// Asset names sort shorter first, then bytewise, inside each policy.
func TestValueBytesCanonical(t *testing.T) {
	v := Value{Coin: 2, Assets: map[AssetID]uint64{
		asset(2, "b"): 1, asset(1, "zz"): 2, asset(1, "a"): 3, asset(1, ""): 4,
	}}
	want := "8202a2" + "581c" + strings.Repeat("01", 28) + "a3" + "4004" + "416103" + "427a7a02" +
		"581c" + strings.Repeat("02", 28) + "a1" + "416201"
	if got := v.Bytes(); string(got) != string(mustHex(t, want)) {
		t.Errorf("got %x\nwant %s", got, want)
	}
}
