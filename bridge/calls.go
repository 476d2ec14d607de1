//go:build js && wasm

package bridge

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/client"
)

// chatRequest reads chat's request object; a requestId there becomes the
// call's request id.
func chatRequest(ctx context.Context, v safejs.Value, opts *[]client.CallOption) (client.ChatRequest, error) {
	f := readFields(v, "request")
	req := client.ChatRequest{
		Message:     f.str("message"),
		SessionID:   f.str("sessionId"),
		OutputMode:  f.str("outputMode"),
		System:      f.str("system"),
		Persona:     f.str("persona"),
		Profile:     f.str("profile"),
		Temperature: f.optFloat("temperature"),
		TopP:        f.optFloat("topP"),
		MaxTokens:   f.integer("maxTokens"),
		Meta:        f.json("meta"),
		Context:     f.json("context"),
	}
	if id := f.str("requestId"); id != "" {
		*opts = append([]client.CallOption{client.RequestID(id)}, *opts...)
	}
	image := f.get("imageData")
	if err := f.err(); err != nil {
		return req, err
	}
	if !image.IsUndefined() {
		img, err := readImage(ctx, image, "imageData")
		if err != nil {
			return req, err
		}
		req.ImageData = img.DataURI()
	}
	return req, nil
}

func chat(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
	req, err := chatRequest(ctx, args[0], &opts)
	if err != nil {
		return nil, err
	}
	resp, err := c.Chat.Send(ctx, req, opts...)
	if err != nil {
		return nil, err
	}
	raw, err := jsonValue(resp.Raw)
	if err != nil {
		return nil, err
	}
	out := object("reply", resp.Reply, "requestId", resp.RequestID, "raw", raw)
	for _, k := range [][2]string{{"replyJson", "reply_json"}, {"usedTools", "used_tools"}, {"provider", "provider"},
		{"model", "model"}, {"reasoning", "reasoning"}, {"balanceAfter", "balance_after"}} {
		v, _ := raw.Get(k[1])
		if v.IsUndefined() {
			v = safejs.Null()
		}
		set(out, k[0], v)
	}
	return out, nil
}

func tokenAnalysis(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
	f := readFields(args[0], "request")
	req := client.TokenAnalysisRequest{
		Token:        f.str("token"),
		PolicyID:     f.str("policyId"),
		AssetNameHex: f.str("assetNameHex"),
		Network:      f.str("network"),
		APIVersion:   versionString(f, "apiVersion"),
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	return jsonResult(c.Tokens.Analyze(ctx, req, opts...))
}

// versionString accepts apiVersion as "2" or 2.
func versionString(f *fields, name string) string {
	v := f.get(name)
	if kind(v) == safejs.TypeNumber {
		return strconv.Itoa(f.integer(name))
	}
	return f.str(name)
}

func imagesGenerate(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
	f := readFields(args[0], "request")
	req := client.ImageRequest{Prompt: f.str("prompt"), Size: f.str("size"), N: f.integer("n")}
	if err := f.err(); err != nil {
		return nil, err
	}
	return imagesResult(c.Images.Generate(ctx, req, opts...))
}

func imagesEdit(multipart bool) method {
	return func(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
		f := readFields(args[0], "request")
		req := client.ImageEditRequest{Prompt: f.str("prompt"), Size: f.str("size"), N: f.integer("n")}
		field := "inputImages"
		if multipart {
			field = "image"
			if !f.has("image") && f.has("images") {
				field = "images"
			}
		}
		images := f.get(field)
		if err := f.err(); err != nil {
			return nil, err
		}
		if images.IsUndefined() {
			return nil, badArgument("request.%s is required", field)
		}
		var err error
		if req.Images, err = readImages(ctx, images, field); err != nil {
			return nil, err
		}
		if multipart {
			return imagesResult(c.Images.UploadAndEdit(ctx, req, opts...))
		}
		return imagesResult(c.Images.Edit(ctx, req, opts...))
	}
}

func imagesVariations(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
	f := readFields(args[0], "request")
	req := client.ImageVariationRequest{Size: f.str("size"), N: f.integer("n")}
	image := f.get("image")
	if err := f.err(); err != nil {
		return nil, err
	}
	if image.IsUndefined() {
		return nil, badArgument("request.image is required")
	}
	var err error
	if req.Image, err = readImage(ctx, image, "image"); err != nil {
		return nil, err
	}
	return imagesResult(c.Images.Variations(ctx, req, opts...))
}

func imagesResult(resp *client.ImagesResponse, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return jsonValue(resp.Raw)
}

func paymentsStatus(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
	if kind(args[0]) != safejs.TypeString {
		return nil, badArgument("payments.status needs an invoice id string")
	}
	id, _ := args[0].String()
	return jsonResult(c.Payments.Status(ctx, id, opts...))
}

func paymentsBalance(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
	f := readFields(args[0], "request")
	partner, wallet := f.str("partner"), f.str("wallet")
	if err := f.err(); err != nil {
		return nil, err
	}
	return jsonResult(c.Payments.Balance(ctx, partner, wallet, opts...))
}

// request is client.request(method, path, { body, query, headers }, options).
func request(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
	if kind(args[0]) != safejs.TypeString || kind(args[1]) != safejs.TypeString {
		return nil, badArgument("request(method, path, ...) needs a method and a path")
	}
	methodName, _ := args[0].String()
	path, _ := args[1].String()
	f := readFields(args[2], "init")
	raw := client.RawRequest{Headers: f.stringMap("headers"), Query: f.stringMap("query")}
	body := f.get("body")
	if err := f.err(); err != nil {
		return nil, err
	}
	switch {
	case body.IsUndefined():
	case kind(body) == safejs.TypeString:
		s, _ := body.String()
		raw.Body, raw.ContentType = []byte(s), "text/plain;charset=UTF-8"
	case instanceOf(body, "Blob"):
		img, err := readImage(ctx, body, "init.body")
		if err != nil {
			return nil, err
		}
		raw.Body, raw.ContentType = img.Data, img.Type
	default:
		if b, ok := bytesOf(body); ok {
			raw.Body = b
		} else {
			raw.Body = json.RawMessage(readFields(args[2], "init").json("body"))
		}
	}
	resp, err := c.Do(ctx, methodName, path, raw, opts...)
	if err != nil {
		return nil, err
	}
	if len(resp.Body) == 0 {
		return safejs.Null(), nil
	}
	return bodyValue(resp.Body), nil
}
