// End-to-end tests of the SDK's JavaScript interface in headless Chromium,
// against serve.go's sandbox. Run: ./build.sh && node --test wasm/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startServer, startBrowser, openPage } from "../internal/e2e/harness.mjs";

let server, browser, page, session;
// The browser logs every fetch answered 4xx/5xx; these tests cause many on purpose.
const expectedNoise = [/Failed to load resource/];

before(async () => {
  server = await startServer(["-sandbox-stream-delay", "40ms"]);
  browser = await startBrowser();
  session = await openPage(browser.context, `${server.url}/`);
  page = session.page;
  await page.evaluate(async () => {
    const { load } = await import("/sdk/tbackend.js");
    window.sdk = await load();
    window.keyed = window.sdk.createClient({ baseUrl: "/t", maxRetries: 0 });
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// run evaluates fn in the page with the SDK loaded; errors come back as data.
function run(fn, arg) {
  return page.evaluate(`(async () => {
    const errorInfo = (e) => e instanceof sdk.TBackendError
      ? { tbackend: true, isError: e instanceof Error, name: e.name, code: e.code, status: e.status, requestId: e.requestId, message: e.message, body: e.body, invoice: e.invoice }
      : { tbackend: false, message: String(e) };
    try { return { ok: true, value: await (${fn})(${JSON.stringify(arg ?? null)}) }; }
    catch (e) { return { ok: false, error: errorInfo(e) }; }
  })()`);
}

async function ok(fn, arg) {
  const r = await run(fn, arg);
  assert.ok(r.ok, `expected success, got ${JSON.stringify(r.error)}`);
  return r.value;
}

async function fails(fn, arg) {
  const r = await run(fn, arg);
  assert.ok(!r.ok, `expected a failure, got ${JSON.stringify(r.value)?.slice(0, 200)}`);
  assert.ok(r.error.tbackend, `not a TBackendError: ${r.error.message}`);
  assert.ok(r.error.isError, "TBackendError is not an Error");
  assert.equal(r.error.name, "TBackendError");
  return r.error;
}

test("load() exposes the contract", async () => {
  const shape = await ok(async () => ({
    version: sdk.version,
    keys: Object.keys(sdk).sort(),
    client: ["health", "api", "usage", "chat", "chatStream", "tokenAnalysis", "request"].filter((m) => typeof keyed[m] !== "function"),
    images: Object.keys(keyed.images).sort(),
    payments: Object.keys(keyed.payments).sort(),
    cip30: Object.keys(sdk.cip30).sort(),
    same: (await (await import("/sdk/tbackend.js")).load()) === sdk,
  }));
  assert.match(shape.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(shape.keys, ["TBackendError", "cip30", "createClient", "createPayer", "version"]);
  assert.deepEqual(shape.client, []);
  assert.deepEqual(shape.images, ["edit", "generate", "uploadAndEdit", "variations"]);
  assert.deepEqual(shape.payments, ["balance", "status"]);
  assert.deepEqual(shape.cip30, ["enable", "waitForWallets", "wallets"]);
  assert.ok(shape.same, "load() twice gave two SDKs");
});

test("health, api and usage", async () => {
  const r = await ok(async () => [await keyed.health(), await keyed.api(), await keyed.usage()]);
  assert.equal(r[0].status, "ok");
  assert.equal(typeof r[1], "object");
  assert.equal(typeof r[2], "object");
});

test("chat returns reply, replyJson, requestId and raw", async () => {
  const r = await ok(async () => {
    const plain = await keyed.chat({ message: "hello from the browser", sessionId: "s-1", system: "be brief", temperature: 0.2, topP: 0.9, maxTokens: 500, meta: { page: "test" } }, { requestId: "6f1c1d52-7d0e-4b4c-9a57-0a8f3b2e9d11" });
    const structured = await keyed.chat({ message: "summarise the sandbox", outputMode: "structured" });
    return { plain, structured };
  });
  assert.match(r.plain.reply, /hello from the browser/);
  assert.equal(r.plain.requestId, "6f1c1d52-7d0e-4b4c-9a57-0a8f3b2e9d11");
  assert.equal(r.plain.raw.request_id, "6f1c1d52-7d0e-4b4c-9a57-0a8f3b2e9d11", "request_id in the body");
  assert.equal(r.plain.raw.session_id, "s-1");
  assert.equal(typeof r.structured.replyJson, "object");
  assert.ok(r.structured.replyJson.summary, "structured reply_json");
});

test("chat with an image given as Blob, Uint8Array and data URI", async () => {
  const replies = await ok(async () => {
    const canvas = new OffscreenCanvas(4, 3);
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ff0000";
    ctx.fillRect(0, 0, 4, 3);
    const blob = await canvas.convertToBlob({ type: "image/png" });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const dataUri = await new Promise((res) => { const fr = new FileReader(); fr.onload = () => res(fr.result); fr.readAsDataURL(blob); });
    const out = [];
    for (const imageData of [blob, bytes, dataUri]) out.push((await keyed.chat({ message: "what is this image?", imageData })).reply);
    return out;
  });
  for (const reply of replies) assert.match(reply, /4.?x.?3|4×3/i, reply);
});

test("chatStream yields events in order and ends at [DONE]", async () => {
  const r = await ok(async () => {
    const events = [];
    const stream = keyed.chatStream({ message: "please call a tool for the token price" });
    for await (const ev of stream) events.push({ type: ev.type, text: ev.text, name: ev.name, hasData: ev.data !== undefined });
    const whole = await keyed.chat({ message: "please call a tool for the token price" });
    return { events, reply: whole.reply, requestId: stream.requestId };
  });
  const types = r.events.map((e) => e.type);
  const firstContent = types.indexOf("content");
  assert.ok(types.lastIndexOf("reasoning") < firstContent, `reasoning before content: ${types}`);
  assert.ok(types.indexOf("tool_call") < types.indexOf("tool_result") && types.indexOf("tool_result") < firstContent, `tools before content: ${types}`);
  assert.equal(r.events.filter((e) => e.type === "content").map((e) => e.text).join(""), r.reply);
  assert.ok(r.events.every((e) => e.hasData));
  assert.match(r.requestId, /^[0-9a-f-]{36}$/);
});

test("break in for await cancels the HTTP request", async () => {
  const aborted = [];
  const onFail = (req) => { if (req.url().includes("/t/chat")) aborted.push(req.failure()?.errorText); };
  page.on("requestfailed", onFail);
  const r = await ok(async () => {
    let n = 0;
    const started = performance.now();
    for await (const ev of keyed.chatStream({ message: "one two three four five six seven eight nine ten eleven twelve" })) {
      if (ev.type === "content" && ++n === 2) break;
    }
    return { n, ms: performance.now() - started };
  });
  await page.waitForTimeout(200);
  page.off("requestfailed", onFail);
  assert.equal(r.n, 2);
  assert.deepEqual(aborted, ["net::ERR_ABORTED"], "the stream's fetch was not aborted");
});

test("an AbortSignal cancels a stream and a call", async () => {
  const r = await ok(async () => {
    const ctl = new AbortController();
    const seen = [];
    let streamErr;
    try {
      for await (const ev of keyed.chatStream({ message: "a b c d e f g h i j k l m n o p" }, { signal: ctl.signal })) {
        seen.push(ev.type);
        if (ev.type === "content") ctl.abort();
      }
    } catch (e) { streamErr = { code: e.code, status: e.status, instance: e instanceof sdk.TBackendError }; }
    const early = new AbortController();
    early.abort();
    let callErr;
    try { await keyed.health({ signal: early.signal }); } catch (e) { callErr = e.code; }
    return { seen: seen.length, streamErr, callErr };
  });
  assert.deepEqual(r.streamErr, { code: "aborted", status: 0, instance: true });
  assert.equal(r.callErr, "aborted");
});

test("a stream that goes silent longer than timeoutMs fails with timeout", async () => {
  const e = await fails(async () => {
    for await (const ev of keyed.chatStream({ message: "slow words here" }, { timeoutMs: 15 })) void ev;
  });
  assert.equal(e.code, "timeout");
  assert.equal(e.status, 0);
});

test("tokenAnalysis v1 and v2 with bypassCache", async () => {
  const r = await ok(async () => {
    const v1 = await keyed.tokenAnalysis({ policyId: "279c909f348e533da5808898f87f9a14bb2c3dfbbacccd631d927a3f", assetNameHex: "534e454b", apiVersion: "1" });
    const v2 = await keyed.tokenAnalysis({ token: "SNEK", apiVersion: 2 }, { bypassCache: true });
    const again = await keyed.tokenAnalysis({ token: "SNEK", apiVersion: 2 });
    return { v1: Object.keys(v1), riskLevel: v1.riskLevel, v2: Object.keys(v2), cachedFirst: v2._meta.cached, cachedAgain: again._meta.cached };
  });
  assert.ok(r.v1.includes("analysis") && r.v1.includes("marketData"), r.v1.join());
  assert.ok(["low", "medium", "high"].includes(r.riskLevel));
  for (const k of ["risk_engine", "market", "liquidity", "holders", "security", "data_quality", "_meta"]) assert.ok(r.v2.includes(k), k);
  assert.equal(r.cachedFirst, false);
  assert.equal(r.cachedAgain, true);
});

test("images: generate, edit, uploadAndEdit, variations", async () => {
  const r = await ok(async () => {
    const gen = await keyed.images.generate({ prompt: "a lighthouse at dusk", size: "256x256", n: 2 });
    const first = gen.images[0];
    const bytes = Uint8Array.from(atob(first.split(",")[1]), (c) => c.charCodeAt(0));
    const file = new File([bytes], "lighthouse.png", { type: "image/png" });
    const edit = await keyed.images.edit({ prompt: "invert the colours", inputImages: [first, bytes], n: 1 });
    const upload = await keyed.images.uploadAndEdit({ prompt: "grayscale", image: file, size: "256x256" });
    const vars = await keyed.images.variations({ image: file, n: 2 });
    const decode = async (uri) => { const img = new Image(); img.src = uri; await img.decode(); return [img.naturalWidth, img.naturalHeight]; };
    return { n: gen.images.length, size: await decode(first), edited: edit.images.length, differs: edit.images[0] !== first, upload: await decode(upload.images[0]), vars: vars.images.length };
  });
  assert.deepEqual([r.n, r.size, r.edited, r.differs, r.upload, r.vars], [2, [256, 256], 1, true, [256, 256], 2]);
});

test("payments.status and payments.balance", async () => {
  const r = await run(async () => {
    const pay = sdk.createClient({ baseUrl: "/t-pay", maxRetries: 0 });
    let invoice;
    try { await pay.chat({ message: "x" }); } catch (e) { invoice = e.invoice; }
    const status = await keyed.payments.status(invoice.invoiceId);
    const balance = await keyed.payments.balance({ partner: "acme", wallet: invoice.payTo });
    return { invoice, status, balance };
  });
  assert.ok(r.ok, JSON.stringify(r.error));
  assert.equal(r.value.status.status, "pending");
  assert.equal(r.value.status.invoiceId, r.value.invoice.invoiceId);
  assert.equal(r.value.balance.wallet, r.value.invoice.payTo);
});

test("request() reaches any route with the same handling", async () => {
  const r = await ok(async () => ({
    health: await keyed.request("GET", "/health"),
    chat: await keyed.request("POST", "/chat", { body: { message: "raw route" } }),
    query: await keyed.request("GET", "/payments/balance", { query: { wallet: "w1", partner: "p1" } }),
  }));
  assert.equal(r.health.status, "ok");
  assert.match(r.chat.reply, /raw route/);
  assert.equal(r.query.wallet, "w1");
});

test("retries hide a transient 503", async () => {
  const r = await ok(async () => {
    const c = sdk.createClient({ baseUrl: "/t", maxRetries: 2 });
    return c.health({ requestId: "retry-me-1", headers: { "X-Sandbox-Fail": "503", "X-Sandbox-Fail-Times": "1" } });
  });
  assert.equal(r.status, "ok");
});

test("every failure is a TBackendError with the right code and status", async () => {
  const cases = [
    ["invalid_request", 422, async () => keyed.chat({ message: "x", temperature: 3 })],
    ["invalid_request", 0, async () => keyed.chat({ message: "" })],
    ["invalid_request", 0, async () => keyed.chat({ message: 42 })],
    ["unauthorized", 401, async () => sdk.createClient({ baseUrl: "/t-pay", apiKey: "wrong-key", maxRetries: 0 }).usage()],
    ["payment_required", 402, async () => sdk.createClient({ baseUrl: "/t-pay" }).tokenAnalysis({ token: "SNEK" })],
    ["forbidden", 403, async () => keyed.health({ requestId: "f403", headers: { "X-Sandbox-Fail": "403" } })],
    ["not_found", 404, async () => keyed.tokenAnalysis({ token: "NO-SUCH-TOKEN" })],
    ["payload_too_large", 0, async () => keyed.images.edit({ prompt: "p", inputImages: [new Blob([new Uint8Array(26 << 20)], { type: "image/png" })] })],
    ["payload_too_large", 413, async () => keyed.request("POST", "/images/edit", { body: { prompt: "p", input_images: ["data:image/png;base64," + "A".repeat(36 << 20)] } })],
    ["rate_limited", 429, async () => keyed.health({ requestId: "r429", headers: { "X-Sandbox-Fail": "429" } })],
    ["server_error", 500, async () => keyed.health({ requestId: "s500", headers: { "X-Sandbox-Fail": "500" } })],
    ["invalid_request", 0, async () => keyed.chat({ message: "x" }, { requestId: "not-a-uuid" })],
    ["invalid_request", 0, async () => keyed.request("POST", "/chat", { body: { message: "x", n: 1n } })],
    ["aborted", 0, async () => keyed.health({ signal: AbortSignal.abort() })],
  ];
  for (const [code, status, fn] of cases) {
    const e = await fails(fn);
    assert.equal(e.code, code, `${fn}: ${e.message}`);
    assert.equal(e.status, status, `${fn}: status`);
    assert.ok(e.message.length > 10, "message");
  }
  const e402 = await fails(async () => sdk.createClient({ baseUrl: "/t-pay" }).chat({ message: "x" }, { requestId: "0b7e3c1a-2d4f-4e6a-8b9c-1d2e3f4a5b6c" }));
  assert.equal(e402.requestId, "0b7e3c1a-2d4f-4e6a-8b9c-1d2e3f4a5b6c");
  assert.equal(e402.invoice.network, "preprod");
  assert.equal(e402.invoice.amountLovelace, "1000000");
  assert.equal(e402.invoice.outputs[0].address, e402.invoice.payTo);
  assert.equal(typeof e402.body, "object");
});

test("createClient rejects bad options synchronously", async () => {
  const r = await ok(async () => {
    const out = [];
    for (const opts of [{ baseUrl: "ftp://x" }, { timeoutMs: -1 }, { maxRetries: 99 }, { payer: {} }, { headers: { "bad name": "x" } }]) {
      try { sdk.createClient(opts); out.push("accepted"); } catch (e) { out.push(e instanceof sdk.TBackendError ? e.code : String(e)); }
    }
    return out;
  });
  assert.deepEqual(r, ["invalid_request", "invalid_request", "invalid_request", "invalid_request", "invalid_request"]);
});

test("a page on another origin imports the SDK and uses every call", async () => {
  const sdkOrigin = server.url;
  const other = http.createServer((req, res) => {
    res.setHeader("Content-Type", "text/html");
    res.end(`<!doctype html><title>other origin</title><script type="module">
      import { load } from "${sdkOrigin}/sdk/tbackend.js";
      const sdk = await load();
      const c = sdk.createClient({ baseUrl: "${sdkOrigin}/t" });
      const out = {};
      const step = async (name, fn) => { try { out[name] = await fn(); } catch (e) { out[name] = "error " + e.code + ": " + e.message; } };
      const canvas = new OffscreenCanvas(8, 8); canvas.getContext("2d").fillRect(0, 0, 4, 4);
      const png = await (await canvas.convertToBlob({ type: "image/png" })).arrayBuffer();
      const file = new File([png], "x.png", { type: "image/png" });
      await step("health", async () => (await c.health()).status);
      await step("api", async () => typeof (await c.api()));
      await step("usage", async () => typeof (await c.usage()));
      await step("chat", async () => (await c.chat({ message: "cross origin", imageData: file }, { requestId: crypto.randomUUID() })).reply.includes("cross origin"));
      await step("chatStream", async () => { const t = []; for await (const ev of c.chatStream({ message: "cross origin stream" })) t.push(ev.type); return t.includes("content"); });
      await step("tokenAnalysis", async () => !!(await c.tokenAnalysis({ token: "SNEK", apiVersion: 2 }, { bypassCache: true })).risk_engine);
      await step("generate", async () => (await c.images.generate({ prompt: "x", size: "256x256" })).images.length);
      await step("edit", async () => (await c.images.edit({ prompt: "invert", inputImages: [new Uint8Array(png)] })).images.length);
      await step("uploadAndEdit", async () => (await c.images.uploadAndEdit({ prompt: "grayscale", image: file })).images.length);
      await step("variations", async () => (await c.images.variations({ image: file, n: 2 })).images.length);
      await step("balance", async () => (await c.payments.balance({ wallet: "w" })).wallet);
      await step("request", async () => (await c.request("GET", "/health")).status);
      const pay = sdk.createClient({ baseUrl: "${sdkOrigin}/t-pay" });
      await step("payment_required", async () => { try { await pay.chat({ message: "hi" }); return "paid?"; } catch (e) { await pay.payments.status(e.invoice.invoiceId); return e.code; } });
      await step("unreachable", async () => { try { await sdk.createClient({ baseUrl: "http://127.0.0.1:9", maxRetries: 0 }).health(); } catch (e) { return [e.code, e.status]; } });
      window.result = out;
    </script>`);
  });
  await new Promise((res) => other.listen(0, "127.0.0.1", res));
  try {
    const p = await openPage(browser.context, `http://127.0.0.1:${other.address().port}/`);
    await p.page.waitForFunction(() => window.result, null, { timeout: 60_000 }).catch((e) => { throw new Error(`${e.message}\n${p.problems.join("\n")}`); });
    const result = await p.page.evaluate(() => window.result);
    assert.deepEqual(result, {
      health: "ok", api: "object", usage: "object", chat: true, chatStream: true, tokenAnalysis: true,
      generate: 1, edit: 1, uploadAndEdit: 1, variations: 2, balance: "w", request: "ok",
      payment_required: "payment_required", unreachable: ["network", 0],
    });
    p.assertClean(expectedNoise);
    await p.page.close();
  } finally {
    other.close();
  }
});

test("no unexpected console errors", () => {
  session.assertClean(expectedNoise);
});
