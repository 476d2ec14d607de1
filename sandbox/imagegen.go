package sandbox

import (
	"crypto/sha256"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Image sizes the generator accepts, as "WxH".
var imageSizes = []string{"256x256", "512x512", "1024x1024", "1024x1792", "1792x1024"}

const defaultImageSize = "1024x1024"

func parseSize(s string) (int, int) {
	a, b, _ := strings.Cut(s, "x")
	w, _ := strconv.Atoi(a)
	h, _ := strconv.Atoi(b)
	return w, h
}

// render draws the picture for (prompt, index) at w×h: a two-colour gradient
// at an angle, a few translucent circles, rectangles and rings, and a
// "SANDBOX" mark. Everything comes from a hash of the prompt and the index,
// in coordinates relative to the size, so one prompt gives one design.
func render(prompt string, index, w, h int) *image.RGBA {
	seed := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s", index, prompt)))
	rng := rand.New(rand.NewChaCha8(seed))
	m := image.NewRGBA(image.Rect(0, 0, w, h))

	hue := rng.Float64() * 360
	c1 := hsv(hue, 0.45+0.3*rng.Float64(), 0.9)
	c2 := hsv(hue+90+rng.Float64()*180, 0.55+0.3*rng.Float64(), 0.35+0.3*rng.Float64())
	const steps = 1024
	var lut [steps + 1][3]uint8
	for i := range lut {
		t := float64(i) / steps
		for k := 0; k < 3; k++ {
			lut[i][k] = uint8(float64(c1[k])*(1-t) + float64(c2[k])*t + 0.5)
		}
	}
	angle := rng.Float64() * 2 * math.Pi
	dx, dy := math.Cos(angle), math.Sin(angle)
	// t(x,y) = (x*dx + y*dy - lo) / (hi - lo), in 1/65536 steps of the LUT.
	corners := []float64{0, float64(w) * dx, float64(h) * dy, float64(w)*dx + float64(h)*dy}
	lo, hi := corners[0], corners[0]
	for _, c := range corners {
		lo, hi = math.Min(lo, c), math.Max(hi, c)
	}
	scale := steps * 65536 / math.Max(hi-lo, 1)
	sx := int64(dx * scale)
	for y := 0; y < h; y++ {
		t := int64((float64(y)*dy - lo) * scale)
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x := 0; x < w; x++ {
			i := max(0, min(t>>16, steps))
			c := &lut[i]
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = c[0], c[1], c[2], 255
			t += sx
		}
	}

	unit := float64(min(w, h))
	for k := 3 + rng.IntN(4); k > 0; k-- {
		col := hsv(rng.Float64()*360, 0.5+0.5*rng.Float64(), 0.5+0.5*rng.Float64())
		cx, cy := rng.Float64()*float64(w), rng.Float64()*float64(h)
		size := unit * (0.08 + 0.25*rng.Float64())
		alpha := uint32(110 + rng.IntN(100))
		switch rng.IntN(3) {
		case 0:
			fillCircle(m, cx, cy, size, 0, col, alpha)
		case 1:
			fillCircle(m, cx, cy, size, size*0.7, col, alpha)
		default:
			fillRect(m, int(cx-size), int(cy-size*0.6), int(cx+size), int(cy+size*0.6), col, alpha)
		}
	}
	drawMark(m, "SANDBOX")
	return m
}

func hsv(h, s, v float64) [3]uint8 {
	h = math.Mod(h, 360)
	if h < 0 {
		h += 360
	}
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	var r, g, b float64
	switch int(h / 60) {
	case 0:
		r, g, b = c, x, 0
	case 1:
		r, g, b = x, c, 0
	case 2:
		r, g, b = 0, c, x
	case 3:
		r, g, b = 0, x, c
	case 4:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	o := v - c
	return [3]uint8{uint8((r + o) * 255), uint8((g + o) * 255), uint8((b + o) * 255)}
}

// blend mixes an opaque colour into pixel i with alpha/256.
func blend(p []byte, i int, c [3]uint8, alpha uint32) {
	for k := 0; k < 3; k++ {
		p[i+k] = uint8((uint32(p[i+k])*(256-alpha) + uint32(c[k])*alpha) >> 8)
	}
}

// fillCircle fills the disc of radius r around (cx,cy), minus the disc of
// radius hole (a ring when hole > 0).
func fillCircle(m *image.RGBA, cx, cy, r, hole float64, c [3]uint8, alpha uint32) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	r2, h2 := r*r, hole*hole
	for y := max(0, int(cy-r)); y < min(h, int(cy+r)+1); y++ {
		fy := float64(y) + 0.5 - cy
		for x := max(0, int(cx-r)); x < min(w, int(cx+r)+1); x++ {
			fx := float64(x) + 0.5 - cx
			if d := fx*fx + fy*fy; d <= r2 && d >= h2 {
				blend(m.Pix, m.PixOffset(x, y), c, alpha)
			}
		}
	}
}

func fillRect(m *image.RGBA, x0, y0, x1, y1 int, c [3]uint8, alpha uint32) {
	r := image.Rect(x0, y0, x1, y1).Intersect(m.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			blend(m.Pix, m.PixOffset(x, y), c, alpha)
		}
	}
}

// glyphs is a 5×7 bitmap font for the mark.
var glyphs = map[rune][7]string{
	'S': {".###.", "#...#", "#....", ".###.", "....#", "#...#", ".###."},
	'A': {".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
	'N': {"#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#", "#...#"},
	'D': {"####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."},
	'B': {"####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."},
	'O': {".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},
	'X': {"#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"},
}

// drawMark writes text in white with a dark shadow in the bottom-left corner.
func drawMark(m *image.RGBA, text string) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	s := max(1, min(w, h)/160)
	x0, y0 := 3*s, h-10*s
	for _, pass := range []struct {
		off int
		c   [3]uint8
		a   uint32
	}{{s / 2, [3]uint8{0, 0, 0}, 140}, {0, [3]uint8{255, 255, 255}, 230}} {
		x := x0 + pass.off
		for _, r := range text {
			g := glyphs[r]
			for gy, line := range g {
				for gx, px := range line {
					if px == '#' {
						fillRect(m, x+gx*s, y0+pass.off+gy*s, x+(gx+1)*s, y0+pass.off+(gy+1)*s, pass.c, pass.a)
					}
				}
			}
			x += 6 * s
		}
	}
}
