// The payer's confirm(quote) hook: a modal dialog that shows the invoice as
// a person reads it and resolves true only when they press Pay before it
// expires. One dialog at a time; later quotes wait their turn.
import { $, el, formatAda, shorten } from "./dom.js";

const ROUTES = [
  ["/chat", "One chat reply"],
  ["/token-analysis", "One token analysis"],
  ["/images/generate", "Image generation"],
  ["/images/upload-and-edit", "Image upload and edit"],
  ["/images/edit", "Image edit"],
];

/** "POST /t-pay/chat" → "One chat reply". */
export function routeLabel(route) {
  const path = String(route ?? "").replace(/^[A-Z]+\s+/, "").split("?")[0];
  for (const [suffix, label] of ROUTES) if (path.endsWith(suffix)) return label;
  return path ? `A call to ${path}` : "A call";
}

const NETWORKS = { mainnet: "Cardano mainnet (real ADA)", preprod: "Cardano preprod (test ADA, worth nothing)", preview: "Cardano preview (test ADA, worth nothing)" };

let queue = Promise.resolve();

/**
 * Resolves true when the person confirms quote; limits: { perPayment, left }
 * in lovelace (bigint). When signal aborts (the call was cancelled, e.g. by
 * Stop), the dialog closes and nothing is paid.
 */
export function confirmQuote(quote, limits, signal) {
  const turn = queue.then(() => (signal?.aborted ? false : ask(quote, limits, signal)));
  queue = turn.catch(() => {});
  return turn;
}

function ask(q, limits, signal) {
  const dialog = $("pay-dialog");
  const payButton = $("pay-confirm");
  const total = BigInt(q.totalLovelace ?? 0);
  $("pay-what").textContent = `${routeLabel(q.route)} — ${q.route ?? ""}`;
  $("pay-total").textContent = formatAda(total);
  $("pay-network").textContent = NETWORKS[q.network] ?? q.network ?? "";
  $("pay-fee").textContent = formatAda(q.feeLovelace ?? 0);
  $("pay-invoice").textContent = q.invoiceId ?? "";
  $("pay-outputs").replaceChildren(
    ...(q.outputs ?? []).map((o, i) =>
      el("li", {},
        el("strong", {}, formatAda(o.lovelace)), " to ",
        el("span", {}, i === 0 ? "the service" : "a split payee"), ": ",
        el("code", { title: o.address }, shorten(o.address, 14)),
      ),
    ),
  );
  // The payer refuses over-limit invoices before asking; this is a second fence.
  const over = limits && (total > limits.perPayment || total > limits.left);
  payButton.textContent = `Pay ${formatAda(total)}`;

  return new Promise((resolve) => {
    const expires = Date.parse(q.expiresAt);
    let expired = false;
    const tick = () => {
      const left = Math.max(0, Math.round((expires - Date.now()) / 1000));
      $("pay-expiry").textContent = Number.isFinite(left) ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : "unknown";
      if (left <= 0 && Number.isFinite(expires) && !expired) {
        expired = true;
        $("pay-expired").hidden = false;
        payButton.disabled = true;
        $("pay-cancel").textContent = "Close";
      }
    };
    $("pay-expired").hidden = true;
    $("pay-expired").textContent = over ? "This invoice is over your spending limit: it cannot be paid." : "This invoice has expired: nothing will be paid.";
    if (over) $("pay-expired").hidden = false;
    $("pay-cancel").textContent = "Cancel";
    payButton.disabled = Boolean(over);
    tick();
    const timer = setInterval(tick, 1000);
    const cancelled = () => dialog.close("cancel");
    signal?.addEventListener("abort", cancelled, { once: true });
    dialog.addEventListener(
      "close",
      () => {
        clearInterval(timer);
        signal?.removeEventListener("abort", cancelled);
        resolve(dialog.returnValue === "pay" && !expired && !over && !(Date.now() >= expires));
      },
      { once: true },
    );
    dialog.returnValue = "";
    dialog.showModal();
    $("pay-cancel").focus();
  });
}
