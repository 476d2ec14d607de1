package client

import (
	"context"
	"encoding/json"
)

// TokenAnalysisRequest asks for a token report. The wire names are those of
// the service: token, policyId, assetNameHex, network; APIVersion travels in
// X-API-Version.
type TokenAnalysisRequest struct {
	Token        string `json:"token,omitempty"`
	PolicyID     string `json:"policyId,omitempty"`
	AssetNameHex string `json:"assetNameHex,omitempty"`
	Network      string `json:"network,omitempty"`
	// APIVersion is "1" or "2"; empty lets the service choose.
	APIVersion string `json:"-"`
}

// Analyze calls POST /token-analysis and returns the report as received
// (v1: analysis, riskLevel, marketData; v2: risk_engine, market, ...).
func (s *TokenService) Analyze(ctx context.Context, req TokenAnalysisRequest, opts ...CallOption) (json.RawMessage, error) {
	if req.Token == "" && req.PolicyID == "" {
		return nil, Errorf(CodeInvalidRequest, "name a token or a policy id to analyse")
	}
	if req.APIVersion != "" && req.APIVersion != "1" && req.APIVersion != "2" {
		return nil, Errorf(CodeInvalidRequest, "apiVersion must be \"1\" or \"2\", not %q", req.APIVersion)
	}
	cl := newCall("POST", "/token-analysis", opts)
	if req.APIVersion != "" {
		cl.header.Set("X-API-Version", req.APIVersion)
	}
	if err := cl.setJSON(req); err != nil {
		return nil, err
	}
	res, err := s.client.send(ctx, cl)
	if err != nil {
		return nil, err
	}
	return rawJSON(res)
}
