package sandbox

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"image"
	"image/draw"
	_ "image/gif" // input images may be GIF
	_ "image/jpeg"
	"image/png"
	"math"
	"strings"
	"sync"
	"unicode"
)

// maxImagePixels bounds one decoded input image (4096×4096), and twice that
// bounds all inputs of one request: decoded pixels are what costs memory.
const maxImagePixels = 4096 * 4096

var (
	errNotDataURI = errors.New("expected a data:image/...;base64,... URI")
	errBase64     = errors.New("the base64 payload does not decode")
	errTooLarge   = fmt.Errorf("decoded size exceeds %d MB", maxImageBytes/mb)
	errPixels     = fmt.Errorf("image dimensions exceed %d pixels", maxImagePixels)
	errUndecoded  = errors.New("not a decodable PNG, JPEG or GIF image")
)

// isTooLarge tells a 413 error from a 422 one.
func isTooLarge(err error) bool { return errors.Is(err, errTooLarge) || errors.Is(err, errPixels) }

// splitDataURI returns the media type and base64 payload of a
// data:image/...;base64, URI.
func splitDataURI(s string) (mediaType, payload string, err error) {
	head, payload, ok := strings.Cut(s, ",")
	if !ok || len(head) < 5 || !strings.EqualFold(head[:5], "data:") {
		return "", "", errNotDataURI
	}
	params := strings.Split(head[5:], ";")
	mediaType = strings.ToLower(strings.TrimSpace(params[0]))
	if !strings.HasPrefix(mediaType, "image/") || len(mediaType) == len("image/") {
		return "", "", errNotDataURI
	}
	if !strings.EqualFold(strings.TrimSpace(params[len(params)-1]), "base64") {
		return "", "", errNotDataURI
	}
	return mediaType, payload, nil
}

// decodedLen is the size base64 text decodes to, before decoding it.
func decodedLen(b64 string) int {
	n := len(b64)
	for n > 0 && (b64[n-1] == '=' || b64[n-1] == '\n' || b64[n-1] == '\r' || b64[n-1] == ' ') {
		n--
	}
	return n * 3 / 4
}

// decodeDataURI checks and decodes an image data URI (size checked before
// decoding).
func decodeDataURI(s string) (raw []byte, mediaType string, err error) {
	mediaType, payload, err := splitDataURI(s)
	if err != nil {
		return nil, "", err
	}
	if decodedLen(payload) > maxImageBytes {
		return nil, "", errTooLarge
	}
	if strings.ContainsAny(payload, " \r\n\t") {
		payload = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, payload)
	}
	raw, err = base64.StdEncoding.DecodeString(payload)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(payload, "="))
	}
	if err != nil {
		return nil, "", errBase64
	}
	return raw, mediaType, nil
}

// decodeImage decodes PNG, JPEG or GIF bytes into an RGBA image at (0,0).
func decodeImage(raw []byte) (*image.RGBA, string, error) {
	if len(raw) > maxImageBytes {
		return nil, "", errTooLarge
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		return nil, "", errUndecoded
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, "", errUndecoded
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxImagePixels {
		return nil, "", errPixels
	}
	m, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, "", errUndecoded
	}
	return toRGBA(m), format, nil
}

func toRGBA(m image.Image) *image.RGBA {
	b := m.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), m, b.Min, draw.Src)
	return dst
}

// meanColor averages a grid of at most 64×64 samples (alpha-weighted).
func meanColor(m *image.RGBA) (r, g, b uint8) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	sx, sy := max(1, w/64), max(1, h/64)
	var tr, tg, tb, ta uint64
	for y := sy / 2; y < h; y += sy {
		for x := sx / 2; x < w; x += sx {
			i := m.PixOffset(x, y)
			p := m.Pix[i : i+4 : i+4]
			tr, tg, tb, ta = tr+uint64(p[0]), tg+uint64(p[1]), tb+uint64(p[2]), ta+uint64(p[3])
		}
	}
	if ta == 0 {
		return 0, 0, 0
	}
	// Pix is alpha-premultiplied: sum(c)/sum(a) is the alpha-weighted mean.
	return uint8(tr * 255 / ta), uint8(tg * 255 / ta), uint8(tb * 255 / ta)
}

// ---- transforms (on premultiplied RGBA: every result is clamped to alpha) ----

