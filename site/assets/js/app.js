// Boots every page: reads what the server offers (serve-config.json), shows
// the mode badge, loads the SDK once, reconnects the wallet, and decides who
// pays for each call (the rule is spelled out on the Settings page).
import { load } from "../../sdk/tbackend.js";
import { $ } from "./dom.js";
import { readSettings } from "./store.js";
import { createWallets } from "./payments.js";

export const LIVE_API = "https://api-v3.fluxpointstudios.com";

/**
 * What the server offers. serve.go answers serve-config.json itself; dist/
 * also holds a static serve-config.json saying {"mode":"live"}, so that a
 * plain static host answers it too (no 404 in the console) and the page
 * talks to the live API.
 */
async function loadConfig() {
  const live = { mode: "live", keyedBaseUrl: "", payBaseUrl: LIVE_API, network: "mainnet", sandboxWallet: "" };
  try {
    const res = await fetch(new URL("../../serve-config.json", import.meta.url), { cache: "no-store", credentials: "same-origin" });
    const c = res.ok ? await res.json() : null;
    if (c && (c.mode === "sandbox" || c.mode === "proxy")) {
      return {
        mode: c.mode,
        keyedBaseUrl: typeof c.keyedBaseUrl === "string" ? c.keyedBaseUrl : "",
        payBaseUrl: c.payBaseUrl || LIVE_API,
        network: ["mainnet", "preprod", "preview"].includes(c.network) ? c.network : "mainnet",
        sandboxWallet: c.mode === "sandbox" && typeof c.sandboxWallet === "string" ? c.sandboxWallet : "",
      };
    }
  } catch {
    // no config: live
  }
  return live;
}

function renderBadge(cfg) {
  const badge = $("mode-badge");
  badge.dataset.mode = cfg.mode;
  badge.textContent = cfg.mode === "sandbox" ? "Sandbox" : "Live";
  badge.title = {
    sandbox: "Sandbox: serve.go answers offline; payments use test ADA (preprod)",
    proxy: "Live API through serve.go's proxy, which adds its api-key on the server",
    live: "Live API, called directly from this page",
  }[cfg.mode];
}

const BILLING_LABELS = { key: "your api-key", wallet: "your wallet", server: "demo server key", none: "nobody yet" };

async function boot() {
  const cfg = await loadConfig();
  renderBadge(cfg);
  let sdk;
  try {
    sdk = await load();
  } catch (err) {
    document.documentElement.dataset.sdk = "failed";
    const banner = $("sdk-banner");
    banner.textContent = `The SDK could not be loaded, so nothing on this page can call the service: ${err?.message ?? err}`;
    banner.hidden = false;
    throw err;
  }
  $("sdk-version").textContent = "v" + sdk.version;

  let settings = readSettings();
  const clients = new Map();
  const listeners = new Set();
  const wallets = createWallets({ sdk, cfg, getSettings: () => settings, changed: () => notify() });

  /** One client per distinct configuration; a new payer makes new clients. */
  function clientFor(options) {
    const key = JSON.stringify({ ...options, payer: options.payer ? wallets.payerVersion() : 0 });
    if (!clients.has(key)) {
      clients.set(key, sdk.createClient({ ...options, apiKey: options.apiKey || undefined, timeoutMs: 120_000 }));
    }
    return clients.get(key);
  }

  const ownKeyBase = () => settings.baseUrl || (cfg.mode === "sandbox" ? LIVE_API : cfg.payBaseUrl);
  const payBase = () => settings.baseUrl || cfg.payBaseUrl;
  const payWithWallet = () => settings.payWithWallet ?? !cfg.keyedBaseUrl;

  /** Who pays, first match wins: own key, wallet (if on), serve.go's key, nobody. */
  function billing() {
    let b;
    if (settings.apiKey) b = { kind: "key", client: clientFor({ baseUrl: ownKeyBase(), apiKey: settings.apiKey }) };
    else if (wallets.payer() && payWithWallet()) b = { kind: "wallet", client: clientFor({ baseUrl: payBase(), payer: wallets.payer() }) };
    else if (cfg.keyedBaseUrl) b = { kind: "server", client: clientFor({ baseUrl: cfg.keyedBaseUrl }) };
    else b = { kind: "none", client: clientFor({ baseUrl: payBase() }) };
    b.label = BILLING_LABELS[b.kind] + (b.kind === "wallet" ? ` (${wallets.current().name})` : "");
    return b;
  }

  /** Image variations are sold with an api-key only: own key, else serve.go's, else none. */
  function variationsBilling() {
    if (settings.apiKey) return { kind: "key", label: BILLING_LABELS.key, client: clientFor({ baseUrl: ownKeyBase(), apiKey: settings.apiKey }) };
    if (cfg.keyedBaseUrl) return { kind: "server", label: BILLING_LABELS.server, client: clientFor({ baseUrl: cfg.keyedBaseUrl }) };
    return null;
  }

  /** A client for the wallet page's "try a payment": always the wallet, on the pay-per-call base. */
  function walletClient() {
    const payer = wallets.payer();
    return payer ? clientFor({ baseUrl: payBase(), payer }) : null;
  }

  /** Free routes (payment status, prepaid balance): where the invoices come from. */
  function freeClient() {
    return settings.apiKey ? clientFor({ baseUrl: ownKeyBase(), apiKey: settings.apiKey }) : clientFor({ baseUrl: payBase() });
  }

  function renderPaidBy() {
    const b = billing();
    const chip = $("paid-by");
    chip.textContent = "Paid by: " + b.label;
    chip.dataset.kind = b.kind;
    chip.title = b.kind === "none" ? "Paid calls need a wallet or an api-key: see Settings" : "Who pays for calls from this page (see Settings)";
  }

  function notify() {
    renderPaidBy();
    for (const fn of listeners) fn();
  }

  window.addEventListener("tbackend-settings", () => {
    settings = readSettings();
    wallets.settingsChanged();
    notify();
  });

  await wallets.reconnect();
  renderPaidBy();
  document.documentElement.dataset.sdk = "ready";

  return Object.freeze({
    sdk,
    cfg,
    settings: () => settings,
    billing,
    variationsBilling,
    walletClient,
    freeClient,
    payWithWallet,
    wallets,
    defaults: { ownKeyBase, payBase },
    /** Calls fn whenever who-pays, the wallet or the settings change. */
    onChange(fn) {
      listeners.add(fn);
    },
  });
}

/** The booted app; page modules await it before they call the service. */
export const app = boot();
app.catch(() => {}); // the banner already says it; don't log it twice
