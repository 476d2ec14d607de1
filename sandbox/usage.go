package sandbox

import (
	"net/http"
	"sync"
	"time"
)

// maxUsageKeys bounds the usage book when any api-key is accepted.
const maxUsageKeys = 1000

type usageEntry struct {
	first, last time.Time
	requests    map[string]int
	errors      map[string]int
	tokensIn    int
	tokensOut   int
	images      int
}

// usageBook counts, per api-key, what was asked since the server started.
type usageBook struct {
	mu   sync.Mutex
	keys map[string]*usageEntry
}

func newUsageBook() *usageBook { return &usageBook{keys: map[string]*usageEntry{}} }

func (b *usageBook) record(key, route string, status int, c *call, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.keys[key]
	if e == nil {
		if len(b.keys) >= maxUsageKeys {
			return
		}
		e = &usageEntry{first: now, requests: map[string]int{}, errors: map[string]int{}}
		b.keys[key] = e
	}
	e.last = now
	e.requests[route]++
	if status >= 400 {
		e.errors[route]++
		return
	}
	e.tokensIn += c.tokensIn
	e.tokensOut += c.tokensOut
	e.images += c.images
}

// redact shows the first and last 4 characters of a key.
func redact(key string) string {
	if len(key) <= 10 {
		return "…"
	}
	return key[:4] + "…" + key[len(key)-4:]
}

func (s *Server) usageReport(w http.ResponseWriter, r *http.Request, c *call) {
	if c.apiKey == "" {
		writeDetail(w, http.StatusUnauthorized, "API key required")
		return
	}
	b := s.usage
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]any{
		"api_key":        redact(c.apiKey),
		"since":          s.started.UTC().Format(time.RFC3339),
		"requests":       map[string]int{},
		"errors":         map[string]int{},
		"total_requests": 0,
		"tokens":         map[string]int{"input": 0, "output": 0, "total": 0},
		"images":         0,
		"last_request":   nil,
		"sandbox":        true,
	}
	if e := b.keys[c.apiKey]; e != nil {
		total := 0
		req := map[string]int{}
		for k, v := range e.requests {
			req[k] = v
			total += v
		}
		errs := map[string]int{}
		for k, v := range e.errors {
			errs[k] = v
		}
		out["requests"] = req
		out["errors"] = errs
		out["total_requests"] = total
		out["tokens"] = map[string]int{"input": e.tokensIn, "output": e.tokensOut, "total": e.tokensIn + e.tokensOut}
		out["images"] = e.images
		out["last_request"] = e.last.UTC().Format(time.RFC3339)
	}
	writeJSON(w, http.StatusOK, out)
}
