// Turns SDK failures into messages a person can act on. The SDK's own
// message is already a sentence; this adds what to do about it here.
import { el, formatAda, show } from "./dom.js";

const LIMITS = "The service takes images up to 25 MB each and 4096 × 4096 pixels.";

/** { title, detail, hint, links: [[label, href]], requestId } for err. */
export function explain(err, { billing, during } = {}) {
  const code = err?.code ?? "";
  const out = { title: "Something went wrong.", detail: err?.message ?? String(err), hint: "", links: [], requestId: err?.requestId };
  const serverDetail = detailText(err?.body);
  switch (code) {
    case "payment_required": {
      const price = err.invoice?.totalLovelace ?? err.invoice?.amountLovelace;
      out.title = price ? `This call costs ${formatAda(price)}.` : "This call needs a payment.";
      out.detail = billing?.kind === "wallet" ? err.message : "No one is set to pay for it.";
      out.hint = "Connect a wallet and turn on “Pay per call with my wallet”, or enter an api-key in Settings.";
      out.links = [["Wallet", "wallet.html"], ["Settings", "settings.html"]];
      break;
    }
    case "payment_declined":
      out.title = "Payment cancelled: nothing was paid.";
      out.detail = "You declined the invoice (or it expired before you confirmed it).";
      break;
    case "budget_exceeded":
      out.title = "Over your spending limit: nothing was paid.";
      out.hint = "Raise the limits, or reset the total spent, on the Wallet page.";
      out.links = [["Wallet", "wallet.html"]];
      break;
    case "payee_not_allowed":
      out.title = "The invoice pays an address that is not on your allow-list: nothing was paid.";
      out.links = [["Wallet", "wallet.html"]];
      break;
    case "invoice_expired":
      out.title = "The invoice expired: nothing was paid. Try again for a new one.";
      break;
    case "invoice_invalid":
      out.title = "The service sent an invoice the payer refuses: nothing was paid.";
      break;
    case "network_mismatch":
      out.title = "Your wallet is on another network than the invoice: nothing was paid.";
      out.hint = "Switch the wallet's network, or use the sandbox wallet in sandbox mode.";
      break;
    case "insufficient_funds":
      out.title = "The wallet doesn't hold enough ADA for this payment.";
      break;
    case "account_changed":
      out.title = "The wallet switched to another account.";
      out.hint = "Reconnect it on the Wallet page.";
      out.links = [["Wallet", "wallet.html"]];
      break;
    case "wallet_error":
      out.title = "The wallet reported an error.";
      break;
    case "unauthorized":
      out.title = "The api-key was refused (HTTP 401).";
      out.hint = billing?.kind === "key" ? "Check the key in Settings." : "This route needs an api-key.";
      out.links = [["Settings", "settings.html"]];
      break;
    case "forbidden":
      out.title = "Not allowed (HTTP 403).";
      break;
    case "payload_too_large":
      out.title = "Too large for the service (HTTP 413).";
      out.detail = serverDetail || err.message;
      out.hint = LIMITS + " Try a smaller picture.";
      break;
    case "invalid_request":
      out.title = `The service refused the request (HTTP ${err.status || 422}).`;
      out.detail = serverDetail || err.message;
      break;
    case "not_found":
      out.title = "Not found (HTTP 404).";
      out.detail = serverDetail || err.message;
      break;
    case "rate_limited":
      out.title = "Too many requests (HTTP 429): wait a moment and try again.";
      break;
    case "server_error":
      out.title = `The service failed (HTTP ${err.status || "5xx"}) even after retrying.`;
      break;
    case "network":
      out.title = "The service could not be reached.";
      out.hint = "Check your connection, or the base URL in Settings.";
      break;
    case "timeout":
      out.title = "The service took too long to answer.";
      break;
    case "aborted":
      out.title = "Cancelled.";
      break;
    default:
      if (typeof err?.message !== "string") out.detail = String(err);
      else if (!code) out.title = ""; // a page's own message: the detail says it all
  }
  if (during === "connect" && code !== "network") {
    // Whatever code the SDK gives a refused or failed enable(), say what happened.
    out.title = "The wallet did not connect.";
    out.detail = err?.message ?? String(err);
    out.hint = "Unlock the wallet, allow this site in it, and try again.";
    out.links = [];
  }
  if (out.detail === out.title) out.detail = "";
  return out;
}

/** Text of a FastAPI-style error body: {detail: "…"} or {detail: [{loc, msg}]}. */
function detailText(body) {
  const d = body && typeof body === "object" ? body.detail : undefined;
  if (typeof d === "string") return d;
  if (Array.isArray(d)) {
    return d.map((e) => (Array.isArray(e?.loc) ? e.loc.filter((p) => p !== "body").join(".") + ": " : "") + (e?.msg ?? "")).join("; ");
  }
  if (d && typeof d === "object" && (d.reason || d.error)) return String(d.reason || d.error);
  return "";
}

/** Shows err in box (a role="alert" element). */
export function renderError(box, err, context) {
  const e = explain(err, context);
  const parts = [
    e.title ? el("p", {}, el("strong", {}, e.title)) : null,
    e.detail ? el("p", {}, e.detail) : null,
    e.hint || e.links.length
      ? el("p", {}, e.hint, " ", e.links.map(([label, href], i) => [i ? " · " : "", el("a", { href }, label)]))
      : null,
    e.requestId ? el("p", { class: "rid" }, "Request id: ", el("code", {}, e.requestId)) : null,
  ];
  box.replaceChildren(...parts.filter(Boolean));
  show(box, true);
  return e;
}

export function clearError(box) {
  box.replaceChildren();
  show(box, false);
}
