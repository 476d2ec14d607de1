package cip30

import (
	"encoding/hex"
	"errors"
	"hash/crc32"
	"strconv"
	"strings"

	"github.com/tbackend/sdk/cip30/internal/cbor"
	"github.com/tbackend/sdk/internal/bech32"
)

// Address is a Cardano address in its raw binary form (CIP-19). The zero
// Address is invalid. Addresses are comparable with ==.
type Address struct {
	raw string
}

// Address kinds by header type (the high nibble of the first byte).
const (
	addrBaseKeyKey       = 0
	addrBaseScriptKey    = 1
	addrBaseKeyScript    = 2
	addrBaseScriptScript = 3
	addrPointerKey       = 4
	addrPointerScript    = 5
	addrEnterpriseKey    = 6
	addrEnterpriseScript = 7
	addrByron            = 8
	addrRewardKey        = 14
	addrRewardScript     = 15
)

const hash28 = 28

// maxAddressLen bounds an address; the longest real ones (Byron with
// derivation path attributes) stay far below.
const maxAddressLen = 1024

// ErrAddress is matched by every address parsing error.
var ErrAddress = errors.New("invalid address")

type addressError struct{ msg string }

func (e *addressError) Error() string        { return "invalid address: " + e.msg }
func (e *addressError) Is(target error) bool { return target == ErrAddress }

func addrErr(msg string) error { return &addressError{msg} }

// ParseAddress reads an address as bech32 (addr1…, addr_test1…, stake1…,
// stake_test1…), as hex of its bytes (what CIP-30 wallets return), or, for
// Byron addresses, as base58.
func ParseAddress(s string) (Address, error) {
	if s == "" {
		return Address{}, addrErr("empty")
	}
	if len(s) > 2*maxAddressLen {
		return Address{}, addrErr("too long")
	}
	if isHex(s) {
		b, _ := hex.DecodeString(s)
		return AddressFromBytes(b)
	}
	lower := strings.ToLower(s)
	if strings.HasPrefix(lower, "addr") || strings.HasPrefix(lower, "stake") {
		hrp, data, err := bech32.Decode(s)
		if err != nil {
			return Address{}, addrErr(err.Error())
		}
		a, err := AddressFromBytes(data)
		if err != nil {
			return Address{}, err
		}
		if want := a.hrp(); hrp != want {
			return Address{}, addrErr("prefix " + strconv.Quote(hrp) + " does not match the address, which needs " + strconv.Quote(want))
		}
		return a, nil
	}
	b, err := base58Decode(s)
	if err != nil {
		return Address{}, addrErr("neither bech32, hex nor base58")
	}
	a, err := AddressFromBytes(b)
	if err != nil {
		return Address{}, err
	}
	if !a.IsByron() {
		return Address{}, addrErr("base58 is only used by Byron addresses")
	}
	return a, nil
}

