package client

// Field readers and checks for ParseInvoice: amounts, times, networks,
// Cardano addresses.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/bits"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tbackend/sdk/internal/bech32"
)

// cardanoNetwork maps a chain or x402 network name to mainnet, preprod or
// preview: "cardano-mainnet", "cardano:mainnet" and plain "cardano" (which
// the T API uses for mainnet elsewhere), in any letter case.
func cardanoNetwork(s string) (string, bool) {
	s = strings.ToLower(s)
	if s == "cardano" {
		return "mainnet", true
	}
	for _, prefix := range [...]string{"cardano-", "cardano:"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			switch rest {
			case "mainnet", "preprod", "preview":
				return rest, true
			}
		}
	}
	return "", false
}

// checkInvoiceAsset accepts "ADA" or "lovelace" (any letter case) under key, and a
// "decimals" field of 6 (or 0 for "lovelace") when present. The amounts are
// in lovelace either way.
func checkInvoiceAsset(o jsonFields, key string) *Error {
	raw := o.get(key)
	if raw == nil {
		return invoiceInvalidf("the invoice does not say which asset it asks for (%q)", key)
	}
	asset, ok := jsonStringValue(raw)
	if !ok {
		return invoiceInvalidf("the invoice asset is not text")
	}
	isADA := strings.EqualFold(asset, "ADA")
	if !isADA && !strings.EqualFold(asset, "lovelace") {
		return invoiceInvalidf("the invoice asks for %s; only ADA is supported", quoteShort(asset))
	}
	if d := o.get("decimals"); d != nil {
		n, err := parseWholeNumber(d, "the invoice decimals")
		if err != nil {
			return err
		}
		if n != 6 && (isADA || n != 0) {
			return invoiceInvalidf("the invoice says ADA has %d decimals; ADA has 6", n)
		}
	}
	return nil
}

func invoicePartner(o jsonFields) (string, *Error) {
	raw := o.get("partner")
	if raw == nil {
		return "", nil
	}
	p, ok := jsonStringValue(raw)
	if !ok {
		return "", invoiceInvalidf("the invoice partner is not text")
	}
	if len(p) > maxPartnerName {
		return "", invoiceInvalidf("the invoice partner name is longer than %d bytes", maxPartnerName)
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7F {
			return "", invoiceInvalidf("the invoice partner name %s contains control characters", quoteShort(p))
		}
	}
	return p, nil
}

func nonEmptyJSONList(raw json.RawMessage) bool {
	var items []json.RawMessage
	if raw == nil {
		return false
	}
	if json.Unmarshal(raw, &items) != nil {
		return true // not a list: let parseInvoiceSplits report it
	}
	return len(items) > 0
}

// parseInvoiceSplits reads extra.outputs / extra.split / splits: a list of
// {address, lovelace} or {to, amount}.
func parseInvoiceSplits(raw json.RawMessage, network string) ([]Output, *Error) {
	if raw == nil {
		return nil, nil
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil, invoiceInvalidf("the invoice's split outputs are not a list")
	}
	if len(items) > maxInvoiceSplits {
		return nil, invoiceInvalidf("the invoice has %d split outputs; at most %d are supported", len(items), maxInvoiceSplits)
	}
	outs := make([]Output, 0, len(items))
	for i, item := range items {
		var o jsonFields
		if json.Unmarshal(item, &o) != nil {
			return nil, invoiceInvalidf("split output %d of the invoice is not an object", i+1)
		}
		what := fmt.Sprintf("split output %d of the invoice", i+1)
		addrKey, err := o.oneOf(what, "address", "to")
		if err != nil {
			return nil, err
		}
		amountKey, err := o.oneOf(what, "lovelace", "amount")
		if err != nil {
			return nil, err
		}
		text, err := o.text(addrKey, "the address of "+what)
		if err != nil {
			return nil, err
		}
		addr, err := checkCardanoAddress(text, network, what+" pays to")
		if err != nil {
			return nil, err
		}
		amount, err := parseLovelace(o.get(amountKey), "the amount of "+what)
		if err != nil {
			return nil, err
		}
		outs = append(outs, Output{Address: addr, Lovelace: amount})
	}
	return outs, nil
}

