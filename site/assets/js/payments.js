// The connected CIP-30 wallet and its payer, shared by every page: the
// wallet is reconnected after a reload, the payer is rebuilt when the
// limits change, every quote goes through the confirmation dialog, and
// receipts land in the payment history.
import { adaToLovelace } from "./dom.js";
import { addSpent, sandboxAccount, saveSettings, spentLovelace, upsertPayment } from "./store.js";
import { confirmQuote } from "./confirm-dialog.js";

export function createWallets({ sdk, cfg, getSettings, changed }) {
  let wallet = null;
  let payer = null;
  let version = 0;
  let problem = null;
  let sandbox = null;

  /** The sandbox wallet exists only in sandbox mode, injected before any discovery. */
  function installSandbox() {
    if (!cfg.sandboxWallet) return Promise.resolve();
    sandbox ??= import(cfg.sandboxWallet)
      .then((m) => m.installSandboxWallet({ account: sandboxAccount() }))
      .catch((err) => {
        problem = err;
      });
    return sandbox;
  }

  function limits() {
    const s = getSettings();
    const perPayment = adaToLovelace(s.maxPerPaymentAda) ?? adaToLovelace("5");
    const total = adaToLovelace(s.maxTotalAda) ?? adaToLovelace("25");
    const left = total - spentLovelace();
    return { perPayment, total, left: left > 0n ? left : 0n, spent: total - (left > 0n ? left : 0n) };
  }

  function rebuildPayer() {
    payer = null;
    version++;
    if (!wallet) return;
    const s = getSettings();
    const { perPayment, left } = limits();
    try {
      payer = sdk.createPayer(wallet, {
        maxPerPaymentLovelace: perPayment,
        // The cap counts what this browser paid before, across reloads. The
        // SDK refuses a cap of 0, so a used-up allowance is 1 lovelace: every
        // invoice is then over it (budget_exceeded) before any signature.
        maxTotalLovelace: left > 0n ? left : 1n,
        allowedPayTo: s.allowedPayTo?.length ? s.allowedPayTo : undefined,
        network: cfg.network,
        mode: s.payMode === "submit" ? "submit" : "cbor",
        confirm: confirmPayment,
        onPaid: recordReceipt,
      });
      problem = null;
    } catch (err) {
      problem = err;
    }
  }

  async function confirmPayment(quote, { signal } = {}) {
    upsertPayment({
      invoiceId: quote.invoiceId, route: quote.route, totalLovelace: quote.totalLovelace,
      feeLovelace: quote.feeLovelace, network: quote.network, state: "awaiting", status: "",
    });
    const ok = await confirmQuote(quote, limits(), signal);
    upsertPayment({ invoiceId: quote.invoiceId, state: ok ? "approved" : "declined" });
    return ok;
  }

  function recordReceipt(receipt) {
    upsertPayment({
      invoiceId: receipt.invoiceId, txHash: receipt.txHash, totalLovelace: receipt.totalLovelace,
      feeLovelace: receipt.feeLovelace, mode: receipt.mode, state: "paid",
    });
    try {
      addSpent(receipt.totalLovelace);
    } catch {
      // a malformed amount must not break the paid call
    }
    changed();
  }

  return {
    /** Detected wallets ([{ id, name, icon, apiVersion }]), waiting briefly for late injection. */
    async list({ timeoutMs = 1500 } = {}) {
      await installSandbox();
      await sdk.cip30.waitForWallets({ timeoutMs });
      return sdk.cip30.wallets();
    },
    async connect(id) {
      await installSandbox();
      wallet = await sdk.cip30.enable(id);
      saveSettings({ walletId: id }); // rebuilds the payer through settingsChanged
      if (!payer) rebuildPayer();
      changed();
      return wallet;
    },
    disconnect() {
      wallet = null;
      payer = null;
      version++;
      saveSettings({ walletId: "" });
    },
    /** Reconnects the wallet of the last visit, if it is still there. */
    async reconnect() {
      await installSandbox();
      const id = getSettings().walletId;
      if (!id) return;
      try {
        await sdk.cip30.waitForWallets({ id, timeoutMs: 2500 });
        if (!sdk.cip30.wallets().some((w) => w.id === id)) return;
        wallet = await sdk.cip30.enable(id);
        rebuildPayer();
      } catch (err) {
        problem = err;
      }
    },
    settingsChanged() {
      rebuildPayer();
    },
    current: () => wallet,
    payer: () => payer,
    payerVersion: () => version,
    problem: () => problem,
    limits,
  };
}
