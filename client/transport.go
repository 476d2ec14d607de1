package client

import (
	"context"
	"io"
	"strings"
)

// Transport performs one HTTP exchange. Natively it is net/http; in the
// browser it is fetch (bridge/), which keeps net/http out of the wasm binary.
//
// RoundTrip returns an error only when no response arrived; any HTTP status is
// a Response. When ctx ends, the exchange and the body read must stop.
type Transport interface {
	RoundTrip(ctx context.Context, req *Request) (*Response, error)
}

// Request is what a Transport sends. URL is absolute, or a path starting with
// "/" that the browser resolves against the page.
type Request struct {
	Method string
	URL    string
	Header Header
	Body   []byte
}

// Response is what a Transport received. The caller closes Body.
type Response struct {
	Status int
	Header Header
	Body   io.ReadCloser
}

// Header holds one value per name, keyed by lower-case name, which is how
// fetch reports them.
type Header map[string]string

// Get returns the value for name, in any letter case.
func (h Header) Get(name string) string { return h[strings.ToLower(name)] }

// Set stores value under name, in any letter case.
func (h Header) Set(name, value string) { h[strings.ToLower(name)] = value }

// Clone returns an independent copy.
func (h Header) Clone() Header {
	c := make(Header, len(h))
	for k, v := range h {
		c[k] = v
	}
	return c
}
