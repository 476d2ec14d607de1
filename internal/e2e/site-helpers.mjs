// Helpers for the demo site's browser tests (site/*.test.mjs), on top of
// harness.mjs: a server and browser per test file, pages opened once the
// SDK is ready, PNG fixtures, an axe-core run, and first-load transfer.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { artifactsDir, openPage, root, startBrowser, startServer } from "./harness.mjs";

/** The only console error allowed in payment flows: Chromium logs every 402 answer. */
export const ALLOW_402 = /Failed to load resource: the server responded with a status of 402/;

/** Pages of the demo: name → path. */
export const PAGES = { chat: "/", tokens: "/tokens.html", images: "/images.html", wallet: "/wallet.html", settings: "/settings.html" };

/**
 * Starts serve.go (flags passed on) and a headless Chromium; resolves with
 * { url, server, context, close }. Call close() in after(). $DIST (as for
 * build.sh) serves another built folder than dist/, so that a run is not
 * disturbed by a rebuild of the shared checkout.
 */
export async function startSite({ flags = [], env = {}, browser = {} } = {}) {
  ensureServeBinary();
  const dist = process.env.DIST ? ["-dist", path.resolve(root, process.env.DIST)] : [];
  const server = await startServer([...dist, ...flags], env);
  const b = await startBrowser(browser);
  return {
    url: server.url,
    server,
    context: b.context,
    async close() {
      await b.close();
      await server.stop();
    },
  };
}

/**
 * Builds serve.go once into a temporary binary unless $SERVE_BIN names one:
 * SIGTERM to `go run` leaves the compiled child running, whose open stdout
 * then keeps node --test from exiting.
 */
function ensureServeBinary() {
  if (process.env.SERVE_BIN) return;
  const bin = path.join(os.tmpdir(), `tbackend-site-serve-${process.pid}`);
  execFileSync("go", ["build", "-o", bin, "serve.go"], { cwd: root, stdio: "inherit" });
  process.env.SERVE_BIN = bin;
  process.on("exit", () => fs.rmSync(bin, { force: true }));
}

/**
 * Opens url and waits until the page's SDK is loaded (html[data-sdk=ready])
 * and, when page modules mark it, the page itself (html[data-page=ready]).
 * Returns harness.openPage's { page, problems, assertClean }.
 */
export async function openReady(context, url, { waitPage = false } = {}) {
  const p = await openPage(context);
  await p.page.goto(url);
  await p.page.waitForSelector("html[data-sdk=ready]", { timeout: 30_000 });
  if (waitPage) await p.page.waitForSelector("html[data-page=ready]", { timeout: 30_000 });
  return p;
}

/** A PNG of width × height in one colour (rgb: [r, g, b]); large sizes stay small in bytes. */
export function png(width, height, rgb = [40, 120, 200]) {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

let crcTable;
function crc32(buf) {
  crcTable ??= Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Runs axe-core in page and returns its serious and critical violations
 * as readable lines. axe is evaluated through the DevTools protocol, which
 * the page's Content-Security-Policy does not restrict.
 */
export async function axeViolations(page, { exclude = [] } = {}) {
  const source = fs.readFileSync(path.join(root, "node_modules/axe-core/axe.min.js"), "utf8");
  await page.evaluate(source);
  const result = await page.evaluate(async (exclude) => {
    const r = await globalThis.axe.run({ exclude }, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  }, exclude);
  return result
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.join(", ")})`);
}

/**
 * Loads url in a fresh page with an empty cache and sums the bytes
 * transferred (headers and encoded bodies, as served: brotli) of every
 * response except .wasm files. Resolves with { total, entries }.
 */
export async function firstLoadTransfer(context, url, { settle = "html[data-sdk=ready]" } = {}) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.clearBrowserCache");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const urls = new Map();
  const sizes = new Map();
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, { url: e.response.url, encoding: e.response.headers["content-encoding"] ?? e.response.headers["Content-Encoding"] ?? "" }));
  cdp.on("Network.loadingFinished", (e) => sizes.set(e.requestId, e.encodedDataLength));
  await page.goto(url);
  await page.waitForSelector(settle, { timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  const entries = [];
  for (const [id, info] of urls) {
    if (new URL(info.url).pathname.endsWith(".wasm")) continue;
    entries.push({ ...info, bytes: sizes.get(id) ?? 0 });
  }
  await page.close();
  return { total: entries.reduce((s, e) => s + e.bytes, 0), entries };
}

/** Saves a screenshot (full page unless fullPage: false) into test-results/ and returns its path. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  const file = path.join(artifactsDir(), name);
  await page.screenshot({ path: file, fullPage });
  return file;
}

const STATIC_TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml", ".wasm": "application/wasm", ".ts": "text/plain" };

/**
 * Serves a built dist folder like a plain static host would: files only,
 * no serve-config.json route, no sandbox, no Content-Security-Policy.
 * Resolves with { url, close }.
 */
export async function startStaticHost(dir = process.env.DIST ? path.resolve(root, process.env.DIST) : path.join(root, "dist")) {
  const http = await import("node:http");
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      return res.end("not found");
    }
    res.writeHead(200, { "Content-Type": STATIC_TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}