// parseLovelace reads an amount: a JSON string of base-10 digits or a JSON
// integer, without sign, fraction, exponent, spaces or leading zeros, that
// fits a uint64 and is more than zero.
func parseLovelace(raw json.RawMessage, what string) (uint64, *Error) {
	if raw == nil {
		return 0, invoiceInvalidf("%s is missing", what)
	}
	s := string(raw)
	if raw[0] == '"' {
		if json.Unmarshal(raw, &s) != nil {
			return 0, invoiceInvalidf("%s is not valid text", what)
		}
	} else if c := raw[0]; c != '-' && (c < '0' || c > '9') {
		return 0, invoiceInvalidf("%s is not a number", what)
	}
	if s == "" {
		return 0, invoiceInvalidf("%s is empty", what)
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, invoiceInvalidf("%s %s is not a whole number of lovelace", what, quoteShort(s))
		}
		hi, lo := bits.Mul64(n, 10)
		var carry uint64
		n, carry = bits.Add64(lo, uint64(c-'0'), 0)
		if hi != 0 || carry != 0 {
			return 0, invoiceInvalidf("%s %s is too large", what, quoteShort(s))
		}
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, invoiceInvalidf("%s %s has leading zeros", what, quoteShort(s))
	}
	if n == 0 {
		return 0, invoiceInvalidf("%s is 0 lovelace; it must be more than zero", what)
	}
	return n, nil
}

