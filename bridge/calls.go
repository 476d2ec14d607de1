//go:build js && wasm

package bridge

import (
	"context"
	"strconv"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/bridge/jsutil"
	"github.com/tbackend/sdk/client"
)

// chatRequest reads chat's request object; a requestId there becomes the
// call's request id.
func chatRequest(ctx context.Context, v safejs.Value, opts *[]client.CallOption) (client.ChatRequest, error) {
	f := jsutil.ReadFields(v, "request")
	req := client.ChatRequest{
		Message:     f.String("message"),
		SessionID:   f.String("sessionId"),
		OutputMode:  f.String("outputMode"),
		System:      f.String("system"),
		Persona:     f.String("persona"),
		Profile:     f.String("profile"),
		Temperature: f.OptFloat("temperature"),
		TopP:        f.OptFloat("topP"),
		MaxTokens:   f.Integer("maxTokens"),
		Meta:        f.JSON("meta"),
		Context:     f.JSON("context"),
	}
	if id := f.String("requestId"); id != "" {
		*opts = append([]client.CallOption{client.RequestID(id)}, *opts...)
	}
	image := f.Get("imageData")
	if err := f.Err(); err != nil {
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
	out := jsutil.Object("reply", resp.Reply, "requestId", resp.RequestID, "raw", raw)
	for _, k := range [][2]string{{"replyJson", "reply_json"}, {"usedTools", "used_tools"}, {"provider", "provider"},
		{"model", "model"}, {"reasoning", "reasoning"}, {"balanceAfter", "balance_after"}} {
		v, _ := raw.Get(k[1])
		if v.IsUndefined() {
			v = safejs.Null()
		}
		jsutil.Set(out, k[0], v)
	}
	return out, nil
}

func tokenAnalysis(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
	f := jsutil.ReadFields(args[0], "request")
	req := client.TokenAnalysisRequest{
		Token:        f.String("token"),
		PolicyID:     f.String("policyId"),
		AssetNameHex: f.String("assetNameHex"),
		Network:      f.String("network"),
		APIVersion:   versionString(f, "apiVersion"),
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return jsonResult(c.Tokens.Analyze(ctx, req, opts...))
}

// versionString accepts apiVersion as "2" or 2.
func versionString(f *jsutil.Fields, name string) string {
	v := f.Get(name)
	if jsutil.Kind(v) == safejs.TypeNumber {
		return strconv.Itoa(f.Integer(name))
	}
	return f.String(name)
}

func imagesGenerate(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
	f := jsutil.ReadFields(args[0], "request")
	req := client.ImageRequest{Prompt: f.String("prompt"), Size: f.String("size"), N: f.Integer("n")}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return imagesResult(c.Images.Generate(ctx, req, opts...))
}

func imagesEdit(multipart bool) method {
	return func(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
		f := jsutil.ReadFields(args[0], "request")
		req := client.ImageEditRequest{Prompt: f.String("prompt"), Size: f.String("size"), N: f.Integer("n")}
		field := "inputImages"
		if multipart {
			field = "image"
			if !f.Has("image") && f.Has("images") {
				field = "images"
			}
		}
		images := f.Get(field)
		if err := f.Err(); err != nil {
			return nil, err
		}
		if images.IsUndefined() {
			return nil, jsutil.BadArgument("request.%s is required", field)
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
	f := jsutil.ReadFields(args[0], "request")
	req := client.ImageVariationRequest{Size: f.String("size"), N: f.Integer("n")}
	image := f.Get("image")
	if err := f.Err(); err != nil {
		return nil, err
	}
	if image.IsUndefined() {
		return nil, jsutil.BadArgument("request.image is required")
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
	if jsutil.Kind(args[0]) != safejs.TypeString {
		return nil, jsutil.BadArgument("payments.status needs an invoice id string")
	}
	id, _ := args[0].String()
	return jsonResult(c.Payments.Status(ctx, id, opts...))
}

func paymentsBalance(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
	f := jsutil.ReadFields(args[0], "request")
	partner, wallet := f.String("partner"), f.String("wallet")
	if err := f.Err(); err != nil {
		return nil, err
	}
	return jsonResult(c.Payments.Balance(ctx, partner, wallet, opts...))
}

// request is client.request(method, path, { body, query, headers }, options).
func request(ctx context.Context, c *client.Client, args []safejs.Value, opts []client.CallOption) (any, error) {
	if jsutil.Kind(args[0]) != safejs.TypeString || jsutil.Kind(args[1]) != safejs.TypeString {
		return nil, jsutil.BadArgument("request(method, path, ...) needs a method and a path")
	}
	methodName, _ := args[0].String()
	path, _ := args[1].String()
	f := jsutil.ReadFields(args[2], "init")
	raw := client.RawRequest{Headers: f.StringMap("headers"), Query: f.StringMap("query")}
	body := f.Get("body")
	if err := f.Err(); err != nil {
		return nil, err
	}
	switch {
	case body.IsUndefined():
	case jsutil.Kind(body) == safejs.TypeString:
		s, _ := body.String()
		raw.Body, raw.ContentType = []byte(s), "text/plain;charset=UTF-8"
	case jsutil.InstanceOf(body, "Blob"):
		img, err := readImage(ctx, body, "init.body")
		if err != nil {
			return nil, err
		}
		raw.Body, raw.ContentType = img.Data, img.Type
	default:
		if b, ok := jsutil.Bytes(body); ok {
			raw.Body = b
			break
		}
		text := f.JSON("body")
		if err := f.Err(); err != nil {
			return nil, err
		}
		raw.Body = text
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
