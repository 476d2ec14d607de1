//go:build js && wasm

package bridge

import "sync"

// handles maps the small integers JavaScript holds to Go objects, so that
// the wasm exports stay a fixed set of functions instead of one js.Func per
// method per object (which would leak unless released).
type handles[T any] struct {
	mu    sync.Mutex
	next  int
	items map[int]T
}

func (h *handles[T]) add(v T) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.items == nil {
		h.items = map[int]T{}
	}
	h.next++
	h.items[h.next] = v
	return h.next
}

func (h *handles[T]) get(id int) (T, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.items[id]
	return v, ok
}

func (h *handles[T]) remove(id int) (T, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.items[id]
	delete(h.items, id)
	return v, ok
}
