// What the demo keeps in this browser (localStorage, keys "tbackend-demo:*"):
// settings, the spent total that the payer's total cap counts against
// across reloads, and the payment history. The SDK keeps its own payment
// journal under its own keys; nothing here touches it.

const PREFIX = "tbackend-demo:";

export const DEFAULT_SETTINGS = Object.freeze({
  baseUrl: "",
  apiKey: "",
  payWithWallet: null, // null: on when serve.go offers no key of its own
  walletId: "",
  maxPerPaymentAda: "5",
  maxTotalAda: "25",
  allowedPayTo: [],
  payMode: "cbor",
});

function read(name, fallback) {
  try {
    const raw = localStorage.getItem(PREFIX + name);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

function write(name, value) {
  try {
    localStorage.setItem(PREFIX + name, JSON.stringify(value));
  } catch {
    // Storage off (private mode, quota): the value lasts for this page only.
  }
}

export function readSettings() {
  const s = read("settings", {});
  return { ...DEFAULT_SETTINGS, ...(s && typeof s === "object" ? s : {}) };
}

/** Merges patch into the settings and tells the page (event "tbackend-settings"). */
export function saveSettings(patch) {
  const next = { ...readSettings(), ...patch };
  write("settings", next);
  window.dispatchEvent(new CustomEvent("tbackend-settings", { detail: next }));
  return next;
}

/** Lovelace paid from this browser since the last reset (bigint). */
export function spentLovelace() {
  try {
    return BigInt(read("spent", "0"));
  } catch {
    return 0n;
  }
}

export function addSpent(lovelace) {
  write("spent", (spentLovelace() + BigInt(lovelace)).toString());
}

export function resetSpent() {
  write("spent", "0");
}

/** Payment history, newest first: { invoiceId, route, totalLovelace, feeLovelace, txHash, state, status, at }. */
export function paymentHistory() {
  const list = read("payments", []);
  return Array.isArray(list) ? list : [];
}

/** Adds or updates the entry with the same invoiceId; tells the page ("tbackend-payments"). */
export function upsertPayment(entry) {
  const list = paymentHistory();
  const i = list.findIndex((p) => p.invoiceId === entry.invoiceId);
  if (i >= 0) list[i] = { ...list[i], ...entry };
  else list.unshift({ at: Date.now(), ...entry });
  write("payments", list.slice(0, 100));
  window.dispatchEvent(new CustomEvent("tbackend-payments"));
}

export function clearHistory() {
  write("payments", []);
  window.dispatchEvent(new CustomEvent("tbackend-payments"));
}

/** Per-browser sandbox wallet account, so that visitors don't share coins. */
export function sandboxAccount() {
  let account = read("sandbox-account", "");
  if (!/^[a-z0-9-]{1,40}$/.test(account)) {
    account = "demo-" + crypto.randomUUID().slice(0, 8);
    write("sandbox-account", account);
  }
  return account;
}

/** Forgets everything the demo stored (not the SDK's payment journal). */
export function forgetAll() {
  for (const store of [localStorage, sessionStorage]) {
    try {
      for (const key of Object.keys(store)) if (key.startsWith(PREFIX)) store.removeItem(key);
    } catch {
      // nothing stored
    }
  }
}

/** sessionStorage JSON for state that should survive a reload of one tab. */
export function readSession(name, fallback) {
  try {
    const raw = sessionStorage.getItem(PREFIX + name);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

export function writeSession(name, value) {
  try {
    sessionStorage.setItem(PREFIX + name, JSON.stringify(value));
  } catch {
    // too big or storage off: the conversation lasts for this page only
  }
}
