package client

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// readAll reads every event of er and the error that ended the stream.
func readAll(er *EventReader) ([]Event, error) {
	var evs []Event
	for {
		ev, err := er.Next()
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev)
		if len(evs) > 1e6 {
			return evs, errors.New("too many events")
		}
	}
}

// chunkReader returns its data in reads of the given sizes, then the rest.
type chunkReader struct {
	data   []byte
	sizes  []int
	onRead func() // called on each Read, when set
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if c.onRead != nil {
		c.onRead()
	}
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := len(c.data)
	if len(c.sizes) > 0 {
		n = min(c.sizes[0], n)
		c.sizes = c.sizes[1:]
	}
	n = copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

func msg(data string) Event { return Event{Type: "message", Data: data} }

func TestEventReader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		stream string
		want   []Event
		limit  int
		err    error // the error after the events; io.EOF when nil
	}{
		{name: "empty", stream: ""},
		{name: "LF", stream: "data: a\n\ndata: b\n\n", want: []Event{msg("a"), msg("b")}},
		{name: "CRLF", stream: "data: a\r\n\r\ndata: b\r\n\r\n", want: []Event{msg("a"), msg("b")}},
		{name: "CR", stream: "data: a\r\rdata: b\r\r", want: []Event{msg("a"), msg("b")}},
		{name: "mixed line ends", stream: "data: a\rdata: b\r\ndata: c\n\r\n", want: []Event{msg("a\nb\nc")}},
		{name: "LF CR is two line ends", stream: "data: a\n\rdata: b\n\n", want: []Event{msg("a"), msg("b")}},
		{name: "multi-line data", stream: "data: one\ndata: two\ndata:\ndata: three\n\n", want: []Event{msg("one\ntwo\n\nthree")}},
		{name: "one space stripped", stream: "data:  two spaces\ndata:none\n\n", want: []Event{msg(" two spaces\nnone")}},
		{name: "tab kept", stream: "data:\tx\n\n", want: []Event{msg("\tx")}},
		{name: "field without colon", stream: "data\n\n", want: []Event{msg("")}},
		{name: "two empty data lines", stream: "data\ndata\n\n", want: []Event{msg("\n")}},
		{name: "colon in value", stream: "data: a: b:c\n\n", want: []Event{msg("a: b:c")}},
		{name: "comments ignored", stream: ": hello\n:\ndata: x\n: mid\n\n: bye\n\n", want: []Event{msg("x")}},
		{name: "no data no event", stream: "event: ping\n\nid: 1\n\n\n\n", want: nil},
		{name: "event type", stream: "event: update\ndata: 1\n\ndata: 2\n\n", want: []Event{{Type: "update", Data: "1"}, msg("2")}},
		{name: "event type reset by empty event", stream: "event: x\n\ndata: 2\n\n", want: []Event{msg("2")}},
		{name: "empty event name is message", stream: "event:\ndata: 1\n\n", want: []Event{msg("1")}},
		{name: "unknown fields ignored", stream: "foo: bar\nDATA: no\ndata : no\ndata: yes\n\n", want: []Event{msg("yes")}},
		{name: "id persists", stream: "id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n",
			want: []Event{{Type: "message", Data: "a", ID: "1"}, {Type: "message", Data: "b", ID: "1"}, {Type: "message", Data: "c", ID: "2"}}},
		{name: "id set by event without data", stream: "id: 7\n\ndata: a\n\n", want: []Event{{Type: "message", Data: "a", ID: "7"}}},
		{name: "id with NUL ignored", stream: "id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n",
			want: []Event{{Type: "message", Data: "a", ID: "1"}, {Type: "message", Data: "b", ID: "1"}}},
		{name: "empty id resets", stream: "id: 1\ndata: a\n\nid\ndata: b\n\n",
			want: []Event{{Type: "message", Data: "a", ID: "1"}, {Type: "message", Data: "b"}}},
		{name: "retry", stream: "retry: 1500\ndata: a\n\ndata: b\n\n",
			want: []Event{{Type: "message", Data: "a", Retry: 1500 * time.Millisecond}, {Type: "message", Data: "b", Retry: 1500 * time.Millisecond}}},
		{name: "retry not digits ignored", stream: "retry: 100\nretry: 1a\nretry: -5\nretry: 2.5\nretry:  7\nretry:\nretry\ndata: a\n\n",
			want: []Event{{Type: "message", Data: "a", Retry: 100 * time.Millisecond}}},
		{name: "retry overflow ignored", stream: "retry: 99999999999999999999999\ndata: a\n\n", want: []Event{msg("a")}},
		{name: "retry zero", stream: "retry: 5\nretry: 0\ndata: a\n\n", want: []Event{msg("a")}},
		{name: "BOM ignored", stream: "\xEF\xBB\xBFdata: a\n\n", want: []Event{msg("a")}},
		{name: "only the first BOM", stream: "\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\ndata: b\n\n", want: []Event{msg("b")}},
		{name: "BOM later is text", stream: "data: \xEF\xBB\xBFa\n\n", want: []Event{msg("\uFEFFa")}},
		{name: "partial BOM", stream: "\xEF\xBBdata: a\n\ndata: b\n\n", want: []Event{msg("b")}},
		{name: "partial event at EOF discarded", stream: "data: a\n\ndata: b\n", want: []Event{msg("a")}},
		{name: "partial line at EOF discarded", stream: "data: a\n\ndata: b", want: []Event{msg("a")}},
		{name: "done frame", stream: "data: {\"type\":\"content\",\"text\":\"hi\"}\n\ndata: [DONE]\n\n",
			want: []Event{msg(`{"type":"content","text":"hi"}`), msg("[DONE]")}},
		{name: "invalid byte", stream: "data: a\xFFb\n\n", want: []Event{msg("a\uFFFDb")}},
		{name: "truncated sequence", stream: "data: \xE2\x82\n\n", want: []Event{msg("\uFFFD")}},
		{name: "truncated then ASCII", stream: "data: \xE2\x82A\xF0\x9F\x98x\n\n", want: []Event{msg("\uFFFDA\uFFFDx")}},
		{name: "surrogate", stream: "data: \xED\xA0\x80\n\n", want: []Event{msg("\uFFFD\uFFFD\uFFFD")}},
		{name: "overlong", stream: "data: \xC0\xAF\xE0\x80\xAF\n\n", want: []Event{msg("\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD")}},
		{name: "above U+10FFFF", stream: "data: \xF4\x90\x80\x80\n\n", want: []Event{msg("\uFFFD\uFFFD\uFFFD\uFFFD")}},
		{name: "valid multibyte", stream: "data: héllo €𝄞\n\n", want: []Event{msg("héllo €𝄞")}},
		{name: "invalid in event and id", stream: "event: x\xFF\nid: \xFF\ndata: a\n\n", want: []Event{{Type: "x\uFFFD", Data: "a", ID: "\uFFFD"}}},
		{name: "sequence cut by CR", stream: "data: \xE2\r\r", want: []Event{msg("\uFFFD")}},
		{name: "line at the limit", limit: 10, stream: "data: 1234\n\n", want: []Event{msg("1234")}},
		{name: "line over the limit", limit: 10, stream: "data: a\n\ndata: 12345\n\n", want: []Event{msg("a")}, err: ErrEventTooLarge},
		{name: "unterminated line over the limit", limit: 10, stream: "data: 123456789012345", err: ErrEventTooLarge},
		{name: "data at the limit", limit: 10, stream: "data:1234\ndata:12345\n\n", want: []Event{msg("1234\n12345")}},
		{name: "data over the limit", limit: 10, stream: "data: 1234\ndata: 1234\ndata: 1\n\n", err: ErrEventTooLarge},
		{name: "replacement grows past the limit", limit: 10, stream: "data:\xFF\xFF\xFF\xFF\n\n", err: ErrEventTooLarge},
		{name: "long comment is fine", limit: 10, stream: ": " + strings.Repeat("x", 100) + "\ndata: a\n\n", want: []Event{msg("a")}},
		{name: "long comment CR", limit: 10, stream: ":" + strings.Repeat("x", 100) + "\r\ndata: a\r\n\r\n", want: []Event{msg("a")}},
		{name: "long unknown field", limit: 10, stream: "xxxxxxxxxxxxxxxxxxx\n\n", err: ErrEventTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantErr := tt.err
			if wantErr == nil {
				wantErr = io.EOF
			}
			readers := map[string]func() io.Reader{
				"whole":    func() io.Reader { return strings.NewReader(tt.stream) },
				"one byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(tt.stream)) },
				"half":     func() io.Reader { return iotest.HalfReader(strings.NewReader(tt.stream)) },
				"data+EOF": func() io.Reader { return iotest.DataErrReader(strings.NewReader(tt.stream)) },
			}
			for rname, mk := range readers {
				er := NewEventReader(mk())
				er.MaxEventSize = tt.limit
				got, err := readAll(er)
				if !errors.Is(err, wantErr) {
					t.Fatalf("%s: error %v, want %v", rname, err, wantErr)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("%s: events\n got %q\nwant %q", rname, got, tt.want)
				}
				if _, err2 := er.Next(); err2 != err {
					t.Fatalf("%s: error not sticky: %v then %v", rname, err, err2)
				}
			}
		})
	}
}

