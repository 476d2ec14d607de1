package cip30

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"

	fxcbor "github.com/fxamacker/cbor/v2"
	"github.com/tbackend/sdk/cip30/internal/cbor"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	hash11 = "1111111111111111111111111111111111111111111111111111111111111111"
	// the CIP-19 type-0 mainnet address
	cip19Base = "019493315cd92eb5d8c4304e67b7e16ae36d61d34502694657811a2c8e337b62cfff6403a06a3acbc34f8c46003c69fe79a3628cefa9c47251"
)

// utxoVectors are TransactionUnspentOutput CBOR as wallets return it: real
// ones found in public wallet and SDK test suites, then hand-made ones for
// the shapes those lack.
var utxoVectors = []struct {
	name, hex                        string
	coin                             uint64
	assets                           int
	datum, scriptRef, byron, canonic bool
}{
	{name: "genius-yield legacy coin", coin: 5_000_000, canonic: true,
		hex: "8282582004ffecdf5f3ced5c5c788833415bcbef26e3e21290fcebcf8216327e21569e420082583900e1cbb80db89e292269aeb93ec15eb963dda5176b66949fe1c2a6a38d1b930e9f7add78a174a21000e989ff551366dcd127028cb2aa39f6161a004c4b40"},
	{name: "ctl fixture", coin: 5_000_000, canonic: true,
		hex: "82825820c6b54aa301887af390bd3449833e4cd66ff61b5e68b1f77c84a8c0873b776ff90082583900f33ffa84fdf20a003443a5e2768e12e92db31535dca62088b153df243903103ae70681439b5476fef59f439b8bc86d84bfb2d376fc3f56171a004c4b40"},
	{name: "nami-style getUtxos 100 ADA", coin: 100_000_000, canonic: true,
		hex: "8282582012fc6573bb6b912be43d551915c9e1452d52c4794d208513c70da6451b0a4061008258390087b0f19de5536210b8b99f4dce72713fbe8e6047aa2ef022233cb1d66b7ec3e0a041f1e0fe051c5daff9fcd54dd98307ed3702796f5d7da51a05f5e100"},
	{name: "nami-style getUtxos 1000 ADA", coin: 1_000_000_000, canonic: true,
		hex: "8282582096f795fd9480529acf5ea39028ebe26226ba6662614d757392d813471e06d46d008258390087b0f19de5536210b8b99f4dce72713fbe8e6047aa2ef022233cb1d66b7ec3e0a041f1e0fe051c5daff9fcd54dd98307ed3702796f5d7da51a3b9aca00"},
	{name: "collateral index 5", coin: 5_000_000, canonic: true,
		hex: "82825820d060df960efa59b66ac8baedc42c61580128b1c75241ca74ed927708442d5df705825839014476a6f50d917710191e90ecc8e292fefc53dbedb2104837306d4e77c0ff5904e5d29c1d85ef193acbe0c6eb7cddbcf3a0d2a593e96931c41a004c4b40"},
	{name: "cardanokit multiasset", coin: 5_000_000, assets: 3, canonic: true,
		hex: "828258207233486deda2a6c5258a1c758e48a4e6adf5dd936e448c58819afb97f73e2c65008258390179467c69a9ac66280174d09d62575ba955748b21dec3b483a9469a658df11bbb405a7d1cab4f3041c9ba6efce2edff9b027b6ca4c73e97d3821a004c4b40a1581c2341201e2508eaebd9acaecbaa7630350cee6ebf437c52cc42bab23ea350477265656479476f626c696e733536340151477265656479476f626c696e73313336350151477265656479476f626c696e733333333701"},
	{name: "brave multiasset max quantity", coin: 1_000_000, assets: 3, canonic: true,
		hex: "828258207e2aeed860faf61b0513e9807be633a90e3260480ebc46b53ea99c497195fc29078258390144e5e8699ab31de351be61dfeb7c220eff61d29d9c88ca9d1599b36deb20324c1f3c7c6a216e551523ff7ef4e784f3fde3606a5bace78539821a000f4240a2581c62626262626262626262626262626262626262626262626262626262a243626172187b4362617a1bffffffffffffffff581c66666666666666666666666666666666666666666666666666666666a143666f6f1a000f4240"},
	{name: "cml map output inline datum", coin: 10, datum: true, canonic: true,
		hex: "82825820" + hash11 + "00" + "a3005839014eefc6f3274bf2d46ba1ec4a462dc90192ace2152658715ab1f3442a24e8ea07f5abef4c50150fb06e1629d0f30c07735f9e82037a4a2cd2010a028201d81849d8799f44deadbeefff"},
	{name: "map output cip-68 token inline datum", coin: 50_000_000, assets: 1, datum: true, canonic: true,
		hex: "82825820" + hash11 + "01" + "a300583901adde9a635f548fa97b666b25cf4f3ee4d86aedc83b62aa2c3785be28500ed9cebc7535c4c49c9a8f3414ca34dbdfeda4fca29c06cccadbdf01821a02faf080a1581c2d37295347d9fbd197ecfd0e4ddef32ef757083c23985049326a5411a14e000de1404d5554414e543235353701028201d81858349f47454e434f494e5347506f6c6c202333581c87a3a41ac8d8c4d31b72de9d74e3c58bb4b295593ba6703876181b5a43596573ff"},
	{name: "map output script ref", coin: 1_500_000, scriptRef: true, canonic: true,
		hex: "82825820" + hash11 + "02" + "a300583901ef3fe99fa775688dd19d11192d79d1742c7fdab27ab133c80c1dd28ded9793beeadf05284aa53bf2d2fcede5e3664bf2d5edcaa0fe862c82011a0016e36003d818582582008201818200581cef3fe99fa775688dd19d11192d79d1742c7fdab27ab133c80c1dd28d"},
	{name: "legacy output datum hash and token", coin: 2_000_000, assets: 1, datum: true, canonic: true,
		hex: "82825820" + hash11 + "03" + "83583901ef3fe99fa775688dd19d11192d79d1742c7fdab27ab133c80c1dd28ded9793beeadf05284aa53bf2d2fcede5e3664bf2d5edcaa0fe862c82821a001e8480a1581caaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa146504154415445075820" + "4444444444444444444444444444444444444444444444444444444444444444"},
	// hand-made
	{name: "byron address", coin: 1_000_000, byron: true, canonic: true,
		hex: "82825820" + hash11 + "04" + "82582b82d818582183581cba970ad36654d8dd8f74274b733452ddeab9a62a397746be3c42ccdda0001a9026da5b1a000f4240"},
	{name: "indefinite arrays everywhere", coin: 5_000_000,
		hex: "9f9f5820" + hash11 + "05ff9f5839" + cip19Base + "1a004c4b40ffff"},
	{name: "indefinite multiasset maps", coin: 3_000_000, assets: 2,
		hex: "82825820" + hash11 + "06" + "825839" + cip19Base + "821a002dc6c0bf581c" + strings.Repeat("ab", 28) + "bf41010a420202181effff"},
	{name: "map output, keys unsorted, non-shortest ints", coin: 2_000_000,
		hex: "82825820" + hash11 + "1807" + "a2011b00000000001e8480005839" + cip19Base},
	{name: "inline datum with a tag-258 set", coin: 2_000_000, datum: true, canonic: true,
		hex: "82825820" + hash11 + "08" + "a3005839" + cip19Base + "011a001e8480028201d81846d90102820102"},
	{name: "datum hash in map output", coin: 2_000_000, datum: true, canonic: true,
		hex: "82825820" + hash11 + "09" + "a3005839" + cip19Base + "011a001e84800282005820" + strings.Repeat("cd", 32)},
	{name: "enterprise key address", coin: 1_000_000, canonic: true,
		hex: "82825820" + hash11 + "0a" + "82581d619493315cd92eb5d8c4304e67b7e16ae36d61d34502694657811a2c8e1a000f4240"},
	{name: "zero-quantity asset dropped", coin: 2_000_000, assets: 1, canonic: true,
		hex: "82825820" + hash11 + "0b" + "825839" + cip19Base + "821a001e8480a1581c" + strings.Repeat("ab", 28) + "a2410100410205"},
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func TestDecodeUTxOVectors(t *testing.T) {
	for _, v := range utxoVectors {
		t.Run(v.name, func(t *testing.T) {
			raw := mustHex(t, v.hex)
			u, err := DecodeUTxO(raw)
			if err != nil {
				t.Fatal(err)
			}
			if u.Value.Coin != v.coin || len(u.Value.Assets) != v.assets || u.HasDatum != v.datum ||
				u.HasScriptRef != v.scriptRef || u.Address.IsByron() != v.byron {
				t.Errorf("got coin %d assets %d datum %v ref %v byron %v", u.Value.Coin, len(u.Value.Assets), u.HasDatum, u.HasScriptRef, u.Address.IsByron())
			}
			checkAgainstReference(t, raw, u)
			// The output bytes are the wallet's, exactly.
			it, _ := cbor.Decode(raw, cbor.Limits{})
			if d := firstDiff(u.Output, it.Items[1].Raw); d >= 0 {
				t.Errorf("output bytes differ at byte %d", d)
			}
			// Byte-exact round trip: [input, output] from what we parsed.
			again := cbor.AppendArray(nil, 2)
			again = cbor.AppendArray(again, 2)
			again = cbor.AppendBytes(again, u.Input.TxHash[:])
			again = cbor.AppendUint(again, uint64(u.Input.Index))
			again = append(again, u.Output...)
			if d := firstDiff(again, raw); v.canonic && d >= 0 {
				t.Errorf("re-encoded UTxO differs at byte %d: %x vs %x", d, again[max(0, d-4):], raw[max(0, d-4):])
			}
			// The value re-encodes canonically to the wallet's bytes.
			val := outputValueRaw(t, &it.Items[1])
			if d := firstDiff(u.Value.Bytes(), val); v.canonic && d >= 0 && v.name != "zero-quantity asset dropped" {
				t.Errorf("value re-encoding differs at byte %d: %x vs %x", d, u.Value.Bytes(), val)
			}
			back, err := DecodeValue(val)
			if err != nil || !back.Equal(u.Value) {
				t.Errorf("DecodeValue of the output's value: %v %v", back, err)
			}
		})
	}
}

func outputValueRaw(t *testing.T, out *cbor.Item) []byte {
	t.Helper()
	if out.Kind == cbor.KindArray {
		return out.Items[1].Raw
	}
	v, _ := out.Lookup(1)
	return v.Raw
}

// checkAgainstReference decodes the same bytes with fxamacker/cbor and
// compares input, address, coin and tokens.
func checkAgainstReference(t *testing.T, raw []byte, u UTxO) {
	t.Helper()
	dm, _ := fxcbor.DecOptions{DefaultMapType: reflect.TypeOf(map[any]any(nil))}.DecMode()
	var v []any
	if err := dm.Unmarshal(raw, &v); err != nil {
		t.Fatalf("reference: %v", err)
	}
	in := v[0].([]any)
	if !bytes.Equal(in[0].([]byte), u.Input.TxHash[:]) || in[1].(uint64) != uint64(u.Input.Index) {
		t.Errorf("reference input %x#%d", in[0], in[1])
	}
	var addr []byte
	var val any
	switch o := v[1].(type) {
	case []any:
		addr, val = o[0].([]byte), o[1]
	case map[any]any:
		addr, val = o[uint64(0)].([]byte), o[uint64(1)]
	}
	if !bytes.Equal(addr, u.Address.Bytes()) {
		t.Errorf("reference address %x", addr)
	}
	coin, assets := uint64(0), map[AssetID]uint64{}
	switch x := val.(type) {
	case uint64:
		coin = x
	case []any:
		coin = x[0].(uint64)
		for p, names := range x[1].(map[any]any) {
			var id AssetID
			copy(id.PolicyID[:], p.(fxcbor.ByteString))
			for n, q := range names.(map[any]any) {
				id.Name = string(n.(fxcbor.ByteString))
				if q.(uint64) != 0 {
					assets[id] = q.(uint64)
				}
			}
		}
	}
	if coin != u.Value.Coin || !(Value{Coin: coin, Assets: assets}).Equal(u.Value) {
		t.Errorf("reference value %d %v, ours %v", coin, assets, u.Value)
	}
}

func TestDecodeUTxOs(t *testing.T) {
	var hexes []string
	for _, v := range utxoVectors {
		hexes = append(hexes, v.hex)
	}
	us, err := DecodeUTxOs(hexes)
	if err != nil || len(us) != len(hexes) {
		t.Fatalf("%d %v", len(us), err)
	}
	bad := strings.Replace(utxoVectors[5].hex, "821a004c4b40a1", "821a004c4b40a2", 1)
	_, err = DecodeUTxOs([]string{hexes[0], hexes[1], bad})
	var de *DecodeError
	if !errors.As(err, &de) || !errors.Is(err, ErrMalformed) || !strings.HasPrefix(de.Where, "utxo 2") {
		t.Fatalf("err = %v", err)
	}
	_, err = DecodeUTxOs([]string{hexes[0], "zz"})
	if !errors.As(err, &de) || de.Where != "utxo 1" {
		t.Errorf("not hex: %v", err)
	}
	// A wrong value is located precisely.
	wrongValue := "82825820" + hash11 + "00" + "825839" + cip19Base + "6161"
	_, err = DecodeUTxOs([]string{hexes[0], hexes[1], wrongValue})
	if !errors.As(err, &de) || de.Where != "utxo 2: output: value" {
		t.Errorf("where = %q (%v)", de.Where, err)
	}
	if !strings.Contains(err.Error(), "utxo 2: output: value: ") {
		t.Errorf("message %q", err)
	}
}

func TestDecodeUTxOGarbage(t *testing.T) {
	in := "82825820" + hash11 + "00"
	addr := "5839" + cip19Base
	deep := strings.Repeat("81", 200) + "00"
	tests := map[string]string{
		"empty":                 "",
		"not an array":          "a0",
		"three items":           "83" + in[2:] + "00",
		"input short hash":      "8282581f" + hash11[2:] + "00" + "82" + addr + "00",
		"input index text":      "82825820" + hash11 + "6130" + "82" + addr + "00",
		"input index too large": "82825820" + hash11 + "1a00010000" + "82" + addr + "00",
		"address not bytes":     in + "82" + "6161" + "00",
		"address bad":           in + "82" + "4101" + "00",
		"reward address":        in + "82" + "581de1" + strings.Repeat("00", 28) + "00",
		"negative coin":         in + "82" + addr + "20",
		"value of 3":            in + "82" + addr + "83000000",
		"value multiasset list": in + "82" + addr + "820080",
		"policy 27 bytes":       in + "82" + addr + "8200a1581b" + strings.Repeat("00", 27) + "a14001",
		"asset name 33 bytes":   in + "82" + addr + "8200a1581c" + strings.Repeat("00", 28) + "a15821" + strings.Repeat("00", 33) + "01",
		"quantity negative":     in + "82" + addr + "8200a1581c" + strings.Repeat("00", 28) + "a14020",
		"legacy 4 items":        in + "84" + addr + "00" + "5820" + hash11 + "00",
		"legacy bad datum hash": in + "83" + addr + "00" + "4100",
		"map no address":        in + "a1" + "0100",
		"map unknown key":       in + "a3" + "00" + addr + "0100" + "0400",
		"map bad datum":         in + "a3" + "00" + addr + "0100" + "02820200",
		"map bad inline datum":  in + "a3" + "00" + addr + "0100" + "0282014100",
		"map bad script ref":    in + "a3" + "00" + addr + "0100" + "034100",
		"duplicate key":         in + "a3" + "00" + addr + "0100" + "0101",
		"duplicate policy":      in + "82" + addr + "8200a2581c" + strings.Repeat("00", 28) + "a14001" + "581c" + strings.Repeat("00", 28) + "a14001",
		"huge array length":     "9bffffffffffffffff",
		"huge bytes length":     in + "82" + "5bffffffffffffffff",
		"huge map length":       in + "82" + addr + "8200bb7fffffffffffffff",
		"deep nesting":          in + "a3" + "00" + addr + "0100" + "028201" + deep,
		"trailing bytes":        utxoVectors[0].hex + "00",
		"float coin":            in + "82" + addr + "fb3ff0000000000000",
		"undefined":             in + "82" + addr + "f7",
		"break":                 in + "82" + addr + "ff",
	}
	for name, h := range tests {
		_, err := DecodeUTxO(mustHex(t, h))
		var de *DecodeError
		if !errors.As(err, &de) || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	// Every truncation of every vector is an error, never a panic.
	for _, v := range utxoVectors {
		raw := mustHex(t, v.hex)
		for n := range len(raw) {
			if _, err := DecodeUTxO(raw[:n]); !errors.Is(err, ErrMalformed) {
				t.Fatalf("%s truncated to %d: %v", v.name, n, err)
			}
		}
	}
}

func TestParseInput(t *testing.T) {
	in := Input{Index: 7}
	in.TxHash[0] = 0xab
	back, err := ParseInput(in.String())
	if err != nil || back != in {
		t.Errorf("%v %v", back, err)
	}
	for _, s := range []string{"", "ab#1", hash11, hash11 + "#", hash11 + "#-1", hash11 + "#65536", strings.Repeat("zz", 32) + "#0"} {
		if _, err := ParseInput(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}
