// Browser end-to-end tests of pay-per-call: the SDK's payer and CIP-30
// binding in headless Chromium, paying serve.go's sandbox from the sandbox
// wallet. Each guarantee of DESIGN.md "What the payer must guarantee" has a
// test here that fails without it. Run: ./build.sh && node --test wasm/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, openPage } from "../internal/e2e/harness.mjs";

let plain, splits, shortLived, browser;
const noise = [/Failed to load resource/];

before(async () => {
  [plain, splits, shortLived] = await Promise.all([
    startServer(["-sandbox-confirm-delay", "300ms"]),
    startServer(["-sandbox-splits"]),
    startServer(["-sandbox-invoice-timeout", "3s"]),
  ]);
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await Promise.all([plain, splits, shortLived].map((s) => s?.stop()));
});

let accounts = 0;
// page opens the demo origin with the SDK loaded and a spy wallet over a
// fresh sandbox account: window.calls lists every CIP-30 call it received.
// The journal lives in the origin's localStorage, which every page of the
// browser shares: a page starts with it empty unless keepJournal is set.
async function page(server = plain, { account, spy = {}, keepJournal = false } = {}) {
  account ??= `e2e-${process.pid}-${++accounts}`;
  const p = await openPage(browser.context, `${server.url}/`);
  await p.page.evaluate(async ({ account, spy, keepJournal }) => {
    if (!keepJournal) for (const k of Object.keys(localStorage)) if (k.startsWith("tbackend.journal")) localStorage.removeItem(k);
    const { load } = await import("/sdk/tbackend.js");
    const { installSandboxWallet } = await import("/sandbox/wallet/wallet.js");
    window.sdk = await load();
    const base = installSandboxWallet({ account });
    window.calls = [];
    window.spy = spy;
    window.cardano.spy = {
      name: "Spy wallet", icon: base.icon, apiVersion: "1.0.0",
      isEnabled: () => base.isEnabled(),
      enable: async () => {
        const api = await base.enable();
        const wrap = (name, fn) => async (...args) => {
          window.calls.push(name);
          if (window.spy.accountChange) throw { code: -4, info: "account changed" };
          return fn(...args);
        };
        return {
          getNetworkId: wrap("getNetworkId", async () => window.spy.networkId ?? api.getNetworkId()),
          getUtxos: wrap("getUtxos", (...a) => api.getUtxos(...a)),
          getBalance: wrap("getBalance", () => api.getBalance()),
          getChangeAddress: wrap("getChangeAddress", () => api.getChangeAddress()),
          getUsedAddresses: wrap("getUsedAddresses", () => api.getUsedAddresses()),
          signTx: wrap("signTx", async (tx, partial) => {
            if (window.spy.declineSign) throw { code: 2, info: "user declined" };
            return api.signTx(tx, partial);
          }),
          submitTx: wrap("submitTx", (tx) => api.submitTx(tx)),
        };
      },
    };
    window.wallet = await window.sdk.cip30.enable("spy");
  }, { account, spy, keepJournal });
  p.run = (fn, arg) => p.page.evaluate(`(async () => {
    try { return { ok: true, value: await (${fn})(${JSON.stringify(arg ?? null)}) }; }
    catch (e) { return { ok: false, error: e instanceof sdk.TBackendError ? { code: e.code, status: e.status, message: e.message, invoice: e.invoice } : { message: String(e?.stack ?? e) } }; }
  })()`);
  p.calls = () => p.page.evaluate(() => window.calls);
  return p;
}

async function ok(p, fn, arg) {
  const r = await p.run(fn, arg);
  assert.ok(r.ok, `expected success, got ${JSON.stringify(r.error)}`);
  return r.value;
}

async function fails(p, code, fn, arg) {
  const r = await p.run(fn, arg);
  assert.ok(!r.ok, `expected ${code}, got success ${JSON.stringify(r.value)?.slice(0, 200)}`);
  assert.equal(r.error.code, code, r.error.message);
  return r.error;
}

