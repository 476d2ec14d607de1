package client

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tbackend/sdk/sandbox"
)

// These tests run the client against the offline sandbox, which validates
// like the real service.

func sandboxClient(t *testing.T, key string, opts ...Option) *Client {
	t.Helper()
	srv := httptest.NewServer(sandbox.New(sandbox.Config{APIKey: key, StreamDelay: -1}))
	t.Cleanup(srv.Close)
	all := []Option{WithBaseURL(srv.URL), WithBackoff(time.Millisecond, 10*time.Millisecond)}
	if key != "" {
		all = append(all, WithAPIKey(key))
	}
	c, err := New(append(all, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestEveryRouteAgainstTheSandbox(t *testing.T) {
	c := sandboxClient(t, "key-1")
	ctx := context.Background()
	pic := Image{Data: testPNG(t), Name: "pic.png"}
	steps := map[string]func() (string, error){
		"health": func() (string, error) { r, err := c.Health(ctx); return string(r), err },
		"api":    func() (string, error) { r, err := c.API(ctx); return string(r), err },
		"chat": func() (string, error) {
			r, err := c.Chat.Send(ctx, ChatRequest{Message: "hello sandbox", ImageData: pic.DataURI()})
			if err == nil {
				return r.Reply, nil
			}
			return "", err
		},
		"structured": func() (string, error) {
			r, err := c.Chat.Send(ctx, ChatRequest{Message: "summarise this", OutputMode: "structured"})
			if err == nil {
				return string(r.ReplyJSON), nil
			}
			return "", err
		},
		"tokens v1": func() (string, error) {
			r, err := c.Tokens.Analyze(ctx, TokenAnalysisRequest{PolicyID: "279c909f348e533da5808898f87f9a14bb2c3dfbbacccd631d927a3f", AssetNameHex: "534e454b", APIVersion: "1"})
			return string(r), err
		},
		"tokens v2": func() (string, error) {
			r, err := c.Tokens.Analyze(ctx, TokenAnalysisRequest{Token: "SNEK", APIVersion: "2"}, BypassCache())
			return string(r), err
		},
		"generate": func() (string, error) {
			r, err := c.Images.Generate(ctx, ImageRequest{Prompt: "a red fox", Size: "256x256", N: 2})
			if err == nil && len(r.Images) != 2 {
				t.Errorf("generate gave %d images", len(r.Images))
			}
			return string(r.Raw), err
		},
		"edit": func() (string, error) {
			r, err := c.Images.Edit(ctx, ImageEditRequest{Prompt: "invert", Images: []Image{pic}})
			return string(r.Raw), err
		},
		"upload": func() (string, error) {
			r, err := c.Images.UploadAndEdit(ctx, ImageEditRequest{Prompt: "grayscale", Images: []Image{pic}, N: 1})
			return string(r.Raw), err
		},
		"variations": func() (string, error) {
			r, err := c.Images.Variations(ctx, ImageVariationRequest{Image: pic, N: 2})
			return string(r.Raw), err
		},
		"balance": func() (string, error) {
			r, err := c.Payments.Balance(ctx, "acme", "addr_test1xyz")
			return string(r), err
		},
		"usage": func() (string, error) { r, err := c.Usage(ctx); return string(r), err },
	}
	for name, step := range steps {
		t.Run(name, func(t *testing.T) {
			out, err := step()
			if err != nil {
				t.Fatal(err)
			}
			if out == "" || out == "null" {
				t.Errorf("empty answer")
			}
		})
	}
	st, err := c.Chat.Stream(ctx, ChatRequest{Message: "stream these words please"})
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for {
		ev, err := st.Next()
		if err != nil {
			break
		}
		if ev.Type == "content" {
			text.WriteString(ev.Text)
		}
	}
	whole, err := c.Chat.Send(ctx, ChatRequest{Message: "stream these words please"})
	if err != nil || text.String() != whole.Reply {
		t.Errorf("streamed %q, whole %q (%v)", text.String(), whole.Reply, err)
	}
}

func TestSandboxValidationArrivesAsErrors(t *testing.T) {
	c := sandboxClient(t, "key-2")
	ctx := context.Background()
	hot := 2.5
	_, err := c.Chat.Send(ctx, ChatRequest{Message: "x", Temperature: &hot})
	if !isCode(err, CodeInvalidRequest) || err.(*Error).Status != 422 || !strings.Contains(err.Error(), "temperature") {
		t.Errorf("temperature 2.5: %v", err)
	}
	_, err = c.Chat.Send(ctx, ChatRequest{Message: strings.Repeat("a", 32001)})
	if !isCode(err, CodeInvalidRequest) || !strings.Contains(err.Error(), "32000") {
		t.Errorf("long message: %v", err)
	}
	_, err = c.Tokens.Analyze(ctx, TokenAnalysisRequest{Token: "NOPE-NOT-A-TOKEN"})
	if !isCode(err, CodeNotFound) {
		t.Errorf("unknown token: %v", err)
	}
	wrong := sandboxClient(t, "key-3")
	wrong.apiKey = "wrong"
	if _, err := wrong.Usage(ctx); !isCode(err, CodeUnauthorized) {
		t.Errorf("wrong key: %v", err)
	}
	var raw json.RawMessage
	if raw, err = c.Payments.Status(ctx, "inv_unknown"); !isCode(err, CodeNotFound) {
		t.Errorf("unknown invoice: %s %v", raw, err)
	}
}

func TestSandboxFaultsAreRetried(t *testing.T) {
	c := sandboxClient(t, "key-4", WithMaxRetries(2))
	ctx := context.Background()
	fail := func(status, times string) []CallOption {
		return []CallOption{WithCallHeader("X-Sandbox-Fail", status), WithCallHeader("X-Sandbox-Fail-Times", times)}
	}
	if _, err := c.Health(ctx, fail("503", "2")...); err != nil {
		t.Errorf("two 503s then success: %v", err)
	}
	_, err := c.Health(ctx, fail("500", "3")...)
	if !isCode(err, CodeServerError) || err.(*Error).Status != 500 {
		t.Errorf("three 500s: %v", err)
	}
}
