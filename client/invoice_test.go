package client

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"golang.org/x/crypto/blake2b"
	"math/bits"
	"strings"
	"testing"
	"time"

	"github.com/tbackend/sdk/internal/bech32"
)

// Addresses from the CIP-19 test vectors.
const (
	mainBase       = "addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgse35a3x"
	mainScriptBase = "addr1z8phkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gten0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgs9yc0hh"
	mainPointer    = "addr1gx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer5pnz75xxcrzqf96k"
	mainEnterprise = "addr1vx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzers66hrl8"
	mainScript     = "addr1w8phkx6acpnf78fuvxn0mkew3l0fd058hzquvz7w36x4gtcyjy7wx"
	testBase       = "addr_test1qz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgs68faae"
	testEnterprise = "addr_test1vz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzerspjrlsz"
	testPointer    = "addr_test1gz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer5pnz75xxcrdw5vky"
	stakeAddr      = "stake1uyehkck0lajq8gr28t9uxnuvgcqrc6070x3k9r8048z8y5gh6ffgw"
	testURL        = "https://api-v3.fluxpointstudios.com/chat"
)

var received = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// craftAddress encodes a header byte and payload under hrp, for addresses
// the vectors do not cover.
func craftAddress(t testing.TB, hrp string, header byte, payload int) string {
	t.Helper()
	data := append([]byte{header}, make([]byte, payload)...)
	for i := 1; i < len(data); i++ {
		data[i] = byte(i * 7)
	}
	s, err := bech32.Encode(hrp, data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// tapiBody is a realistic T API 402 body, changed by edit.
func tapiBody(edit func(d, extra map[string]any)) []byte {
	extra := map[string]any{"lovelace": true, "babel": false, "partner": "fluxpoint", "batchTarget": 100}
	d := map[string]any{
		"version": "0.1", "invoiceId": "inv_01JNB4Q8ZV3K7", "chain": "cardano-mainnet", "asset": "ADA",
		"amountUnits": "10000000", "decimals": 6, "payTo": mainBase, "timeout": 300, "extra": extra,
	}
	if edit != nil {
		edit(d, extra)
	}
	return mustJSON(map[string]any{"detail": d})
}

// flatBody is a realistic flat 402 body, changed by edit.
func flatBody(edit func(m, _ map[string]any)) []byte {
	m := map[string]any{
		"invoiceId": "7d5e1f0a-3c2b-4e8d-9a61-2f4b8c0d1e93", "amount": "2500000", "currency": "ADA", "decimals": 6,
		"payTo": mainEnterprise, "chain": "cardano-mainnet", "expiresAt": "2025-03-01T12:15:00Z",
		"splits": []any{map[string]any{"to": mainScript, "amount": "500000"}},
	}
	if edit != nil {
		edit(m, nil)
	}
	return mustJSON(m)
}

func cardanoReq() map[string]any {
	return map[string]any{
		"scheme": "exact", "network": "cardano:mainnet", "amount": "1500000", "asset": "lovelace",
		"payTo": mainBase, "maxTimeoutSeconds": 600, "extra": map[string]any{"memo": "chat"},
	}
}

// x402Header is a realistic PAYMENT-REQUIRED header (standard base64) with
// the given requirements.
func x402Header(reqs ...map[string]any) string {
	accepts := make([]any, len(reqs))
	for i, r := range reqs {
		accepts[i] = r
	}
	top := map[string]any{"x402Version": 2, "accepts": accepts,
		"resource": map[string]any{"url": testURL, "mimeType": "application/json"}}
	return base64.StdEncoding.EncodeToString(mustJSON(top))
}

func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(m, kv[i].(string))
		} else {
			m[kv[i].(string)] = kv[i+1]
		}
	}
	return m
}

func x402ID(url string, req []byte) string {
	sum := blake2b.Sum256([]byte(url + "\n" + string(req)))
	return "x402:" + hex.EncodeToString(sum[:])
}

