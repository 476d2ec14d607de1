package cip30

import (
	"github.com/tbackend/sdk/internal/ada"

	"errors"
	"strconv"
	"strings"
)

// Sentinels for errors.Is. The typed errors below match them.
var (
	// ErrMalformed matches every *DecodeError: bytes from the wallet that
	// are not what CIP-30 says they are.
	ErrMalformed = errors.New("malformed wallet data")
	// ErrInsufficientFunds matches *InsufficientFundsError.
	ErrInsufficientFunds = errors.New("insufficient funds")
	// ErrTxTooLarge matches *TxTooLargeError.
	ErrTxTooLarge = errors.New("transaction too large")
	// ErrTooManyTokens reports change that cannot be made valid because of
	// the native tokens it must carry (it also matches ErrTxTooLarge).
	ErrTooManyTokens = errors.New("too many tokens for the change")
	// ErrBelowMinADA matches *BelowMinADAError.
	ErrBelowMinADA = errors.New("output below the minimum ADA")
	// ErrInvalidPayment reports a PaymentSpec that cannot be paid as
	// asked (no outputs, wrong address kind, network mix, no TTL…).
	ErrInvalidPayment = errors.New("invalid payment")
	// ErrNoWitnesses reports a wallet witness set without any signature.
	ErrNoWitnesses = errors.New("the wallet returned no signatures")
	// ErrOverflow reports an amount that does not fit in 64 bits.
	ErrOverflow = errors.New("amount overflows 64 bits")
	// ErrUnknownNetwork reports a network name other than mainnet,
	// preprod and preview.
	ErrUnknownNetwork = errors.New("unknown network")
)

// DecodeError reports malformed CBOR from a wallet. Where says where in
// the data: "utxo 2: output: value".
type DecodeError struct {
	Where string
	Err   error
}

func (e *DecodeError) Error() string {
	if e.Where == "" {
		return "malformed wallet data: " + e.Err.Error()
	}
	return "malformed wallet data at " + e.Where + ": " + e.Err.Error()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrMalformed) true.
func (e *DecodeError) Is(target error) bool { return target == ErrMalformed }

// decodeErr builds a DecodeError, prefixing the location of an inner one.
func decodeErr(where string, err error) error {
	var de *DecodeError
	if errors.As(err, &de) {
		if de.Where != "" {
			where += ": " + de.Where
		}
		return &DecodeError{Where: where, Err: de.Err}
	}
	return &DecodeError{Where: where, Err: err}
}

// InsufficientFundsError reports a wallet that cannot pay.
type InsufficientFundsError struct {
	Need    Value  // outputs plus the estimated fee (and change minimum, if tokens force one)
	Have    Value  // what the wallet's spendable UTxOs hold together
	Fee     uint64 // the fee estimate included in Need
	Skipped int    // UTxOs not counted: excluded, script-locked, bootstrap, with a reference script
}

func (e *InsufficientFundsError) Error() string {
	var b strings.Builder
	b.WriteString("insufficient funds: this payment needs ")
	b.WriteString(formatADA(e.Need.Coin))
	if e.Fee > 0 {
		b.WriteString(" (including about ")
		b.WriteString(formatADA(e.Fee))
		b.WriteString(" of fee)")
	}
	b.WriteString(" but the wallet can spend ")
	b.WriteString(formatADA(e.Have.Coin))
	for _, id := range sortedAssets(e.Need.Assets) {
		need, have := e.Need.Assets[id], e.Have.Assets[id]
		if have < need {
			b.WriteString("; it needs ")
			b.WriteString(strconv.FormatUint(need, 10))
			b.WriteString(" of token ")
			b.WriteString(id.String())
			b.WriteString(" and has ")
			b.WriteString(strconv.FormatUint(have, 10))
		}
	}
	if e.Skipped > 0 {
		b.WriteString(" (")
		b.WriteString(strconv.Itoa(e.Skipped))
		b.WriteString(" UTxOs held by pending payments, scripts or Byron addresses were not counted)")
	}
	b.WriteByte('.')
	return b.String()
}

func (e *InsufficientFundsError) Is(target error) bool { return target == ErrInsufficientFunds }

// TxTooLargeError reports a transaction above the network's size limit.
type TxTooLargeError struct {
	Size, Max int
	// Tokens reports that native tokens the change must carry make it too
	// large; errors.Is(err, ErrTooManyTokens) is then true as well.
	Tokens bool
}

func (e *TxTooLargeError) Error() string {
	msg := "the transaction would be " + strconv.Itoa(e.Size) + " bytes, more than the network's limit of " + strconv.Itoa(e.Max) + " bytes"
	if e.Tokens {
		return msg + ": the wallet's native tokens that must return as change do not fit; consolidate the wallet's tokens first."
	}
	return msg + ": the wallet holds too many small UTxOs; consolidate them first."
}

func (e *TxTooLargeError) Is(target error) bool {
	return target == ErrTxTooLarge || (e.Tokens && target == ErrTooManyTokens)
}

// BelowMinADAError reports an invoice output that carries less ADA than
// the ledger's minimum for it. The payer never tops it up silently.
type BelowMinADAError struct {
	Index int // output index in PaymentSpec.Outputs
	Have  uint64
	Need  uint64
}

func (e *BelowMinADAError) Error() string {
	return "output " + strconv.Itoa(e.Index) + " pays " + formatADA(e.Have) +
		", below the minimum of " + formatADA(e.Need) + " the ledger requires for it."
}

func (e *BelowMinADAError) Is(target error) bool { return target == ErrBelowMinADA }

func invalid(msg string) error { return &invalidError{msg} }

type invalidError struct{ msg string }

func (e *invalidError) Error() string        { return "invalid payment: " + e.msg }
func (e *invalidError) Is(target error) bool { return target == ErrInvalidPayment }

// formatADA writes lovelace as ADA with six decimals: "1.500000 ADA".
func formatADA(lovelace uint64) string { return ada.Format(lovelace) + " ADA" }
