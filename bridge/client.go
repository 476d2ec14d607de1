//go:build js && wasm

package bridge

import (
	"context"
	"encoding/json"
	"io"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/client"
)

var (
	clients handles[*client.Client]
	streams handles[*openStream]
	payers  handles[client.Payer]
)

// newClient is createClient: it returns {handle} or {error}, which
// tbackend.js turns into a Client or a thrown TBackendError.
func newClient(options safejs.Value) any {
	f := readFields(options, "options")
	opts := []client.Option{client.WithTransport(Fetch{})}
	if s := f.str("baseUrl"); s != "" {
		opts = append(opts, client.WithBaseURL(s))
	}
	if s := f.str("apiKey"); s != "" {
		opts = append(opts, client.WithAPIKey(s))
	}
	if s := f.str("partner"); s != "" {
		opts = append(opts, client.WithPartner(s))
	}
	if s := f.str("walletAddress"); s != "" {
		opts = append(opts, client.WithWalletAddress(s))
	}
	if d := f.millis("timeoutMs"); d > 0 {
		opts = append(opts, client.WithTimeout(d))
	}
	if f.has("maxRetries") {
		opts = append(opts, client.WithMaxRetries(f.integer("maxRetries")))
	}
	if h := f.stringMap("headers"); h != nil {
		opts = append(opts, client.WithHeaders(h))
	}
	if f.has("payer") {
		id := readFields(f.get("payer"), "options.payer").integer("handle")
		p, ok := payers.get(id)
		if !ok {
			return failure(badArgument("options.payer must come from sdk.createPayer"))
		}
		opts = append(opts, client.WithPayer(p))
	}
	if err := f.err(); err != nil {
		return failure(err)
	}
	c, err := client.New(opts...)
	if err != nil {
		return failure(err)
	}
	return object("handle", clients.add(c), "baseUrl", c.BaseURL())
}

func failure(err error) safejs.Value { return object("error", toJSError(err)) }

// callOptions reads the last argument every method takes:
// { signal, requestId, timeoutMs, bypassCache, headers }.
func callOptions(v safejs.Value) (context.Context, context.CancelFunc, []client.CallOption, error) {
	f := readFields(v, "options")
	var opts []client.CallOption
	if id := f.str("requestId"); id != "" {
		opts = append(opts, client.RequestID(id))
	}
	if d := f.millis("timeoutMs"); d > 0 {
		opts = append(opts, client.CallTimeout(d))
	}
	if f.boolean("bypassCache") {
		opts = append(opts, client.BypassCache())
	}
	for k, val := range f.stringMap("headers") {
		opts = append(opts, client.WithCallHeader(k, val))
	}
	signal := f.get("signal")
	if err := f.err(); err != nil {
		return nil, nil, nil, err
	}
	if !signal.IsUndefined() && !instanceOf(signal, "AbortSignal") {
		return nil, nil, nil, badArgument("options.signal must be an AbortSignal")
	}
	ctx, cancel := signalContext(context.Background(), signal)
	return ctx, cancel, opts, nil
}

// method is one client call: args are the JavaScript arguments before the
// options object.
type method func(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error)

var methods = map[string]struct {
	nargs int
	run   method
}{
	"health":               {0, rawCall((*client.Client).Health)},
	"api":                  {0, rawCall((*client.Client).API)},
	"usage":                {0, rawCall((*client.Client).Usage)},
	"chat":                 {1, chat},
	"tokenAnalysis":        {1, tokenAnalysis},
	"images.generate":      {1, imagesGenerate},
	"images.edit":          {1, imagesEdit(false)},
	"images.uploadAndEdit": {1, imagesEdit(true)},
	"images.variations":    {1, imagesVariations},
	"payments.status":      {1, paymentsStatus},
	"payments.balance":     {1, paymentsBalance},
	"request":              {3, request},
}

