package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// ChatRequest is the body of POST /chat. Zero values are left out.
type ChatRequest struct {
	Message   string `json:"message"`
	SessionID string `json:"session_id,omitempty"`
	// ImageData is a data URI (see DataURI); at most MaxImageBytes decoded.
	ImageData string `json:"image_data,omitempty"`
	// OutputMode "structured" asks for reply_json.
	OutputMode  string          `json:"output_mode,omitempty"`
	System      string          `json:"system,omitempty"`
	Persona     string          `json:"persona,omitempty"`
	Profile     string          `json:"profile,omitempty"`
	Temperature *float64        `json:"temperature,omitempty"`
	TopP        *float64        `json:"top_p,omitempty"`
	MaxTokens   int             `json:"max_tokens,omitempty"`
	Meta        json.RawMessage `json:"meta,omitempty"`
	Context     json.RawMessage `json:"context,omitempty"`
}

// ChatResponse is the answer of POST /chat.
type ChatResponse struct {
	Reply        string          `json:"reply"`
	ReplyJSON    json.RawMessage `json:"reply_json"`
	UsedTools    json.RawMessage `json:"used_tools"`
	Provider     string          `json:"provider"`
	Model        string          `json:"model"`
	Reasoning    json.RawMessage `json:"reasoning"`
	BalanceAfter json.RawMessage `json:"balance_after"`
	// RequestID is the id the service echoed (X-Request-ID).
	RequestID string `json:"-"`
	// Raw is the whole answer as received.
	Raw json.RawMessage `json:"-"`
}

type chatBody struct {
	ChatRequest
	Stream    bool   `json:"stream,omitempty"`
	RequestID string `json:"request_id"`
}

func (s *ChatService) newCall(req ChatRequest, stream bool, opts []CallOption) (*call, error) {
	if req.Message == "" {
		return nil, Errorf(CodeInvalidRequest, "the chat message is empty")
	}
	if err := checkDataURI("image_data", req.ImageData); err != nil {
		return nil, err
	}
	cl := newCall("POST", "/chat", opts)
	if !isUUID(cl.cfg.requestID) {
		return nil, Errorf(CodeInvalidRequest, "the request id %q is not a UUID; the chat route requires request_id to be one", cl.cfg.requestID)
	}
	if req.OutputMode == "structured" {
		cl.query = map[string]string{"output": "structured"}
	}
	cl.stream = stream
	return cl, cl.setJSON(chatBody{ChatRequest: req, Stream: stream, RequestID: cl.cfg.requestID})
}

// Send posts a message and waits for the whole reply.
func (s *ChatService) Send(ctx context.Context, req ChatRequest, opts ...CallOption) (*ChatResponse, error) {
	cl, err := s.newCall(req, false, opts)
	if err != nil {
		return nil, err
	}
	res, err := s.client.send(ctx, cl)
	if err != nil {
		return nil, err
	}
	var out ChatResponse
	if err := decodeJSON(res, &out); err != nil {
		return nil, err
	}
	out.RequestID, out.Raw = res.requestID, res.data
	return &out, nil
}

// Stream posts a message and returns its reply as events. Close the stream
// to cancel the request. Retries happen only before the first event.
func (s *ChatService) Stream(ctx context.Context, req ChatRequest, opts ...CallOption) (*ChatStream, error) {
	cl, err := s.newCall(req, true, opts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	res, err := s.client.send(ctx, cl)
	if err != nil {
		cancel()
		return nil, err
	}
	st := &ChatStream{requestID: res.requestID, cancel: cancel, body: res.stream}
	if res.stream == nil || !strings.HasPrefix(strings.ToLower(res.header.Get("Content-Type")), "text/event-stream") {
		// A server that ignored stream:true answered whole: replay it as
		// one content event so callers see the same shape.
		if res.stream != nil {
			res.data, err = io.ReadAll(io.LimitReader(res.stream, maxBody))
			res.stream.Close()
			if err != nil {
				cancel()
				return nil, err
			}
		}
		var whole ChatResponse
		if err := decodeJSON(res, &whole); err != nil {
			cancel()
			return nil, err
		}
		data, _ := json.Marshal(map[string]string{"type": "content", "text": whole.Reply})
		st.pending = []ChatEvent{{Type: "content", Text: whole.Reply, Data: data}}
		st.body = nil
		return st, nil
	}
	st.events = NewEventReader(res.stream)
	return st, nil
}

// ChatStream is a streamed chat reply.
type ChatStream struct {
	requestID string
	cancel    context.CancelFunc
	body      io.ReadCloser
	events    *EventReader
	pending   []ChatEvent
	done      bool
	closed    bool
}

// RequestID is the id the service echoed for this stream.
func (s *ChatStream) RequestID() string { return s.requestID }

// Next returns the next event, or io.EOF after the end of the reply.
// Failures are *Error: network, timeout, aborted, or server_error for an
// oversized frame.
func (s *ChatStream) Next() (ChatEvent, error) {
	if len(s.pending) > 0 {
		ev := s.pending[0]
		s.pending = s.pending[1:]
		return ev, nil
	}
	if s.done || s.closed || s.events == nil {
		s.Close()
		return ChatEvent{}, io.EOF
	}
	for {
		ev, err := s.events.Next()
		if err != nil {
			s.Close()
			if err == io.EOF {
				return ChatEvent{}, io.EOF
			}
			var e *Error
			if errors.As(err, &e) {
				return ChatEvent{}, e
			}
			msg := "the event stream broke: " + err.Error()
			if errors.Is(err, ErrEventTooLarge) {
				msg = "the service sent an event larger than the SDK accepts"
			}
			return ChatEvent{}, &Error{Code: CodeServerError, RequestID: s.requestID, Message: msg, Err: err}
		}
		ce, done := ParseChatEvent(ev)
		if done {
			s.done = true
			s.Close()
			return ChatEvent{}, io.EOF
		}
		return ce, nil
	}
}

// Close cancels the request if it is still running. It is safe to call
// more than once.
func (s *ChatStream) Close() error {
	s.closed = true
	s.cancel()
	if s.body != nil {
		s.body.Close()
		s.body = nil
	}
	return nil
}

// decodeJSON parses a successful body; a body that is not the JSON the
// service promised is a server_error.
func decodeJSON(res *result, v any) error {
	if err := json.Unmarshal(res.data, v); err != nil {
		return &Error{Code: CodeServerError, Status: res.status, RequestID: res.requestID, Body: clipBody(res.data),
			Message: "the service answered with something that is not the expected JSON", Err: err}
	}
	return nil
}

// rawJSON returns a successful body that must be JSON, as received.
func rawJSON(res *result) (json.RawMessage, error) {
	if !json.Valid(res.data) {
		return nil, &Error{Code: CodeServerError, Status: res.status, RequestID: res.requestID, Body: clipBody(res.data),
			Message: "the service answered with something that is not JSON"}
	}
	return json.RawMessage(res.data), nil
}

func clipBody(b []byte) []byte {
	if len(b) > maxErrorBody {
		return b[:maxErrorBody]
	}
	return b
}
