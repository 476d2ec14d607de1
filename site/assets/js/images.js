// Images page: generate, edit (base64), upload-and-edit (multipart) and
// variations (api-key only), with drag-and-drop, paste, size checks before
// upload, a progress indicator with Cancel, and a gallery with downloads.
import { app } from "./app.js";
import { $, base64ToBlob, el, formatBytes, show } from "./dom.js";
import { clearError, renderError } from "./errors.js";
import { acceptDrops, checkImage, filesOf } from "./files.js";

const form = $("image-form");
const prompt = $("image-prompt");
const picker = $("image-files");
const thumbs = $("image-inputs");
const submit = $("image-submit");
const cancel = $("image-cancel");
const progress = $("image-progress");
const elapsed = $("image-elapsed");
const statusLine = $("image-status");
const errorBox = $("image-error");
const gallery = $("gallery");

const OPS = {
  generate: { label: "Generate", verb: "Generating", inputs: 0, prompt: true, hint: "New images from a prompt." },
  edit: { label: "Edit", verb: "Editing", inputs: 4, prompt: true, hint: "Changes up to 4 pictures as the prompt says (try “invert”, “grayscale”, “sepia”, “mirror”); sent as base64 JSON." },
  upload: { label: "Upload and edit", verb: "Uploading and editing", inputs: 4, prompt: true, hint: "The same edit, sent as a multipart file upload." },
  variations: { label: "Make variations", verb: "Making variations", inputs: 1, prompt: false, hint: "Variants of one picture. Sold with an api-key only (never pay per call)." },
};

let inputs = []; // [{ file, url }]
let running = null;
let results = 0;

const op = () => form.elements.op.value;

async function applyOp() {
  const o = OPS[op()];
  submit.textContent = o.label;
  $("op-hint").textContent = o.hint;
  show($("prompt-field"), o.prompt);
  show($("inputs-field"), o.inputs > 0);
  picker.multiple = o.inputs > 1;
  if (inputs.length > o.inputs) setInputs(inputs.slice(0, o.inputs));
  const notice = $("op-unavailable");
  show(notice, false);
  submit.disabled = Boolean(running);
  if (op() === "variations") {
    try {
      const ctx = await app;
      const vb = ctx.variationsBilling();
      notice.textContent = vb
        ? `Variations are paid by ${vb.label}.`
        : "Variations are unavailable here: they are sold with an api-key only, and this page has none. Enter your api-key in Settings (or run the demo with serve.go).";
      show(notice, true);
      submit.disabled = !vb || Boolean(running);
    } catch {
      // SDK failed: the banner says so
    }
  }
}

function setInputs(next) {
  for (const i of inputs) if (!next.includes(i)) URL.revokeObjectURL(i.url);
  inputs = next;
  thumbs.replaceChildren(...inputs.map((item, k) => {
    const remove = el("button", { type: "button", class: "secondary", "aria-label": `Remove ${item.file.name || "picture " + (k + 1)}` }, "×");
    remove.addEventListener("click", () => setInputs(inputs.filter((x) => x !== item)));
    return el("li", { "data-testid": "input-thumb" },
      el("img", { src: item.url, alt: `Input picture ${k + 1}: ${item.file.name}` }), remove,
      `${item.file.name || "pasted"} · ${formatBytes(item.file.size)}`);
  }));
}

function addFiles(files) {
  clearError(errorBox);
  const max = OPS[op()].inputs;
  if (!max) {
    // Pictures dropped while "Generate" is selected: the person wants to edit.
    form.querySelector('input[name=op][value="edit"]').checked = true;
    applyOp();
  }
  const limit = OPS[op()].inputs;
  const problems = [];
  const fresh = [];
  for (const file of files) {
    const p = checkImage(file);
    if (p) problems.push(p);
    else fresh.push({ file, url: URL.createObjectURL(file) });
  }
  let next = limit === 1 ? (fresh.length ? fresh.slice(-1) : inputs) : [...inputs, ...fresh];
  if (next.length > limit) {
    problems.push(`At most ${limit} pictures; the extra ones were left out.`);
    for (const x of next.slice(limit)) URL.revokeObjectURL(x.url);
    next = next.slice(0, limit);
  }
  setInputs(next);
  if (problems.length) renderError(errorBox, { message: problems.join(" ") + " Nothing was uploaded." });
  picker.value = "";
}

for (const r of form.elements.op) r.addEventListener("change", applyOp);
picker.addEventListener("change", () => addFiles([...picker.files]));
acceptDrops($("dropzone"), addFiles);
document.addEventListener("paste", (e) => {
  const files = filesOf(e.clipboardData);
  if (!files.length) return;
  e.preventDefault();
  addFiles(files);
});

