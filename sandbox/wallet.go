package sandbox

import (
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/fxamacker/cbor/v2"
	"github.com/tbackend/sdk/sandbox/ledger"
)

// walletJS is the browser side: installSandboxWallet() defines
// window.cardano.sandbox over the endpoints below.
//
//go:embed wallet.js
var walletJS []byte

// CIP-30 error codes the wallet endpoints answer with.
const (
	walletInvalidRequest  = -1 // APIError
	walletInternalError   = -2 // APIError
	walletProofGeneration = 1  // TxSignError
	walletSendFailure     = 2  // TxSendError
)

// walletMaxBody bounds a sign or submit request: a 16 KiB transaction is
// 32 KiB of hex.
const walletMaxBody = 96 << 10

// walletMaxCollateral is CIP-30's bound on getCollateral's amount (5 ADA).
const walletMaxCollateral = 5_000_000

const walletNote = "Sandbox wallet: its keys are derived from the account name and are public; its ADA and tokens exist only in this sandbox and are worth nothing."

// WalletHandler serves the sandbox CIP-30 wallet, relative to where it is
// mounted (serve.go: /sandbox/wallet/, with StripPrefix):
//
//	GET  wallet.js                the ES module (installSandboxWallet)
//	GET  {account}/info           {networkId, address, addressHex, rewardAddress, rewardAddressHex, profile, sandbox, note}
//	GET  {account}/utxos          ["<hex TransactionUnspentOutput>", ...]; ?amount=<hex value> selects
//	                              UTxOs covering it (null when it cannot), ?page=&limit= paginates
//	GET  {account}/collateral     pure-ADA UTxOs covering ?amount=<hex coin> (default and at most 5 ADA), or null
//	GET  {account}/balance        "<hex value CBOR>"
//	POST {account}/sign           {tx, partial} → {witnessSet}
//	POST {account}/submit         {tx} → {txHash}
//
// {account} is [a-z0-9-]{1,40}; each account is funded on first use (see
// package ledger for the profiles). Errors are 4xx {code, info} with
// CIP-30 codes: APIError -1/-2, TxSignError 1, TxSendError 2; a page out of
// range is 400 {maxSize}. CORS is open (*).
func (g *Gate) WalletHandler() http.Handler { return http.HandlerFunc(g.serveWallet) }

func (g *Gate) serveWallet(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Content-Type")
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	path := strings.Trim(r.URL.Path, "/")
	if path == "wallet.js" {
		if !walletMethod(w, r, http.MethodGet) {
			return
		}
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		w.Write(walletJS)
		return
	}
	account, op, _ := strings.Cut(path, "/")
	if !ledger.ValidAccount(account) {
		walletError(w, http.StatusNotFound, walletInvalidRequest, "unknown sandbox wallet path; accounts are 1 to 40 characters of a-z, 0-9 and '-'")
		return
	}
	switch op {
	case "info":
		if walletMethod(w, r, http.MethodGet) {
			g.walletInfo(w, account)
		}
	case "utxos":
		if walletMethod(w, r, http.MethodGet) {
			g.walletUTxOs(w, r, account)
		}
	case "collateral":
		if walletMethod(w, r, http.MethodGet) {
			g.walletCollateral(w, r, account)
		}
	case "balance":
		if walletMethod(w, r, http.MethodGet) {
			g.walletBalance(w, account)
		}
	case "sign":
		if walletMethod(w, r, http.MethodPost) {
			g.walletSign(w, r, account)
		}
	case "submit":
		if walletMethod(w, r, http.MethodPost) {
			g.walletSubmit(w, r, account)
		}
	default:
		walletError(w, http.StatusNotFound, walletInvalidRequest, fmt.Sprintf("unknown sandbox wallet endpoint %q", op))
	}
}

func walletMethod(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method || method == http.MethodGet && r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", method)
	walletError(w, http.StatusMethodNotAllowed, walletInvalidRequest, "use "+method)
	return false
}

