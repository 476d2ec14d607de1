package payer

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"
)

// State is where a journal entry's payment stands.
type State string

const (
	// StateSigning is written before the wallet is asked to sign: the
	// unsigned transaction is known, a signature may or may not exist.
	StateSigning State = "signing"
	// StateSigned holds the signed transaction; nothing was broadcast by us.
	StateSigned State = "signed"
	// StateSubmitted means the wallet submitted the transaction.
	StateSubmitted State = "submitted"
	// StateAccepted means the service served the paid call.
	StateAccepted State = "accepted"
	// StateRejected means the service refused the payment: never paid again
	// automatically.
	StateRejected State = "rejected"
)

// Entry is one invoice's payment, kept across page reloads so that an
// invoice is never paid twice.
type Entry struct {
	InvoiceID string   `json:"invoiceId"`
	State     State    `json:"state"`
	TxHash    string   `json:"txHash"`
	Mode      Mode     `json:"mode"`
	Network   string   `json:"network"`
	Route     string   `json:"route,omitempty"`
	Unsigned  string   `json:"-"`                  // hex; never trusted back from storage
	Signed    string   `json:"signedTx,omitempty"` // hex
	Inputs    []string `json:"inputs"`             // "txhash#index"
	Total     uint64   `json:"totalLovelace,string"`
	Fee       uint64   `json:"feeLovelace,string"`
	// Counted: the payment is in Spent and was reported to OnPaid.
	Counted   bool      `json:"counted,omitempty"`
	Outputs   []Output  `json:"outputs"`
	ExpiresAt time.Time `json:"expiresAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Output is one output of a journaled payment.
type Output struct {
	Address  string `json:"address"`
	Lovelace uint64 `json:"lovelace,string"`
}

// Store keeps journal entries as text under string keys: localStorage in
// the browser, memory elsewhere. Errors must be reported, never hidden: the
// payer does not sign when it cannot write the journal first.
type Store interface {
	Get(key string) (value string, ok bool, err error)
	Set(key, value string) error
	Delete(key string) error
	Keys() ([]string, error)
}

// keyPrefix namespaces the journal in a shared store (localStorage).
const keyPrefix = "tbackend.journal.v1:"

// keepAfterExpiry is how long an entry outlives its invoice, so that a late
// 402 for the same invoice still finds the proof.
const keepAfterExpiry = 24 * time.Hour

// journal reads and writes entries; each operation is atomic and short.
type journal struct {
	mu    sync.Mutex
	store Store
}

func (j *journal) get(invoiceID string) (*Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.getLocked(invoiceID)
}

func (j *journal) getLocked(invoiceID string) (*Entry, error) {
	raw, ok, err := j.store.Get(keyPrefix + invoiceID)
	if err != nil || !ok {
		return nil, err
	}
	var e Entry
	if err := json.Unmarshal([]byte(raw), &e); err != nil || e.InvoiceID != invoiceID {
		// A corrupt entry still means "something happened to this invoice".
		return &Entry{InvoiceID: invoiceID, State: StateRejected}, nil
	}
	return &e, nil
}

func (j *journal) put(e *Entry) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.putLocked(e)
}

func (j *journal) putLocked(e *Entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return j.store.Set(keyPrefix+e.InvoiceID, string(b))
}

func (j *journal) remove(invoiceID string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.store.Delete(keyPrefix + invoiceID)
}

// update changes an existing entry in place; a missing one stays missing.
func (j *journal) update(invoiceID string, change func(*Entry)) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e, err := j.getLocked(invoiceID)
	if err != nil || e == nil {
		return
	}
	change(e)
	j.putLocked(e)
}

// all returns every readable entry, newest first, and drops entries long
// past their invoice's expiry.
func (j *journal) all(now time.Time) ([]Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	keys, err := j.store.Keys()
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, k := range keys {
		id, ok := strings.CutPrefix(k, keyPrefix)
		if !ok {
			continue
		}
		e, err := j.getLocked(id)
		if err != nil || e == nil {
			continue
		}
		if !e.ExpiresAt.IsZero() && now.After(e.ExpiresAt.Add(keepAfterExpiry)) {
			j.store.Delete(k)
			continue
		}
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	return out, nil
}

// MemoryStore is a Store in memory, for native use and for browsers where
// localStorage is unavailable.
type MemoryStore struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *MemoryStore) Get(key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	return v, ok, nil
}

func (s *MemoryStore) Set(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[key] = value
	return nil
}

func (s *MemoryStore) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}

func (s *MemoryStore) Keys() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.m))
	for k := range s.m {
		keys = append(keys, k)
	}
	return keys, nil
}
