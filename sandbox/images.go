package sandbox

import (
	"errors"
	"fmt"
	"image"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
)

const (
	maxPrompt  = 4000
	maxImagesN = 4
	maxField   = 1 * mb // one multipart text field (Starlette's default part limit)
)

// acquire takes one of the heavy-work slots (bounded memory); false when the
// client went away while waiting.
func (s *Server) acquire(r *http.Request) bool {
	select {
	case s.heavy <- struct{}{}:
		return true
	case <-r.Context().Done():
		return false
	}
}

func (s *Server) release() { <-s.heavy }

// imageOptions reads the n and size fields shared by the image routes.
func imageOptions(f *fields) (n int, size string) {
	n64, ok := f.integer("n", 1, maxImagesN)
	n = 1
	if ok {
		n = int(n64)
	}
	size, _ = f.choice("size", "literal_error", imageSizes...)
	return n, size
}

func valueError(loc []any, input any, err error) fieldError {
	// FastAPI renders the exception in ctx as {}: the text is in msg.
	return fieldError{Type: "value_error", Loc: loc, Msg: "Value error, " + err.Error(), Input: echo(input), Ctx: map[string]any{"error": map[string]any{}}}
}

// imageFail answers a decode error: 413 for size, else 422 at loc.
func imageFail(w http.ResponseWriter, loc []any, what string, input any, err error) {
	if isTooLarge(err) {
		writeDetail(w, http.StatusRequestEntityTooLarge, what+" is too large: "+err.Error())
		return
	}
	writeValidation(w, []fieldError{valueError(loc, input, err)})
}

// checkPixels bounds the decoded pixels of one request.
func checkPixels(w http.ResponseWriter, imgs []*image.RGBA) bool {
	var total int64
	for _, m := range imgs {
		total += int64(m.Rect.Dx()) * int64(m.Rect.Dy())
	}
	if total > 2*maxImagePixels {
		writeDetail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("input images are too large: more than %d pixels in total", 2*maxImagePixels))
		return false
	}
	return true
}

type imagesAnswer struct {
	Success    bool       `json:"success"`
	Images     []string   `json:"images"`
	Model      string     `json:"model"`
	Size       string     `json:"size"`
	Transforms [][]string `json:"transforms,omitempty"`
	Sandbox    bool       `json:"sandbox"`
}

// produce builds n images in parallel and answers them.
func produce(w http.ResponseWriter, c *call, n int, build func(i int) (*image.RGBA, []string)) {
	out := imagesAnswer{Success: true, Images: make([]string, n), Model: "sandbox-image-1", Sandbox: true}
	var wg sync.WaitGroup
	errs := make([]error, n)
	sizes := make([]string, n)
	fx := make([][]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, names := build(i)
			sizes[i] = fmt.Sprintf("%dx%d", m.Rect.Dx(), m.Rect.Dy())
			fx[i] = names
			out.Images[i], errs[i] = pngDataURI(m)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		writeDetail(w, http.StatusInternalServerError, "Image encoding failed")
		return
	}
	out.Size = sizes[0]
	if fx[0] != nil {
		out.Transforms = fx
	}
	c.images += n
	writeJSON(w, http.StatusOK, out)
}

// POST /images/generate {prompt, size, n}
func (s *Server) imagesGenerate(w http.ResponseWriter, r *http.Request, c *call) {
	if !s.acquire(r) {
		return
	}
	defer s.release()
	body, ok := readJSON(w, r, smallBodyLimit)
	if !ok {
		return
	}
	f := newFields("body", body)
	prompt, _ := f.str("prompt", true, 1, maxPrompt)
	n, size := imageOptions(f)
	if len(f.errs) > 0 {
		writeValidation(w, f.errs)
		return
	}
	if size == "" {
		size = defaultImageSize
	}
	if !s.admit(w, r, c, RouteImageGenerate) {
		return
	}
	c.tokensIn = estimateTokens(prompt)
	wd, ht := parseSize(size)
	produce(w, c, n, func(i int) (*image.RGBA, []string) { return render(prompt, i, wd, ht), nil })
}

