package sandbox

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tbackend/sdk/sandbox/ledger"
)

// TestWalletJSInNode runs wallet.js under node against the wallet endpoints
// and checks its answers with cardano-serialization-lib, an independent
// Cardano implementation: it parses the UTxOs, balance and addresses, builds
// a payment, has the sandbox wallet sign and submit it. Skipped without node
// or the test dependencies (npm ci at the repository root).
func TestWalletJSInNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	csl, _ := filepath.Abs("../node_modules/@emurgo/cardano-serialization-lib-nodejs/cardano_serialization_lib.js")
	if _, err := os.Stat(csl); err != nil {
		t.Skip("cardano-serialization-lib not installed (npm ci)")
	}
	script := filepath.Join(t.TempDir(), "wallet_check.mjs")
	if err := os.WriteFile(script, []byte(walletCheckJS), 0o644); err != nil {
		t.Fatal(err)
	}
	walletPath, _ := filepath.Abs("wallet.js")
	e := newPayEnv(t, GateConfig{})
	e.clock.advance(time.Since(e.clock.now())) // to now: the script takes the slot from its own clock
	cmd := exec.Command(node, script)
	cmd.Env = append(os.Environ(),
		"WALLET_JS="+walletPath, "CSL="+csl, "BASE="+e.srv.URL+"/sandbox/wallet",
		"PAYEE="+e.gate.Ledger().Address(ledger.Payee).String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("wallet_check.mjs failed:\n%s", out)
		}
		t.Fatal(err)
	}
	var res struct {
		TxHash  string
		Address string
		UTxOs   int
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		t.Fatalf("output %s: %v", out, err)
	}
	if res.Address != e.gate.Ledger().Address("node-check").String() || res.UTxOs != 4 {
		t.Errorf("node saw %+v", res)
	}
	rec, ok := e.gate.Ledger().Transaction(res.TxHash)
	if !ok || len(rec.Tx.Outputs) < 2 {
		t.Fatalf("the CSL-built payment %s is not in the ledger", res.TxHash)
	}
}

// walletCheckJS drives wallet.js like a dApp would, checking every answer
// with cardano-serialization-lib. It prints one JSON line at the end.
const walletCheckJS = `
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
const C = createRequire(import.meta.url)(process.env.CSL);
globalThis.window = globalThis;
const { installSandboxWallet } = await import(pathToFileURL(process.env.WALLET_JS).href);

function assert(ok, msg) { if (!ok) throw new Error("assertion failed: " + msg); }
async function rejects(p, code, msg) {
  try { await p; } catch (e) { assert(e && e.code === code && typeof e.info === "string", msg + ": " + JSON.stringify(e)); return; }
  throw new Error(msg + ": did not reject");
}

const wallet = installSandboxWallet({ base: process.env.BASE, account: "node-check" });
assert(window.cardano.sandbox === wallet, "installed at window.cardano.sandbox");
assert(wallet.apiVersion === "1.0.0" && wallet.icon.startsWith("data:image/svg+xml,") && wallet.name.includes("not real ADA"), "wallet metadata");
assert((await wallet.isEnabled()) === false, "not enabled before enable()");
const api = await wallet.enable();
assert((await wallet.isEnabled()) === true, "enabled after enable()");

assert((await api.getNetworkId()) === 0, "network id 0");
const change = C.Address.from_hex(await api.getChangeAddress());
const bech = change.to_bech32();
const used = await api.getUsedAddresses();
assert(used.length === 1 && used[0] === change.to_hex(), "used addresses");
assert((await api.getUnusedAddresses()).length === 0, "unused addresses");
const reward = C.RewardAddress.from_address(C.Address.from_hex((await api.getRewardAddresses())[0]));
assert(reward !== undefined, "reward address");

const utxos = (await api.getUtxos()).map((h) => C.TransactionUnspentOutput.from_hex(h));
assert(utxos.length === 4, "four UTxOs");
for (const u of utxos) assert(u.output().address().to_bech32() === bech, "UTxO address");
const balance = C.Value.from_hex(await api.getBalance());
assert(balance.coin().to_str() === "1260000000", "balance coin " + balance.coin().to_str());
assert(balance.multiasset().len() === 3, "three policies");
assert((await api.getUtxos(undefined, { page: 0, limit: 2 })).length === 2, "paginate");
assert((await api.getCollateral({ amount: "1a004c4b40" })).length === 1, "collateral");
await rejects(api.signData(change.to_hex(), "00"), -1, "signData");
await rejects(api.signTx("zz"), -1, "signTx with bad hex");

const cfg = C.TransactionBuilderConfigBuilder.new()
  .fee_algo(C.LinearFee.new(C.BigNum.from_str("44"), C.BigNum.from_str("155381")))
  .coins_per_utxo_byte(C.BigNum.from_str("4310"))
  .pool_deposit(C.BigNum.from_str("500000000"))
  .key_deposit(C.BigNum.from_str("2000000"))
  .max_value_size(5000)
  .max_tx_size(16384)
  .build();
const b = C.TransactionBuilder.new(cfg);
const u = utxos[1];
b.add_regular_input(u.output().address(), u.input(), u.output().amount());
b.add_output(C.TransactionOutput.new(C.Address.from_bech32(process.env.PAYEE), C.Value.new(C.BigNum.from_str("2000000"))));
const slot = Math.floor(Date.now() / 1000) - 1655683200;
b.set_ttl_bignum(C.BigNum.from_str(String(slot + 600)));
b.add_json_metadatum(C.BigNum.from_str("674"), JSON.stringify({ msg: ["invoice inv_node"] }));
b.add_change_if_needed(change);
const fixed = C.FixedTransaction.from_hex(b.build_tx().to_hex());
await rejects(api.submitTx(fixed.to_hex()), 2, "submitting unsigned");
const ws = await api.signTx(fixed.to_hex(), false);
const vkw = C.TransactionWitnessSet.from_hex(ws).vkeys().get(0);
const pub = vkw.vkey().public_key();
assert(pub.hash().to_hex() === C.BaseAddress.from_address(change).payment_cred().to_keyhash().to_hex(), "the witness key is the address's payment key");
assert(pub.verify(fixed.transaction_hash().to_bytes(), vkw.signature()), "the witness signs the body hash");
fixed.set_witness_set(Buffer.from(ws, "hex"));
const txHash = await api.submitTx(fixed.to_hex());
assert(txHash === fixed.transaction_hash().to_hex(), "submitTx returns the body hash");
const after = (await api.getUtxos()).map((h) => C.TransactionUnspentOutput.from_hex(h));
assert(after.some((x) => x.input().transaction_id().to_hex() === txHash), "change is spendable");
console.log(JSON.stringify({ txHash, address: bech, utxos: utxos.length }));
`