// TestEventReaderSplitEverywhere cuts a sample stream in two at every byte
// and in three at every pair of bytes: the events never change, and a CR at
// the end of one read with an LF at the start of the next is one line end.
func TestEventReaderSplitEverywhere(t *testing.T) {
	t.Parallel()
	stream := "\xEF\xBB\xBF: keep-alive\r\nid: 1\r\nevent: tick\r\ndata: a\r\ndata: b\r\n\r\n" +
		"data: {\"type\":\"content\",\"text\":\"h\xC3\xA9\"}\r\rretry: 20\ndata: \xE2\x82\xAC\xFF\n\n" +
		"data: x\r\ndata: y\r\r\ndata: [DONE]\n\n"
	want := []Event{
		{Type: "tick", Data: "a\nb", ID: "1"},
		{Type: "message", Data: `{"type":"content","text":"hé"}`, ID: "1"},
		{Type: "message", Data: "€\uFFFD", ID: "1", Retry: 20 * time.Millisecond},
		{Type: "message", Data: "x\ny", ID: "1", Retry: 20 * time.Millisecond},
		{Type: "message", Data: "[DONE]", ID: "1", Retry: 20 * time.Millisecond},
	}
	check := func(t *testing.T, r io.Reader, label string) {
		t.Helper()
		got, err := readAll(NewEventReader(r))
		if err != io.EOF || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %q, %v", label, got, err)
		}
	}
	check(t, strings.NewReader(stream), "whole")
	for i := 0; i <= len(stream); i++ {
		check(t, &chunkReader{data: []byte(stream), sizes: []int{i}}, fmt.Sprintf("split at %d", i))
		for j := 1; i+j <= len(stream); j++ {
			check(t, &chunkReader{data: []byte(stream), sizes: []int{i, j}}, fmt.Sprintf("split at %d and %d", i, i+j))
		}
	}
}

