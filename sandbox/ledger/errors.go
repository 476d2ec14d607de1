package ledger

import (
	"errors"
	"fmt"
)

// Sentinels for errors.Is; every refusal is a *RejectError wrapping one.
var (
	ErrMalformed         = errors.New("malformed transaction")
	ErrUnsupported       = errors.New("unsupported in the sandbox")
	ErrTooLarge          = errors.New("transaction too large")
	ErrInvalidFlag       = errors.New("transaction marked invalid")
	ErrWrongNetwork      = errors.New("wrong network")
	ErrNoTTL             = errors.New("no time to live")
	ErrExpired           = errors.New("time to live passed")
	ErrNotYetValid       = errors.New("not valid yet")
	ErrFeeTooLow         = errors.New("fee too low")
	ErrOutputTooSmall    = errors.New("output below minimum ADA")
	ErrNoInputs          = errors.New("no inputs")
	ErrDuplicateInput    = errors.New("duplicate input")
	ErrUnknownInput      = errors.New("unknown input")
	ErrSpentInput        = errors.New("input already spent")
	ErrBadSignature      = errors.New("bad signature")
	ErrMissingWitness    = errors.New("missing witness")
	ErrValueNotConserved = errors.New("value not conserved")
	ErrAuxDataHash       = errors.New("auxiliary data hash mismatch")
	ErrCannotSign        = errors.New("cannot sign")
)

// RejectError is a refused transaction (or signing request). Reason is a
// sentence a person understands; Err is the sentinel.
type RejectError struct {
	Reason string
	Err    error
}

func (e *RejectError) Error() string { return e.Reason }

func (e *RejectError) Unwrap() error { return e.Err }

func reject(sentinel error, format string, args ...any) *RejectError {
	return &RejectError{Reason: fmt.Sprintf(format, args...), Err: sentinel}
}

// Reason returns the person-readable reason of err: RejectError's Reason,
// or err's message.
func Reason(err error) string {
	var re *RejectError
	if errors.As(err, &re) {
		return re.Reason
	}
	return err.Error()
}
