package sandbox

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"

	"golang.org/x/crypto/blake2b"
)

// tokenInfo is one embedded Cardano native token. Identities (policy id,
// asset name, decimals, supply) are the real ones; prices and every market
// figure derived from them are illustrative sandbox data.
type tokenInfo struct {
	Ticker       string
	Name         string
	PolicyID     string
	AssetNameHex string
	Decimals     int
	Supply       float64 // total supply in whole tokens
	Category     string  // meme, dex, stablecoin, utility
	Project      string
	Website      string
	PriceUSD     float64 // illustrative
	Description  string
}

var knownTokens = []*tokenInfo{
	{Ticker: "SNEK", Name: "Snek", PolicyID: "279c909f348e533da5808898f87f9a14bb2c3dfbbacccd631d927a3f", AssetNameHex: "534e454b",
		Decimals: 0, Supply: 76_715_880_000, Category: "meme", Project: "Snek", Website: "https://www.snek.com", PriceUSD: 0.0025,
		Description: "Community meme token of Cardano."},
	{Ticker: "HOSKY", Name: "Hosky Token", PolicyID: "a0028f350aaabe0545fdcb56b039bfb08e4bb4d8c4d7c3c7d481c235", AssetNameHex: "484f534b59",
		Decimals: 0, Supply: 1_000_000_000_000_000, Category: "meme", Project: "HOSKY", Website: "https://hosky.io", PriceUSD: 0.00000004,
		Description: "Self-described 'quality meme coin' of Cardano, widely airdropped."},
	{Ticker: "MIN", Name: "Minswap", PolicyID: "29d222ce763455e3d7a09a665ce554f00ac89d2e99a1a83d267170c6", AssetNameHex: "4d494e",
		Decimals: 6, Supply: 5_000_000_000, Category: "dex", Project: "Minswap DEX", Website: "https://minswap.org", PriceUSD: 0.015,
		Description: "Governance and reward token of the Minswap decentralised exchange."},
	{Ticker: "iUSD", Name: "Indigo iUSD", PolicyID: "f66d78b4a3cb3d37afa0ec36461e51ecbde00f26c8f0a68f94b69880", AssetNameHex: "69555344",
		Decimals: 6, Supply: 12_000_000, Category: "stablecoin", Project: "Indigo Protocol", Website: "https://indigoprotocol.io", PriceUSD: 1.0,
		Description: "Synthetic US dollar (iAsset) minted against collateral in Indigo Protocol CDPs."},
	{Ticker: "WMT", Name: "World Mobile Token", PolicyID: "1d7f33bd23d85e1a25d87d86fac4f199c3197a2f7afeb662a0f34e1e", AssetNameHex: "776f726c646d6f62696c65746f6b656e",
		Decimals: 6, Supply: 2_000_000_000, Category: "utility", Project: "World Mobile", Website: "https://worldmobiletoken.com", PriceUSD: 0.12,
		Description: "Utility token of the World Mobile decentralised telecom network."},
}

// networks the route accepts (the embedded tokens all live on cardano).
var networks = []string{"cardano", "ethereum", "base", "solana", "polygon", "avalanche"}

// illustrative ADA price for ADA-denominated figures.
const adaUSD = 0.45

func tokenByTicker(s string) *tokenInfo {
	for _, t := range knownTokens {
		if strings.EqualFold(t.Ticker, s) {
			return t
		}
	}
	return nil
}

// findToken resolves a request: policyId (+ assetNameHex) wins over token,
// which may be a ticker, a name, a fingerprint or a unit (policy[.]name hex).
func findToken(token, policyID, assetNameHex string) *tokenInfo {
	policyID, assetNameHex = strings.ToLower(policyID), strings.ToLower(assetNameHex)
	if policyID != "" {
		for _, t := range knownTokens {
			if t.PolicyID == policyID && (assetNameHex == "" || t.AssetNameHex == assetNameHex) {
				return t
			}
		}
		return nil
	}
	if t := tokenByTicker(strings.TrimPrefix(token, "$")); t != nil {
		return t
	}
	low := strings.ToLower(strings.TrimSpace(token))
	for _, t := range knownTokens {
		if low == strings.ToLower(t.Name) || low == fingerprint(t) || low == t.PolicyID+t.AssetNameHex || low == t.PolicyID+"."+t.AssetNameHex {
			return t
		}
	}
	return nil
}

// fingerprint is the CIP-14 asset fingerprint (bech32 "asset" of
// blake2b-160(policy id ‖ asset name)).
func fingerprint(t *tokenInfo) string {
	p, _ := hex.DecodeString(t.PolicyID)
	n, _ := hex.DecodeString(t.AssetNameHex)
	h, _ := blake2b.New(20, nil)
	h.Write(p)
	h.Write(n)
	return bech32("asset", h.Sum(nil))
}

