// Token analysis page against the sandbox: presets, v1 and v2 reports as
// cards with an SVG gauge, the cache switch, raw JSON, and form checks.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openReady, startSite } from "../internal/e2e/site-helpers.mjs";

let site;
before(async () => (site = await startSite()));
after(() => site?.close());

const ready = (page) => page.waitForFunction(() => /^Report ready/.test(document.getElementById("token-status").textContent), null, { timeout: 20_000 });

test("a v2 analysis of a preset shows risk gauge, market table, data quality and raw JSON", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/tokens.html");
  await page.click("[data-testid=preset-SNEK]");
  assert.equal(await page.inputValue("#token-policy"), "279c909f348e533da5808898f87f9a14bb2c3dfbbacccd631d927a3f");
  assert.equal(await page.inputValue("#token-asset"), "534e454b");
  assert.equal(await page.getAttribute("[data-testid=preset-SNEK]", "aria-pressed"), "true");
  await page.click("[data-testid=token-submit]");
  await ready(page);
  assert.match(await page.textContent("[data-testid=report-title]"), /^SNEK · Snek/);
  assert.equal(await page.textContent("[data-testid=report-version]"), "v2");

  const gauge = page.locator("[data-testid=risk-gauge]");
  assert.equal(await gauge.evaluate((n) => n.namespaceURI), "http://www.w3.org/2000/svg");
  assert.match(await gauge.getAttribute("aria-label"), /^Risk score \d+ of 100: (low|medium|high)$/);
  const raw = JSON.parse(await page.textContent("[data-testid=raw-json]"));
  assert.equal(await page.textContent("[data-testid=risk-level]"), raw.risk_engine.level);
  assert.ok(await gauge.locator(`path.gauge-value.${raw.risk_engine.level}`).count() === 1);
  assert.equal(await page.locator("[data-testid=risk-card] meter").count(), raw.risk_engine.factors.length);

  const market = await page.locator("[data-testid=market-card] tr").allTextContents();
  assert.ok(market.some((r) => r.startsWith("Price (USD)$0.0025")), market.join(" | "));
  assert.ok(market.some((r) => r.startsWith("Holders")));
  assert.match(await page.textContent("[data-testid=quality-card]"), /Score40 \/ 100.*Sourcessandbox/);
  assert.ok(await page.isVisible("[data-testid=pools-card]"));
  assert.ok(await page.isVisible("[data-testid=security-card]"));

  // Raw JSON stays behind its toggle until asked for.
  assert.ok(await page.isHidden("[data-testid=raw-json]"));
  await page.click("[data-testid=raw-toggle] summary");
  assert.ok(await page.isVisible("[data-testid=raw-json]"));
  assert.equal(raw.token.ticker, "SNEK");
  assertClean();
  await page.close();
});

test("v1 reports render too, and bypass-cache asks for a fresh report", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/tokens.html");
  await page.click("[data-testid=preset-MIN]");
  await page.check("[data-testid=token-v1]");
  await page.click("[data-testid=token-submit]");
  await ready(page);
  assert.equal(await page.textContent("[data-testid=report-version]"), "v1");
  assert.ok(await page.isVisible("[data-testid=summary-card]"));
  const raw = JSON.parse(await page.textContent("[data-testid=raw-json]"));
  assert.equal(raw.api_version, "1");
  assert.equal(await page.textContent("[data-testid=risk-level]"), raw.riskLevel);

  // Same report again: from the cache; with bypass: fresh.
  await page.click("[data-testid=token-submit]");
  await page.waitForFunction(() => document.querySelector("[data-testid=report-cache]")?.textContent === "cached");
  await page.check("[data-testid=token-bypass]");
  await page.click("[data-testid=token-submit]");
  await page.waitForFunction(() => document.querySelector("[data-testid=report-cache]")?.textContent === "fresh");
  assertClean();
  await page.close();
});

test("every preset is a token the service knows", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/tokens.html");
  for (const ticker of ["SNEK", "HOSKY", "MIN", "iUSD", "WMT"]) {
    await page.click(`[data-testid=preset-${ticker}]`);
    await page.click("[data-testid=token-submit]");
    await page.waitForFunction((t) => document.querySelector("[data-testid=report-title]")?.textContent.startsWith(t + " "), ticker);
  }
  assertClean();
  await page.close();
});

test("the form explains bad input and unknown tokens", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/tokens.html");
  await page.click("[data-testid=token-submit]");
  assert.match(await page.textContent("[data-testid=token-error]"), /Enter a token/);
  await page.fill("#token-policy", "abc");
  await page.click("[data-testid=token-submit]");
  assert.match(await page.textContent("[data-testid=token-error]"), /56 hex characters/);
  assert.equal(await page.getAttribute("#token-policy", "aria-invalid"), "true");
  assert.equal(await page.evaluate(() => document.activeElement.id), "token-policy");
  await page.fill("#token-policy", "");
  await page.fill("#token-ticker", "NOSUCHTOKEN");
  await page.click("[data-testid=token-submit]");
  await page.waitForSelector("[data-testid=token-error]:not([hidden])");
  await page.waitForFunction(() => /404/.test(document.querySelector("[data-testid=token-error]").textContent));
  assert.match(await page.textContent("[data-testid=token-error]"), /Token not found/);
  // Chromium logs the 404 answer itself.
  assertClean([/status of 404/]);
  await page.close();
});
