// Shared set-up for the browser tests (node --test): a serve.go instance on
// a free 127.0.0.1 port and a headless Chromium driven by playwright-core.
// The tests expect dist/ to be built (./build.sh); test.sh does that.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Starts serve.go (the binary in $SERVE_BIN when set, else `go run`) and
 * resolves with { url, stop }. Extra flags go to serve.go.
 */
export async function startServer(flags = [], env = {}) {
  const bin = process.env.SERVE_BIN;
  const args = ["-addr", "127.0.0.1:0", "-dist", path.join(root, "dist"), ...flags];
  // detached: serve.go gets its own process group, so that stop() also ends
  // the binary `go run` starts (a lingering one would keep node --test alive).
  const child = bin
    ? spawn(bin, args, { cwd: root, detached: true, env: { ...process.env, TBACKEND_API_KEY: "", ...env } })
    : spawn("go", ["run", "serve.go", ...args], { cwd: root, detached: true, env: { ...process.env, TBACKEND_API_KEY: "", ...env } });
  let log = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve.go did not start:\n${log}`)), 120_000);
    const onData = (chunk) => {
      log += chunk;
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`serve.go exited (${code}):\n${log}`)));
  });
  return {
    url,
    log: () => log,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", resolve);
      try { process.kill(-child.pid, "SIGTERM"); } catch { child.kill("SIGTERM"); }
    }),
  };
}

/** Chromium flags that keep it off the network, which this machine refuses. */
export const chromiumArgs = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Launches headless Chromium with a fresh profile; resolves with { context, close }. */
export async function startBrowser(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "tbackend-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: chromiumArgs,
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a page that records console errors, page errors and requests to any
 * host other than 127.0.0.1. Call assertClean() at the end of a test.
 */
export async function openPage(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (!["127.0.0.1", ""].includes(u.hostname) && !["data:", "blob:"].includes(u.protocol)) problems.push(`third-party request: ${r.url()}`);
  });
  if (url) await page.goto(url);
  return {
    page,
    problems,
    /** Expected errors (e.g. a deliberate 402 logged by the browser) can be filtered out. */
    assertClean(allow = []) {
      const left = problems.filter((p) => !allow.some((a) => (a instanceof RegExp ? a.test(p) : p.includes(a))));
      if (left.length) throw new Error(`page problems:\n${left.join("\n")}`);
    },
  };
}

/** Directory for screenshots and other test artefacts. */
export function artifactsDir() {
  const dir = path.join(root, "test-results");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
