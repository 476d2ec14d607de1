package client

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"golang.org/x/crypto/blake2b"
	"math/bits"
	"strings"
	"time"
)

// InvoiceSource is what ParseInvoice reads: the parts of a 402 response.
type InvoiceSource struct {
	Body            []byte    // the 402 response body
	PaymentRequired string    // the PAYMENT-REQUIRED response header value (x402 v2), may be empty
	ReceivedAt      time.Time // when the 402 arrived; zero means now
	URL             string    // the request URL (x402 journal key)
	// RequestID is the call's request id (x402 journal key): two calls to
	// one URL at one price are two purchases, one call retried is one.
	RequestID string
}

const (
	maxInvoiceBody    = 1 << 20  // larger bodies are not read as invoices
	maxInvoiceHeader  = 64 << 10 // larger PAYMENT-REQUIRED headers are refused
	maxInvoiceID      = 128
	maxInvoiceSplits  = 16
	maxInvoiceTimeout = 10 * 365 * 24 * 60 * 60 // seconds; longer is not a plausible invoice
	maxPartnerName    = 256
	// maxLovelaceSupply is all the ADA there will ever be (45 billion ADA).
	maxLovelaceSupply = 45_000_000_000_000_000
)

// ParseInvoice reads the invoice of a 402 response, in any of the three
// shapes of DESIGN.md: the T API's {"detail": {...}}, the flat
// {invoiceId, amount, ...}, or x402 v2 (the PAYMENT-REQUIRED header, or the
// same JSON as the body).
//
// When the header holds an acceptable x402 requirement it wins over the
// body; when the header cannot be used and the body holds an invoice, the
// body is used; otherwise the header's problem is reported.
//
// Every failure is an *Error: CodeInvoiceExpired, with the parsed invoice in
// its Invoice field, for an invoice that had expired when it arrived (at or
// before ReceivedAt), and CodeInvoiceInvalid otherwise. The returned invoice
// is nil whenever the error is not.
func ParseInvoice(src InvoiceSource) (*Invoice, error) {
	now := src.ReceivedAt
	if now.IsZero() {
		now = time.Now()
	}
	var (
		inv *Invoice
		err *Error
	)
	// scope is what an x402 id is derived from, with the requirement.
	scope := src.URL
	if src.RequestID != "" {
		scope += "\n" + src.RequestID
	}
	if header := strings.TrimSpace(src.PaymentRequired); header != "" {
		inv, err = parseX402Header(header, scope, now)
		if err != nil && err.Code == CodeInvoiceInvalid {
			if binv, berr, found := parseInvoiceBody(src.Body, scope, now); found {
				inv, err = binv, berr
			}
		}
	} else {
		var found bool
		inv, err, found = parseInvoiceBody(src.Body, scope, now)
		if !found {
			err = invoiceInvalidf("the server asked for payment but sent no invoice this SDK understands")
		}
	}
	if err != nil {
		return nil, err
	}
	return inv, nil
}

func invoiceInvalidf(format string, args ...any) *Error {
	return Errorf(CodeInvoiceInvalid, format, args...)
}

// parseInvoiceBody reads a 402 body; found is false when the body holds
// nothing that looks like an invoice.
func parseInvoiceBody(body []byte, url string, now time.Time) (inv *Invoice, err *Error, found bool) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, nil, false
	}
	if len(body) > maxInvoiceBody {
		return nil, invoiceInvalidf("the 402 response body is too large to be an invoice (%d bytes)", len(body)), true
	}
	var top jsonFields
	if json.Unmarshal(body, &top) != nil {
		return nil, nil, false
	}
	if top.has("x402Version") {
		inv, err = parseX402(body, url, now)
		return inv, err, true
	}
	if raw := top.get("detail"); raw != nil {
		var detail jsonFields
		if json.Unmarshal(raw, &detail) == nil && detail.hasAny("invoiceId", "amountUnits", "payTo") {
			inv, err = parseTAPI(detail, now)
			return inv, err, true
		}
	}
	if top.hasAny("invoiceId", "amount", "payTo") {
		inv, err = parseFlat(top, now)
		return inv, err, true
	}
	return nil, nil, false
}

