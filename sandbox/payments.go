package sandbox

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tbackend/sdk/sandbox/ledger"
)

// Split is an extra output an invoice asks for (extra.outputs), paid on top
// of amountUnits to payTo.
type Split struct {
	Address  string `json:"address"` // bech32
	Lovelace uint64 `json:"lovelace,string"`
}

// GateConfig configures a Gate. The zero value charges the default prices
// on a fresh preprod ledger, paid to the sandbox "payee" account.
type GateConfig struct {
	// Ledger verifies and applies payments. Nil: NewGate makes a preprod
	// ledger with Now as its clock. When you pass one, give it the same
	// clock as Now.
	Ledger *ledger.Ledger
	// PayTo receives amountUnits (bech32). Empty: the "payee" account.
	PayTo string
	// Prices in lovelace by route; routes left out keep their default
	// (chat 1 ADA, token-analysis 2 ADA, images 3 ADA). A price of 0 makes
	// the route free.
	Prices map[Route]uint64
	// Splits are extra outputs every payment must contain (extra.outputs);
	// each must hold at least the min-ADA of a plain output (about 1 ADA).
	// SandboxSplits gives the sandbox "partner" and "treasury" accounts.
	Splits []Split
	// Timeout is the invoice lifetime (default 300s).
	Timeout time.Duration
	// ConfirmDelay is how long a transaction submitted through the sandbox
	// wallet counts as submitted before it is confirmed (default 1s; a
	// negative value confirms at once).
	ConfirmDelay time.Duration
	// MaxInvoices bounds the invoices kept in memory (default 10000): past
	// it, the oldest are forgotten.
	MaxInvoices int
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// DefaultPrices are the prices of the paid routes, in lovelace.
var DefaultPrices = map[Route]uint64{
	RouteChat:          1_000_000,
	RouteTokenAnalysis: 2_000_000,
	RouteImageGenerate: 3_000_000,
	RouteImageEdit:     3_000_000,
	RouteImageUpload:   3_000_000,
}

// SandboxSplits are splits of 1 ADA each to the sandbox "partner" and
// "treasury" accounts on l's network.
func SandboxSplits(l *ledger.Ledger) []Split {
	return []Split{
		{Address: l.Address(ledger.Partner).String(), Lovelace: 1_000_000},
		{Address: l.Address(ledger.Treasury).String(), Lovelace: 1_000_000},
	}
}

// Gate is the sandbox's PaymentGate: 402 invoices in the T API shape,
// payments checked by a real (tiny) ledger, and the sandbox CIP-30 wallet's
// HTTP side (WalletHandler). It is safe for concurrent use: one mutex
// guards the invoices; the ledger has its own.
type Gate struct {
	led          *ledger.Ledger
	now          func() time.Time
	prices       map[Route]uint64
	payTo        ledger.Address
	splits       []gateOutput
	timeout      time.Duration
	confirmDelay time.Duration
	maxInvoices  int

	mu        sync.Mutex
	invoices  map[string]*gateInvoice
	order     []string          // invoice ids, oldest first (= soonest expiry)
	byRequest map[string]string // X-Request-Id + route → invoice id
	usedTx    map[string]string // tx hash → the invoice it paid
}

// gateOutput is a required output: payTo or a split.
type gateOutput struct {
	addr     ledger.Address
	lovelace uint64
}

var _ PaymentGate = (*Gate)(nil)

// NewGate makes a Gate. It panics when PayTo or a split address does not
// parse, is for another network, or a split is below min-ADA: those are
// programming errors in a sandbox's setup.
func NewGate(cfg GateConfig) *Gate {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Ledger == nil {
		cfg.Ledger = ledger.New(ledger.Config{Network: ledger.Preprod, Now: cfg.Now})
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 300 * time.Second
	}
	switch {
	case cfg.ConfirmDelay == 0:
		cfg.ConfirmDelay = time.Second
	case cfg.ConfirmDelay < 0:
		cfg.ConfirmDelay = 0
	}
	if cfg.MaxInvoices <= 0 {
		cfg.MaxInvoices = 10000
	}
	g := &Gate{
		led:          cfg.Ledger,
		now:          cfg.Now,
		prices:       map[Route]uint64{},
		timeout:      cfg.Timeout,
		confirmDelay: cfg.ConfirmDelay,
		maxInvoices:  cfg.MaxInvoices,
		invoices:     map[string]*gateInvoice{},
		byRequest:    map[string]string{},
		usedTx:       map[string]string{},
	}
	for r, p := range DefaultPrices {
		g.prices[r] = p
	}
	for r, p := range cfg.Prices {
		g.prices[r] = p
	}
	g.payTo = g.led.Address(ledger.Payee)
	if cfg.PayTo != "" {
		g.payTo = g.mustAddress("PayTo", cfg.PayTo)
	}
	minADA := g.led.Params().MinADA(65) // a plain [address, coin] output
	for i, s := range cfg.Splits {
		a := g.mustAddress(fmt.Sprintf("Splits[%d]", i), s.Address)
		if s.Lovelace < minADA {
			panic(fmt.Sprintf("sandbox: Splits[%d] of %d lovelace is below min-ADA (%d)", i, s.Lovelace, minADA))
		}
		g.splits = append(g.splits, gateOutput{addr: a, lovelace: s.Lovelace})
	}
	return g
}

func (g *Gate) mustAddress(field, s string) ledger.Address {
	a, err := ledger.ParseAddress(s)
	if err != nil {
		panic(fmt.Sprintf("sandbox: GateConfig.%s: %v", field, err))
	}
	if a.NetworkID() != g.led.Network().ID {
		panic(fmt.Sprintf("sandbox: GateConfig.%s %s is not a %s address", field, s, g.led.Network().Name))
	}
	return a
}

// Ledger is the gate's ledger.
func (g *Gate) Ledger() *ledger.Ledger { return g.led }

// PayTo is the address that receives amountUnits.
func (g *Gate) PayTo() ledger.Address { return g.payTo }

// Admit implements PaymentGate: without X-Invoice-Id and X-Payment it
// answers 402 with an invoice; with them it checks the payment and admits
// the call, answers 402 pending, or refuses with 400.
func (g *Gate) Admit(w http.ResponseWriter, r *http.Request, route Route) bool {
	price, ok := g.prices[route]
	if !ok || price == 0 {
		return true
	}
	invID := strings.TrimSpace(r.Header.Get("X-Invoice-Id"))
	proof := strings.TrimSpace(r.Header.Get("X-Payment"))
	switch {
	case invID == "" && proof == "":
		g.issue(w, r, route, price)
		return false
	case invID == "" || proof == "":
		gateRefuse(w, "payment_rejected", "send X-Invoice-Id and X-Payment together")
		return false
	}

	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	g.sweepLocked(now)
	inv := g.invoices[invID]
	if inv == nil {
		gateRefuse(w, "payment_rejected", fmt.Sprintf("invoice %q is unknown (never issued, or expired and forgotten)", invID))
		return false
	}
	if inv.route != route {
		gateRefuse(w, "payment_rejected", fmt.Sprintf("invoice %s is for %s, not %s", inv.id, inv.route, route))
		return false
	}
	if inv.consumed && (inv.requestID == "" || gateRequestID(r) != inv.requestID) {
		// A used-up proof is served again only to the call it paid for (the
		// same request id, retried after a lost answer): a real gate
		// charges once.
		gateRefuse(w, "payment_rejected", fmt.Sprintf("invoice %s was already used for a call; pay a new invoice", inv.id))
		return false
	}
	if len(proof) == 64 && gateIsHex(proof) {
		return g.payLocked(w, inv, strings.ToLower(proof), nil, nil, now)
	}
	raw, err := hex.DecodeString(proof)
	if err != nil {
		gateRefuse(w, "payment_rejected", "X-Payment is neither a 64-hex transaction hash nor the hex CBOR of a signed transaction")
		return false
	}
	tx, err := ledger.Decode(raw)
	if err != nil {
		return g.failLocked(w, inv, ledger.Reason(err))
	}
	return g.payLocked(w, inv, tx.HashHex(), tx, raw, now)
}

// payLocked checks one payment of inv. With raw (X-Payment carried the
// signed CBOR) the server submits: the ledger verifies and applies the
// transaction, confirmed at once. Without it (X-Payment carried a hash) the
// sandbox wallet must have submitted it; it pays once confirmed.
func (g *Gate) payLocked(w http.ResponseWriter, inv *gateInvoice, hash string, tx *ledger.Tx, raw []byte, now time.Time) bool {
	if other, used := g.usedTx[hash]; used && other != inv.id {
		gateRefuse(w, "payment_rejected", fmt.Sprintf("transaction %s already paid invoice %s; one transaction pays one invoice", hash, other))
		return false
	}
	if inv.txHash != "" && inv.txHash != hash {
		gateRefuse(w, "payment_rejected", fmt.Sprintf("invoice %s was already paid by transaction %s", inv.id, inv.txHash))
		return false
	}
	if inv.txHash == "" {
		// A payment new to this invoice.
		if !now.Before(inv.expires) {
			gateRefuse(w, "invoice_expired", fmt.Sprintf("invoice %s expired at %s", inv.id, gateISO(inv.expires)))
			return false
		}
		rec, known := g.led.Transaction(hash)
		switch {
		case known:
			// Submitted earlier: the ledger checked its TTL then.
			tx = rec.Tx
		case raw == nil:
			return g.failLocked(w, inv, fmt.Sprintf("transaction %s is unknown to the sandbox ledger: submit it with the sandbox wallet first, or send the signed transaction CBOR in X-Payment", hash))
		}
		slot := uint64(0)
		if !known {
			slot = g.led.Network().Slot(now)
		}
		if reason := g.checkTx(inv, tx, slot); reason != "" {
			return g.failLocked(w, inv, reason)
		}
		if !known {
			if _, err := g.led.Apply(raw, 0); err != nil {
				return g.failLocked(w, inv, ledger.Reason(err))
			}
		}
		g.bindLocked(inv, hash)
	}
	// Paid by this transaction (now or in an earlier try): admit once the
	// ledger counts it confirmed; until then, 402 with status pending.
	if rec, _ := g.led.Transaction(hash); rec.Status != ledger.StatusConfirmed {
		g.writeInvoiceLocked(w, inv, now)
		return false
	}
	inv.consumed = true
	return true
}

func (g *Gate) bindLocked(inv *gateInvoice, hash string) {
	inv.txHash = hash
	inv.failure = ""
	g.usedTx[hash] = inv.id
}

// failLocked refuses a payment and remembers why (status "failed").
func (g *Gate) failLocked(w http.ResponseWriter, inv *gateInvoice, reason string) bool {
	if inv.txHash == "" {
		inv.failure = reason
	}
	gateRefuse(w, "payment_rejected", reason)
	return false
}

func gateIsHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
