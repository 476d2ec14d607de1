package cip30

import (
	"bytes"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/fivebinaries/go-cardano-serialization/address"
	"github.com/tbackend/sdk/cip30/internal/cbor"
	"github.com/tbackend/sdk/internal/bech32"
)

// CIP-19 test vectors: one payment key, stake key, script and pointer.
var cip19Vectors = []struct {
	typ  byte
	addr string
}{
	{0, "addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgse35a3x"},
	{1, "addr1z8phkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gten0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgs9yc0hh"},
	{2, "addr1yx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzerkr0vd4msrxnuwnccdxlhdjar77j6lg0wypcc9uar5d2shs2z78ve"},
	{3, "addr1x8phkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gt7r0vd4msrxnuwnccdxlhdjar77j6lg0wypcc9uar5d2shskhj42g"},
	{4, "addr1gx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer5pnz75xxcrzqf96k"},
	{5, "addr128phkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gtupnz75xxcrtw79hu"},
	{6, "addr1vx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzers66hrl8"},
	{7, "addr1w8phkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gtcyjy7wx"},
	{14, "stake1uyehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gh6ffgw"},
	{15, "stake178phkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gtcccycj5"},
	{0, "addr_test1qz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgs68faae"},
	{1, "addr_test1zrphkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gten0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgsxj90mg"},
	{2, "addr_test1yz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzerkr0vd4msrxnuwnccdxlhdjar77j6lg0wypcc9uar5d2shsf5r8qx"},
	{3, "addr_test1xrphkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gt7r0vd4msrxnuwnccdxlhdjar77j6lg0wypcc9uar5d2shs4p04xh"},
	{4, "addr_test1gz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer5pnz75xxcrdw5vky"},
	{5, "addr_test12rphkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gtupnz75xxcryqrvmw"},
	{6, "addr_test1vz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzerspjrlsz"},
	{7, "addr_test1wrphkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gtcl6szpr"},
	{14, "stake_test1uqehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gssrtvn"},
	{15, "stake_test17rphkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gtcljw6kf"},
}

// The CIP-19 payment key hash, read from the type-0 address.
const cip19PaymentKeyHash = "9493315cd92eb5d8c4304e67b7e16ae36d61d34502694657811a2c8e"

var byronVectors = []struct{ base58, hex string }{
	{"Ae2tdPwUPEZFRbyhz3cpfC2CumGzNkFBN2L42rcUc2yjQpEkxDbkPodpMAi", "82d818582183581cba970ad36654d8dd8f74274b733452ddeab9a62a397746be3c42ccdda0001a9026da5b"},
	{"DdzFFzCqrhsf6zq32tPdqzCqL4JxNSw5aDkiKQp9x8PWUHBXNhR6UNtEeBthFGuf7oSGT2uLKYjoDTyJochABBPCjs6VN4V8eVk7acbe", "82d818584283581c0a1e1b7f0e38e24fbe2e30af04c7c7aab10d838cf2bd24b89e81eb12a101581e581c9b1771bd305e4a6a5a37e8a962ed18fb0a339639e039355feecaa7ff001ab79e49ad"},
}

func TestParseAddressCIP19(t *testing.T) {
	for _, v := range cip19Vectors {
		a, err := ParseAddress(v.addr)
		if err != nil {
			t.Errorf("%s: %v", v.addr, err)
			continue
		}
		if a.typ() != v.typ {
			t.Errorf("%s: type %d, want %d", v.addr, a.typ(), v.typ)
		}
		if a.String() != v.addr {
			t.Errorf("String() = %s, want %s", a.String(), v.addr)
		}
		wantNet := byte(1)
		if strings.Contains(v.addr, "_test1") {
			wantNet = 0
		}
		if a.NetworkID() != wantNet {
			t.Errorf("%s: network %d, want %d", v.addr, a.NetworkID(), wantNet)
		}
		// hex in, same address out
		h, err := ParseAddress(hex.EncodeToString(a.Bytes()))
		if err != nil || h != a {
			t.Errorf("%s from hex: %v %v", v.addr, h, err)
		}
		kh, ok := a.PaymentKeyHash()
		wantKey := v.typ == 0 || v.typ == 2 || v.typ == 4 || v.typ == 6
		if ok != wantKey || (ok && hex.EncodeToString(kh[:]) != cip19PaymentKeyHash) {
			t.Errorf("%s: PaymentKeyHash = %x %v", v.addr, kh, ok)
		}
		if a.IsReward() != (v.typ >= 14) || a.IsByron() {
			t.Errorf("%s: kind flags", v.addr)
		}
		// Independent reference: go-cardano-serialization.
		ref, err := address.NewAddress(v.addr)
		if err != nil {
			t.Errorf("%s: reference: %v", v.addr, err)
			continue
		}
		if !bytes.Equal(ref.Bytes(), a.Bytes()) || ref.NetworkInfo().NetworkId != a.NetworkID() {
			t.Errorf("%s: reference bytes %x net %d, ours %x net %d", v.addr, ref.Bytes(), ref.NetworkInfo().NetworkId, a.Bytes(), a.NetworkID())
		}
	}
}

