package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// maxFaultKeys bounds the memory of the fault book.
const maxFaultKeys = 10000

// faultBook implements the sandbox-only X-Sandbox-Fail header: it counts, per
// X-Request-Id, how many requests it already failed.
type faultBook struct {
	mu   sync.Mutex
	seen map[string]int
}

func newFaultBook() *faultBook { return &faultBook{seen: map[string]int{}} }

// inject answers with the requested failure and returns true, or returns
// false when the request should go on. Without a caller-given X-Request-Id
// there is nothing to count by: every such request fails.
func (b *faultBook) inject(w http.ResponseWriter, r *http.Request, rid string, given bool) bool {
	v := r.Header.Get("X-Sandbox-Fail")
	if v == "" {
		return false
	}
	f := newFields("header", map[string]any{"x-sandbox-fail": v, "x-sandbox-fail-times": nil})
	if t := r.Header.Get("X-Sandbox-Fail-Times"); t != "" {
		f.values["x-sandbox-fail-times"] = t
	}
	code, _ := f.integer("x-sandbox-fail", 400, 599)
	times, ok := f.integer("x-sandbox-fail-times", 1, 1000)
	if !ok {
		times = 1
	}
	if len(f.errs) > 0 {
		writeValidation(w, f.errs)
		return true
	}
	if given {
		b.mu.Lock()
		n := b.seen[rid]
		if n >= int(times) {
			b.mu.Unlock()
			return false
		}
		if _, known := b.seen[rid]; !known && len(b.seen) >= maxFaultKeys {
			for k := range b.seen { // drop an arbitrary entry
				delete(b.seen, k)
				break
			}
		}
		b.seen[rid] = n + 1
		b.mu.Unlock()
	}
	status := int(code)
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	text := http.StatusText(status)
	if text == "" {
		text = "Error " + strconv.Itoa(status)
	}
	writeDetail(w, status, strings.TrimSpace(text)+" (sandbox-injected failure)")
	return true
}
