// Types of the T Backend browser SDK (dist/sdk/tbackend.js).

/** Lovelace amounts are decimal strings in results (they can exceed 2^53). */
export type LovelaceString = string;
/** Lovelace accepted as a number (≤ 2^53), a decimal string or a bigint. */
export type LovelaceInput = number | string | bigint;
export type Network = "mainnet" | "preprod" | "preview";

export type ErrorCode =
  | "unauthorized" | "payment_required" | "forbidden" | "payload_too_large" | "invalid_request"
  | "server_error" | "network" | "timeout" | "aborted" | "budget_exceeded" | "payee_not_allowed"
  | "payment_declined" | "invoice_expired" | "invoice_invalid" | "network_mismatch"
  | "insufficient_funds" | "wallet_error" | "account_changed"
  /** Added beyond the original list: HTTP 404 and 429. */
  | "not_found" | "rate_limited";

export interface Output { address: string; lovelace: LovelaceString }

export interface Invoice {
  invoiceId: string;
  network: Network;
  asset: "ADA";
  /** What payTo receives. */
  amountLovelace: LovelaceString;
  /** Sum of all outputs, fee not included. */
  totalLovelace: LovelaceString;
  payTo: string;
  /** Every output the payment must contain: payTo first, then the splits. */
  outputs: Output[];
  /** ISO-8601. */
  expiresAt: string;
}

export class TBackendError extends Error {
  readonly name: "TBackendError";
  readonly code: ErrorCode;
  /** HTTP status, or 0 when no response arrived (an HTTP 408 is code "timeout" with status 408). */
  readonly status: number;
  readonly requestId?: string;
  /** The response body: parsed JSON, else text. */
  readonly body?: unknown;
  /** The invoice of an unpaid 402 (or an expired one). */
  readonly invoice?: Invoice;
}

/** The last argument of every method. */
export interface CallOptions {
  signal?: AbortSignal;
  /** X-Request-Id; chat also sends it as request_id. Stable across retries: reuse it to resume a call. */
  requestId?: string;
  /** Bounds each attempt (for streams: the wait for the answer and each silence between events). */
  timeoutMs?: number;
  bypassCache?: boolean;
  /** Extra headers for this call; from a browser each must pass the server's CORS policy. */
  headers?: Record<string, string>;
}

export interface ClientOptions {
  /** Default https://api-v3.fluxpointstudios.com; a path such as "/t" targets a same-origin proxy. */
  baseUrl?: string;
  /** Visible to anyone using the page: prefer a server-side proxy (serve.go) or a payer. */
  apiKey?: string;
  partner?: string;
  walletAddress?: string;
  payer?: Payer;
  timeoutMs?: number;
  /** Retries after 408, 429, 5xx and network failures (default 2; the retry after paying is extra). */
  maxRetries?: number;
  headers?: Record<string, string>;
}

/** Bytes accepted wherever an image goes. Strings must be base64 data URIs. */
export type ImageInput = string | Blob | Uint8Array | ArrayBuffer;

export interface ChatRequest {
  message: string;
  sessionId?: string;
  outputMode?: "structured";
  imageData?: ImageInput;
  system?: string;
  persona?: string;
  profile?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  meta?: Record<string, unknown>;
  context?: unknown;
  requestId?: string;
}

export interface ChatResponse {
  reply: string;
  replyJson: unknown | null;
  requestId: string;
  usedTools: unknown | null;
  provider: string | null;
  model: string | null;
  reasoning: unknown | null;
  balanceAfter: unknown | null;
  /** The whole answer as received. */
  raw: Record<string, unknown>;
}

export interface ChatEvent {
  /** content, reasoning, tool_call, tool_result, or what an older server sent; "message" when a frame has no type. */
  type: string;
  text?: string;
  name?: string;
  args?: unknown;
  ok?: boolean;
  /** The frame's parsed JSON, or its raw text. */
  data: unknown;
}

export interface ChatStream extends AsyncIterableIterator<ChatEvent> {
  /** Known once the service answered. */
  readonly requestId?: string;
  /** Cancels the request (break in for await does the same). */
  return(): Promise<IteratorResult<ChatEvent>>;
}

export interface TokenAnalysisRequest {
  token?: string;
  policyId?: string;
  assetNameHex?: string;
  network?: "cardano" | "ethereum" | "base" | "solana" | "polygon" | "avalanche";
  apiVersion?: "1" | "2" | 1 | 2;
}

export interface ImagesResponse { success: boolean; images: unknown[]; [key: string]: unknown }

