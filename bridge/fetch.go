//go:build js && wasm

package bridge

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/bridge/jsutil"
	"github.com/tbackend/sdk/client"
)

// Fetch is the browser Transport: window.fetch with credentials omitted
// (the service authenticates by header; CORS is "*"), the body streamed
// through a ReadableStream reader, and cancellation through AbortController.
type Fetch struct{}

func (Fetch) RoundTrip(ctx context.Context, req *client.Request) (*client.Response, error) {
	controller, err := jsutil.Get("AbortController").New()
	if err != nil {
		return nil, errors.New("this browser has no AbortController")
	}
	signal, _ := controller.Get("signal")
	headers := jsutil.NewObject()
	for k, v := range req.Header {
		headers.Set(k, v)
	}
	init := jsutil.Object(
		"method", req.Method,
		"headers", headers,
		"signal", signal,
		"credentials", "omit",
		"mode", "cors",
		"redirect", "follow",
		"cache", "no-store",
	)
	if req.Body != nil {
		jsutil.Set(init, "body", jsutil.Uint8Array(req.Body))
	}
	abort := func() { controller.Call("abort") }
	stop := context.AfterFunc(ctx, abort)

	p, err := jsutil.Global().Call("fetch", req.URL, init)
	if err != nil {
		stop()
		return nil, err
	}
	resp, err := jsutil.Await(ctx, p)
	if err != nil {
		stop()
		return nil, fetchFailure(err)
	}
	status, _ := resp.Get("status")
	code, _ := status.Int()
	out := &client.Response{Status: code, Header: responseHeaders(resp)}
	body, _ := resp.Get("body")
	if body.IsUndefined() || body.IsNull() {
		stop()
		out.Body = io.NopCloser(strings.NewReader(""))
		return out, nil
	}
	reader, err := body.Call("getReader")
	if err != nil {
		stop()
		return nil, err
	}
	out.Body = &streamBody{ctx: ctx, reader: reader, release: func() { stop(); abort() }}
	return out, nil
}

// fetchFailure turns fetch's TypeError ("Failed to fetch") into a plain
// error: the client classifies it as network, timeout or aborted.
func fetchFailure(err error) error {
	if v, ok := jsutil.Thrown(err); ok {
		name, _ := v.Get("name")
		n, _ := name.String()
		msg := (&jsutil.Error{Value: v}).Error()
		if n == "TypeError" {
			return errors.New("the request failed (network error, CORS refusal or blocked by the browser): " + msg)
		}
		return errors.New(msg)
	}
	return err
}

func responseHeaders(resp safejs.Value) client.Header {
	h := client.Header{}
	headers, err := resp.Get("headers")
	if err != nil {
		return h
	}
	each := jsutil.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) >= 2 {
			v, _ := args[0].String()
			k, _ := args[1].String()
			h.Set(k, v)
		}
		return nil
	})
	defer each.Release()
	headers.Call("forEach", each)
	return h
}

// streamBody reads a fetch body chunk by chunk.
type streamBody struct {
	ctx     context.Context
	reader  safejs.Value
	chunk   []byte
	done    bool
	release func()
}

func (s *streamBody) Read(p []byte) (int, error) {
	for len(s.chunk) == 0 {
		if s.done {
			return 0, io.EOF
		}
		p, err := s.reader.Call("read")
		if err != nil {
			return 0, err
		}
		res, err := jsutil.Await(s.ctx, p)
		if err != nil {
			return 0, fetchFailure(err)
		}
		done, _ := res.Get("done")
		if yes, _ := done.Truthy(); yes {
			s.done = true
			continue
		}
		value, _ := res.Get("value")
		s.chunk, _ = jsutil.Bytes(value)
	}
	n := copy(p, s.chunk)
	s.chunk = s.chunk[n:]
	return n, nil
}

func (s *streamBody) Close() error {
	if !s.done {
		s.done = true
		jsutil.Ignore(s.reader.Call("cancel"))
	}
	s.release()
	return nil
}