// TestEventReaderNoLookahead checks that an event is returned as soon as its
// last line end arrived, without waiting for the next byte (which may be an
// LF after a CR, or may never come on a live stream).
func TestEventReaderNoLookahead(t *testing.T) {
	t.Parallel()
	for _, end := range []string{"\n\n", "\r\r", "\r\n\r\n", "\n\r"} {
		t.Run(fmt.Sprintf("%q", end), func(t *testing.T) {
			t.Parallel()
			pr, pw := io.Pipe()
			er := NewEventReader(pr)
			go pw.Write([]byte("data: a" + end))
			done := make(chan Event)
			go func() {
				ev, _ := er.Next()
				done <- ev
			}()
			select {
			case ev := <-done:
				if ev.Data != "a" {
					t.Fatalf("got %q", ev.Data)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Next waited for more input")
			}
			pw.Close()
		})
	}
}

func TestEventReaderReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader("data: a\n\ndata: b\n"), iotest.ErrReader(boom))
	got, err := readAll(NewEventReader(r))
	if err != boom || !reflect.DeepEqual(got, []Event{msg("a")}) {
		t.Fatalf("got %q, %v", got, err)
	}
}

// emptyReader returns (0, nil) forever.
type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

func TestEventReaderNoProgress(t *testing.T) {
	t.Parallel()
	r := io.MultiReader(strings.NewReader("data: a\n\n"), emptyReader{})
	got, err := readAll(NewEventReader(r))
	if err != io.ErrNoProgress || len(got) != 1 {
		t.Fatalf("got %q, %v", got, err)
	}
}

