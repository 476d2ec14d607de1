package cbor

import "testing"

// seedInputs are hex seeds shared by the tests and the fuzzers' in-code
// corpus; testdata/fuzz holds more.
var seedInputs = []string{
	"00", "1bffffffffffffffff", "3bffffffffffffffff", "f6", "f5",
	"5f42010243030405ff", "7f657374726561646d696e67ff", "9f018202039f0405ffff",
	"bf61610161629f0203ffff", "a201020304", "a2020301 04", "1800", "5800",
	"d9010282825820" + "abababababababababababababababababababababababababababababababab" + "00" + "3903e7",
	"d90103a100a11902a2a1636d73678163686921",
	"82825820c6b54aa301887af390bd3449833e4cd66ff61b5e68b1f77c84a8c0873b776ff90082583900f33ffa84fdf20a003443a5e2768e12e92db31535dca62088b153df243903103ae70681439b5476fef59f439b8bc86d84bfb2d376fc3f56171a004c4b40",
	"a2a20102030400a203040102",
	"c11a514b67b0", "c249010000000000000000", "d818456449455446",
}

func FuzzDecode(f *testing.F) {
	for _, s := range seedInputs {
		f.Add(mustHex(f, s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		crossCheck(t, data)
	})
}

func FuzzEncode(f *testing.F) {
	f.Add([]byte{6, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{4, 5, 8, 1, 2, 9, 0, 6, 2, 2, 3, 200, 100})
	f.Fuzz(func(t *testing.T, seed []byte) {
		checkEncode(t, seed)
	})
}
