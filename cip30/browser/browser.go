//go:build js && wasm

// Package browser binds the CIP-30 wallets a browser injects under
// window.cardano: discovery (including wallets that inject late), enabling,
// and the enabled API as a payer.Wallet, with CIP-30's error codes mapped
// to the SDK's.
package browser

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/bridge/jsutil"
	"github.com/tbackend/sdk/cip30"
	"github.com/tbackend/sdk/client"
)

// Info describes one injected wallet.
type Info struct {
	ID         string
	Name       string
	Icon       string
	APIVersion string
}

// Wallets lists every CIP-30 object on window.cardano now: any property
// with an enable function, not a fixed list of known wallets.
func Wallets() []Info {
	cardano, err := jsutil.Global().Get("cardano")
	if err != nil || jsutil.Kind(cardano) != safejs.TypeObject {
		return nil
	}
	keys, err := jsutil.Get("Object").Call("keys", cardano)
	if err != nil {
		return nil
	}
	n, _ := keys.Length()
	var out []Info
	for i := 0; i < n; i++ {
		k, _ := keys.Index(i)
		id, _ := k.String()
		w, err := cardano.Get(id)
		if err != nil || jsutil.Kind(w) != safejs.TypeObject {
			continue
		}
		f := jsutil.ReadFields(w, "wallet")
		if _, ok := f.Function("enable"); !ok || f.Err() != nil {
			continue
		}
		info := Info{ID: id, Name: text(w, "name"), Icon: text(w, "icon"), APIVersion: text(w, "apiVersion")}
		if info.Name == "" {
			info.Name = id
		}
		out = append(out, info)
	}
	return out
}

// text reads a string property, "" for anything else.
func text(v safejs.Value, name string) string {
	p, err := v.Get(name)
	if err != nil || jsutil.Kind(p) != safejs.TypeString {
		return ""
	}
	s, _ := p.String()
	return s
}

// WaitForWallets returns as soon as a wallet (the one named id, if given)
// is injected, or what is there when ctx ends. Extensions inject their
// objects some time after the page loads, and there is no event for it.
func WaitForWallets(ctx context.Context, id string) []Info {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		ws := Wallets()
		for _, w := range ws {
			if id == "" || w.ID == id {
				return ws
			}
		}
		select {
		case <-ctx.Done():
			return Wallets()
		case <-tick.C:
		}
	}
}

// Wallet is an enabled CIP-30 wallet.
type Wallet struct {
	Info Info
	api  safejs.Value
}

// Enable asks the wallet for access (the extension may show its own
// prompt) and returns its API.
func Enable(ctx context.Context, id string) (*Wallet, error) {
	var info *Info
	for _, w := range Wallets() {
		if w.ID == id {
			info = &w
			break
		}
	}
	if info == nil {
		return nil, client.Errorf(client.CodeWalletError, "no CIP-30 wallet %q is installed in this browser", id)
	}
	cardano, _ := jsutil.Global().Get("cardano")
	w, _ := cardano.Get(id)
	api, err := call(ctx, w, "enable", apiErrors)
	if err != nil {
		return nil, err
	}
	if jsutil.Kind(api) != safejs.TypeObject {
		return nil, client.Errorf(client.CodeWalletError, "wallet %s returned no API from enable()", info.Name)
	}
	return &Wallet{Info: *info, api: api}, nil
}

// errorKind names which CIP-30 error family a method's positive codes
// belong to; negative codes are APIError everywhere.
type errorKind int

const (
	apiErrors errorKind = iota
	signErrors
	sendErrors
)

// call invokes a CIP-30 method and awaits its promise, mapping rejections.
func call(ctx context.Context, obj safejs.Value, method string, kind errorKind, args ...any) (safejs.Value, error) {
	p, err := obj.Call(method, args...)
	if err != nil {
		return safejs.Undefined(), walletFailure(method, err, kind)
	}
	v, err := jsutil.Await(ctx, p)
	if err != nil {
		if ctx.Err() != nil {
			return safejs.Undefined(), &client.Error{Code: client.CodeAborted, Message: "the call was cancelled while the wallet was busy"}
		}
		return safejs.Undefined(), walletFailure(method, err, kind)
	}
	return v, nil
}

// walletFailure maps a CIP-30 error ({code, info}) to the SDK's codes.
func walletFailure(method string, err error, kind errorKind) error {
	v, ok := jsutil.Thrown(err)
	info := err.Error()
	code, hasCode := 0, false
	if ok && jsutil.Kind(v) == safejs.TypeObject {
		if c, err := v.Get("code"); err == nil && jsutil.Kind(c) == safejs.TypeNumber {
			code, _ = c.Int()
			hasCode = true
		}
		if s := text(v, "info"); s != "" {
			info = s
		} else if s := text(v, "message"); s != "" {
			info = s
		}
	}
	mapped := client.CodeWalletError
	what := "failed"
	switch {
	case !hasCode:
	case code == -3:
		mapped, what = client.CodePaymentDeclined, "was refused"
	case code == -4:
		mapped, what = client.CodeAccountChanged, "failed because the wallet's account changed; enable it again"
	case code < 0:
		what = fmt.Sprintf("failed (APIError %d)", code)
	case kind == signErrors && code == 2:
		mapped, what = client.CodePaymentDeclined, "was declined by the user"
	case kind == signErrors:
		what = fmt.Sprintf("failed (TxSignError %d)", code)
	case kind == sendErrors:
		what = fmt.Sprintf("failed (TxSendError %d)", code)
	}
	return &client.Error{Code: mapped, Message: fmt.Sprintf("the wallet's %s %s: %s", method, what, info), Err: err}
}

