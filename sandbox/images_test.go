package sandbox

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http/httptest"
	"testing"
)

func TestGenerate(t *testing.T) {
	s := New(Config{})
	for _, c := range []struct {
		size string
		w, h int
	}{{"", 1024, 1024}, {"256x256", 256, 256}, {"512x512", 512, 512}, {"1024x1792", 1024, 1792}, {"1792x1024", 1792, 1024}} {
		body := map[string]any{"prompt": "a red fox", "n": 2}
		if c.size != "" {
			body["size"] = c.size
		}
		imgs := images(t, send(t, s, "POST", "/images/generate", body))
		if len(imgs) != 2 {
			t.Fatalf("%d images", len(imgs))
		}
		for _, m := range imgs {
			if b := m.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
				t.Errorf("%s: %v", c.size, b)
			}
		}
		if samePixels(imgs[0], imgs[1]) {
			t.Errorf("%s: the two images are the same", c.size)
		}
	}
	a := send(t, s, "POST", "/images/generate", map[string]any{"prompt": "same", "size": "256x256"})
	b := send(t, s, "POST", "/images/generate", map[string]any{"prompt": "same", "size": "256x256"})
	c := send(t, s, "POST", "/images/generate", map[string]any{"prompt": "other", "size": "256x256"})
	if a.Body.String() != b.Body.String() {
		t.Error("same prompt, different image")
	}
	if a.Body.String() == c.Body.String() {
		t.Error("different prompts, same image")
	}
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y += 7 {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x += 7 {
			if rgbaAt(a, x, y) != rgbaAt(b, x, y) {
				return false
			}
		}
	}
	return true
}

func TestEdit(t *testing.T) {
	s := New(Config{})
	in := solid(8, 6, color.RGBA{10, 20, 200, 255})
	uri := pngURI(t, in)
	edit := func(prompt string, extra map[string]any) []image.Image {
		body := map[string]any{"prompt": prompt, "input_images": []string{uri}}
		for k, v := range extra {
			body[k] = v
		}
		return images(t, send(t, s, "POST", "/images/edit", body))
	}
	out := edit("invert the colours", nil)[0]
	if b := out.Bounds(); b.Dx() != 8 || b.Dy() != 6 {
		t.Errorf("size %v", b)
	}
	if got := rgbaAt(out, 3, 3); got != [3]uint8{245, 235, 55} {
		t.Errorf("invert: %v", got)
	}
	if got := rgbaAt(edit("make it grayscale", nil)[0], 1, 1); got[0] != got[1] || got[1] != got[2] {
		t.Errorf("grayscale: %v", got)
	}
	if got := rgbaAt(edit("sepia please", nil)[0], 1, 1); !(got[0] > got[1] && got[1] > got[2]) {
		t.Errorf("sepia: %v", got)
	}
	if got := rgbaAt(edit("a dreamy version", nil)[0], 1, 1); got == [3]uint8{10, 20, 200} {
		t.Errorf("default hue rotation changed nothing")
	}
	if got := rgbaAt(edit("more red", nil)[0], 1, 1); got[0] <= 10 {
		t.Errorf("red tint: %v", got)
	}
	// Mirror swaps the halves.
	h := halves(10, 4)
	m := images(t, send(t, s, "POST", "/images/edit", map[string]any{"prompt": "mirror it", "input_images": []string{pngURI(t, h)}}))[0]
	if rgbaAt(m, 0, 0) != rgbaAt(h, 9, 0) || rgbaAt(m, 9, 0) != rgbaAt(h, 0, 0) {
		t.Errorf("mirror: %v %v", rgbaAt(m, 0, 0), rgbaAt(m, 9, 0))
	}
	// Size resizes; n gives different outputs.
	outs := edit("invert", map[string]any{"size": "256x256", "n": 3})
	if len(outs) != 3 || outs[0].Bounds().Dx() != 256 || outs[2].Bounds().Dy() != 256 {
		t.Fatalf("resized: %d %v", len(outs), outs[0].Bounds())
	}
	if rgbaAt(outs[0], 100, 100) != [3]uint8{245, 235, 55} || samePixels(outs[0], outs[1]) {
		t.Errorf("n outputs: %v %v", rgbaAt(outs[0], 100, 100), rgbaAt(outs[1], 100, 100))
	}
	// JPEG and GIF inputs decode too.
	var jb bytes.Buffer
	jpeg.Encode(&jb, solid(16, 16, color.RGBA{255, 255, 255, 255}), nil)
	j := "data:image/jpeg;base64," + b64(jb.Bytes())
	jo := images(t, send(t, s, "POST", "/images/edit", map[string]any{"prompt": "invert", "input_images": []string{j}}))[0]
	if got := rgbaAt(jo, 8, 8); got[0] > 5 {
		t.Errorf("jpeg invert %v", got)
	}
}

