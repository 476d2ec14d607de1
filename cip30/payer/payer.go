// Package payer pays T API invoices from a CIP-30 wallet, and is where the
// payer's guarantees live: never twice (a journal written before signing),
// never without consent (caps, a payee allow-list, a confirm hook), never
// for another network, and never a malformed or expired invoice. It is
// plain Go: the browser binding supplies the Wallet and the Store.
package payer

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/tbackend/sdk/cip30"
	"github.com/tbackend/sdk/client"
	"github.com/tbackend/sdk/internal/ada"
)

// Mode says who broadcasts the payment.
type Mode string

const (
	// ModeCBOR sends the signed transaction to the service, which submits
	// it: money moves only if the service accepts it.
	ModeCBOR Mode = "cbor"
	// ModeSubmit has the wallet submit, and sends the transaction hash.
	ModeSubmit Mode = "submit"
)

// Default caps, in lovelace, when the options leave them out: a dApp that
// wants to spend more must say so.
const (
	DefaultMaxPerPayment = 10_000_000
	DefaultMaxTotal      = 50_000_000
)

// minLifetime is the least time an invoice must have left for the payer to
// start: signing and submitting take a moment, and a transaction built for
// an invoice about to expire would be refused anyway.
const minLifetime = 5 * time.Second

// Wallet is the part of the CIP-30 API a payment needs, in CIP-30's own
// terms (CBOR hex in and out). Errors should be *client.Error with the
// CIP-30 error mapped to a code.
type Wallet interface {
	NetworkID(ctx context.Context) (byte, error)
	UTxOs(ctx context.Context) ([]string, error)
	ChangeAddress(ctx context.Context) (string, error)
	SignTx(ctx context.Context, txHex string, partial bool) (witnessSetHex string, err error)
	SubmitTx(ctx context.Context, txHex string) (txHash string, err error)
}

// Quote is what the person confirming a payment is shown.
type Quote struct {
	InvoiceID string
	PayTo     string
	Outputs   []Output
	Fee       uint64
	// Total is every output plus the fee.
	Total     uint64
	ExpiresAt time.Time
	Route     string
	Network   string
}

// Receipt reports a payment once the payer holds its proof.
type Receipt struct {
	InvoiceID string
	TxHash    string
	Total     uint64
	Fee       uint64
	Mode      Mode
}

// Options configure a Payer. Zero values take the defaults.
type Options struct {
	MaxPerPayment uint64 // lovelace, fee included; default DefaultMaxPerPayment
	MaxTotal      uint64 // lovelace over the payer's life; default DefaultMaxTotal
	// AllowedPayTo, when non-empty, must hold every output address of an
	// invoice.
	AllowedPayTo []string
	Network      string // mainnet (default), preprod or preview
	Mode         Mode   // ModeCBOR (default) or ModeSubmit
	// Confirm is asked before every signature; false (or an error) declines.
	Confirm func(ctx context.Context, q Quote) (bool, error)
	OnPaid  func(Receipt)
	Params  cip30.Params // zero: mainnet parameters
	Store   Store        // default: a MemoryStore
	Now     func() time.Time
}

// Payer implements client.Payer. One payment runs at a time.
type Payer struct {
	wallet    Wallet
	opts      Options
	journal   *journal
	networkID byte
	allowed   map[string]bool
	// paying serializes payments; it is held while the confirm hook and the
	// wallet are awaited. mu guards spent (and the journal its own state);
	// neither is held while waiting on anything, so Spent, Journal and
	// Settle stay instant during a payment (in the browser they run on
	// JavaScript's thread, which a payment may be waiting for).
	paying sync.Mutex
	mu     sync.Mutex
	spent  uint64
}

var _ client.Payer = (*Payer)(nil)

