// Independent check of payment transactions with cardano-serialization-lib.
//
//   node cip30/testdata/csl_check.mjs cases.json
//
// cases.json is [{name, tx, utxos, params, hash, fee, ttl, message}]: tx is
// the signed transaction hex, utxos the hex TransactionUnspentOutputs it
// spends (null: skip the checks that need them), params {minFeeA, minFeeB,
// coinsPerUTxOByte}, hash our transaction hash, fee our fee, ttl our TTL
// and message our CIP-20 lines (null: no auxiliary data expected). Run from
// the module root so that node_modules resolves. Exits non-zero on any
// failed check.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const CSL = require("@emurgo/cardano-serialization-lib-nodejs");

const fromHex = (h) => Uint8Array.from(Buffer.from(h, "hex"));
const big = (n) => CSL.BigNum.from_str(String(n));

function check(c) {
  const notes = [];
  const fail = (msg) => {
    throw new Error(`${c.name}: ${msg}`);
  };
  const bytes = fromHex(c.tx);
  const tx = CSL.Transaction.from_bytes(bytes); // parses as a Conway transaction
  const fixed = CSL.FixedTransaction.from_bytes(bytes);
  const body = tx.body();

  // Hash of the original body bytes.
  const hash = fixed.transaction_hash().to_hex();
  if (hash !== c.hash) fail(`hash ${hash}, ours ${c.hash}`);
  notes.push(`hash ${hash.slice(0, 16)}… matches`);

  // Fee: CSL's minimum for the signed transaction must not exceed ours.
  const linear = CSL.LinearFee.new(big(c.params.minFeeA), big(c.params.minFeeB));
  const minFee = BigInt(CSL.min_fee(tx, linear).to_str());
  const fee = BigInt(body.fee().to_str());
  if (fee !== BigInt(c.fee)) fail(`fee in the body ${fee}, ours ${c.fee}`);
  if (minFee > fee) fail(`CSL min_fee ${minFee} > fee ${fee}`);
  notes.push(`min_fee ${minFee} <= fee ${fee}`);

  if (c.ttl != null) {
    const ttl = body.ttl_bignum();
    if (!ttl || ttl.to_str() !== String(c.ttl)) fail(`ttl ${ttl && ttl.to_str()}, ours ${c.ttl}`);
    notes.push(`ttl ${c.ttl}`);
  }

  // Every vkey witness verifies over the hash.
  const vkeys = tx.witness_set().vkeys();
  const n = vkeys ? vkeys.len() : 0;
  if (n === 0) fail("no vkey witnesses");
  const hashBytes = fromHex(hash);
  const signers = new Set();
  for (let i = 0; i < n; i++) {
    const w = vkeys.get(i);
    const pub = w.vkey().public_key();
    if (!pub.verify(hashBytes, w.signature())) fail(`witness ${i} does not verify`);
    signers.add(pub.hash().to_hex());
  }
  notes.push(`${n} vkey witnesses verify`);

  if (c.utxos) {
    // Value conservation: inputs (from the UTxOs) = outputs + fee, per asset.
    const byInput = new Map();
    for (const h of c.utxos) {
      const u = CSL.TransactionUnspentOutput.from_hex(h);
      byInput.set(u.input().to_hex(), u.output());
    }
    const inputs = body.inputs();
    let total = CSL.Value.new(big(0));
    for (let i = 0; i < inputs.len(); i++) {
      const out = byInput.get(inputs.get(i).to_hex());
      if (!out) fail(`input ${i} is not one of the given UTxOs`);
      total = total.checked_add(out.amount());
      // Each spending key signed.
      const cred = CSL.Address.from_bytes(out.address().to_bytes()).payment_cred();
      const kh = cred && cred.to_keyhash();
      if (!kh || !signers.has(kh.to_hex())) fail(`input ${i}'s key did not sign`);
    }
    const outputs = body.outputs();
    let spent = CSL.Value.new(body.fee());
    const dataCost = CSL.DataCost.new_coins_per_byte(big(c.params.coinsPerUTxOByte));
    for (let i = 0; i < outputs.len(); i++) {
      const o = outputs.get(i);
      spent = spent.checked_add(o.amount());
      const minAda = BigInt(CSL.min_ada_for_output(o, dataCost).to_str());
      const coin = BigInt(o.amount().coin().to_str());
      if (coin < minAda) fail(`output ${i}: ${coin} < CSL min_ada_for_output ${minAda}`);
    }
    if (!total.checked_sub(spent).is_zero() || !spent.checked_sub(total).is_zero()) {
      fail(`value not conserved: inputs ${total.to_json()} outputs+fee ${spent.to_json()}`);
    }
    notes.push(`value conserved over ${inputs.len()} inputs / ${outputs.len()} outputs, all outputs >= min_ada_for_output`);
  }

  // Metadata: label 674 with the message lines; the body commits to it.
  if (c.message) {
    const aux = tx.auxiliary_data();
    if (!aux) fail("no auxiliary data");
    const h = body.auxiliary_data_hash();
    if (!h || CSL.hash_auxiliary_data(aux).to_hex() !== h.to_hex()) fail("auxiliary data hash mismatch");
    const raw = fixed.raw_auxiliary_data();
    if (raw && Buffer.from(raw).toString("hex").slice(0, 6) !== "d90103") fail("auxiliary data is not tag 259");
    const md = aux.metadata() && aux.metadata().get(big(674));
    if (!md) fail("no metadata label 674");
    const json = JSON.parse(CSL.decode_metadatum_to_json_str(md, CSL.MetadataJsonSchema.BasicConversions));
    if (JSON.stringify(json.msg) !== JSON.stringify(c.message)) fail(`msg ${JSON.stringify(json.msg)}, ours ${JSON.stringify(c.message)}`);
    notes.push(`label 674 msg ${JSON.stringify(json.msg).slice(0, 40)}`);
  }
  return notes;
}

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
let failed = 0;
for (const c of cases) {
  try {
    console.log(`ok   ${c.name}: ${check(c).join("; ")}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${e.message}`);
  }
}
console.log(`csl_check: ${cases.length - failed} of ${cases.length} cases verified by cardano-serialization-lib`);
process.exit(failed ? 1 : 0);