// parseTAPI reads shape 1, the "detail" object of the T API.
func parseTAPI(d jsonFields, now time.Time) (*Invoice, *Error) {
	inv := &Invoice{Kind: KindTAPI, Asset: "ADA"}
	var err *Error
	if inv.ID, err = d.text("invoiceId", "the invoice id"); err != nil {
		return nil, err
	}
	if inv.Network, err = d.network("chain"); err != nil {
		return nil, err
	}
	if err = checkInvoiceAsset(d, "asset"); err != nil {
		return nil, err
	}
	if inv.AmountLovelace, err = parseLovelace(d.get("amountUnits"), "the invoice amount"); err != nil {
		return nil, err
	}
	if inv.PayTo, err = d.address("payTo", inv.Network); err != nil {
		return nil, err
	}
	timeout, err := parseTimeoutSeconds(d.get("timeout"), "the invoice timeout")
	if err != nil {
		return nil, err
	}
	inv.ExpiresAt = invoiceExpiresAt(now, timeout)

	var splits []Output
	if raw := d.get("extra"); raw != nil {
		var extra jsonFields
		if json.Unmarshal(raw, &extra) != nil {
			return nil, invoiceInvalidf("the invoice's \"extra\" field is not an object")
		}
		if l := extra.get("lovelace"); l != nil && string(l) == "false" {
			return nil, invoiceInvalidf("the invoice says its amount is not in lovelace; this SDK only pays amounts in lovelace")
		}
		if inv.Partner, err = invoicePartner(extra); err != nil {
			return nil, err
		}
		outputs, split := extra.get("outputs"), extra.get("split")
		if nonEmptyJSONList(outputs) && nonEmptyJSONList(split) {
			return nil, invoiceInvalidf("the invoice lists both \"outputs\" and \"split\"; it is not clear which to pay")
		}
		if !nonEmptyJSONList(outputs) {
			outputs = split
		}
		if splits, err = parseInvoiceSplits(outputs, inv.Network); err != nil {
			return nil, err
		}
	}
	return finishInvoice(inv, splits, now)
}

// parseFlat reads shape 2, the flat invoice.
func parseFlat(o jsonFields, now time.Time) (*Invoice, *Error) {
	inv := &Invoice{Kind: KindFlat, Asset: "ADA"}
	var err *Error
	if inv.ID, err = o.text("invoiceId", "the invoice id"); err != nil {
		return nil, err
	}
	if inv.Network, err = o.network("chain"); err != nil {
		return nil, err
	}
	if err = checkInvoiceAsset(o, "currency"); err != nil {
		return nil, err
	}
	if inv.AmountLovelace, err = parseLovelace(o.get("amount"), "the invoice amount"); err != nil {
		return nil, err
	}
	if inv.PayTo, err = o.address("payTo", inv.Network); err != nil {
		return nil, err
	}
	switch raw := o.get("expiresAt"); {
	case raw != nil:
		if inv.ExpiresAt, err = parseExpiresAt(raw); err != nil {
			return nil, err
		}
	case o.get("timeout") != nil:
		timeout, err := parseTimeoutSeconds(o.get("timeout"), "the invoice timeout")
		if err != nil {
			return nil, err
		}
		inv.ExpiresAt = invoiceExpiresAt(now, timeout)
	default:
		return nil, invoiceInvalidf("the invoice has no expiry (\"expiresAt\")")
	}
	if inv.Partner, err = invoicePartner(o); err != nil {
		return nil, err
	}
	splits, err := parseInvoiceSplits(o.get("splits"), inv.Network)
	if err != nil {
		return nil, err
	}
	return finishInvoice(inv, splits, now)
}

// parseX402Header decodes a PAYMENT-REQUIRED header: base64 (standard or URL
// alphabet, padded or not) of the x402 JSON. A header that already is JSON
// is read as is.
func parseX402Header(header, url string, now time.Time) (*Invoice, *Error) {
	if len(header) > maxInvoiceHeader {
		return nil, invoiceInvalidf("the PAYMENT-REQUIRED header is too large (%d bytes)", len(header))
	}
	if header[0] == '{' {
		return parseX402([]byte(header), url, now)
	}
	enc := base64.RawStdEncoding
	if strings.ContainsAny(header, "-_") {
		enc = base64.RawURLEncoding
	}
	raw, err := enc.DecodeString(strings.TrimRight(header, "="))
	if err != nil {
		return nil, invoiceInvalidf("the PAYMENT-REQUIRED header is not valid base64")
	}
	return parseX402(raw, url, now)
}