/** An image item (URL, data URI, bare base64 or {url|b64_json}) as { src, blob? }. */
function toSource(item) {
  if (item && typeof item === "object") item = item.url ?? item.b64_json ?? item.b64 ?? item.image ?? "";
  const s = String(item ?? "");
  if (/^https?:\/\//i.test(s)) return { src: s, remote: true };
  const blob = base64ToBlob(s.startsWith("data:") ? s : "data:image/png;base64," + s);
  return { src: URL.createObjectURL(blob), blob };
}

function addToGallery(res, meta) {
  const items = Array.isArray(res?.images) ? res.images : [];
  items.forEach((item, i) => {
    let source;
    try {
      source = toSource(item);
    } catch {
      return; // not an image: the raw answer is still in the status line
    }
    results++;
    const name = `tbackend-${meta.op}-${Date.now()}-${i + 1}.png`;
    const alt = `${OPS[meta.op].label} result ${i + 1}${meta.prompt ? `: ${meta.prompt}` : ""}`;
    const download = el("a", { class: "button small secondary", href: source.src, download: name, "data-testid": "download" }, source.remote ? "Open" : "Download");
    // Remote results can't be read back (connect-src): only local ones are reusable.
    const reuse = source.blob ? el("button", { type: "button", class: "small secondary", "data-testid": "reuse" }, "Edit this") : null;
    reuse?.addEventListener("click", async () => {
      const blob = source.blob;
      if (!OPS[op()].inputs) {
        form.querySelector('input[name=op][value="edit"]').checked = true;
        await applyOp();
      }
      addFiles([new File([blob], name, { type: blob.type || "image/png" })]);
      prompt.focus();
    });
    gallery.prepend(el("li", { "data-testid": "gallery-item" },
      el("figure", {},
        el("img", { src: source.src, alt, loading: "lazy" }),
        el("figcaption", {},
          el("p", {}, el("strong", {}, OPS[meta.op].label), meta.prompt ? ` · ${meta.prompt}` : "", ` · ${res.size ?? meta.size}`),
          el("div", { class: "actions" }, download, reuse)))));
  });
  show($("gallery-empty"), results === 0);
  show($("gallery-clear"), results > 0);
  return items.length;
}

$("gallery-clear").addEventListener("click", () => {
  for (const img of gallery.querySelectorAll("img")) if (img.src.startsWith("blob:")) URL.revokeObjectURL(img.src);
  gallery.replaceChildren();
  results = 0;
  show($("gallery-empty"), true);
  show($("gallery-clear"), false);
});

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  if (running) return;
  clearError(errorBox);
  const which = op();
  const o = OPS[which];
  const text = prompt.value.trim();
  if (o.prompt && !text) {
    renderError(errorBox, { message: "Write a prompt first." });
    prompt.focus();
    return;
  }
  if (o.inputs && !inputs.length) {
    renderError(errorBox, { message: "Add a picture first: drop it on the box, paste it, or choose a file." });
    picker.focus();
    return;
  }
  const size = $("image-size").value;
  const n = Number($("image-count").value);
  const files = inputs.map((i) => i.file);
  let bill;
  const controller = new AbortController();
  running = controller;
  submit.disabled = true;
  show(cancel, true);
  show(progress, true);
  const started = Date.now();
  const tick = () => (elapsed.textContent = `${o.verb}… ${Math.round((Date.now() - started) / 1000)} s`);
  tick();
  const timer = setInterval(tick, 1000);
  statusLine.textContent = "";
  try {
    const ctx = await app;
    bill = which === "variations" ? ctx.variationsBilling() : ctx.billing();
    if (!bill) throw Object.assign(new Error("Variations need an api-key: enter yours in Settings."), { code: "unauthorized" });
    const opts = { signal: controller.signal };
    const images = bill.client.images;
    const res = await {
      generate: () => images.generate({ prompt: text, size, n }, opts),
      edit: () => images.edit({ prompt: text, inputImages: files, size, n }, opts),
      upload: () => images.uploadAndEdit({ prompt: text, image: files, size, n }, opts),
      variations: () => images.variations({ image: files[0], size, n }, opts),
    }[which]();
    const count = addToGallery(res, { op: which, prompt: o.prompt ? text : "", size });
    statusLine.textContent = count
      ? `${count} ${count === 1 ? "image" : "images"} in ${((Date.now() - started) / 1000).toFixed(1)} s (paid by ${bill.label}).`
      : "The service answered without images.";
  } catch (err) {
    if (controller.signal.aborted) statusLine.textContent = "Cancelled.";
    else renderError(errorBox, err, { billing: bill });
  } finally {
    clearInterval(timer);
    running = null;
    show(cancel, false);
    show(progress, false);
    submit.disabled = false;
    applyOp();
  }
});

cancel.addEventListener("click", () => running?.abort());

applyOp();
app.then((ctx) => ctx.onChange(applyOp), () => {});
