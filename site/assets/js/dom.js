// Small DOM and formatting helpers shared by the pages. Everything that
// comes from a server is put into the page as text (never as HTML).

export const $ = (id) => document.getElementById(id);

/**
 * el("p", { class: "x", "data-testid": "y" }, "text", child) creates an
 * element. Attribute values false/null/undefined are left out, true gives an
 * empty attribute; strings and numbers among the children become text nodes.
 */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG elements. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, children);
}

function build(node, attrs = {}, children = []) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Shows or hides an element (the hidden attribute). */
export function show(node, visible = true) {
  node.hidden = !visible;
}

const LOVELACE = 1_000_000n;

/** Lovelace (string, number or bigint) as "1,234.5 ADA". */
export function formatAda(lovelace, { unit = true } = {}) {
  let v;
  try {
    v = BigInt(lovelace);
  } catch {
    return String(lovelace);
  }
  const neg = v < 0n;
  if (neg) v = -v;
  const whole = (v / LOVELACE).toLocaleString("en-US");
  const frac = (v % LOVELACE).toString().padStart(6, "0").replace(/0+$/, "");
  return (neg ? "−" : "") + whole + (frac ? "." + frac : "") + (unit ? " ADA" : "");
}

/** "2.5" ADA as lovelace (bigint), or null when it is not an amount. */
export function adaToLovelace(text) {
  const m = /^\s*(\d{1,12})(?:[.,](\d{1,6}))?\s*$/.exec(String(text ?? ""));
  if (!m) return null;
  return BigInt(m[1]) * LOVELACE + BigInt((m[2] ?? "").padEnd(6, "0") || "0");
}

/** A long hex or bech32 string shortened in the middle. */
export function shorten(s, keep = 10) {
  s = String(s ?? "");
  return s.length <= keep * 2 + 1 ? s : s.slice(0, keep) + "…" + s.slice(-keep + 2);
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A number for people: compact for big values, significant digits for tiny ones. */
export function formatNumber(x, { currency = false, percent = false } = {}) {
  if (typeof x !== "number" || !Number.isFinite(x)) return x === undefined || x === null ? "–" : String(x);
  const abs = Math.abs(x);
  const opts = {};
  if (abs >= 1e6) Object.assign(opts, { notation: "compact", maximumFractionDigits: 2 });
  else if (abs >= 1) opts.maximumFractionDigits = 2;
  else if (abs > 0) opts.maximumSignificantDigits = 3;
  const s = x.toLocaleString("en-US", opts);
  if (percent) return (x > 0 ? "+" : "") + s + " %";
  return currency ? "$" + s : s;
}

export function formatTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** A random id for sessions and requests. */
export function randomId() {
  return crypto.randomUUID();
}

/** Bytes of a base64 data URI or bare base64 string as a Blob. */
export function base64ToBlob(b64, type = "image/png") {
  const m = /^data:([^;,]+)?(?:;[^,]*)?,(.*)$/s.exec(b64);
  if (m) {
    type = m[1] || type;
    b64 = m[2];
  }
  const bin = atob(b64.replace(/\s+/g, ""));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}
