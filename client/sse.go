package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultMaxEventSize bounds one line and one event's data of a server-sent
// event stream when EventReader.MaxEventSize is 0.
const DefaultMaxEventSize = 1 << 20

// ErrEventTooLarge reports a server-sent event stream with a line or an
// event's data longer than the reader's limit. The stream cannot go on after
// it. Errors returned by EventReader.Next wrap it with the detail.
var ErrEventTooLarge = errors.New("tbackend: server-sent event too large")

// Event is one event of a text/event-stream, as the WHATWG HTML standard
// dispatches it.
type Event struct {
	Type  string        // the event: field, "message" when absent
	Data  string        // data: lines joined with "\n"
	ID    string        // last event ID (persists across events per the spec)
	Retry time.Duration // last retry: value seen, 0 if none
}

// EventReader reads events from a text/event-stream following the WHATWG
// "event stream interpretation" rules: a leading BOM is ignored, lines end
// with LF, CRLF or CR, invalid UTF-8 becomes U+FFFD, comments and unknown
// fields are ignored, and an event is dispatched at each empty line.
//
// Memory is bounded: a line (other than a comment, which is skipped as it
// streams) or an event's data longer than MaxEventSize ends the stream with
// an error wrapping ErrEventTooLarge.
type EventReader struct {
	// MaxEventSize bounds one line and one event's data, in bytes; 0 means
	// DefaultMaxEventSize.
	MaxEventSize int

	r      io.Reader
	buf    []byte
	pos, n int   // unread bytes are buf[pos:n]
	rerr   error // error returned by r (io.EOF at the end), seen once the buffer is drained
	err    error // sticky error returned by Next

	lf, cr byteFinder // where the next line ends, remembered across reads

	started bool // the BOM check is done
	skipLF  bool // the last line ended with CR: an LF right after it belongs to it
	discard bool // inside a comment line that did not fit the buffer: drop it until its end

	data      []byte // data buffer
	eventType []byte // event type buffer
	lastType  string // last dispatched non-default type, reused to spare allocations
	id        string // last event ID buffer
	retry     time.Duration
}

