// Chat page against the sandbox: streaming and Stop, markup rendered as
// text, reasoning and tool chips, structured output, image attachment
// (picker, paste, size check), session reset and keyboard use.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openReady, png, startSite } from "../internal/e2e/site-helpers.mjs";

let site;
// A slower stream gives the Stop test time to press the button mid-reply.
before(async () => (site = await startSite({ flags: ["-sandbox-stream-delay", "40ms"] })));
after(() => site?.close());

const lastReply = '[data-testid=assistant-message]:last-child';
const replyText = (page) => page.locator(`${lastReply} [data-testid=message-text]`).textContent();
const waitComplete = (page) => page.waitForFunction(() => document.getElementById("chat-status").textContent === "Reply complete.", null, { timeout: 20_000 });

test("a reply streams in token by token and Stop cancels it", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/");
  const message = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
  await page.fill("#chat-message", message);
  await page.click("[data-testid=chat-send]");
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.length > 30, `${lastReply} [data-testid=message-text]`);
  const early = (await replyText(page)).length;
  await page.waitForFunction(([sel, n]) => document.querySelector(sel).textContent.length > n + 20, [`${lastReply} [data-testid=message-text]`, early]);
  assert.equal(await page.getAttribute(lastReply, "aria-busy"), "true");
  assert.ok(await page.isVisible("[data-testid=chat-stop]"), "Stop is shown while streaming");
  await page.click("[data-testid=chat-stop]");
  await page.waitForFunction(() => document.getElementById("chat-status").textContent === "Stopped.");
  const stopped = await replyText(page);
  await page.waitForTimeout(600);
  assert.equal(await replyText(page), stopped, "no text arrives after Stop");
  assert.ok(stopped.startsWith("You said: word0 word1"), stopped.slice(0, 40));
  assert.ok(stopped.length < message.length, "the reply was cut short");
  assert.match(await page.locator(`${lastReply} [data-testid=message-note]`).textContent(), /Stopped/);
  assert.equal(await page.getAttribute(lastReply, "aria-busy"), "false");
  assert.ok(await page.isHidden("[data-testid=chat-stop]"));
  assert.ok(await page.isEnabled("[data-testid=chat-send]"));
  assertClean();
  await page.close();
});

test("markup in a reply renders as text, never as HTML", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/");
  const evil = `<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> <b>bold</b>`;
  await page.fill("#chat-message", evil);
  await page.keyboard.press("Tab"); // leave the field, send with the button
  await page.click("[data-testid=chat-send]");
  await waitComplete(page);
  const text = await replyText(page);
  assert.ok(text.includes(evil), "the sandbox's verbatim echo is shown as text");
  assert.equal(await page.locator("#chat-log img, #chat-log script, #chat-log b").count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.ok((await page.locator("[data-testid=user-message]").last().textContent()).includes(evil));
  assertClean();
  await page.close();
});

test("reasoning is collapsible and tool calls show as chips", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/");
  await page.getByRole("button", { name: "Use a tool to analyse the SNEK token" }).click();
  await waitComplete(page);
  const chips = await page.locator(`${lastReply} [data-testid=tool-chip]`).allTextContents();
  assert.deepEqual(chips.map((c) => c.split("(")[0]), ["tool call: token_analysis", "✓ token_analysis ok"]);
  assert.match(chips[0], /token: SNEK/);
  const reasoning = page.locator(`${lastReply} [data-testid=reasoning]`);
  assert.equal(await reasoning.getAttribute("open"), null, "collapsed at first");
  await reasoning.locator("summary").click();
  assert.notEqual(await reasoning.getAttribute("open"), null);
  assert.match(await reasoning.textContent(), /I call token_analysis/);
  assert.match(await replyText(page), /Tool token_analysis: SNEK \(Snek\) on Cardano/);
  assertClean();
  await page.close();
});

test("structured output shows reply_json as formatted JSON", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/");
  await page.check("[data-testid=chat-structured]");
  await page.fill("#chat-message", "Cardano tokens are fun. Second sentence.");
  await page.keyboard.press("Enter");
  await waitComplete(page);
  const pre = page.locator(`${lastReply} [data-testid=reply-json] pre`);
  assert.ok(await pre.isVisible());
  const raw = await pre.textContent();
  assert.ok(raw.includes('\n  "'), "indented");
  const json = JSON.parse(raw);
  assert.equal(json.summary, "Cardano tokens are fun.");
  assert.equal(json.sandbox, true);
  assert.ok(Array.isArray(json.keywords));
  assert.match(await replyText(page), /^Summary: Cardano tokens are fun\./);
  assertClean();
  await page.close();
});

