package cip30

import "errors"

// Base58 (Bitcoin alphabet) for Byron addresses, without math/big: the
// usual quadratic byte-array conversion, fine for addresses of ~100 bytes.

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

var base58Rev = func() (rev [256]int8) {
	for i := range rev {
		rev[i] = -1
	}
	for i := 0; i < len(base58Alphabet); i++ {
		rev[base58Alphabet[i]] = int8(i)
	}
	return rev
}()

func base58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	// log(256)/log(58) ≈ 1.366
	digits := make([]byte, 0, len(b)*138/100+1)
	for _, c := range b[zeros:] {
		carry := int(c)
		for i := range digits {
			carry += int(digits[i]) << 8
			digits[i] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits = append(digits, byte(carry%58))
			carry /= 58
		}
	}
	out := make([]byte, zeros+len(digits))
	for i := range zeros {
		out[i] = '1'
	}
	for i, d := range digits {
		out[len(out)-1-i] = base58Alphabet[d]
	}
	return string(out)
}

var errBase58 = errors.New("invalid base58")

func base58Decode(s string) ([]byte, error) {
	if len(s) == 0 || len(s) > 2*maxAddressLen {
		return nil, errBase58
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	bytes := make([]byte, 0, len(s)*733/1000+1)
	for i := zeros; i < len(s); i++ {
		v := base58Rev[s[i]]
		if v < 0 {
			return nil, errBase58
		}
		carry := int(v)
		for j := range bytes {
			carry += int(bytes[j]) * 58
			bytes[j] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			bytes = append(bytes, byte(carry))
			carry >>= 8
		}
	}
	out := make([]byte, zeros+len(bytes))
	for i, c := range bytes {
		out[len(out)-1-i] = c
	}
	return out, nil
}
