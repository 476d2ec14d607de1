package sandbox

import (
	"crypto/subtle"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"time"
)

// Config configures a Server. The zero value is a free, key-less sandbox.
type Config struct {
	// APIKey, when non-empty, is the only api-key accepted: a request that
	// carries another one gets 401 {"detail":"Invalid API key"}. When empty,
	// any api-key is accepted.
	APIKey string
	// Payments charges paid routes called without an api-key (through Admit,
	// after validation) and answers /payments/*. Nil: nothing is charged.
	Payments PaymentGate
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// StreamDelay is the pause between SSE frames: 0 means the default of
	// 15ms, a negative value means no pause.
	StreamDelay time.Duration
}

const defaultStreamDelay = 15 * time.Millisecond

// Version is what /health and /api report.
const Version = "sandbox-1.0.0"

// Server is the offline T API. It is an http.Handler, safe for concurrent use.
type Server struct {
	cfg     Config
	now     func() time.Time
	delay   time.Duration
	started time.Time
	routes  map[string]*route
	prefix  []*route // routes ending in "/{param}"
	usage   *usageBook
	faults  *faultBook
	tokens  *tokenCache
	heavy   chan struct{} // bounds concurrent image work (memory)
}

// call is what the router knows about one request.
type call struct {
	apiKey    string
	requestID string
	param     string // the {param} of a prefix route
	tokensIn  int
	tokensOut int
	images    int
}

type handler func(w http.ResponseWriter, r *http.Request, c *call)

type route struct {
	path    string
	name    string // usage key; "" = not counted
	paid    Route  // "" = free
	methods map[string]handler
	doc     string
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg, now: cfg.Now, delay: cfg.StreamDelay}
	if s.now == nil {
		s.now = time.Now
	}
	if s.delay == 0 {
		s.delay = defaultStreamDelay
	} else if s.delay < 0 {
		s.delay = 0
	}
	s.started = s.now()
	s.usage = newUsageBook()
	s.faults = newFaultBook()
	s.tokens = newTokenCache()
	s.heavy = make(chan struct{}, max(2, runtime.NumCPU()))
	s.routes = map[string]*route{}
	add := func(method, path, name string, paid Route, h handler, doc string) {
		rt := s.routes[path]
		if rt == nil {
			rt = &route{path: path, name: name, paid: paid, methods: map[string]handler{}, doc: doc}
			s.routes[path] = rt
			if strings.HasSuffix(path, "/") {
				s.prefix = append(s.prefix, rt)
			}
		}
		rt.methods[method] = h
	}
	add("GET", "/health", "", "", s.health, "liveness")
	add("GET", "/api", "", "", s.apiInfo, "this description")
	add("POST", "/chat", "chat", RouteChat, s.chat, "chat, JSON or text/event-stream (stream:true)")
	add("POST", "/token-analysis", "token-analysis", RouteTokenAnalysis, s.tokenAnalysis, "token report, api_version 1 or 2")
	add("POST", "/images/generate", "images/generate", RouteImageGenerate, s.imagesGenerate, "PNG images from a prompt")
	add("POST", "/images/edit", "images/edit", RouteImageEdit, s.imagesEdit, "transform base64 input images")
	add("POST", "/images/upload-and-edit", "images/upload-and-edit", RouteImageUpload, s.imagesUpload, "multipart upload and transform")
	add("POST", "/images/variations", "images/variations", "", s.imagesVariations, "variants of one image; api-key only")
	add("GET", "/payments/status/", "payments/status", "", s.paymentStatus, "invoice status: /payments/status/{invoiceId}")
	add("GET", "/payments/balance", "payments/balance", "", s.paymentBalance, "prepaid balance: ?partner=&wallet=")
	add("GET", "/usage", "", "", s.usageReport, "this api-key's usage since start")
	return s
}

