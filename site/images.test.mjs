// Images page against the sandbox: generate with a progress indicator and
// downloads, edit from the picker and from drag-and-drop, upload-and-edit,
// variations through the demo server's key, and the 413 and size messages.
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, test } from "node:test";
import { openReady, png, startSite } from "../internal/e2e/site-helpers.mjs";

let site;
before(async () => (site = await startSite()));
after(() => site?.close());

const done = (page) => page.waitForFunction(() => /images? in [\d.]+ s/.test(document.getElementById("image-status").textContent), null, { timeout: 30_000 });
const PNG_MAGIC = "89504e470d0a1a0a";

async function dropFiles(page, selector, files) {
  await page.evaluate(([sel, list]) => {
    const data = new DataTransfer();
    for (const f of list) data.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: "image/png" }));
    const target = document.querySelector(sel);
    for (const type of ["dragenter", "dragover", "drop"]) target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
  }, [selector, files.map((f) => ({ name: f.name, b64: f.buffer.toString("base64") }))]);
}

test("generate shows progress, fills the gallery and downloads a PNG", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/images.html");
  // Record the progress indicator appearing, however briefly.
  await page.evaluate(() => {
    window.__progressShown = false;
    new MutationObserver(() => {
      if (!document.getElementById("image-progress").hidden) window.__progressShown = true;
    }).observe(document.getElementById("image-progress"), { attributes: true });
  });
  await page.fill("#image-prompt", "a calm blue lake at dawn");
  await page.selectOption("#image-size", "256x256");
  await page.selectOption("#image-count", "2");
  await page.click("[data-testid=image-submit]");
  await done(page);
  assert.equal(await page.evaluate(() => window.__progressShown), true, "progress shown while waiting");
  assert.ok(await page.isHidden("[data-testid=image-progress]"));
  const items = page.locator("[data-testid=gallery-item]");
  assert.equal(await items.count(), 2);
  const img = items.first().locator("img");
  assert.match(await img.getAttribute("src"), /^blob:/);
  assert.match(await img.getAttribute("alt"), /Generate result \d: a calm blue lake at dawn/);
  await page.waitForFunction(() => [...document.querySelectorAll("#gallery img")].every((i) => i.complete && i.naturalWidth === 256));

  const [download] = await Promise.all([page.waitForEvent("download"), items.first().locator("[data-testid=download]").click()]);
  assert.match(download.suggestedFilename(), /^tbackend-generate-\d+-\d\.png$/);
  const bytes = fs.readFileSync(await download.path());
  assert.equal(bytes.subarray(0, 8).toString("hex"), PNG_MAGIC);
  assertClean();
  await page.close();
});

test("edit takes several pictures from the picker and from drag-and-drop", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/images.html");
  await page.check("[data-testid=op-edit]");
  assert.ok(await page.isVisible("[data-testid=dropzone]"));
  await page.setInputFiles("[data-testid=image-files]", [
    { name: "red.png", mimeType: "image/png", buffer: png(64, 64, [220, 30, 30]) },
    { name: "green.png", mimeType: "image/png", buffer: png(64, 64, [30, 200, 60]) },
  ]);
  await dropFiles(page, "[data-testid=dropzone]", [{ name: "dropped.png", buffer: png(48, 48, [250, 250, 250]) }]);
  assert.equal(await page.locator("[data-testid=input-thumb]").count(), 3);
  assert.match(await page.textContent("[data-testid=image-inputs]"), /dropped\.png/);
  await page.fill("#image-prompt", "invert the colours");
  await page.selectOption("#image-count", "3");
  await page.click("[data-testid=image-submit]");
  await done(page);
  assert.equal(await page.locator("[data-testid=gallery-item]").count(), 3);
  // The sandbox really inverts: red (220,30,30) becomes (35,225,225).
  const pixel = await page.evaluate(async () => {
    const imgs = [...document.querySelectorAll("#gallery img")];
    const last = imgs[imgs.length - 1]; // oldest of the batch = first result, from red.png
    await last.decode();
    const c = document.createElement("canvas");
    c.width = last.naturalWidth;
    c.height = last.naturalHeight;
    const g = c.getContext("2d");
    g.drawImage(last, 0, 0);
    return [...g.getImageData(5, 5, 1, 1).data.slice(0, 3)];
  });
  assert.deepEqual(pixel, [35, 225, 225]);
  assertClean();
  await page.close();
});