for (const mode of ["cbor", "submit"]) {
  test(`the whole loop in ${mode} mode: 402, confirm, sign, retry, answer`, async () => {
    const p = await page();
    const r = await ok(p, async (mode) => {
      const quotes = [], receipts = [];
      let during;
      const payer = sdk.createPayer(wallet, {
        network: "preprod", mode, maxPerPaymentLovelace: 5_000_000n, maxTotalLovelace: "20000000",
        // The page may read the payer while a payment waits for its answer.
        confirm: async (q, { signal }) => { quotes.push(q); during = [payer.journal().length, payer.spentLovelace(), signal instanceof AbortSignal && !signal.aborted]; return true; },
        onPaid: (r) => receipts.push(r),
      });
      const client = sdk.createClient({ baseUrl: "/t-pay", payer });
      const chat = await client.chat({ message: "paid from the browser" });
      const status = await client.payments.status(receipts[0].invoiceId);
      return { reply: chat.reply, quotes, receipts, status, during, spent: payer.spentLovelace(), journal: payer.journal(),
        stored: Object.keys(localStorage).filter((k) => k.startsWith("tbackend.journal")).length };
    }, mode);
    assert.match(r.reply, /paid from the browser/);
    assert.equal(r.quotes.length, 1);
    assert.deepEqual(r.during, [0, "0", true]);
    const q = r.quotes[0];
    assert.equal(q.route, "POST /chat");
    assert.equal(q.network, "preprod");
    assert.deepEqual(q.outputs, [{ address: q.payTo, lovelace: "1000000" }]);
    assert.equal(BigInt(q.totalLovelace), 1_000_000n + BigInt(q.feeLovelace));
    assert.ok(BigInt(q.feeLovelace) >= 155_381n);
    assert.ok(Date.parse(q.expiresAt) > Date.now());
    assert.equal(r.receipts.length, 1);
    assert.equal(r.receipts[0].mode, mode);
    assert.equal(r.receipts[0].totalLovelace, q.totalLovelace);
    assert.equal(r.spent, q.totalLovelace);
    assert.equal(r.status.status, "consumed");
    assert.equal(r.status.txHash, r.receipts[0].txHash);
    assert.equal(r.journal[0].state, "accepted");
    assert.equal(r.stored, 1, "the journal lives in localStorage");
    const calls = await p.calls();
    assert.equal(calls.filter((c) => c === "signTx").length, 1);
    assert.equal(calls.filter((c) => c === "submitTx").length, mode === "submit" ? 1 : 0);
    p.assertClean(noise);
    await p.page.close();
  });
}

test("split outputs are paid as the invoice says", async () => {
  const p = await page(splits);
  const r = await ok(p, async () => {
    let quote;
    const payer = sdk.createPayer(wallet, { network: "preprod", confirm: (q) => { quote = q; return true; } });
    const reply = await sdk.createClient({ baseUrl: "/t-pay", payer }).tokenAnalysis({ token: "SNEK" });
    return { quote, ok: !!reply.token || !!reply.analysis || !!reply.risk_engine };
  });
  assert.ok(r.ok);
  assert.equal(r.quote.outputs.length, 3);
  assert.deepEqual(r.quote.outputs.slice(1).map((o) => o.lovelace), ["1000000", "1000000"]);
  assert.equal(BigInt(r.quote.totalLovelace), 4_000_000n + BigInt(r.quote.feeLovelace));
  await p.page.close();
});