// edited applies prompt's plan to src at size ("" = src's size); output i > 0
// is further shifted so that the n outputs differ.
func edited(src *image.RGBA, prompt, size string, i int) (*image.RGBA, []string) {
	wd, ht := src.Rect.Dx(), src.Rect.Dy()
	if size != "" {
		wd, ht = parseSize(size)
	}
	m := resize(src, wd, ht)
	plan := editPlan(prompt)
	if i > 0 {
		plan = append(plan, hueRotate(float64(90*i)), brightness(1-0.1*float64(i)))
	}
	names := make([]string, len(plan))
	for k, e := range plan {
		e.apply(m)
		names[k] = e.name
	}
	return m, names
}

// variant i of n for /images/variations: hue steps around the wheel, every
// other one mirrored.
func variant(src *image.RGBA, size string, i, n int) (*image.RGBA, []string) {
	wd, ht := src.Rect.Dx(), src.Rect.Dy()
	if size != "" {
		wd, ht = parseSize(size)
	}
	m := resize(src, wd, ht)
	plan := []effect{hueRotate(float64((i + 1) * 360 / (n + 1)))}
	if i%2 == 1 {
		plan = append(plan, effect{"mirror", mirror})
	}
	names := make([]string, len(plan))
	for k, e := range plan {
		e.apply(m)
		names[k] = e.name
	}
	return m, names
}

// POST /images/edit {prompt, input_images:[data URI...], n, size}
func (s *Server) imagesEdit(w http.ResponseWriter, r *http.Request, c *call) {
	if !s.acquire(r) {
		return
	}
	defer s.release()
	body, ok := readJSON(w, r, imageBodyLimit)
	if !ok {
		return
	}
	f := newFields("body", body)
	prompt, _ := f.str("prompt", true, 1, maxPrompt)
	inputs, _ := f.strList("input_images", true, 1, maxImagesN)
	n, size := imageOptions(f)
	for i, in := range inputs {
		if _, _, err := splitDataURI(in); err != nil {
			f.errs = append(f.errs, valueError(f.loc("input_images", i), in, err))
		}
	}
	if len(f.errs) > 0 {
		writeValidation(w, f.errs)
		return
	}
	imgs := make([]*image.RGBA, len(inputs))
	for i, in := range inputs {
		raw, _, err := decodeDataURI(in)
		if err == nil {
			imgs[i], _, err = decodeImage(raw)
		}
		if err != nil {
			imageFail(w, f.loc("input_images", i), fmt.Sprintf("input_images[%d]", i), in, err)
			return
		}
		inputs[i] = "" // let the text go
	}
	delete(body, "input_images")
	if !checkPixels(w, imgs) || !s.admit(w, r, c, RouteImageEdit) {
		return
	}
	c.tokensIn = estimateTokens(prompt)
	produce(w, c, n, func(i int) (*image.RGBA, []string) { return edited(imgs[i%len(imgs)], prompt, size, i) })
}

// imageForm is a parsed multipart form: the image parts and text fields.
type imageForm struct {
	files  [][]byte
	values map[string]any
}

var fileFields = map[string]bool{"image": true, "images": true, "file": true, "image[]": true, "images[]": true}

// readImageForm reads a multipart body part by part within the limits. It
// returns nil when it has answered.
func readImageForm(w http.ResponseWriter, r *http.Request) *imageForm {
	form := &imageForm{values: map[string]any{}}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return form // no parts: the caller reports the missing fields
	}
	mr, err := r.MultipartReader()
	if err != nil {
		writeDetail(w, http.StatusBadRequest, "There was an error parsing the body")
		return nil
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return form
		}
		if err != nil {
			bodyError(w, err)
			return nil
		}
		name := part.FormName()
		switch {
		case fileFields[name]:
			b, err := io.ReadAll(io.LimitReader(part, maxImageBytes+1))
			if err != nil {
				bodyError(w, err)
				return nil
			}
			if len(b) > maxImageBytes {
				writeDetail(w, http.StatusRequestEntityTooLarge, "image is too large: "+errTooLarge.Error())
				return nil
			}
			form.files = append(form.files, b)
		default:
			b, err := io.ReadAll(io.LimitReader(part, maxField+1))
			if err != nil {
				bodyError(w, err)
				return nil
			}
			if len(b) > maxField {
				writeDetail(w, http.StatusBadRequest, "Part exceeded maximum size of 1024KB.")
				return nil
			}
			if _, dup := form.values[name]; !dup {
				form.values[name] = string(b)
			}
		}
		part.Close()
	}
}

func bodyError(w http.ResponseWriter, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		tooLarge(w, mbe.Limit)
		return
	}
	writeDetail(w, http.StatusBadRequest, "There was an error parsing the body")
}

