// Sandbox CIP-30 wallet (not real ADA).
//
// An ES module for pages served next to the sandbox: it defines
// window.cardano[id] as a CIP-30 wallet whose keys live on the sandbox
// server (/sandbox/wallet/…). The keys are derived from the account name and
// are public; its ADA and tokens exist only in the sandbox and are worth
// nothing. Every answer is CBOR hex like a real wallet's (addresses as hex
// bytes); errors are CIP-30 objects {code, info}.
//
//   import { installSandboxWallet } from "/sandbox/wallet/wallet.js";
//   installSandboxWallet({ account: "demo" });
//   const api = await window.cardano.sandbox.enable();
//
// No inline script, no eval: it runs under a strict Content-Security-Policy.

const APIError = { InvalidRequest: -1, InternalError: -2, Refused: -3, AccountChange: -4 };

const ICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">' +
      '<rect width="64" height="64" rx="14" fill="#f4b400"/>' +
      '<path d="M14 40h36M14 24h36" stroke="#1b1b1b" stroke-width="5" stroke-dasharray="6 4"/>' +
      '<text x="32" y="37" font-family="sans-serif" font-size="13" font-weight="700" text-anchor="middle" fill="#1b1b1b">TEST</text>' +
      "</svg>",
  );

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

function apiError(code, info) {
  return { code, info };
}

/**
 * Defines window.cardano[id], a CIP-30 wallet backed by the sandbox server.
 * @param {{ base?: string, account?: string, id?: string }} [options]
 *   base: where WalletHandler is mounted (same origin); account: the
 *   sandbox account ([a-z0-9-]{1,40}; "poor…" and "tokens-only…" names get
 *   other funding); id: the window.cardano key.
 * @returns the wallet object that was installed
 */
export function installSandboxWallet({ base = "/sandbox/wallet", account = "demo", id = "sandbox" } = {}) {
  if (typeof account !== "string" || !/^[a-z0-9-]{1,40}$/.test(account)) {
    throw new TypeError("installSandboxWallet: account must be 1 to 40 characters of a-z, 0-9 and '-'");
  }
  if (typeof id !== "string" || id === "") {
    throw new TypeError("installSandboxWallet: id must be a non-empty string");
  }
  const root = String(base).replace(/\/+$/, "") + "/" + account + "/";
  const storageKey = "tbackend-sandbox-wallet-enabled:" + id + ":" + account;
  let enabled = readEnabled(storageKey);
  let info = null;

  async function call(method, path, body) {
    let res;
    try {
      res = await fetch(root + path, {
        method,
        headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch (e) {
      throw apiError(APIError.InternalError, "the sandbox wallet is unreachable: " + (e && e.message ? e.message : String(e)));
    }
    let data;
    try {
      data = await res.json();
    } catch {
      throw apiError(APIError.InternalError, "the sandbox wallet answered HTTP " + res.status + " without JSON");
    }
    if (!res.ok) {
      if (data && typeof data.maxSize === "number") throw { maxSize: data.maxSize };
      if (data && typeof data.code === "number") throw apiError(data.code, String(data.info ?? ""));
      throw apiError(APIError.InternalError, "the sandbox wallet answered HTTP " + res.status);
    }
    return data;
  }

  async function walletInfo() {
    if (!info) info = await call("GET", "info");
    return info;
  }

  function mustBeEnabled() {
    if (!enabled) throw apiError(APIError.Refused, "call enable() first");
  }

  function hexArg(name, v) {
    if (typeof v !== "string" || !HEX.test(v)) throw apiError(APIError.InvalidRequest, name + " must be CBOR hex");
    return v;
  }

  const api = {
    async getNetworkId() {
      mustBeEnabled();
      return (await walletInfo()).networkId;
    },
    async getUtxos(amount, paginate) {
      mustBeEnabled();
      const q = new URLSearchParams();
      if (amount !== undefined && amount !== null) q.set("amount", hexArg("amount", amount));
      if (paginate !== undefined && paginate !== null) {
        if (!Number.isInteger(paginate.page) || !Number.isInteger(paginate.limit)) {
          throw apiError(APIError.InvalidRequest, "paginate must be { page, limit } integers");
        }
        q.set("page", String(paginate.page));
        q.set("limit", String(paginate.limit));
      }
      const s = q.toString();
      return call("GET", "utxos" + (s ? "?" + s : ""));
    },
    async getCollateral(params) {
      mustBeEnabled();
      const amount = typeof params === "string" ? params : params && params.amount;
      const q = amount === undefined || amount === null ? "" : "?amount=" + hexArg("amount", amount);
      return call("GET", "collateral" + q);
    },
    async getBalance() {
      mustBeEnabled();
      return call("GET", "balance");
    },
    async getUsedAddresses(paginate) {
      mustBeEnabled();
      if (paginate && paginate.page > 0) throw { maxSize: 1 };
      return [(await walletInfo()).addressHex];
    },
    async getUnusedAddresses() {
      mustBeEnabled();
      return [];
    },
    async getChangeAddress() {
      mustBeEnabled();
      return (await walletInfo()).addressHex;
    },
    async getRewardAddresses() {
      mustBeEnabled();
      return [(await walletInfo()).rewardAddressHex];
    },
    async signTx(tx, partialSign = false) {
      mustBeEnabled();
      const out = await call("POST", "sign", { tx: hexArg("tx", tx), partial: Boolean(partialSign) });
      return out.witnessSet;
    },
    async signData() {
      mustBeEnabled();
      throw apiError(APIError.InvalidRequest, "signData is not supported in the sandbox");
    },
    async submitTx(tx) {
      mustBeEnabled();
      const out = await call("POST", "submit", { tx: hexArg("tx", tx) });
      return out.txHash;
    },
    async getExtensions() {
      mustBeEnabled();
      return [];
    },
  };
  Object.freeze(api);

  const wallet = Object.freeze({
    name: "Sandbox wallet (not real ADA)",
    icon: ICON,
    apiVersion: "1.0.0",
    supportedExtensions: [],
    async isEnabled() {
      return enabled;
    },
    async enable() {
      enabled = true;
      writeEnabled(storageKey);
      return api;
    },
  });

  const w = globalThis.window ?? globalThis;
  if (typeof w.cardano !== "object" || w.cardano === null) w.cardano = {};
  w.cardano[id] = wallet;
  return wallet;
}

function readEnabled(key) {
  try {
    return globalThis.localStorage?.getItem(key) === "1";
  } catch {
    return false;
  }
}

function writeEnabled(key) {
  try {
    globalThis.localStorage?.setItem(key, "1");
  } catch {
    // Storage may be off (private mode): enabling lasts for this page only.
  }
}