test("a wallet of only token-carrying UTxOs pays and keeps its tokens", async () => {
  const p = await page(plain, { account: `tokens-only-${process.pid}` });
  const r = await ok(p, async () => {
    const before = await wallet.balance();
    const payer = sdk.createPayer(wallet, { network: "preprod" });
    await sdk.createClient({ baseUrl: "/t-pay", payer }).chat({ message: "tokens only" });
    const after = await wallet.balance();
    const key = (a) => `${a.policyId}.${a.assetName}=${a.quantity}`;
    return { before: before.assets.map(key).sort(), after: after.assets.map(key).sort(), lovelaceDrop: BigInt(before.lovelace) - BigInt(after.lovelace), spent: payer.spentLovelace() };
  });
  assert.ok(r.before.length > 0);
  assert.deepEqual(r.after, r.before);
  assert.equal(String(r.lovelaceDrop), r.spent);
  await p.page.close();
});

test("refusals before any wallet call: caps, payee, network, expiry, malformed options", async () => {
  const cases = [
    ["budget_exceeded", plain, { maxPerPaymentLovelace: 999_999 }],
    ["budget_exceeded", plain, { maxTotalLovelace: "500000" }],
    ["payee_not_allowed", plain, { allowedPayTo: ["addr_test1qz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgs68faae"] }],
    ["network_mismatch", plain, { network: "mainnet" }],
    ["network_mismatch", plain, { network: "preview" }],
    ["invoice_expired", shortLived, {}],
  ];
  for (const [code, server, options] of cases) {
    const p = await page(server);
    const e = await fails(p, code, async (options) => {
      const payer = sdk.createPayer(wallet, { network: "preprod", ...options });
      return sdk.createClient({ baseUrl: "/t-pay", payer }).chat({ message: "must not be paid" });
    }, options);
    assert.ok(e.invoice?.invoiceId, `${code}: the error carries the invoice`);
    assert.deepEqual(await p.calls(), [], `${code}: the wallet was called`);
    await p.page.close();
  }
  const p = await page();
  const bad = await ok(p, async () => {
    const out = [];
    for (const o of [{ network: "testnet" }, { mode: "broadcast" }, { maxPerPaymentLovelace: -1 }, { allowedPayTo: ["not an address"] }, { confirm: "yes" }]) {
      try { sdk.createPayer(wallet, o); out.push("accepted"); } catch (e) { out.push(e.code); }
    }
    return out;
  });
  assert.deepEqual(bad, Array(5).fill("invalid_request"));
  await p.page.close();
});

test("the fee counts against the per-payment cap", async () => {
  const p = await page();
  await fails(p, "budget_exceeded", async () => {
    const payer = sdk.createPayer(wallet, { network: "preprod", maxPerPaymentLovelace: 1_000_000 });
    return sdk.createClient({ baseUrl: "/t-pay", payer }).chat({ message: "exactly the price" });
  });
  assert.ok(!(await p.calls()).includes("signTx"));
  await p.page.close();
});

test("confirm returning false (or anything but true) stops everything", async () => {
  const p = await page();
  for (const answer of [false, "yes", 1, null]) {
    await fails(p, "payment_declined", async (answer) => {
      const payer = sdk.createPayer(wallet, { network: "preprod", confirm: async () => answer });
      return sdk.createClient({ baseUrl: "/t-pay", payer }).chat({ message: "no consent" });
    }, answer);
  }
  assert.ok(!(await p.calls()).includes("signTx"));
  assert.equal(await p.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("tbackend.journal")).length), 0);
  await p.page.close();
});

test("cancelling a call while confirm is open aborts the hook's signal and pays nothing", async () => {
  const p = await page();
  const r = await ok(p, async () => {
    const ctl = new AbortController();
    let aborted;
    const payer = sdk.createPayer(wallet, { network: "preprod", confirm: (q, { signal }) => new Promise((resolve) => {
      signal.addEventListener("abort", () => { aborted = true; resolve(true); });
      setTimeout(() => ctl.abort(), 50);
    }) });
    let code;
    try { await sdk.createClient({ baseUrl: "/t-pay", payer }).chat({ message: "cancel me" }, { signal: ctl.signal }); } catch (e) { code = e.code; }
    return { code, aborted, journal: payer.journal().length };
  });
  assert.deepEqual(r, { code: "aborted", aborted: true, journal: 0 });
  assert.ok(!(await p.calls()).includes("signTx"));
  await p.page.close();
});

