package client

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// ImageRequest is the body of POST /images/generate.
type ImageRequest struct {
	Prompt string `json:"prompt"`
	Size   string `json:"size,omitempty"`
	N      int    `json:"n,omitempty"`
}

// ImageEditRequest is the body of POST /images/edit and the fields of
// upload-and-edit.
type ImageEditRequest struct {
	Prompt string
	Images []Image
	Size   string
	N      int
}

// ImageVariationRequest asks for variations of one image.
type ImageVariationRequest struct {
	Image Image
	Size  string
	N     int
}

// ImagesResponse is the answer of every image route.
type ImagesResponse struct {
	Success bool `json:"success"`
	// Images are URLs or base64 strings (or objects, from some servers).
	Images    []json.RawMessage `json:"images"`
	RequestID string            `json:"-"`
	Raw       json.RawMessage   `json:"-"`
}

// Generate calls POST /images/generate.
func (s *ImageService) Generate(ctx context.Context, req ImageRequest, opts ...CallOption) (*ImagesResponse, error) {
	if req.Prompt == "" {
		return nil, Errorf(CodeInvalidRequest, "the image prompt is empty")
	}
	cl := newCall("POST", "/images/generate", opts)
	if err := cl.setJSON(req); err != nil {
		return nil, err
	}
	return s.images(ctx, cl)
}

// Edit calls POST /images/edit with the images as base64 data URIs.
func (s *ImageService) Edit(ctx context.Context, req ImageEditRequest, opts ...CallOption) (*ImagesResponse, error) {
	if err := checkImages(req.Prompt, req.Images); err != nil {
		return nil, err
	}
	uris := make([]string, len(req.Images))
	for i, img := range req.Images {
		uris[i] = img.DataURI()
	}
	cl := newCall("POST", "/images/edit", opts)
	body := struct {
		Prompt      string   `json:"prompt"`
		InputImages []string `json:"input_images"`
		N           int      `json:"n,omitempty"`
		Size        string   `json:"size,omitempty"`
	}{req.Prompt, uris, req.N, req.Size}
	if err := cl.setJSON(body); err != nil {
		return nil, err
	}
	return s.images(ctx, cl)
}

// UploadAndEdit calls POST /images/upload-and-edit as multipart/form-data:
// file parts named "image", fields prompt, n and size.
func (s *ImageService) UploadAndEdit(ctx context.Context, req ImageEditRequest, opts ...CallOption) (*ImagesResponse, error) {
	if err := checkImages(req.Prompt, req.Images); err != nil {
		return nil, err
	}
	m := newMultipart()
	for i, img := range req.Images {
		m.file("image", img, fmt.Sprintf("image-%d%s", i+1, extension(img.mediaType())))
	}
	m.field("prompt", req.Prompt)
	addSizeFields(m, req.N, req.Size)
	cl := newCall("POST", "/images/upload-and-edit", opts)
	cl.body, cl.contentType = m.finish()
	return s.images(ctx, cl)
}

// Variations calls POST /images/variations (api-key only) as multipart.
func (s *ImageService) Variations(ctx context.Context, req ImageVariationRequest, opts ...CallOption) (*ImagesResponse, error) {
	if err := req.Image.check("the image"); err != nil {
		return nil, err
	}
	m := newMultipart()
	m.file("image", req.Image, "image"+extension(req.Image.mediaType()))
	addSizeFields(m, req.N, req.Size)
	cl := newCall("POST", "/images/variations", opts)
	cl.body, cl.contentType = m.finish()
	return s.images(ctx, cl)
}

func (s *ImageService) images(ctx context.Context, cl *call) (*ImagesResponse, error) {
	res, err := s.client.send(ctx, cl)
	if err != nil {
		return nil, err
	}
	var out ImagesResponse
	if err := decodeJSON(res, &out); err != nil {
		return nil, err
	}
	out.RequestID, out.Raw = res.requestID, res.data
	return &out, nil
}

func checkImages(prompt string, images []Image) error {
	if prompt == "" {
		return Errorf(CodeInvalidRequest, "the image prompt is empty")
	}
	if len(images) == 0 {
		return Errorf(CodeInvalidRequest, "no input image was given")
	}
	for i, img := range images {
		if err := img.check(fmt.Sprintf("input image %d", i+1)); err != nil {
			return err
		}
	}
	return nil
}

func addSizeFields(m *multipartBody, n int, size string) {
	if n > 0 {
		m.field("n", strconv.Itoa(n))
	}
	if size != "" {
		m.field("size", size)
	}
}

func extension(mediaType string) string {
	switch mediaType {
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	}
	return ""
}
