package client

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"time"
)

// CallOption adjusts one call.
type CallOption func(*callConfig)

type callConfig struct {
	requestID   string
	timeout     time.Duration
	bypassCache bool
	headers     Header
}

// RequestID sets the call's request id (X-Request-Id; chat also sends it as
// request_id). It stays the same across retries; pass the same id again to
// resume a call, for example after a reload while a payment was under way.
func RequestID(id string) CallOption { return func(c *callConfig) { c.requestID = id } }

// CallTimeout overrides the client's per-attempt timeout for this call.
func CallTimeout(d time.Duration) CallOption { return func(c *callConfig) { c.timeout = d } }

// BypassCache asks the service not to answer from its cache (x-bypass-cache).
func BypassCache() CallOption { return func(c *callConfig) { c.bypassCache = true } }

// WithCallHeader adds a header to this call only.
func WithCallHeader(name, value string) CallOption {
	return func(c *callConfig) {
		if c.headers == nil {
			c.headers = Header{}
		}
		c.headers.Set(name, value)
	}
}

// call is one logical API call; send turns it into attempts.
type call struct {
	method      string
	path        string
	query       map[string]string
	body        []byte
	contentType string
	header      Header
	stream      bool
	// free calls (payment status) never go through the payer.
	free bool
	cfg  callConfig
}

func newCall(method, path string, opts []CallOption) *call {
	c := &call{method: method, path: path, header: Header{}}
	for _, o := range opts {
		o(&c.cfg)
	}
	if c.cfg.requestID == "" {
		c.cfg.requestID = newRequestID()
	}
	return c
}

func (cl *call) route() string { return cl.method + " " + cl.path }

func (cl *call) setJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return &Error{Code: CodeInvalidRequest, Message: "the request could not be encoded as JSON: " + err.Error(), Err: err}
	}
	cl.body, cl.contentType = b, "application/json"
	return nil
}

func (cl *call) validate() error {
	if !validRequestID(cl.cfg.requestID) {
		return Errorf(CodeInvalidRequest, "the request id %q is not a header-safe token of at most 128 characters", cl.cfg.requestID)
	}
	for k, v := range cl.header {
		if !validHeaderName(k) || !validHeaderValue(v) {
			return Errorf(CodeInvalidRequest, "the header %q cannot be sent", k)
		}
	}
	for k, v := range cl.cfg.headers {
		if !validHeaderName(k) || !validHeaderValue(v) {
			return Errorf(CodeInvalidRequest, "the header %q cannot be sent", k)
		}
	}
	if cl.cfg.timeout < 0 {
		return Errorf(CodeInvalidRequest, "the timeout must be positive")
	}
	return nil
}

func (c *Client) url(cl *call) string {
	u := c.baseURL + cl.path
	if len(cl.query) > 0 {
		u += "?" + encodeQuery(cl.query)
	}
	return u
}

// header builds the headers of one attempt: client-wide, route, caller.
func (c *Client) header(cl *call) Header {
	h := c.headers.Clone()
	h.Set("Accept", "application/json")
	if cl.stream {
		h.Set("Accept", "text/event-stream")
	}
	if cl.contentType != "" {
		h.Set("Content-Type", cl.contentType)
	}
	if c.apiKey != "" {
		h.Set("api-key", c.apiKey)
	}
	if c.partner != "" {
		h.Set("X-Partner", c.partner)
	}
	if c.walletAddress != "" {
		h.Set("X-Wallet-Address", c.walletAddress)
	}
	h.Set("X-Request-Id", cl.cfg.requestID)
	if cl.cfg.bypassCache {
		h.Set("x-bypass-cache", "1")
	}
	for k, v := range cl.header {
		h[k] = v
	}
	for k, v := range cl.cfg.headers {
		h[k] = v
	}
	return h
}

// newRequestID returns a UUID v4. math/rand/v2 is seeded from the runtime's
// secure source; request ids need uniqueness, not secrecy, and crypto/rand
// would add 46 KB to the wasm binary.
func newRequestID() string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := rand.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hexdigits = "0123456789abcdef"
	var s strings.Builder
	s.Grow(36)
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s.WriteByte('-')
		}
		s.WriteByte(hexdigits[x>>4])
		s.WriteByte(hexdigits[x&15])
	}
	return s.String()
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// isUUID reports whether s has the 8-4-4-4-12 hex form the service's UUID
// fields require.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}