test("an image is attached by picker or paste, previewed, size-checked and sent", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/");
  // Too large: refused before any upload.
  let uploads = 0;
  page.on("request", (r) => r.url().endsWith("/chat") && uploads++);
  await page.setInputFiles("[data-testid=chat-image]", { name: "huge.png", mimeType: "image/png", buffer: Buffer.alloc(26 * 1024 * 1024) });
  await page.waitForSelector("[data-testid=chat-error]:not([hidden])");
  assert.match(await page.textContent("[data-testid=chat-error]"), /huge\.png.*26\.0 MB; the limit is 25 MB/);
  assert.ok(await page.isHidden("[data-testid=chat-attachment]"));
  assert.equal(uploads, 0);

  await page.setInputFiles("[data-testid=chat-image]", { name: "blue.png", mimeType: "image/png", buffer: png(32, 24, [40, 120, 200]) });
  await page.waitForSelector("[data-testid=attachment-preview]");
  assert.ok(await page.isHidden("[data-testid=chat-error]"));
  await page.click("[data-testid=attachment-remove]");
  assert.ok(await page.isHidden("[data-testid=chat-attachment]"));

  // Paste from the clipboard.
  await page.evaluate((b64) => {
    const file = new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], "pasted.png", { type: "image/png" });
    const data = new DataTransfer();
    data.items.add(file);
    document.getElementById("chat-message").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, png(32, 24, [40, 120, 200]).toString("base64"));
  await page.waitForSelector("[data-testid=attachment-preview]");
  assert.match(await page.textContent("[data-testid=chat-attachment]"), /pasted\.png/);
  await page.fill("#chat-message", "What is in this picture?");
  await page.click("[data-testid=chat-send]");
  await waitComplete(page);
  assert.match(await replyText(page), /Attached image: 32x24 PNG, mean colour #2878c8\./);
  assert.equal(await page.locator("[data-testid=user-message]").last().locator("img").count(), 1, "the sent picture shows in the conversation");
  assert.ok(await page.isHidden("[data-testid=chat-attachment]"), "the attachment is cleared after sending");
  assertClean();
  await page.close();
});

test("the session id is shown, kept across reloads with the history, and resettable", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/");
  const id = await page.textContent("[data-testid=session-id]");
  assert.match(id, /^[0-9a-f-]{36}$/);
  await page.fill("#chat-message", "first message");
  await page.keyboard.press("Enter");
  await waitComplete(page);
  await page.fill("#chat-message", "second message");
  await page.keyboard.press("Enter");
  await waitComplete(page);
  assert.equal(await page.locator("[data-testid=user-message]").count(), 2);
  await page.reload();
  await page.waitForSelector("html[data-sdk=ready]");
  assert.equal(await page.textContent("[data-testid=session-id]"), id);
  assert.equal(await page.locator("[data-testid=user-message]").count(), 2, "the conversation is kept on the page");
  assert.match(await replyText(page), /You said: second message/);
  await page.click("[data-testid=session-reset]");
  assert.notEqual(await page.textContent("[data-testid=session-id]"), id);
  assert.equal(await page.locator("[data-testid=user-message], [data-testid=assistant-message]").count(), 0);
  assert.ok(await page.isVisible("#chat-empty"));
  assertClean();
  await page.close();
});

test("the chat works from the keyboard alone", async () => {
  const { page, assertClean } = await openReady(site.context, site.url + "/");
  // Skip link first, then into the page.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to content");
  await page.keyboard.press("Enter");
  await page.focus("#chat-message");
  await page.keyboard.type("typed with the keyboard");
  await page.keyboard.press("Shift+Enter");
  await page.keyboard.type("second line");
  assert.equal(await page.inputValue("#chat-message"), "typed with the keyboard\nsecond line");
  await page.keyboard.press("Enter");
  await waitComplete(page);
  assert.match(await replyText(page), /You said: typed with the keyboard\nsecond line/);
  assertClean();
  await page.close();
});
