// Package client is the T API client in plain Go: every route, streaming
// chat, typed errors, retries and pay-per-call through a Payer. It does no
// I/O of its own: HTTP goes through a Transport (net/http natively, fetch in
// the browser), so the same code runs in the wasm SDK.
package client

import (
	"context"
	"errors"
	"strings"
	"time"
)

// DefaultBaseURL is the live T API.
const DefaultBaseURL = "https://api-v3.fluxpointstudios.com"

// Version is the SDK version reported to JavaScript as sdk.version.
const Version = "0.1.0"

const (
	defaultTimeout    = 60 * time.Second
	defaultMaxRetries = 2
	defaultBackoff    = 500 * time.Millisecond
	defaultMaxBackoff = 8 * time.Second
	// maxRetryAfter bounds a server's Retry-After so that a hostile or
	// confused server cannot park a call for hours.
	maxRetryAfter = 60 * time.Second
)

// Client calls the T API. It is safe for concurrent use.
type Client struct {
	baseURL       string
	apiKey        string
	partner       string
	walletAddress string
	headers       Header
	payer         Payer
	timeout       time.Duration
	maxRetries    int
	backoff       time.Duration
	maxBackoff    time.Duration
	transport     Transport
	now           func() time.Time
	sleep         func(context.Context, time.Duration) error

	Chat     *ChatService
	Tokens   *TokenService
	Images   *ImageService
	Payments *PaymentService
}

type service struct{ client *Client }

// ChatService sends chat messages, whole or streamed.
type ChatService service

// TokenService runs token analyses.
type TokenService service

// ImageService generates and edits images.
type ImageService service

// PaymentService reads invoice status and prepaid balances.
type PaymentService service

// Option configures a Client; options check their input.
type Option func(*Client) error

// WithBaseURL sets the service address: an absolute http(s) URL, or a path
// starting with "/" that the browser resolves against the page (for a
// same-origin proxy such as serve.go's /t).
func WithBaseURL(base string) Option {
	return func(c *Client) error {
		base = strings.TrimRight(strings.TrimSpace(base), "/")
		if strings.HasPrefix(base, "/") && !strings.HasPrefix(base, "//") {
			c.baseURL = base
			return nil
		}
		if !checkBaseURL(base) {
			return Errorf(CodeInvalidRequest, "the base URL %q is not an http(s) URL or a path starting with /", base)
		}
		c.baseURL = base
		return nil
	}
}

// WithAPIKey authenticates with an api-key header.
func WithAPIKey(key string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(key) == "" {
			return Errorf(CodeInvalidRequest, "the api-key is empty; leave the option out to pay per call instead")
		}
		if !validHeaderValue(key) {
			return Errorf(CodeInvalidRequest, "the api-key contains characters that cannot be sent in a header")
		}
		c.apiKey = key
		return nil
	}
}

// WithPartner sends X-Partner on every request (partner billing).
func WithPartner(partner string) Option {
	return headerOption("partner", partner, func(c *Client, v string) { c.partner = v })
}

// WithWalletAddress sends X-Wallet-Address on every request.
func WithWalletAddress(addr string) Option {
	return headerOption("wallet address", addr, func(c *Client, v string) { c.walletAddress = v })
}

func headerOption(what, value string, set func(*Client, string)) Option {
	return func(c *Client) error {
		if value == "" || !validHeaderValue(value) {
			return Errorf(CodeInvalidRequest, "the %s %q cannot be sent in a header", what, value)
		}
		set(c, value)
		return nil
	}
}

// WithHeaders adds headers to every request. From a browser, each must be
// allowed by the server's CORS policy.
func WithHeaders(h map[string]string) Option {
	return func(c *Client) error {
		for k, v := range h {
			if !validHeaderName(k) || !validHeaderValue(v) {
				return Errorf(CodeInvalidRequest, "the header %q cannot be sent", k)
			}
			c.headers.Set(k, v)
		}
		return nil
	}
}

// WithPayer pays 402 invoices. Without one, a 402 is a payment_required error.
func WithPayer(p Payer) Option {
	return func(c *Client) error {
		if p == nil {
			return errors.New("tbackend: WithPayer(nil)")
		}
		c.payer = p
		return nil
	}
}

// WithTimeout bounds each attempt (for a stream: the wait for the response
// and every silence between events). Default 60 s.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return Errorf(CodeInvalidRequest, "the timeout must be positive, not %v", d)
		}
		c.timeout = d
		return nil
	}
}

// WithMaxRetries sets how many times a call is retried after 408, 429, 5xx
// or a network failure. Default 2; the one retry after paying is extra.
func WithMaxRetries(n int) Option {
	return func(c *Client) error {
		if n < 0 || n > 10 {
			return Errorf(CodeInvalidRequest, "maxRetries must be between 0 and 10, not %d", n)
		}
		c.maxRetries = n
		return nil
	}
}

// WithBackoff sets the first retry delay and the cap of the exponential
// backoff. Defaults 500 ms and 8 s.
func WithBackoff(first, max time.Duration) Option {
	return func(c *Client) error {
		if first <= 0 || max < first {
			return Errorf(CodeInvalidRequest, "backoff needs 0 < first <= max")
		}
		c.backoff, c.maxBackoff = first, max
		return nil
	}
}

// WithTransport replaces the HTTP transport. In the browser build there is
// no default and this option is required.
func WithTransport(t Transport) Option {
	return func(c *Client) error {
		if t == nil {
			return errors.New("tbackend: WithTransport(nil)")
		}
		c.transport = t
		return nil
	}
}

// New returns a Client for DefaultBaseURL unless WithBaseURL says otherwise.
func New(opts ...Option) (*Client, error) {
	c := &Client{
		baseURL:    DefaultBaseURL,
		headers:    Header{},
		timeout:    defaultTimeout,
		maxRetries: defaultMaxRetries,
		backoff:    defaultBackoff,
		maxBackoff: defaultMaxBackoff,
		transport:  defaultTransport(),
		now:        time.Now,
		sleep:      sleepContext,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.transport == nil {
		return nil, Errorf(CodeInvalidRequest, "no HTTP transport: use WithTransport")
	}
	s := service{client: c}
	c.Chat = (*ChatService)(&s)
	c.Tokens = (*TokenService)(&s)
	c.Images = (*ImageService)(&s)
	c.Payments = (*PaymentService)(&s)
	return c, nil
}

// BaseURL returns the service address in use.
func (c *Client) BaseURL() string { return c.baseURL }

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