// New checks the options and returns a Payer for the wallet.
func New(w Wallet, opts Options) (*Payer, error) {
	if w == nil {
		return nil, client.Errorf(client.CodeInvalidRequest, "the payer needs a wallet")
	}
	if opts.Network == "" {
		opts.Network = "mainnet"
	}
	id, err := cip30.NetworkIDOf(opts.Network)
	if err != nil {
		return nil, client.Errorf(client.CodeInvalidRequest, "network must be mainnet, preprod or preview, not %q", opts.Network)
	}
	switch opts.Mode {
	case "":
		opts.Mode = ModeCBOR
	case ModeCBOR, ModeSubmit:
	default:
		return nil, client.Errorf(client.CodeInvalidRequest, "mode must be \"cbor\" or \"submit\", not %q", opts.Mode)
	}
	if opts.MaxPerPayment == 0 {
		opts.MaxPerPayment = DefaultMaxPerPayment
	}
	if opts.MaxTotal == 0 {
		opts.MaxTotal = DefaultMaxTotal
	}
	if opts.Params == (cip30.Params{}) {
		opts.Params = cip30.MainnetParams
	}
	if opts.Store == nil {
		opts.Store = &MemoryStore{}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &Payer{wallet: w, opts: opts, journal: &journal{store: opts.Store}, networkID: id}
	if len(opts.AllowedPayTo) > 0 {
		p.allowed = map[string]bool{}
		for _, s := range opts.AllowedPayTo {
			a, err := cip30.ParseAddress(strings.TrimSpace(s))
			if err != nil {
				return nil, client.Errorf(client.CodeInvalidRequest, "allowedPayTo holds %q, which is not a Cardano address", s)
			}
			if a.NetworkID() != id {
				return nil, client.Errorf(client.CodeInvalidRequest, "allowedPayTo holds %s, which is not a %s address", s, opts.Network)
			}
			p.allowed[string(a.Bytes())] = true
		}
	}
	return p, nil
}

// Spent is the lovelace this payer has paid (outputs and fees): counted once
// per payment, when its proof is final (signed, or submitted in submit
// mode). It covers this payer's life, one page session in the browser; the
// journal, not the total, survives a reload.
func (p *Payer) Spent() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.spent
}

// Journal returns the journal's entries, newest first.
func (p *Payer) Journal() ([]Entry, error) {
	return p.journal.all(p.opts.Now())
}

// Pay implements client.Payer: it checks the invoice without touching the
// wallet, resumes a journaled payment of the same invoice, or builds,
// confirms, journals, signs and (in submit mode) submits a new one.
func (p *Payer) Pay(ctx context.Context, req client.PaymentRequest) (*client.Proof, error) {
	p.paying.Lock()
	defer p.paying.Unlock()
	inv := req.Invoice
	outputs, err := p.checkInvoice(inv)
	if err != nil {
		return nil, err
	}
	entry, err := p.journal.get(inv.ID)
	if err != nil {
		return nil, walletErr(err, "the payment journal could not be read, so nothing was paid")
	}
	var retry []cip30.Input
	switch {
	case entry == nil:
	case entry.State == StateSigning:
		// The page went away while the wallet was signing. No signature of
		// that build left the wallet (CIP-30's signTx does not broadcast,
		// and this payer submits only what it journaled as signed), so it
		// is built afresh, trusting no bytes read back from storage, and
		// made to spend one of the first build's inputs: should a second
		// tab still be signing that one, at most one of the two can land.
		for _, s := range entry.Inputs {
			if in, err := cip30.ParseInput(s); err == nil {
				retry = append(retry, in)
			}
		}
		if len(retry) == 0 {
			// Without the first build's inputs nothing ties a new build to
			// it: when in doubt, do not sign.
			return nil, &client.Error{Code: client.CodeWalletError, Invoice: inv,
				Message: fmt.Sprintf("the journal holds an unreadable interrupted payment of invoice %s; it is not paid again", inv.ID)}
		}
	default:
		// Paid before: the proof is re-sent, never paid again, and not
		// counted against the caps a second time.
		return p.resume(ctx, entry, inv)
	}
	if err := p.checkBudget(inv, inv.TotalLovelace(), 0); err != nil {
		return nil, err
	}
	return p.payNew(ctx, inv, outputs, retry, req.Route)
}

// Settle implements client.Payer. A payment the service accepted once
// stays accepted: a later refusal of the same proof (a replay) does not
// make the invoice unpaid.
func (p *Payer) Settle(invoiceID string, accepted bool) {
	p.journal.update(invoiceID, func(e *Entry) {
		switch {
		case accepted:
			e.State = StateAccepted
		case e.State != StateAccepted:
			e.State = StateRejected
		}
		e.UpdatedAt = p.opts.Now()
	})
}

