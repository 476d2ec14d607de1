package cip30

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tbackend/sdk/cip30/internal/cbor"
)

type cslCase struct {
	Name    string         `json:"name"`
	Tx      string         `json:"tx"`
	UTxOs   []string       `json:"utxos"`
	Params  map[string]any `json:"params"`
	Hash    string         `json:"hash"`
	Fee     uint64         `json:"fee"`
	TTL     *uint64        `json:"ttl"`
	Message []string       `json:"message"`
}

func utxoHex(u UTxO) string {
	b := cbor.AppendArray(nil, 2)
	b = cbor.AppendArray(b, 2)
	b = cbor.AppendBytes(b, u.Input.TxHash[:])
	b = cbor.AppendUint(b, uint64(u.Input.Index))
	return hex.EncodeToString(append(b, u.Output...))
}

// TestIndependentCSL builds, signs and merges the payment scenarios, then
// has cardano-serialization-lib (node) check every transaction: parse,
// hash, min fee, signatures, value conservation, min ADA and metadata.
func TestIndependentCSL(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	skip := func(why string) {
		if os.Getenv("TBACKEND_REQUIRE_NODE") == "1" {
			t.Fatalf("TBACKEND_REQUIRE_NODE=1 but %s", why)
		}
		t.Skip(why)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules/@emurgo/cardano-serialization-lib-nodejs/package.json")); err != nil {
		skip("@emurgo/cardano-serialization-lib-nodejs is not installed (npm ci at the module root)")
	}
	params := map[string]any{"minFeeA": MainnetParams.MinFeeA, "minFeeB": MainnetParams.MinFeeB, "coinsPerUTxOByte": MainnetParams.CoinsPerUTxOByte}
	var cases []cslCase
	for _, sc := range scenarios(t) {
		spec := sc.spec
		spec.UTxOs = sc.utxos
		p, err := BuildPayment(spec)
		if err != nil {
			t.Fatalf("%s: %v", sc.name, err)
		}
		for _, plain := range []bool{false, true} {
			signed, err := AttachWitnesses(p.Tx, walletSign(t, p.Hash, keysFor(p, sc.keys...), plain))
			if err != nil {
				t.Fatalf("%s: %v", sc.name, err)
			}
			c := cslCase{Name: sc.name, Tx: hex.EncodeToString(signed), Params: params, Hash: hex.EncodeToString(p.Hash[:]), Fee: p.Fee, TTL: &p.TTL}
			if plain {
				c.Name += " (untagged witness set)"
			}
			for _, u := range sc.utxos {
				c.UTxOs = append(c.UTxOs, utxoHex(u))
			}
			c.Message, _ = splitMessage(spec.Message)
			cases = append(cases, c)
		}
	}
	// A real mainnet transaction: our hash of its body bytes against CSL's.
	ttl := uint64(0x0bd9b50c)
	cases = append(cases, cslCase{Name: "mainnet SteelSwap transaction", Tx: steelSwapTx, Params: params,
		Hash: "c78c995f40885f82eae2e3a5af498bcb805adf6737d8aab10788bfac20ecb239", Fee: 0x2c519, TTL: &ttl,
		Message: []string{"CarDeM", "SteelSwap: 1.18.0"}})
	file := filepath.Join(t.TempDir(), "cases.json")
	data, _ := json.MarshalIndent(cases, "", " ")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join(root, "cip30/testdata/csl_check.mjs"), file)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		t.Log(line)
	}
	if err != nil {
		t.Fatalf("cardano-serialization-lib check failed: %v", err)
	}
}
