package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
)

type textFrame struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type toolCallFrame struct {
	Type string         `json:"type"`
	Name string         `json:"name"`
	Args map[string]any `json:"args"`
}

type toolResultFrame struct {
	Type string `json:"type"`
	Name string `json:"name"`
	OK   bool   `json:"ok"`
}

const (
	sseKeepAlive = ": keep-alive\n\n"
	sseDone      = "data: [DONE]\n\n"
)

// sseFrame renders v as "data: {json}\n\n".
func sseFrame(v any) []byte {
	var buf bytes.Buffer
	buf.WriteString("data: ")
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(v) // the values are plain structs: no error
	buf.Truncate(buf.Len() - 1)
	buf.WriteString("\n\n")
	return buf.Bytes()
}

// chatFrames lists the SSE frames of an answer: reasoning, tool call and
// result, the reply word by word, [DONE].
func chatFrames(a *chatAnswer) [][]byte {
	var frames [][]byte
	for _, t := range a.reasoning {
		frames = append(frames, sseFrame(textFrame{"reasoning", t}))
	}
	if a.tool != nil {
		frames = append(frames, sseFrame(toolCallFrame{"tool_call", a.tool.name, a.tool.args}))
		frames = append(frames, sseFrame(toolResultFrame{"tool_result", a.tool.name, true}))
	}
	for _, t := range a.content {
		frames = append(frames, sseFrame(textFrame{"content", t}))
	}
	return append(frames, []byte(sseDone))
}

// streamChat writes the answer as text/event-stream, flushing every frame,
// pausing s.delay between frames, and stopping as soon as the client leaves.
func (s *Server) streamChat(w http.ResponseWriter, r *http.Request, a *chatAnswer) {
	flusher, _ := w.(http.Flusher)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	ctx := r.Context()
	send := func(b []byte) bool {
		if ctx.Err() != nil {
			return false
		}
		if _, err := w.Write(b); err != nil {
			return false
		}
		if flusher != nil {
			flusher.Flush()
		}
		return true
	}
	if !send([]byte(sseKeepAlive)) {
		return
	}
	var timer *time.Timer
	if s.delay > 0 {
		timer = time.NewTimer(s.delay)
		defer timer.Stop()
	}
	for _, frame := range chatFrames(a) {
		if timer != nil {
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
				timer.Reset(s.delay)
			}
		}
		if !send(frame) {
			return
		}
	}
}
