package sandbox

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"
)

const (
	maxMessage     = 32000
	maxTokensLimit = 262144
	maxPersona     = 256
	maxSessionID   = 256
)

// Model and provider the sandbox reports.
const (
	chatProvider = "sandbox"
	chatModel    = "sandbox-echo-1"
)

// chatRequest is a validated POST /chat body.
type chatRequest struct {
	message, sessionID, system, persona, profile string
	image                                        *imageInfo
	stream, structured                           bool
	temperature, topP                            *float64
	maxTokens                                    int
	requestID                                    string
}

// imageInfo describes an attached image.
type imageInfo struct {
	mediaType     string
	bytes         int
	decoded       bool
	format        string
	width, height int
	r, g, b       uint8
}

// chatAnswer is the JSON answer; the unexported fields feed the stream.
type chatAnswer struct {
	Reply        string   `json:"reply"`
	ReplyJSON    any      `json:"reply_json"`
	UsedTools    []string `json:"used_tools"`
	Provider     string   `json:"provider"`
	Model        string   `json:"model"`
	Reasoning    string   `json:"reasoning"`
	BalanceAfter any      `json:"balance_after"`
	SessionID    string   `json:"session_id"`
	RequestID    string   `json:"request_id"`
	FinishReason string   `json:"finish_reason"`
	Sandbox      bool     `json:"sandbox"`

	reasoning []string // sentences; joined they are Reasoning
	content   []string // word frames; joined they are Reply
	tool      *toolUse
}

type toolUse struct {
	name   string
	args   map[string]any
	result string
}

