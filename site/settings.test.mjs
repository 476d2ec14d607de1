// Settings and modes: the Sandbox/Live badge, who pays, the api-key and
// base URL in localStorage with the warning, and the built site on a plain
// static host (no serve.go), where it talks to the live API directly.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openPage } from "../internal/e2e/harness.mjs";
import { openReady, startSite, startStaticHost } from "../internal/e2e/site-helpers.mjs";

const LIVE = "https://api-v3.fluxpointstudios.com";
let site;
before(async () => (site = await startSite()));
after(() => site?.close());

test("sandbox mode: badge, who pays, and the mode explained", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/settings.html", { waitPage: true });
  assert.equal(await page.textContent("[data-testid=mode-badge]"), "Sandbox");
  assert.equal(await page.textContent("[data-testid=paid-by]"), "Paid by: demo server key");
  assert.match(await page.textContent("[data-testid=mode-text]"), /^Sandbox\./);
  assert.equal(await page.getAttribute("[data-rule=server]", "data-current"), "");
  assert.match(await page.textContent("[data-testid=sdk-version]"), /^v\d/);
  assertClean();
  await page.close();
});

test("an api-key and base URL are kept in localStorage, with a plain warning, and used for calls", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/settings.html", { waitPage: true });
  const warning = await page.textContent("[data-testid=api-key-warning]");
  assert.match(warning, /A key in the browser is visible to anyone using it/);
  assert.match(warning, /go run serve\.go/);
  assert.equal(await page.getAttribute("#api-key", "type"), "password");
  await page.click("[data-testid=api-key-toggle]");
  assert.equal(await page.getAttribute("#api-key", "type"), "text");

  await page.fill("#base-url", "ftp://example");
  await page.click("[data-testid=settings-save]");
  assert.match(await page.textContent("[data-testid=settings-error]"), /must be an http\(s\) URL/);

  // "/t" is serve.go's keyed route: it stands in for a real key and host here.
  await page.fill("#base-url", "/t");
  await page.fill("#api-key", "my-own-key");
  await page.click("[data-testid=settings-save]");
  assert.match(await page.textContent("[data-testid=settings-status]"), /Saved\. Calls are now paid by your api-key/);
  assert.equal(await page.textContent("[data-testid=paid-by]"), "Paid by: your api-key");
  assert.equal(await page.getAttribute("[data-rule=key]", "data-current"), "");
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem("tbackend-demo:settings")));
  assert.equal(stored.apiKey, "my-own-key");
  assert.equal(stored.baseUrl, "/t");

  await page.click("[data-testid=settings-test]");
  await page.waitForFunction(() => /^Connected to \/t/.test(document.getElementById("settings-status").textContent));

  // Another page uses the key, and says so.
  await page.goto(site.url + "/");
  await page.waitForSelector("html[data-sdk=ready]");
  assert.equal(await page.textContent("[data-testid=paid-by]"), "Paid by: your api-key");
  const sent = page.waitForRequest((r) => r.url().endsWith("/t/chat"));
  await page.fill("#chat-message", "hello with my key");
  await page.keyboard.press("Enter");
  assert.equal((await sent).headers()["api-key"], "my-own-key");
  await page.waitForFunction(() => document.getElementById("chat-status").textContent === "Reply complete.");

  await page.goto(site.url + "/settings.html");
  await page.waitForSelector("html[data-page=ready]");
  assert.equal(await page.inputValue("#api-key"), "my-own-key");
  await page.click("[data-testid=settings-clear]");
  assert.equal(await page.inputValue("#api-key"), "");
  assert.equal(await page.textContent("[data-testid=paid-by]"), "Paid by: demo server key");
  assertClean();
  await page.close();
});