func TestParseInvoiceValid(t *testing.T) {
	t.Parallel()
	splits16 := make([]any, 16)
	for i := range splits16 {
		splits16[i] = map[string]any{"address": mainEnterprise, "lovelace": 1000000 + i}
	}
	req := cardanoReq()
	tests := []struct {
		name string
		src  InvoiceSource
		want Invoice
	}{
		{name: "T API mainnet", src: InvoiceSource{Body: tapiBody(nil)},
			want: Invoice{ID: "inv_01JNB4Q8ZV3K7", Kind: KindTAPI, Network: "mainnet", Asset: "ADA", AmountLovelace: 10000000,
				PayTo: mainBase, Outputs: []Output{{mainBase, 10000000}}, ExpiresAt: received.Add(300 * time.Second), Partner: "fluxpoint"}},
		{name: "T API integer amount", src: InvoiceSource{Body: tapiBody(func(d, _ map[string]any) { d["amountUnits"] = 10000000 })},
			want: Invoice{ID: "inv_01JNB4Q8ZV3K7", Kind: KindTAPI, Network: "mainnet", Asset: "ADA", AmountLovelace: 10000000,
				PayTo: mainBase, Outputs: []Output{{mainBase, 10000000}}, ExpiresAt: received.Add(300 * time.Second), Partner: "fluxpoint"}},
		{name: "T API preprod with outputs", src: InvoiceSource{Body: tapiBody(func(d, e map[string]any) {
			with(d, "chain", "cardano-preprod", "payTo", testBase, "timeout", "120")
			e["outputs"] = []any{map[string]any{"address": testEnterprise, "lovelace": "1500000"}, map[string]any{"address": testPointer, "lovelace": 2000000}}
			with(e, "partner", nil, "lovelace", nil, "futureField", map[string]any{"x": 1})
		})},
			want: Invoice{ID: "inv_01JNB4Q8ZV3K7", Kind: KindTAPI, Network: "preprod", Asset: "ADA", AmountLovelace: 10000000,
				PayTo: testBase, Outputs: []Output{{testBase, 10000000}, {testEnterprise, 1500000}, {testPointer, 2000000}}, ExpiresAt: received.Add(120 * time.Second)}},
		{name: "T API preview with split to/amount", src: InvoiceSource{Body: tapiBody(func(d, e map[string]any) {
			with(d, "chain", "Cardano-Preview", "payTo", strings.ToUpper(testEnterprise), "asset", "ada", "decimals", nil)
			e["outputs"] = []any{}
			e["split"] = []any{map[string]any{"to": testBase, "amount": 1}}
		})},
			want: Invoice{ID: "inv_01JNB4Q8ZV3K7", Kind: KindTAPI, Network: "preview", Asset: "ADA", AmountLovelace: 10000000,
				PayTo: testEnterprise, Outputs: []Output{{testEnterprise, 10000000}, {testBase, 1}}, ExpiresAt: received.Add(300 * time.Second), Partner: "fluxpoint"}},
		{name: "T API plain cardano chain, no extra", src: InvoiceSource{Body: tapiBody(func(d, _ map[string]any) {
			with(d, "chain", "cardano", "extra", nil, "payTo", mainScriptBase, "amountUnits", "45000000000000000")
		})},
			want: Invoice{ID: "inv_01JNB4Q8ZV3K7", Kind: KindTAPI, Network: "mainnet", Asset: "ADA", AmountLovelace: 45000000000000000,
				PayTo: mainScriptBase, Outputs: []Output{{mainScriptBase, 45000000000000000}}, ExpiresAt: received.Add(300 * time.Second)}},
		{name: "T API same split given twice", src: InvoiceSource{Body: tapiBody(func(_, e map[string]any) {
			e["split"] = []any{map[string]any{"to": mainPointer, "address": mainPointer, "amount": "7", "lovelace": "7"}}
		})},
			want: Invoice{ID: "inv_01JNB4Q8ZV3K7", Kind: KindTAPI, Network: "mainnet", Asset: "ADA", AmountLovelace: 10000000,
				PayTo: mainBase, Outputs: []Output{{mainBase, 10000000}, {mainPointer, 7}}, ExpiresAt: received.Add(300 * time.Second), Partner: "fluxpoint"}},
		{name: "flat", src: InvoiceSource{Body: flatBody(nil)},
			want: Invoice{ID: "7d5e1f0a-3c2b-4e8d-9a61-2f4b8c0d1e93", Kind: KindFlat, Network: "mainnet", Asset: "ADA", AmountLovelace: 2500000,
				PayTo: mainEnterprise, Outputs: []Output{{mainEnterprise, 2500000}, {mainScript, 500000}}, ExpiresAt: received.Add(15 * time.Minute)}},
		{name: "flat lovelace currency, offset time", src: InvoiceSource{Body: flatBody(func(m, _ map[string]any) {
			with(m, "currency", "lovelace", "decimals", 0, "expiresAt", "2025-03-01T14:15:00+02:00", "splits", nil, "amount", 2500000)
		})},
			want: Invoice{ID: "7d5e1f0a-3c2b-4e8d-9a61-2f4b8c0d1e93", Kind: KindFlat, Network: "mainnet", Asset: "ADA", AmountLovelace: 2500000,
				PayTo: mainEnterprise, Outputs: []Output{{mainEnterprise, 2500000}}, ExpiresAt: received.Add(15 * time.Minute)}},
		{name: "flat 16 splits, preprod, time without zone", src: InvoiceSource{Body: flatBody(func(m, _ map[string]any) {
			with(m, "chain", "cardano:preprod", "payTo", testBase, "expiresAt", "2025-03-01T12:00:01.5", "splits", fixSplits(splits16, testEnterprise))
		})},
			want: Invoice{ID: "7d5e1f0a-3c2b-4e8d-9a61-2f4b8c0d1e93", Kind: KindFlat, Network: "preprod", Asset: "ADA", AmountLovelace: 2500000,
				PayTo: testBase, Outputs: append([]Output{{testBase, 2500000}}, outputs16(testEnterprise)...), ExpiresAt: received.Add(1500 * time.Millisecond)}},
		{name: "flat python time, partner", src: InvoiceSource{Body: flatBody(func(m, _ map[string]any) {
			with(m, "expiresAt", "2025-03-01 12:15:00.000000+00:00", "partner", "acme")
		})},
			want: Invoice{ID: "7d5e1f0a-3c2b-4e8d-9a61-2f4b8c0d1e93", Kind: KindFlat, Network: "mainnet", Asset: "ADA", AmountLovelace: 2500000,
				PayTo: mainEnterprise, Outputs: []Output{{mainEnterprise, 2500000}, {mainScript, 500000}}, ExpiresAt: received.Add(15 * time.Minute), Partner: "acme"}},
		{name: "flat unix seconds", src: InvoiceSource{Body: flatBody(func(m, _ map[string]any) { m["expiresAt"] = received.Unix() + 60 })},
			want: Invoice{ID: "7d5e1f0a-3c2b-4e8d-9a61-2f4b8c0d1e93", Kind: KindFlat, Network: "mainnet", Asset: "ADA", AmountLovelace: 2500000,
				PayTo: mainEnterprise, Outputs: []Output{{mainEnterprise, 2500000}, {mainScript, 500000}}, ExpiresAt: received.Add(time.Minute)}},
		{name: "flat unix milliseconds", src: InvoiceSource{Body: flatBody(func(m, _ map[string]any) { m["expiresAt"] = received.UnixMilli() + 60000 })},
			want: Invoice{ID: "7d5e1f0a-3c2b-4e8d-9a61-2f4b8c0d1e93", Kind: KindFlat, Network: "mainnet", Asset: "ADA", AmountLovelace: 2500000,
				PayTo: mainEnterprise, Outputs: []Output{{mainEnterprise, 2500000}, {mainScript, 500000}}, ExpiresAt: received.Add(time.Minute)}},
		{name: "flat timeout instead of expiresAt", src: InvoiceSource{Body: flatBody(func(m, _ map[string]any) { with(m, "expiresAt", nil, "timeout", 30) })},
			want: Invoice{ID: "7d5e1f0a-3c2b-4e8d-9a61-2f4b8c0d1e93", Kind: KindFlat, Network: "mainnet", Asset: "ADA", AmountLovelace: 2500000,
				PayTo: mainEnterprise, Outputs: []Output{{mainEnterprise, 2500000}, {mainScript, 500000}}, ExpiresAt: received.Add(30 * time.Second)}},
		{name: "x402", src: InvoiceSource{PaymentRequired: x402Header(req), URL: testURL},
			want: Invoice{ID: x402ID(testURL, mustJSON(req)), Kind: KindX402, Network: "mainnet", Asset: "ADA", AmountLovelace: 1500000,
				PayTo: mainBase, Outputs: []Output{{mainBase, 1500000}}, ExpiresAt: received.Add(600 * time.Second), Requirement: mustJSON(req)}},
		{name: "x402 skips what it cannot pay", src: InvoiceSource{URL: testURL, PaymentRequired: x402Header(
			map[string]any{"scheme": "exact", "network": "eip155:8453", "amount": "3000000", "asset": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "payTo": "0x1234", "maxTimeoutSeconds": 60},
			with(cardanoReq(), "scheme", "upto"),
			with(cardanoReq(), "asset", "f43a62fdc3965df486de8a0d32fe800963589c41b38946602a0dc53541474958"),
			with(cardanoReq(), "payTo", testBase), // valid address, wrong network: skipped
			with(cardanoReq(), "network", "cardano:preview", "payTo", testEnterprise, "asset", "ADA", "maxTimeoutSeconds", "60"),
		)},
			want: Invoice{ID: x402ID(testURL, mustJSON(with(cardanoReq(), "network", "cardano:preview", "payTo", testEnterprise, "asset", "ADA", "maxTimeoutSeconds", "60"))),
				Kind: KindX402, Network: "preview", Asset: "ADA", AmountLovelace: 1500000, PayTo: testEnterprise,
				Outputs: []Output{{testEnterprise, 1500000}}, ExpiresAt: received.Add(time.Minute),
				Requirement: mustJSON(with(cardanoReq(), "network", "cardano:preview", "payTo", testEnterprise, "asset", "ADA", "maxTimeoutSeconds", "60"))}},
		{name: "x402 header wins over body", src: InvoiceSource{PaymentRequired: x402Header(req), URL: testURL, Body: tapiBody(nil)},
			want: Invoice{ID: x402ID(testURL, mustJSON(req)), Kind: KindX402, Network: "mainnet", Asset: "ADA", AmountLovelace: 1500000,
				PayTo: mainBase, Outputs: []Output{{mainBase, 1500000}}, ExpiresAt: received.Add(600 * time.Second), Requirement: mustJSON(req)}},
		{name: "x402 unusable header, body invoice", src: InvoiceSource{PaymentRequired: "not base64!", Body: tapiBody(nil)},
			want: Invoice{ID: "inv_01JNB4Q8ZV3K7", Kind: KindTAPI, Network: "mainnet", Asset: "ADA", AmountLovelace: 10000000,
				PayTo: mainBase, Outputs: []Output{{mainBase, 10000000}}, ExpiresAt: received.Add(300 * time.Second), Partner: "fluxpoint"}},
		{name: "x402 in the body", src: InvoiceSource{Body: mustJSON(map[string]any{"x402Version": 2, "accepts": []any{req}, "error": "payment required"}), URL: testURL},
			want: Invoice{ID: x402ID(testURL, mustJSON(req)), Kind: KindX402, Network: "mainnet", Asset: "ADA", AmountLovelace: 1500000,
				PayTo: mainBase, Outputs: []Output{{mainBase, 1500000}}, ExpiresAt: received.Add(600 * time.Second), Requirement: mustJSON(req)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := tt.src
			src.ReceivedAt = received
			inv, err := ParseInvoice(src)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			compareInvoice(t, inv, &tt.want)
		})
	}
}

