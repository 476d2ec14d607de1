package sandbox

import (
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/tbackend/sdk/sandbox/ledger"
	"github.com/tbackend/sdk/sandbox/ledger/ledgertest"
)

// walletCode checks a 4xx {code, info} answer.
func (r payResponse) walletCode(t *testing.T, status, code int) string {
	t.Helper()
	r.want(t, status)
	var e struct {
		Code int
		Info string
	}
	r.json(t, &e)
	if e.Code != code || e.Info == "" {
		t.Fatalf("error %s, want code %d with info", r.body, code)
	}
	return e.Info
}

func TestWalletInfoAndScript(t *testing.T) {
	e := newPayEnv(t, GateConfig{})
	var info map[string]any
	e.do(t, "GET", "/sandbox/wallet/demo/info", nil).want(t, 200).json(t, &info)
	addr := e.gate.Ledger().Address("demo")
	if info["networkId"] != 0.0 || info["address"] != addr.String() || info["addressHex"] != addr.Hex() || info["sandbox"] != true ||
		!strings.HasPrefix(info["rewardAddress"].(string), "stake_test1") || !strings.Contains(info["note"].(string), "worth nothing") {
		t.Errorf("info %v", info)
	}
	res, err := http.Get(e.srv.URL + "/sandbox/wallet/wallet.js")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || !strings.HasPrefix(ct, "text/javascript") || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("wallet.js: %d %q", res.StatusCode, ct)
	}
	if !strings.Contains(string(walletJS), "export function installSandboxWallet") {
		t.Error("wallet.js does not export installSandboxWallet")
	}
	req, _ := http.NewRequest("OPTIONS", e.srv.URL+"/sandbox/wallet/demo/sign", nil)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 204 || res.Header.Get("Access-Control-Allow-Headers") == "" {
		t.Errorf("preflight: %v %v", res, err)
	}
	// Mounted with StripPrefix("/sandbox/wallet/") the path has no leading slash.
	rec := httptest.NewRecorder()
	http.StripPrefix("/sandbox/wallet/", e.gate.WalletHandler()).ServeHTTP(rec, httptest.NewRequest("GET", "/sandbox/wallet/demo/info", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), addr.String()) {
		t.Errorf("under StripPrefix with a slash: %d %s", rec.Code, rec.Body)
	}
	e.do(t, "GET", "/sandbox/wallet/Bad_Name/info", nil).walletCode(t, 404, -1)
	e.do(t, "GET", "/sandbox/wallet/demo/nope", nil).walletCode(t, 404, -1)
	e.do(t, "POST", "/sandbox/wallet/demo/utxos", nil).walletCode(t, 405, -1)
}

func TestWalletUTxOsAndBalance(t *testing.T) {
	e := newPayEnv(t, GateConfig{})
	var list []string
	e.do(t, "GET", "/sandbox/wallet/demo/utxos", nil).want(t, 200).json(t, &list)
	if len(list) != 4 {
		t.Fatalf("%d UTxOs", len(list))
	}
	addr := e.gate.Ledger().Address("demo")
	var total ledger.Value
	forms := map[string]bool{}
	for i, h := range list {
		raw, _ := hex.DecodeString(h)
		var tuo []cbor.RawMessage
		if err := cbor.Unmarshal(raw, &tuo); err != nil || len(tuo) != 2 {
			t.Fatalf("UTxO %d: %v", i, err)
		}
		var in struct {
			_     struct{} `cbor:",toarray"`
			TxID  []byte
			Index uint64
		}
		if err := cbor.Unmarshal(tuo[0], &in); err != nil || len(in.TxID) != 32 || in.Index != uint64(i) {
			t.Errorf("UTxO %d input %v", i, err)
		}
		var value cbor.RawMessage
		switch tuo[1][0] >> 5 {
		case 4:
			var legacy []cbor.RawMessage
			cbor.Unmarshal(tuo[1], &legacy)
			var a []byte
			cbor.Unmarshal(legacy[0], &a)
			if !ledger.Address(a).Equal(addr) {
				t.Errorf("UTxO %d address", i)
			}
			value, forms["legacy"] = legacy[1], true
		case 5:
			var m map[uint64]cbor.RawMessage
			cbor.Unmarshal(tuo[1], &m)
			value, forms["map"] = m[1], true
		}
		v, err := ledger.DecodeValue(value)
		if err != nil {
			t.Fatalf("UTxO %d value: %v", i, err)
		}
		total, _ = total.Add(v)
		forms[map[bool]string{true: "indefinite", false: "definite"}[raw[0] == 0x9f]] = true
	}
	if len(forms) != 4 {
		t.Errorf("forms served: %v", forms)
	}

	var bal string
	e.do(t, "GET", "/sandbox/wallet/demo/balance", nil).want(t, 200).json(t, &bal)
	raw, _ := hex.DecodeString(bal)
	v, err := ledger.DecodeValue(raw)
	if err != nil || !v.Equal(total) || v.Coin != 1260_000_000 || v.Assets[ledger.TokenSNEK] != 1_000_000 || v.Assets[ledger.NFT(1)] != 1 {
		t.Errorf("balance %+v %v", v, err)
	}

	// getUtxos(amount): enough UTxOs to cover it, or null.
	want := func(v ledger.Value) string {
		b, _ := v.MarshalCBOR()
		return hex.EncodeToString(b)
	}
	e.do(t, "GET", "/sandbox/wallet/demo/utxos?amount="+want(ledger.Value{Coin: 1100_000_000}), nil).want(t, 200).json(t, &list)
	if len(list) != 2 {
		t.Errorf("1100 ADA from %d UTxOs, want 2", len(list))
	}
	nft := ledger.Value{Coin: 1, Assets: map[ledger.Asset]uint64{ledger.NFT(3): 1}}
	e.do(t, "GET", "/sandbox/wallet/demo/utxos?amount="+want(nft), nil).want(t, 200).json(t, &list)
	if len(list) != 1 || !strings.Contains(list[0], hex.EncodeToString([]byte("tNFT0003"))) {
		t.Errorf("NFT selection %v", list)
	}
	if r := e.do(t, "GET", "/sandbox/wallet/demo/utxos?amount="+want(ledger.Value{Coin: 9e15}), nil).want(t, 200); string(r.body) != "null" {
		t.Errorf("uncoverable amount: %s", r.body)
	}
	e.do(t, "GET", "/sandbox/wallet/demo/utxos?page=1&limit=3", nil).want(t, 200).json(t, &list)
	if len(list) != 1 {
		t.Errorf("page 1 of 3: %d", len(list))
	}
	if r := e.do(t, "GET", "/sandbox/wallet/demo/utxos?page=2&limit=3", nil).want(t, 400); string(r.body) != `{"maxSize":2}` {
		t.Errorf("page out of range: %s", r.body)
	}
	e.do(t, "GET", "/sandbox/wallet/demo/collateral", nil).want(t, 200).json(t, &list)
	if len(list) != 1 {
		t.Errorf("collateral %v", list)
	}
	if r := e.do(t, "GET", "/sandbox/wallet/poor-1/collateral", nil).want(t, 200); string(r.body) != "null" {
		t.Errorf("a poor wallet has no 5 ADA collateral: %s", r.body)
	}
}