// formImages checks and decodes the uploaded files (a part holding a data URI
// text is accepted too). It returns nil when it has answered.
func formImages(w http.ResponseWriter, f *fields, files [][]byte) []*image.RGBA {
	imgs := make([]*image.RGBA, len(files))
	for i, b := range files {
		loc := f.loc("image")
		if len(files) > 1 {
			loc = f.loc("image", i)
		}
		raw := b
		var err error
		if len(b) > 5 && strings.EqualFold(string(b[:5]), "data:") {
			raw, _, err = decodeDataURI(string(b))
		}
		if err == nil {
			imgs[i], _, err = decodeImage(raw)
		}
		if err != nil {
			imageFail(w, loc, "image", fmt.Sprintf("<%d bytes>", len(b)), err)
			return nil
		}
	}
	if !checkPixels(w, imgs) {
		return nil
	}
	return imgs
}

// checkFiles reports a missing or excess file part.
func checkFiles(f *fields, files [][]byte) {
	if len(files) == 0 {
		f.fail("missing", f.loc("image"), "Field required", nil, nil)
	} else if len(files) > maxImagesN {
		f.fail("too_long", f.loc("image"), fmt.Sprintf("List should have at most %d items after validation, not %d", maxImagesN, len(files)), nil,
			map[string]any{"field_type": "List", "max_length": maxImagesN, "actual_length": len(files)})
	}
}

// POST /images/upload-and-edit, multipart: image part(s), prompt, n, size.
func (s *Server) imagesUpload(w http.ResponseWriter, r *http.Request, c *call) {
	if !s.acquire(r) {
		return
	}
	defer s.release()
	if !limitBody(w, r, imageBodyLimit) {
		return
	}
	form := readImageForm(w, r)
	if form == nil {
		return
	}
	f := newFields("body", form.values)
	f.whole = nil
	checkFiles(f, form.files)
	prompt, _ := f.str("prompt", true, 1, maxPrompt)
	n, size := imageOptions(f)
	if len(f.errs) > 0 {
		writeValidation(w, f.errs)
		return
	}
	imgs := formImages(w, f, form.files)
	if imgs == nil {
		return
	}
	form.files = nil
	if !s.admit(w, r, c, RouteImageUpload) {
		return
	}
	c.tokensIn = estimateTokens(prompt)
	produce(w, c, n, func(i int) (*image.RGBA, []string) { return edited(imgs[i%len(imgs)], prompt, size, i) })
}

// POST /images/variations: JSON {image, n, size} or multipart with image.
// It needs an api-key whenever the sandbox is not fully open.
func (s *Server) imagesVariations(w http.ResponseWriter, r *http.Request, c *call) {
	if c.apiKey == "" && (s.cfg.Payments != nil || s.cfg.APIKey != "") {
		writeDetail(w, http.StatusUnauthorized, "API key required")
		return
	}
	if !s.acquire(r) {
		return
	}
	defer s.release()
	var f *fields
	var imgs []*image.RGBA
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		if !limitBody(w, r, imageBodyLimit) {
			return
		}
		form := readImageForm(w, r)
		if form == nil {
			return
		}
		f = newFields("body", form.values)
		f.whole = nil
		checkFiles(f, form.files)
		if len(form.files) > 1 {
			form.files = form.files[:1]
		}
		imageOptions(f)
		if len(f.errs) > 0 {
			writeValidation(w, f.errs)
			return
		}
		if imgs = formImages(w, f, form.files); imgs == nil {
			return
		}
	} else {
		body, ok := readJSON(w, r, imageBodyLimit)
		if !ok {
			return
		}
		f = newFields("body", body)
		in, ok := f.str("image", true, 1, 0)
		if ok {
			if _, _, err := splitDataURI(in); err != nil {
				f.errs = append(f.errs, valueError(f.loc("image"), in, err))
			}
		}
		imageOptions(f)
		if len(f.errs) > 0 {
			writeValidation(w, f.errs)
			return
		}
		raw, _, err := decodeDataURI(in)
		var m *image.RGBA
		if err == nil {
			m, _, err = decodeImage(raw)
		}
		if err != nil {
			imageFail(w, f.loc("image"), "image", in, err)
			return
		}
		imgs = []*image.RGBA{m}
	}
	f.errs = nil
	n, size := imageOptions(f)
	produce(w, c, n, func(i int) (*image.RGBA, []string) { return variant(imgs[0], size, i, n) })
}