export interface Client {
  readonly baseUrl: string;
  health(options?: CallOptions): Promise<unknown>;
  api(options?: CallOptions): Promise<unknown>;
  usage(options?: CallOptions): Promise<unknown>;
  chat(request: ChatRequest, options?: CallOptions): Promise<ChatResponse>;
  chatStream(request: ChatRequest, options?: CallOptions): ChatStream;
  tokenAnalysis(request: TokenAnalysisRequest, options?: CallOptions): Promise<Record<string, unknown>>;
  images: {
    generate(request: { prompt: string; size?: string; n?: number }, options?: CallOptions): Promise<ImagesResponse>;
    edit(request: { prompt: string; inputImages: ImageInput[]; size?: string; n?: number }, options?: CallOptions): Promise<ImagesResponse>;
    uploadAndEdit(request: { prompt: string; image: ImageInput | ImageInput[]; size?: string; n?: number }, options?: CallOptions): Promise<ImagesResponse>;
    variations(request: { image: ImageInput; size?: string; n?: number }, options?: CallOptions): Promise<ImagesResponse>;
  };
  payments: {
    status(invoiceId: string, options?: CallOptions): Promise<{ status: "pending" | "submitted" | "confirmed" | "consumed" | "expired" | "failed"; txHash?: string; [key: string]: unknown }>;
    balance(query: { partner?: string; wallet?: string }, options?: CallOptions): Promise<unknown>;
  };
  /** Any other route, with the same retries, errors and 402 handling. Objects are sent as JSON, strings as text, bytes as is. */
  request(method: string, path: string, init?: { body?: unknown; query?: Record<string, string | number | boolean>; headers?: Record<string, string> }, options?: CallOptions): Promise<unknown>;
}

export interface WalletInfo { id: string; name: string; icon: string; apiVersion: string }

export interface Asset { policyId: string; assetName: string; quantity: string }

export interface Wallet extends WalletInfo {
  networkId(): Promise<0 | 1>;
  balance(): Promise<{ lovelace: LovelaceString; assets: Asset[] }>;
  changeAddress(): Promise<string>;
  usedAddresses(): Promise<string[]>;
  utxos(): Promise<{ txHash: string; index: number; address: string; lovelace: LovelaceString; assets: Asset[] }[]>;
}

export interface Quote {
  invoiceId: string;
  payTo: string;
  outputs: Output[];
  feeLovelace: LovelaceString;
  /** Every output plus the fee. */
  totalLovelace: LovelaceString;
  /** ISO-8601. */
  expiresAt: string;
  /** "METHOD /path" of the call being paid. */
  route: string;
  network: Network;
}

export interface Receipt {
  invoiceId: string;
  txHash: string;
  totalLovelace: LovelaceString;
  feeLovelace: LovelaceString;
  mode: "cbor" | "submit";
}

export interface PayerOptions {
  /** Every output plus the fee, per payment. Default 10 ADA. */
  maxPerPaymentLovelace?: LovelaceInput;
  /** Over this payer's life (one page session; the journal, not this total, survives a reload). Default 50 ADA. */
  maxTotalLovelace?: LovelaceInput;
  allowedPayTo?: string[];
  network?: Network;
  /** "cbor" (default): the server submits the signed transaction; "submit": the wallet submits it. */
  mode?: "cbor" | "submit";
  /**
   * Resolve true to sign; anything else declines (payment_declined). The signal aborts when the call is cancelled: close the dialog then.
   * Without this hook, payments within the caps go ahead without asking anyone.
   */
  confirm?: (quote: Quote, options: { signal: AbortSignal }) => boolean | Promise<boolean>;
  onPaid?: (receipt: Receipt) => void;
  protocolParams?: { minFeeA?: number; minFeeB?: number; coinsPerUTxOByte?: number; maxTxSize?: number };
}

export interface JournalEntry {
  invoiceId: string;
  txHash: string;
  state: "signing" | "signed" | "submitted" | "accepted" | "rejected";
  totalLovelace: LovelaceString;
  expiresAt: string;
}

export interface Payer {
  readonly wallet: Wallet;
  spentLovelace(): LovelaceString;
  journal(): JournalEntry[];
}

export interface SDK {
  readonly version: string;
  createClient(options?: ClientOptions): Client;
  createPayer(wallet: Wallet, options?: PayerOptions): Payer;
  cip30: {
    /** The CIP-30 wallets injected now. */
    wallets(): WalletInfo[];
    /** Resolves as soon as a wallet (or the one named by id) is present, or with what is there at the timeout; never rejects. */
    waitForWallets(options?: { timeoutMs?: number; id?: string }): Promise<WalletInfo[]>;
    enable(id: string): Promise<Wallet>;
  };
  TBackendError: typeof TBackendError;
}

export function load(options?: { wasmUrl?: string | URL; wasmExecUrl?: string | URL }): Promise<SDK>;
