package payer

import (
	"context"
	"encoding/hex"
	"sync"
	"time"

	"github.com/tbackend/sdk/client"
	"github.com/tbackend/sdk/sandbox/ledger"
)

// ledgerWallet is a CIP-30 wallet over the sandbox ledger: real UTxOs, real
// ed25519 signatures, real submission. Knobs make it misbehave.
type ledgerWallet struct {
	led     *ledger.Ledger
	account string

	mu          sync.Mutex
	calls       []string
	decline     bool  // SignTx answers TxSignError UserDeclined
	accountGone bool  // every call answers APIError AccountChange
	networkID   *byte // overrides the ledger's network id
	submitDelay time.Duration
}

func (w *ledgerWallet) record(name string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, name)
	if w.accountGone {
		return client.Errorf(client.CodeAccountChanged, "the wallet's account changed")
	}
	return nil
}

func (w *ledgerWallet) count(name string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, c := range w.calls {
		if c == name {
			n++
		}
	}
	return n
}

func (w *ledgerWallet) total() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.calls)
}

func (w *ledgerWallet) NetworkID(ctx context.Context) (byte, error) {
	if err := w.record("networkId"); err != nil {
		return 0, err
	}
	if w.networkID != nil {
		return *w.networkID, nil
	}
	return w.led.Network().ID, nil
}

func (w *ledgerWallet) UTxOs(ctx context.Context) ([]string, error) {
	if err := w.record("utxos"); err != nil {
		return nil, err
	}
	utxos, err := w.led.UTxOs(w.account)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(utxos))
	for i, u := range utxos {
		b, err := u.MarshalCBOR()
		if err != nil {
			return nil, err
		}
		out[i] = hex.EncodeToString(b)
	}
	return out, nil
}

func (w *ledgerWallet) ChangeAddress(ctx context.Context) (string, error) {
	if err := w.record("changeAddress"); err != nil {
		return "", err
	}
	return w.led.Address(w.account).Hex(), nil
}

func (w *ledgerWallet) SignTx(ctx context.Context, txHex string, partial bool) (string, error) {
	if err := w.record("signTx"); err != nil {
		return "", err
	}
	if w.decline {
		return "", client.Errorf(client.CodePaymentDeclined, "the user declined to sign")
	}
	raw, err := hex.DecodeString(txHex)
	if err != nil {
		return "", err
	}
	ws, err := w.led.Sign(w.account, raw, partial)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(ws), nil
}

func (w *ledgerWallet) SubmitTx(ctx context.Context, txHex string) (string, error) {
	if err := w.record("submitTx"); err != nil {
		return "", err
	}
	raw, err := hex.DecodeString(txHex)
	if err != nil {
		return "", err
	}
	tx, err := w.led.Apply(raw, w.submitDelay)
	if err != nil {
		return "", err
	}
	return tx.HashHex(), nil
}
