//go:build js && wasm

package bridge

import (
	"context"
	"fmt"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/bridge/jsutil"
	"github.com/tbackend/sdk/client"
)

// readImage accepts an image as a data-URI string, a Blob or File, a
// Uint8Array or an ArrayBuffer. Oversized Blobs are refused before reading.
func readImage(ctx context.Context, v safejs.Value, what string) (client.Image, error) {
	switch {
	case jsutil.Kind(v) == safejs.TypeString:
		s, _ := v.String()
		img, err := client.ParseDataURI(s)
		if err != nil {
			return client.Image{}, withSubject(err, what)
		}
		return img, nil
	case jsutil.InstanceOf(v, "Blob"):
		size, _ := v.Get("size")
		if n, _ := size.Float(); n > client.MaxImageBytes {
			return client.Image{}, &client.Error{Code: client.CodePayloadTooLarge,
				Message: fmt.Sprintf("%s is %.1f MB; the service accepts at most %d MB per image", what, n/(1<<20), client.MaxImageBytes>>20)}
		}
		p, err := v.Call("arrayBuffer")
		if err != nil {
			return client.Image{}, jsutil.BadArgument("%s could not be read", what)
		}
		buf, err := jsutil.Await(ctx, p)
		if err != nil {
			return client.Image{}, jsutil.BadArgument("%s could not be read: %v", what, err)
		}
		data, _ := jsutil.Bytes(buf)
		img := client.Image{Data: data}
		if t, err := v.Get("type"); err == nil && jsutil.Kind(t) == safejs.TypeString {
			img.Type, _ = t.String()
		}
		if name, err := v.Get("name"); err == nil && jsutil.Kind(name) == safejs.TypeString {
			img.Name, _ = name.String()
		}
		return img, nil
	default:
		if data, ok := jsutil.Bytes(v); ok {
			return client.Image{Data: data}, nil
		}
		return client.Image{}, jsutil.BadArgument("%s must be a data URI string, a Blob or File, or a Uint8Array", what)
	}
}

// withSubject names which input a client error is about.
func withSubject(err error, what string) error {
	if e, ok := err.(*client.Error); ok {
		out := *e
		out.Message = what + ": " + e.Message
		return &out
	}
	return err
}

// readImages reads an array of images.
func readImages(ctx context.Context, v safejs.Value, what string) ([]client.Image, error) {
	isArray, _ := jsutil.Get("Array").Call("isArray", v)
	if ok, _ := isArray.Bool(); !ok {
		img, err := readImage(ctx, v, what)
		if err != nil {
			return nil, err
		}
		return []client.Image{img}, nil
	}
	n, _ := v.Length()
	images := make([]client.Image, 0, n)
	for i := 0; i < n; i++ {
		item, _ := v.Index(i)
		img, err := readImage(ctx, item, fmt.Sprintf("%s[%d]", what, i))
		if err != nil {
			return nil, err
		}
		images = append(images, img)
	}
	return images, nil
}
