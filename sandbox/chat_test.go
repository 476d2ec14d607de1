package sandbox

import (
	"encoding/base64"
	"image/color"
	"strings"
	"testing"
)

func TestChatReply(t *testing.T) {
	s := New(Config{})
	xss := `<img src=x onerror=alert(1)>`
	w := send(t, s, "POST", "/chat", map[string]any{
		"message": "Hello " + xss, "system": "Be brief.", "persona": "pirate", "profile": "dev",
		"session_id": "sess-1", "request_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
		"temperature": 0.7, "top_p": 0.9, "max_tokens": 1000, "meta": map[string]any{"k": 1}, "context": []any{1, "two"},
	}, "X-Request-Id", "hdr-id")
	wantStatus(t, w, 200)
	if !strings.Contains(w.Body.String(), xss) {
		t.Errorf("user text is not echoed verbatim in the JSON: %s", w.Body)
	}
	a := object(t, w)
	reply := a["reply"].(string)
	for _, want := range []string{"You said: Hello " + xss, "System prompt: Be brief.", "Persona: pirate", "Profile: dev"} {
		if !strings.Contains(reply, want) {
			t.Errorf("reply lacks %q: %s", want, reply)
		}
	}
	if a["provider"] != "sandbox" || a["model"] != "sandbox-echo-1" || a["reply_json"] != nil || a["balance_after"] != nil {
		t.Errorf("fields: %v", a)
	}
	if a["session_id"] != "sess-1" || a["request_id"] != "0f8fad5b-d9cb-469f-a165-70867728950e" {
		t.Errorf("ids: %v %v", a["session_id"], a["request_id"])
	}
	if tools := a["used_tools"].([]any); len(tools) != 0 {
		t.Errorf("tools: %v", tools)
	}
	if !strings.Contains(a["reasoning"].(string), "pirate") || a["finish_reason"] != "stop" {
		t.Errorf("reasoning %v finish %v", a["reasoning"], a["finish_reason"])
	}
	// Deterministic.
	w2 := send(t, s, "POST", "/chat", map[string]any{"message": "Hello " + xss, "system": "Be brief.", "persona": "pirate", "profile": "dev"})
	if object(t, w2)["reply"] != reply {
		t.Error("same input, different reply")
	}
	// Defaults: a new session, the request id of the header.
	a = object(t, send(t, s, "POST", "/chat", map[string]any{"message": "hi"}, "X-Request-Id", "hdr-id"))
	if !uuid4Re.MatchString(a["session_id"].(string)) || a["request_id"] != "hdr-id" {
		t.Errorf("defaults: %v %v", a["session_id"], a["request_id"])
	}
}

func TestChatTools(t *testing.T) {
	s := New(Config{})
	for _, c := range []struct{ msg, tool, mention string }{
		{"What does the token snek look like?", "token_analysis", "SNEK (Snek)"},
		{"Use a tool to count this", "text_stats", "words"},
		{"Tell me about HOSKY tokens", "token_analysis", "HOSKY"},
		{"just chatting", "", ""},
	} {
		a := object(t, send(t, s, "POST", "/chat", map[string]any{"message": c.msg}))
		tools := a["used_tools"].([]any)
		if c.tool == "" {
			if len(tools) != 0 {
				t.Errorf("%q: tools %v", c.msg, tools)
			}
			continue
		}
		if len(tools) != 1 || tools[0] != c.tool || !strings.Contains(a["reply"].(string), c.mention) {
			t.Errorf("%q: tools %v reply %q", c.msg, tools, a["reply"])
		}
	}
}

func TestChatStructured(t *testing.T) {
	s := New(Config{})
	msg := "Cardano wallets sign transactions. Wallets keep keys; wallets never share them."
	for _, target := range []string{"/chat?output=structured", "/chat"} {
		body := map[string]any{"message": msg}
		if target == "/chat" {
			body["output_mode"] = "structured"
		}
		a := object(t, send(t, s, "POST", target, body))
		rj, ok := a["reply_json"].(map[string]any)
		if !ok {
			t.Fatalf("%s: reply_json %v", target, a["reply_json"])
		}
		if rj["summary"] != "Cardano wallets sign transactions." || rj["length"] != float64(len(msg)) {
			t.Errorf("%s: %v", target, rj)
		}
		kw := rj["keywords"].([]any)
		if len(kw) == 0 || kw[0] != "wallets" {
			t.Errorf("keywords %v", kw)
		}
		if !strings.HasPrefix(a["reply"].(string), "Summary: Cardano wallets sign transactions.\nKeywords: wallets") {
			t.Errorf("reply %q", a["reply"])
		}
	}
}

func TestChatImage(t *testing.T) {
	s := New(Config{})
	uri := pngURI(t, solid(3, 2, color.RGBA{255, 0, 0, 255}))
	a := object(t, send(t, s, "POST", "/chat", map[string]any{"message": "what is this?", "image_data": uri}))
	if !strings.Contains(a["reply"].(string), "3x2 PNG, mean colour #ff0000") {
		t.Errorf("reply %q", a["reply"])
	}
	webp := "data:image/webp;base64," + base64.StdEncoding.EncodeToString([]byte("RIFF....WEBP"))
	a = object(t, send(t, s, "POST", "/chat", map[string]any{"message": "and this?", "image_data": webp}))
	if !strings.Contains(a["reply"].(string), "image/webp, 12 bytes") {
		t.Errorf("webp reply %q", a["reply"])
	}
	a = object(t, send(t, s, "POST", "/chat", map[string]any{"message": "m", "image_data": uri, "output_mode": "structured"}))
	if im := a["reply_json"].(map[string]any)["image"].(map[string]any); im["width"] != 3.0 || im["mean_color"] != "#ff0000" {
		t.Errorf("structured image %v", im)
	}
}

func TestChatMaxTokens(t *testing.T) {
	s := New(Config{})
	a := object(t, send(t, s, "POST", "/chat", map[string]any{"message": "one two three four five", "max_tokens": 3}))
	if a["reply"] != "You said: one " || a["finish_reason"] != "length" {
		t.Errorf("reply %q finish %v", a["reply"], a["finish_reason"])
	}
}

func TestWordFrames(t *testing.T) {
	for _, s := range []string{"", "a", "  lead", "a b\n\nc ", "trail   ", "é ü\tx"} {
		if got := strings.Join(wordFrames(s), ""); got != s {
			t.Errorf("%q: %q", s, got)
		}
	}
	if f := wordFrames("a  b c"); len(f) != 3 || f[0] != "a  " {
		t.Errorf("frames %q", f)
	}
}
