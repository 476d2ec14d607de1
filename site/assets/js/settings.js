// Settings page: the mode this page runs in, the base URL and api-key
// (localStorage, with a plain warning), who pays now, and a reset.
import { app, LIVE_API } from "./app.js";
import { $, el } from "./dom.js";
import { clearError, renderError } from "./errors.js";
import { forgetAll, readSettings, saveSettings } from "./store.js";

const baseUrl = $("base-url");
const apiKey = $("api-key");
const statusLine = $("settings-status");
const errorBox = $("settings-error");

// Fill the form at once, before the SDK has loaded.
const initial = readSettings();
baseUrl.value = initial.baseUrl;
apiKey.value = initial.apiKey;

$("api-key-toggle").addEventListener("click", (e) => {
  const showing = apiKey.type === "text";
  apiKey.type = showing ? "password" : "text";
  e.target.textContent = showing ? "Show" : "Hide";
  e.target.setAttribute("aria-pressed", String(!showing));
});

const ctx = await app;
const cfg = ctx.cfg;

const MODES = {
  sandbox: "Sandbox. serve.go answers every call offline with its built-in T API: nothing reaches the real service and no real ADA moves. Calls are free through the demo server's key; with the sandbox wallet you can pay them in test ADA (preprod).",
  proxy: "Live, through serve.go. Calls to /t/ reach the live API and serve.go adds its api-key on the server, so the key never reaches this browser. Wallet payments go to the live API directly, on mainnet.",
  live: `Live. This page is served by a plain static host (no serve.go), so it talks to ${LIVE_API} directly: pay per call with a wallet (no key needed) or enter your api-key below. The sandbox exists only with serve.go.`,
};
$("mode-text").textContent = MODES[cfg.mode];
$("mode-facts").replaceChildren(
  el("li", {}, "Calls paid by the server's key go to: ", el("code", {}, cfg.keyedBaseUrl || "— (none here)")),
  el("li", {}, "Pay-per-call calls go to: ", el("code", {}, cfg.payBaseUrl)),
  el("li", {}, "Invoices are for: ", el("strong", {}, cfg.network)),
  el("li", {}, "Sandbox wallet: ", cfg.sandboxWallet ? "available (see the Wallet page)" : "not here"),
  el("li", {}, "SDK version: ", el("code", {}, ctx.sdk.version)),
);
baseUrl.placeholder = `automatic: ${ctx.defaults.payBase()}`;

function renderWhoPays() {
  const kind = ctx.billing().kind;
  for (const li of document.querySelectorAll("#who-pays-rules li")) li.toggleAttribute("data-current", li.dataset.rule === kind);
}

function validBase(url) {
  if (!url) return true;
  if (url.startsWith("/")) return !url.startsWith("//");
  try {
    const u = new URL(url);
    return (u.protocol === "https:" || u.protocol === "http:") && !u.username && !u.password;
  } catch {
    return false;
  }
}

$("settings-form").addEventListener("submit", (e) => {
  e.preventDefault();
  clearError(errorBox);
  const url = baseUrl.value.trim().replace(/\/+$/, "");
  const key = apiKey.value.trim();
  if (!validBase(url)) {
    baseUrl.setAttribute("aria-invalid", "true");
    renderError(errorBox, { message: "The base URL must be an http(s) URL such as https://api-v3.fluxpointstudios.com, or a path on this server such as /t." });
    baseUrl.focus();
    return;
  }
  baseUrl.removeAttribute("aria-invalid");
  saveSettings({ baseUrl: url, apiKey: key });
  baseUrl.value = url;
  statusLine.textContent = `Saved. Calls are now paid by ${ctx.billing().label}.`;
});

$("settings-clear").addEventListener("click", () => {
  saveSettings({ baseUrl: "", apiKey: "" });
  baseUrl.value = apiKey.value = "";
  statusLine.textContent = `The key and URL are forgotten. Calls are now paid by ${ctx.billing().label}.`;
});

$("settings-test").addEventListener("click", async () => {
  clearError(errorBox);
  const b = ctx.billing();
  statusLine.textContent = `Calling ${b.client.baseUrl}/health…`;
  try {
    const started = performance.now();
    const health = await b.client.health();
    const version = health?.version ?? health?.status ?? "";
    statusLine.textContent = `Connected to ${b.client.baseUrl} in ${Math.round(performance.now() - started)} ms${version ? ` (${version})` : ""}. Calls are paid by ${b.label}.`;
  } catch (err) {
    statusLine.textContent = "";
    renderError(errorBox, err, { billing: b });
  }
});

let armed = false;
$("reset-all").addEventListener("click", (e) => {
  if (!armed) {
    armed = true;
    e.target.textContent = "Press again to forget everything";
    return;
  }
  forgetAll();
  location.reload();
});

ctx.onChange(renderWhoPays);
renderWhoPays();
document.documentElement.dataset.page = "ready";