func TestParseAddressByron(t *testing.T) {
	for _, v := range byronVectors {
		for _, in := range []string{v.base58, v.hex} {
			a, err := ParseAddress(in)
			if err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			if !a.IsByron() || a.NetworkID() != 1 || hex.EncodeToString(a.Bytes()) != v.hex || a.String() != v.base58 {
				t.Errorf("%s: byron %v net %d bytes %x string %s", in, a.IsByron(), a.NetworkID(), a.Bytes(), a)
			}
			if _, ok := a.PaymentKeyHash(); ok {
				t.Errorf("%s: a Byron address has no payment key hash", in)
			}
		}
		ref, err := address.NewAddress(v.base58)
		if err != nil || hex.EncodeToString(ref.Bytes()) != v.hex {
			t.Errorf("reference: %x %v", ref.Bytes(), err)
		}
	}
	// A test-network Byron address carries the network magic (key 2).
	test := byronAddress(t, true)
	a, err := AddressFromBytes(test)
	if err != nil || a.NetworkID() != 0 {
		t.Fatalf("testnet byron: %v %v", a.NetworkID(), err)
	}
	if b, err := ParseAddress(a.String()); err != nil || b != a {
		t.Errorf("base58 round trip: %v", err)
	}
}

// byronAddress builds [#6.24(bytes [root, attrs, 0]), crc32].
func byronAddress(t testing.TB, testnet bool) []byte {
	t.Helper()
	p := cbor.AppendArray(nil, 3)
	p = cbor.AppendBytes(p, bytes.Repeat([]byte{7}, 28))
	if testnet {
		p = cbor.AppendMap(p, 1)
		p = cbor.AppendUint(p, 2)
		p = cbor.AppendBytes(p, cbor.AppendUint(nil, 1097911063))
	} else {
		p = cbor.AppendMap(p, 0)
	}
	p = cbor.AppendUint(p, 0)
	b := cbor.AppendArray(nil, 2)
	b = cbor.AppendTag(b, 24)
	b = cbor.AppendBytes(b, p)
	return cbor.AppendUint(b, uint64(crc32IEEE(p)))
}

func TestParseAddressErrors(t *testing.T) {
	base := mustAddr(t, cip19Vectors[0].addr).Bytes()
	badCRC := byronAddress(t, false)
	badCRC[len(badCRC)-1] ^= 1
	tests := map[string]string{
		"empty":                "",
		"bad checksum":         "addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgse35a3y",
		"testnet bytes, addr":  mustBech32(t, "addr", mustAddr(t, cip19Vectors[10].addr).Bytes()),
		"mainnet bytes, test":  mustBech32(t, "addr_test", base),
		"reward as addr":       mustBech32(t, "addr", mustAddr(t, cip19Vectors[8].addr).Bytes()),
		"other prefix":         mustBech32(t, "addrx", base),
		"short base":           hex.EncodeToString(base[:56]),
		"long base":            hex.EncodeToString(append(base, 0)),
		"unknown type 9":       "91" + hex.EncodeToString(base[1:29]),
		"enterprise too long":  "61" + hex.EncodeToString(base[1:]),
		"pointer unterminated": "41" + hex.EncodeToString(base[1:29]) + "818181",
		"pointer trailing":     "41" + hex.EncodeToString(base[1:29]) + "01020304",
		"byron crc":            hex.EncodeToString(badCRC),
		"byron garbage":        "82d8184100",
		"base58 of shelley":    base58Encode(base),
		"not an address":       "hello world",
		"odd hex":              "611",
	}
	for name, s := range tests {
		if _, err := ParseAddress(s); !errors.Is(err, ErrAddress) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if got := mustAddr(t, cip19Vectors[6].addr).hrp(); got != "addr" {
		t.Errorf("hrp %s", got)
	}
}

func TestBase58(t *testing.T) {
	for _, b := range [][]byte{{}, {0}, {0, 0, 1}, {0xff, 0xfe}, bytes.Repeat([]byte{0xab}, 70)} {
		s := base58Encode(b)
		back, err := base58Decode(s)
		if len(b) == 0 {
			continue
		}
		if err != nil || !bytes.Equal(back, b) {
			t.Errorf("%x -> %s -> %x %v", b, s, back, err)
		}
	}
	if _, err := base58Decode("0OIl"); err == nil {
		t.Error("invalid characters accepted")
	}
}

func mustAddr(t testing.TB, s string) Address {
	t.Helper()
	a, err := ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func crc32IEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }

func mustBech32(t testing.TB, hrp string, data []byte) string {
	t.Helper()
	s, err := bech32.Encode(hrp, data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
