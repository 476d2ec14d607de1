package sandbox

import (
	"net/http"
	"sort"
	"time"
)

func (s *Server) health(w http.ResponseWriter, r *http.Request, c *call) {
	now := s.now()
	writeJSON(w, http.StatusOK, map[string]any{
		"status":         "ok",
		"sandbox":        true,
		"service":        "T API sandbox",
		"version":        Version,
		"time":           now.UTC().Format(time.RFC3339),
		"uptime_seconds": int64(now.Sub(s.started).Seconds()),
		"payments":       s.cfg.Payments != nil,
	})
}

type routeDoc struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Paid   bool   `json:"paid"`
	Auth   string `json:"auth"`
	Doc    string `json:"description"`
}

func (s *Server) apiInfo(w http.ResponseWriter, r *http.Request, c *call) {
	var docs []routeDoc
	for _, rt := range s.routes {
		for m := range rt.methods {
			path := rt.path
			if path == "/payments/status/" {
				path += "{invoiceId}"
			}
			auth := "none"
			switch {
			case rt.paid != "":
				auth = "api-key or pay-per-call (402)"
			case rt.path == "/images/variations" || rt.path == "/usage":
				auth = "api-key"
			}
			docs = append(docs, routeDoc{Method: m, Path: path, Paid: rt.paid != "", Auth: auth, Doc: rt.doc})
		}
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].Path < docs[j].Path })
	writeJSON(w, http.StatusOK, map[string]any{
		"name":    "T API",
		"version": Version,
		"sandbox": true,
		"note":    "Offline sandbox: deterministic answers, illustrative data, no real model or market data.",
		"routes":  docs,
		"limits": map[string]any{
			"chat_body_mb":        chatBodyLimit / mb,
			"image_body_mb":       imageBodyLimit / mb,
			"image_mb":            maxImageBytes / mb,
			"image_max_pixels":    maxImagePixels,
			"message_max_chars":   maxMessage,
			"prompt_max_chars":    maxPrompt,
			"images_per_request":  maxImagesN,
			"max_tokens":          maxTokensLimit,
			"image_sizes":         imageSizes,
			"token_networks":      networks,
			"token_api_versions":  []string{"1", "2"},
			"token_cache_seconds": int(tokenCacheTTL.Seconds()),
		},
		"sandbox_headers": map[string]string{
			"X-Sandbox-Fail":       "status (400-599) to answer instead of the route; 429 and 503 carry Retry-After: 1",
			"X-Sandbox-Fail-Times": "how many requests with the same X-Request-Id fail before they succeed (default 1)",
		},
	})
}

func (s *Server) paymentStatus(w http.ResponseWriter, r *http.Request, c *call) {
	if s.cfg.Payments != nil {
		s.cfg.Payments.Status(w, r, c.param)
		return
	}
	writeDetail(w, http.StatusNotFound, "Invoice not found")
}

func (s *Server) paymentBalance(w http.ResponseWriter, r *http.Request, c *call) {
	if s.cfg.Payments != nil {
		s.cfg.Payments.Balance(w, r)
		return
	}
	q := map[string]any{}
	for k, v := range r.URL.Query() {
		q[k] = v[0]
	}
	f := newFields("query", q)
	partner, _ := f.str("partner", false, 0, 200)
	wallet, _ := f.str("wallet", true, 1, 200)
	if len(f.errs) > 0 {
		writeValidation(w, f.errs)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"partner":  partner,
		"wallet":   wallet,
		"balance":  "0",
		"unit":     "lovelace",
		"currency": "ADA",
		"sandbox":  true,
	})
}