test("on a plain static host the site is Live, calls the live API, and sandbox is absent", async () => {
  const host = await startStaticHost();
  try {
    const p = await openPage(site.context);
    const { page } = p;
    // The live API is faked in the browser: nothing leaves this machine.
    const calls = [];
    await page.route(`${LIVE}/**`, async (route) => {
      const req = route.request();
      calls.push({ url: req.url(), method: req.method(), key: req.headers()["api-key"] });
      const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "*", "access-control-expose-headers": "X-Request-ID" };
      if (req.method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
      if (!req.headers()["api-key"]) {
        return route.fulfill({ status: 402, headers: { ...cors, "content-type": "application/json" }, body: JSON.stringify({ detail: {
          version: "0.1", invoiceId: "inv_static", chain: "cardano-mainnet", asset: "ADA", amountUnits: "1000000", decimals: 6,
          payTo: "addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgse35a3x", timeout: 300, extra: { lovelace: true } } }) });
      }
      return route.fulfill({ status: 200, headers: { ...cors, "content-type": "text/event-stream" },
        body: 'data: {"type":"content","text":"Hello from the "}\n\ndata: {"type":"content","text":"live API"}\n\ndata: [DONE]\n\n' });
    });
    await page.goto(host.url + "/");
    await page.waitForSelector("html[data-sdk=ready]");
    assert.equal(await page.textContent("[data-testid=mode-badge]"), "Live");
    assert.equal(await page.textContent("[data-testid=paid-by]"), "Paid by: nobody yet");
    assert.equal(calls.length, 0, "no call to the service on page load");

    // No payer and no key: the 402 is explained.
    await page.fill("#chat-message", "hello live");
    await page.keyboard.press("Enter");
    await page.waitForSelector("[data-testid=chat-error]:not([hidden])");
    const err = await page.textContent("[data-testid=chat-error]");
    assert.match(err, /This call costs 1 ADA/);
    assert.match(err, /Connect a wallet.*or enter an api-key in Settings/);

    // With the visitor's key it goes to the live API directly.
    await page.goto(host.url + "/settings.html");
    await page.waitForSelector("html[data-page=ready]");
    assert.match(await page.textContent("[data-testid=mode-text]"), /^Live\. .*plain static host/);
    assert.equal(await page.getAttribute("#base-url", "placeholder"), `automatic: ${LIVE}`);
    await page.fill("#api-key", "visitor-key");
    await page.click("[data-testid=settings-save]");
    await page.goto(host.url + "/");
    await page.waitForSelector("html[data-sdk=ready]");
    await page.fill("#chat-message", "hello live");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("chat-status").textContent === "Reply complete.");
    assert.equal(await page.textContent("[data-testid=assistant-message]:last-child [data-testid=message-text]"), "Hello from the live API");
    assert.ok(calls.some((c) => c.url === `${LIVE}/chat` && c.key === "visitor-key"));

    // Variations have no key of the server's to fall back on.
    await page.evaluate(() => localStorage.removeItem("tbackend-demo:settings"));
    await page.goto(host.url + "/images.html");
    await page.waitForSelector("html[data-sdk=ready]");
    await page.check("[data-testid=op-variations]");
    await page.waitForSelector("[data-testid=op-unavailable]:not([hidden])");
    assert.match(await page.textContent("[data-testid=op-unavailable]"), /unavailable here: they are sold with an api-key only/);
    assert.ok(await page.isDisabled("[data-testid=image-submit]"));

    // Only the faked live API was "requested", and the 402 it answered.
    p.assertClean([`third-party request: ${LIVE}/`, /status of 402/]);
    await page.close();
  } finally {
    await host.close();
  }
});

test("proxy mode (TBACKEND_API_KEY set) is Live and paid by the server's key", async () => {
  // Nothing is called: the proxy's target only has to parse.
  const proxy = await startSite({ env: { TBACKEND_API_KEY: "server-side-key", TBACKEND_BASE_URL: "http://127.0.0.1:9" } });
  try {
    const { page, assertClean } = await openReady(proxy.context, proxy.url + "/settings.html", { waitPage: true });
    assert.equal(await page.textContent("[data-testid=mode-badge]"), "Live");
    assert.equal(await page.getAttribute("[data-testid=mode-badge]", "data-mode"), "proxy");
    assert.equal(await page.textContent("[data-testid=paid-by]"), "Paid by: demo server key");
    assert.match(await page.textContent("[data-testid=mode-text]"), /^Live, through serve\.go/);
    assert.equal(await page.evaluate(() => document.documentElement.outerHTML.includes("server-side-key")), false, "the key never reaches the page");
    assertClean();
    await page.close();
  } finally {
    await proxy.close();
  }
});

test("forgetting everything clears the demo's storage", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/settings.html", { waitPage: true });
  await page.fill("#api-key", "to-forget");
  await page.click("[data-testid=settings-save]");
  await page.click("[data-testid=reset-all]");
  assert.match(await page.textContent("[data-testid=reset-all]"), /Press again/);
  await Promise.all([page.waitForEvent("load"), page.click("[data-testid=reset-all]")]);
  await page.waitForSelector("html[data-page=ready]");
  assert.equal(await page.inputValue("#api-key"), "");
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("tbackend-demo:settings")).length), 0);
  assertClean();
  await page.close();
});