test("a wallet on another network is refused before signing", async () => {
  const p = await page(plain, { spy: { networkId: 1 } });
  await fails(p, "network_mismatch", async () => {
    const payer = sdk.createPayer(wallet, { network: "preprod" });
    return sdk.createClient({ baseUrl: "/t-pay", payer }).chat({ message: "wrong network" });
  });
  assert.ok(!(await p.calls()).includes("signTx"));
  await p.page.close();
});

test("a wallet that declines leaves no paid entry; the next try pays once", async () => {
  const p = await page(plain, { spy: { declineSign: true } });
  await fails(p, "payment_declined", async () => {
    window.payer = sdk.createPayer(wallet, { network: "preprod" });
    return sdk.createClient({ baseUrl: "/t-pay", payer }).chat({ message: "declined" });
  });
  const after = await ok(p, async () => ({ journal: payer.journal(), spent: payer.spentLovelace() }));
  assert.deepEqual(after, { journal: [], spent: "0" });
  await p.page.evaluate(() => { window.spy.declineSign = false; });
  await ok(p, async () => sdk.createClient({ baseUrl: "/t-pay", payer }).chat({ message: "accepted now" }));
  assert.equal((await p.calls()).filter((c) => c === "signTx").length, 2);
  await p.page.close();
});

test("an account change in the wallet is reported as account_changed", async () => {
  const p = await page(plain, { spy: { accountChange: true } });
  await fails(p, "account_changed", async () => {
    const payer = sdk.createPayer(wallet, { network: "preprod" });
    return sdk.createClient({ baseUrl: "/t-pay", payer }).chat({ message: "switched" });
  });
  await p.page.close();
});

test("a lost response: the same call again re-sends the proof, no second payment", async () => {
  for (const mode of ["cbor", "submit"]) {
    const p = await page();
    const r = await ok(p, async (mode) => {
      const receipts = [];
      const payer = sdk.createPayer(wallet, { network: "preprod", mode, onPaid: (x) => receipts.push(x) });
      const client = sdk.createClient({ baseUrl: "/t-pay", payer });
      const requestId = crypto.randomUUID();
      const first = await client.chat({ message: "lost answer" }, { requestId });
      const again = await client.chat({ message: "lost answer" }, { requestId });
      return { same: first.reply === again.reply, receipts: receipts.length, spent: payer.spentLovelace() };
    }, mode);
    assert.equal(r.same, true);
    assert.equal(r.receipts, 1, `${mode}: paid twice`);
    assert.equal((await p.calls()).filter((c) => c === "signTx").length, 1);
    await p.page.close();
  }
});

test("a reload mid-payment resumes without a second signature", async () => {
  for (const mode of ["cbor", "submit"]) {
    const account = `reload-${mode}-${process.pid}`;
    const p = await page(plain, { account });
    // The paid retry never reaches the service: the page is "reloaded"
    // after the wallet signed and before any answer came back.
    let dropped = 0;
    await p.page.route("**/t-pay/chat", (route) => {
      if (route.request().headers()["x-payment"] && dropped++ === 0) return route.abort("connectionreset");
      return route.continue();
    });
    const requestId = "5d6e7f80-1a2b-4c3d-9e8f-7a6b5c4d3e2f".replace(/^5/, mode === "cbor" ? "5" : "6");
    const e = await fails(p, "network", async ({ mode, requestId }) => {
      const payer = sdk.createPayer(wallet, { network: "preprod", mode });
      return sdk.createClient({ baseUrl: "/t-pay", payer, maxRetries: 0 }).chat({ message: "reload me" }, { requestId });
    }, { mode, requestId });
    assert.ok(e);
    assert.equal((await p.calls()).filter((c) => c === "signTx").length, 1);
    await p.page.unroute("**/t-pay/chat");
    await p.page.reload();
    const q = await page(plain, { account, keepJournal: true });
    const r = await ok(q, async ({ mode, requestId }) => {
      const payer = sdk.createPayer(wallet, { network: "preprod", mode, confirm: () => { throw new Error("asked to confirm again"); } });
      const chat = await sdk.createClient({ baseUrl: "/t-pay", payer }).chat({ message: "reload me" }, { requestId });
      return { reply: chat.reply, journal: payer.journal().map((j) => j.state) };
    }, { mode, requestId });
    assert.match(r.reply, /reload me/);
    assert.deepEqual(r.journal, ["accepted"]);
    assert.deepEqual(await q.calls(), [], `${mode}: the reloaded page called the wallet`);
    await p.page.close();
    await q.page.close();
  }
});

