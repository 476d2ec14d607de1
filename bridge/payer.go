//go:build js && wasm

package bridge

import (
	"context"
	"strconv"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/bridge/jsutil"
	"github.com/tbackend/sdk/cip30"
	"github.com/tbackend/sdk/cip30/payer"
)

var payerObjects handles[*payer.Payer]

// newPayer is createPayer(wallet, options): {handle} or {error}.
func newPayer(args []safejs.Value) any {
	w, ok := wallets.get(readInt(jsutil.Arg(args, 0)))
	if !ok {
		return failure(jsutil.BadArgument("createPayer needs a wallet from sdk.cip30.enable"))
	}
	f := jsutil.ReadFields(jsutil.Arg(args, 1), "options")
	opts := payer.Options{
		AllowedPayTo: f.StringList("allowedPayTo"),
		Network:      f.String("network"),
		Mode:         payer.Mode(f.String("mode")),
		Store:        journalStore(),
	}
	if v, ok := f.Lovelace("maxPerPaymentLovelace"); ok {
		if v == 0 {
			return failure(jsutil.BadArgument("maxPerPaymentLovelace must be above 0"))
		}
		opts.MaxPerPayment = v
	}
	if v, ok := f.Lovelace("maxTotalLovelace"); ok {
		if v == 0 {
			return failure(jsutil.BadArgument("maxTotalLovelace must be above 0"))
		}
		opts.MaxTotal = v
	}
	if fn, ok := f.Function("confirm"); ok {
		opts.Confirm = confirmHook(fn)
	}
	if fn, ok := f.Function("onPaid"); ok {
		opts.OnPaid = func(r payer.Receipt) {
			fn.Invoke(jsutil.Object("invoiceId", r.InvoiceID, "txHash", r.TxHash, "totalLovelace", lovelace(r.Total), "feeLovelace", lovelace(r.Fee), "mode", string(r.Mode)))
		}
	}
	if f.Has("protocolParams") {
		pf := jsutil.ReadFields(f.Get("protocolParams"), "options.protocolParams")
		params := cip30.MainnetParams
		for name, dst := range map[string]*uint64{"minFeeA": &params.MinFeeA, "minFeeB": &params.MinFeeB, "coinsPerUTxOByte": &params.CoinsPerUTxOByte, "maxTxSize": &params.MaxTxSize} {
			if v, ok := pf.Lovelace(name); ok {
				*dst = v
			}
		}
		if err := pf.Err(); err != nil {
			return failure(err)
		}
		opts.Params = params
	}
	if err := f.Err(); err != nil {
		return failure(err)
	}
	p, err := payer.New(w, opts)
	if err != nil {
		return failure(err)
	}
	return jsutil.Object("handle", payerObjects.add(p))
}

// confirmHook calls the page's confirm(quote, { signal }); only a result of
// exactly true (or a promise of it) lets the payment go on. The signal
// aborts when the call is cancelled, so that a page can close its dialog.
func confirmHook(fn safejs.Value) func(context.Context, payer.Quote) (bool, error) {
	return func(ctx context.Context, q payer.Quote) (bool, error) {
		outputs := make([]any, len(q.Outputs))
		for i, o := range q.Outputs {
			outputs[i] = jsutil.Object("address", o.Address, "lovelace", lovelace(o.Lovelace))
		}
		quote := jsutil.Object(
			"invoiceId", q.InvoiceID, "payTo", q.PayTo, "outputs", jsutil.Array(outputs),
			"feeLovelace", lovelace(q.Fee), "totalLovelace", lovelace(q.Total),
			"expiresAt", q.ExpiresAt.UTC().Format(time.RFC3339), "route", q.Route, "network", q.Network,
		)
		controller, err := jsutil.Get("AbortController").New()
		if err != nil {
			return false, err
		}
		signal, _ := controller.Get("signal")
		stop := context.AfterFunc(ctx, func() { controller.Call("abort") })
		defer stop()
		result, err := fn.Invoke(quote, jsutil.Object("signal", signal))
		if err != nil {
			return false, err
		}
		v, err := jsutil.Await(ctx, result)
		if err != nil {
			return false, err
		}
		return jsutil.Kind(v) == safejs.TypeBoolean && isTrue(v), nil
	}
}

func isTrue(v safejs.Value) bool {
	b, _ := v.Bool()
	return b
}

func lovelace(n uint64) string { return strconv.FormatUint(n, 10) }

func payerSpent(args []safejs.Value) any {
	p, ok := payerObjects.get(readInt(jsutil.Arg(args, 0)))
	if !ok {
		return "0"
	}
	return lovelace(p.Spent())
}

func payerJournal(args []safejs.Value) any {
	p, ok := payerObjects.get(readInt(jsutil.Arg(args, 0)))
	if !ok {
		return jsutil.Array(nil)
	}
	entries, err := p.Journal()
	if err != nil {
		return jsutil.Array(nil)
	}
	items := make([]any, len(entries))
	for i, e := range entries {
		items[i] = jsutil.Object(
			"invoiceId", e.InvoiceID, "txHash", e.TxHash, "state", string(e.State), "mode", string(e.Mode),
			"network", e.Network, "route", e.Route, "totalLovelace", lovelace(e.Total), "feeLovelace", lovelace(e.Fee),
			"expiresAt", e.ExpiresAt.UTC().Format(time.RFC3339), "updatedAt", e.UpdatedAt.UTC().Format(time.RFC3339),
		)
	}
	return jsutil.Array(items)
}