func TestWalletSignAndSubmit(t *testing.T) {
	e := newPayEnv(t, GateConfig{ConfirmDelay: time.Second})
	l := e.gate.Ledger()
	inv := payInvoice{InvoiceID: "inv_wallet", AmountUnits: "4000000", PayTo: l.Address(ledger.Payee).String(), Timeout: 300}
	s := e.spend(t, inv, "demo", 1) // carries tokens: the change must return them
	_, body := s.Build()
	unsigned := hex.EncodeToString(ledgertest.Tx(body, ledgertest.WitnessSet(false), s.Aux))

	var signed struct{ WitnessSet string }
	e.do(t, "POST", "/sandbox/wallet/demo/sign", map[string]any{"tx": unsigned, "partial": false}).want(t, 200).json(t, &signed)
	ws, _ := hex.DecodeString(signed.WitnessSet)
	tx := ledgertest.Tx(body, ws, s.Aux)
	if _, err := l.Verify(tx); err != nil {
		t.Fatalf("the ledger refuses the wallet's witnesses: %v", err)
	}

	// Someone else's wallet cannot sign it (CIP-30 TxSignError ProofGeneration).
	e.do(t, "POST", "/sandbox/wallet/bob/sign", map[string]any{"tx": unsigned}).walletCode(t, 400, 1)
	var empty struct{ WitnessSet string }
	e.do(t, "POST", "/sandbox/wallet/bob/sign", map[string]any{"tx": unsigned, "partial": true}).want(t, 200).json(t, &empty)
	if empty.WitnessSet != "a0" {
		t.Errorf("partial signing with nothing to sign: %s", empty.WitnessSet)
	}
	e.do(t, "POST", "/sandbox/wallet/demo/sign", map[string]any{"tx": "zz"}).walletCode(t, 400, -1)

	// An unsigned transaction is refused (TxSendError Failure), a signed one
	// is applied.
	info := e.do(t, "POST", "/sandbox/wallet/demo/submit", map[string]any{"tx": unsigned}).walletCode(t, 400, 2)
	if !strings.Contains(info, "no witness") {
		t.Errorf("submit refusal %q", info)
	}
	var sub struct{ TxHash string }
	e.do(t, "POST", "/sandbox/wallet/demo/submit", map[string]any{"tx": hex.EncodeToString(tx)}).want(t, 200).json(t, &sub)
	rec, ok := l.Transaction(sub.TxHash)
	if !ok || rec.Status != ledger.StatusSubmitted {
		t.Fatalf("after submit: %v %v", ok, rec.Status)
	}
	e.clock.advance(time.Second)
	if rec, _ = l.Transaction(sub.TxHash); rec.Status != ledger.StatusConfirmed {
		t.Errorf("after the delay: %v", rec.Status)
	}
	// The change (with every token) is spendable at once.
	var list []string
	e.do(t, "GET", "/sandbox/wallet/demo/utxos", nil).want(t, 200).json(t, &list)
	if len(list) != 4 || !strings.Contains(list[3], sub.TxHash) || !strings.Contains(list[3], hex.EncodeToString([]byte("tHOSKY"))) {
		t.Errorf("UTxOs after submit: %v", list)
	}
	e.do(t, "POST", "/sandbox/wallet/demo/submit", map[string]any{"tx": hex.EncodeToString(tx)}).walletCode(t, 400, 2)
}
