//go:build js && wasm

package bridge

import (
	"errors"
	"os"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/bridge/jsutil"
	"github.com/tbackend/sdk/client"
)

// Export is one function handed to tbackend.js.
type Export func(args []safejs.Value) any

// Serve hands the exports to the loader and keeps the runtime alive. The
// loader passes the name of a one-shot global { resolve, TBackendError } as
// the program's first argument, so that several SDK copies on one page do
// not collide.
func Serve(extra map[string]Export) error {
	if len(os.Args) < 2 {
		return errors.New("tbackend: started without a boot key; load the SDK with tbackend.js")
	}
	boot, err := jsutil.Global().Get(os.Args[1])
	if err != nil || boot.IsUndefined() {
		return errors.New("tbackend: the boot object is missing")
	}
	jsutil.Global().Delete(os.Args[1])
	errorClass, _ = boot.Get("TBackendError")

	exports := jsutil.Object("version", client.Version)
	all := map[string]Export{
		"newClient":   func(args []safejs.Value) any { return newClient(jsutil.Arg(args, 0)) },
		"invoke":      invoke,
		"streamOpen":  streamOpen,
		"streamNext":  streamNext,
		"streamClose": streamClose,
		"release":     release,

		"newPayer":            newPayer,
		"payerSpent":          payerSpent,
		"payerJournal":        payerJournal,
		"cip30Wallets":        cip30Wallets,
		"cip30WaitForWallets": cip30WaitForWallets,
		"cip30Enable":         cip30Enable,
		"walletCall":          walletCall,
	}
	for name, fn := range extra {
		all[name] = fn
	}
	for name, fn := range all {
		jsutil.Set(exports, name, jsutil.FuncOf(func(_ safejs.Value, args []safejs.Value) any { return fn(args) }))
	}
	if _, err := boot.Call("resolve", exports); err != nil {
		return err
	}
	select {}
}
