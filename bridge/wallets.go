//go:build js && wasm

package bridge

import (
	"context"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/bridge/jsutil"
	"github.com/tbackend/sdk/cip30"
	"github.com/tbackend/sdk/cip30/browser"
)

var wallets handles[*browser.Wallet]

func walletInfos(ws []browser.Info) safejs.Value {
	items := make([]any, len(ws))
	for i, w := range ws {
		items[i] = jsutil.Object("id", w.ID, "name", w.Name, "icon", w.Icon, "apiVersion", w.APIVersion)
	}
	return jsutil.Array(items)
}

func cip30Wallets([]safejs.Value) any { return walletInfos(browser.Wallets()) }

// cip30WaitForWallets never rejects: at the timeout it resolves with what
// is there.
func cip30WaitForWallets(args []safejs.Value) any {
	f := jsutil.ReadFields(jsutil.Arg(args, 0), "options")
	timeout := f.Millis("timeoutMs")
	id := f.String("id")
	if f.Err() != nil || timeout == 0 {
		timeout = 3 * time.Second
	}
	return jsutil.Promise(func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return walletInfos(browser.WaitForWallets(ctx, id)), nil
	})
}

func cip30Enable(args []safejs.Value) any {
	return jsutil.Promise(func() (any, error) {
		if jsutil.Kind(jsutil.Arg(args, 0)) != safejs.TypeString {
			return nil, jsutil.BadArgument("enable needs a wallet id from sdk.cip30.wallets()")
		}
		id, _ := jsutil.Arg(args, 0).String()
		w, err := browser.Enable(context.Background(), id)
		if err != nil {
			return nil, err
		}
		return jsutil.Object("handle", wallets.add(w), "id", w.Info.ID, "name", w.Info.Name, "icon", w.Info.Icon, "apiVersion", w.Info.APIVersion), nil
	})
}

// walletCall runs one method of an enabled wallet's handle.
func walletCall(args []safejs.Value) any {
	return jsutil.Promise(func() (any, error) {
		w, ok := wallets.get(readInt(jsutil.Arg(args, 0)))
		if !ok {
			return nil, jsutil.BadArgument("this wallet is not enabled")
		}
		name, _ := jsutil.Arg(args, 1).String()
		ctx := context.Background()
		switch name {
		case "networkId":
			id, err := w.NetworkID(ctx)
			return int(id), err
		case "balance":
			v, err := w.Balance(ctx)
			if err != nil {
				return nil, err
			}
			return valueObject(v), nil
		case "changeAddress":
			a, err := w.Address(ctx)
			if err != nil {
				return nil, err
			}
			return a.String(), nil
		case "usedAddresses":
			as, err := w.UsedAddresses(ctx)
			if err != nil {
				return nil, err
			}
			items := make([]any, len(as))
			for i, a := range as {
				items[i] = a.String()
			}
			return jsutil.Array(items), nil
		case "utxos":
			us, err := w.DecodedUTxOs(ctx)
			if err != nil {
				return nil, err
			}
			items := make([]any, len(us))
			for i, u := range us {
				o := valueObject(u.Value)
				jsutil.Set(o, "txHash", hex.EncodeToString(u.Input.TxHash[:]), "index", int(u.Input.Index), "address", u.Address.String())
				items[i] = o
			}
			return jsutil.Array(items), nil
		}
		return nil, jsutil.BadArgument("no wallet method %q", name)
	})
}

// valueObject is { lovelace, assets: [{ policyId, assetName, quantity }] }
// with amounts as decimal strings.
func valueObject(v cip30.Value) safejs.Value {
	assets := make([]any, 0, len(v.Assets))
	for id, qty := range v.Assets {
		assets = append(assets, jsutil.Object("policyId", hex.EncodeToString(id.PolicyID[:]), "assetName", hex.EncodeToString([]byte(id.Name)), "quantity", strconv.FormatUint(qty, 10)))
	}
	return jsutil.Object("lovelace", strconv.FormatUint(v.Coin, 10), "assets", jsutil.Array(assets))
}
