// Package ada writes lovelace amounts as ADA for people: "1.5", "10",
// "0.000001". One function, so that every message in the SDK agrees.
package ada

import "strconv"

// Format writes lovelace as ADA with only the decimals it needs.
func Format(lovelace uint64) string {
	whole := strconv.FormatUint(lovelace/1_000_000, 10)
	frac := lovelace % 1_000_000
	if frac == 0 {
		return whole
	}
	digits := strconv.FormatUint(frac+1_000_000, 10)[1:] // six digits, leading zeros kept
	for digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	return whole + "." + digits
}