func (g *Gate) walletInfo(w http.ResponseWriter, account string) {
	key := ledger.KeyFor(account)
	net := g.led.Network()
	addr, reward := key.Address(net), key.RewardAddress(net)
	walletJSON(w, http.StatusOK, map[string]any{
		"account":          account,
		"profile":          ledger.Profile(account),
		"network":          net.Name,
		"networkId":        net.ID,
		"address":          addr.String(),
		"addressHex":       addr.Hex(),
		"rewardAddress":    reward.String(),
		"rewardAddressHex": reward.Hex(),
		"sandbox":          true,
		"note":             walletNote,
	})
}

func (g *Gate) walletUTxOs(w http.ResponseWriter, r *http.Request, account string) {
	utxos, err := g.led.UTxOs(account)
	if err != nil {
		walletError(w, http.StatusBadRequest, walletInvalidRequest, err.Error())
		return
	}
	q := r.URL.Query()
	if a := q.Get("amount"); a != "" {
		want, err := walletValue(a)
		if err != nil {
			walletError(w, http.StatusBadRequest, walletInvalidRequest, "amount: "+err.Error())
			return
		}
		if utxos = walletSelect(utxos, want); utxos == nil {
			walletJSON(w, http.StatusOK, nil)
			return
		}
	}
	if q.Has("page") || q.Has("limit") {
		page, err1 := strconv.Atoi(q.Get("page"))
		limit, err2 := strconv.Atoi(q.Get("limit"))
		if err1 != nil || err2 != nil || page < 0 || limit < 1 {
			walletError(w, http.StatusBadRequest, walletInvalidRequest, "paginate needs page ≥ 0 and limit ≥ 1")
			return
		}
		pages := (len(utxos) + limit - 1) / limit
		if page >= max(pages, 1) {
			walletJSON(w, http.StatusBadRequest, map[string]int{"maxSize": pages})
			return
		}
		utxos = utxos[page*limit : min(len(utxos), (page+1)*limit)]
	}
	walletUTxOList(w, utxos)
}

// walletSelect picks UTxOs covering want: first those holding the tokens it
// asks for, then the largest in lovelace. Nil when the account cannot.
func walletSelect(utxos []ledger.UTxO, want ledger.Value) []ledger.UTxO {
	sorted := slices.Clone(utxos)
	slices.SortStableFunc(sorted, func(a, b ledger.UTxO) int {
		at, bt := walletHolds(a, want), walletHolds(b, want)
		if at != bt {
			if at {
				return -1
			}
			return 1
		}
		switch {
		case a.Output.Value.Coin > b.Output.Value.Coin:
			return -1
		case a.Output.Value.Coin < b.Output.Value.Coin:
			return 1
		}
		return 0
	})
	var picked []ledger.UTxO
	var sum ledger.Value
	for _, u := range sorted {
		if sum.Covers(want) {
			break
		}
		picked = append(picked, u)
		sum, _ = sum.Add(u.Output.Value)
	}
	if !sum.Covers(want) {
		return nil
	}
	return picked
}

func walletHolds(u ledger.UTxO, want ledger.Value) bool {
	for a := range want.Assets {
		if u.Output.Value.Assets[a] > 0 {
			return true
		}
	}
	return false
}

func (g *Gate) walletCollateral(w http.ResponseWriter, r *http.Request, account string) {
	amount := uint64(walletMaxCollateral)
	if a := r.URL.Query().Get("amount"); a != "" {
		v, err := walletValue(a)
		if err != nil || len(v.Assets) > 0 {
			walletError(w, http.StatusBadRequest, walletInvalidRequest, "amount must be hex CBOR of a coin")
			return
		}
		amount = v.Coin
	}
	if amount > walletMaxCollateral {
		walletError(w, http.StatusBadRequest, walletInvalidRequest, "collateral above 5 ADA is not supported (CIP-30)")
		return
	}
	utxos, err := g.led.UTxOs(account)
	if err != nil {
		walletError(w, http.StatusBadRequest, walletInvalidRequest, err.Error())
		return
	}
	// The smallest pure-ADA UTxO that covers the amount on its own.
	var best *ledger.UTxO
	for i, u := range utxos {
		v := u.Output.Value
		if len(v.Assets) == 0 && v.Coin >= amount && (best == nil || v.Coin < best.Output.Value.Coin) {
			best = &utxos[i]
		}
	}
	if best == nil {
		walletJSON(w, http.StatusOK, nil)
		return
	}
	walletUTxOList(w, []ledger.UTxO{*best})
}

