// Wallet and payments page: the CIP-30 wallet picker, the connected
// wallet's network and balance, the payer's limits, a paid call through the
// confirmation dialog, the payment history with status polling, and the
// prepaid balance lookup.
import { app } from "./app.js";
import { $, adaToLovelace, el, formatAda, formatTime, randomId, shorten, show } from "./dom.js";
import { clearError, explain, renderError } from "./errors.js";
import { routeLabel } from "./confirm-dialog.js";
import { clearHistory, paymentHistory, resetSpent, saveSettings, upsertPayment } from "./store.js";

const ctx = await app;
const FINAL = new Set(["consumed", "expired", "failed", "unknown"]);
const polling = new Set();
const trySession = randomId();

// ---- wallet picker

async function listWallets() {
  const status = $("wallets-status");
  let list;
  try {
    list = await ctx.wallets.list({ timeoutMs: 1500 });
  } catch (err) {
    status.textContent = "Wallets are unavailable in this build of the SDK: " + explain(err).detail;
    return;
  }
  const current = ctx.wallets.current();
  $("wallet-list").replaceChildren(...list.map((w) => {
    const connected = current?.id === w.id;
    const button = el("button", { type: "button", class: connected ? "small secondary" : "small primary", "data-testid": `connect-${w.id}` },
      connected ? "Connected" : "Connect");
    button.disabled = connected;
    button.addEventListener("click", () => connect(w.id, button));
    return el("li", { "data-testid": "wallet-item" },
      el("img", { src: iconSrc(w.icon), alt: "", width: 40, height: 40 }),
      el("span", { class: "grow" }, el("strong", {}, w.name || w.id),
        el("small", {}, `${w.id} · CIP-30 ${w.apiVersion || "?"}`, w.id === "sandbox" ? " · test ADA only, worth nothing" : "")),
      button);
  }));
  status.textContent = list.length
    ? `${list.length} ${list.length === 1 ? "wallet" : "wallets"} found.`
    : "No CIP-30 wallet found in this browser. Install a Cardano wallet extension (Eternl, Lace, Typhon…) and reload this page.";
}

/** Wallet icons are data: or https: URLs in practice; anything else gets ours. */
function iconSrc(icon) {
  return typeof icon === "string" && /^(data:image\/|https:\/\/)/i.test(icon) ? icon : "assets/favicon.svg";
}

async function connect(id, button) {
  clearError($("wallet-error"));
  button.disabled = true;
  button.textContent = "Connecting…";
  try {
    await ctx.wallets.connect(id);
    readJournal();
  } catch (err) {
    renderError($("wallet-error"), err, { during: "connect" });
  }
  await listWallets();
  await renderConnected();
}

// ---- connected wallet

let renderSeq = 0;
async function renderConnected() {
  const seq = ++renderSeq;
  const w = ctx.wallets.current();
  show($("connected-empty"), !w);
  show($("connected"), Boolean(w));
  $("try-pay").disabled = !ctx.walletClient();
  if (!w) return;
  $("connected-name").textContent = w.name || w.id;
  $("connected-icon").src = iconSrc(w.icon);
  if (!ctx.wallets.payer() && ctx.wallets.problem()) {
    renderError($("wallet-error"), ctx.wallets.problem()); // e.g. limits the SDK refuses
  }
  try {
    const [networkId, balance, address] = await Promise.all([w.networkId(), w.balance(), w.changeAddress()]);
    if (seq !== renderSeq) return;
    const expected = ctx.cfg.network;
    const mainnet = Number(networkId) === 1;
    const agrees = mainnet === (expected === "mainnet");
    $("connected-network").textContent = (mainnet ? "Mainnet" : "Testnet") +
      (agrees ? ` (invoices here are for ${expected})` : ` — but invoices here are for ${expected}: payments will be refused`);
    $("connected-balance").textContent = formatAda(balance.lovelace) + (mainnet ? "" : " (test ADA)");
    const assets = Array.isArray(balance.assets) ? balance.assets : [];
    $("connected-assets").replaceChildren(assets.length
      ? el("span", {}, assets.slice(0, 4).map((a) => `${quantity(a.quantity)} ${assetName(a.assetName)}`).join(", "), assets.length > 4 ? ` and ${assets.length - 4} more` : "")
      : "none");
    $("connected-address").textContent = address;
    $("connected-address").title = address;
    if (!$("balance-wallet").value) $("balance-wallet").value = address;
  } catch (err) {
    if (seq === renderSeq) renderError($("wallet-error"), err);
  }
}

