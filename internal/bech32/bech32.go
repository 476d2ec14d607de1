// Package bech32 encodes and decodes BIP-173 bech32 strings without the
// 90-character limit, which Cardano addresses exceed.
package bech32

import (
	"errors"
	"strings"
)

const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// maxLength bounds input so that hostile strings cost little; the longest
// Cardano address (pointer, base) is far below it.
const maxLength = 1023

var (
	ErrMixedCase = errors.New("bech32: mixed case")
	ErrChecksum  = errors.New("bech32: bad checksum")
	ErrFormat    = errors.New("bech32: malformed string")
)

var charsetRev = func() [128]int8 {
	var rev [128]int8
	for i := range rev {
		rev[i] = -1
	}
	for i, c := range charset {
		rev[c] = int8(i)
	}
	return rev
}()

func polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (top>>uint(i))&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

func hrpExpand(hrp string) []byte {
	out := make([]byte, 0, len(hrp)*2+1)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]>>5)
	}
	out = append(out, 0)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]&31)
	}
	return out
}

// Decode returns the human-readable part and the data as 8-bit bytes.
func Decode(s string) (hrp string, data []byte, err error) {
	if len(s) < 8 || len(s) > maxLength {
		return "", nil, ErrFormat
	}
	lower, upper := strings.ToLower(s), strings.ToUpper(s)
	if s != lower && s != upper {
		return "", nil, ErrMixedCase
	}
	s = lower
	sep := strings.LastIndexByte(s, '1')
	if sep < 1 || sep+7 > len(s) {
		return "", nil, ErrFormat
	}
	hrp = s[:sep]
	for i := 0; i < len(hrp); i++ {
		if hrp[i] < 33 || hrp[i] > 126 {
			return "", nil, ErrFormat
		}
	}
	values := make([]byte, 0, len(s)-sep-1)
	for i := sep + 1; i < len(s); i++ {
		c := s[i]
		if c >= 128 || charsetRev[c] < 0 {
			return "", nil, ErrFormat
		}
		values = append(values, byte(charsetRev[c]))
	}
	if polymod(append(hrpExpand(hrp), values...)) != 1 {
		return "", nil, ErrChecksum
	}
	data, err = convertBits(values[:len(values)-6], 5, 8, false)
	if err != nil {
		return "", nil, err
	}
	return hrp, data, nil
}

// Encode returns the bech32 string of data (8-bit bytes) under hrp.
func Encode(hrp string, data []byte) (string, error) {
	if hrp == "" || strings.ToLower(hrp) != hrp {
		return "", ErrFormat
	}
	values, err := convertBits(data, 8, 5, true)
	if err != nil {
		return "", err
	}
	chk := polymod(append(append(hrpExpand(hrp), values...), 0, 0, 0, 0, 0, 0)) ^ 1
	var b strings.Builder
	b.Grow(len(hrp) + 1 + len(values) + 6)
	b.WriteString(hrp)
	b.WriteByte('1')
	for _, v := range values {
		b.WriteByte(charset[v])
	}
	for i := 0; i < 6; i++ {
		b.WriteByte(charset[(chk>>uint(5*(5-i)))&31])
	}
	if b.Len() > maxLength {
		return "", ErrFormat
	}
	return b.String(), nil
}

func convertBits(data []byte, from, to uint, pad bool) ([]byte, error) {
	var acc, bits uint
	maxv := uint(1)<<to - 1
	out := make([]byte, 0, len(data)*int(from)/int(to)+1)
	for _, v := range data {
		if uint(v)>>from != 0 {
			return nil, ErrFormat
		}
		acc = acc<<from | uint(v)
		bits += from
		for bits >= to {
			bits -= to
			out = append(out, byte(acc>>bits&maxv))
		}
	}
	if pad {
		if bits > 0 {
			out = append(out, byte(acc<<(to-bits)&maxv))
		}
	} else if bits >= from || acc<<(to-bits)&maxv != 0 {
		return nil, ErrFormat
	}
	return out, nil
}
