import { load } from "../sdk/tbackend.js";

const status = document.getElementById("status");
const reply = document.getElementById("reply");
const badge = document.getElementById("mode-badge");

async function config() {
  try {
    const res = await fetch("serve-config.json", { cache: "no-store" });
    if (res.ok) return await res.json();
  } catch {}
  return { mode: "live", baseUrl: undefined };
}

const [sdk, cfg] = await Promise.all([load(), config()]);
badge.textContent = cfg.mode === "sandbox" ? "Sandbox" : "Live";
const client = sdk.createClient({ baseUrl: cfg.baseUrl });

document.getElementById("chat-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = new FormData(event.target).get("message");
  reply.textContent = "";
  status.textContent = "Streaming…";
  try {
    for await (const ev of client.chatStream({ message })) {
      if (ev.type === "content") reply.append(document.createTextNode(ev.text));
    }
    status.textContent = "Done.";
  } catch (err) {
    status.textContent = err instanceof sdk.TBackendError ? `${err.code}: ${err.message}` : String(err);
  }
});