// parseWholeNumber reads a whole number: a JSON integer or a string of one,
// possibly negative, of at most 18 digits.
func parseWholeNumber(raw json.RawMessage, what string) (int64, *Error) {
	if raw == nil {
		return 0, invoiceInvalidf("%s is missing", what)
	}
	s := string(raw)
	if raw[0] == '"' {
		if json.Unmarshal(raw, &s) != nil {
			return 0, invoiceInvalidf("%s is not valid text", what)
		}
	}
	digits, neg := strings.CutPrefix(s, "-")
	if digits == "" || len(digits) > 18 {
		return 0, invoiceInvalidf("%s %s is not a plausible whole number", what, quoteShort(s))
	}
	var n int64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, invoiceInvalidf("%s %s is not a whole number", what, quoteShort(s))
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

// parseTimeoutSeconds reads a timeout in whole seconds; zero or less means
// expired, more than ten years is refused.
func parseTimeoutSeconds(raw json.RawMessage, what string) (int64, *Error) {
	n, err := parseWholeNumber(raw, what)
	if err != nil {
		return 0, err
	}
	if n > maxInvoiceTimeout {
		return 0, invoiceInvalidf("%s of %d seconds is not plausible", what, n)
	}
	return n, nil
}

// invoiceExpiresAt is now plus timeout seconds; a timeout of zero or less is
// now, that is expired.
func invoiceExpiresAt(now time.Time, timeout int64) time.Time {
	if timeout <= 0 {
		return now
	}
	return now.Add(time.Duration(timeout) * time.Second)
}

// parseExpiresAt reads an ISO-8601 time (RFC 3339; without a zone it is
// UTC; a space may stand for the "T"), or a JSON integer of Unix seconds
// (milliseconds when it is 1e11 or more).
func parseExpiresAt(raw json.RawMessage) (time.Time, *Error) {
	s, ok := jsonStringValue(raw)
	if !ok {
		n, err := parseWholeNumber(raw, "the invoice expiry")
		switch {
		case err != nil:
			return time.Time{}, err
		case n >= 1e11 && n < 1e14:
			return time.UnixMilli(n).UTC(), nil
		case n < 1e11 && n > -1e11:
			return time.Unix(n, 0).UTC(), nil
		}
		return time.Time{}, invoiceInvalidf("the invoice expiry %d is not a plausible Unix time", n)
	}
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	for _, layout := range [...]string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, invoiceInvalidf("the invoice expiry %s is not an ISO-8601 time", quoteShort(s))
}

// jsonFields is a JSON object with its values as received. Keys match
// exactly (not case-insensitively, as struct decoding would).
type jsonFields map[string]json.RawMessage

// get returns the value of key, nil when absent or null.
func (o jsonFields) get(key string) json.RawMessage {
	v := o[key]
	if len(v) == 0 || string(v) == "null" {
		return nil
	}
	return v
}

func (o jsonFields) has(key string) bool { return o.get(key) != nil }

func (o jsonFields) hasAny(keys ...string) bool {
	for _, k := range keys {
		if o.has(k) {
			return true
		}
	}
	return false
}

// oneOf returns whichever of two synonymous keys is present; both present
// with different values is ambiguous.
func (o jsonFields) oneOf(what, a, b string) (string, *Error) {
	va, vb := o.get(a), o.get(b)
	if va != nil && vb != nil && !bytes.Equal(va, vb) {
		return "", invoiceInvalidf("%s has both %q and %q, with different values", what, a, b)
	}
	if va == nil && vb != nil {
		return b, nil
	}
	return a, nil
}

// text returns a required string field.
func (o jsonFields) text(key, what string) (string, *Error) {
	raw := o.get(key)
	if raw == nil {
		return "", invoiceInvalidf("%s (%q) is missing", what, key)
	}
	s, ok := jsonStringValue(raw)
	if !ok {
		return "", invoiceInvalidf("%s (%q) is not text", what, key)
	}
	return s, nil
}

// network returns the Cardano network named by the string field key.
func (o jsonFields) network(key string) (string, *Error) {
	s, err := o.text(key, "the invoice chain")
	if err != nil {
		return "", err
	}
	n, ok := cardanoNetwork(s)
	if !ok {
		return "", invoiceInvalidf("the invoice chain %s is not a Cardano network this SDK knows (cardano-mainnet, cardano-preprod, cardano-preview)", quoteShort(s))
	}
	return n, nil
}

// address returns the bech32 address in field key, in lower case, checked
// to be a payment address of network.
func (o jsonFields) address(key, network string) (string, *Error) {
	addr, err := o.text(key, "the invoice payee address")
	if err != nil {
		return "", err
	}
	return checkCardanoAddress(addr, network, "the invoice pays to")
}

// checkCardanoAddress checks that addr is a Shelley payment address (base, pointer
// or enterprise, bech32 with a valid checksum) of network: hrp "addr" and
// network id 1 for mainnet, "addr_test" and network id 0 for the testnets.
func checkCardanoAddress(addr, network, who string) (string, *Error) {
	hrp, data, err := bech32.Decode(addr)
	if err != nil || len(data) == 0 {
		return "", invoiceInvalidf("%s %s, which is not a valid Cardano address", who, quoteShort(addr))
	}
	header := data[0]
	kind, netID := header>>4, header&0x0F
	valid := false
	switch {
	case kind <= 3: // base
		valid = len(data) == 57
	case kind <= 5: // pointer
		valid = len(data) > 29 && validAddressPointer(data[29:])
	case kind <= 7: // enterprise
		valid = len(data) == 29
	}
	if !valid || (hrp != "addr" && hrp != "addr_test") || (hrp == "addr") != (netID == 1) || netID > 1 {
		return "", invoiceInvalidf("%s %s, which is not a valid Cardano payment address", who, quoteShort(addr))
	}
	lower := strings.ToLower(addr)
	if (network == "mainnet") != (netID == 1) {
		what := "a testnet"
		if netID == 1 {
			what = "a mainnet"
		}
		return "", invoiceInvalidf("%s %s, %s address, but the invoice is for %s", who, quoteShort(lower), what, network)
	}
	return lower, nil
}

// validAddressPointer reports whether p is three well-formed variable-length
// naturals (slot, transaction index, certificate index).
func validAddressPointer(p []byte) bool {
	for n := 0; n < 3; n++ {
		i := 0
		for ; i < len(p) && i < 10 && p[i]&0x80 != 0; i++ {
		}
		if i >= len(p) || i >= 10 {
			return false
		}
		p = p[i+1:]
	}
	return len(p) == 0
}

// quoteShort quotes s for a message; a long s keeps its start and end.
func quoteShort(s string) string {
	const head, tail = 24, 10
	if len(s) <= head+tail+6 {
		return fmt.Sprintf("%q", s)
	}
	h, t := head, len(s)-tail
	for h > 0 && !utf8.RuneStart(s[h]) {
		h--
	}
	for t < len(s) && !utf8.RuneStart(s[t]) {
		t++
	}
	return fmt.Sprintf("%q", s[:h]+"…"+s[t:])
}
