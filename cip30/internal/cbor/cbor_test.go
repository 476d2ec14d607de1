package cbor

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// RFC 8949 Appendix A examples (the ones without floats and simple
// values), with their canonical re-encoding.
func TestDecodeRFCExamples(t *testing.T) {
	tests := []struct{ in, canon string }{
		{"00", "00"}, {"01", "01"}, {"0a", "0a"}, {"17", "17"}, {"1818", "1818"}, {"1819", "1819"},
		{"1864", "1864"}, {"1903e8", "1903e8"}, {"1a000f4240", "1a000f4240"},
		{"1b000000e8d4a51000", "1b000000e8d4a51000"}, {"1bffffffffffffffff", "1bffffffffffffffff"},
		{"3bffffffffffffffff", "3bffffffffffffffff"}, {"20", "20"}, {"29", "29"}, {"3863", "3863"}, {"3903e7", "3903e7"},
		{"f4", "f4"}, {"f5", "f5"}, {"f6", "f6"},
		{"c074323031332d30332d32315432303a30343a30305a", "c074323031332d30332d32315432303a30343a30305a"},
		{"d74401020304", "d74401020304"}, {"d818456449455446", "d818456449455446"},
		{"40", "40"}, {"4401020304", "4401020304"}, {"60", "60"}, {"6161", "6161"}, {"6449455446", "6449455446"},
		{"62225c", "62225c"}, {"62c3bc", "62c3bc"}, {"63e6b0b4", "63e6b0b4"}, {"64f0908591", "64f0908591"},
		{"80", "80"}, {"83010203", "83010203"}, {"8301820203820405", "8301820203820405"},
		{"98190102030405060708090a0b0c0d0e0f101112131415161718181819", "98190102030405060708090a0b0c0d0e0f101112131415161718181819"},
		{"a0", "a0"}, {"a201020304", "a201020304"}, {"a26161016162820203", "a26161016162820203"},
		{"826161a161626163", "826161a161626163"},
		{"a56161614161626142616361436164614461656145", "a56161614161626142616361436164614461656145"},
		// indefinite forms become definite
		{"5f42010243030405ff", "450102030405"}, {"7f657374726561646d696e67ff", "6973747265616d696e67"},
		{"9fff", "80"}, {"9f018202039f0405ffff", "8301820203820405"}, {"9f01820203820405ff", "8301820203820405"},
		{"83018202039f0405ff", "8301820203820405"}, {"83019f0203ff820405", "8301820203820405"},
		{"9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff", "98190102030405060708090a0b0c0d0e0f101112131415161718181819"},
		{"bf61610161629f0203ffff", "a26161016162820203"}, {"826161bf61626163ff", "826161a161626163"},
		{"bf6346756ef563416d7421ff", "a263416d74216346756ef5"},
		// non-shortest heads and unsorted keys become canonical
		{"1800", "00"}, {"190017", "17"}, {"1b0000000000000001", "01"}, {"5800", "40"},
		{"a2020301 04", "a201040203"}, {"a2 4161 01 18 18 02", "a218180241 6101"},
	}
	for _, tt := range tests {
		in := mustHex(t, tt.in)
		it, err := Decode(in, Limits{})
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if !bytes.Equal(it.Raw, in) {
			t.Errorf("%s: raw span %x", tt.in, it.Raw)
		}
		got, err := EncodeCanonical(&it)
		if err != nil {
			t.Errorf("%s: encode: %v", tt.in, err)
			continue
		}
		if want := mustHex(t, tt.canon); !bytes.Equal(got, want) {
			t.Errorf("%s: canonical %x, want %x", tt.in, got, want)
		}
	}
}