// parseX402 reads the x402 v2 PaymentRequired JSON and takes the first
// requirement this SDK can pay: scheme "exact", a Cardano network, asset
// lovelace, valid in every other respect.
func parseX402(raw []byte, url string, now time.Time) (*Invoice, *Error) {
	var top jsonFields
	if json.Unmarshal(raw, &top) != nil {
		return nil, invoiceInvalidf("the x402 payment request is not a JSON object")
	}
	if v := top.get("x402Version"); string(v) != "2" && string(v) != `"2"` {
		if v == nil {
			return nil, invoiceInvalidf("the x402 payment request has no x402Version")
		}
		shown := string(v)
		if len(shown) > 12 {
			shown = quoteShort(shown)
		}
		return nil, invoiceInvalidf("the x402 payment request uses version %s; only version 2 is supported", shown)
	}
	var accepts []json.RawMessage
	if a := top.get("accepts"); a == nil || json.Unmarshal(a, &accepts) != nil {
		return nil, invoiceInvalidf("the x402 payment request has no list of accepted payments")
	}
	if len(accepts) == 0 {
		return nil, invoiceInvalidf("the x402 payment request lists no way to pay")
	}
	var firstErr *Error
	for _, req := range accepts {
		var r jsonFields
		if json.Unmarshal(req, &r) != nil {
			continue
		}
		scheme, _ := jsonStringValue(r.get("scheme"))
		network, _ := jsonStringValue(r.get("network"))
		asset, _ := jsonStringValue(r.get("asset"))
		net, ok := cardanoNetwork(network)
		if scheme != "exact" || !ok || !(strings.EqualFold(asset, "lovelace") || strings.EqualFold(asset, "ADA")) {
			continue
		}
		inv, err := parseX402Requirement(r, req, net, url, now)
		if err == nil || err.Code == CodeInvoiceExpired {
			return inv, err
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, invoiceInvalidf("the server accepts no payment this SDK can make (%s); only ADA (lovelace) on Cardano is supported", describeX402Offer(accepts[0]))
}

func parseX402Requirement(r jsonFields, req json.RawMessage, network, url string, now time.Time) (*Invoice, *Error) {
	inv := &Invoice{Kind: KindX402, Asset: "ADA", Network: network}
	var err *Error
	if inv.AmountLovelace, err = parseLovelace(r.get("amount"), "the invoice amount"); err != nil {
		return nil, err
	}
	if inv.PayTo, err = r.address("payTo", network); err != nil {
		return nil, err
	}
	timeout, err := parseTimeoutSeconds(r.get("maxTimeoutSeconds"), "the invoice timeout (maxTimeoutSeconds)")
	if err != nil {
		return nil, err
	}
	inv.ExpiresAt = invoiceExpiresAt(now, timeout)
	inv.Requirement = append(json.RawMessage(nil), req...)
	sum := blake2b.Sum256([]byte(url + "\n" + string(req)))
	inv.ID = "x402:" + hex.EncodeToString(sum[:])
	return finishInvoice(inv, nil, now)
}

// describeX402Offer names an x402 requirement for an error message.
func describeX402Offer(req json.RawMessage) string {
	var r jsonFields
	if json.Unmarshal(req, &r) != nil {
		return "a requirement that is not an object"
	}
	scheme, _ := jsonStringValue(r.get("scheme"))
	network, _ := jsonStringValue(r.get("network"))
	asset, _ := jsonStringValue(r.get("asset"))
	return fmt.Sprintf("scheme %s, network %s, asset %s", quoteShort(scheme), quoteShort(network), quoteShort(asset))
}

// finishInvoice checks the id, builds Outputs, checks the total and the
// expiry.
func finishInvoice(inv *Invoice, splits []Output, now time.Time) (*Invoice, *Error) {
	if !validInvoiceID(inv.ID) {
		return nil, invoiceInvalidf("the invoice id %s is not 1 to %d letters, digits or . _ : -", quoteShort(inv.ID), maxInvoiceID)
	}
	inv.Outputs = make([]Output, 0, 1+len(splits))
	inv.Outputs = append(inv.Outputs, Output{Address: inv.PayTo, Lovelace: inv.AmountLovelace})
	inv.Outputs = append(inv.Outputs, splits...)
	var total, carry uint64
	for _, o := range inv.Outputs {
		total, carry = bits.Add64(total, o.Lovelace, 0)
		if carry != 0 || total > maxLovelaceSupply {
			return nil, invoiceInvalidf("the invoice outputs add up to more lovelace than there is ADA")
		}
	}
	if !inv.ExpiresAt.After(now) {
		e := Errorf(CodeInvoiceExpired, "the invoice %s expired at %s, before it could be paid (it arrived at %s)",
			inv.ID, inv.ExpiresAt.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		e.Invoice = inv
		return nil, e
	}
	return inv, nil
}

func validInvoiceID(id string) bool {
	if len(id) == 0 || len(id) > maxInvoiceID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == ':' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}
