package client

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// MaxImageBytes is the service's limit for one input image.
const MaxImageBytes = 25 << 20

// Image is image bytes with their media type.
type Image struct {
	Data []byte
	// Type is the media type, e.g. "image/png"; sniffed from Data when empty.
	Type string
	// Name is the file name sent in multipart uploads.
	Name string
}

func (img Image) mediaType() string {
	if img.Type != "" {
		return img.Type
	}
	return SniffImageType(img.Data)
}

// check refuses empty, oversized and non-image inputs before any upload.
func (img Image) check(what string) error {
	if len(img.Data) == 0 {
		return Errorf(CodeInvalidRequest, "%s is empty", what)
	}
	if len(img.Data) > MaxImageBytes {
		return &Error{Code: CodePayloadTooLarge, Message: fmt.Sprintf("%s is %s; the service accepts at most %s per image", what, formatBytes(len(img.Data)), formatBytes(MaxImageBytes))}
	}
	if !strings.HasPrefix(img.mediaType(), "image/") {
		return Errorf(CodeInvalidRequest, "%s is not an image (%s)", what, img.mediaType())
	}
	return nil
}

// DataURI returns the image as a base64 data URI.
func (img Image) DataURI() string {
	return "data:" + img.mediaType() + ";base64," + base64.StdEncoding.EncodeToString(img.Data)
}

// ParseDataURI decodes a base64 data URI ("data:image/png;base64,...").
func ParseDataURI(s string) (Image, error) {
	rest, ok := strings.CutPrefix(s, "data:")
	meta, payload, found := strings.Cut(rest, ",")
	if !ok || !found {
		return Image{}, Errorf(CodeInvalidRequest, "the image is not a data URI")
	}
	mediaType, isBase64 := strings.CutSuffix(meta, ";base64")
	if !isBase64 {
		return Image{}, Errorf(CodeInvalidRequest, "the image data URI is not base64-encoded")
	}
	if base64.StdEncoding.DecodedLen(len(payload)) > MaxImageBytes+3 {
		return Image{}, &Error{Code: CodePayloadTooLarge, Message: fmt.Sprintf("the image is about %s; the service accepts at most %s per image", formatBytes(base64.StdEncoding.DecodedLen(len(payload))), formatBytes(MaxImageBytes))}
	}
	data, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		if data, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(payload, "=")); err != nil {
			return Image{}, Errorf(CodeInvalidRequest, "the image data URI holds invalid base64")
		}
	}
	return Image{Data: data, Type: strings.ToLower(mediaType)}, nil
}

// checkDataURI validates an optional data-URI field before upload.
func checkDataURI(field, s string) error {
	if s == "" {
		return nil
	}
	img, err := ParseDataURI(s)
	if err != nil {
		return err
	}
	return img.check(field)
}

// SniffImageType names the image format from its first bytes, or
// "application/octet-stream".
func SniffImageType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "image/gif"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "image/webp"
	case bytes.HasPrefix(b, []byte("BM")):
		return "image/bmp"
	}
	return "application/octet-stream"
}

func formatBytes(n int) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

// multipartBody writes a multipart/form-data body by hand: mime/multipart
// pulls net/textproto and net into the wasm binary for a few lines of work.
type multipartBody struct {
	buf      bytes.Buffer
	boundary string
}

func newMultipart() *multipartBody {
	return &multipartBody{boundary: fmt.Sprintf("tbackend-%016x%016x", rand.Uint64(), rand.Uint64())}
}

func (m *multipartBody) field(name, value string) {
	fmt.Fprintf(&m.buf, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", m.boundary, quoteField(name), value)
}

func (m *multipartBody) file(name string, img Image, fallbackName string) {
	filename := img.Name
	if filename == "" {
		filename = fallbackName
	}
	fmt.Fprintf(&m.buf, "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n",
		m.boundary, quoteField(name), quoteField(filename), img.mediaType())
	m.buf.Write(img.Data)
	m.buf.WriteString("\r\n")
}

func (m *multipartBody) finish() ([]byte, string) {
	fmt.Fprintf(&m.buf, "--%s--\r\n", m.boundary)
	return m.buf.Bytes(), "multipart/form-data; boundary=" + m.boundary
}

// quoteField escapes a name for a quoted header parameter, as browsers do.
func quoteField(s string) string {
	return strings.NewReplacer("\r", "%0D", "\n", "%0A", "\"", "%22").Replace(s)
}