type effect struct {
	name  string
	apply func(*image.RGBA)
}

type matrix [9]float64

func applyMatrix(m *image.RGBA, k matrix) {
	var q [9]int32
	for i, v := range k {
		q[i] = int32(math.Round(v * 1024))
	}
	p := m.Pix
	for i := 0; i+3 < len(p); i += 4 {
		r, g, b, a := int32(p[i]), int32(p[i+1]), int32(p[i+2]), int32(p[i+3])
		p[i] = clampTo((q[0]*r+q[1]*g+q[2]*b+512)>>10, a)
		p[i+1] = clampTo((q[3]*r+q[4]*g+q[5]*b+512)>>10, a)
		p[i+2] = clampTo((q[6]*r+q[7]*g+q[8]*b+512)>>10, a)
	}
}

func clampTo(v, a int32) uint8 {
	if v < 0 {
		return 0
	}
	if v > a {
		return uint8(a)
	}
	return uint8(v)
}

var (
	grayMatrix  = matrix{0.2126, 0.7152, 0.0722, 0.2126, 0.7152, 0.0722, 0.2126, 0.7152, 0.0722}
	sepiaMatrix = matrix{0.393, 0.769, 0.189, 0.349, 0.686, 0.168, 0.272, 0.534, 0.131}
)

// hueMatrix is the CSS hue-rotate() matrix.
func hueMatrix(deg float64) matrix {
	c, s := math.Cos(deg*math.Pi/180), math.Sin(deg*math.Pi/180)
	return matrix{
		0.213 + c*0.787 - s*0.213, 0.715 - c*0.715 - s*0.715, 0.072 - c*0.072 + s*0.928,
		0.213 - c*0.213 + s*0.143, 0.715 + c*0.285 + s*0.140, 0.072 - c*0.072 - s*0.283,
		0.213 - c*0.213 - s*0.787, 0.715 - c*0.715 + s*0.715, 0.072 + c*0.928 + s*0.072,
	}
}

func invert(m *image.RGBA) {
	p := m.Pix
	for i := 0; i+3 < len(p); i += 4 {
		a := p[i+3]
		p[i], p[i+1], p[i+2] = a-min(p[i], a), a-min(p[i+1], a), a-min(p[i+2], a)
	}
}

func mirror(m *image.RGBA) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	for y := 0; y < h; y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for l, r := 0, w-1; l < r; l, r = l+1, r-1 {
			for c := 0; c < 4; c++ {
				row[4*l+c], row[4*r+c] = row[4*r+c], row[4*l+c]
			}
		}
	}
}

func flipVertical(m *image.RGBA) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	tmp := make([]byte, 4*w)
	for t, b := 0, h-1; t < b; t, b = t+1, b-1 {
		rt := m.Pix[t*m.Stride : t*m.Stride+4*w]
		rb := m.Pix[b*m.Stride : b*m.Stride+4*w]
		copy(tmp, rt)
		copy(rt, rb)
		copy(rb, tmp)
	}
}

// tint blends every pixel 35% towards an opaque colour.
func tint(c [3]uint8) func(*image.RGBA) {
	return func(m *image.RGBA) {
		p := m.Pix
		for i := 0; i+3 < len(p); i += 4 {
			a := uint32(p[i+3])
			for k := 0; k < 3; k++ {
				p[i+k] = uint8((uint32(p[i+k])*166 + uint32(c[k])*a*90/255) >> 8)
			}
		}
	}
}

func brightness(f float64) effect {
	return effect{fmt.Sprintf("brightness(%.2g)", f), func(m *image.RGBA) { applyMatrix(m, matrix{f, 0, 0, 0, f, 0, 0, 0, f}) }}
}

func hueRotate(deg float64) effect {
	return effect{fmt.Sprintf("hue-rotate(%gdeg)", deg), func(m *image.RGBA) { applyMatrix(m, hueMatrix(deg)) }}
}

var tints = map[string][3]uint8{
	"red": {220, 40, 40}, "orange": {240, 140, 30}, "yellow": {240, 220, 40}, "green": {40, 180, 70},
	"blue": {40, 90, 220}, "purple": {140, 60, 200}, "pink": {240, 110, 170}, "cyan": {30, 190, 200},
	"teal": {30, 150, 140}, "gold": {212, 175, 55},
}