func TestEditPlan(t *testing.T) {
	names := func(p string) (out []string) {
		for _, e := range editPlan(p) {
			out = append(out, e.name)
		}
		return
	}
	if got := names("Invert, then flip and make it old"); len(got) != 3 || got[0] != "invert" || got[1] != "mirror" || got[2] != "sepia" {
		t.Errorf("%v", got)
	}
	if got := names("a castle"); len(got) != 1 || got[0] == "" {
		t.Errorf("%v", got)
	}
}

func multipartBody(t *testing.T, fileField string, files [][]byte, fields map[string]string) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for i, f := range files {
		fw, err := mw.CreateFormFile(fileField, "img"+string(rune('0'+i))+".png")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(f)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func TestUploadAndEdit(t *testing.T) {
	s := New(Config{})
	in := pngBytes(t, solid(5, 5, color.RGBA{0, 0, 0, 255}))
	for _, field := range []string{"image", "images", "file"} {
		body, ct := multipartBody(t, field, [][]byte{in}, map[string]string{"prompt": "invert", "n": "2", "size": "256x256"})
		w := send(t, s, "POST", "/images/upload-and-edit", body.Bytes(), "Content-Type", ct)
		imgs := images(t, w)
		if len(imgs) != 2 || imgs[0].Bounds().Dx() != 256 || rgbaAt(imgs[0], 10, 10) != [3]uint8{255, 255, 255} {
			t.Errorf("%s: %d images", field, len(imgs))
		}
	}
	body, ct := multipartBody(t, "image", [][]byte{in}, map[string]string{"prompt": "p", "n": "many"})
	e := firstError(t, send(t, s, "POST", "/images/upload-and-edit", body.Bytes(), "Content-Type", ct))
	if e["type"] != "int_parsing" || locString(e["loc"]) != "body.n" {
		t.Errorf("%v", e)
	}
	body, ct = multipartBody(t, "image", [][]byte{[]byte("not an image")}, map[string]string{"prompt": "p"})
	e = firstError(t, send(t, s, "POST", "/images/upload-and-edit", body.Bytes(), "Content-Type", ct))
	if e["type"] != "value_error" || locString(e["loc"]) != "body.image" {
		t.Errorf("%v", e)
	}
	body, ct = multipartBody(t, "image", nil, map[string]string{"prompt": "p"})
	e = firstError(t, send(t, s, "POST", "/images/upload-and-edit", body.Bytes(), "Content-Type", ct))
	if e["type"] != "missing" || locString(e["loc"]) != "body.image" {
		t.Errorf("%v", e)
	}
	body, ct = multipartBody(t, "image", [][]byte{make([]byte, maxImageBytes+1)}, map[string]string{"prompt": "p"})
	wantStatus(t, send(t, s, "POST", "/images/upload-and-edit", body.Bytes(), "Content-Type", ct), 413)
}

func TestVariations(t *testing.T) {
	s := New(Config{})
	uri := pngURI(t, halves(12, 12))
	imgs := images(t, send(t, s, "POST", "/images/variations", map[string]any{"image": uri, "n": 3}))
	if len(imgs) != 3 || imgs[0].Bounds().Dx() != 12 {
		t.Fatalf("%d images", len(imgs))
	}
	if samePixels(imgs[0], imgs[1]) || samePixels(imgs[1], imgs[2]) {
		t.Error("variants are not distinct")
	}
	body, ct := multipartBody(t, "image", [][]byte{pngBytes(t, halves(12, 12))}, map[string]string{"n": "2", "size": "512x512"})
	imgs = images(t, send(t, s, "POST", "/images/variations", body.Bytes(), "Content-Type", ct))
	if len(imgs) != 2 || imgs[1].Bounds().Dx() != 512 {
		t.Errorf("multipart variations %d", len(imgs))
	}
	locked := New(Config{APIKey: "k-123456789"})
	w := send(t, locked, "POST", "/images/variations", map[string]any{"image": uri})
	if w.Code != 401 {
		t.Errorf("variations without key on a keyed sandbox: %d", w.Code)
	}
	wantStatus(t, send(t, locked, "POST", "/images/variations", map[string]any{"image": uri}, "api-key", "k-123456789"), 200)
}

func TestDataURI(t *testing.T) {
	for _, c := range []struct {
		in  string
		err error
	}{
		{"data:image/png;base64,aGk=", nil},
		{"DATA:image/PNG;name=a.png;base64,aGk=", nil},
		{"data:image/png;base64,aGk", nil},
		{"data:image/png,aGk=", errNotDataURI},
		{"data:;base64,aGk=", errNotDataURI},
		{"data:image/;base64,aGk=", errNotDataURI},
		{"aGk=", errNotDataURI},
		{"data:image/png;base64,a$k=", errBase64},
	} {
		if _, _, err := decodeDataURI(c.in); err != c.err {
			t.Errorf("%s: %v, want %v", c.in, err, c.err)
		}
	}
}

func BenchmarkGenerate1024(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := pngDataURI(render("benchmark prompt", i, 1024, 1024)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenerateRoute(b *testing.B) {
	s := New(Config{})
	for b.Loop() {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/images/generate", bytes.NewReader([]byte(`{"prompt":"bench","n":4,"size":"1792x1024"}`)))
		s.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
