//go:build !(js && wasm)

package client

import (
	"bytes"
	"context"
	"net/http"
	"strings"
)

func defaultTransport() Transport { return NetHTTP{} }

// NetHTTP is the native Transport over net/http. The browser build leaves it
// out: net/http alone would add about 1.2 MB to the wasm binary.
type NetHTTP struct {
	// Client is the net/http client; nil means http.DefaultClient.
	Client *http.Client
}

func (t NetHTTP) RoundTrip(ctx context.Context, req *Request) (*Response, error) {
	hreq, err := http.NewRequestWithContext(ctx, req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return nil, err
	}
	if req.Body == nil {
		hreq.Body = nil
	}
	for k, v := range req.Header {
		hreq.Header.Set(k, v)
	}
	hc := t.Client
	if hc == nil {
		hc = http.DefaultClient
	}
	hresp, err := hc.Do(hreq)
	if err != nil {
		return nil, err
	}
	h := make(Header, len(hresp.Header))
	for k, vs := range hresp.Header {
		h[strings.ToLower(k)] = strings.Join(vs, ", ")
	}
	return &Response{Status: hresp.StatusCode, Header: h, Body: hresp.Body}, nil
}
