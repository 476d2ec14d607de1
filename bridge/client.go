//go:build js && wasm

package bridge

import (
	"context"
	"encoding/json"
	"io"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/bridge/jsutil"
	"github.com/tbackend/sdk/client"
)

var (
	clients handles[*client.Client]
	streams handles[*openStream]
)

// newClient is createClient: it returns {handle} or {error}, which
// tbackend.js turns into a Client or a thrown TBackendError.
func newClient(options safejs.Value) any {
	f := jsutil.ReadFields(options, "options")
	opts := []client.Option{client.WithTransport(Fetch{})}
	if s := f.String("baseUrl"); s != "" {
		opts = append(opts, client.WithBaseURL(s))
	}
	if s := f.String("apiKey"); s != "" {
		opts = append(opts, client.WithAPIKey(s))
	}
	if s := f.String("partner"); s != "" {
		opts = append(opts, client.WithPartner(s))
	}
	if s := f.String("walletAddress"); s != "" {
		opts = append(opts, client.WithWalletAddress(s))
	}
	if d := f.Millis("timeoutMs"); d > 0 {
		opts = append(opts, client.WithTimeout(d))
	}
	if f.Has("maxRetries") {
		opts = append(opts, client.WithMaxRetries(f.Integer("maxRetries")))
	}
	if h := f.StringMap("headers"); h != nil {
		opts = append(opts, client.WithHeaders(h))
	}
	if f.Has("payer") {
		id := jsutil.ReadFields(f.Get("payer"), "options.payer").Integer("handle")
		p, ok := payerObjects.get(id)
		if !ok {
			return failure(jsutil.BadArgument("options.payer must come from sdk.createPayer"))
		}
		opts = append(opts, client.WithPayer(p))
	}
	if err := f.Err(); err != nil {
		return failure(err)
	}
	c, err := client.New(opts...)
	if err != nil {
		return failure(err)
	}
	return jsutil.Object("handle", clients.add(c), "baseUrl", c.BaseURL())
}

func failure(err error) safejs.Value { return jsutil.Object("error", toJSError(err)) }

// callOptions reads the last argument every method takes:
// { signal, requestId, timeoutMs, bypassCache, headers }.
func callOptions(v safejs.Value) (context.Context, context.CancelFunc, []client.CallOption, error) {
	f := jsutil.ReadFields(v, "options")
	var opts []client.CallOption
	if id := f.String("requestId"); id != "" {
		opts = append(opts, client.RequestID(id))
	}
	if d := f.Millis("timeoutMs"); d > 0 {
		opts = append(opts, client.CallTimeout(d))
	}
	if f.Boolean("bypassCache") {
		opts = append(opts, client.BypassCache())
	}
	for k, val := range f.StringMap("headers") {
		opts = append(opts, client.WithCallHeader(k, val))
	}
	signal := f.Get("signal")
	if err := f.Err(); err != nil {
		return nil, nil, nil, err
	}
	if !signal.IsUndefined() && !jsutil.InstanceOf(signal, "AbortSignal") {
		return nil, nil, nil, jsutil.BadArgument("options.signal must be an AbortSignal")
	}
	ctx, cancel := jsutil.SignalContext(context.Background(), signal)
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
	return jsutil.Promise(func() (any, error) {
		c, ok := clients.get(readInt(jsutil.Arg(args, 0)))
		if !ok {
			return nil, jsutil.BadArgument("this client was released")
		}
		name, _ := jsutil.Arg(args, 1).String()
		m, ok := methods[name]
		if !ok {
			return nil, jsutil.BadArgument("no method %q", name)
		}
		margs := make([]safejs.Value, m.nargs)
		for i := range margs {
			margs[i] = jsutil.Arg(args, 2+i)
		}
		ctx, cancel, opts, err := callOptions(jsutil.Arg(args, 2+m.nargs))
		if err != nil {
			return nil, err
		}
		defer cancel()
		return m.run(ctx, c, margs, opts)
	})
}

func readInt(v safejs.Value) int {
	if jsutil.Kind(v) != safejs.TypeNumber {
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
	return jsutil.Promise(func() (any, error) {
		c, ok := clients.get(readInt(jsutil.Arg(args, 0)))
		if !ok {
			return nil, jsutil.BadArgument("this client was released")
		}
		ctx, cancel, opts, err := callOptions(jsutil.Arg(args, 2))
		if err != nil {
			return nil, err
		}
		req, err := chatRequest(ctx, jsutil.Arg(args, 1), &opts)
		if err != nil {
			cancel()
			return nil, err
		}
		st, err := c.Chat.Stream(ctx, req, opts...)
		if err != nil {
			cancel()
			return nil, err
		}
		return jsutil.Object("handle", streams.add(&openStream{stream: st, cancel: cancel}), "requestId", st.RequestID()), nil
	})
}

// streamNext resolves with {done, value} like an iterator result.
func streamNext(args []safejs.Value) any {
	return jsutil.Promise(func() (any, error) {
		id := readInt(jsutil.Arg(args, 0))
		s, ok := streams.get(id)
		if !ok {
			return jsutil.Object("done", true), nil
		}
		ev, err := s.stream.Next()
		if err == io.EOF {
			streamRelease(id)
			return jsutil.Object("done", true), nil
		}
		if err != nil {
			streamRelease(id)
			return nil, err
		}
		value := jsutil.Object("type", ev.Type, "data", eventData(ev.Data))
		if ev.Text != "" || ev.Type == "content" || ev.Type == "reasoning" {
			jsutil.Set(value, "text", ev.Text)
		}
		if ev.Name != "" {
			jsutil.Set(value, "name", ev.Name)
		}
		if len(ev.Args) > 0 {
			jsutil.Set(value, "args", bodyValue(ev.Args))
		}
		if ev.OK != nil {
			jsutil.Set(value, "ok", *ev.OK)
		}
		return jsutil.Object("done", false, "value", value), nil
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
	streamRelease(readInt(jsutil.Arg(args, 0)))
	return nil
}

func streamRelease(id int) {
	if s, ok := streams.remove(id); ok {
		s.stream.Close()
		s.cancel()
	}
}

// release drops a handle of the named kind once JavaScript no longer holds
// its object (tbackend.js calls it from a FinalizationRegistry).
func release(args []safejs.Value) any {
	kind, _ := jsutil.Arg(args, 0).String()
	id := readInt(jsutil.Arg(args, 1))
	switch kind {
	case "client":
		clients.remove(id)
	case "stream":
		streamRelease(id)
	case "payer":
		payerObjects.remove(id)
	case "wallet":
		wallets.remove(id)
	}
	return nil
}
