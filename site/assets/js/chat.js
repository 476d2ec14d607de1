// Chat page: streamed replies with Stop, reasoning, tool chips, structured
// output, image attachment, a resettable session and the conversation of
// this tab (sessionStorage). Model text only ever becomes text nodes.
import { app } from "./app.js";
import { $, el, formatBytes, randomId, show } from "./dom.js";
import { clearError, renderError } from "./errors.js";
import { acceptDrops, checkImage, filesOf } from "./files.js";
import { readSession, writeSession } from "./store.js";

const form = $("chat-form");
const input = $("chat-message");
const log = $("chat-log");
const empty = $("chat-empty");
const sendButton = $("chat-send");
const stopButton = $("chat-stop");
const statusLine = $("chat-status");
const errorBox = $("chat-error");
const attachmentBox = $("chat-attachment");
const picker = $("chat-image");
const structured = $("chat-structured");

let convo = readSession("chat", null);
if (!convo || typeof convo.sessionId !== "string" || !Array.isArray(convo.turns)) convo = { sessionId: randomId(), turns: [] };
let attachment = null; // { file, url }
let running = null; // AbortController of the call in flight

function save() {
  writeSession("chat", convo);
}

function renderSession() {
  $("session-id").textContent = convo.sessionId;
}

function nearBottom() {
  return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
}

function append(node) {
  const stick = nearBottom();
  show(empty, false);
  log.append(node);
  if (stick) log.scrollTop = log.scrollHeight;
}

function userBubble(turn, imageUrl) {
  return el("article", { class: "msg msg-user", "data-testid": "user-message", "aria-label": "You" },
    imageUrl ? el("img", { src: imageUrl, alt: `Attached picture ${turn.image?.name ?? ""}` }) : null,
    !imageUrl && turn.image ? el("span", { class: "chip" }, `picture: ${turn.image.name}`) : null,
    el("p", { class: "msg-text" }, turn.text),
  );
}

/** An assistant message that fills in as events arrive; record is what gets saved. */
function assistantBubble(record = { role: "assistant", text: "", reasoning: "", chips: [], json: undefined, meta: "", note: "" }) {
  const text = document.createTextNode(record.text);
  const reasoningText = document.createTextNode(record.reasoning);
  const reasoning = el("details", { class: "reasoning", "data-testid": "reasoning", hidden: !record.reasoning },
    el("summary", {}, "Reasoning"), el("p", {}, reasoningText));
  const chips = el("div", { class: "chips-row", "data-testid": "tool-chips", hidden: !record.chips.length });
  const pre = el("pre", { tabindex: "0", "aria-label": "reply_json" });
  const json = el("details", { class: "json-block", open: true, "data-testid": "reply-json", hidden: record.json === undefined },
    el("summary", {}, "Structured reply (reply_json)"), pre);
  const meta = el("p", { class: "msg-meta", "data-testid": "message-meta" }, record.meta);
  const note = el("p", { class: "msg-stopped", "data-testid": "message-note", hidden: !record.note }, record.note);
  const article = el("article", { class: "msg msg-assistant", "data-testid": "assistant-message", "aria-label": "Reply" },
    reasoning, chips, el("p", { class: "msg-text", "data-testid": "message-text" }, text), json, note, meta);

  const addChip = (label, cls = "", save = true) => {
    chips.append(el("span", { class: `chip ${cls}`, "data-testid": "tool-chip" }, label));
    show(chips, true);
    if (save) record.chips.push([label, cls]);
  };
  for (const [label, cls] of record.chips) addChip(label, cls, false);
  const setJson = (value) => {
    record.json = value;
    pre.textContent = JSON.stringify(value, null, 2);
    show(json, value !== undefined);
  };
  if (record.json !== undefined) setJson(record.json);

  return {
    article,
    record,
    addText(t) {
      const stick = nearBottom();
      text.appendData(t);
      record.text += t;
      if (stick) log.scrollTop = log.scrollHeight;
    },
    addReasoning(t) {
      reasoningText.appendData(t);
      record.reasoning += t;
      show(reasoning, true);
    },
    addChip,
    setJson,
    setMeta(t) {
      meta.textContent = record.meta = t;
    },
    setNote(t) {
      note.textContent = record.note = t;
      show(note, Boolean(t));
    },
  };
}

function argsSummary(args) {
  if (!args || typeof args !== "object") return "";
  return Object.entries(args).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ").slice(0, 80);
}

/** Applies one stream event to the bubble; unknown frames become a chip, never an error. */
function applyEvent(bubble, ev) {
  switch (ev.type) {
    case "content":
      if (typeof ev.text === "string") bubble.addText(ev.text);
      break;
    case "reasoning":
      if (typeof ev.text === "string") bubble.addReasoning(ev.text);
      break;
    case "tool_call":
      bubble.addChip(`tool call: ${ev.name ?? ev.data?.name ?? "tool"}(${argsSummary(ev.args ?? ev.data?.args)})`);
      break;
    case "tool_result": {
      const ok = (ev.ok ?? ev.data?.ok) !== false;
      bubble.addChip(`${ok ? "✓" : "✗"} ${ev.name ?? ev.data?.name ?? "tool"} ${ok ? "ok" : "failed"}`, ok ? "ok" : "fail");
      break;
    }
    case "message":
      if (typeof ev.text === "string") bubble.addText(ev.text);
      break;
    default:
      bubble.addChip(`event: ${String(ev.type).slice(0, 40)}`);
  }
}