// POST /chat
func (s *Server) chat(w http.ResponseWriter, r *http.Request, c *call) {
	body, ok := readJSON(w, r, chatBodyLimit)
	if !ok {
		return
	}
	q := newFields("query", map[string]any{})
	if v := r.URL.Query(); v.Has("output") {
		q.values["output"] = v.Get("output")
	}
	output, _ := q.choice("output", "literal_error", "structured")
	f := newFields("body", body)
	f.errs = q.errs
	var req chatRequest
	req.message, _ = f.str("message", true, 1, maxMessage)
	req.sessionID, _ = f.str("session_id", false, 0, maxSessionID)
	imageData, hasImage := f.str("image_data", false, 0, 0)
	req.stream, _ = f.boolean("stream")
	mode, _ := f.choice("output_mode", "literal_error", "structured")
	req.structured = mode == "structured" || output == "structured"
	req.system, _ = f.str("system", false, 0, maxMessage)
	req.persona, _ = f.str("persona", false, 0, maxPersona)
	req.profile, _ = f.str("profile", false, 0, maxPersona)
	if t, ok := f.number("temperature", 0, 2); ok {
		req.temperature = &t
	}
	if t, ok := f.number("top_p", 0, 1); ok {
		req.topP = &t
	}
	if n, ok := f.integer("max_tokens", 1, maxTokensLimit); ok {
		req.maxTokens = int(n)
	}
	f.object("meta")
	req.requestID, _ = f.uuid4("request_id")
	hasImage = hasImage && imageData != ""
	if hasImage {
		if _, _, err := splitDataURI(imageData); err != nil {
			f.errs = append(f.errs, valueError(f.loc("image_data"), imageData, err))
		}
	}
	if len(f.errs) > 0 {
		writeValidation(w, f.errs)
		return
	}
	if hasImage {
		if !s.acquire(r) { // decoding pixels is heavy work
			return
		}
		info, err := describeImage(imageData)
		s.release()
		if err != nil {
			imageFail(w, f.loc("image_data"), "image_data", imageData, err)
			return
		}
		req.image = info
		imageData = ""
		delete(body, "image_data")
	}
	if !s.admit(w, r, c, RouteChat) {
		return
	}
	a := answerChat(&req)
	if a.SessionID == "" {
		a.SessionID = newUUID()
	}
	a.RequestID = req.requestID
	if a.RequestID == "" {
		a.RequestID = c.requestID
	}
	c.tokensIn = estimateTokens(req.message) + estimateTokens(req.system)
	c.tokensOut = estimateTokens(a.Reply)
	w.Header().Set("X-Session-ID", a.SessionID)
	if req.stream {
		s.streamChat(w, r, a)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// describeImage decodes what the sandbox can (PNG, JPEG, GIF) and only sizes
// the rest (e.g. WebP, which the real vision models take).
func describeImage(uri string) (*imageInfo, error) {
	raw, mediaType, err := decodeDataURI(uri)
	if err != nil {
		return nil, err
	}
	info := &imageInfo{mediaType: mediaType, bytes: len(raw)}
	switch mediaType {
	case "image/png", "image/jpeg", "image/jpg", "image/gif":
		m, format, err := decodeImage(raw)
		if err != nil {
			return nil, err
		}
		info.decoded, info.format = true, format
		info.width, info.height = m.Rect.Dx(), m.Rect.Dy()
		info.r, info.g, info.b = meanColor(m)
	}
	return info, nil
}

func (i *imageInfo) hex() string { return fmt.Sprintf("#%02x%02x%02x", i.r, i.g, i.b) }

func (i *imageInfo) sentence() string {
	if !i.decoded {
		return fmt.Sprintf("Attached image: %s, %d bytes (not decoded by the sandbox).", i.mediaType, i.bytes)
	}
	return fmt.Sprintf("Attached image: %dx%d %s, mean colour %s.", i.width, i.height, strings.ToUpper(i.format), i.hex())
}

func estimateTokens(s string) int { return (utf8.RuneCountInString(s) + 3) / 4 }

// answerChat computes the deterministic answer for req.
func answerChat(req *chatRequest) *chatAnswer {
	a := &chatAnswer{Provider: chatProvider, Model: chatModel, UsedTools: []string{}, SessionID: req.sessionID,
		FinishReason: "stop", Sandbox: true}
	msg := req.message
	nWords := len(strings.Fields(msg))
	nChars := utf8.RuneCountInString(msg)
	a.tool = pickTool(msg)

	reason := []string{fmt.Sprintf("The user sent %d characters in %d words.", nChars, nWords)}
	if req.system != "" {
		reason = append(reason, fmt.Sprintf("A system prompt of %d characters sets the context.", utf8.RuneCountInString(req.system)))
	}
	if req.persona != "" {
		reason = append(reason, "I answer as the persona "+req.persona+".")
	}
	if req.image != nil {
		reason = append(reason, "An image is attached, so I describe it.")
	}
	if a.tool != nil {
		reason = append(reason, "The message mentions a tool or a token, so I call "+a.tool.name+".")
	}
	if req.temperature != nil || req.topP != nil {
		reason = append(reason, "Sampling settings do not change a deterministic sandbox reply.")
	}
	if req.structured {
		reason = append(reason, "Structured output was asked for: I return a JSON summary.")
	}
	reason = append(reason, "I compose the sandbox reply.")
	a.reasoning = make([]string, len(reason))
	for i, r := range reason {
		if i < len(reason)-1 {
			r += " "
		}
		a.reasoning[i] = r
	}
	a.Reasoning = strings.Join(a.reasoning, "")

	var lines []string
	if req.structured {
		obj := map[string]any{
			"summary":  summarize(msg),
			"keywords": keywords(msg),
			"length":   nChars,
			"words":    nWords,
			"sandbox":  true,
		}
		lines = append(lines, "Summary: "+obj["summary"].(string),
			"Keywords: "+strings.Join(obj["keywords"].([]string), ", "),
			fmt.Sprintf("Length: %d characters, %d words.", nChars, nWords))
		if req.persona != "" {
			obj["persona"] = req.persona
		}
		if req.image != nil {
			im := map[string]any{"media_type": req.image.mediaType, "bytes": req.image.bytes}
			if req.image.decoded {
				im["width"], im["height"], im["mean_color"] = req.image.width, req.image.height, req.image.hex()
			}
			obj["image"] = im
			lines = append(lines, req.image.sentence())
		}
		if a.tool != nil {
			obj["tool"] = map[string]any{"name": a.tool.name, "args": a.tool.args, "result": a.tool.result}
			lines = append(lines, "Tool "+a.tool.name+": "+a.tool.result)
		}
		a.ReplyJSON = obj
	} else {
		lines = append(lines, "You said: "+msg)
		if req.system != "" {
			lines = append(lines, "System prompt: "+req.system)
		}
		if req.persona != "" {
			lines = append(lines, "Persona: "+req.persona)
		}
		if req.profile != "" {
			lines = append(lines, "Profile: "+req.profile)
		}
		if req.image != nil {
			lines = append(lines, req.image.sentence())
		}
		if a.tool != nil {
			lines = append(lines, "Tool "+a.tool.name+": "+a.tool.result)
		}
		lines = append(lines, fmt.Sprintf("(%s: a deterministic offline reply; your message has %d words.)", chatModel, nWords))
	}
	if a.tool != nil {
		a.UsedTools = []string{a.tool.name}
	}
	a.content = wordFrames(strings.Join(lines, "\n"))
	if req.maxTokens > 0 && len(a.content) > req.maxTokens {
		a.content = a.content[:req.maxTokens]
		a.FinishReason = "length"
	}
	a.Reply = strings.Join(a.content, "")
	return a
}

// pickTool: a message that mentions "tool" or "token" gets a tool call,
// token_analysis when it names a known token, else text_stats.
func pickTool(msg string) *toolUse {
	low := strings.ToLower(msg)
	if !strings.Contains(low, "tool") && !strings.Contains(low, "token") {
		return nil
	}
	for _, wd := range words(msg) {
		if t := tokenByTicker(wd); t != nil {
			rep := newReport(t, "cardano")
			return &toolUse{name: "token_analysis", args: map[string]any{"token": t.Ticker, "network": "cardano"},
				result: fmt.Sprintf("%s (%s) on Cardano, risk %s (score %d/100), illustrative price $%s (sandbox data).",
					t.Ticker, t.Name, rep.level, rep.score, priceString(rep.priceUSD))}
		}
	}
	text := msg
	if utf8.RuneCountInString(text) > 200 {
		text = string([]rune(text)[:200])
	}
	return &toolUse{name: "text_stats", args: map[string]any{"text": text},
		result: fmt.Sprintf("%d words, %d characters, %d lines.", len(strings.Fields(msg)), utf8.RuneCountInString(msg), strings.Count(msg, "\n")+1)}
}

func isSpace(b byte) bool { return b == ' ' || b == '\n' || b == '\t' || b == '\r' }

// wordFrames splits s into words each followed by its whitespace (leading
// whitespace goes with the first word): joined, they give s back exactly.
func wordFrames(s string) []string {
	var out []string
	start, i := 0, 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	for i < len(s) {
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		out = append(out, s[start:i])
		start = i
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// summarize returns the first sentence, at most 200 characters.
func summarize(msg string) string {
	s := strings.TrimSpace(msg)
	for i := 0; i < len(s); i++ {
		if (s[i] == '.' || s[i] == '!' || s[i] == '?') && (i+1 == len(s) || isSpace(s[i+1])) {
			s = s[:i+1]
			break
		}
	}
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:199]) + "…"
	}
	return s
}

var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("the and for are but not you your with this that from have has had was were will would can could should what when where which who how why all any its our out about into than then them they there these those been being does did just also very more most some such only over own same too each other her his him she their what's i'm it's don't a an of to in on at by or is it be as do if so no my me we us up") {
		stopWords[w] = true
	}
}

// keywords returns up to 5 words of 3+ letters, most frequent first, ties in
// order of appearance.
func keywords(msg string) []string {
	count := map[string]int{}
	first := map[string]int{}
	for i, w := range words(msg) {
		if utf8.RuneCountInString(w) < 3 || stopWords[w] {
			continue
		}
		if _, seen := first[w]; !seen {
			first[w] = i
		}
		count[w]++
	}
	list := make([]string, 0, len(count))
	for w := range count {
		list = append(list, w)
	}
	sort.Slice(list, func(i, j int) bool {
		if count[list[i]] != count[list[j]] {
			return count[list[i]] > count[list[j]]
		}
		return first[list[i]] < first[list[j]]
	})
	if len(list) > 5 {
		list = list[:5]
	}
	return list
}
