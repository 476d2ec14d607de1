// T Backend browser SDK: the ES module that loads the WebAssembly core and
// gives it the JavaScript interface of DESIGN.md. The logic lives in Go; this
// file only boots the module and shapes classes, iterators and errors.

/** The one error class every failure rejects with. */
export class TBackendError extends Error {
  constructor(fields = {}) {
    super(fields.message || "The T Backend SDK failed");
    this.name = "TBackendError";
    this.code = fields.code || "server_error";
    this.status = typeof fields.status === "number" ? fields.status : 0;
    this.requestId = fields.requestId || undefined;
    this.body = fields.body;
    this.invoice = fields.invoice;
  }
}

const loaded = new Map();

/**
 * Loads the SDK once per wasm URL. Options: wasmUrl (default: tbackend.wasm
 * next to this file), wasmExecUrl (default: wasm_exec.js next to this file).
 */
export function load(options = {}) {
  const wasmUrl = new URL(options.wasmUrl ?? "./tbackend.wasm", import.meta.url).href;
  if (!loaded.has(wasmUrl)) {
    const pending = boot(wasmUrl, options).catch((err) => {
      loaded.delete(wasmUrl);
      throw err instanceof TBackendError ? err : new TBackendError({ code: "network", message: `The SDK could not be loaded from ${wasmUrl}: ${err?.message ?? err}` });
    });
    loaded.set(wasmUrl, pending);
  }
  return loaded.get(wasmUrl);
}

async function boot(wasmUrl, options) {
  if (typeof globalThis.Go !== "function") {
    await import(new URL(options.wasmExecUrl ?? "./wasm_exec.js", import.meta.url).href);
  }
  const go = new globalThis.Go();
  const key = `__tbackend_boot_${Math.random().toString(36).slice(2)}`;
  const ready = new Promise((resolve) => {
    globalThis[key] = { resolve, TBackendError };
  });
  go.argv = ["tbackend", key];
  const instance = await instantiate(wasmUrl, go.importObject);
  const exited = go.run(instance).then(() => {
    throw new TBackendError({ code: "server_error", message: "The SDK's WebAssembly module stopped." });
  });
  // After start-up an exit can only be reported by the calls that fail.
  exited.catch((err) => console.error(err));
  const core = await Promise.race([ready, exited]);
  return makeSDK(core);
}

async function instantiate(url, imports) {
  const response = fetch(url, { credentials: "same-origin" });
  if (WebAssembly.instantiateStreaming) {
    try {
      return (await WebAssembly.instantiateStreaming(response, imports)).instance;
    } catch (err) {
      // A host that serves .wasm without application/wasm: compile from bytes.
      if (!(err instanceof TypeError)) throw err;
    }
  }
  const res = await fetch(url, { credentials: "same-origin" });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await WebAssembly.instantiate(await res.arrayBuffer(), imports)).instance;
}

function unwrap(result) {
  if (result && result.error) throw result.error;
  return result;
}

// bigint amounts become decimal strings: the Go side reads numbers, strings.
function amounts(options, names) {
  const out = { ...options };
  for (const name of names) if (typeof out[name] === "bigint") out[name] = out[name].toString();
  return out;
}

