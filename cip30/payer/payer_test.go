package payer

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/tbackend/sdk/cip30"
	"github.com/tbackend/sdk/client"
	"github.com/tbackend/sdk/sandbox"
	"github.com/tbackend/sdk/sandbox/ledger"
)

// loop is the whole pay-per-call path offline: a client with this payer,
// the sandbox API charging through a gate, and a wallet on the same ledger.
type loop struct {
	led    *ledger.Ledger
	gate   *sandbox.Gate
	wallet *ledgerWallet
	payer  *Payer
	client *client.Client
	now    *atomic.Int64 // unix nanoseconds
}

type loopOptions struct {
	account      string
	splits       bool
	confirmDelay time.Duration
	payer        Options
}

func newLoop(t *testing.T, o loopOptions) *loop {
	t.Helper()
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	led := ledger.New(ledger.Config{Now: clock})
	gcfg := sandbox.GateConfig{Ledger: led, Now: clock, ConfirmDelay: o.confirmDelay}
	if o.confirmDelay == 0 {
		gcfg.ConfirmDelay = -1
	}
	if o.splits {
		gcfg.Splits = sandbox.SandboxSplits(led)
	}
	gate := sandbox.NewGate(gcfg)
	srv := httptest.NewServer(sandbox.New(sandbox.Config{Payments: gate, Now: clock, StreamDelay: -1}))
	t.Cleanup(srv.Close)
	if o.account == "" {
		o.account = "payer-test"
	}
	w := &ledgerWallet{led: led, account: o.account}
	if o.payer.Network == "" {
		o.payer.Network = "preprod"
	}
	o.payer.Now = clock
	p, err := New(w, o.payer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.WithBaseURL(srv.URL), client.WithPayer(p), client.WithBackoff(time.Millisecond, 20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return &loop{led: led, gate: gate, wallet: w, payer: p, client: c, now: &now}
}

func (l *loop) chat(t *testing.T, opts ...client.CallOption) (*client.ChatResponse, error) {
	t.Helper()
	return l.client.Chat.Send(context.Background(), client.ChatRequest{Message: "paid hello"}, opts...)
}

func codeOf(err error) client.Code {
	var e *client.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestPaysOnceAndTheCallGoesThrough(t *testing.T) {
	for _, mode := range []Mode{ModeCBOR, ModeSubmit} {
		t.Run(string(mode), func(t *testing.T) {
			var receipts []Receipt
			l := newLoop(t, loopOptions{confirmDelay: 30 * time.Millisecond, payer: Options{Mode: mode, OnPaid: func(r Receipt) { receipts = append(receipts, r) }}})
			before, _ := l.led.Balance(l.wallet.account)
			resp, err := l.chat(t)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(resp.Reply, "paid hello") {
				t.Errorf("reply %q", resp.Reply)
			}
			if l.wallet.count("signTx") != 1 {
				t.Errorf("%d signatures", l.wallet.count("signTx"))
			}
			wantSubmits := 0
			if mode == ModeSubmit {
				wantSubmits = 1
			}
			if l.wallet.count("submitTx") != wantSubmits {
				t.Errorf("%d wallet submissions, want %d", l.wallet.count("submitTx"), wantSubmits)
			}
			if len(receipts) != 1 || receipts[0].Total != 1_000_000+receipts[0].Fee || receipts[0].Mode != mode {
				t.Fatalf("receipts = %+v", receipts)
			}
			after, _ := l.led.Balance(l.wallet.account)
			if before.Coin-after.Coin != receipts[0].Total {
				t.Errorf("the wallet lost %d lovelace, the receipt says %d", before.Coin-after.Coin, receipts[0].Total)
			}
			if l.payer.Spent() != receipts[0].Total {
				t.Errorf("Spent = %d", l.payer.Spent())
			}
			entries, _ := l.payer.Journal()
			if len(entries) != 1 || entries[0].State != StateAccepted || entries[0].TxHash != receipts[0].TxHash {
				t.Errorf("journal = %+v", entries)
			}
		})
	}
}

func TestSplitOutputsArePaid(t *testing.T) {
	l := newLoop(t, loopOptions{splits: true})
	if _, err := l.chat(t); err != nil {
		t.Fatal(err)
	}
	entries, _ := l.payer.Journal()
	if len(entries[0].Outputs) != 3 {
		t.Fatalf("outputs = %+v", entries[0].Outputs)
	}
	for _, who := range []string{ledger.Partner, ledger.Treasury} {
		bal, _ := l.led.Balance(who)
		if bal.Coin < 1_000_000 {
			t.Errorf("%s received %d lovelace", who, bal.Coin)
		}
	}
}

func TestOnlyTokenUTxOsKeepTheirTokens(t *testing.T) {
	l := newLoop(t, loopOptions{account: "tokens-only-payer"})
	before, _ := l.led.Balance(l.wallet.account)
	if _, err := l.chat(t); err != nil {
		t.Fatal(err)
	}
	after, _ := l.led.Balance(l.wallet.account)
	if len(before.Assets) == 0 {
		t.Fatal("the profile has no tokens")
	}
	for asset, qty := range before.Assets {
		if after.Assets[asset] != qty {
			t.Errorf("%s: %d before, %d after", asset, qty, after.Assets[asset])
		}
	}
}

func TestRefusedBeforeAnyWalletCall(t *testing.T) {
	allowOther := ledger.New(ledger.Config{}).Address("someone-else").String()
	cases := []struct {
		name string
		opts loopOptions
		code client.Code
	}{
		{"per-payment cap below the price", loopOptions{payer: Options{MaxPerPayment: 999_999}}, client.CodeBudgetExceeded},
		{"total cap below the price", loopOptions{payer: Options{MaxTotal: 500_000}}, client.CodeBudgetExceeded},
		{"payee not allowed", loopOptions{payer: Options{AllowedPayTo: []string{allowOther}}}, client.CodePayeeNotAllowed},
		{"split payee not allowed", loopOptions{splits: true, payer: Options{AllowedPayTo: []string{sandboxPayee()}}}, client.CodePayeeNotAllowed},
		{"invoice for another network", loopOptions{payer: Options{Network: "preview"}}, client.CodeNetworkMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newLoop(t, c.opts)
			_, err := l.chat(t)
			if codeOf(err) != c.code {
				t.Fatalf("err = %v, want %s", err, c.code)
			}
			var e *client.Error
			errors.As(err, &e)
			if e.Invoice == nil || e.Status != 0 && e.Status != 402 {
				t.Errorf("error lacks the invoice: %+v", e)
			}
			if n := l.wallet.total(); n != 0 {
				t.Errorf("%d wallet calls: %v", n, l.wallet.calls)
			}
		})
	}
}

func sandboxPayee() string {
	return sandbox.NewGate(sandbox.GateConfig{}).PayTo().String()
}

func TestFeeCountsAgainstTheCap(t *testing.T) {
	l := newLoop(t, loopOptions{payer: Options{MaxPerPayment: 1_000_000}})
	_, err := l.chat(t)
	if codeOf(err) != client.CodeBudgetExceeded || !strings.Contains(err.Error(), "fee") {
		t.Fatalf("err = %v", err)
	}
	if l.wallet.count("signTx") != 0 {
		t.Error("signed over the cap")
	}
}

func TestTotalCapAcrossPayments(t *testing.T) {
	l := newLoop(t, loopOptions{payer: Options{MaxTotal: 2_500_000}})
	if _, err := l.chat(t); err != nil {
		t.Fatal(err)
	}
	if _, err := l.chat(t); err != nil {
		t.Fatal(err)
	}
	if _, err := l.chat(t); codeOf(err) != client.CodeBudgetExceeded {
		t.Fatalf("third payment: %v", err)
	}
	if l.wallet.count("signTx") != 2 {
		t.Errorf("%d signatures, want 2", l.wallet.count("signTx"))
	}
}

func TestConfirmSeesTheQuoteAndCanDecline(t *testing.T) {
	var quotes []Quote
	answer := false
	l := newLoop(t, loopOptions{splits: true, payer: Options{Confirm: func(ctx context.Context, q Quote) (bool, error) {
		quotes = append(quotes, q)
		return answer, nil
	}}})
	_, err := l.chat(t)
	if codeOf(err) != client.CodePaymentDeclined {
		t.Fatalf("err = %v", err)
	}
	if l.wallet.count("signTx") != 0 {
		t.Error("signed without consent")
	}
	q := quotes[0]
	if q.Route != "POST /chat" || len(q.Outputs) != 3 || q.Total != 3_000_000+q.Fee || q.Fee < 155_381 || q.Network != "preprod" || q.PayTo != q.Outputs[0].Address {
		t.Errorf("quote = %+v", q)
	}
	if entries, _ := l.payer.Journal(); len(entries) != 0 {
		t.Errorf("a declined payment left %+v", entries)
	}
	answer = true
	if _, err := l.chat(t); err != nil {
		t.Fatalf("after consent: %v", err)
	}
}

// The confirm hook may look at the payer while a payment waits for it: in
// the browser that runs on the thread the payment is waiting for.
func TestThePayerAnswersDuringConfirm(t *testing.T) {
	var l *loop
	seen := make(chan string, 1)
	l = newLoop(t, loopOptions{payer: Options{Confirm: func(ctx context.Context, q Quote) (bool, error) {
		done := make(chan string, 1)
		go func() {
			entries, _ := l.payer.Journal()
			l.payer.Settle("some-other-invoice", true)
			done <- fmt.Sprintf("%d entries, %d spent", len(entries), l.payer.Spent())
		}()
		select {
		case s := <-done:
			seen <- s
		case <-time.After(5 * time.Second):
			seen <- "blocked"
		}
		return true, nil
	}}})
	if _, err := l.chat(t); err != nil {
		t.Fatal(err)
	}
	if s := <-seen; s != "0 entries, 0 spent" {
		t.Errorf("during confirm: %s", s)
	}
}

func TestConfirmErrorDeclines(t *testing.T) {
	l := newLoop(t, loopOptions{payer: Options{Confirm: func(ctx context.Context, q Quote) (bool, error) {
		return true, errors.New("dialog crashed")
	}}})
	if _, err := l.chat(t); codeOf(err) != client.CodePaymentDeclined || l.wallet.count("signTx") != 0 {
		t.Fatalf("err = %v", err)
	}
}

func TestExpiredInvoiceIsRefused(t *testing.T) {
	slow := 0
	var l *loop
	l = newLoop(t, loopOptions{payer: Options{Confirm: func(ctx context.Context, q Quote) (bool, error) {
		slow++
		l.now.Add(int64(10 * time.Minute)) // the person took ten minutes
		return true, nil
	}}})
	_, err := l.chat(t)
	if codeOf(err) != client.CodeInvoiceExpired || l.wallet.count("signTx") != 0 || slow != 1 {
		t.Fatalf("err = %v, signatures %d", err, l.wallet.count("signTx"))
	}
}

func TestWalletOnAnotherNetwork(t *testing.T) {
	l := newLoop(t, loopOptions{})
	one := byte(1)
	l.wallet.networkID = &one
	_, err := l.chat(t)
	if codeOf(err) != client.CodeNetworkMismatch || l.wallet.count("signTx") != 0 {
		t.Fatalf("err = %v", err)
	}
}

func TestWalletDeclinesThenSigns(t *testing.T) {
	l := newLoop(t, loopOptions{})
	l.wallet.decline = true
	if _, err := l.chat(t); codeOf(err) != client.CodePaymentDeclined {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := l.payer.Journal(); len(entries) != 0 || l.payer.Spent() != 0 {
		t.Fatalf("a declined signature left %+v, spent %d", entries, l.payer.Spent())
	}
	l.wallet.decline = false
	if _, err := l.chat(t); err != nil {
		t.Fatal(err)
	}
}

func TestAccountChange(t *testing.T) {
	l := newLoop(t, loopOptions{})
	l.wallet.accountGone = true
	if _, err := l.chat(t); codeOf(err) != client.CodeAccountChanged {
		t.Fatalf("err = %v", err)
	}
}

func TestInsufficientFunds(t *testing.T) {
	l := newLoop(t, loopOptions{account: "poor-payer"})
	_, err := l.client.Images.Generate(context.Background(), client.ImageRequest{Prompt: "three ADA please", Size: "256x256"})
	if codeOf(err) != client.CodeInsufficientFunds || !strings.Contains(err.Error(), "ADA") || l.wallet.count("signTx") != 0 {
		t.Fatalf("err = %v", err)
	}
}

// A lost answer: the paid call went through, the caller never saw it and
// calls again with the same request id. The service hands out the same
// invoice; the journal answers it with the same proof.
func TestLostResponseIsNotPaidAgain(t *testing.T) {
	for _, mode := range []Mode{ModeCBOR, ModeSubmit} {
		t.Run(string(mode), func(t *testing.T) {
			l := newLoop(t, loopOptions{payer: Options{Mode: mode}})
			id := client.RequestID("3f1d2c4b-5a6e-4f70-8a9b-0c1d2e3f4a5b")
			if _, err := l.chat(t, id); err != nil {
				t.Fatal(err)
			}
			if _, err := l.chat(t, id); err != nil {
				t.Fatal(err)
			}
			if l.wallet.count("signTx") != 1 {
				t.Errorf("%d signatures for one invoice", l.wallet.count("signTx"))
			}
		})
	}
}

// A reload while the payment was under way: a new payer on the same
// journal store resumes the signed payment without a second signature.
func TestReloadResumesWithoutASecondSignature(t *testing.T) {
	store := &MemoryStore{}
	l := newLoop(t, loopOptions{payer: Options{Store: store}})
	id := client.RequestID("7c2e4a1b-3d5f-4e6a-9b7c-8d9e0f1a2b3c")
	// The first page signs, then is gone before the service answers.
	inv := fetchInvoice(t, l, id)
	proof, err := l.payer.Pay(context.Background(), client.PaymentRequest{Invoice: inv, Route: "POST /chat"})
	if err != nil || proof == nil {
		t.Fatalf("first page: %v", err)
	}
	// The reloaded page: a new payer over the same store and wallet.
	reloaded, err := New(l.wallet, Options{Network: "preprod", Store: store, Now: l.payer.opts.Now})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := client.New(client.WithBaseURL(l.client.BaseURL()), client.WithPayer(reloaded), client.WithBackoff(time.Millisecond, 10*time.Millisecond))
	if _, err := c.Chat.Send(context.Background(), client.ChatRequest{Message: "paid hello"}, id); err != nil {
		t.Fatal(err)
	}
	if l.wallet.count("signTx") != 1 {
		t.Errorf("%d signatures across the reload", l.wallet.count("signTx"))
	}
}

// A reload while the wallet was signing: the journal holds a "signing"
// entry; the reloaded page builds and confirms afresh, and the invoice is
// paid exactly once.
func TestReloadDuringSigningPaysOnce(t *testing.T) {
	l := newLoop(t, loopOptions{})
	id := client.RequestID("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")
	store := &MemoryStore{}
	dying := &dyingWallet{ledgerWallet: l.wallet, store: store}
	first, _ := New(dying, Options{Network: "preprod", Store: store, Now: l.payer.opts.Now})
	c1, _ := client.New(client.WithBaseURL(l.client.BaseURL()), client.WithPayer(first))
	if _, err := c1.Chat.Send(context.Background(), client.ChatRequest{Message: "paid hello"}, id); err == nil {
		t.Fatal("the page died but the payment went on")
	}
	// What the reloaded page finds is what was stored when the wallet was
	// asked to sign.
	saved := dying.snapshot
	keys, _ := saved.Keys()
	var e Entry
	if len(keys) != 1 {
		t.Fatalf("journal before signing: %v", keys)
	}
	raw, _, _ := saved.Get(keys[0])
	if json.Unmarshal([]byte(raw), &e) != nil || e.State != StateSigning || len(e.Inputs) == 0 {
		t.Fatalf("no signing entry was journaled before the wallet was asked: %q", raw)
	}
	confirmed := 0
	reloaded, _ := New(l.wallet, Options{Network: "preprod", Store: saved, Now: l.payer.opts.Now,
		Confirm: func(context.Context, Quote) (bool, error) { confirmed++; return true, nil }})
	c2, _ := client.New(client.WithBaseURL(l.client.BaseURL()), client.WithPayer(reloaded))
	payee := l.gate.PayTo().String()
	before := balanceAt(t, l, payee)
	if _, err := c2.Chat.Send(context.Background(), client.ChatRequest{Message: "paid hello"}, id); err != nil {
		t.Fatal(err)
	}
	if got := balanceAt(t, l, payee) - before; got != 1_000_000 || confirmed != 1 {
		t.Errorf("the payee received %d lovelace after %d confirmations; want one payment of 1 ADA, confirmed again", got, confirmed)
	}
}

func balanceAt(t *testing.T, l *loop, bech32 string) uint64 {
	t.Helper()
	bal, err := l.led.Balance(ledger.Payee)
	if err != nil || l.led.Address(ledger.Payee).String() != bech32 {
		t.Fatalf("payee balance: %v", err)
	}
	return bal.Coin
}

// dyingWallet is a page that goes away while its wallet is signing: it
// keeps a copy of the journal as it was at that moment.
type dyingWallet struct {
	*ledgerWallet
	store    *MemoryStore
	snapshot *MemoryStore
}

func (w *dyingWallet) SignTx(ctx context.Context, txHex string, partial bool) (string, error) {
	w.snapshot = &MemoryStore{}
	keys, _ := w.store.Keys()
	for _, k := range keys {
		v, _, _ := w.store.Get(k)
		w.snapshot.Set(k, v)
	}
	return "", errors.New("the tab was closed")
}

// fetchInvoice asks the sandbox for the invoice of a chat call.
func fetchInvoice(t *testing.T, l *loop, id client.CallOption) *client.Invoice {
	t.Helper()
	bare, _ := client.New(client.WithBaseURL(l.client.BaseURL()))
	_, err := bare.Chat.Send(context.Background(), client.ChatRequest{Message: "paid hello"}, id)
	var e *client.Error
	if !errors.As(err, &e) || e.Invoice == nil {
		t.Fatalf("no invoice: %v", err)
	}
	return e.Invoice
}

// flakyWallet fails its first submission, as a wallet that lost its
// connection to a node would.
type flakyWallet struct {
	*ledgerWallet
	failed bool
}

func (w *flakyWallet) SubmitTx(ctx context.Context, txHex string) (string, error) {
	if !w.failed {
		w.failed = true
		w.record("submitTx")
		return "", client.Errorf(client.CodeWalletError, "the wallet could not reach a node")
	}
	return w.ledgerWallet.SubmitTx(ctx, txHex)
}

// A submission that fails and is finished on the next try is still counted
// against the total cap, once, and reported to OnPaid once.
func TestAResumedSubmissionIsCountedOnce(t *testing.T) {
	l := newLoop(t, loopOptions{})
	var receipts []Receipt
	flaky := &flakyWallet{ledgerWallet: l.wallet}
	p, _ := New(flaky, Options{Network: "preprod", Mode: ModeSubmit, MaxTotal: 2_000_000, Now: l.payer.opts.Now,
		OnPaid: func(r Receipt) { receipts = append(receipts, r) }})
	c, _ := client.New(client.WithBaseURL(l.client.BaseURL()), client.WithPayer(p), client.WithBackoff(time.Millisecond, 10*time.Millisecond))
	id := client.RequestID("0e1d2c3b-4a59-4687-a5b4-c3d2e1f0a9b8")
	if _, err := c.Chat.Send(context.Background(), client.ChatRequest{Message: "paid hello"}, id); err == nil {
		t.Fatal("the failed submission did not fail the call")
	}
	if p.Spent() != 0 || len(receipts) != 0 {
		t.Fatalf("counted before it was submitted: spent %d, receipts %d", p.Spent(), len(receipts))
	}
	if _, err := c.Chat.Send(context.Background(), client.ChatRequest{Message: "paid hello"}, id); err != nil {
		t.Fatal(err)
	}
	if len(receipts) != 1 || p.Spent() != receipts[0].Total || l.wallet.count("signTx") != 1 {
		t.Fatalf("spent %d, receipts %+v, signatures %d", p.Spent(), receipts, l.wallet.count("signTx"))
	}
	// The cap now holds the payment: the next one does not fit.
	if _, err := c.Chat.Send(context.Background(), client.ChatRequest{Message: "one more"}); codeOf(err) != client.CodeBudgetExceeded {
		t.Errorf("after the resumed payment: %v", err)
	}
}

// Re-sending the proof of a paid invoice is not a new expense: the caps do
// not stop it.
func TestAResentProofIsNotCappedAgain(t *testing.T) {
	l := newLoop(t, loopOptions{payer: Options{MaxTotal: 1_500_000}})
	id := client.RequestID("1f2e3d4c-5b6a-4798-b6c5-d4e3f2a1b0c9")
	if _, err := l.chat(t, id); err != nil {
		t.Fatal(err)
	}
	if _, err := l.chat(t, id); err != nil {
		t.Fatalf("the lost answer could not be fetched again: %v", err)
	}
}

// A wallet that adds a witness the fee did not pay for is refused before
// the proof leaves the browser.
type extraWitnessWallet struct{ *ledgerWallet }

func (w *extraWitnessWallet) SignTx(ctx context.Context, txHex string, partial bool) (string, error) {
	ws, err := w.ledgerWallet.SignTx(ctx, txHex, partial)
	if err != nil {
		return "", err
	}
	raw, _ := hex.DecodeString(txHex)
	hash, _ := cip30.TxHash(raw)
	var set map[uint64][][2][]byte
	b, _ := hex.DecodeString(ws)
	if err := cbor.Unmarshal(b, &set); err != nil {
		return "", err
	}
	stake := ledger.KeyFor("extra-key")
	set[0] = append(set[0], [2][]byte{stake.PublicKey(), stake.Sign(hash[:])})
	out, _ := cbor.Marshal(set)
	return hex.EncodeToString(out), nil
}

func TestAWitnessTheFeeDoesNotCoverIsRefused(t *testing.T) {
	l := newLoop(t, loopOptions{})
	p, _ := New(&extraWitnessWallet{l.wallet}, Options{Network: "preprod", Now: l.payer.opts.Now})
	c, _ := client.New(client.WithBaseURL(l.client.BaseURL()), client.WithPayer(p))
	_, err := c.Chat.Send(context.Background(), client.ChatRequest{Message: "paid hello"})
	if codeOf(err) != client.CodeWalletError || !strings.Contains(err.Error(), "fee") {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := p.Journal(); len(entries) != 0 {
		t.Errorf("a refused signature left %+v", entries)
	}
}

// An interrupted payment whose inputs are gone may have landed: it is not
// paid again.
func TestAnInterruptedPaymentWhoseInputsAreSpentIsNotPaidAgain(t *testing.T) {
	l := newLoop(t, loopOptions{})
	id := client.RequestID("2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d")
	inv := fetchInvoice(t, l, id)
	ghost := Entry{InvoiceID: inv.ID, State: StateSigning, Inputs: []string{strings.Repeat("ab", 32) + "#0"}, ExpiresAt: inv.ExpiresAt}
	if err := l.payer.journal.put(&ghost); err != nil {
		t.Fatal(err)
	}
	if _, err := l.chat(t, id); codeOf(err) != client.CodeWalletError || !strings.Contains(err.Error(), "may have gone through") {
		t.Fatalf("err = %v", err)
	}
	if l.wallet.count("signTx") != 0 {
		t.Error("signed a second payment")
	}
}

func TestAnInterruptedPaymentWithoutInputsIsNotPaid(t *testing.T) {
	l := newLoop(t, loopOptions{})
	id := client.RequestID("3b4c5d6e-7f80-4a9b-8c1d-2e3f4a5b6c7d")
	inv := fetchInvoice(t, l, id)
	if err := l.payer.journal.put(&Entry{InvoiceID: inv.ID, State: StateSigning, ExpiresAt: inv.ExpiresAt}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.chat(t, id); codeOf(err) != client.CodeWalletError || l.wallet.total() != 0 {
		t.Fatalf("err = %v, wallet calls %d", err, l.wallet.total())
	}
}

func TestSettleNeverUnpaysAnAcceptedPayment(t *testing.T) {
	l := newLoop(t, loopOptions{})
	if _, err := l.chat(t); err != nil {
		t.Fatal(err)
	}
	entries, _ := l.payer.Journal()
	l.payer.Settle(entries[0].InvoiceID, false)
	if again, _ := l.payer.Journal(); again[0].State != StateAccepted {
		t.Errorf("state after a later refusal: %s", again[0].State)
	}
}
