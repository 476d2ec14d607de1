//go:build js && wasm

package bridge

import (
	"context"
	"fmt"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/client"
)

func instanceOf(v safejs.Value, class string) bool {
	c := get(class)
	if kind(c) != safejs.TypeFunction || kind(v) != safejs.TypeObject {
		return false
	}
	ok, _ := v.InstanceOf(c)
	return ok
}

// bytesOf copies a Uint8Array or ArrayBuffer into Go.
func bytesOf(v safejs.Value) ([]byte, bool) {
	if instanceOf(v, "ArrayBuffer") {
		u, err := get("Uint8Array").New(v)
		if err != nil {
			return nil, false
		}
		v = u
	} else if !instanceOf(v, "Uint8Array") {
		return nil, false
	}
	n, err := v.Length()
	if err != nil {
		return nil, false
	}
	b := make([]byte, n)
	if _, err := safejs.CopyBytesToGo(b, v); err != nil {
		return nil, false
	}
	return b, true
}

// uint8Array copies b into a new Uint8Array.
func uint8Array(b []byte) safejs.Value {
	u, err := get("Uint8Array").New(len(b))
	if err != nil {
		panic(err)
	}
	safejs.CopyBytesToJS(u, b)
	return u
}

// readImage accepts an image as a data-URI string, a Blob or File, a
// Uint8Array or an ArrayBuffer. Oversized Blobs are refused before reading.
func readImage(ctx context.Context, v safejs.Value, what string) (client.Image, error) {
	switch {
	case kind(v) == safejs.TypeString:
		s, _ := v.String()
		img, err := client.ParseDataURI(s)
		if err != nil {
			return client.Image{}, withSubject(err, what)
		}
		return img, nil
	case instanceOf(v, "Blob"):
		size, _ := v.Get("size")
		if n, _ := size.Float(); n > client.MaxImageBytes {
			return client.Image{}, &client.Error{Code: client.CodePayloadTooLarge,
				Message: fmt.Sprintf("%s is %.1f MB; the service accepts at most %d MB per image", what, n/(1<<20), client.MaxImageBytes>>20)}
		}
		p, err := v.Call("arrayBuffer")
		if err != nil {
			return client.Image{}, badArgument("%s could not be read", what)
		}
		buf, err := await(ctx, p)
		if err != nil {
			return client.Image{}, badArgument("%s could not be read: %v", what, err)
		}
		data, _ := bytesOf(buf)
		img := client.Image{Data: data}
		if t, err := v.Get("type"); err == nil && kind(t) == safejs.TypeString {
			img.Type, _ = t.String()
		}
		if name, err := v.Get("name"); err == nil && kind(name) == safejs.TypeString {
			img.Name, _ = name.String()
		}
		return img, nil
	default:
		if data, ok := bytesOf(v); ok {
			return client.Image{Data: data}, nil
		}
		return client.Image{}, badArgument("%s must be a data URI string, a Blob or File, or a Uint8Array", what)
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
	isArray, _ := get("Array").Call("isArray", v)
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
