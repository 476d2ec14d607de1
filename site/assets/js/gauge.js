// A half-circle risk gauge in SVG: low / medium / high zones, the score as
// a coloured arc and a needle. Colours come from app.css classes.
import { svg } from "./dom.js";

const CX = 100, CY = 100, R = 80;

/** The point at score s (0..100) on the arc of radius r. */
function point(s, r = R) {
  const a = Math.PI * (1 - s / 100);
  return [CX + r * Math.cos(a), CY - r * Math.sin(a)];
}

function arc(from, to, r = R) {
  const [x1, y1] = point(from, r);
  const [x2, y2] = point(to, r);
  return `M${x1.toFixed(2)} ${y1.toFixed(2)} A${r} ${r} 0 0 1 ${x2.toFixed(2)} ${y2.toFixed(2)}`;
}

export function levelOf(score) {
  return score < 35 ? "low" : score < 65 ? "medium" : "high";
}

/** The gauge for score (0..100, higher is riskier) at level. */
export function riskGauge(score, level = levelOf(score)) {
  const s = Math.max(0, Math.min(100, Number(score) || 0));
  const [nx, ny] = point(s, R - 18);
  return svg("svg", { class: "gauge", viewBox: "0 0 200 112", role: "img", "aria-label": `Risk score ${s} of 100: ${level}`, "data-testid": "risk-gauge" },
    svg("path", { class: "gauge-track", d: arc(0, 100) }),
    svg("path", { class: "gauge-zone low", d: arc(0, 35, R + 11) }),
    svg("path", { class: "gauge-zone medium", d: arc(35, 65, R + 11) }),
    svg("path", { class: "gauge-zone high", d: arc(65, 100, R + 11) }),
    s > 0 ? svg("path", { class: `gauge-value ${level}`, d: arc(0, s) }) : null,
    svg("line", { class: "gauge-needle", x1: CX, y1: CY, x2: nx.toFixed(2), y2: ny.toFixed(2) }),
    svg("circle", { class: "gauge-hub", cx: CX, cy: CY, r: 5 }),
    svg("text", { class: "gauge-scale", x: 14, y: 111 }, "0"),
    svg("text", { class: "gauge-scale", x: 180, y: 111 }, "100"),
  );
}
