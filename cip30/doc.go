// Package cip30 is the wallet-facing transaction core of the browser SDK,
// in plain Go: it decodes what CIP-30 wallets return (UTxOs, balances,
// addresses, witness sets), selects coins, builds canonical Conway-era
// payment transactions with a CIP-20 message, merges the wallet's
// witnesses without re-encoding the body, and hashes.
//
// It is built for a WebAssembly binary with a tight size budget: its CBOR
// codec is the small one in internal/cbor, and it imports no math/big,
// crypto/rand, regexp or log. The JavaScript binding lives elsewhere.
package cip30
