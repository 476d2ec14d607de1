package payer

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tbackend/sdk/cip30"
	"github.com/tbackend/sdk/client"
	"github.com/tbackend/sdk/internal/ada"
)

// payNew builds, confirms, journals and signs a payment of inv. retry lists
// the inputs of an interrupted earlier build: the new one must spend one.
func (p *Payer) payNew(ctx context.Context, inv *client.Invoice, outputs []cip30.Output, retry []cip30.Input, route string) (*client.Proof, error) {
	netID, err := p.wallet.NetworkID(ctx)
	if err != nil {
		return nil, walletErr(err, "the wallet did not tell its network")
	}
	if netID != p.networkID {
		return nil, &client.Error{Code: client.CodeNetworkMismatch, Invoice: inv,
			Message: fmt.Sprintf("the wallet is on network id %d but the payer pays on %s (network id %d): switch the wallet's network", netID, p.opts.Network, p.networkID)}
	}
	changeHex, err := p.wallet.ChangeAddress(ctx)
	if err != nil {
		return nil, walletErr(err, "the wallet did not give a change address")
	}
	change, err := parseWalletAddress(changeHex)
	if err != nil {
		return nil, walletErr(err, "the wallet's change address could not be read")
	}
	if change.NetworkID() != p.networkID {
		return nil, &client.Error{Code: client.CodeNetworkMismatch, Invoice: inv,
			Message: fmt.Sprintf("the wallet's address is not a %s address", p.opts.Network)}
	}
	utxoHex, err := p.wallet.UTxOs(ctx)
	if err != nil {
		return nil, walletErr(err, "the wallet did not list its UTxOs")
	}
	utxos, err := cip30.DecodeUTxOs(utxoHex)
	if err != nil {
		return nil, walletErr(err, "the wallet's UTxOs could not be read")
	}
	if len(retry) > 0 && !holdsAny(utxos, retry) {
		return nil, &client.Error{Code: client.CodeWalletError, Invoice: inv,
			Message: fmt.Sprintf("an interrupted payment of invoice %s spent its inputs and may have gone through; it is not paid again", inv.ID)}
	}
	exclude, err := p.pendingInputs(inv.ID)
	if err != nil {
		return nil, walletErr(err, "the payment journal could not be read, so nothing was paid")
	}
	ttl, err := cip30.Slot(inv.Network, inv.ExpiresAt)
	if err != nil {
		return nil, client.Errorf(client.CodeInvoiceInvalid, "invoice %s expires at a time with no %s slot", inv.ID, inv.Network)
	}
	pay, err := cip30.BuildPayment(cip30.PaymentSpec{
		Outputs: outputs,
		Change:  change,
		UTxOs:   utxos,
		Exclude: exclude,
		Require: retry,
		TTL:     ttl,
		Message: []string{"T API invoice " + inv.ID},
		Params:  p.opts.Params,
	})
	if err != nil {
		return nil, buildErr(err, inv)
	}
	total := inv.TotalLovelace() + pay.Fee
	if err := p.checkBudget(inv, total, pay.Fee); err != nil {
		return nil, err
	}
	entry := &Entry{
		InvoiceID: inv.ID,
		State:     StateSigning,
		TxHash:    hex.EncodeToString(pay.Hash[:]),
		Mode:      p.modeFor(inv),
		Network:   inv.Network,
		Route:     route,
		Unsigned:  hex.EncodeToString(pay.Tx),
		Total:     total,
		Fee:       pay.Fee,
		ExpiresAt: inv.ExpiresAt,
	}
	for _, in := range pay.Inputs {
		entry.Inputs = append(entry.Inputs, in.String())
	}
	for _, o := range inv.Outputs {
		entry.Outputs = append(entry.Outputs, Output{Address: o.Address, Lovelace: o.Lovelace})
	}
	return p.confirmAndSign(ctx, entry, inv, pay.Signers)
}