// TestEventReaderBoundedMemory feeds streams that would grow an unbounded
// reader: one endless line, endless data lines, an endless comment.
func TestEventReaderBoundedMemory(t *testing.T) {
	t.Parallel()
	const limit = 4096
	tests := []struct {
		name    string
		pattern string
		wantErr bool
	}{
		{"endless line", "xxxxxxxx", true},
		{"endless data lines", "data: xxxxxxxxxxxxx\n", true},
		{"endless empty data lines", "data\n", true},
		{"endless comment", "::::::::", false},
		{"endless comments", ": ping\n", false},
		{"endless ids", "id: 1234567\n", false},
		{"endless empty events", "event: x\n\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const total = 8 << 20
			rr := &repeatReader{pattern: tt.pattern}
			er := NewEventReader(io.LimitReader(rr, total))
			er.MaxEventSize = limit
			rr.onRead = func() {
				if len(er.buf) > limit+1 || cap(er.data) > 4*limit {
					t.Errorf("buffers grew: buf %d, data %d", len(er.buf), cap(er.data))
				}
			}
			_, err := readAll(er)
			if tt.wantErr != errors.Is(err, ErrEventTooLarge) || !tt.wantErr && err != io.EOF {
				t.Fatalf("error %v", err)
			}
			if rr.reads == 0 {
				t.Fatal("no reads")
			}
		})
	}
}

type repeatReader struct {
	pattern string
	off     int
	reads   int
	onRead  func()
}

func (r *repeatReader) Read(p []byte) (int, error) {
	r.reads++
	r.onRead()
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.pattern[r.off:])
		n += c
		r.off = (r.off + c) % len(r.pattern)
	}
	return n, nil
}

// TestEventReaderLongLineSmallReads checks that a long line arriving a byte
// at a time is not rescanned on every read (which would take minutes).
func TestEventReaderLongLineSmallReads(t *testing.T) {
	t.Parallel()
	for _, end := range []string{"\n\n", "\r\r", "\r\n\r\n"} {
		long := strings.Repeat("x", 512<<10)
		stream := "data: a\r\n\r\ndata: " + long + end + "data: b" + end
		start := time.Now()
		got, err := readAll(NewEventReader(iotest.OneByteReader(strings.NewReader(stream))))
		if err != io.EOF || !reflect.DeepEqual(got, []Event{msg("a"), msg(long), msg("b")}) {
			t.Fatalf("%q: %d events, %v", end, len(got), err)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Fatalf("%q: took %v", end, d)
		}
	}
}

func TestEventTooLargeMessage(t *testing.T) {
	t.Parallel()
	er := NewEventReader(strings.NewReader("data: " + strings.Repeat("x", 100) + "\n\n"))
	er.MaxEventSize = 50
	_, err := er.Next()
	if !errors.Is(err, ErrEventTooLarge) || !strings.Contains(err.Error(), "limit of 50") {
		t.Fatalf("got %v", err)
	}
}

