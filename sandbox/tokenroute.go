package sandbox

import (
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

const tokenCacheTTL = 5 * time.Minute

// tokenCache remembers when each (network, token, version) report was made,
// like the real service's cache: within the TTL the same report is answered
// with cached:true.
type tokenCache struct {
	mu   sync.Mutex
	made map[string]time.Time
}

func newTokenCache() *tokenCache { return &tokenCache{made: map[string]time.Time{}} }

// get returns when the report for key was generated and whether it came from
// the cache; bypass forces a fresh one (which is then cached).
func (c *tokenCache) get(key string, now time.Time, bypass bool) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.made[key]; ok && !bypass && now.Sub(t) < tokenCacheTTL {
		return t, true
	}
	c.made[key] = now // keys are bounded: known tokens × networks × versions
	return now, false
}

var (
	policyRe    = regexp.MustCompile(`^[0-9a-fA-F]{56}$`)
	assetNameRe = regexp.MustCompile(`^(?:[0-9a-fA-F]{2}){0,32}$`)
)

const sandboxNote = "Sandbox data: illustrative figures, not market data"

func formatFloat(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }

// round keeps n significant digits (figures read better and stay stable).
func round(x float64, n int) float64 {
	if x == 0 {
		return 0
	}
	p := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

// POST /token-analysis
//
// The version comes from the body's api_version when present, else from the
// X-API-Version header, else "1": the body is the explicit per-call choice.
func (s *Server) tokenAnalysis(w http.ResponseWriter, r *http.Request, c *call) {
	body, ok := readJSON(w, r, smallBodyLimit)
	if !ok {
		return
	}
	hf := newFields("header", map[string]any{})
	if v := r.Header.Get("X-API-Version"); v != "" {
		hf.values["x-api-version"] = v
	}
	headerVersion, _ := hf.choice("x-api-version", "literal_error", "1", "2")
	f := newFields("body", body)
	f.errs = hf.errs
	token, _ := f.str("token", false, 1, 128)
	policyID, _ := f.pattern("policyId", policyRe, policyRe.String())
	assetName, _ := f.pattern("assetNameHex", assetNameRe, assetNameRe.String())
	network, _ := f.choice("network", "enum", networks...)
	version, _ := f.choice("api_version", "literal_error", "1", "2")
	if len(f.errs) == 0 && token == "" && policyID == "" {
		f.errs = append(f.errs, fieldError{Type: "value_error", Loc: []any{"body"},
			Msg: "Value error, either token or policyId is required", Input: echo(body), Ctx: map[string]any{"error": map[string]any{}}})
	}
	if len(f.errs) > 0 {
		writeValidation(w, f.errs)
		return
	}
	if network == "" {
		network = "cardano"
	}
	if version == "" {
		version = headerVersion
	}
	if version == "" {
		version = "1"
	}
	t := findToken(token, policyID, assetName)
	if t == nil || network != "cardano" {
		writeDetail(w, http.StatusNotFound, "Token not found")
		return
	}
	if !s.admit(w, r, c, RouteTokenAnalysis) {
		return
	}
	bypass := strings.TrimSpace(r.Header.Get("x-bypass-cache")) == "1"
	made, cached := s.tokens.get(network+"|"+t.PolicyID+t.AssetNameHex+"|"+version, s.now(), bypass)
	rep := newReport(t, network)
	w.Header().Set("X-Cache", map[bool]string{true: "HIT", false: "MISS"}[cached])
	if version == "2" {
		writeJSON(w, http.StatusOK, reportV2(rep, network, made, cached))
		return
	}
	writeJSON(w, http.StatusOK, reportV1(rep, network, made, cached))
}

func reportV1(r *report, network string, made time.Time, cached bool) map[string]any {
	t := r.t
	strengths, concerns := []string{}, []string{}
	for _, f := range r.factors {
		switch f["impact"] {
		case "positive":
			strengths = append(strengths, f["detail"].(string))
		case "negative":
			concerns = append(concerns, f["detail"].(string))
		}
	}
	return map[string]any{
		"token":        t.Ticker,
		"name":         t.Name,
		"policyId":     t.PolicyID,
		"assetNameHex": t.AssetNameHex,
		"fingerprint":  fingerprint(t),
		"network":      network,
		"analysis": map[string]any{
			"summary": t.Name + " (" + t.Ticker + "): " + t.Description + " Sandbox risk score " +
				strconv.Itoa(r.score) + "/100 (" + r.level + "). " + sandboxNote + ".",
			"strengths":      strengths,
			"concerns":       concerns,
			"recommendation": "Do your own research; these sandbox figures are not advice.",
		},
		"riskLevel": r.level,
		"riskScore": r.score,
		"marketData": map[string]any{
			"priceUsd":          r.priceUSD,
			"priceAda":          round(r.priceUSD/adaUSD, 6),
			"marketCapUsd":      round(r.marketCap, 6),
			"volume24hUsd":      round(r.volume24h, 6),
			"liquidityUsd":      round(r.liquidityUSD, 6),
			"change24hPct":      r.change24h,
			"circulatingSupply": round(r.circulating, 6),
			"totalSupply":       t.Supply,
			"decimals":          t.Decimals,
			"holders":           r.holders,
		},
		"cached":       cached,
		"generated_at": made.UTC().Format(time.RFC3339),
		"api_version":  "1",
		"sandbox":      true,
		"note":         sandboxNote,
	}
}

func reportV2(r *report, network string, made time.Time, cached bool) map[string]any {
	t := r.t
	minted := "native script, locked"
	locked := true
	if t.Category == "stablecoin" {
		minted, locked = "Plutus script (minted against collateral)", false
	}
	flags := []string{}
	if !locked {
		flags = append(flags, "mintable_supply")
	}
	if r.top10Pct > 35 {
		flags = append(flags, "concentrated_holders")
	}
	tvl := round(r.liquidityUSD, 6)
	return map[string]any{
		"token": map[string]any{
			"ticker": t.Ticker, "name": t.Name, "policy_id": t.PolicyID, "asset_name_hex": t.AssetNameHex,
			"fingerprint": fingerprint(t), "network": network, "decimals": t.Decimals,
			"project": t.Project, "website": t.Website, "category": t.Category,
		},
		"risk_engine": map[string]any{
			"score":   r.score,
			"level":   r.level,
			"factors": r.factors,
			"model":   "sandbox-risk-1",
		},
		"market": map[string]any{
			"price_usd":          r.priceUSD,
			"price_ada":          round(r.priceUSD/adaUSD, 6),
			"market_cap_usd":     round(r.marketCap, 6),
			"fdv_usd":            round(t.Supply*r.priceUSD, 6),
			"volume_24h_usd":     round(r.volume24h, 6),
			"change_24h_pct":     r.change24h,
			"circulating_supply": round(r.circulating, 6),
			"total_supply":       t.Supply,
		},
		"liquidity": map[string]any{
			"total_usd":      tvl,
			"depth_2pct_usd": round(tvl*0.04, 4),
			"pools": []map[string]any{
				{"dex": "Minswap", "pair": t.Ticker + "/ADA", "tvl_usd": round(tvl*0.6, 4)},
				{"dex": "SundaeSwap", "pair": t.Ticker + "/ADA", "tvl_usd": round(tvl*0.25, 4)},
				{"dex": "WingRiders", "pair": t.Ticker + "/ADA", "tvl_usd": round(tvl*0.15, 4)},
			},
		},
		"holders": map[string]any{
			"count":     r.holders,
			"top10_pct": r.top10Pct,
			"top1_pct":  r.top1Pct,
		},
		"security": map[string]any{
			"mint_policy":    minted,
			"minting_locked": locked,
			"verified":       true,
			"flags":          flags,
		},
		"data_quality": map[string]any{
			"score":   40,
			"sources": []string{"sandbox"},
			"notes":   sandboxNote + ": token identities are real, every figure is generated.",
		},
		"_meta": map[string]any{
			"api_version":  "2",
			"cached":       cached,
			"generated_at": made.UTC().Format(time.RFC3339),
			"sandbox":      true,
			"note":         sandboxNote,
		},
	}
}
