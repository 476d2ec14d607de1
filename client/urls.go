package client

import (
	"slices"
	"strings"
)

// The SDK builds its few URLs itself: net/url (with net/netip) would add
// about 30 KB brotli to the wasm binary for query encoding alone.

// checkBaseURL accepts an absolute http(s) URL without query or fragment.
func checkBaseURL(base string) bool {
	rest, ok := strings.CutPrefix(base, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(base, "http://"); !ok {
			return false
		}
	}
	host, _, _ := strings.Cut(rest, "/")
	if host == "" || strings.ContainsAny(base, "?# \t\r\n\\") || strings.Contains(host, "@") {
		return false
	}
	return true
}

// encodeQuery writes a query string with keys sorted, as url.Values.Encode.
func encodeQuery(q map[string]string) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(escape(k))
		b.WriteByte('=')
		b.WriteString(escape(q[k]))
	}
	return b.String()
}

// escape percent-encodes everything but RFC 3986's unreserved characters,
// so the result is safe in a path segment and in a query.
func escape(s string) string {
	const hexdigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdigits[c>>4])
		b.WriteByte(hexdigits[c&15])
	}
	return b.String()
}