const (
	sseReadSize   = 32 << 10
	sseKeepBuffer = 64 << 10 // a data buffer grown beyond this is released after dispatch
	sseMaxEmpty   = 100      // consecutive empty reads before io.ErrNoProgress
	maxRetryMs    = int64(1<<63-1) / int64(time.Millisecond)
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// NewEventReader returns a reader of the events in r.
func NewEventReader(r io.Reader) *EventReader {
	return &EventReader{r: r}
}

func (er *EventReader) limit() int {
	if er.MaxEventSize > 0 {
		return er.MaxEventSize
	}
	return DefaultMaxEventSize
}

// Next returns the next event. It returns io.EOF when the stream ends; an
// event not terminated by an empty line before the end is discarded, as the
// standard says. Any other error of the underlying reader is returned as is.
// After an error, Next keeps returning it.
func (er *EventReader) Next() (Event, error) {
	if er.err != nil {
		return Event{}, er.err
	}
	for {
		line, err := er.readLine()
		if err == nil && len(line) == 0 {
			if ev, ok := er.dispatch(); ok {
				return ev, nil
			}
			continue
		}
		if err == nil {
			err = er.field(line)
		}
		if err != nil {
			er.err = err
			er.data, er.eventType, er.buf = nil, nil, nil
			return Event{}, err
		}
	}
}

// readLine returns the next line without its terminator, skipping comments.
// The line is valid until the next call.
func (er *EventReader) readLine() ([]byte, error) {
	limit := er.limit()
	for {
		if er.pos < er.n {
			b := er.buf[er.pos:er.n]
			if !er.started {
				if len(b) < len(utf8BOM) && bytes.HasPrefix(utf8BOM, b) && er.rerr == nil {
					if err := er.fill(); err != nil {
						return nil, err
					}
					continue
				}
				er.started = true
				if bytes.HasPrefix(b, utf8BOM) {
					er.pos += len(utf8BOM)
					continue
				}
			}
			if er.skipLF {
				er.skipLF = false
				if b[0] == '\n' {
					er.pos++
					continue
				}
			}
			end, stop := -1, er.n
			if lf := er.lf.find(er.buf, er.pos, er.n, '\n'); lf >= 0 {
				end, stop = lf, lf
			}
			if cr := er.cr.find(er.buf, er.pos, stop, '\r'); cr >= 0 {
				end = cr
				er.skipLF = true
			}
			if end >= 0 {
				line := er.buf[er.pos:end]
				er.pos = end + 1
				if er.discard {
					er.discard = false
					continue
				}
				if len(line) > 0 && line[0] == ':' {
					continue // comment
				}
				if len(line) > limit {
					return nil, fmt.Errorf("%w: a line of %d bytes is longer than the limit of %d", ErrEventTooLarge, len(line), limit)
				}
				return line, nil
			}
			// No line end in the buffer.
			switch {
			case er.discard || b[0] == ':':
				er.discard = true
				er.pos = er.n
			case len(b) > limit:
				return nil, fmt.Errorf("%w: a line is longer than the limit of %d bytes", ErrEventTooLarge, limit)
			}
		}
		if er.rerr != nil {
			// A partial line at the end is discarded.
			er.pos, er.n = 0, 0
			return nil, er.rerr
		}
		if err := er.fill(); err != nil {
			return nil, err
		}
	}
}

// fill reads more bytes into the buffer, keeping the unread ones. A read
// error is kept in er.rerr for when the buffer is drained.
func (er *EventReader) fill() error {
	if er.pos > 0 {
		er.n = copy(er.buf, er.buf[er.pos:er.n])
		er.lf.shift(er.pos)
		er.cr.shift(er.pos)
		er.pos = 0
	}
	if er.n == len(er.buf) {
		size := 2 * len(er.buf)
		if size < sseReadSize {
			size = sseReadSize
		}
		if most := er.limit() + 1; size > most && most > er.n {
			size = most
		}
		nb := make([]byte, size)
		copy(nb, er.buf[:er.n])
		er.buf = nb
	}
	for i := 0; i < sseMaxEmpty; i++ {
		m, err := er.r.Read(er.buf[er.n:])
		if m < 0 || m > len(er.buf)-er.n {
			return errors.New("tbackend: event stream reader returned an invalid count")
		}
		er.n += m
		if err != nil {
			er.rerr = err
			return nil
		}
		if m > 0 {
			return nil
		}
	}
	er.rerr = io.ErrNoProgress
	return nil
}

// byteFinder finds a byte in the unread part of the buffer without
// scanning twice what it already scanned, so that a long line arriving in
// small reads costs linear time. Indexes are into the buffer; the zero
// value knows nothing.
type byteFinder struct {
	next int // index+1 of the first c at or after the read position, when > the read position
	from int // buf[pos:from] holds no c
}

// find returns the index of the first c in buf[pos:n], or -1.
func (f *byteFinder) find(buf []byte, pos, n int, c byte) int {
	if f.next > pos {
		if f.next <= n {
			return f.next - 1
		}
		return -1
	}
	from := max(f.from, pos)
	if from < n {
		if i := bytes.IndexByte(buf[from:n], c); i >= 0 {
			f.next = from + i + 1
			return from + i
		}
	}
	f.from = max(from, n)
	return -1
}

// shift follows the buffer's bytes moving s places to the front.
func (f *byteFinder) shift(s int) {
	if f.next > s {
		f.next -= s
	} else {
		f.next = 0
	}
	f.from = max(f.from-s, 0)
}

// field processes one non-empty, non-comment line.
func (er *EventReader) field(line []byte) error {
	name, value := line, []byte(nil)
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		name, value = line[:i], line[i+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	switch string(name) {
	case "data":
		// Checked before and after: invalid UTF-8 can grow as it is replaced.
		limit := er.limit()
		if len(er.data)+len(value) > limit {
			return fmt.Errorf("%w: an event's data is longer than the limit of %d bytes", ErrEventTooLarge, limit)
		}
		er.data = appendUTF8(er.data, value)
		er.data = append(er.data, '\n')
		if len(er.data)-1 > limit {
			return fmt.Errorf("%w: an event's data is longer than the limit of %d bytes", ErrEventTooLarge, limit)
		}
	case "event":
		er.eventType = appendUTF8(er.eventType[:0], value)
	case "id":
		if bytes.IndexByte(value, 0) >= 0 {
			return nil
		}
		if utf8.Valid(value) {
			if string(value) != er.id {
				er.id = string(value)
			}
		} else {
			er.id = string(appendUTF8(nil, value))
		}
	case "retry":
		if len(value) == 0 {
			return nil
		}
		var ms int64
		for _, c := range value {
			if c < '0' || c > '9' {
				return nil
			}
			if ms > (maxRetryMs-int64(c-'0'))/10 {
				return nil // does not fit a time.Duration: ignored
			}
			ms = ms*10 + int64(c-'0')
		}
		er.retry = time.Duration(ms) * time.Millisecond
	}
	return nil
}

// dispatch ends the current event at an empty line; ok is false when the
// data buffer is empty and no event is dispatched.
func (er *EventReader) dispatch() (ev Event, ok bool) {
	if len(er.data) == 0 {
		er.eventType = er.eventType[:0]
		return Event{}, false
	}
	ev = Event{Type: "message", Data: string(er.data[:len(er.data)-1]), ID: er.id, Retry: er.retry}
	if len(er.eventType) > 0 {
		if string(er.eventType) != er.lastType {
			er.lastType = string(er.eventType)
		}
		ev.Type = er.lastType
	}
	er.eventType = er.eventType[:0]
	if cap(er.data) > sseKeepBuffer {
		er.data = nil
	} else {
		er.data = er.data[:0]
	}
	return ev, true
}

// appendUTF8 appends src to dst, replacing invalid UTF-8 with U+FFFD the way
// the WHATWG UTF-8 decoder does (one U+FFFD per maximal invalid subpart), so
// that the text matches what a browser's EventSource shows.
func appendUTF8(dst, src []byte) []byte {
	if utf8.Valid(src) {
		return append(dst, src...)
	}
	const repl = "\uFFFD"
	needed, seen := 0, 0
	lower, upper := byte(0x80), byte(0xBF)
	start := 0 // start of the pending sequence in src
	for i := 0; i < len(src); i++ {
		c := src[i]
		if needed == 0 {
			switch {
			case c < 0x80:
				dst = append(dst, c)
			case c >= 0xC2 && c <= 0xDF:
				needed = 1
			case c >= 0xE0 && c <= 0xEF:
				if c == 0xE0 {
					lower = 0xA0
				} else if c == 0xED {
					upper = 0x9F
				}
				needed = 2
			case c >= 0xF0 && c <= 0xF4:
				if c == 0xF0 {
					lower = 0x90
				} else if c == 0xF4 {
					upper = 0x8F
				}
				needed = 3
			default:
				dst = append(dst, repl...)
			}
			start = i
			continue
		}
		if c < lower || c > upper {
			needed, seen = 0, 0
			lower, upper = 0x80, 0xBF
			dst = append(dst, repl...)
			i-- // process c again
			continue
		}
		lower, upper = 0x80, 0xBF
		seen++
		if seen == needed {
			dst = append(dst, src[start:i+1]...)
			needed, seen = 0, 0
		}
	}
	if needed != 0 {
		dst = append(dst, repl...)
	}
	return dst
}

// ChatEvent is one frame of the POST /chat stream.
type ChatEvent struct {
	Type string          // content, reasoning, tool_call, tool_result, or whatever the frame says; without a "type", the SSE event name ("message" by default)
	Text string          // for content / reasoning (from "text"; also accept "delta" or "content" string fields if "text" is absent)
	Name string          // tool_call / tool_result
	Args json.RawMessage // tool_call "args"
	OK   *bool           // tool_result "ok"
	Data json.RawMessage // the frame's JSON as received, or a JSON string holding the raw data when it is not JSON
}

// ParseChatEvent reads a chat stream frame from an event. done reports the
// end frame, data "[DONE]" (spaces around it allowed), for which ce is zero.
// It never fails: a frame that is not a JSON object, or whose fields have
// unexpected types, is passed on with what could be read.
//
// Type is the frame's "type" string; without one it is the SSE event name
// ("message" unless the stream named the event). Frames of type "error" are
// passed on like any other; the caller decides.
func ParseChatEvent(ev Event) (ce ChatEvent, done bool) {
	trimmed := strings.TrimSpace(ev.Data)
	if trimmed == "[DONE]" {
		return ChatEvent{}, true
	}
	ce.Type = ev.Type
	if ce.Type == "" {
		ce.Type = "message"
	}
	// JSON whitespace only: other spaces around a value are not JSON.
	trimmed = strings.Trim(ev.Data, " \t\r\n")
	var obj map[string]json.RawMessage
	switch {
	case strings.HasPrefix(trimmed, "{") && json.Unmarshal([]byte(trimmed), &obj) == nil:
		ce.Data = json.RawMessage(ev.Data)
	case trimmed != "" && json.Valid([]byte(trimmed)):
		ce.Data = json.RawMessage(ev.Data)
		return ce, false
	default:
		ce.Data = quoteJSONString(ev.Data)
		return ce, false
	}
	if t, ok := jsonStringValue(obj["type"]); ok && t != "" {
		ce.Type = t
	}
	for _, key := range [...]string{"text", "delta", "content"} {
		if s, ok := jsonStringValue(obj[key]); ok {
			ce.Text = s
			break
		}
	}
	ce.Name, _ = jsonStringValue(obj["name"])
	if a := obj["args"]; a != nil && string(a) != "null" {
		ce.Args = a
	}
	if o := obj["ok"]; o != nil {
		var b bool
		if string(o) != "null" && json.Unmarshal(o, &b) == nil {
			ce.OK = &b
		}
	}
	return ce, false
}

// jsonStringValue returns the value of a JSON string; ok is false for any other
// JSON value or none.
func jsonStringValue(raw json.RawMessage) (s string, ok bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	// Fast path: no escapes and valid UTF-8 (raw is a whole JSON value, so
	// it ends with the closing quote).
	if inner := raw[1 : len(raw)-1]; bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner), true
	}
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// quoteJSONString returns s as a JSON string, without HTML escaping.
func quoteJSONString(s string) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(s) != nil {
		return json.RawMessage(`""`)
	}
	return json.RawMessage(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}