// CORS, as the real service configures it.
var (
	corsMethods      = []string{"GET", "POST", "OPTIONS"}
	corsHeaders      = []string{"api-key", "content-type", "accept", "x-request-id", "x-partner", "x-wallet-address", "x-invoice-id", "x-payment", "x-api-version", "x-bypass-cache", "payment-signature"}
	sandboxHeaders   = []string{"x-sandbox-fail", "x-sandbox-fail-times"}
	corsExposed      = "X-Request-ID, Retry-After, PAYMENT-REQUIRED, PAYMENT-RESPONSE"
	corsAllowHeaders = strings.Join(append(append([]string{}, corsHeaders...), sandboxHeaders...), ", ")
)

// ServeHTTP routes one request: request id, CORS, injected faults, route and
// method, api-key, then the route's handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	rid, given := requestID(r)
	h.Set("X-Request-ID", rid)
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", corsExposed)
	if r.Method == http.MethodOptions {
		preflight(w, r)
		return
	}
	if s.faults.inject(w, r, rid, given) {
		return
	}
	rt, param := s.match(r.URL.Path)
	if rt == nil {
		writeDetail(w, http.StatusNotFound, "Not Found")
		return
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	hf := rt.methods[method]
	if hf == nil {
		h.Set("Allow", rt.allow())
		writeDetail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	key := r.Header.Get("api-key")
	if s.cfg.APIKey != "" && key != "" && subtle.ConstantTimeCompare([]byte(key), []byte(s.cfg.APIKey)) != 1 {
		writeDetail(w, http.StatusUnauthorized, "Invalid API key")
		return
	}
	c := &call{apiKey: key, requestID: rid, param: param}
	rec := &recorder{ResponseWriter: w}
	hf(rec, r, c)
	if key != "" && rt.name != "" {
		s.usage.record(key, rt.name, rec.status, c, s.now())
	}
}

func (s *Server) match(path string) (*route, string) {
	if rt := s.routes[path]; rt != nil && !strings.HasSuffix(path, "/") {
		return rt, ""
	}
	for _, rt := range s.prefix {
		if rest, ok := strings.CutPrefix(path, rt.path); ok && rest != "" && !strings.Contains(rest, "/") {
			return rt, rest
		}
	}
	return nil, ""
}

func (rt *route) allow() string {
	var m []string
	for k := range rt.methods {
		m = append(m, k)
		if k == http.MethodGet {
			m = append(m, http.MethodHead)
		}
	}
	sort.Strings(m)
	return strings.Join(m, ", ")
}

// requestID returns the caller's X-Request-Id when it is a sane token, else a
// new UUID v4; given tells which.
func requestID(r *http.Request) (string, bool) {
	id := r.Header.Get("X-Request-Id")
	if id == "" || len(id) > 200 {
		return newUUID(), false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return newUUID(), false
		}
	}
	return id, true
}

// preflight answers OPTIONS like Starlette's CORSMiddleware (but 204): a
// method or header outside the allow-lists is refused with 400.
func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", strings.Join(corsMethods, ", "))
	h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
	h.Set("Access-Control-Max-Age", "600")
	h.Add("Vary", "Origin")
	if m := r.Header.Get("Access-Control-Request-Method"); m != "" && !contains(corsMethods, strings.ToUpper(strings.TrimSpace(m))) {
		plain(w, http.StatusBadRequest, "Disallowed CORS method")
		return
	}
	for _, v := range r.Header.Values("Access-Control-Request-Headers") {
		for _, name := range strings.Split(v, ",") {
			name = strings.ToLower(strings.TrimSpace(name))
			if name != "" && !contains(corsHeaders, name) && !contains(sandboxHeaders, name) {
				plain(w, http.StatusBadRequest, "Disallowed CORS headers")
				return
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func plain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(msg))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// admit lets a paid route through: free with an api-key or without a gate,
// else the gate decides (and has answered when it says no).
func (s *Server) admit(w http.ResponseWriter, r *http.Request, c *call, rt Route) bool {
	if c.apiKey != "" || s.cfg.Payments == nil {
		return true
	}
	return s.cfg.Payments.Admit(w, r, rt)
}

// recorder remembers the status a handler wrote; it keeps Flush working.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
