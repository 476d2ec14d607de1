package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// readFrames splits a raw SSE body into its "data: " payloads, checking the
// keep-alive comment first and the exact framing of every frame.
func readFrames(t *testing.T, raw string) []string {
	t.Helper()
	rest, ok := strings.CutPrefix(raw, ": keep-alive\n\n")
	if !ok {
		t.Fatalf("no keep-alive comment first: %.80q", raw)
	}
	var out []string
	for rest != "" {
		frame, after, ok := strings.Cut(rest, "\n\n")
		if !ok {
			t.Fatalf("unterminated frame %q", rest)
		}
		data, ok := strings.CutPrefix(frame, "data: ")
		if !ok || strings.Contains(data, "\n") {
			t.Fatalf("bad frame %q", frame)
		}
		out = append(out, data)
		rest = after
	}
	return out
}

func TestStream(t *testing.T) {
	s := New(Config{StreamDelay: time.Millisecond})
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, msg := range []string{"Run the token tool on SNEK <b>now</b>", "plain   words\nand lines", "x"} {
		body, _ := json.Marshal(map[string]any{"message": msg, "stream": true, "session_id": "s1", "system": "sys"})
		resp, err := http.Post(srv.URL+"/chat", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" || resp.Header.Get("Cache-Control") != "no-cache" {
			t.Fatalf("%d %v", resp.StatusCode, resp.Header)
		}
		frames := readFrames(t, string(raw))
		if frames[len(frames)-1] != "[DONE]" || !strings.HasSuffix(string(raw), "\n\ndata: [DONE]\n\n") {
			t.Fatalf("does not end with [DONE]: %q", raw)
		}
		order := map[string]int{"reasoning": 0, "tool_call": 1, "tool_result": 2, "content": 3}
		last := 0
		var content, reasoning strings.Builder
		var types []string
		for _, f := range frames[:len(frames)-1] {
			var ev struct {
				Type, Text, Name string
				OK               *bool
				Args             map[string]any
			}
			if err := json.Unmarshal([]byte(f), &ev); err != nil {
				t.Fatalf("frame %q: %v", f, err)
			}
			if order[ev.Type] < last {
				t.Errorf("%s after a later kind of frame", ev.Type)
			}
			last = order[ev.Type]
			types = append(types, ev.Type)
			switch ev.Type {
			case "content":
				content.WriteString(ev.Text)
			case "reasoning":
				reasoning.WriteString(ev.Text)
			case "tool_call":
				if ev.Name != "token_analysis" || ev.Args["token"] != "SNEK" {
					t.Errorf("tool_call %s", f)
				}
			case "tool_result":
				if ev.OK == nil || !*ev.OK || f != `{"type":"tool_result","name":"token_analysis","ok":true}` {
					t.Errorf("tool_result %s", f)
				}
			default:
				t.Errorf("unknown frame %s", f)
			}
		}
		if types[0] != "reasoning" {
			t.Errorf("first frame %s", types[0])
		}
		plain := object(t, send(t, s, "POST", "/chat", map[string]any{"message": msg, "session_id": "s1", "system": "sys"}))
		if content.String() != plain["reply"] {
			t.Errorf("streamed %q\nplain    %q", content.String(), plain["reply"])
		}
		if reasoning.String() != plain["reasoning"] {
			t.Errorf("reasoning %q vs %q", reasoning.String(), plain["reasoning"])
		}
		if strings.Contains(msg, "<b>") && !strings.Contains(string(raw), "<b>now</b>") {
			t.Error("HTML escaped in frames")
		}
	}
}

func TestStreamFrameBytes(t *testing.T) {
	if got := string(sseFrame(textFrame{"content", "a <b> "})); got != "data: {\"type\":\"content\",\"text\":\"a <b> \"}\n\n" {
		t.Errorf("%q", got)
	}
}

// cancelWriter cancels the request after a few writes and counts them.
type cancelWriter struct {
	mu     sync.Mutex
	header http.Header
	writes int
	after  int
	cancel context.CancelFunc
}

func (c *cancelWriter) Header() http.Header { return c.header }
func (c *cancelWriter) WriteHeader(int)     {}
func (c *cancelWriter) Flush()              {}
func (c *cancelWriter) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	if c.writes == c.after {
		c.cancel()
	}
	return len(b), nil
}

func TestStreamStopsOnCancel(t *testing.T) {
	s := New(Config{StreamDelay: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	body := `{"message":"` + strings.Repeat("word ", 200) + `","stream":true}`
	r := httptest.NewRequest("POST", "/chat", strings.NewReader(body)).WithContext(ctx)
	w := &cancelWriter{header: http.Header{}, after: 3, cancel: cancel}
	done := make(chan struct{})
	start := time.Now()
	go func() {
		s.ServeHTTP(w, r)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("handler still streaming after the client left")
	}
	if w.writes != 3 {
		t.Errorf("%d writes after cancel at 3", w.writes)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
}

func TestStreamNoDelay(t *testing.T) {
	s := New(Config{StreamDelay: -1})
	w := send(t, s, "POST", "/chat", map[string]any{"message": "fast", "stream": "true"})
	wantStatus(t, w, 200)
	frames := readFrames(t, w.Body.String())
	if len(frames) < 4 {
		t.Errorf("frames %q", frames)
	}
}
