package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// send runs one request through h. body: nil, string, []byte or a value to
// marshal as JSON (then Content-Type is application/json). hdr: name, value...
func send(t testing.TB, h http.Handler, method, target string, body any, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	isJSON := false
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd, isJSON = bytes.NewReader(j), true
	}
	r := httptest.NewRequest(method, target, rd)
	if isJSON {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// object decodes a JSON object answer.
func object(t testing.TB, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatalf("answer is not a JSON object: %v: %.300s", err, w.Body.String())
	}
	return m
}

// wantStatus fails unless w has status.
func wantStatus(t testing.TB, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %.500s", w.Code, status, w.Body.String())
	}
}

// firstError returns the first item of a 422 detail list.
func firstError(t testing.TB, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	wantStatus(t, w, http.StatusUnprocessableEntity)
	var v struct {
		Detail []map[string]any `json:"detail"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil || len(v.Detail) == 0 {
		t.Fatalf("not a validation answer: %v: %s", err, w.Body.String())
	}
	return v.Detail[0]
}

func locString(loc any) string {
	var parts []string
	for _, p := range loc.([]any) {
		b, _ := json.Marshal(p)
		parts = append(parts, strings.Trim(string(b), `"`))
	}
	return strings.Join(parts, ".")
}

func detail(t testing.TB, w *httptest.ResponseRecorder) string {
	t.Helper()
	s, ok := object(t, w)["detail"].(string)
	if !ok {
		t.Fatalf("detail is not a string: %s", w.Body.String())
	}
	return s
}

func solid(w, h int, c color.RGBA) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return m
}

// halves is red on the left half, blue on the right.
func halves(w, h int) *image.RGBA {
	m := solid(w, h, color.RGBA{200, 0, 0, 255})
	for y := 0; y < h; y++ {
		for x := w / 2; x < w; x++ {
			m.SetRGBA(x, y, color.RGBA{0, 0, 200, 255})
		}
	}
	return m
}

func pngBytes(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pngURI(t testing.TB, m image.Image) string {
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(pngBytes(t, m))
}

// decodePNG decodes a data:image/png;base64 URI.
func decodePNG(t testing.TB, uri string) image.Image {
	t.Helper()
	b64, ok := strings.CutPrefix(uri, "data:image/png;base64,")
	if !ok {
		t.Fatalf("not a PNG data URI: %.60s", uri)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// images returns the decoded images of an images answer.
func images(t testing.TB, w *httptest.ResponseRecorder) []image.Image {
	t.Helper()
	wantStatus(t, w, http.StatusOK)
	var v struct {
		Success bool     `json:"success"`
		Images  []string `json:"images"`
		Sandbox bool     `json:"sandbox"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if !v.Success || !v.Sandbox {
		t.Fatalf("success %v sandbox %v", v.Success, v.Sandbox)
	}
	out := make([]image.Image, len(v.Images))
	for i, s := range v.Images {
		out[i] = decodePNG(t, s)
	}
	return out
}

func rgbaAt(m image.Image, x, y int) [3]uint8 {
	r, g, b, _ := m.At(x, y).RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}
