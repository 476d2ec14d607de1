//go:build js && wasm

// Command tbackend is the SDK's WebAssembly module. It only wires: the
// logic lives in client/ and cip30/, the JavaScript glue in bridge/.
package main

import (
	"os"

	"github.com/tbackend/sdk/bridge"
)

func main() {
	if err := bridge.Serve(nil); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
}