test("upload-and-edit sends a multipart upload; a result can be edited again", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/images.html");
  await page.check("[data-testid=op-upload]");
  let multipart = false;
  page.on("request", (r) => r.url().endsWith("/images/upload-and-edit") && (multipart = /multipart\/form-data/.test(r.headers()["content-type"] ?? "")));
  await page.setInputFiles("[data-testid=image-files]", { name: "photo.png", mimeType: "image/png", buffer: png(40, 30, [90, 90, 200]) });
  await page.fill("#image-prompt", "grayscale");
  await page.click("[data-testid=image-submit]");
  await done(page);
  assert.equal(multipart, true);
  assert.equal(await page.locator("[data-testid=gallery-item]").count(), 1);
  await page.click("[data-testid=gallery-item] [data-testid=reuse]");
  assert.equal(await page.locator("[data-testid=input-thumb]").count(), 2, "the result joins the inputs");
  assertClean();
  await page.close();
});

test("variations work through the demo server's key in sandbox mode", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/images.html");
  await page.check("[data-testid=op-variations]");
  await page.waitForSelector("[data-testid=op-unavailable]:not([hidden])");
  assert.match(await page.textContent("[data-testid=op-unavailable]"), /paid by demo server key/);
  assert.ok(await page.isHidden("#prompt-field"));
  await page.setInputFiles("[data-testid=image-files]", { name: "one.png", mimeType: "image/png", buffer: png(32, 32, [200, 100, 0]) });
  await page.selectOption("#image-count", "2");
  await page.click("[data-testid=image-submit]");
  await done(page);
  assert.equal(await page.locator("[data-testid=gallery-item]").count(), 2);
  assertClean();
  await page.close();
});

test("too large: the size check refuses before upload, and a 413 is explained", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/images.html");
  await page.check("[data-testid=op-edit]");
  await page.setInputFiles("[data-testid=image-files]", { name: "huge.png", mimeType: "image/png", buffer: Buffer.alloc(26 * 1024 * 1024) });
  assert.match(await page.textContent("[data-testid=image-error]"), /huge\.png.*the limit is 25 MB per picture.*Nothing was uploaded/);
  assert.equal(await page.locator("[data-testid=input-thumb]").count(), 0);

  // Small in bytes but over the service's 4096×4096 pixels: HTTP 413.
  await page.setInputFiles("[data-testid=image-files]", { name: "wide.png", mimeType: "image/png", buffer: png(5000, 4000) });
  await page.fill("#image-prompt", "sepia");
  await page.click("[data-testid=image-submit]");
  await page.waitForSelector("[data-testid=image-error]:not([hidden])", { timeout: 30_000 });
  const text = await page.textContent("[data-testid=image-error]");
  assert.match(text, /Too large for the service \(HTTP 413\)/);
  assert.match(text, /4096 × 4096 pixels/);
  // Chromium logs the deliberate 413 answer.
  assertClean([/status of 413/]);
  await page.close();
});

test("an empty prompt or missing picture is explained before any call", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/images.html");
  await page.click("[data-testid=image-submit]");
  assert.match(await page.textContent("[data-testid=image-error]"), /Write a prompt first/);
  await page.check("[data-testid=op-edit]");
  await page.fill("#image-prompt", "mirror");
  await page.click("[data-testid=image-submit]");
  assert.match(await page.textContent("[data-testid=image-error]"), /Add a picture first/);
  assertClean();
  await page.close();
});
