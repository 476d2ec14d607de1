package client

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

var pngHeader = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

func TestImageInputsAreCheckedBeforeUpload(t *testing.T) {
	ts := setup(t)
	var calls atomic.Int32
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { calls.Add(1) })
	ctx := context.Background()
	huge := Image{Data: append(append([]byte{}, pngHeader...), make([]byte, MaxImageBytes)...)}
	cases := map[string]struct {
		run  func() error
		code Code
	}{
		"oversized edit": {func() error {
			_, err := ts.client.Images.Edit(ctx, ImageEditRequest{Prompt: "p", Images: []Image{{Data: pngHeader}, huge}})
			return err
		}, CodePayloadTooLarge},
		"oversized upload": {func() error {
			_, err := ts.client.Images.UploadAndEdit(ctx, ImageEditRequest{Prompt: "p", Images: []Image{huge}})
			return err
		}, CodePayloadTooLarge},
		"not an image": {func() error {
			_, err := ts.client.Images.Variations(ctx, ImageVariationRequest{Image: Image{Data: []byte("hello")}})
			return err
		}, CodeInvalidRequest},
		"no images": {func() error {
			_, err := ts.client.Images.Edit(ctx, ImageEditRequest{Prompt: "p"})
			return err
		}, CodeInvalidRequest},
		"oversized chat image": {func() error {
			_, err := ts.client.Chat.Send(ctx, ChatRequest{Message: "m", ImageData: huge.DataURI()})
			return err
		}, CodePayloadTooLarge},
		"chat image not a data URI": {func() error {
			_, err := ts.client.Chat.Send(ctx, ChatRequest{Message: "m", ImageData: "https://example.com/cat.png"})
			return err
		}, CodeInvalidRequest},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if err := c.run(); !isCode(err, c.code) {
				t.Fatalf("err = %v, want %s", err, c.code)
			}
		})
	}
	if calls.Load() != 0 {
		t.Errorf("%d requests were sent for invalid input", calls.Load())
	}
}

func TestEditSendsDataURIs(t *testing.T) {
	ts := setup(t)
	ts.mux.HandleFunc("POST /images/edit", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Prompt      string   `json:"prompt"`
			InputImages []string `json:"input_images"`
			N           int      `json:"n"`
			Size        string   `json:"size"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		if len(body.InputImages) != 2 || !strings.HasPrefix(body.InputImages[0], "data:image/png;base64,") || !strings.HasPrefix(body.InputImages[1], "data:image/jpeg;base64,") || body.N != 2 || body.Size != "512x512" {
			t.Errorf("body = %+v", body)
		}
		writeJSON(w, 200, map[string]any{"success": true, "images": []string{"a", "b"}})
	})
	resp, err := ts.client.Images.Edit(context.Background(), ImageEditRequest{Prompt: "p", N: 2, Size: "512x512",
		Images: []Image{{Data: pngHeader}, {Data: []byte("\xff\xd8\xff\xe0jpeg")}}})
	if err != nil || len(resp.Images) != 2 {
		t.Fatalf("Edit = %+v, %v", resp, err)
	}
}

func TestUploadAndEditIsMultipart(t *testing.T) {
	ts := setup(t)
	ts.mux.HandleFunc("POST /images/upload-and-edit", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			t.Errorf("not multipart: %v", err)
			return
		}
		if r.FormValue("prompt") != "make it \"blue\"" || r.FormValue("n") != "1" || r.FormValue("size") != "256x256" {
			t.Errorf("fields = %v", r.MultipartForm.Value)
		}
		files := r.MultipartForm.File["image"]
		if len(files) != 2 || files[0].Filename != "my %22cat%22.png" || files[1].Filename != "image-2.png" || files[0].Header.Get("Content-Type") != "image/png" {
			t.Errorf("files = %+v", files)
			return
		}
		f, _ := files[0].Open()
		got, _ := io.ReadAll(f)
		if !bytes.Equal(got, pngHeader) {
			t.Errorf("file bytes = %q", got)
		}
		writeJSON(w, 200, map[string]any{"success": true, "images": []string{"x"}})
	})
	_, err := ts.client.Images.UploadAndEdit(context.Background(), ImageEditRequest{Prompt: `make it "blue"`, N: 1, Size: "256x256",
		Images: []Image{{Data: pngHeader, Name: `my "cat".png`}, {Data: pngHeader}}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDataURIRoundTrip(t *testing.T) {
	img := Image{Data: pngHeader}
	back, err := ParseDataURI(img.DataURI())
	if err != nil || !bytes.Equal(back.Data, pngHeader) || back.Type != "image/png" {
		t.Fatalf("round trip = %+v, %v", back, err)
	}
	for _, bad := range []string{"data:image/png,raw", "image/png;base64,AA==", "data:image/png;base64,@@@"} {
		if _, err := ParseDataURI(bad); !isCode(err, CodeInvalidRequest) {
			t.Errorf("ParseDataURI(%q) = %v", bad, err)
		}
	}
}

// BenchmarkDecodeImagesResponse decodes a 5 MB image answer, with a plain
// json.Valid scan of the same bytes as the baseline. Run it natively and
// under GOOS=js (with and without -gcflags=all=-l) to compare builds.
func BenchmarkDecodeImagesResponse(b *testing.B) {
	body := []byte(`{"success":true,"images":["data:image/png;base64,` + strings.Repeat("QUJD", 1_250_000) + `"]}`)
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var out ImagesResponse
			if err := decodeJSON(&result{data: body}, &out); err != nil || len(out.Images) != 1 {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if !json.Valid(body) {
				b.Fatal("invalid")
			}
		}
	})
}
