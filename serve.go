// Command serve serves the built demo (dist/) and the T API behind /t/:
// the offline sandbox by default, or, when TBACKEND_API_KEY is set, a proxy
// to the live service that adds the key on the server side, so that it
// never reaches the browser.
//
//	go run serve.go [-addr 127.0.0.1:8080] [-dist dist]
package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/tbackend/sdk/client"
	"github.com/tbackend/sdk/internal/static"
	"github.com/tbackend/sdk/sandbox"
	"github.com/tbackend/sdk/sandbox/ledger"
)

// serveConfig tells the demo page what serve.go offers; a plain static host
// has no such file and the page falls back to the live API.
type serveConfig struct {
	// Mode is "sandbox" or "proxy".
	Mode string `json:"mode"`
	// KeyedBaseURL carries the server's api-key: calls are free for the visitor.
	KeyedBaseURL string `json:"keyedBaseUrl"`
	// PayBaseURL is unauthenticated: paid routes answer 402 invoices.
	PayBaseURL string `json:"payBaseUrl"`
	// Network is the Cardano network invoices are for.
	Network string `json:"network"`
	// SandboxWallet is the module that injects the sandbox CIP-30 wallet.
	SandboxWallet string `json:"sandboxWallet,omitempty"`
}

type options struct {
	addr, dist    string
	apiKey        string
	baseURL       string
	confirmDelay  time.Duration
	invoiceTTL    time.Duration
	splits        bool
	streamDelay   time.Duration
	sandboxAPIKey string
}

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
	flag.StringVar(&o.dist, "dist", "dist", "folder built by build.sh")
	flag.DurationVar(&o.confirmDelay, "sandbox-confirm-delay", time.Second, "sandbox: how long a wallet-submitted transaction stays unconfirmed")
	flag.DurationVar(&o.invoiceTTL, "sandbox-invoice-timeout", 300*time.Second, "sandbox: invoice lifetime")
	flag.BoolVar(&o.splits, "sandbox-splits", false, "sandbox: invoices carry extra split outputs (extra.outputs)")
	flag.DurationVar(&o.streamDelay, "sandbox-stream-delay", 0, "sandbox: pause between streamed chat frames (0: the sandbox default)")
	flag.Parse()
	o.apiKey = os.Getenv("TBACKEND_API_KEY")
	o.baseURL = os.Getenv("TBACKEND_BASE_URL")
	if o.baseURL == "" {
		o.baseURL = client.DefaultBaseURL
	}

	h, cfg, err := newHandler(o)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := os.Stat(o.dist); err != nil {
		log.Printf("warning: %s is missing; run ./build.sh first", o.dist)
	}
	fmt.Printf("T Backend demo (%s mode) at http://%s/\n", cfg.Mode, ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}

// newHandler wires the routes: /serve-config.json, /t/ (keyed), /t-pay/
// and /sandbox/wallet/ (sandbox only), and the static files.
func newHandler(o options) (http.Handler, serveConfig, error) {
	mux := http.NewServeMux()
	var cfg serveConfig
	if o.apiKey != "" {
		target, err := url.Parse(strings.TrimRight(o.baseURL, "/"))
		if err != nil || (target.Scheme != "https" && target.Scheme != "http") || target.Host == "" {
			return nil, cfg, fmt.Errorf("TBACKEND_BASE_URL %q is not an http(s) URL", o.baseURL)
		}
		mux.Handle("/t/", http.StripPrefix("/t", proxy(target, o.apiKey)))
		cfg = serveConfig{Mode: "proxy", KeyedBaseURL: "/t", PayBaseURL: target.String(), Network: "mainnet"}
	} else {
		key := o.sandboxAPIKey
		if key == "" {
			key = randomKey()
		}
		led := ledger.New(ledger.Config{})
		gcfg := sandbox.GateConfig{Ledger: led, Timeout: o.invoiceTTL, ConfirmDelay: o.confirmDelay}
		if o.splits {
			gcfg.Splits = sandbox.SandboxSplits(led)
		}
		gate := sandbox.NewGate(gcfg)
		api := sandbox.New(sandbox.Config{APIKey: key, Payments: gate, StreamDelay: o.streamDelay})
		mux.Handle("/t/", http.StripPrefix("/t", withAPIKey(api, key)))
		mux.Handle("/t-pay/", http.StripPrefix("/t-pay", withoutAPIKey(api)))
		mux.Handle("/sandbox/wallet/", http.StripPrefix("/sandbox/wallet/", gate.WalletHandler()))
		cfg = serveConfig{Mode: "sandbox", KeyedBaseURL: "/t", PayBaseURL: "/t-pay", Network: "preprod", SandboxWallet: "/sandbox/wallet/wallet.js"}
	}
	configJSON, _ := json.Marshal(cfg)
	mux.HandleFunc("GET /serve-config.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(configJSON)
	})
	connect := []string{"'self'"}
	for _, u := range []string{client.DefaultBaseURL, cfg.PayBaseURL} {
		if strings.HasPrefix(u, "http") {
			connect = append(connect, origin(u))
		}
	}
	mux.Handle("/", static.New(o.dist, strings.Join(connect, " ")))
	return mux, cfg, nil
}

// proxy forwards to the live service with the server's api-key. It flushes
// every write so that SSE streams pass through unbuffered.
func proxy(target *url.URL, apiKey string) http.Handler {
	return &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = target.Host
			r.Out.Header.Del("Cookie")
			r.Out.Header.Del("Authorization")
			r.Out.Header.Set("api-key", apiKey)
		},
		FlushInterval: -1,
		ModifyResponse: func(resp *http.Response) error {
			resp.Header.Del("Set-Cookie")
			return nil
		},
	}
}

func withAPIKey(h http.Handler, key string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("api-key", key)
		h.ServeHTTP(w, r)
	})
}

func withoutAPIKey(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("api-key")
		h.ServeHTTP(w, r)
	})
}

func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// randomKey is the sandbox's api-key for this run: serve.go adds it to /t/
// requests, so a key in a request to /t-pay/ or typed by hand is refused.
func randomKey() string {
	var b [16]byte
	rand.Read(b[:])
	return "sandbox-" + hex.EncodeToString(b[:])
}