func isHex(s string) bool {
	if len(s)%2 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// AddressFromBytes checks the header and length of raw address bytes.
func AddressFromBytes(b []byte) (Address, error) {
	if len(b) == 0 {
		return Address{}, addrErr("empty")
	}
	if len(b) > maxAddressLen {
		return Address{}, addrErr("too long")
	}
	typ := b[0] >> 4
	switch typ {
	case addrBaseKeyKey, addrBaseScriptKey, addrBaseKeyScript, addrBaseScriptScript:
		if len(b) != 1+2*hash28 {
			return Address{}, addrErr("a base address has 57 bytes, not " + strconv.Itoa(len(b)))
		}
	case addrPointerKey, addrPointerScript:
		if len(b) < 1+hash28+3 {
			return Address{}, addrErr("pointer address too short")
		}
		rest := b[1+hash28:]
		for range 3 {
			n, ok := varUint(rest)
			if !ok {
				return Address{}, addrErr("bad pointer")
			}
			rest = rest[n:]
		}
		if len(rest) != 0 {
			return Address{}, addrErr("trailing bytes after the pointer")
		}
	case addrEnterpriseKey, addrEnterpriseScript, addrRewardKey, addrRewardScript:
		if len(b) != 1+hash28 {
			return Address{}, addrErr("an enterprise or reward address has 29 bytes, not " + strconv.Itoa(len(b)))
		}
	case addrByron:
		if _, err := byronNetwork(b); err != nil {
			return Address{}, err
		}
	default:
		return Address{}, addrErr("unknown address type " + strconv.Itoa(int(typ)))
	}
	return Address{raw: string(b)}, nil
}

// varUint reads one base-128 big-endian number of a pointer (at most 64
// bits) and returns its length.
func varUint(b []byte) (int, bool) {
	for i := 0; i < len(b) && i < 10; i++ {
		if b[i]&0x80 == 0 {
			return i + 1, true
		}
	}
	return 0, false
}

// byronNetwork checks a Byron address, [#6.24(bytes), crc32], and returns
// 1 for mainnet (no network magic attribute) or 0 for a test network.
func byronNetwork(b []byte) (byte, error) {
	it, err := cbor.Decode(b, cbor.Limits{MaxSize: maxAddressLen, MaxDepth: 8, MaxItems: 64})
	if err != nil {
		return 0, addrErr("Byron address: " + err.Error())
	}
	if it.Kind != cbor.KindArray || len(it.Items) != 2 {
		return 0, addrErr("Byron address is not [payload, crc]")
	}
	tag, crc := &it.Items[0], &it.Items[1]
	if tag.Kind != cbor.KindTag || tag.Uint != cbor.TagEncodedCBOR || tag.Content().Kind != cbor.KindBytes || crc.Kind != cbor.KindUint {
		return 0, addrErr("Byron address is not [#6.24(bytes), crc]")
	}
	payload := tag.Content().Bytes
	if uint64(crc32.ChecksumIEEE(payload)) != crc.Uint {
		return 0, addrErr("Byron address checksum mismatch")
	}
	p, err := cbor.Decode(payload, cbor.Limits{MaxSize: maxAddressLen, MaxDepth: 8, MaxItems: 64})
	if err != nil || p.Kind != cbor.KindArray || len(p.Items) != 3 || p.Items[0].Kind != cbor.KindBytes ||
		len(p.Items[0].Bytes) != hash28 || p.Items[1].Kind != cbor.KindMap || p.Items[2].Kind != cbor.KindUint {
		return 0, addrErr("Byron address payload is not [root, attributes, type]")
	}
	if _, ok := p.Items[1].Lookup(2); ok {
		return 0, nil
	}
	return 1, nil
}

// Bytes returns a copy of the raw address.
func (a Address) Bytes() []byte { return []byte(a.raw) }

// IsZero reports the zero Address.
func (a Address) IsZero() bool { return a.raw == "" }

func (a Address) typ() byte {
	if a.raw == "" {
		return 0xff
	}
	return a.raw[0] >> 4
}

// IsByron reports a Byron (bootstrap) address.
func (a Address) IsByron() bool { return a.typ() == addrByron }

// IsReward reports a reward (stake) address, which cannot hold outputs.
func (a Address) IsReward() bool { t := a.typ(); return t == addrRewardKey || t == addrRewardScript }

// NetworkID is 1 for mainnet and 0 for the test networks.
func (a Address) NetworkID() byte {
	if a.IsByron() {
		n, _ := byronNetwork([]byte(a.raw))
		return n
	}
	if a.raw == "" {
		return 0
	}
	return a.raw[0] & 0x0f
}

// PaymentKeyHash returns the payment credential when it is a key hash:
// base, pointer and enterprise addresses with a key payment part.
func (a Address) PaymentKeyHash() ([28]byte, bool) {
	var h [28]byte
	switch a.typ() {
	case addrBaseKeyKey, addrBaseKeyScript, addrPointerKey, addrEnterpriseKey:
		copy(h[:], a.raw[1:1+hash28])
		return h, true
	}
	return h, false
}

func (a Address) hrp() string {
	p := "addr"
	if a.IsReward() {
		p = "stake"
	}
	if a.NetworkID() != 1 {
		p += "_test"
	}
	return p
}

// String is the bech32 form; Byron addresses are base58, as Byron wallets
// show them.
func (a Address) String() string {
	if a.raw == "" {
		return ""
	}
	if a.IsByron() {
		return base58Encode([]byte(a.raw))
	}
	s, err := bech32.Encode(a.hrp(), []byte(a.raw))
	if err != nil {
		return hex.EncodeToString([]byte(a.raw))
	}
	return s
}