func fixSplits(splits []any, addr string) []any {
	out := make([]any, len(splits))
	for i, s := range splits {
		m := map[string]any{}
		for k, v := range s.(map[string]any) {
			m[k] = v
		}
		m["address"] = addr
		out[i] = m
	}
	return out
}

func outputs16(addr string) []Output {
	var outs []Output
	for i := 0; i < 16; i++ {
		outs = append(outs, Output{addr, uint64(1000000 + i)})
	}
	return outs
}

func compareInvoice(t *testing.T, got, want *Invoice) {
	t.Helper()
	if got == nil {
		t.Fatal("nil invoice")
	}
	if !got.ExpiresAt.Equal(want.ExpiresAt) {
		t.Errorf("ExpiresAt %v, want %v", got.ExpiresAt, want.ExpiresAt)
	}
	g, w := *got, *want
	g.ExpiresAt, w.ExpiresAt = time.Time{}, time.Time{}
	if string(g.Requirement) != string(w.Requirement) {
		t.Errorf("Requirement\n got %s\nwant %s", g.Requirement, w.Requirement)
	}
	g.Requirement, w.Requirement = nil, nil
	if gj, wj := mustJSON(g), mustJSON(w); string(gj) != string(wj) {
		t.Errorf("invoice\n got %s\nwant %s", gj, wj)
	}
}