// resume re-sends the proof of a journaled payment, finishing its
// submission first in submit mode.
func (p *Payer) resume(ctx context.Context, e *Entry, inv *client.Invoice) (*client.Proof, error) {
	switch e.State {
	case StateRejected:
		return nil, &client.Error{Code: client.CodePaymentRequired, Invoice: inv,
			Message: fmt.Sprintf("the service refused the payment of invoice %s before (transaction %s); it is not paid again automatically", inv.ID, e.TxHash)}
	case StateSigned:
		if e.Mode == ModeSubmit {
			if err := p.submit(ctx, e); err != nil {
				return nil, err
			}
		}
	}
	p.count(e)
	return proofOf(e)
}

// confirmAndSign asks for consent, journals the unsigned transaction, and
// only then asks the wallet to sign.
func (p *Payer) confirmAndSign(ctx context.Context, e *Entry, inv *client.Invoice, signers [][28]byte) (*client.Proof, error) {
	if p.opts.Confirm != nil {
		q := Quote{InvoiceID: inv.ID, PayTo: inv.PayTo, Outputs: e.Outputs, Fee: e.Fee, Total: e.Total,
			ExpiresAt: inv.ExpiresAt, Route: e.Route, Network: inv.Network}
		ok, err := p.opts.Confirm(ctx, q)
		if ctx.Err() != nil {
			return nil, &client.Error{Code: client.CodeAborted, Invoice: inv, Message: "the call was cancelled while the payment waited for confirmation", Err: ctx.Err()}
		}
		if err != nil || !ok {
			msg := fmt.Sprintf("the payment of invoice %s (%s ADA) was declined", inv.ID, ada.Format(e.Total))
			if err != nil {
				msg += ": " + err.Error()
			}
			return nil, &client.Error{Code: client.CodePaymentDeclined, Invoice: inv, Message: msg, Err: err}
		}
		if left := inv.ExpiresAt.Sub(p.opts.Now()); left < minLifetime {
			return nil, &client.Error{Code: client.CodeInvoiceExpired, Invoice: inv,
				Message: fmt.Sprintf("invoice %s expired while the payment waited for confirmation", inv.ID)}
		}
	}
	e.State, e.UpdatedAt = StateSigning, p.opts.Now()
	if err := p.journal.put(e); err != nil {
		return nil, walletErr(err, "the payment journal could not be written, so nothing was signed")
	}
	witnesses, err := p.wallet.SignTx(ctx, e.Unsigned, false)
	if err != nil {
		p.journal.remove(e.InvoiceID)
		return nil, walletErr(err, "the wallet did not sign")
	}
	signed, err := p.attach(e, witnesses, signers)
	if err != nil {
		p.journal.remove(e.InvoiceID)
		return nil, err
	}
	e.State, e.Signed, e.UpdatedAt = StateSigned, hex.EncodeToString(signed), p.opts.Now()
	if err := p.journal.put(e); err != nil {
		// Nothing was broadcast; without a journal entry this signature must
		// not be used.
		return nil, walletErr(err, "the payment journal could not be written, so the signed payment was not sent")
	}
	if e.Mode == ModeSubmit {
		if err := p.submit(ctx, e); err != nil {
			return nil, err
		}
	}
	p.count(e)
	return proofOf(e)
}

// count adds a payment to Spent and reports it to OnPaid, once: when its
// proof is final, on whichever path (first try or resumed) gets there.
func (p *Payer) count(e *Entry) {
	if e.Counted || (e.Mode == ModeSubmit && e.State == StateSigned) {
		return
	}
	e.Counted = true
	p.journal.update(e.InvoiceID, func(stored *Entry) { stored.Counted = true })
	p.mu.Lock()
	p.spent += e.Total
	p.mu.Unlock()
	if p.opts.OnPaid != nil {
		p.opts.OnPaid(Receipt{InvoiceID: e.InvoiceID, TxHash: e.TxHash, Total: e.Total, Fee: e.Fee, Mode: e.Mode})
	}
}

