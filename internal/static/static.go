// Package static serves a built dist/ folder: precompressed .br/.gz copies
// when the browser takes them, application/wasm, revalidated caching, the
// security headers the demo's pages are written for, and CORS on the SDK
// files so that pages on other origins can import them.
package static

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
)

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".wasm": "application/wasm",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
	".ts":   "text/plain; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
	".map":  "application/json",
	".webp": "image/webp",
}

// Handler serves files of one folder.
type Handler struct {
	root fs.FS
	csp  string
}

// New serves dir. connectSrc lists the origins pages may call
// (Content-Security-Policy connect-src), e.g. "'self' https://api.example".
func New(dir, connectSrc string) *Handler {
	return &Handler{root: os.DirFS(dir), csp: CSP(connectSrc)}
}

// CSP is the policy sent with every page: no inline script or style, wasm
// compilation allowed, images from data/blob URLs and https (the live API
// may answer with image URLs).
func CSP(connectSrc string) string {
	return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
		"img-src 'self' data: blob: https:; connect-src " + connectSrc + "; font-src 'self'; " +
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, info, ok := h.resolve(r.URL.Path)
	if !ok {
		h.notFound(w)
		return
	}
	ext := path.Ext(name)
	hdr := w.Header()
	hdr.Set("Content-Type", contentTypes[ext])
	if contentTypes[ext] == "" {
		hdr.Set("Content-Type", "application/octet-stream")
	}
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("Vary", "Accept-Encoding")
	if ext == ".html" {
		hdr.Set("Content-Security-Policy", h.csp)
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("X-Frame-Options", "DENY")
	}
	if strings.HasPrefix(name, "sdk/") {
		hdr.Set("Access-Control-Allow-Origin", "*")
		hdr.Set("Cross-Origin-Resource-Policy", "cross-origin")
	}
	served, encoding := name, ""
	for _, enc := range [...]struct{ name, suffix string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if accepts(r.Header.Get("Accept-Encoding"), enc.name) {
			if ci, err := fs.Stat(h.root, name+enc.suffix); err == nil && !ci.IsDir() {
				served, encoding, info = name+enc.suffix, enc.name, ci
				break
			}
		}
	}
	f, err := h.root.Open(served)
	if err != nil {
		h.notFound(w)
		return
	}
	defer f.Close()
	if encoding != "" {
		hdr.Set("Content-Encoding", encoding)
	}
	hdr.Set("ETag", `"`+strconv.FormatInt(info.Size(), 36)+"-"+strconv.FormatInt(info.ModTime().UnixNano(), 36)+encoding+`"`)
	http.ServeContent(w, r, "", info.ModTime(), f.(readSeeker))
}

type readSeeker interface {
	Read([]byte) (int, error)
	Seek(int64, int) (int64, error)
}

// resolve maps a URL path to a file: "/" and folders to index.html, and
// extension-less paths to .html ("/chat" → chat.html).
func (h *Handler) resolve(urlPath string) (string, fs.FileInfo, bool) {
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if name == "" {
		name = "index.html"
	}
	if strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") {
		return "", nil, false
	}
	candidates := []string{name}
	if path.Ext(name) == "" {
		candidates = append(candidates, name+".html", path.Join(name, "index.html"))
	}
	for _, c := range candidates {
		info, err := fs.Stat(h.root, c)
		if err == nil && !info.IsDir() {
			return c, info, true
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", nil, false
		}
	}
	return "", nil, false
}

func (h *Handler) notFound(w http.ResponseWriter) {
	if b, err := fs.ReadFile(h.root, "404.html"); err == nil {
		w.Header().Set("Content-Type", contentTypes[".html"])
		w.Header().Set("Content-Security-Policy", h.csp)
		w.WriteHeader(http.StatusNotFound)
		w.Write(b)
		return
	}
	http.Error(w, "not found", http.StatusNotFound)
}

// accepts reports whether an Accept-Encoding value allows enc (q > 0).
func accepts(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return params != "q=0" && params != "q=0.0" && params != "q=0.00" && params != "q=0.000"
	}
	return false
}