// invoke runs a method of a client: invoke(handle, name, ...args, options).
func invoke(args []safejs.Value) any {
	return promise(func() (any, error) {
		c, ok := clients.get(readInt(argOr(args, 0)))
		if !ok {
			return nil, badArgument("this client was released")
		}
		name, _ := argOr(args, 1).String()
		m, ok := methods[name]
		if !ok {
			return nil, badArgument("no method %q", name)
		}
		margs := make([]safejs.Value, m.nargs)
		for i := range margs {
			margs[i] = argOr(args, 2+i)
		}
		ctx, cancel, opts, err := callOptions(argOr(args, 2+m.nargs))
		if err != nil {
			return nil, err
		}
		defer cancel()
		return m.run(ctx, c, margs, opts)
	})
}

func readInt(v safejs.Value) int {
	if kind(v) != safejs.TypeNumber {
		return 0
	}
	n, _ := v.Int()
	return n
}

func rawCall(fn func(*client.Client, context.Context, ...client.CallOption) (json.RawMessage, error)) method {
	return func(ctx context.Context, c *client.Client, _ []safejs.Value, opts []client.CallOption) (any, error) {
		raw, err := fn(c, ctx, opts...)
		if err != nil {
			return nil, err
		}
		return jsonValue(raw)
	}
}

func jsonResult(raw json.RawMessage, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return jsonValue(raw)
}

// openStream is a chat stream held for JavaScript's async iterator.
type openStream struct {
	stream *client.ChatStream
	cancel context.CancelFunc
}

// streamOpen starts chatStream: it resolves with a stream handle once the
// service answered, so that failures before the first event reject the
// first next().
func streamOpen(args []safejs.Value) any {
	return promise(func() (any, error) {
		c, ok := clients.get(readInt(argOr(args, 0)))
		if !ok {
			return nil, badArgument("this client was released")
		}
		ctx, cancel, opts, err := callOptions(argOr(args, 2))
		if err != nil {
			return nil, err
		}
		req, err := chatRequest(ctx, argOr(args, 1), &opts)
		if err != nil {
			cancel()
			return nil, err
		}
		st, err := c.Chat.Stream(ctx, req, opts...)
		if err != nil {
			cancel()
			return nil, err
		}
		return object("handle", streams.add(&openStream{stream: st, cancel: cancel}), "requestId", st.RequestID()), nil
	})
}

// streamNext resolves with {done, value} like an iterator result.
func streamNext(args []safejs.Value) any {
	return promise(func() (any, error) {
		id := readInt(argOr(args, 0))
		s, ok := streams.get(id)
		if !ok {
			return object("done", true), nil
		}
		ev, err := s.stream.Next()
		if err == io.EOF {
			streamRelease(id)
			return object("done", true), nil
		}
		if err != nil {
			streamRelease(id)
			return nil, err
		}
		value := object("type", ev.Type, "data", eventData(ev.Data))
		if ev.Text != "" || ev.Type == "content" || ev.Type == "reasoning" {
			set(value, "text", ev.Text)
		}
		if ev.Name != "" {
			set(value, "name", ev.Name)
		}
		if len(ev.Args) > 0 {
			set(value, "args", bodyValue(ev.Args))
		}
		if ev.OK != nil {
			set(value, "ok", *ev.OK)
		}
		return object("done", false, "value", value), nil
	})
}

func eventData(raw json.RawMessage) any {
	if len(raw) == 0 {
		return safejs.Null()
	}
	return bodyValue(raw)
}

// streamClose cancels the request behind a stream (break, return, abort).
func streamClose(args []safejs.Value) any {
	streamRelease(readInt(argOr(args, 0)))
	return nil
}

func streamRelease(id int) {
	if s, ok := streams.remove(id); ok {
		s.stream.Close()
		s.cancel()
	}
}

func releaseClient(args []safejs.Value) any {
	clients.remove(readInt(argOr(args, 0)))
	return nil
}
