// Quality gates for every page: screenshots at 390 and 1280 px, no
// horizontal scrolling down to 360 px, axe-core without serious or critical
// violations, the first-load transfer budget (wasm excluded, brotli as
// served), keyboard navigation, and a 404 page that works anywhere.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { artifactsDir } from "../internal/e2e/harness.mjs";
import { PAGES, axeViolations, firstLoadTransfer, openReady, png, screenshot, startSite } from "../internal/e2e/site-helpers.mjs";

const BUDGET = 100 * 1000; // bytes, every response of a first load except the .wasm
let site;
before(async () => (site = await startSite()));
after(() => site?.close());

/** Puts each page in a state with content, so that checks see more than the empty form. */
const populate = {
  async chat(page) {
    await page.getByRole("button", { name: "Use a tool to analyse the SNEK token" }).click();
    await page.waitForFunction(() => document.getElementById("chat-status").textContent === "Reply complete.", null, { timeout: 20_000 });
    await page.locator("[data-testid=reasoning] summary").last().click();
  },
  async tokens(page) {
    await page.click("[data-testid=preset-SNEK]");
    await page.click("[data-testid=token-submit]");
    await page.waitForSelector("[data-testid=risk-gauge]");
  },
  async images(page) {
    await page.fill("#image-prompt", "a lighthouse in a storm");
    await page.selectOption("#image-size", "256x256");
    await page.selectOption("#image-count", "2");
    await page.click("[data-testid=image-submit]");
    await page.waitForFunction(() => document.querySelectorAll("#gallery img").length === 2 && [...document.querySelectorAll("#gallery img")].every((i) => i.complete));
    await page.check("[data-testid=op-edit]");
    await page.setInputFiles("[data-testid=image-files]", { name: "input.png", mimeType: "image/png", buffer: png(64, 64, [200, 80, 40]) });
  },
  async wallet(page) {
    await page.waitForSelector("html[data-page=ready]");
    const connect = page.locator("[data-testid=connect-sandbox]");
    if (await connect.count()) {
      await connect.click();
      await page.waitForSelector("[data-testid=connected]:not([hidden])");
      await page.waitForFunction(() => /ADA/.test(document.getElementById("connected-balance").textContent));
    }
  },
  async settings(page) {
    await page.waitForSelector("html[data-page=ready]");
  },
};

for (const [name, pagePath] of Object.entries(PAGES)) {
  test(`${name}: screenshots, no sideways scrolling, no serious axe violations`, async () => {
    const { page, assertClean } = await openReady(site.context, site.url + pagePath);
    await page.setViewportSize({ width: 1280, height: 900 });
    await populate[name](page);
    for (const width of [1280, 390, 360]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(100);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px at ${width}px`);
      if (width !== 360) {
        await screenshot(page, `page-${name}-${width}.png`);
        assert.deepEqual(await axeViolations(page), [], `axe at ${width}px`);
      }
    }
    assertClean();
    await page.close();
  });
}

test("first-load transfer of every page is under 100 KB (wasm excluded, brotli as served)", async () => {
  const report = {};
  for (const [name, pagePath] of Object.entries(PAGES)) {
    const { total, entries } = await firstLoadTransfer(site.context, site.url + pagePath);
    report[name] = { totalBytes: total, kb: +(total / 1000).toFixed(1), responses: entries.map((e) => `${new URL(e.url).pathname} ${e.encoding || "identity"} ${e.bytes}`) };
    for (const e of entries) {
      const p = new URL(e.url).pathname;
      // dist/ files come precompressed; serve.go's sandbox wallet module is not part of dist/.
      if (!p.startsWith("/sandbox/") && (/\.(html|js|css|svg)$/.test(p) || p === "/")) assert.equal(e.encoding, "br", `${p} is served with brotli`);
    }
    assert.ok(entries.some((e) => e.url.endsWith("/sdk/tbackend.js")), "the SDK loader is counted");
    assert.ok(total < BUDGET, `${name}: ${total} bytes`);
  }
  fs.writeFileSync(path.join(artifactsDir(), "first-load-transfer.json"), JSON.stringify(report, null, 2));
  console.log(Object.entries(report).map(([n, r]) => `${n}: ${r.kb} KB`).join(", "));
});

test("every page is reachable from the navigation by keyboard", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/");
  for (const [label, file] of [["Tokens", "tokens.html"], ["Images", "images.html"], ["Wallet", "wallet.html"], ["Settings", "settings.html"], ["Chat", "index.html"]]) {
    let found = false;
    for (let i = 0; i < 12 && !found; i++) {
      await page.keyboard.press("Tab");
      found = await page.evaluate((l) => document.activeElement?.closest("nav")?.textContent !== undefined && document.activeElement.textContent === l, label);
    }
    assert.ok(found, `Tab reaches ${label}`);
    await Promise.all([page.waitForURL(`**/${file}`), page.keyboard.press("Enter")]);
    await page.waitForSelector("html[data-sdk=ready]");
    assert.equal(await page.getAttribute(`nav a[aria-current=page]`, "href"), file);
    assert.ok(await page.isVisible("[data-testid=mode-badge]"));
  }
  assertClean();
  await page.close();
});

test("a missing page answers 404 with the site's frame", async () => {
  const { page, problems } = await openReady(site.context, site.url + "/no/such/page").catch(async () => ({}));
  assert.ok(page, "the 404 page boots the SDK");
  assert.equal(await page.textContent("h1"), "Page not found");
  assert.equal(await page.textContent("[data-testid=mode-badge]"), "Sandbox");
  const res = await page.goto(site.url + "/no/such/page");
  assert.equal(res.status(), 404);
  assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
  await page.close();
});