test("wallet discovery: late injection, handles, balance and addresses", async () => {
  const p = await page();
  const r = await ok(p, async () => {
    const early = sdk.cip30.wallets().map((w) => w.id).sort();
    setTimeout(() => { window.cardano.late = { name: "Late wallet", icon: "", apiVersion: "1.0.0", enable: async () => ({}), isEnabled: async () => false }; }, 300);
    const t0 = performance.now();
    const found = await sdk.cip30.waitForWallets({ id: "late", timeoutMs: 5000 });
    const waited = performance.now() - t0;
    const none = await sdk.cip30.waitForWallets({ id: "never", timeoutMs: 200 });
    const balance = await wallet.balance();
    return {
      early, found: found.map((w) => w.id).sort(), waitedEnough: waited >= 250, none: none.length,
      network: await wallet.networkId(), change: await wallet.changeAddress(), used: await wallet.usedAddresses(),
      utxos: (await wallet.utxos()).length, lovelace: balance.lovelace, assets: balance.assets.length,
      missing: await sdk.cip30.enable("nope").then(() => "enabled", (e) => e.code),
    };
  });
  assert.deepEqual(r.early, ["sandbox", "spy"]);
  assert.deepEqual(r.found, ["late", "sandbox", "spy"]);
  assert.ok(r.waitedEnough);
  assert.equal(r.none, 3, "waitForWallets resolves with what is there at the timeout");
  assert.equal(r.network, 0);
  assert.match(r.change, /^addr_test1/);
  assert.ok(r.used.every((a) => a.startsWith("addr_test1")));
  assert.ok(r.utxos >= 4);
  assert.ok(BigInt(r.lovelace) > 1_000_000_000n);
  assert.ok(r.assets >= 3);
  assert.equal(r.missing, "wallet_error");
  p.assertClean(noise);
  await p.page.close();
});

test("garbage from a wallet is a wallet_error, never a signature", async () => {
  const p = await page();
  const r = await ok(p, async () => {
    const out = {};
    for (const [name, api] of Object.entries({
      "utxos not hex": { getUtxos: async () => ["zz"] },
      "utxos garbage CBOR": { getUtxos: async () => ["deadbeef"] },
      "utxos not a list": { getUtxos: async () => 42 },
      "change address garbage": { getChangeAddress: async () => "00" },
      "witness garbage": { signTx: async () => "a1a1" },
    })) {
      const real = await window.cardano.sandbox.enable();
      window.cardano.bad = { name: "Bad", icon: "", apiVersion: "1.0.0", isEnabled: async () => true, enable: async () => ({ ...real, ...api }) };
      const w = await sdk.cip30.enable("bad");
      const payer = sdk.createPayer(w, { network: "preprod" });
      try { await sdk.createClient({ baseUrl: "/t-pay", payer }).chat({ message: name }); out[name] = "paid"; }
      catch (e) { out[name] = [e.code, payer.journal().length]; }
    }
    return out;
  });
  for (const [name, result] of Object.entries(r)) assert.deepEqual(result, ["wallet_error", 0], name);
  await p.page.close();
});
