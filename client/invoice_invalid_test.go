package client

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseInvoiceInvalid(t *testing.T) {
	t.Parallel()
	tapi := func(edit func(d, e map[string]any)) InvoiceSource { return InvoiceSource{Body: tapiBody(edit)} }
	amount := func(v any) InvoiceSource { return tapi(func(d, _ map[string]any) { d["amountUnits"] = v }) }
	payTo := func(v any) InvoiceSource { return tapi(func(d, _ map[string]any) { d["payTo"] = v }) }
	id := func(v any) InvoiceSource { return tapi(func(d, _ map[string]any) { d["invoiceId"] = v }) }
	split := func(items ...any) InvoiceSource { return tapi(func(_, e map[string]any) { e["outputs"] = items }) }
	header := func(top map[string]any) InvoiceSource {
		return InvoiceSource{PaymentRequired: base64.StdEncoding.EncodeToString(mustJSON(top)), URL: testURL}
	}
	badChecksum := mainBase[:len(mainBase)-1] + "y"
	splits17 := make([]any, 17)
	for i := range splits17 {
		splits17[i] = map[string]any{"address": mainEnterprise, "lovelace": "1000000"}
	}
	tests := []struct {
		name string
		src  InvoiceSource
		msg  string // a part of the message
	}{
		{"detail text", InvoiceSource{Body: []byte(`{"detail":"Payment required"}`)}, "the server asked for payment but sent no invoice this SDK understands"},
		{"empty body", InvoiceSource{}, "sent no invoice"},
		{"HTML body", InvoiceSource{Body: []byte("<html>402</html>")}, "sent no invoice"},
		{"empty object", InvoiceSource{Body: []byte(`{}`)}, "sent no invoice"},
		{"broken JSON", InvoiceSource{Body: []byte(`{"detail":{"invoiceId":`)}, "sent no invoice"},
		{"detail without invoice", InvoiceSource{Body: []byte(`{"detail":{"msg":"pay"}}`)}, "sent no invoice"},
		{"too large body", InvoiceSource{Body: append([]byte(`{"x":"`), make([]byte, 2<<20)...)}, "too large"},
		{"amount fraction", amount("1.5"), `the invoice amount "1.5" is not a whole number of lovelace`},
		{"amount JSON fraction", amount(json.Number("1.5")), `the invoice amount "1.5" is not a whole number of lovelace`},
		{"amount exponent", amount("1e7"), "not a whole number"},
		{"amount JSON exponent", amount(json.Number("1e7")), "not a whole number"},
		{"amount negative", amount("-1"), "not a whole number"},
		{"amount JSON negative", amount(-1), "not a whole number"},
		{"amount plus", amount("+5"), "not a whole number"},
		{"amount space", amount(" 5"), "not a whole number"},
		{"amount trailing space", amount("5 "), "not a whole number"},
		{"amount hex", amount("0x10"), "not a whole number"},
		{"amount empty", amount(""), "is empty"},
		{"amount zero", amount("0"), "more than zero"},
		{"amount JSON zero", amount(0), "more than zero"},
		{"amount leading zeros", amount("007"), "leading zeros"},
		{"amount overflow", amount("18446744073709551616"), "too large"},
		{"amount JSON overflow", amount(json.Number("100000000000000000000000")), "too large"},
		{"amount beyond supply", amount("45000000000000001"), "more lovelace than there is ADA"},
		{"amount max uint64", amount("18446744073709551615"), "more lovelace than there is ADA"},
		{"amount bool", amount(true), "not a number"},
		{"amount object", amount(map[string]any{"v": 1}), "not a number"},
		{"amount missing", amount(nil), "missing"},
		{"decimals 2", tapi(func(d, _ map[string]any) { d["decimals"] = 2 }), "ADA has 6"},
		{"decimals 0 for ADA", tapi(func(d, _ map[string]any) { d["decimals"] = 0 }), "ADA has 6"},
		{"decimals fraction", tapi(func(d, _ map[string]any) { d["decimals"] = 6.5 }), "decimals"},
		{"asset USD", tapi(func(d, _ map[string]any) { d["asset"] = "USD" }), `the invoice asks for "USD"; only ADA is supported`},
		{"asset native token", tapi(func(d, _ map[string]any) {
			d["asset"] = "f43a62fdc3965df486de8a0d32fe800963589c41b38946602a0dc53541474958"
		}), "only ADA is supported"},
		{"asset missing", tapi(func(d, _ map[string]any) { delete(d, "asset") }), "which asset"},
		{"asset not text", tapi(func(d, _ map[string]any) { d["asset"] = 1 }), "not text"},
		{"lovelace false", tapi(func(_, e map[string]any) { e["lovelace"] = false }), "not in lovelace"},
		{"extra not object", tapi(func(d, _ map[string]any) { d["extra"] = "x" }), "not an object"},
		{"chain ethereum", tapi(func(d, _ map[string]any) { d["chain"] = "ethereum" }), `the invoice chain "ethereum" is not a Cardano network`},
		{"chain testnet", tapi(func(d, _ map[string]any) { d["chain"] = "cardano-testnet" }), "not a Cardano network"},
		{"chain missing", tapi(func(d, _ map[string]any) { delete(d, "chain") }), "missing"},
		{"testnet address on mainnet", payTo(testBase), "a testnet address, but the invoice is for mainnet"},
		{"mainnet address on preprod", tapi(func(d, _ map[string]any) { d["chain"] = "cardano-preprod" }), "a mainnet address, but the invoice is for preprod"},
		{"garbage address", payTo("not-an-address"), "not a valid Cardano address"},
		{"bad checksum", payTo(badChecksum), "not a valid Cardano address"},
		{"mixed case address", payTo("A" + mainBase[1:]), "not a valid Cardano address"},
		{"address with space", payTo(mainBase + " "), "not a valid Cardano address"},
		{"stake address", payTo(stakeAddr), "not a valid Cardano payment address"},
		{"addr hrp with testnet id", payTo(craftAddress(t, "addr", 0x00, 56)), "payment address"},
		{"addr_test hrp with mainnet id", payTo(craftAddress(t, "addr_test", 0x61, 28)), "payment address"},
		{"unknown network id", payTo(craftAddress(t, "addr_test", 0x62, 28)), "payment address"},
		{"short base address", payTo(craftAddress(t, "addr", 0x01, 28)), "payment address"},
		{"byron header", payTo(craftAddress(t, "addr", 0x81, 28)), "payment address"},
		{"bad pointer", payTo(craftAddress(t, "addr", 0x41, 28)), "payment address"},
		{"other hrp", payTo(craftAddress(t, "bc", 0x01, 56)), "payment address"},
		{"payTo missing", payTo(nil), "missing"},
		{"payTo number", payTo(5), "not text"},
		{"id with space", id("inv 1"), "is not 1 to 128 letters"},
		{"id with CRLF", id("inv1\r\nX-Evil: 1"), "is not 1 to 128"},
		{"id non-ASCII", id("fäktura"), "is not 1 to 128"},
		{"id too long", id(strings.Repeat("a", 129)), "is not 1 to 128"},
		{"id empty", id(""), "is not 1 to 128"},
		{"id number", id(12345), "not text"},
		{"id missing", id(nil), "missing"},
		{"17 splits", split(splits17...), "has 17 split outputs; at most 16 are supported"},
		{"split not object", split("x"), "split output 1 of the invoice is not an object"},
		{"splits not a list", tapi(func(_, e map[string]any) { e["split"] = map[string]any{mainBase: 1} }), "not a list"},
		{"split without address", split(map[string]any{"lovelace": "1"}), "missing"},
		{"split without amount", split(map[string]any{"address": mainEnterprise}), "the amount of split output 1 of the invoice is missing"},
		{"split bad amount", split(map[string]any{"address": mainEnterprise, "lovelace": "1.5"}), `the amount of split output 1 of the invoice "1.5" is not a whole number`},
		{"split zero", split(map[string]any{"address": mainEnterprise, "lovelace": 0}), "more than zero"},
		{"split testnet address", split(map[string]any{"address": mainEnterprise, "lovelace": "1"}, map[string]any{"to": testBase, "amount": "1"}),
			"split output 2 of the invoice pays to \"addr_test1qz2fxv2umyhttk…wfgs68faae\", a testnet address, but the invoice is for mainnet"},
		{"split ambiguous", split(map[string]any{"address": mainEnterprise, "to": mainScript, "lovelace": "1"}), "both"},
		{"split sum overflow", split(map[string]any{"address": mainEnterprise, "lovelace": "18446744073709551615"}), "more lovelace than there is ADA"},
		{"outputs and split", tapi(func(_, e map[string]any) {
			e["outputs"] = []any{map[string]any{"address": mainEnterprise, "lovelace": "1"}}
			e["split"] = []any{map[string]any{"address": mainEnterprise, "lovelace": "1"}}
		}), "both"},
		{"partner control", tapi(func(_, e map[string]any) { e["partner"] = "a\nb" }), "control characters"},
		{"partner number", tapi(func(_, e map[string]any) { e["partner"] = 7 }), "partner is not text"},
		{"timeout missing", tapi(func(d, _ map[string]any) { delete(d, "timeout") }), "timeout is missing"},
		{"timeout text", tapi(func(d, _ map[string]any) { d["timeout"] = "soon" }), "not a whole number"},
		{"timeout fraction", tapi(func(d, _ map[string]any) { d["timeout"] = 1.5 }), "not a whole number"},
		{"timeout absurd", tapi(func(d, _ map[string]any) { d["timeout"] = 400000000 }), "not plausible"},
		{"flat currency USD", InvoiceSource{Body: flatBody(func(m, _ map[string]any) { m["currency"] = "USD" })}, `asks for "USD"`},
		{"flat currency missing", InvoiceSource{Body: flatBody(func(m, _ map[string]any) { delete(m, "currency") })}, "which asset"},
		{"flat no expiry", InvoiceSource{Body: flatBody(func(m, _ map[string]any) { delete(m, "expiresAt") })}, "no expiry"},
		{"flat bad expiry", InvoiceSource{Body: flatBody(func(m, _ map[string]any) { m["expiresAt"] = "tomorrow" })}, "not an ISO-8601 time"},
		{"flat bad split", InvoiceSource{Body: flatBody(func(m, _ map[string]any) { m["splits"] = []any{map[string]any{"to": "x", "amount": "1"}} })}, "split output 1"},
		{"flat amount fraction", InvoiceSource{Body: flatBody(func(m, _ map[string]any) { m["amount"] = json.Number("2.5") })}, "not a whole number"},
		{"x402 bad base64", InvoiceSource{PaymentRequired: "%%%"}, "not valid base64"},
		{"x402 not JSON", InvoiceSource{PaymentRequired: base64.StdEncoding.EncodeToString([]byte("hello"))}, "not a JSON object"},
		{"x402 version 1", header(map[string]any{"x402Version": 1, "accepts": []any{cardanoReq()}}), "version 1; only version 2"},
		{"x402 no version", header(map[string]any{"accepts": []any{cardanoReq()}}), "no x402Version"},
		{"x402 no accepts", header(map[string]any{"x402Version": 2}), "no list"},
		{"x402 empty accepts", header(map[string]any{"x402Version": 2, "accepts": []any{}}), "lists no way to pay"},
		{"x402 only EVM", header(map[string]any{"x402Version": 2, "accepts": []any{
			map[string]any{"scheme": "exact", "network": "eip155:8453", "amount": "3000000", "asset": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "payTo": "0x1234", "maxTimeoutSeconds": 60},
		}}), `the server accepts no payment this SDK can make (scheme "exact", network "eip155:8453", asset "0x833589fCD6eDb6E08f4c7C…54bdA02913"); only ADA (lovelace) on Cardano is supported`},
		{"x402 bad amount", header(map[string]any{"x402Version": 2, "accepts": []any{with(cardanoReq(), "amount", "1.5")}}), "not a whole number"},
		{"x402 bad address", header(map[string]any{"x402Version": 2, "accepts": []any{with(cardanoReq(), "payTo", badChecksum)}}), "not a valid Cardano address"},
		{"x402 no timeout", header(map[string]any{"x402Version": 2, "accepts": []any{with(cardanoReq(), "maxTimeoutSeconds", nil)}}), "maxTimeoutSeconds"},
		{"x402 bad header, no body invoice", InvoiceSource{PaymentRequired: "%%%", Body: []byte(`{"detail":"Payment required"}`)}, "not valid base64"},
		{"x402 bad header, bad body invoice", InvoiceSource{PaymentRequired: "%%%", Body: tapiBody(func(d, _ map[string]any) { d["asset"] = "USD" })}, `asks for "USD"`},
		{"x402 header too large", InvoiceSource{PaymentRequired: strings.Repeat("A", 70000)}, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := tt.src
			src.ReceivedAt = received
			inv, err := ParseInvoice(src)
			if inv != nil {
				t.Fatalf("got an invoice %+v", inv)
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeInvoiceInvalid || !errors.Is(err, ErrInvoiceInvalid) {
				t.Fatalf("error %#v, want invoice_invalid", err)
			}
			if e.Invoice != nil {
				t.Fatal("invalid invoice attached to the error")
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Fatalf("message %q\nwant it to contain %q", e.Message, tt.msg)
			}
		})
	}
}