function renderAttachment() {
  if (!attachment) {
    attachmentBox.replaceChildren();
    show(attachmentBox, false);
    return;
  }
  const remove = el("button", { type: "button", class: "small secondary", "data-testid": "attachment-remove" }, "Remove");
  remove.addEventListener("click", () => {
    setAttachment(null);
    input.focus();
  });
  attachmentBox.replaceChildren(
    el("img", { src: attachment.url, alt: "Preview of the attached picture", "data-testid": "attachment-preview" }),
    el("span", { class: "grow" }, `${attachment.file.name || "pasted picture"} · ${formatBytes(attachment.file.size)}`),
    remove,
  );
  show(attachmentBox, true);
}

function setAttachment(file) {
  if (attachment && !attachment.sent) URL.revokeObjectURL(attachment.url);
  attachment = null;
  clearError(errorBox);
  if (file) {
    const problem = checkImage(file);
    if (problem) {
      renderError(errorBox, { message: problem + " Nothing was uploaded." });
      picker.value = "";
    } else {
      attachment = { file, url: URL.createObjectURL(file) };
    }
  }
  renderAttachment();
}

function setRunning(controller) {
  running = controller;
  show(stopButton, Boolean(controller));
  sendButton.disabled = Boolean(controller);
  if (controller) stopButton.focus();
}

async function send(message) {
  clearError(errorBox);
  const ctx = await app;
  const bill = ctx.billing();
  const image = attachment;
  const userTurn = { role: "user", text: message, image: image ? { name: image.file.name || "pasted picture", size: image.file.size } : null };
  append(userBubble(userTurn, image?.url));
  if (image) image.sent = true;
  attachment = null;
  renderAttachment();
  picker.value = "";
  input.value = "";

  const bubble = assistantBubble();
  bubble.article.setAttribute("aria-busy", "true");
  append(bubble.article);
  const controller = new AbortController();
  setRunning(controller);
  const wantJson = structured.checked;
  statusLine.textContent = wantJson ? `Waiting for the structured reply… (paid by ${bill.label})` : `Streaming… (paid by ${bill.label})`;
  const request = { message, sessionId: convo.sessionId };
  if (image) request.imageData = image.file;
  const started = performance.now();
  try {
    if (wantJson) {
      const res = await bill.client.chat({ ...request, outputMode: "structured" }, { signal: controller.signal });
      if (typeof res.reasoning === "string" && res.reasoning) bubble.addReasoning(res.reasoning);
      for (const tool of Array.isArray(res.usedTools) ? res.usedTools : []) bubble.addChip(`tool used: ${typeof tool === "string" ? tool : tool?.name ?? "tool"}`);
      bubble.addText(res.reply ?? "");
      bubble.setJson(res.replyJson ?? null);
      bubble.setMeta([res.model, res.provider && `via ${res.provider}`, `${Math.round(performance.now() - started)} ms`, `request ${res.requestId}`].filter(Boolean).join(" · "));
    } else {
      const stream = bill.client.chatStream(request, { signal: controller.signal });
      for await (const ev of stream) applyEvent(bubble, ev);
      bubble.setMeta([`${Math.round(performance.now() - started)} ms`, stream.requestId && `request ${stream.requestId}`].filter(Boolean).join(" · "));
    }
    statusLine.textContent = "Reply complete.";
  } catch (err) {
    if (controller.signal.aborted || err?.code === "aborted") {
      bubble.setNote("Stopped: the request was cancelled.");
      statusLine.textContent = "Stopped.";
    } else {
      bubble.setNote("No reply: see the message below.");
      statusLine.textContent = "";
      renderError(errorBox, err, { billing: bill });
    }
  } finally {
    bubble.article.setAttribute("aria-busy", "false");
    setRunning(null);
    convo.turns.push(userTurn, bubble.record);
    save();
    input.focus();
  }
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  if (running) return;
  const message = input.value.trim();
  if (!message) {
    statusLine.textContent = "Type a message first.";
    input.focus();
    return;
  }
  send(message);
});

input.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    form.requestSubmit();
  }
});

stopButton.addEventListener("click", () => running?.abort());

picker.addEventListener("change", () => setAttachment(picker.files[0] ?? null));

input.addEventListener("paste", (e) => {
  const files = filesOf(e.clipboardData).filter((f) => f.type.startsWith("image/") || f.type === "");
  if (files.length) {
    e.preventDefault();
    setAttachment(files[0]);
  }
});

acceptDrops(form, (files) => setAttachment(files[0]));

$("session-reset").addEventListener("click", () => {
  running?.abort();
  convo = { sessionId: randomId(), turns: [] };
  save();
  for (const node of [...log.children]) if (node !== empty) node.remove();
  show(empty, true);
  renderSession();
  statusLine.textContent = "New session started; the conversation was cleared.";
  input.focus();
});

for (const button of document.querySelectorAll(".suggestion")) {
  button.addEventListener("click", () => {
    input.value = button.dataset.prompt;
    form.requestSubmit();
  });
}

// First-visit orientation: what this mode means and where to go next.
app.then((ctx) => {
  const intro = $("mode-intro");
  const text = {
    sandbox: "You are in the sandbox: serve.go answers offline and nothing costs real money. Calls are free through the demo server's key; to see pay per call, connect the sandbox wallet on the Wallet page.",
    proxy: "You are on the live API through serve.go, which adds its api-key on the server: calls are free for you.",
    live: "You are on the live API. Paid calls need a wallet (Wallet page) or your api-key (Settings).",
  }[ctx.cfg.mode];
  intro.replaceChildren(text, " ", el("a", { href: "settings.html#who-pays" }, "Who pays?"));
  show(intro, true);
}, () => {});

// Restore this tab's conversation (pictures are not kept, only their names).
renderSession();
for (const turn of convo.turns) {
  append(turn.role === "user" ? userBubble(turn) : assistantBubble(turn).article);
}
