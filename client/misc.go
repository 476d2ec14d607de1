package client

import (
	"context"
	"encoding/json"
	"strings"
)

// Health calls GET /health.
func (c *Client) Health(ctx context.Context, opts ...CallOption) (json.RawMessage, error) {
	return c.getJSON(ctx, "/health", nil, opts)
}

// API calls GET /api, the service's self-description.
func (c *Client) API(ctx context.Context, opts ...CallOption) (json.RawMessage, error) {
	return c.getJSON(ctx, "/api", nil, opts)
}

// Usage calls GET /usage: this api-key's usage.
func (c *Client) Usage(ctx context.Context, opts ...CallOption) (json.RawMessage, error) {
	return c.getJSON(ctx, "/usage", nil, opts)
}

// getJSON reads one of the service's free routes (health, api, usage,
// payment status and balance): a 402 there is an error, never paid.
func (c *Client) getJSON(ctx context.Context, path string, query map[string]string, opts []CallOption) (json.RawMessage, error) {
	cl := newCall("GET", path, opts)
	cl.query = query
	cl.free = true
	res, err := c.send(ctx, cl)
	if err != nil {
		return nil, err
	}
	return rawJSON(res)
}

// RawRequest describes a call to any route.
type RawRequest struct {
	// Body is sent as JSON unless it is []byte, which is sent as is with
	// ContentType (default application/octet-stream).
	Body        any
	ContentType string
	Query       map[string]string
	Headers     map[string]string
}

// RawResponse is the answer of Do.
type RawResponse struct {
	Status    int
	Header    Header
	Body      []byte
	RequestID string
}

// Do calls any route with the same headers, retries, errors and 402
// handling as the typed calls.
func (c *Client) Do(ctx context.Context, method, path string, req RawRequest, opts ...CallOption) (*RawResponse, error) {
	method = strings.ToUpper(method)
	switch method {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD":
	default:
		return nil, Errorf(CodeInvalidRequest, "the method %q is not supported", method)
	}
	if !strings.HasPrefix(path, "/") || strings.Contains(path, "://") || strings.ContainsAny(path, "?#") {
		return nil, Errorf(CodeInvalidRequest, "the path %q must start with / and carry no query (use Query)", path)
	}
	cl := newCall(method, path, opts)
	cl.query = req.Query
	for k, v := range req.Headers {
		cl.header.Set(k, v)
	}
	switch b := req.Body.(type) {
	case nil:
	case []byte:
		cl.body, cl.contentType = b, req.ContentType
		if cl.contentType == "" {
			cl.contentType = "application/octet-stream"
		}
	default:
		if err := cl.setJSON(b); err != nil {
			return nil, err
		}
	}
	res, err := c.send(ctx, cl)
	if err != nil {
		return nil, err
	}
	return &RawResponse{Status: res.status, Header: res.header, Body: res.data, RequestID: res.requestID}, nil
}