func (w *Wallet) hexResult(ctx context.Context, method string, kind errorKind, args ...any) (string, error) {
	v, err := call(ctx, w.api, method, kind, args...)
	if err != nil {
		return "", err
	}
	if jsutil.Kind(v) != safejs.TypeString {
		return "", client.Errorf(client.CodeWalletError, "the wallet's %s returned no hex string", method)
	}
	s, _ := v.String()
	if _, err := hex.DecodeString(s); err != nil {
		return "", client.Errorf(client.CodeWalletError, "the wallet's %s returned something that is not hex", method)
	}
	return s, nil
}

func (w *Wallet) hexList(ctx context.Context, method string, args ...any) ([]string, error) {
	v, err := call(ctx, w.api, method, apiErrors, args...)
	if err != nil {
		return nil, err
	}
	if v.IsNull() || v.IsUndefined() {
		return nil, nil
	}
	f := jsutil.ReadFields(jsutil.Object("list", v), "wallet")
	list := f.StringList("list")
	if f.Err() != nil {
		return nil, client.Errorf(client.CodeWalletError, "the wallet's %s returned no list of hex strings", method)
	}
	for _, s := range list {
		if _, err := hex.DecodeString(s); err != nil {
			return nil, client.Errorf(client.CodeWalletError, "the wallet's %s returned something that is not hex", method)
		}
	}
	return list, nil
}

// NetworkID implements payer.Wallet.
func (w *Wallet) NetworkID(ctx context.Context) (byte, error) {
	v, err := call(ctx, w.api, "getNetworkId", apiErrors)
	if err != nil {
		return 0, err
	}
	if jsutil.Kind(v) != safejs.TypeNumber {
		return 0, client.Errorf(client.CodeWalletError, "the wallet's getNetworkId returned no number")
	}
	n, _ := v.Int()
	if n != 0 && n != 1 {
		return 0, client.Errorf(client.CodeWalletError, "the wallet reports network id %d", n)
	}
	return byte(n), nil
}

// UTxOs implements payer.Wallet.
func (w *Wallet) UTxOs(ctx context.Context) ([]string, error) { return w.hexList(ctx, "getUtxos") }

// ChangeAddress implements payer.Wallet.
func (w *Wallet) ChangeAddress(ctx context.Context) (string, error) {
	return w.hexResult(ctx, "getChangeAddress", apiErrors)
}

// SignTx implements payer.Wallet.
func (w *Wallet) SignTx(ctx context.Context, txHex string, partial bool) (string, error) {
	return w.hexResult(ctx, "signTx", signErrors, txHex, partial)
}

// SubmitTx implements payer.Wallet.
func (w *Wallet) SubmitTx(ctx context.Context, txHex string) (string, error) {
	v, err := call(ctx, w.api, "submitTx", sendErrors, txHex)
	if err != nil {
		return "", err
	}
	s := ""
	if jsutil.Kind(v) == safejs.TypeString {
		s, _ = v.String()
	}
	if len(s) != 64 {
		return "", client.Errorf(client.CodeWalletError, "the wallet's submitTx returned no transaction hash")
	}
	return s, nil
}

// Balance decodes getBalance.
func (w *Wallet) Balance(ctx context.Context) (cip30.Value, error) {
	s, err := w.hexResult(ctx, "getBalance", apiErrors)
	if err != nil {
		return cip30.Value{}, err
	}
	b, _ := hex.DecodeString(s)
	v, err := cip30.DecodeValue(b)
	if err != nil {
		return cip30.Value{}, &client.Error{Code: client.CodeWalletError, Message: "the wallet's balance could not be read: " + err.Error(), Err: err}
	}
	return v, nil
}

// UsedAddresses decodes getUsedAddresses.
func (w *Wallet) UsedAddresses(ctx context.Context) ([]cip30.Address, error) {
	list, err := w.hexList(ctx, "getUsedAddresses")
	if err != nil {
		return nil, err
	}
	out := make([]cip30.Address, 0, len(list))
	for _, s := range list {
		b, _ := hex.DecodeString(s)
		a, err := cip30.AddressFromBytes(b)
		if err != nil {
			return nil, &client.Error{Code: client.CodeWalletError, Message: "the wallet returned an unreadable address: " + err.Error(), Err: err}
		}
		out = append(out, a)
	}
	return out, nil
}

// Address decodes getChangeAddress.
func (w *Wallet) Address(ctx context.Context) (cip30.Address, error) {
	s, err := w.ChangeAddress(ctx)
	if err != nil {
		return cip30.Address{}, err
	}
	b, _ := hex.DecodeString(s)
	a, err := cip30.AddressFromBytes(b)
	if err != nil {
		return cip30.Address{}, &client.Error{Code: client.CodeWalletError, Message: "the wallet returned an unreadable address: " + err.Error(), Err: err}
	}
	return a, nil
}

// DecodedUTxOs decodes getUtxos.
func (w *Wallet) DecodedUTxOs(ctx context.Context) ([]cip30.UTxO, error) {
	list, err := w.UTxOs(ctx)
	if err != nil {
		return nil, err
	}
	utxos, err := cip30.DecodeUTxOs(list)
	if err != nil {
		return nil, &client.Error{Code: client.CodeWalletError, Message: "the wallet's UTxOs could not be read: " + err.Error(), Err: err}
	}
	return utxos, nil
}
