package ada

import "testing"

func TestFormat(t *testing.T) {
	for in, want := range map[uint64]string{
		0: "0", 1: "0.000001", 1_000_000: "1", 1_500_000: "1.5", 10_172_409: "10.172409",
		45_000_000_000_000_000: "45000000000", 18446744073709551615: "18446744073709.551615", 800_000: "0.8",
	} {
		if got := Format(in); got != want {
			t.Errorf("Format(%d) = %q, want %q", in, got, want)
		}
	}
}