func TestParseInvoiceExpiry(t *testing.T) {
	t.Parallel()
	iso := func(t time.Time) string { return t.Format(time.RFC3339Nano) }
	tests := []struct {
		name    string
		src     InvoiceSource
		expired bool
		msg     string
	}{
		{"timeout 1", InvoiceSource{Body: tapiBody(func(d, _ map[string]any) { d["timeout"] = 1 })}, false, ""},
		{"timeout 0", InvoiceSource{Body: tapiBody(func(d, _ map[string]any) { d["timeout"] = 0 })}, true,
			"the invoice inv_01JNB4Q8ZV3K7 expired at 2025-03-01T12:00:00Z, before it could be paid (it arrived at 2025-03-01T12:00:00Z)"},
		{"timeout negative", InvoiceSource{Body: tapiBody(func(d, _ map[string]any) { d["timeout"] = -30 })}, true, "expired"},
		{"expiresAt one second later", InvoiceSource{Body: flatBody(func(m, _ map[string]any) { m["expiresAt"] = iso(received.Add(time.Second)) })}, false, ""},
		{"expiresAt one microsecond later", InvoiceSource{Body: flatBody(func(m, _ map[string]any) { m["expiresAt"] = iso(received.Add(time.Microsecond)) })}, false, ""},
		{"expiresAt at arrival", InvoiceSource{Body: flatBody(func(m, _ map[string]any) { m["expiresAt"] = iso(received) })}, true, "expired at 2025-03-01T12:00:00Z"},
		{"expiresAt an hour before", InvoiceSource{Body: flatBody(func(m, _ map[string]any) { m["expiresAt"] = "2025-03-01T11:00:00Z" })}, true, "expired at 2025-03-01T11:00:00Z"},
		{"x402 timeout 0", InvoiceSource{URL: testURL, PaymentRequired: x402Header(with(cardanoReq(), "maxTimeoutSeconds", 0))}, true, "expired"},
		{"x402 expired header wins", InvoiceSource{URL: testURL, PaymentRequired: x402Header(with(cardanoReq(), "maxTimeoutSeconds", 0)), Body: tapiBody(nil)}, true, "expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := tt.src
			src.ReceivedAt = received
			inv, err := ParseInvoice(src)
			if !tt.expired {
				if err != nil || inv == nil {
					t.Fatalf("error %v", err)
				}
				return
			}
			var e *Error
			if inv != nil || !errors.As(err, &e) || e.Code != CodeInvoiceExpired || !errors.Is(err, ErrInvoiceExpired) {
				t.Fatalf("got %v, %#v; want invoice_expired", inv, err)
			}
			if e.Invoice == nil || len(e.Invoice.Outputs) == 0 || e.Invoice.ID == "" {
				t.Fatalf("expired error without the parsed invoice: %+v", e.Invoice)
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Fatalf("message %q\nwant it to contain %q", e.Message, tt.msg)
			}
		})
	}
}

