// Token analysis page: presets of real Cardano tokens, v1/v2, bypass-cache,
// and the report as cards (risk gauge, market table, data quality, raw JSON).
import { app } from "./app.js";
import { $, el, formatNumber, show } from "./dom.js";
import { clearError, renderError } from "./errors.js";
import { levelOf, riskGauge } from "./gauge.js";

const form = $("token-form");
const fields = { token: $("token-ticker"), policyId: $("token-policy"), assetNameHex: $("token-asset"), network: $("token-network") };
const presets = [...document.querySelectorAll(".preset")];
const statusLine = $("token-status");
const errorBox = $("token-error");
const result = $("token-result");
const submit = $("token-submit");

function pick(button) {
  for (const b of presets) b.setAttribute("aria-pressed", String(b === button));
  fields.token.value = button.dataset.ticker;
  fields.policyId.value = button.dataset.policy;
  fields.assetNameHex.value = button.dataset.asset;
  fields.network.value = "cardano";
  for (const f of Object.values(fields)) f.removeAttribute("aria-invalid");
}

for (const b of presets) b.addEventListener("click", () => pick(b));
for (const f of [fields.token, fields.policyId, fields.assetNameHex]) {
  f.addEventListener("input", () => presets.forEach((b) => b.setAttribute("aria-pressed", "false")));
}

/** The request from the form, or a list of problems. */
function readForm() {
  const req = {
    token: fields.token.value.trim(),
    policyId: fields.policyId.value.trim().toLowerCase(),
    assetNameHex: fields.assetNameHex.value.trim().toLowerCase(),
    network: fields.network.value,
    apiVersion: form.elements.apiVersion.value || "2",
  };
  const problems = [];
  const bad = (field, text) => {
    field.setAttribute("aria-invalid", "true");
    problems.push(text);
  };
  for (const f of Object.values(fields)) f.removeAttribute("aria-invalid");
  if (!req.token && !req.policyId) bad(fields.token, "Enter a token (ticker or name) or a policy id, or pick a preset.");
  if (req.policyId && !/^[0-9a-f]{56}$/.test(req.policyId)) bad(fields.policyId, "The policy id must be 56 hex characters.");
  if (req.assetNameHex && !/^(?:[0-9a-f]{2}){1,32}$/.test(req.assetNameHex)) bad(fields.assetNameHex, "The asset name must be hex: pairs of 0-9 and a-f, at most 64 characters.");
  for (const k of ["token", "policyId", "assetNameHex"]) if (!req[k]) delete req[k];
  return { req, problems };
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  clearError(errorBox);
  const { req, problems } = readForm();
  if (problems.length) {
    renderError(errorBox, { message: problems.join(" ") });
    form.querySelector("[aria-invalid=true]")?.focus();
    return;
  }
  const bypassCache = $("token-bypass").checked;
  submit.disabled = true;
  form.setAttribute("aria-busy", "true");
  let bill;
  try {
    const ctx = await app;
    bill = ctx.billing();
    statusLine.textContent = `Analysing… (paid by ${bill.label})`;
    const started = performance.now();
    const report = await bill.client.tokenAnalysis(req, { bypassCache });
    renderReport(report, req.apiVersion);
    statusLine.textContent = `Report ready in ${Math.round(performance.now() - started)} ms.`;
  } catch (err) {
    statusLine.textContent = "";
    renderError(errorBox, err, { billing: bill });
  } finally {
    submit.disabled = false;
    form.removeAttribute("aria-busy");
  }
});

/** v1 and v2 (and close relatives) as one view model; missing parts stay empty. */
function normalise(r, asked) {
  const v2 = Boolean(r.risk_engine || r.market || r._meta);
  const t = v2 && r.token && typeof r.token === "object" ? r.token : r;
  const risk = v2 ? r.risk_engine ?? {} : { score: r.riskScore, level: r.riskLevel };
  const score = Number(risk.score ?? risk.risk_score ?? NaN);
  const m = (v2 ? r.market : r.marketData) ?? {};
  const g = (...keys) => keys.map((k) => m[k]).find((x) => x !== undefined);
  const meta = v2 ? r._meta ?? {} : r;
  return {
    version: v2 ? "2" : String(r.api_version ?? asked),
    ticker: t.ticker ?? t.token ?? "",
    name: t.name ?? "",
    policyId: t.policy_id ?? t.policyId ?? "",
    assetNameHex: t.asset_name_hex ?? t.assetNameHex ?? "",
    fingerprint: t.fingerprint ?? "",
    score: Number.isFinite(score) ? score : null,
    level: String(risk.level ?? (Number.isFinite(score) ? levelOf(score) : "unknown")).toLowerCase(),
    factors: Array.isArray(risk.factors) ? risk.factors : [],
    summary: r.analysis?.summary ?? "",
    strengths: r.analysis?.strengths ?? [],
    concerns: r.analysis?.concerns ?? [],
    recommendation: r.analysis?.recommendation ?? "",
    market: [
      ["Price (USD)", g("price_usd", "priceUsd"), { currency: true }],
      ["Price (ADA)", g("price_ada", "priceAda")],
      ["Change 24 h", g("change_24h_pct", "change24hPct"), { percent: true }],
      ["Market cap", g("market_cap_usd", "marketCapUsd"), { currency: true }],
      ["Fully diluted value", g("fdv_usd"), { currency: true }],
      ["Volume 24 h", g("volume_24h_usd", "volume24hUsd"), { currency: true }],
      ["Liquidity", g("liquidityUsd") ?? r.liquidity?.total_usd, { currency: true }],
      ["Circulating supply", g("circulating_supply", "circulatingSupply")],
      ["Total supply", g("total_supply", "totalSupply")],
      ["Holders", g("holders") ?? r.holders?.count],
      ["Top 10 holders", r.holders?.top10_pct, { share: true }],
    ].filter(([, v]) => v !== undefined && v !== null),
    pools: Array.isArray(r.liquidity?.pools) ? r.liquidity.pools : [],
    security: r.security ?? null,
    quality: r.data_quality ?? null,
    cached: Boolean(meta.cached),
    generatedAt: meta.generated_at ?? "",
    note: meta.note ?? "",
  };
}

