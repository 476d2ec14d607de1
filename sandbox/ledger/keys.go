package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"

	"github.com/tbackend/sdk/internal/bech32"
	"golang.org/x/crypto/blake2b"
)

// SANDBOX ONLY. Every key below is derived from a public name by a public
// rule: anyone can compute every private key of every sandbox account. The
// addresses are real-looking test-network addresses, but the sandbox ledger
// is a toy that lives in memory; its ADA and tokens are worth nothing. Never
// send real funds to these addresses: whoever reads this file can spend them.

// Names of the accounts that receive invoice payments.
const (
	Payee    = "payee"    // receives amountUnits of every invoice
	Partner  = "partner"  // a split output
	Treasury = "treasury" // a split output
)

// KeyHashSize is the size of a key hash (blake2b-224 of a public key).
const KeyHashSize = 28

// KeyHash is a payment or stake key hash.
type KeyHash [KeyHashSize]byte

func (h KeyHash) String() string { return hex.EncodeToString(h[:]) }

// Key is a sandbox account's key pair: a payment key that signs and a stake
// key that only appears in its base address.
type Key struct {
	Name    string
	Payment ed25519.PrivateKey
	Stake   ed25519.PrivateKey
}

// KeyFor derives the sandbox key of an account name. The payment seed is
// blake2b-256("tbackend sandbox key/" + name), the stake seed
// blake2b-256("tbackend sandbox key/" + name + "/stake"). Public, and
// therefore worthless: see the warning at the top of this file.
func KeyFor(name string) *Key {
	return &Key{
		Name:    name,
		Payment: ed25519.NewKeyFromSeed(seed("tbackend sandbox key/" + name)),
		Stake:   ed25519.NewKeyFromSeed(seed("tbackend sandbox key/" + name + "/stake")),
	}
}

func seed(s string) []byte {
	sum := blake2b.Sum256([]byte(s))
	return sum[:]
}

// PublicKey is the 32-byte payment verification key.
func (k *Key) PublicKey() ed25519.PublicKey { return k.Payment.Public().(ed25519.PublicKey) }

// Hash is the payment key hash.
func (k *Key) Hash() KeyHash { return HashKey(k.PublicKey()) }

// StakeHash is the stake key hash.
func (k *Key) StakeHash() KeyHash { return HashKey(k.Stake.Public().(ed25519.PublicKey)) }

// Address is the key's base address on n: header 0x00|id, payment key hash,
// stake key hash.
func (k *Key) Address(n Network) Address {
	pay, stake := k.Hash(), k.StakeHash()
	a := make(Address, 0, 1+2*KeyHashSize)
	a = append(a, n.ID&0x0f)
	a = append(a, pay[:]...)
	return append(a, stake[:]...)
}

// RewardAddress is the key's stake (reward) address on n: header 0xe0|id.
func (k *Key) RewardAddress(n Network) Address {
	stake := k.StakeHash()
	return append(Address{0xe0 | n.ID&0x0f}, stake[:]...)
}

// Sign signs msg with the payment key.
func (k *Key) Sign(msg []byte) []byte { return ed25519.Sign(k.Payment, msg) }

// HashKey is blake2b-224 of a verification key.
func HashKey(pub []byte) KeyHash {
	h, _ := blake2b.New(KeyHashSize, nil)
	h.Write(pub)
	var out KeyHash
	copy(out[:], h.Sum(nil))
	return out
}

var accountName = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)

// ValidAccount reports whether name is a sandbox account name: 1 to 40 of
// a-z, 0-9 and '-'.
func ValidAccount(name string) bool { return accountName.MatchString(name) }

// ErrAccount reports an account name that is not [a-z0-9-]{1,40}.
var ErrAccount = errors.New("ledger: account names are 1 to 40 characters of a-z, 0-9 and '-'")

// Address is a Shelley address as raw bytes (header byte and payload).
type Address []byte

// ParseAddress reads a bech32 (addr…, addr_test…) or hex address.
func ParseAddress(s string) (Address, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) > 0 {
		return Address(b), nil
	}
	hrp, data, err := bech32.Decode(s)
	if err != nil {
		return nil, fmt.Errorf("ledger: address %q: %w", s, err)
	}
	a := Address(data)
	if want := a.hrp(); hrp != want {
		return nil, fmt.Errorf("ledger: address %q: prefix %q does not match its header (want %q)", s, hrp, want)
	}
	return a, nil
}

// MustParseAddress is ParseAddress for constants; it panics on error.
func MustParseAddress(s string) Address {
	a, err := ParseAddress(s)
	if err != nil {
		panic(err)
	}
	return a
}

func (a Address) kind() int {
	if len(a) == 0 {
		return -1
	}
	return int(a[0] >> 4)
}

// NetworkID is the network id in the header (low four bits).
func (a Address) NetworkID() byte {
	if len(a) == 0 {
		return 0xff
	}
	return a[0] & 0x0f
}

func (a Address) hrp() string {
	k := a.kind()
	stake := k == 14 || k == 15
	switch {
	case stake && a.NetworkID() == 1:
		return "stake"
	case stake:
		return "stake_test"
	case a.NetworkID() == 1:
		return "addr"
	}
	return "addr_test"
}

// String is the bech32 form.
func (a Address) String() string {
	s, err := bech32.Encode(a.hrp(), a)
	if err != nil {
		return hex.EncodeToString(a)
	}
	return s
}

// Hex is the address bytes in hex, as CIP-30 returns addresses.
func (a Address) Hex() string { return hex.EncodeToString(a) }

// Equal compares the bytes.
func (a Address) Equal(b Address) bool { return bytes.Equal(a, b) }

// check reports what is wrong with a as a payment address on n: a malformed
// header or length, a reward address, a Byron address (all ErrMalformed or
// ErrUnsupported) or another network (ErrWrongNetwork).
func (a Address) check(n Network) *RejectError {
	if len(a) == 0 {
		return reject(ErrMalformed, "the address is empty")
	}
	var size int
	switch a.kind() {
	case 0, 1, 2, 3:
		size = 1 + 2*KeyHashSize
	case 4, 5:
		size = -1 // pointer addresses: variable length
	case 6, 7:
		size = 1 + KeyHashSize
	case 8:
		return reject(ErrUnsupported, "Byron addresses are not supported in the sandbox")
	case 14, 15:
		return reject(ErrMalformed, "a reward (stake) address cannot hold an output")
	default:
		return reject(ErrMalformed, "address header %#02x is not a known address type", a[0])
	}
	if size > 0 && len(a) != size || size < 0 && len(a) < 1+KeyHashSize+3 {
		return reject(ErrMalformed, "the address of %d bytes is malformed", len(a))
	}
	if a.NetworkID() != n.ID {
		return reject(ErrWrongNetwork, "address %s is for network id %d, this ledger is %s (network id %d)", a, a.NetworkID(), n.Name, n.ID)
	}
	return nil
}

// PaymentKeyHash is the payment key hash of a key-locked address; false for
// script-locked, reward, Byron or malformed addresses.
func (a Address) PaymentKeyHash() (KeyHash, bool) {
	var h KeyHash
	switch a.kind() {
	case 0, 2, 4, 6:
	default:
		return h, false
	}
	if len(a) < 1+KeyHashSize {
		return h, false
	}
	copy(h[:], a[1:1+KeyHashSize])
	return h, true
}