func walletUTxOList(w http.ResponseWriter, utxos []ledger.UTxO) {
	out := make([]string, 0, len(utxos))
	for _, u := range utxos {
		b, err := cbor.Marshal(u)
		if err != nil {
			walletError(w, http.StatusInternalServerError, walletInternalError, err.Error())
			return
		}
		out = append(out, hex.EncodeToString(b))
	}
	walletJSON(w, http.StatusOK, out)
}

func walletValue(s string) (ledger.Value, error) {
	raw, err := hex.DecodeString(s)
	if err != nil {
		return ledger.Value{}, errors.New("not hex")
	}
	return ledger.DecodeValue(raw)
}

func (g *Gate) walletBalance(w http.ResponseWriter, account string) {
	v, err := g.led.Balance(account)
	if err != nil {
		walletError(w, http.StatusBadRequest, walletInvalidRequest, err.Error())
		return
	}
	b, err := v.MarshalCBOR()
	if err != nil {
		walletError(w, http.StatusInternalServerError, walletInternalError, err.Error())
		return
	}
	walletJSON(w, http.StatusOK, hex.EncodeToString(b))
}

type walletTxRequest struct {
	Tx      string `json:"tx"`
	Partial bool   `json:"partial"`
}

// walletReadTx reads {tx: hex, partial} and decodes the hex.
func walletReadTx(w http.ResponseWriter, r *http.Request) (walletTxRequest, []byte, bool) {
	var req walletTxRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, walletMaxBody))
	if err != nil {
		walletError(w, http.StatusRequestEntityTooLarge, walletInvalidRequest, "the request is too large")
		return req, nil, false
	}
	if err := json.Unmarshal(body, &req); err != nil {
		walletError(w, http.StatusBadRequest, walletInvalidRequest, "the body must be JSON {\"tx\": \"<hex CBOR>\"}")
		return req, nil, false
	}
	raw, err := hex.DecodeString(req.Tx)
	if err != nil || len(raw) == 0 {
		walletError(w, http.StatusBadRequest, walletInvalidRequest, "tx must be the transaction's CBOR in hex")
		return req, nil, false
	}
	return req, raw, true
}

func (g *Gate) walletSign(w http.ResponseWriter, r *http.Request, account string) {
	req, raw, ok := walletReadTx(w, r)
	if !ok {
		return
	}
	ws, err := g.led.Sign(account, raw, req.Partial)
	switch {
	case errors.Is(err, ledger.ErrCannotSign):
		walletError(w, http.StatusBadRequest, walletProofGeneration, ledger.Reason(err))
	case err != nil:
		walletError(w, http.StatusBadRequest, walletInvalidRequest, ledger.Reason(err))
	default:
		walletJSON(w, http.StatusOK, map[string]string{"witnessSet": hex.EncodeToString(ws)})
	}
}

func (g *Gate) walletSubmit(w http.ResponseWriter, r *http.Request, account string) {
	_, raw, ok := walletReadTx(w, r)
	if !ok {
		return
	}
	tx, err := g.led.Apply(raw, g.confirmDelay)
	if err != nil {
		walletError(w, http.StatusBadRequest, walletSendFailure, ledger.Reason(err))
		return
	}
	walletJSON(w, http.StatusOK, map[string]string{"txHash": tx.HashHex()})
}

func walletError(w http.ResponseWriter, status, code int, info string) {
	walletJSON(w, status, map[string]any{"code": code, "info": info})
}

func walletJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":-2,"info":"encoding the answer failed"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
}