// attach merges the wallet's witnesses and checks that every needed key
// signed the very body that was journaled.
func (p *Payer) attach(e *Entry, witnesses string, signers [][28]byte) ([]byte, error) {
	w, err := hex.DecodeString(witnesses)
	if err != nil {
		return nil, client.Errorf(client.CodeWalletError, "the wallet's signature is not hex")
	}
	signed, err := cip30.AttachWitnesses(decodeHex(e.Unsigned), w)
	if err != nil {
		return nil, walletErr(err, "the wallet's signature could not be read")
	}
	hash, err := cip30.TxHash(signed)
	if err != nil || hex.EncodeToString(hash[:]) != e.TxHash {
		return nil, client.Errorf(client.CodeWalletError, "the signed transaction is not the one that was confirmed")
	}
	got, err := cip30.SignedBy(signed)
	if err != nil {
		return nil, walletErr(err, "the wallet's signature could not be read")
	}
	for _, need := range signers {
		if !slices.Contains(got, need) {
			return nil, client.Errorf(client.CodeWalletError, "the wallet did not sign for every input it offered (key %x…)", need[:4])
		}
	}
	// A wallet may add witnesses of its own (a stake key, say): the fee was
	// sized for the needed ones, and a ledger refuses a fee below the size.
	if need := p.opts.Params.MinFeeA*uint64(len(signed)) + p.opts.Params.MinFeeB; need > e.Fee {
		return nil, client.Errorf(client.CodeWalletError, "the wallet's signature made the transaction larger than its fee covers (%s ADA needed, %s ADA paid)", ada.Format(need), ada.Format(e.Fee))
	}
	return signed, nil
}

func (p *Payer) submit(ctx context.Context, e *Entry) error {
	hash, err := p.wallet.SubmitTx(ctx, e.Signed)
	if err != nil {
		return walletErr(err, "the wallet did not submit the payment")
	}
	if !strings.EqualFold(strings.TrimSpace(hash), e.TxHash) {
		return client.Errorf(client.CodeWalletError, "the wallet reports transaction %s, not the signed %s", hash, e.TxHash)
	}
	e.State, e.UpdatedAt = StateSubmitted, p.opts.Now()
	return p.journal.put(e)
}

// modeFor is the payer's mode, except that x402 always sends the signed
// transaction unbroadcast.
func (p *Payer) modeFor(inv *client.Invoice) Mode {
	if inv.Kind == client.KindX402 {
		return ModeCBOR
	}
	return p.opts.Mode
}

// pendingInputs are the inputs of other invoices' signed payments that may
// still land, which a new payment must not spend.
func (p *Payer) pendingInputs(invoiceID string) ([]cip30.Input, error) {
	entries, err := p.journal.all(p.opts.Now())
	if err != nil {
		return nil, err
	}
	var out []cip30.Input
	for _, e := range entries {
		if e.InvoiceID == invoiceID || e.State == StateRejected || e.State == StateSigning || !p.opts.Now().Before(e.ExpiresAt) {
			continue
		}
		for _, s := range e.Inputs {
			if in, err := cip30.ParseInput(s); err == nil {
				out = append(out, in)
			}
		}
	}
	return out, nil
}

func proofOf(e *Entry) (*client.Proof, error) {
	signed, err := hex.DecodeString(e.Signed)
	if err != nil || len(signed) == 0 {
		return nil, client.Errorf(client.CodeWalletError, "the journaled payment of invoice %s is unreadable; not paying again", e.InvoiceID)
	}
	proof := &client.Proof{InvoiceID: e.InvoiceID, TxHash: e.TxHash, SignedTx: signed,
		Submitted: e.Mode == ModeSubmit && (e.State == StateSubmitted || e.State == StateAccepted)}
	if len(e.Inputs) > 0 {
		proof.Nonce = e.Inputs[0]
	}
	return proof, nil
}

func parseWalletAddress(s string) (cip30.Address, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return cip30.ParseAddress(s)
	}
	return cip30.AddressFromBytes(b)
}

// buildErr maps transaction-building failures to the contract's codes.
func buildErr(err error, inv *client.Invoice) error {
	code := client.CodeWalletError
	switch {
	case errors.Is(err, cip30.ErrInsufficientFunds):
		code = client.CodeInsufficientFunds
	case errors.Is(err, cip30.ErrBelowMinADA):
		code = client.CodeInvoiceInvalid
	}
	return &client.Error{Code: code, Invoice: inv, Message: err.Error(), Err: err}
}

func holdsAny(utxos []cip30.UTxO, inputs []cip30.Input) bool {
	for _, u := range utxos {
		if slices.Contains(inputs, u.Input) {
			return true
		}
	}
	return false
}
