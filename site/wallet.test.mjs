// Wallet and payments against the sandbox: the wallet picker with icons,
// connect, network and balance, reconnect after reload, paying an invoice
// through the confirmation dialog, declining, spending limits, pay per call
// on another page, the history with status polling, and the prepaid balance.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ALLOW_402, axeViolations, openReady, screenshot, startSite } from "../internal/e2e/site-helpers.mjs";

let site;
before(async () => (site = await startSite()));
after(() => site?.close());

async function openWallet() {
  const p = await openReady(site.context, site.url + "/wallet.html", { waitPage: true });
  return p;
}

async function connectSandbox(page) {
  await page.waitForSelector("[data-testid=connect-sandbox]");
  if (await page.isEnabled("[data-testid=connect-sandbox]")) await page.click("[data-testid=connect-sandbox]");
  await page.waitForSelector("[data-testid=connected]:not([hidden])");
  await page.waitForFunction(() => /ADA/.test(document.getElementById("connected-balance").textContent));
}

const balanceLovelace = async (page) => {
  await page.click("[data-testid=wallet-refresh]");
  await page.waitForTimeout(300);
  const t = (await page.textContent("[data-testid=connected-balance]")).replace(/[^\d.]/g, "");
  const [whole, frac = ""] = t.split(".");
  return BigInt(whole) * 1_000_000n + BigInt(frac.padEnd(6, "0"));
};

test("the picker lists the sandbox wallet with its icon; connecting shows network and balance and survives a reload", async () => {
  const { page, assertClean } = await openWallet();
  const item = page.locator("[data-testid=wallet-item]", { hasText: "Sandbox wallet (not real ADA)" });
  await item.waitFor();
  assert.match(await item.locator("img").getAttribute("src"), /^data:image\/svg\+xml/);
  await connectSandbox(page);
  assert.equal(await page.textContent("[data-testid=connected-name]"), "Sandbox wallet (not real ADA)");
  assert.equal(await page.textContent("[data-testid=connected-network]"), "Testnet (invoices here are for preprod)");
  assert.match(await page.textContent("[data-testid=connected-balance]"), /^[\d,]+(\.\d+)? ADA \(test ADA\)$/);
  assert.match(await page.textContent("[data-testid=connected-address]"), /^addr_test1/);
  assert.match(await page.textContent("[data-testid=connected-assets]"), /SNEK|HOSKY/);
  assert.match(await page.inputValue("[data-testid=balance-wallet]"), /^addr_test1/);
  assert.ok(await page.isEnabled("[data-testid=try-pay]"));

  await page.reload();
  await page.waitForSelector("html[data-page=ready]");
  await page.waitForSelector("[data-testid=connected]:not([hidden])");
  assert.equal(await page.textContent("[data-testid=connect-sandbox]"), "Connected");
  assertClean();
  await page.close();
});