function quantity(q) {
  try {
    return BigInt(q).toLocaleString("en-US");
  } catch {
    return String(q);
  }
}

/** Asset names are hex; show them as text when they are printable. */
function assetName(hex) {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)));
    return /^[\x20-\x7e]+$/.test(text) ? text : shorten(hex, 6);
  } catch {
    return shorten(hex, 6);
  }
}

$("wallet-refresh").addEventListener("click", renderConnected);
$("wallet-disconnect").addEventListener("click", async () => {
  ctx.wallets.disconnect();
  await listWallets();
  await renderConnected();
  $("wallets-status").textContent = "Disconnected. The wallet is no longer used for payments.";
});

// ---- limits

function renderLimits() {
  const s = ctx.settings();
  $("pay-with-wallet").checked = ctx.payWithWallet();
  $("max-per-payment").value = s.maxPerPaymentAda;
  $("max-total").value = s.maxTotalAda;
  $("pay-mode").value = s.payMode === "submit" ? "submit" : "cbor";
  $("allowed-payto").value = (s.allowedPayTo ?? []).join("\n");
  renderSpent();
}

function renderSpent() {
  const { total, left } = ctx.wallets.limits();
  $("spent-so-far").textContent = `Paid from this browser so far: ${formatAda(total - left)} of your ${formatAda(total)} total limit (${formatAda(left)} left).` +
    (left === 0n ? " Raise the limit or reset the total to pay again." : "");
}

$("pay-with-wallet").addEventListener("change", (e) => {
  saveSettings({ payWithWallet: e.target.checked });
  $("limits-status").textContent = e.target.checked
    ? ctx.wallets.current() ? "Paid calls on every page now use your wallet." : "On: connect a wallet to pay with it."
    : "Off: the demo server's key (when there is one) pays instead.";
});

$("limits-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const per = $("max-per-payment");
  const total = $("max-total");
  const payees = $("allowed-payto").value.split(/\s+/).filter(Boolean);
  const problems = [];
  for (const f of [per, total]) {
    const ok = (adaToLovelace(f.value) ?? 0n) > 0n;
    f.toggleAttribute("aria-invalid", !ok);
    if (!ok) problems.push(`“${f.value}” is not an ADA amount above 0 (for example 2.5).`);
  }
  const badPayee = payees.find((a) => !/^addr(_test)?1[02-9ac-hj-np-z]{20,}$/.test(a));
  if (badPayee) problems.push(`“${shorten(badPayee)}” is not a Cardano address (addr1… or addr_test1…).`);
  if (problems.length) {
    $("limits-status").textContent = problems.join(" ");
    return;
  }
  saveSettings({ maxPerPaymentAda: per.value.trim(), maxTotalAda: total.value.trim(), allowedPayTo: payees, payMode: $("pay-mode").value });
  $("limits-status").textContent = "Limits saved: the payer uses them from the next payment on.";
  renderSpent();
});

$("spent-reset").addEventListener("click", () => {
  resetSpent();
  ctx.wallets.settingsChanged();
  renderSpent();
  $("limits-status").textContent = "The total spent was reset to 0.";
});

// ---- a paid call

$("try-pay").addEventListener("click", async () => {
  const client = ctx.walletClient();
  const button = $("try-pay");
  clearError($("try-error"));
  show($("try-reply"), false);
  if (!client) return;
  button.disabled = true;
  $("try-status").textContent = "Asking for an invoice…";
  try {
    const res = await client.chat({ message: "Hello from the wallet page: this reply was paid per call.", sessionId: trySession });
    $("try-reply").textContent = res.reply;
    show($("try-reply"), true);
    $("try-status").textContent = "Paid and answered. The payment is in the history below.";
    renderConnected();
  } catch (err) {
    $("try-status").textContent = "";
    renderError($("try-error"), err, { billing: { kind: "wallet" } });
  } finally {
    button.disabled = !ctx.walletClient();
    readJournal();
    renderHistory();
  }
});

// ---- history