// checkInvoice refuses, before any wallet call, what must never be paid.
func (p *Payer) checkInvoice(inv *client.Invoice) ([]cip30.Output, error) {
	if inv == nil || inv.ID == "" || len(inv.Outputs) == 0 {
		return nil, client.Errorf(client.CodeInvoiceInvalid, "the invoice has no id or no outputs")
	}
	if inv.Asset != "ADA" {
		return nil, client.Errorf(client.CodeInvoiceInvalid, "invoice %s asks for %q; only ADA is paid", inv.ID, inv.Asset)
	}
	if left := inv.ExpiresAt.Sub(p.opts.Now()); left < minLifetime {
		return nil, &client.Error{Code: client.CodeInvoiceExpired, Invoice: inv,
			Message: fmt.Sprintf("invoice %s expired (or expires within %v) at %s", inv.ID, minLifetime, inv.ExpiresAt.UTC().Format(time.RFC3339))}
	}
	if inv.Network != p.opts.Network {
		return nil, &client.Error{Code: client.CodeNetworkMismatch, Invoice: inv,
			Message: fmt.Sprintf("invoice %s is for %s but this payer pays on %s", inv.ID, inv.Network, p.opts.Network)}
	}
	outputs := make([]cip30.Output, len(inv.Outputs))
	var total uint64
	for i, o := range inv.Outputs {
		a, err := cip30.ParseAddress(o.Address)
		if err != nil || a.IsReward() || a.IsByron() {
			return nil, client.Errorf(client.CodeInvoiceInvalid, "invoice %s pays %q, which is not a Cardano payment address", inv.ID, o.Address)
		}
		if a.NetworkID() != p.networkID {
			return nil, &client.Error{Code: client.CodeNetworkMismatch, Invoice: inv,
				Message: fmt.Sprintf("invoice %s pays %s, an address of another network than %s", inv.ID, o.Address, p.opts.Network)}
		}
		if p.allowed != nil && !p.allowed[string(a.Bytes())] {
			return nil, &client.Error{Code: client.CodePayeeNotAllowed, Invoice: inv,
				Message: fmt.Sprintf("invoice %s pays %s, which is not in allowedPayTo", inv.ID, o.Address)}
		}
		if total+o.Lovelace < total {
			return nil, client.Errorf(client.CodeInvoiceInvalid, "invoice %s adds up to more lovelace than exist", inv.ID)
		}
		total += o.Lovelace
		outputs[i] = cip30.Output{Address: a, Value: cip30.Lovelace(o.Lovelace)}
	}
	return outputs, nil
}

func (p *Payer) checkBudget(inv *client.Invoice, total, fee uint64) error {
	what := "its outputs"
	if fee > 0 {
		what = "its outputs and fee"
	}
	if total > p.opts.MaxPerPayment {
		return &client.Error{Code: client.CodeBudgetExceeded, Invoice: inv,
			Message: fmt.Sprintf("invoice %s costs %s ADA (%s), over the cap of %s ADA per payment", inv.ID, ada.Format(total), what, ada.Format(p.opts.MaxPerPayment))}
	}
	if spent := p.Spent(); spent+total > p.opts.MaxTotal || spent+total < spent {
		return &client.Error{Code: client.CodeBudgetExceeded, Invoice: inv,
			Message: fmt.Sprintf("invoice %s costs %s ADA (%s); with %s ADA already spent that is over the total cap of %s ADA", inv.ID, ada.Format(total), what, ada.Format(spent), ada.Format(p.opts.MaxTotal))}
	}
	return nil
}

// walletErr keeps a wallet's *client.Error and wraps anything else.
func walletErr(err error, context string) error {
	var e *client.Error
	if errors.As(err, &e) {
		return e
	}
	return &client.Error{Code: client.CodeWalletError, Message: context + ": " + err.Error(), Err: err}
}

func decodeHex(s string) []byte {
	b, _ := hex.DecodeString(s)
	return b
}