func TestDecodeValues(t *testing.T) {
	it, err := Decode(mustHex(t, "d9010282 825820"+strings.Repeat("ab", 32)+"00 3903e7"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if it.Kind != KindTag || it.Uint != 258 {
		t.Fatalf("tag = %v %d", it.Kind, it.Uint)
	}
	set, ok := it.Set()
	if !ok || len(set) != 2 {
		t.Fatalf("set = %v %v", set, ok)
	}
	if set[0].Kind != KindArray || len(set[0].Items[0].Bytes) != 32 || set[0].Items[1].Uint != 0 {
		t.Errorf("input = %+v", set[0])
	}
	if set[1].Kind != KindNint || set[1].Uint != 999 {
		t.Errorf("nint = %+v", set[1])
	}
	m, err := Decode(mustHex(t, "a3 00 61 61 01 f5 18 64 f6"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := m.Lookup(1); !ok || v.Kind != KindBool || v.Uint != 1 {
		t.Errorf("lookup 1 = %+v %v", v, ok)
	}
	if v, ok := m.Lookup(100); !ok || v.Kind != KindNull {
		t.Errorf("lookup 100 = %+v %v", v, ok)
	}
	if _, ok := m.Lookup(2); ok {
		t.Error("lookup 2 found")
	}
	// Raw spans of children are exact sub-slices.
	a, err := Decode(mustHex(t, "9f 1800 5f4101ff a1 1901f4 80 ff"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	wants := []string{"1800", "5f4101ff", "a11901f480"}
	for i, w := range wants {
		if got := hex.EncodeToString(a.Items[i].Raw); got != w {
			t.Errorf("child %d raw = %s, want %s", i, got, w)
		}
	}
	if !a.Indefinite || !a.Items[1].Indefinite || a.Items[2].Indefinite {
		t.Error("indefinite flags wrong")
	}
}

func TestDecodeErrors(t *testing.T) {
	deep := strings.Repeat("81", 200) + "00"
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrTruncated}, {"18", ErrTruncated}, {"19ff", ErrTruncated}, {"1bffffffffffffff", ErrTruncated},
		{"42ff", ErrTruncated}, {"83 01 02", ErrTruncated}, {"a1 01", ErrTruncated}, {"9f 01", ErrTruncated},
		{"5f 41", ErrTruncated}, {"c1", ErrTruncated},
		{"0000", ErrTrailing}, {"8100 ff", ErrTrailing},
		{"1c", ErrMalformed}, {"5d", ErrMalformed}, {"ff", ErrMalformed}, {"1f", ErrMalformed}, {"3f", ErrMalformed},
		{"df 00", ErrMalformed}, {"5f 61 61 ff", ErrMalformed}, {"5f 5f 41 00 ff ff", ErrMalformed}, {"7f 41 00 ff", ErrMalformed},
		{"81 ff", ErrMalformed}, {"a1 ff", ErrTruncated}, {"a1 00 ff", ErrMalformed}, {"bf 00 ff", ErrMalformed},
		{"f9 3c00", ErrUnsupported}, {"fa 47c35000", ErrUnsupported}, {"fb 3ff199999999999a", ErrUnsupported},
		{"f7", ErrUnsupported}, {"f0", ErrUnsupported}, {"f8 ff", ErrUnsupported},
		{"62 c3 28", ErrInvalidUTF8}, {"7f 61 c3 61 bc ff", ErrInvalidUTF8},
		{"a2 01 02 01 03", ErrDuplicateKey}, {"a2 01 02 18 01 03", ErrDuplicateKey},
		{"a2 42 0102 00 5f 41 01 41 02 ff 00", ErrDuplicateKey},
		{"a2 a2 01 02 03 04 00 a2 03 04 01 02 00", ErrDuplicateKey},
		{"bf 61 61 00 61 61 01 ff", ErrDuplicateKey},
		{"9b ffffffffffffffff", ErrTruncated}, {"5b ffffffffffffffff", ErrTruncated}, {"bb 7fffffffffffffff", ErrTruncated},
		{"9a 7fffffff 00", ErrTruncated},
		{deep, ErrTooDeep},
		{strings.Repeat("c1", 200) + "00", ErrTooDeep},
	}
	for _, tt := range tests {
		_, err := Decode(mustHex(t, tt.in), Limits{})
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.in, err, tt.want)
		}
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Errorf("%s: %T is not *Error", tt.in, err)
		}
	}
}

func TestLimits(t *testing.T) {
	big := append(AppendHead(nil, MajorBytes, 100), make([]byte, 100)...)
	if _, err := Decode(big, Limits{MaxSize: 50}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("size: %v", err)
	}
	if _, err := Decode(big, Limits{MaxSize: 200}); err != nil {
		t.Errorf("size ok: %v", err)
	}
	arr := AppendArray(nil, 10)
	for range 10 {
		arr = append(arr, 0)
	}
	if _, err := Decode(arr, Limits{MaxItems: 10}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("items: %v", err)
	}
	if _, err := Decode(arr, Limits{MaxItems: 11}); err != nil {
		t.Errorf("items ok: %v", err)
	}
	nest := mustHex(t, "818181 00")
	if _, err := Decode(nest, Limits{MaxDepth: 2}); !errors.Is(err, ErrTooDeep) {
		t.Errorf("depth: %v", err)
	}
	if _, err := Decode(nest, Limits{MaxDepth: 3}); err != nil {
		t.Errorf("depth ok: %v", err)
	}
	var e *Error
	_, err := Decode(mustHex(t, "83 01 1a 00 00"), Limits{})
	if !errors.As(err, &e) || e.Offset != 3 || !strings.Contains(err.Error(), "at byte 3") {
		t.Errorf("offset: %v", err)
	}
}

func TestEncode(t *testing.T) {
	tests := []struct {
		got  []byte
		want string
	}{
		{AppendUint(nil, 0), "00"}, {AppendUint(nil, 23), "17"}, {AppendUint(nil, 24), "1818"},
		{AppendUint(nil, 255), "18ff"}, {AppendUint(nil, 256), "190100"}, {AppendUint(nil, 65535), "19ffff"},
		{AppendUint(nil, 65536), "1a00010000"}, {AppendUint(nil, 1<<32-1), "1affffffff"},
		{AppendUint(nil, 1<<32), "1b0000000100000000"}, {AppendInt(nil, -1), "20"}, {AppendInt(nil, -1000), "3903e7"},
		{AppendInt(nil, -1<<63), "3b7fffffffffffffff"}, {AppendBytes(nil, []byte{1, 2}), "420102"},
		{AppendText(nil, "msg"), "636d7367"}, {AppendArray(nil, 24), "9818"}, {AppendMap(nil, 1), "a1"},
		{AppendTag(nil, 258), "d90102"}, {AppendTag(nil, 259), "d90103"}, {AppendBool(nil, true), "f5"},
		{AppendBool(nil, false), "f4"}, {AppendNull(nil), "f6"},
	}
	for _, tt := range tests {
		if got := hex.EncodeToString(tt.got); got != tt.want {
			t.Errorf("got %s, want %s", got, tt.want)
		}
	}
	for _, n := range []uint64{0, 23, 24, 255, 256, 65535, 65536, 1<<32 - 1, 1 << 32, 1<<64 - 1} {
		if HeadSize(n) != len(AppendUint(nil, n)) {
			t.Errorf("HeadSize(%d)", n)
		}
	}
}

func TestMapBuilder(t *testing.T) {
	var m MapBuilder
	m.Add(AppendText(nil, "bb"), AppendUint(nil, 1))
	m.Add(AppendUint(nil, 1000), AppendUint(nil, 2))
	m.Add(AppendText(nil, "a"), AppendUint(nil, 3))
	m.Add(AppendUint(nil, 7), AppendUint(nil, 4))
	m.Add(AppendBytes(nil, nil), AppendUint(nil, 5))
	got, err := m.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	// 07 and 40 (1 byte) < 6161 (2) < 1903e8 and 626262 (3 bytes, bytewise)
	if want := "a5 0704 4005 616103 1903e802 62626201"; hex.EncodeToString(got) != strings.ReplaceAll(want, " ", "") {
		t.Errorf("map = %x, want %s", got, want)
	}
	m.Add(AppendUint(nil, 7), AppendUint(nil, 9))
	if _, err := m.AppendTo(nil); !errors.Is(err, ErrDuplicateKeyEncode) {
		t.Errorf("dup: %v", err)
	}
}