// The payer's journal is read only when no payment is in flight: the SDK's
// journal() waits for the payment in progress, and from JavaScript that
// wait deadlocks the WebAssembly runtime. Renders in between use this copy.
let journal = [];
function readJournal() {
  try {
    journal = ctx.wallets.payer()?.journal() ?? [];
  } catch {
    journal = []; // a payer without a journal: the page's own history is enough
  }
}

function mergedHistory() {
  const rows = paymentHistory();
  for (const j of journal) {
    const row = rows.find((r) => r.invoiceId === j.invoiceId);
    if (row) {
      row.txHash ||= j.txHash;
      row.journal = j.state;
    } else {
      rows.push({ invoiceId: j.invoiceId, txHash: j.txHash, totalLovelace: j.totalLovelace, state: j.state, journal: j.state, at: Date.parse(j.expiresAt) || Date.now() });
    }
  }
  return rows.sort((a, b) => (b.at ?? 0) - (a.at ?? 0));
}

function renderHistory() {
  const rows = mergedHistory();
  show($("history"), rows.length > 0);
  show($("history-empty"), rows.length === 0);
  $("history-rows").replaceChildren(...rows.map((r) => {
    const status = r.status || r.state || "";
    return el("tr", { "data-testid": "history-row", "data-invoice": r.invoiceId },
      el("td", {}, formatTime(r.at ?? Date.now())),
      el("td", {}, routeLabel(r.route), el("br"), el("small", { class: "muted" }, el("code", {}, r.invoiceId))),
      el("td", { class: "num" }, r.totalLovelace ? formatAda(r.totalLovelace) : "–"),
      el("td", {}, el("span", { class: `state ${status}`, "data-testid": "history-status" }, status || "–"),
        r.journal ? el("small", { class: "muted" }, el("br"), `journal: ${r.journal}`) : null),
      el("td", {}, r.txHash ? el("code", { title: r.txHash, "data-testid": "history-tx" }, shorten(r.txHash, 10)) : "–"));
  }));
  for (const r of rows) poll(r);
}

/** Follows an invoice with payments.status until it settles (or for 3 minutes). */
function poll(row) {
  const id = row.invoiceId;
  const recent = Date.now() - (row.at ?? 0) < 30 * 60 * 1000;
  if (!id || polling.has(id) || FINAL.has(row.status) || !recent || ["awaiting", "declined"].includes(row.state)) return;
  polling.add(id);
  let tries = 0;
  const step = async () => {
    try {
      const st = await ctx.freeClient().payments.status(id);
      upsertPayment({ invoiceId: id, status: st.status, ...(st.txHash ? { txHash: st.txHash } : {}) });
      if (FINAL.has(st.status)) return polling.delete(id);
    } catch (err) {
      if (err?.code === "not_found") {
        upsertPayment({ invoiceId: id, status: "unknown" });
        return polling.delete(id);
      }
    }
    if (++tries < 90) setTimeout(step, 2000);
    else polling.delete(id);
  };
  step();
}

$("history-clear").addEventListener("click", () => clearHistory());
window.addEventListener("tbackend-payments", renderHistory);

// ---- prepaid balance

$("balance-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const wallet = $("balance-wallet").value.trim();
  const partner = $("balance-partner").value.trim();
  clearError($("balance-error"));
  if (!wallet) {
    $("balance-result").textContent = "Enter a wallet address (connecting a wallet fills it in).";
    $("balance-wallet").focus();
    return;
  }
  $("balance-result").textContent = "Looking up…";
  try {
    const res = await ctx.freeClient().payments.balance({ wallet, ...(partner ? { partner } : {}) });
    const lovelace = res?.balanceLovelace ?? res?.balance_lovelace;
    $("balance-result").textContent = lovelace !== undefined
      ? `Prepaid balance: ${formatAda(lovelace)}${partner ? ` with partner ${partner}` : ""}${res.sandbox ? " (sandbox: prepaid balances are always 0)" : ""}.`
      : `Answer: ${JSON.stringify(res)}`;
  } catch (err) {
    $("balance-result").textContent = "";
    renderError($("balance-error"), err);
  }
});

ctx.onChange(() => {
  renderConnected();
  renderSpent();
  renderHistory();
});
renderLimits();
readJournal();
renderHistory();
await listWallets();
await renderConnected();
setTimeout(listWallets, 3000); // extensions that inject late
document.documentElement.dataset.page = "ready";