func TestParseChatEvent(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	tests := []struct {
		name string
		ev   Event
		want ChatEvent
		done bool
	}{
		{name: "content", ev: msg(`{"type":"content","text":"Hello"}`),
			want: ChatEvent{Type: "content", Text: "Hello", Data: json.RawMessage(`{"type":"content","text":"Hello"}`)}},
		{name: "reasoning", ev: msg(`{"type":"reasoning","text":"thinking"}`),
			want: ChatEvent{Type: "reasoning", Text: "thinking", Data: json.RawMessage(`{"type":"reasoning","text":"thinking"}`)}},
		{name: "delta", ev: msg(`{"type":"content","delta":"Hi"}`),
			want: ChatEvent{Type: "content", Text: "Hi", Data: json.RawMessage(`{"type":"content","delta":"Hi"}`)}},
		{name: "content field", ev: msg(`{"type":"content","content":"Hi"}`),
			want: ChatEvent{Type: "content", Text: "Hi", Data: json.RawMessage(`{"type":"content","content":"Hi"}`)}},
		{name: "text wins over delta", ev: msg(`{"delta":"b","text":"a"}`),
			want: ChatEvent{Type: "message", Text: "a", Data: json.RawMessage(`{"delta":"b","text":"a"}`)}},
		{name: "non-string text skipped", ev: msg(`{"type":"content","text":5,"content":[1],"delta":"d"}`),
			want: ChatEvent{Type: "content", Text: "d", Data: json.RawMessage(`{"type":"content","text":5,"content":[1],"delta":"d"}`)}},
		{name: "tool call", ev: msg(`{"type":"tool_call","name":"price","args":{"token":"ADA"}}`),
			want: ChatEvent{Type: "tool_call", Name: "price", Args: json.RawMessage(`{"token":"ADA"}`), Data: json.RawMessage(`{"type":"tool_call","name":"price","args":{"token":"ADA"}}`)}},
		{name: "tool result ok", ev: msg(`{"type":"tool_result","name":"price","ok":true}`),
			want: ChatEvent{Type: "tool_result", Name: "price", OK: &yes, Data: json.RawMessage(`{"type":"tool_result","name":"price","ok":true}`)}},
		{name: "tool result failed", ev: msg(`{"type":"tool_result","name":"price","ok":false}`),
			want: ChatEvent{Type: "tool_result", Name: "price", OK: &no, Data: json.RawMessage(`{"type":"tool_result","name":"price","ok":false}`)}},
		{name: "ok not bool", ev: msg(`{"type":"tool_result","ok":"yes","args":null}`),
			want: ChatEvent{Type: "tool_result", Data: json.RawMessage(`{"type":"tool_result","ok":"yes","args":null}`)}},
		{name: "error frame", ev: msg(`{"type":"error","message":"overloaded"}`),
			want: ChatEvent{Type: "error", Data: json.RawMessage(`{"type":"error","message":"overloaded"}`)}},
		{name: "no type", ev: msg(`{"reply":"x"}`),
			want: ChatEvent{Type: "message", Data: json.RawMessage(`{"reply":"x"}`)}},
		{name: "type not a string", ev: msg(`{"type":3}`),
			want: ChatEvent{Type: "message", Data: json.RawMessage(`{"type":3}`)}},
		{name: "unknown type kept", ev: msg(`{"type":"usage","tokens":12}`),
			want: ChatEvent{Type: "usage", Data: json.RawMessage(`{"type":"usage","tokens":12}`)}},
		{name: "named event, JSON without type", ev: Event{Type: "error", Data: `{"detail":"boom"}`},
			want: ChatEvent{Type: "error", Data: json.RawMessage(`{"detail":"boom"}`)}},
		{name: "named event, JSON type wins", ev: Event{Type: "delta", Data: `{"type":"content","text":"a"}`},
			want: ChatEvent{Type: "content", Text: "a", Data: json.RawMessage(`{"type":"content","text":"a"}`)}},
		{name: "plain text", ev: msg("Hello <b>world</b>"),
			want: ChatEvent{Type: "message", Data: json.RawMessage(`"Hello <b>world</b>"`)}},
		{name: "named plain text", ev: Event{Type: "ping", Data: "keep-alive"},
			want: ChatEvent{Type: "ping", Data: json.RawMessage(`"keep-alive"`)}},
		{name: "broken JSON", ev: msg(`{"type":"content","text":"a"`),
			want: ChatEvent{Type: "message", Data: json.RawMessage(`"{\"type\":\"content\",\"text\":\"a\""`)}},
		{name: "JSON string", ev: msg(`"hi"`), want: ChatEvent{Type: "message", Data: json.RawMessage(`"hi"`)}},
		{name: "JSON array", ev: msg(`[1,2]`), want: ChatEvent{Type: "message", Data: json.RawMessage(`[1,2]`)}},
		{name: "empty data", ev: msg(""), want: ChatEvent{Type: "message", Data: json.RawMessage(`""`)}},
		{name: "multi-line", ev: msg("a\nb"), want: ChatEvent{Type: "message", Data: json.RawMessage(`"a\nb"`)}},
		{name: "empty type", ev: Event{Data: "x"}, want: ChatEvent{Type: "message", Data: json.RawMessage(`"x"`)}},
		{name: "done", ev: msg("[DONE]"), done: true},
		{name: "done with spaces", ev: msg("  [DONE] \n"), done: true},
		{name: "done named event", ev: Event{Type: "end", Data: "[DONE]"}, done: true},
		{name: "not done", ev: msg("[DONE]x"), want: ChatEvent{Type: "message", Data: json.RawMessage(`"[DONE]x"`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, done := ParseChatEvent(tt.ev)
			if done != tt.done || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v (data %s), done %v\nwant %+v (data %s), done %v", got, got.Data, done, tt.want, tt.want.Data, tt.done)
			}
			if !done && !json.Valid(got.Data) {
				t.Fatalf("Data is not JSON: %s", got.Data)
			}
		})
	}
}

