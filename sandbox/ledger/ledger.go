// Package ledger is a tiny in-memory Cardano ledger for the offline sandbox:
// a UTxO set, Conway-era transaction decoding and real verification
// (signatures, fees, min-ADA, value conservation, TTL), sandbox keys and
// lazy genesis funding of sandbox accounts.
//
// SANDBOX ONLY: every key is derived from a public account name (see KeyFor)
// and every ADA and token here is worth nothing. Nothing here talks to a
// real network.
package ledger

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"slices"
	"sync"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// Config configures a Ledger. The zero value is preprod with the default
// protocol parameters and the system clock.
type Config struct {
	Network Network // zero value: Preprod
	Params  Params  // zero fields take DefaultParams
	Now     func() time.Time
}

// Ledger is the UTxO set and the record of applied transactions. It is safe
// for concurrent use.
type Ledger struct {
	net    Network
	params Params
	now    func() time.Time

	mu     sync.Mutex
	utxo   map[Input]entry
	spent  map[Input][32]byte // input → the transaction that spent it
	funded map[string]bool
	txs    map[[32]byte]*Record
	seq    uint64
}

type entry struct {
	out        Output
	seq        uint64
	indefinite bool
}

// New makes an empty ledger; accounts are funded when first used.
func New(cfg Config) *Ledger {
	if cfg.Network.Name == "" {
		cfg.Network = Preprod
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Ledger{
		net:    cfg.Network,
		params: cfg.Params.withDefaults(),
		now:    cfg.Now,
		utxo:   map[Input]entry{},
		spent:  map[Input][32]byte{},
		funded: map[string]bool{},
		txs:    map[[32]byte]*Record{},
	}
}

// Network is the ledger's network.
func (l *Ledger) Network() Network { return l.net }

// Params are the ledger's protocol parameters.
func (l *Ledger) Params() Params { return l.params }

// Now is the ledger's clock.
func (l *Ledger) Now() time.Time { return l.now() }

// Slot is the current slot.
func (l *Ledger) Slot() uint64 { return l.net.Slot(l.now()) }

// Address is an account's base address on the ledger's network.
func (l *Ledger) Address(account string) Address { return KeyFor(account).Address(l.net) }

func (l *Ledger) addLocked(in Input, out Output, indefinite bool) {
	l.seq++
	l.utxo[in] = entry{out: out, seq: l.seq, indefinite: indefinite}
}

// UTxO is an unspent output and where it is.
type UTxO struct {
	Input  Input
	Output Output
	// indefinite makes MarshalCBOR write an indefinite-length array.
	indefinite bool
}

// MarshalCBOR is the CIP-30 TransactionUnspentOutput [[txhash, index],
// output], the output as it was received.
func (u UTxO) MarshalCBOR() ([]byte, error) {
	in, err := encMode.Marshal([]any{u.Input.TxID[:], u.Input.Index})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if u.indefinite {
		b.WriteByte(0x9f)
	} else {
		b.WriteByte(0x82)
	}
	b.Write(in)
	b.Write(u.Output.Raw)
	if u.indefinite {
		b.WriteByte(0xff)
	}
	return b.Bytes(), nil
}

// UTxOs lists the unspent outputs locked by the account's payment key,
// oldest first, funding the account on first use.
func (l *Ledger) UTxOs(account string) ([]UTxO, error) {
	if !ValidAccount(account) {
		return nil, ErrAccount
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fundLocked(account)
	return l.ownedLocked(KeyFor(account).Hash()), nil
}

func (l *Ledger) ownedLocked(h KeyHash) []UTxO {
	type item struct {
		u   UTxO
		seq uint64
	}
	var items []item
	for in, e := range l.utxo {
		if kh, ok := e.out.Address.PaymentKeyHash(); ok && kh == h {
			items = append(items, item{UTxO{Input: in, Output: e.out, indefinite: e.indefinite}, e.seq})
		}
	}
	slices.SortFunc(items, func(a, b item) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]UTxO, len(items))
	for i, it := range items {
		out[i] = it.u
	}
	return out
}

// Balance is the sum of the account's unspent outputs.
func (l *Ledger) Balance(account string) (Value, error) {
	utxos, err := l.UTxOs(account)
	if err != nil {
		return Value{}, err
	}
	var total Value
	for _, u := range utxos {
		if total, err = total.Add(u.Output.Value); err != nil {
			return Value{}, err
		}
	}
	return total, nil
}

// Lookup finds an unspent output; false when it is spent or the ledger never
// held it (an account's genesis outputs exist once the account was used).
func (l *Ledger) Lookup(in Input) (Output, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.utxo[in]
	return e.out, ok
}

// TxStatus is where a submitted transaction is.
type TxStatus string

const (
	StatusSubmitted TxStatus = "submitted"
	StatusConfirmed TxStatus = "confirmed"
)

// Record is an applied transaction.
type Record struct {
	Tx          *Tx
	Status      TxStatus // as of the lookup
	SubmittedAt time.Time
	ConfirmedAt time.Time // when it counts (or will count) as confirmed
}

// Transaction finds an applied transaction by its hash (hex), with its status
// as of now.
func (l *Ledger) Transaction(hashHex string) (Record, bool) {
	var h [32]byte
	if len(hashHex) != 64 {
		return Record{}, false
	}
	if _, err := hex.Decode(h[:], []byte(hashHex)); err != nil {
		return Record{}, false
	}
	l.mu.Lock()
	r, ok := l.txs[h]
	l.mu.Unlock()
	if !ok {
		return Record{}, false
	}
	out := *r
	out.Status = StatusSubmitted
	if !l.now().Before(r.ConfirmedAt) {
		out.Status = StatusConfirmed
	}
	return out, true
}

// Verify checks a signed transaction against the ledger without applying
// it. Every refusal is a *RejectError.
func (l *Ledger) Verify(raw []byte) (*Tx, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.verifyLocked(raw)
}

// Apply verifies a transaction and applies it: its inputs are spent, its
// outputs (txhash#index) added. It counts as submitted until confirmDelay
// has passed, then as confirmed; 0 confirms at once.
func (l *Ledger) Apply(raw []byte, confirmDelay time.Duration) (*Tx, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tx, err := l.verifyLocked(raw)
	if err != nil {
		return nil, err
	}
	for _, in := range tx.Inputs {
		delete(l.utxo, in)
		l.spent[in] = tx.Hash
	}
	for i, out := range tx.Outputs {
		l.addLocked(Input{TxID: tx.Hash, Index: uint64(i)}, out, false)
	}
	now := l.now()
	l.txs[tx.Hash] = &Record{Tx: tx, SubmittedAt: now, ConfirmedAt: now.Add(confirmDelay)}
	return tx, nil
}

// Sign makes the account's vkey witnesses for a transaction: one over the
// body hash when the account's payment key locks any input or is a required
// signer. Without partial, every input must be the account's. The answer is a
// witness set {0: #6.258([[vkey, signature]])}, canonical CBOR.
func (l *Ledger) Sign(account string, raw []byte, partial bool) ([]byte, error) {
	if !ValidAccount(account) {
		return nil, ErrAccount
	}
	tx, err := Decode(raw)
	if err != nil {
		return nil, err
	}
	key := KeyFor(account)
	mine := key.Hash()
	l.mu.Lock()
	l.fundLocked(account)
	owns := false
	var foreign []string
	for _, in := range tx.Inputs {
		e, ok := l.utxo[in]
		kh, keyed := e.out.Address.PaymentKeyHash()
		if ok && keyed && kh == mine {
			owns = true
		} else {
			foreign = append(foreign, in.String())
		}
	}
	l.mu.Unlock()
	if slices.Contains(tx.RequiredSigners, mine) {
		owns = true
	}
	switch {
	case !owns && !partial:
		return nil, reject(ErrCannotSign, "account %q owns none of the transaction's inputs", account)
	case len(foreign) > 0 && !partial:
		return nil, reject(ErrCannotSign, "input %s is not account %q's (unknown, spent or someone else's); sign with partial to sign only this account's inputs", foreign[0], account)
	case !owns:
		return encMode.Marshal(map[uint64]any{})
	}
	w := []any{[]byte(key.PublicKey()), key.Sign(tx.Hash[:])}
	return encMode.Marshal(map[uint64]any{0: cbor.Tag{Number: 258, Content: []any{w}}})
}