function table(caption, rows) {
  return el("table", { class: "kv" }, el("caption", { class: "visually-hidden" }, caption),
    el("tbody", {}, rows.map(([k, v]) => el("tr", {}, el("th", { scope: "row" }, k), el("td", { class: "num" }, v)))));
}

function card(title, testid, ...body) {
  return el("section", { class: "card", "data-testid": testid, "aria-label": title }, el("h3", {}, title), ...body);
}

function renderReport(raw, asked) {
  const v = normalise(raw, asked);
  const riskBody = [
    v.score === null ? el("p", {}, "No risk score in this report.") : riskGauge(v.score, v.level),
    el("p", {}, el("span", { class: `level ${v.level}`, "data-testid": "risk-level" }, v.level), v.score === null ? "" : ` · score ${v.score} / 100`),
  ];
  if (v.factors.length) {
    riskBody.push(el("ul", { class: "factors", "aria-label": "Risk factors" }, v.factors.map((f) =>
      el("li", {},
        el("span", {}, String(f.name ?? "").replaceAll("_", " ")),
        el("meter", { min: 0, max: 100, low: 35, high: 65, optimum: 0, value: f.score ?? 0, "aria-label": `${f.name} ${f.score} of 100` }),
        el("span", { class: "num" }, f.score ?? "–")))));
  }
  if (v.strengths.length) riskBody.push(el("h4", {}, "Strengths"), el("ul", { class: "bullets pos" }, v.strengths.map((s) => el("li", {}, s))));
  if (v.concerns.length) riskBody.push(el("h4", {}, "Concerns"), el("ul", { class: "bullets neg" }, v.concerns.map((s) => el("li", {}, s))));

  const cards = [
    card("Risk", "risk-card", ...riskBody),
    card("Market", "market-card", v.market.length
      ? table("Market figures", v.market.map(([k, x, o = {}]) => [k, o.share ? `${x} %` : formatNumber(x, o)]))
      : el("p", {}, "No market figures in this report.")),
  ];
  if (v.pools.length) {
    cards.push(card("Liquidity pools", "pools-card", table("Liquidity pools", v.pools.map((p) => [`${p.dex ?? "?"} · ${p.pair ?? ""}`, formatNumber(p.tvl_usd, { currency: true })]))));
  }
  if (v.security) {
    const s = v.security;
    cards.push(card("Security", "security-card", table("Security", [
      ["Mint policy", s.mint_policy ?? "–"],
      ["Minting locked", s.minting_locked === undefined ? "–" : s.minting_locked ? "yes" : "no"],
      ["Verified", s.verified === undefined ? "–" : s.verified ? "yes" : "no"],
      ["Flags", Array.isArray(s.flags) && s.flags.length ? s.flags.join(", ").replaceAll("_", " ") : "none"],
    ])));
  }
  const q = v.quality;
  cards.push(card("Data quality", "quality-card", table("Data quality", [
    ...(q ? [["Score", q.score === undefined ? "–" : `${q.score} / 100`], ["Sources", Array.isArray(q.sources) ? q.sources.join(", ") : "–"]] : []),
    ["From cache", v.cached ? "yes" : "no (fresh)"],
    ["Generated", v.generatedAt ? new Date(v.generatedAt).toLocaleString() : "–"],
    ["Report version", `v${v.version}`],
  ]), q?.notes || v.note ? el("p", { class: "hint" }, q?.notes || v.note) : null));
  if (v.summary || v.recommendation) {
    cards.push(card("Summary", "summary-card", el("p", {}, v.summary), v.recommendation ? el("p", { class: "hint" }, v.recommendation) : null));
  }

  const pre = el("pre", { tabindex: "0", "data-testid": "raw-json" });
  pre.textContent = JSON.stringify(raw, null, 2);
  result.replaceChildren(
    el("div", { class: "card" },
      el("div", { class: "report-head" },
        el("h2", { "data-testid": "report-title" }, v.ticker || v.name || "Token", v.name && v.ticker ? ` · ${v.name}` : ""),
        el("span", { class: "tag", "data-testid": "report-version" }, `v${v.version}`),
        el("span", { class: "tag", "data-testid": "report-cache" }, v.cached ? "cached" : "fresh")),
      v.fingerprint ? el("p", { class: "hint mono" }, v.fingerprint) : null,
      v.policyId ? el("p", { class: "hint mono addr" }, `${v.policyId}${v.assetNameHex ? "." + v.assetNameHex : ""}`) : null),
    el("div", { class: "cards" }, cards),
    el("details", { class: "card", "data-testid": "raw-toggle" }, el("summary", {}, "Raw JSON"), pre),
  );
  show(result, true);
}