// FuzzEventReader checks that any bytes read in any chunking give the
// events of a one-shot read, never panic, and keep memory bounded.
func FuzzEventReader(f *testing.F) {
	f.Add([]byte("data: a\n\n"), []byte{1}, uint16(0))
	f.Add([]byte("\xEF\xBB\xBFid: 1\r\nevent: x\r\ndata: a\r\ndata: b\r\n\r\n"), []byte{3, 1, 2}, uint16(0))
	f.Add([]byte("data: a\r\rdata: b\r\n\r\n: c\n\nretry: 10\ndata: [DONE]\n\n"), []byte{7, 1}, uint16(8))
	f.Add([]byte("data: {\"type\":\"tool_call\",\"name\":\"x\",\"args\":{}}\n\n"), []byte{5}, uint16(0))
	f.Add([]byte("data: \xE2\x82\xFF\xED\xA0\x80\n\n"), []byte{1, 1, 1}, uint16(0))
	f.Add([]byte(": "+strings.Repeat("x", 40)+"\ndata: "+strings.Repeat("y", 40)+"\n\n"), []byte{9}, uint16(16))
	f.Fuzz(func(t *testing.T, stream, chunks []byte, limit uint16) {
		lim := int(limit)
		whole := NewEventReader(bytes.NewReader(stream))
		whole.MaxEventSize = lim
		want, wantErr := readAll(whole)
		sizes := make([]int, len(chunks))
		for i, c := range chunks {
			sizes[i] = int(c%32) + 1
		}
		cr := &chunkReader{data: stream, sizes: sizes}
		er := NewEventReader(cr)
		er.MaxEventSize = lim
		var got []Event
		bound := er.limit() + 1
		cr.onRead = func() {
			if len(er.buf) > max(bound, sseReadSize) || cap(er.data) > 4*bound+64 {
				t.Fatalf("buffers grew: buf %d, data %d, limit %d", len(er.buf), cap(er.data), bound-1)
			}
		}
		for {
			ev, err := er.Next()
			if err != nil {
				if err != wantErr && !(errors.Is(err, ErrEventTooLarge) && errors.Is(wantErr, ErrEventTooLarge)) {
					t.Fatalf("chunked error %v, one-shot %v", err, wantErr)
				}
				break
			}
			if len(ev.Data) > er.limit() {
				t.Fatalf("event data of %d bytes over the limit %d", len(ev.Data), er.limit())
			}
			ce, done := ParseChatEvent(ev)
			if !done && !json.Valid(ce.Data) {
				t.Fatalf("chat event data is not JSON: %q", ce.Data)
			}
			got = append(got, ev)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("chunked %q\none-shot %q", got, want)
		}
	})
}

// benchStream is about 1 MB of chat frames.
func benchStream() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < 1<<20; i++ {
		fmt.Fprintf(&b, "data: {\"type\":\"content\",\"text\":\"token %d of a streamed reply \"}\n\n", i)
		if i%50 == 0 {
			b.WriteString(": keep-alive\n\nevent: progress\nid: 42\ndata: {\"type\":\"reasoning\",\"text\":\"step\"}\n\n")
		}
	}
	return b.Bytes()
}

func BenchmarkEventReader(b *testing.B) {
	stream := benchStream()
	b.Run("EventReader", func(b *testing.B) {
		b.SetBytes(int64(len(stream)))
		b.ReportAllocs()
		for b.Loop() {
			er := NewEventReader(bytes.NewReader(stream))
			for {
				if _, err := er.Next(); err != nil {
					break
				}
			}
		}
	})
	b.Run("EventReader+ParseChatEvent", func(b *testing.B) {
		b.SetBytes(int64(len(stream)))
		b.ReportAllocs()
		for b.Loop() {
			er := NewEventReader(bytes.NewReader(stream))
			for {
				ev, err := er.Next()
				if err != nil {
					break
				}
				ParseChatEvent(ev)
			}
		}
	})
	b.Run("bufio.Scanner", func(b *testing.B) {
		b.SetBytes(int64(len(stream)))
		b.ReportAllocs()
		for b.Loop() {
			sc := bufio.NewScanner(bytes.NewReader(stream))
			for sc.Scan() {
				_ = sc.Bytes()
			}
		}
	})
}