func bech32(hrp string, data []byte) string {
	const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	var five []byte // regroup 8-bit bytes into 5-bit groups
	acc, bits := 0, 0
	for _, b := range data {
		acc = acc<<8 | int(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			five = append(five, byte(acc>>bits&31))
		}
	}
	if bits > 0 {
		five = append(five, byte(acc<<(5-bits)&31))
	}
	polymod := func(v []byte) uint32 {
		gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
		chk := uint32(1)
		for _, x := range v {
			top := chk >> 25
			chk = (chk&0x1ffffff)<<5 ^ uint32(x)
			for i := 0; i < 5; i++ {
				if top>>i&1 == 1 {
					chk ^= gen[i]
				}
			}
		}
		return chk
	}
	var v []byte
	for i := 0; i < len(hrp); i++ {
		v = append(v, hrp[i]>>5)
	}
	v = append(v, 0)
	for i := 0; i < len(hrp); i++ {
		v = append(v, hrp[i]&31)
	}
	v = append(v, five...)
	mod := polymod(append(v, 0, 0, 0, 0, 0, 0)) ^ 1
	var sb strings.Builder
	sb.WriteString(hrp)
	sb.WriteByte('1')
	for _, x := range five {
		sb.WriteByte(charset[x])
	}
	for i := 0; i < 6; i++ {
		sb.WriteByte(charset[mod>>(5*(5-i))&31])
	}
	return sb.String()
}

// report holds the deterministic figures for one token.
type report struct {
	t                    *tokenInfo
	score                int
	level                string
	factors              []map[string]any
	priceUSD, change24h  float64
	circulating          float64
	marketCap, volume24h float64
	liquidityUSD         float64
	holders              int
	top10Pct, top1Pct    float64
}

// unit returns a deterministic number in [0,1) for (token, label).
func unit(t *tokenInfo, label string) float64 {
	h := sha256.Sum256([]byte(t.PolicyID + t.AssetNameHex + "/" + label))
	return float64(binary.BigEndian.Uint64(h[:8])>>11) / (1 << 53)
}

func riskLevel(score int) string {
	switch {
	case score < 35:
		return "low"
	case score < 65:
		return "medium"
	}
	return "high"
}

func newReport(t *tokenInfo, network string) *report {
	r := &report{t: t, priceUSD: t.PriceUSD}
	// Factor scores (0 = safe, 100 = risky), by category then jittered.
	base := map[string][5]float64{ // concentration, liquidity, mint policy, volatility, maturity
		"meme":       {55, 45, 20, 85, 50},
		"dex":        {40, 30, 25, 55, 30},
		"stablecoin": {30, 35, 45, 10, 30},
		"utility":    {45, 40, 25, 50, 35},
	}[t.Category]
	names := []string{"holder_concentration", "liquidity_depth", "mint_policy", "price_volatility", "project_maturity"}
	weights := []float64{0.25, 0.25, 0.15, 0.2, 0.15}
	details := []string{
		"share of supply held by the largest wallets",
		"depth of DEX pools against ADA",
		"whether new tokens can still be minted",
		"illustrative 30-day price swings",
		"age and track record of the project",
	}
	total := 0.0
	for i, n := range names {
		s := base[i] + 10*unit(t, n) - 5
		s = float64(int(s + 0.5))
		total += s * weights[i]
		impact := "neutral"
		if s >= 60 {
			impact = "negative"
		} else if s < 35 {
			impact = "positive"
		}
		r.factors = append(r.factors, map[string]any{"name": n, "score": int(s), "weight": weights[i], "impact": impact, "detail": details[i]})
	}
	r.score = int(total + 0.5)
	r.level = riskLevel(r.score)
	r.change24h = float64(int((unit(t, "change")*16-8)*100)) / 100
	if t.Category == "stablecoin" {
		r.change24h /= 20
	}
	r.circulating = t.Supply * (0.55 + 0.4*unit(t, "circulating"))
	r.marketCap = r.circulating * r.priceUSD
	r.volume24h = r.marketCap * (0.005 + 0.03*unit(t, "volume"))
	r.liquidityUSD = r.marketCap * (0.01 + 0.04*unit(t, "liquidity"))
	r.holders = 5000 + int(unit(t, "holders")*90000)
	r.top10Pct = float64(int((12+30*unit(t, "top10"))*10)) / 10
	r.top1Pct = float64(int(r.top10Pct*(0.15+0.2*unit(t, "top1"))*10)) / 10
	return r
}

// priceString formats a small price without exponent.
func priceString(p float64) string {
	s := strings.TrimRight(strings.TrimRight(formatFloat(p, 10), "0"), ".")
	if s == "" {
		return "0"
	}
	return s
}