// keywordEffects maps prompt words to transforms.
var keywordEffects = func() map[string]effect {
	m := map[string]effect{}
	set := func(e effect, words ...string) {
		for _, w := range words {
			m[w] = e
		}
	}
	set(effect{"invert", invert}, "invert", "inverted", "inverse", "negative")
	set(effect{"grayscale", func(i *image.RGBA) { applyMatrix(i, grayMatrix) }}, "gray", "grey", "grayscale", "greyscale", "monochrome", "noir", "bw")
	set(effect{"sepia", func(i *image.RGBA) { applyMatrix(i, sepiaMatrix) }}, "sepia", "vintage", "antique", "retro", "old")
	set(effect{"mirror", mirror}, "mirror", "mirrored", "flip", "flipped")
	set(effect{"flip-vertical", flipVertical}, "upside", "vertical", "vertically")
	set(brightness(1.3), "bright", "brighter", "brighten", "lighten", "lighter", "sunny")
	set(brightness(0.7), "dark", "darker", "darken", "night", "dim")
	for name, c := range tints {
		m[name] = effect{"tint(" + name + ")", tint(c)}
	}
	m["warm"] = effect{"tint(orange)", tint(tints["orange"])}
	m["cool"] = effect{"tint(blue)", tint(tints["blue"])}
	m["cold"] = m["cool"]
	return m
}()

// words splits s into lower-case words.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// editPlan picks the transforms a prompt asks for, in the order its words
// name them; a prompt naming none gets a hue rotation derived from its text.
func editPlan(prompt string) []effect {
	var plan []effect
	seen := map[string]bool{}
	for _, w := range words(prompt) {
		if e, ok := keywordEffects[w]; ok && !seen[e.name] {
			seen[e.name] = true
			plan = append(plan, e)
		}
	}
	if len(plan) == 0 {
		h := fnv.New32a()
		h.Write([]byte(prompt))
		plan = append(plan, hueRotate(float64(60+h.Sum32()%241)))
	}
	return plan
}

// resize scales src to w×h (bilinear); it always returns a new image.
func resize(src *image.RGBA, w, h int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if sw == w && sh == h {
		copy(dst.Pix, src.Pix)
		return dst
	}
	coord := func(i, out, in int) (int, int, int) {
		v := ((2*i+1)*in*65536)/(2*out) - 32768
		v = max(0, min(v, (in-1)<<16))
		i0 := v >> 16
		return i0, min(i0+1, in-1), v & 0xffff
	}
	x0s, x1s, fxs := make([]int, w), make([]int, w), make([]int, w)
	for x := range w {
		x0s[x], x1s[x], fxs[x] = coord(x, w, sw)
	}
	for y := range h {
		y0, y1, fy := coord(y, h, sh)
		r0 := src.Pix[y0*src.Stride:]
		r1 := src.Pix[y1*src.Stride:]
		out := dst.Pix[y*dst.Stride:]
		for x := range w {
			a, b, fx := 4*x0s[x], 4*x1s[x], fxs[x]
			for c := 0; c < 4; c++ {
				top := int(r0[a+c])*(65536-fx) + int(r0[b+c])*fx
				bot := int(r1[a+c])*(65536-fx) + int(r1[b+c])*fx
				out[4*x+c] = uint8(((top>>8)*(65536-fy)/65536 + (bot>>8)*fy/65536 + 128) >> 8)
			}
		}
	}
	return dst
}

var pngEncoder = &png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngPool{}}

type pngPool struct{ p sync.Pool }

func (p *pngPool) Get() *png.EncoderBuffer {
	b, _ := p.p.Get().(*png.EncoderBuffer)
	return b
}
func (p *pngPool) Put(b *png.EncoderBuffer) { p.p.Put(b) }

// pngDataURI encodes m as a data:image/png;base64 URI.
func pngDataURI(m *image.RGBA) (string, error) {
	var buf bytes.Buffer
	if err := pngEncoder.Encode(&buf, m); err != nil {
		return "", err
	}
	const prefix = "data:image/png;base64,"
	out := make([]byte, len(prefix)+base64.StdEncoding.EncodedLen(buf.Len()))
	copy(out, prefix)
	base64.StdEncoding.Encode(out[len(prefix):], buf.Bytes())
	return string(out), nil
}