function makeSDK(core) {
  // Go holds an object behind every handle; these let it go once JavaScript
  // no longer can reach the wrapper.
  const released = (kind) => new FinalizationRegistry((handle) => core.release(kind, handle));
  const clients = released("client"), streams = released("stream"), payers = released("payer"), wallets = released("wallet");

  class ChatStream {
    #opened;
    #handle = 0;
    #finished = false;
    requestId = undefined;
    constructor(clientHandle, request, options) {
      this.#opened = core.streamOpen(clientHandle, request, options).then((s) => {
        this.#handle = s.handle;
        streams.register(this, s.handle, this);
        this.requestId = s.requestId;
        if (this.#finished) core.streamClose(s.handle);
        return s.handle;
      });
      this.#opened.catch(() => {});
    }
    [Symbol.asyncIterator]() {
      return this;
    }
    async next() {
      if (this.#finished) return { done: true, value: undefined };
      try {
        const result = await core.streamNext(await this.#opened);
        if (result.done) this.#finished = true;
        return result.done ? { done: true, value: undefined } : result;
      } catch (err) {
        this.#finished = true;
        throw err;
      }
    }
    /** Cancels the request: called by break, return and throw in for await. */
    async return(value) {
      this.#finished = true;
      if (this.#handle) {
        streams.unregister(this);
        core.streamClose(this.#handle);
      }
      return { done: true, value };
    }
    async throw(err) {
      await this.return();
      throw err;
    }
  }

  class Client {
    #handle;
    constructor(options = {}) {
      const opts = { ...options };
      if (opts.payer !== undefined) {
        if (!(opts.payer instanceof Payer)) throw new TBackendError({ code: "invalid_request", message: "options.payer must come from sdk.createPayer" });
        opts.payer = { handle: opts.payer.handle };
      }
      const result = unwrap(core.newClient(opts));
      this.#handle = result.handle;
      this.baseUrl = result.baseUrl;
      clients.register(this, result.handle);
      const call = (name) => (...args) => core.invoke(this.#handle, name, ...args);
      this.images = {
        generate: (request, options) => call("images.generate")(request, options),
        edit: (request, options) => call("images.edit")(request, options),
        uploadAndEdit: (request, options) => call("images.uploadAndEdit")(request, options),
        variations: (request, options) => call("images.variations")(request, options),
      };
      this.payments = {
        status: (invoiceId, options) => call("payments.status")(invoiceId, options),
        balance: (query, options) => call("payments.balance")(query, options),
      };
      Object.freeze(this.images);
      Object.freeze(this.payments);
    }
    health(options) { return core.invoke(this.#handle, "health", options); }
    api(options) { return core.invoke(this.#handle, "api", options); }
    usage(options) { return core.invoke(this.#handle, "usage", options); }
    chat(request, options) { return core.invoke(this.#handle, "chat", request, options); }
    chatStream(request, options) { return new ChatStream(this.#handle, request, options); }
    tokenAnalysis(request, options) { return core.invoke(this.#handle, "tokenAnalysis", request, options); }
    request(method, path, init, options) { return core.invoke(this.#handle, "request", method, path, init, options); }
  }

  class Wallet {
    #handle;
    constructor(info) {
      this.#handle = info.handle;
      wallets.register(this, info.handle);
      this.id = info.id;
      this.name = info.name;
      this.icon = info.icon;
      this.apiVersion = info.apiVersion;
    }
    get handle() { return this.#handle; }
    networkId() { return core.walletCall(this.#handle, "networkId"); }
    balance() { return core.walletCall(this.#handle, "balance"); }
    changeAddress() { return core.walletCall(this.#handle, "changeAddress"); }
    usedAddresses() { return core.walletCall(this.#handle, "usedAddresses"); }
    utxos() { return core.walletCall(this.#handle, "utxos"); }
  }

  class Payer {
    #handle;
    constructor(wallet, options = {}) {
      if (!(wallet instanceof Wallet)) throw new TBackendError({ code: "invalid_request", message: "createPayer needs a wallet from sdk.cip30.enable" });
      const opts = amounts(options, ["maxPerPaymentLovelace", "maxTotalLovelace"]);
      this.#handle = unwrap(core.newPayer(wallet.handle, opts)).handle;
      payers.register(this, this.#handle);
      this.wallet = wallet;
    }
    get handle() { return this.#handle; }
    /** Lovelace this payer has spent (outputs and fees), as a string. */
    spentLovelace() { return core.payerSpent(this.#handle); }
    /** The journal entries, newest first: { invoiceId, txHash, state, ... }. */
    journal() { return core.payerJournal(this.#handle); }
  }

  const cip30 = Object.freeze({
    wallets: () => core.cip30Wallets(),
    waitForWallets: (options) => core.cip30WaitForWallets(options),
    enable: async (id) => new Wallet(await core.cip30Enable(id)),
  });

  return Object.freeze({
    version: core.version,
    createClient: (options) => new Client(options),
    createPayer: (wallet, options) => new Payer(wallet, options),
    cip30,
    TBackendError,
  });
}
