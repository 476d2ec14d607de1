package sandbox

import (
	"testing"
	"time"
)

func TestFingerprint(t *testing.T) {
	// CIP-14 fingerprint of HOSKY as published by its project.
	if got := fingerprint(tokenByTicker("hosky")); got != "asset17q7r59zlc3dgw0venc80pdv566q6yguw03f0d9" {
		t.Errorf("HOSKY fingerprint %s", got)
	}
}

func TestTokenLookup(t *testing.T) {
	s := New(Config{})
	snek := "279c909f348e533da5808898f87f9a14bb2c3dfbbacccd631d927a3f"
	for _, c := range []struct {
		body   map[string]any
		ticker string
	}{
		{map[string]any{"token": "snek"}, "SNEK"},
		{map[string]any{"token": "$SNEK"}, "SNEK"},
		{map[string]any{"token": "iusd"}, "iUSD"},
		{map[string]any{"token": "World Mobile Token"}, "WMT"},
		{map[string]any{"token": snek + ".534e454b"}, "SNEK"},
		{map[string]any{"token": "asset17q7r59zlc3dgw0venc80pdv566q6yguw03f0d9"}, "HOSKY"},
		{map[string]any{"policyId": snek, "assetNameHex": "534E454B"}, "SNEK"},
		{map[string]any{"policyId": "29d222ce763455e3d7a09a665ce554f00ac89d2e99a1a83d267170c6"}, "MIN"},
		{map[string]any{"policyId": "1d7f33bd23d85e1a25d87d86fac4f199c3197a2f7afeb662a0f34e1e", "assetNameHex": "776f726c646d6f62696c65746f6b656e", "network": "cardano"}, "WMT"},
	} {
		w := send(t, s, "POST", "/token-analysis", c.body)
		wantStatus(t, w, 200)
		if got := object(t, w)["token"]; got != c.ticker {
			t.Errorf("%v: %v", c.body, got)
		}
	}
	for _, body := range []map[string]any{
		{"token": "NOPE"},
		{"policyId": snek, "assetNameHex": "00"},
		{"token": "SNEK", "network": "ethereum"},
	} {
		w := send(t, s, "POST", "/token-analysis", body)
		if w.Code != 404 || detail(t, w) != "Token not found" {
			t.Errorf("%v: %d %s", body, w.Code, w.Body)
		}
	}
}

func TestTokenReports(t *testing.T) {
	s := New(Config{})
	v1 := object(t, send(t, s, "POST", "/token-analysis", map[string]any{"token": "SNEK"}))
	if v1["sandbox"] != true || v1["policyId"] != "279c909f348e533da5808898f87f9a14bb2c3dfbbacccd631d927a3f" || v1["assetNameHex"] != "534e454b" {
		t.Errorf("v1 identity %v", v1)
	}
	if _, ok := v1["analysis"].(map[string]any)["summary"].(string); !ok {
		t.Error("v1 analysis.summary")
	}
	switch v1["riskLevel"] {
	case "low", "medium", "high":
	default:
		t.Errorf("riskLevel %v", v1["riskLevel"])
	}
	md := v1["marketData"].(map[string]any)
	for _, k := range []string{"priceUsd", "marketCapUsd", "volume24hUsd"} {
		if _, ok := md[k].(float64); !ok {
			t.Errorf("marketData.%s: %v", k, md[k])
		}
	}

	for _, how := range []struct {
		body map[string]any
		hdr  []string
	}{
		{map[string]any{"token": "MIN", "api_version": "2"}, nil},
		{map[string]any{"token": "MIN"}, []string{"X-API-Version", "2"}},
	} {
		v2 := object(t, send(t, s, "POST", "/token-analysis", how.body, how.hdr...))
		re := v2["risk_engine"].(map[string]any)
		if sc := re["score"].(float64); sc < 0 || sc > 100 || re["level"] != riskLevel(int(sc)) || len(re["factors"].([]any)) == 0 {
			t.Errorf("risk_engine %v", re)
		}
		for _, k := range []string{"market", "liquidity", "holders", "security", "data_quality"} {
			if _, ok := v2[k].(map[string]any); !ok {
				t.Errorf("v2 lacks %s", k)
			}
		}
		meta := v2["_meta"].(map[string]any)
		if meta["api_version"] != "2" || meta["sandbox"] != true || meta["note"] != "Sandbox data: illustrative figures, not market data" {
			t.Errorf("_meta %v", meta)
		}
	}
	// The body wins over the header.
	v := object(t, send(t, s, "POST", "/token-analysis", map[string]any{"token": "MIN", "api_version": "1"}, "X-API-Version", "2"))
	if v["api_version"] != "1" {
		t.Errorf("body version lost: %v", v["api_version"])
	}
	// Deterministic figures.
	again := object(t, send(t, s, "POST", "/token-analysis", map[string]any{"token": "SNEK"}, "x-bypass-cache", "1"))
	if again["marketData"].(map[string]any)["marketCapUsd"] != md["marketCapUsd"] || again["riskLevel"] != v1["riskLevel"] {
		t.Error("figures changed between calls")
	}
}

func TestTokenCache(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s := New(Config{Now: func() time.Time { return now }})
	ask := func(hdr ...string) map[string]any {
		return object(t, send(t, s, "POST", "/token-analysis", map[string]any{"token": "WMT"}, hdr...))
	}
	if ask()["cached"] != false {
		t.Error("first call cached")
	}
	second := ask()
	if second["cached"] != true {
		t.Error("second call not cached")
	}
	if ask("x-bypass-cache", "1")["cached"] != false {
		t.Error("bypass answered from cache")
	}
	now = now.Add(tokenCacheTTL + time.Second)
	if ask()["cached"] != false {
		t.Error("expired entry answered")
	}
	// Versions are cached apart.
	v2 := object(t, send(t, s, "POST", "/token-analysis", map[string]any{"token": "WMT", "api_version": "2"}))
	if v2["_meta"].(map[string]any)["cached"] != false {
		t.Error("v2 answered from the v1 entry")
	}
	v2 = object(t, send(t, s, "POST", "/token-analysis", map[string]any{"token": "WMT", "api_version": "2"}))
	if v2["_meta"].(map[string]any)["cached"] != true {
		t.Error("v2 not cached")
	}
}