test("every detected wallet is listed, including one injected late", async () => {
  const page = await site.context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  // A browser extension injects after the page has started.
  await page.addInitScript(() => {
    setTimeout(() => {
      window.cardano ??= {};
      window.cardano.latewallet = {
        name: "Late Wallet", apiVersion: "0.1.0",
        icon: "data:image/svg+xml," + encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="teal"/></svg>'),
        enable: async () => { throw { code: -3, info: "user refused" }; },
        isEnabled: async () => false,
      };
    }, 800);
  });
  await page.goto(site.url + "/wallet.html");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=wallet-item]").length === 2, null, { timeout: 10_000 });
  const names = await page.locator("[data-testid=wallet-item] strong").allTextContents();
  assert.deepEqual(names.sort(), ["Late Wallet", "Sandbox wallet (not real ADA)"]);
  assert.match(await page.locator("[data-testid=wallet-item]", { hasText: "Late Wallet" }).locator("img").getAttribute("src"), /^data:image\/svg/);
  // Refusing the connection is explained, and nothing else changes.
  await page.click("[data-testid=connect-latewallet]");
  await page.waitForSelector("[data-testid=wallet-error]:not([hidden])");
  assert.match(await page.textContent("[data-testid=wallet-error]"), /^The wallet did not connect\..*refused/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("paying an invoice goes through the confirmation dialog and lands in the history", async () => {
  const { page, assertClean } = await openWallet();
  await connectSandbox(page);
  const before = await balanceLovelace(page);
  await page.click("[data-testid=try-pay]");
  const dialog = page.locator("[data-testid=pay-dialog]");
  await dialog.waitFor({ state: "visible" });
  assert.match(await page.textContent("[data-testid=pay-what]"), /^One chat reply — POST \S*\/chat$/);
  assert.match(await page.textContent("[data-testid=pay-network]"), /preprod \(test ADA/);
  assert.match(await page.textContent("[data-testid=pay-invoice]"), /^inv_/);
  const outputs = await page.locator("[data-testid=pay-outputs] li").allTextContents();
  assert.equal(outputs.length, 1);
  assert.match(outputs[0], /^1 ADA to the service: addr_test1/);
  const fee = await page.textContent("[data-testid=pay-fee]");
  assert.match(fee, /^0\.\d+ ADA$/);
  const total = await page.textContent("[data-testid=pay-total]");
  assert.match(total, /^1\.\d+ ADA$/);
  assert.equal(await page.textContent("[data-testid=pay-confirm]"), `Pay ${total}`);
  const t1 = await page.textContent("[data-testid=pay-expiry]");
  assert.match(t1, /^[45]:\d\d$/);
  await page.waitForTimeout(1200);
  assert.notEqual(await page.textContent("[data-testid=pay-expiry]"), t1, "the expiry counts down");
  assert.equal(await page.evaluate(() => document.activeElement.id), "pay-cancel", "the safe choice has focus");

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await screenshot(page, `pay-dialog-${width}.png`, { fullPage: false }); // the modal covers the viewport
  }
  assert.deepEqual(await axeViolations(page), []);
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.click("[data-testid=pay-confirm]");
  await page.waitForSelector("[data-testid=try-reply]:not([hidden])", { timeout: 30_000 });
  assert.match(await page.textContent("[data-testid=try-reply]"), /^You said: Hello from the wallet page/);
  assert.match(await page.textContent("[data-testid=try-status]"), /Paid and answered/);

  const row = page.locator("[data-testid=history-row]").first();
  await page.waitForFunction(() => document.querySelector("[data-testid=history-row] [data-testid=history-status]")?.textContent === "consumed", null, { timeout: 30_000 });
  assert.match(await row.locator("[data-testid=history-tx]").getAttribute("title"), /^[0-9a-f]{64}$/);
  assert.equal(await row.locator("td").nth(2).textContent(), total);
  const after = await balanceLovelace(page);
  const paid = Number(total.replace(/[^\d.]/g, "")) * 1e6;
  assert.equal(Number(before - after), Math.round(paid), "the wallet paid exactly the confirmed total");
  assert.match(await page.textContent("[data-testid=spent-so-far]"), new RegExp(`^Paid from this browser so far: ${total.replace(".", "\\.")} of your 25 ADA`));
  assertClean([ALLOW_402]);
  await page.close();
});

test("declining pays nothing", async () => {
  const { page, assertClean } = await openWallet();
  await connectSandbox(page);
  const before = await balanceLovelace(page);
  await page.click("[data-testid=try-pay]");
  await page.locator("[data-testid=pay-dialog]").waitFor({ state: "visible" });
  await page.keyboard.press("Escape");
  await page.waitForSelector("[data-testid=try-error]:not([hidden])");
  assert.match(await page.textContent("[data-testid=try-error]"), /Payment cancelled: nothing was paid/);
  assert.equal(await page.textContent("[data-testid=history-row] [data-testid=history-status] >> nth=0"), "declined");
  assert.equal(await balanceLovelace(page), before);
  assertClean([ALLOW_402]);
  await page.close();
});

test("an invoice over the per-payment limit is refused before any dialog", async () => {
  const { page, assertClean } = await openWallet();
  await connectSandbox(page);
  await page.fill("[data-testid=max-per-payment]", "0.5");
  await page.click("[data-testid=limits-save]");
  assert.match(await page.textContent("[data-testid=limits-status]"), /Limits saved/);
  let dialogs = 0;
  await page.exposeFunction("__dialogOpened", () => dialogs++);
  await page.evaluate(() => new MutationObserver(() => document.getElementById("pay-dialog").open && window.__dialogOpened()).observe(document.getElementById("pay-dialog"), { attributes: true }));
  await page.click("[data-testid=try-pay]");
  await page.waitForSelector("[data-testid=try-error]:not([hidden])", { timeout: 20_000 });
  assert.match(await page.textContent("[data-testid=try-error]"), /Over your spending limit: nothing was paid/);
  assert.equal(dialogs, 0);
  await page.fill("[data-testid=max-per-payment]", "5");
  await page.click("[data-testid=limits-save]");
  assertClean([ALLOW_402]);
  await page.close();
});

test("an invoice to a payee outside the allow-list is refused before any dialog", async () => {
  const { page, assertClean } = await openWallet();
  await connectSandbox(page);
  // Only the wallet's own address is allowed: the sandbox payee is not.
  await page.fill("[data-testid=allowed-payto]", await page.textContent("[data-testid=connected-address]"));
  await page.click("[data-testid=limits-save]");
  await page.click("[data-testid=try-pay]");
  await page.waitForSelector("[data-testid=try-error]:not([hidden])", { timeout: 20_000 });
  assert.match(await page.textContent("[data-testid=try-error]"), /not on your allow-list: nothing was paid/);
  assert.equal(await page.evaluate(() => document.getElementById("pay-dialog").open), false);
  await page.fill("[data-testid=allowed-payto]", "not-an-address");
  await page.click("[data-testid=limits-save]");
  assert.match(await page.textContent("[data-testid=limits-status]"), /is not a Cardano address/);
  await page.fill("[data-testid=allowed-payto]", "");
  await page.click("[data-testid=limits-save]");
  assertClean([ALLOW_402]);
  await page.close();
});

test("with pay per call on, another page pays through the wallet (the wallet submits, status is polled)", async () => {
  const { page, assertClean } = await openWallet();
  await connectSandbox(page);
  await page.selectOption("[data-testid=pay-mode]", "submit");
  await page.click("[data-testid=limits-save]");
  await page.check("[data-testid=pay-with-wallet]");
  assert.equal(await page.textContent("[data-testid=paid-by]"), "Paid by: your wallet (Sandbox wallet (not real ADA))");

  await page.goto(site.url + "/tokens.html");
  await page.waitForSelector("html[data-sdk=ready]");
  assert.equal(await page.textContent("[data-testid=paid-by]"), "Paid by: your wallet (Sandbox wallet (not real ADA))", "reconnected after navigation");
  await page.click("[data-testid=preset-SNEK]");
  await page.click("[data-testid=token-submit]");
  await page.locator("[data-testid=pay-dialog]").waitFor({ state: "visible" });
  assert.match(await page.textContent("[data-testid=pay-what]"), /^One token analysis/);
  assert.match(await page.textContent("[data-testid=pay-total]"), /^2\.\d+ ADA$/);
  await page.click("[data-testid=pay-confirm]");
  await page.waitForSelector("[data-testid=risk-gauge]", { timeout: 30_000 });

  // The chat streams through the wallet too.
  await page.goto(site.url + "/");
  await page.waitForSelector("html[data-sdk=ready]");
  await page.fill("#chat-message", "paid stream");
  await page.keyboard.press("Enter");
  await page.locator("[data-testid=pay-dialog]").waitFor({ state: "visible" });
  await page.click("[data-testid=pay-confirm]");
  await page.waitForFunction(() => document.getElementById("chat-status").textContent === "Reply complete.", null, { timeout: 30_000 });
  assert.match(await page.textContent("[data-testid=assistant-message]:last-child [data-testid=message-text]"), /^You said: paid stream/);

  await page.goto(site.url + "/wallet.html");
  await page.waitForSelector("html[data-page=ready]");
  await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=history-row]")].slice(0, 2).every((r) => r.querySelector("[data-testid=history-status]").textContent === "consumed"), null, { timeout: 30_000 });
  const routes = await page.locator("[data-testid=history-row] td:nth-child(2)").allTextContents();
  assert.match(routes[0], /^One chat reply/);
  assert.match(routes[1], /^One token analysis/);
  await page.uncheck("[data-testid=pay-with-wallet]");
  await page.selectOption("[data-testid=pay-mode]", "cbor");
  await page.click("[data-testid=limits-save]");
  assert.equal(await page.textContent("[data-testid=paid-by]"), "Paid by: demo server key");
  assertClean([ALLOW_402]);
  await page.close();
});

test("the prepaid balance is looked up for the wallet's address", async () => {
  const { page, assertClean } = await openWallet();
  await connectSandbox(page);
  await page.fill("[data-testid=balance-partner]", "demo-partner");
  await page.click("[data-testid=balance-submit]");
  await page.waitForFunction(() => /^Prepaid balance/.test(document.getElementById("balance-result").textContent));
  assert.match(await page.textContent("[data-testid=balance-result]"), /^Prepaid balance: 0 ADA with partner demo-partner \(sandbox/);
  assertClean();
  await page.close();
});

test("disconnecting forgets the wallet", async () => {
  const { page, assertClean } = await openWallet();
  await connectSandbox(page);
  await page.click("[data-testid=wallet-disconnect]");
  assert.ok(await page.isVisible("[data-testid=connected-empty]"));
  assert.ok(await page.isDisabled("[data-testid=try-pay]"));
  await page.reload();
  await page.waitForSelector("html[data-page=ready]");
  assert.ok(await page.isVisible("[data-testid=connected-empty]"));
  assertClean();
  await page.close();
});
