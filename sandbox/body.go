package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// Size limits. MB means MiB throughout.
const (
	mb             = 1 << 20
	maxImageBytes  = 25 * mb  // one decoded image (chat image_data, edit inputs, uploads)
	chatBodyLimit  = 35 * mb  // POST /chat (room for one 25 MB image as base64)
	imageBodyLimit = 100 * mb // image edits and variations, JSON or multipart
	smallBodyLimit = 1 * mb   // every other JSON body
)

// writeJSON writes v as JSON the way FastAPI does (no HTML escaping).
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"detail":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(bytes.TrimRight(buf.Bytes(), "\n"))
}

// writeDetail writes {"detail": msg}.
func writeDetail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"detail": msg})
}

func tooLarge(w http.ResponseWriter, limit int64) {
	writeDetail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("Request body too large (limit %d MB)", limit/mb))
}

// limitBody caps r.Body at limit and answers 413 at once when Content-Length
// already says more. It returns false when it answered.
func limitBody(w http.ResponseWriter, r *http.Request, limit int64) bool {
	if r.ContentLength > limit {
		tooLarge(w, limit)
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	return true
}

// readAll reads the (limited) body; on overflow or read error it answers.
func readAll(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			tooLarge(w, limit)
		} else {
			writeDetail(w, http.StatusBadRequest, "Could not read request body")
		}
		return nil, false
	}
	return b, true
}

// isJSONType reports whether a Content-Type is JSON (or absent, which FastAPI
// also parses as JSON).
func isJSONType(ct string) bool {
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}

// readJSON reads a JSON object body within limit, streaming it into the
// decoder (one copy of the body in memory). On any failure it has answered
// (413, or 422 as FastAPI would) and returns false.
func readJSON(w http.ResponseWriter, r *http.Request, limit int64) (map[string]any, bool) {
	if !limitBody(w, r, limit) {
		return nil, false
	}
	if !isJSONType(r.Header.Get("Content-Type")) {
		b, ok := readAll(w, r, limit)
		if ok {
			writeValidation(w, []fieldError{{Type: "model_attributes_type", Loc: []any{"body"},
				Msg: "Input should be a valid dictionary or object to extract fields from", Input: echo(string(b))}})
		}
		return nil, false
	}
	return parseJSONObject(w, r.Body)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// parseJSONObject decodes body as one JSON object, answering 413 or 422
// otherwise.
func parseJSONObject(w http.ResponseWriter, body io.Reader) (map[string]any, bool) {
	cr := &countingReader{r: body}
	dec := json.NewDecoder(cr)
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		tooLarge(w, mbe.Limit)
		return nil, false
	case err == io.EOF:
		writeValidation(w, []fieldError{{Type: "missing", Loc: []any{"body"}, Msg: "Field required", Input: nil}})
		return nil, false
	case err != nil:
		writeValidation(w, []fieldError{jsonInvalid(jsonErrorOffset(err, cr.n), pythonJSONError(err))})
		return nil, false
	}
	// Only whitespace may follow the value.
	end := int(dec.InputOffset())
	rest := io.MultiReader(dec.Buffered(), cr)
	buf := make([]byte, 4096)
	for {
		n, rerr := rest.Read(buf)
		for _, c := range buf[:n] {
			if !isSpace(c) {
				writeValidation(w, []fieldError{jsonInvalid(end, "Extra data")})
				return nil, false
			}
			end++
		}
		if errors.As(rerr, &mbe) {
			tooLarge(w, mbe.Limit)
			return nil, false
		}
		if rerr != nil {
			break
		}
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		writeValidation(w, []fieldError{{Type: "model_attributes_type", Loc: []any{"body"},
			Msg: "Input should be a valid dictionary or object to extract fields from", Input: echo(v)}})
		return nil, false
	}
	return m, true
}

func jsonInvalid(pos int, msg string) fieldError {
	return fieldError{Type: "json_invalid", Loc: []any{"body", pos}, Msg: "JSON decode error",
		Input: map[string]any{}, Ctx: map[string]any{"error": msg}}
}

func jsonErrorOffset(err error, n int) int {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		if se.Offset > 0 {
			return int(se.Offset) - 1
		}
		return 0
	}
	return n
}

// pythonJSONError names a Go JSON error the way Python's json module would.
func pythonJSONError(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "after object key:value pair"):
		return "Expecting ',' delimiter"
	case strings.Contains(s, "after object key"):
		return "Expecting ':' delimiter"
	case strings.Contains(s, "looking for beginning of object key string"):
		return "Expecting property name enclosed in double quotes"
	case strings.Contains(s, "after array element"):
		return "Expecting ',' delimiter"
	case strings.Contains(s, "in string"):
		return "Invalid control character or escape in string"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), strings.Contains(s, "beginning of value"):
		return "Expecting value"
	}
	return "Expecting value"
}

// newUUID returns a random UUID v4.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