func TestParseInvoiceReceivedAtZero(t *testing.T) {
	t.Parallel()
	before := time.Now()
	inv, err := ParseInvoice(InvoiceSource{Body: tapiBody(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if inv.ExpiresAt.Before(before.Add(300*time.Second)) || inv.ExpiresAt.After(time.Now().Add(300*time.Second)) {
		t.Fatalf("ExpiresAt %v is not now + 300 s", inv.ExpiresAt)
	}
}

func TestParseInvoiceX402Encodings(t *testing.T) {
	t.Parallel()
	// The extra field makes the standard encoding use '+' and '/', so
	// that the URL alphabet really differs.
	req := with(cardanoReq(), "extra", map[string]any{"note": "???>>>~~~"})
	top := mustJSON(map[string]any{"x402Version": 2, "accepts": []any{req}})
	for len(top)%3 == 0 {
		top = append(top, ' ') // so that the standard encoding is padded
	}
	std := base64.StdEncoding.EncodeToString(top)
	if !strings.ContainsAny(std, "+/") || !strings.HasSuffix(std, "=") {
		t.Fatalf("test payload does not exercise the alphabets and padding: %s", std)
	}
	want := x402ID(testURL, mustJSON(req))
	for name, header := range map[string]string{
		"standard":          std,
		"standard unpadded": base64.RawStdEncoding.EncodeToString(top),
		"URL":               base64.URLEncoding.EncodeToString(top),
		"URL unpadded":      base64.RawURLEncoding.EncodeToString(top),
		"spaces around":     "  " + std + " ",
		"raw JSON":          string(top),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			inv, err := ParseInvoice(InvoiceSource{PaymentRequired: header, URL: testURL, ReceivedAt: received})
			if err != nil {
				t.Fatal(err)
			}
			if inv.ID != want || inv.Kind != KindX402 {
				t.Fatalf("got id %s kind %d, want %s", inv.ID, inv.Kind, want)
			}
		})
	}
}

func TestParseInvoiceX402Requirement(t *testing.T) {
	t.Parallel()
	// The requirement is kept byte for byte, odd spacing and key order
	// included, and the id hashes exactly those bytes.
	req := `{ "payTo" : "` + mainBase + `", "scheme":"exact","network":"cardano:mainnet",` + "\n\t" +
		`"asset":"lovelace","amount":1500000,"maxTimeoutSeconds":600, "extra": {"k": [1, 2]} }`
	evm := `{"scheme":"exact","network":"eip155:8453","amount":"1","asset":"0xabc","payTo":"0x1","maxTimeoutSeconds":60}`
	header := base64.StdEncoding.EncodeToString([]byte(`{"x402Version":2,"accepts":[` + evm + ` ,  ` + req + "\n]}"))
	parse := func(url, header string) *Invoice {
		t.Helper()
		inv, err := ParseInvoice(InvoiceSource{PaymentRequired: header, URL: url, ReceivedAt: received})
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	inv := parse(testURL, header)
	if string(inv.Requirement) != req {
		t.Fatalf("Requirement\n got %s\nwant %s", inv.Requirement, req)
	}
	if inv.ID != x402ID(testURL, []byte(req)) {
		t.Fatalf("id %s", inv.ID)
	}
	if !validInvoiceID(inv.ID) || len(inv.ID) != 69 {
		t.Fatalf("id %q is not a valid invoice id", inv.ID)
	}
	if again := parse(testURL, header); again.ID != inv.ID {
		t.Fatal("id not stable")
	}
	if other := parse(testURL+"?output=structured", header); other.ID == inv.ID {
		t.Fatal("same id for another URL")
	}
	if other := parse(testURL, x402Header(cardanoReq())); other.ID == inv.ID {
		t.Fatal("same id for another requirement")
	}
}

// FuzzParseInvoice checks that no input panics and that every accepted
// invoice keeps the promises the payer relies on.
func FuzzParseInvoice(f *testing.F) {
	f.Add(tapiBody(nil), "", testURL)
	f.Add(tapiBody(func(d, e map[string]any) {
		with(d, "chain", "cardano-preprod", "payTo", testBase, "amountUnits", 2000000)
		e["outputs"] = []any{map[string]any{"address": testEnterprise, "lovelace": "1500000"}}
	}), "", testURL)
	f.Add(tapiBody(func(_, e map[string]any) { e["split"] = []any{map[string]any{"to": mainScript, "amount": 1}} }), "", testURL)
	f.Add(tapiBody(func(d, _ map[string]any) { d["timeout"] = 0 }), "", testURL)
	f.Add(flatBody(nil), "", testURL)
	f.Add(flatBody(func(m, _ map[string]any) { m["expiresAt"] = "2025-03-01 12:15:00" }), "", "")
	f.Add([]byte(`{"detail":"Payment required"}`), x402Header(cardanoReq()), testURL)
	f.Add([]byte(nil), x402Header(with(cardanoReq(), "network", "cardano:preview", "payTo", testEnterprise)), "/chat")
	f.Add([]byte(nil), base64.RawURLEncoding.EncodeToString(mustJSON(map[string]any{"x402Version": 2, "accepts": []any{cardanoReq()}})), testURL)
	f.Add([]byte(`{"x402Version":2,"accepts":[{"scheme":"exact","network":"cardano:mainnet","amount":"1","asset":"lovelace","payTo":"`+mainPointer+`","maxTimeoutSeconds":5}]}`), "", "")
	f.Add([]byte(`{"detail":{"invoiceId":"a","amountUnits":"1e3"}}`), "%%%", "")
	f.Fuzz(func(t *testing.T, body []byte, header, url string) {
		inv, err := ParseInvoice(InvoiceSource{Body: body, PaymentRequired: header, URL: url, ReceivedAt: received})
		if err == nil {
			checkAccepted(t, inv)
			if !inv.ExpiresAt.After(received) {
				t.Fatalf("accepted an expired invoice: %v", inv.ExpiresAt)
			}
			return
		}
		if inv != nil {
			t.Fatal("invoice and error")
		}
		var e *Error
		if !errors.As(err, &e) || e.Message == "" {
			t.Fatalf("error %#v", err)
		}
		switch e.Code {
		case CodeInvoiceExpired:
			checkAccepted(t, e.Invoice)
			if e.Invoice.ExpiresAt.After(received) {
				t.Fatal("expired error for a live invoice")
			}
		case CodeInvoiceInvalid:
			if e.Invoice != nil {
				t.Fatal("invalid invoice attached")
			}
		default:
			t.Fatalf("code %s", e.Code)
		}
	})
}

func checkAccepted(t *testing.T, inv *Invoice) {
	t.Helper()
	if inv == nil {
		t.Fatal("nil invoice")
	}
	if len(inv.Outputs) == 0 || len(inv.Outputs) > 1+maxInvoiceSplits ||
		inv.Outputs[0] != (Output{Address: inv.PayTo, Lovelace: inv.AmountLovelace}) {
		t.Fatalf("outputs %+v for payTo %s amount %d", inv.Outputs, inv.PayTo, inv.AmountLovelace)
	}
	var total, carry uint64
	for _, o := range inv.Outputs {
		if o.Lovelace == 0 {
			t.Fatal("zero output")
		}
		if _, err := checkCardanoAddress(o.Address, inv.Network, "x"); err != nil || strings.ToLower(o.Address) != o.Address {
			t.Fatalf("output address %q: %v", o.Address, err)
		}
		total, carry = bits.Add64(total, o.Lovelace, 0)
		if carry != 0 {
			t.Fatal("sum overflows")
		}
	}
	if total != inv.TotalLovelace() || total > maxLovelaceSupply {
		t.Fatalf("total %d", total)
	}
	if !validInvoiceID(inv.ID) {
		t.Fatalf("invalid id %q", inv.ID)
	}
	if inv.Asset != "ADA" || (inv.Network != "mainnet" && inv.Network != "preprod" && inv.Network != "preview") {
		t.Fatalf("asset %q network %q", inv.Asset, inv.Network)
	}
	if (inv.Kind == KindX402) != (inv.Requirement != nil) || inv.Kind == KindX402 && !strings.HasPrefix(inv.ID, "x402:") {
		t.Fatalf("kind %d, requirement %s, id %s", inv.Kind, inv.Requirement, inv.ID)
	}
	if inv.Requirement != nil && !json.Valid(inv.Requirement) {
		t.Fatal("requirement is not JSON")
	}
}
