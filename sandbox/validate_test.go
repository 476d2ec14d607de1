package sandbox

import (
	"image/color"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestValidationErrors(t *testing.T) {
	s := New(Config{StreamDelay: -1})
	png1 := pngURI(t, solid(2, 2, color.RGBA{1, 2, 3, 255}))
	cases := []struct {
		name, path string
		body       any
		hdr        []string
		typ, loc   string
		msg        string // checked when set
	}{
		{"malformed json", "/chat", `{"message": }`, []string{"Content-Type", "application/json"}, "json_invalid", "body.12", "JSON decode error"},
		{"truncated json", "/chat", `{"message": "hi"`, nil, "json_invalid", "body.16", ""},
		{"trailing data", "/chat", `{"message":"hi"} x`, nil, "json_invalid", "body.17", ""},
		{"empty body", "/chat", "", nil, "missing", "body", "Field required"},
		{"array body", "/chat", `[1,2]`, nil, "model_attributes_type", "body", ""},
		{"text/plain", "/chat", `{"message":"hi"}`, []string{"Content-Type", "text/plain"}, "model_attributes_type", "body", ""},
		{"message missing", "/chat", map[string]any{"stream": false}, nil, "missing", "body.message", "Field required"},
		{"message empty", "/chat", map[string]any{"message": ""}, nil, "string_too_short", "body.message", "String should have at least 1 character"},
		{"message too long", "/chat", map[string]any{"message": strings.Repeat("é", 32001)}, nil, "string_too_long", "body.message", "String should have at most 32000 characters"},
		{"message not a string", "/chat", map[string]any{"message": 12}, nil, "string_type", "body.message", "Input should be a valid string"},
		{"message null", "/chat", map[string]any{"message": nil}, nil, "string_type", "body.message", ""},
		{"temperature high", "/chat", map[string]any{"message": "m", "temperature": 2.5}, nil, "less_than_equal", "body.temperature", "Input should be less than or equal to 2"},
		{"temperature low", "/chat", map[string]any{"message": "m", "temperature": -0.1}, nil, "greater_than_equal", "body.temperature", "Input should be greater than or equal to 0"},
		{"temperature text", "/chat", map[string]any{"message": "m", "temperature": "hot"}, nil, "float_parsing", "body.temperature", ""},
		{"temperature list", "/chat", map[string]any{"message": "m", "temperature": []int{1}}, nil, "float_type", "body.temperature", ""},
		{"top_p", "/chat", map[string]any{"message": "m", "top_p": 1.01}, nil, "less_than_equal", "body.top_p", "Input should be less than or equal to 1"},
		{"max_tokens zero", "/chat", map[string]any{"message": "m", "max_tokens": 0}, nil, "greater_than_equal", "body.max_tokens", "Input should be greater than or equal to 1"},
		{"max_tokens big", "/chat", map[string]any{"message": "m", "max_tokens": 262145}, nil, "less_than_equal", "body.max_tokens", "Input should be less than or equal to 262144"},
		{"max_tokens text", "/chat", map[string]any{"message": "m", "max_tokens": "ten"}, nil, "int_parsing", "body.max_tokens", "Input should be a valid integer, unable to parse string as an integer"},
		{"max_tokens fraction", "/chat", map[string]any{"message": "m", "max_tokens": 1.5}, nil, "int_from_float", "body.max_tokens", ""},
		{"stream", "/chat", map[string]any{"message": "m", "stream": "maybe"}, nil, "bool_parsing", "body.stream", "Input should be a valid boolean, unable to interpret input"},
		{"output_mode", "/chat", map[string]any{"message": "m", "output_mode": "text"}, nil, "literal_error", "body.output_mode", "Input should be 'structured'"},
		{"output query", "/chat?output=xml", map[string]any{"message": "m"}, nil, "literal_error", "query.output", ""},
		{"meta", "/chat", map[string]any{"message": "m", "meta": "x"}, nil, "dict_type", "body.meta", "Input should be a valid dictionary"},
		{"request_id text", "/chat", map[string]any{"message": "m", "request_id": "abc"}, nil, "uuid_parsing", "body.request_id", ""},
		{"request_id v1", "/chat", map[string]any{"message": "m", "request_id": "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}, nil, "uuid_version", "body.request_id", "UUID version 4 expected"},
		{"image_data not a URI", "/chat", map[string]any{"message": "m", "image_data": "hello"}, nil, "value_error", "body.image_data", ""},
		{"image_data not an image", "/chat", map[string]any{"message": "m", "image_data": "data:text/plain;base64,aGk="}, nil, "value_error", "body.image_data", ""},
		{"image_data bad base64", "/chat", map[string]any{"message": "m", "image_data": "data:image/png;base64,@@@"}, nil, "value_error", "body.image_data", ""},
		{"image_data not a png", "/chat", map[string]any{"message": "m", "image_data": "data:image/png;base64,aGVsbG8="}, nil, "value_error", "body.image_data", ""},

		{"token neither", "/token-analysis", map[string]any{"network": "cardano"}, nil, "value_error", "body", ""},
		{"token policy", "/token-analysis", map[string]any{"policyId": "xyz"}, nil, "string_pattern_mismatch", "body.policyId", ""},
		{"token asset odd", "/token-analysis", map[string]any{"policyId": strings.Repeat("a", 56), "assetNameHex": "abc"}, nil, "string_pattern_mismatch", "body.assetNameHex", ""},
		{"token asset long", "/token-analysis", map[string]any{"policyId": strings.Repeat("a", 56), "assetNameHex": strings.Repeat("ab", 33)}, nil, "string_pattern_mismatch", "body.assetNameHex", ""},
		{"token network", "/token-analysis", map[string]any{"token": "SNEK", "network": "bitcoin"}, nil, "enum", "body.network", "Input should be 'cardano', 'ethereum', 'base', 'solana', 'polygon' or 'avalanche'"},
		{"token version", "/token-analysis", map[string]any{"token": "SNEK", "api_version": "3"}, nil, "literal_error", "body.api_version", "Input should be '1' or '2'"},
		{"token version number", "/token-analysis", map[string]any{"token": "SNEK", "api_version": 2}, nil, "literal_error", "body.api_version", ""},
		{"token header version", "/token-analysis", map[string]any{"token": "SNEK"}, []string{"X-API-Version", "9"}, "literal_error", "header.x-api-version", ""},

		{"generate prompt", "/images/generate", map[string]any{"n": 1}, nil, "missing", "body.prompt", ""},
		{"generate prompt long", "/images/generate", map[string]any{"prompt": strings.Repeat("p", 4001)}, nil, "string_too_long", "body.prompt", "String should have at most 4000 characters"},
		{"generate n", "/images/generate", map[string]any{"prompt": "p", "n": 5}, nil, "less_than_equal", "body.n", "Input should be less than or equal to 4"},
		{"generate size", "/images/generate", map[string]any{"prompt": "p", "size": "300x300"}, nil, "literal_error", "body.size", ""},
		{"edit inputs missing", "/images/edit", map[string]any{"prompt": "p"}, nil, "missing", "body.input_images", ""},
		{"edit inputs empty", "/images/edit", map[string]any{"prompt": "p", "input_images": []string{}}, nil, "too_short", "body.input_images", "List should have at least 1 item after validation, not 0"},
		{"edit inputs many", "/images/edit", map[string]any{"prompt": "p", "input_images": []string{png1, png1, png1, png1, png1}}, nil, "too_long", "body.input_images", "List should have at most 4 items after validation, not 5"},
		{"edit inputs type", "/images/edit", map[string]any{"prompt": "p", "input_images": "x"}, nil, "list_type", "body.input_images", ""},
		{"edit item type", "/images/edit", map[string]any{"prompt": "p", "input_images": []any{png1, 3}}, nil, "string_type", "body.input_images.1", ""},
		{"edit item uri", "/images/edit", map[string]any{"prompt": "p", "input_images": []any{"nope"}}, nil, "value_error", "body.input_images.0", ""},
		{"edit item undecodable", "/images/edit", map[string]any{"prompt": "p", "input_images": []any{"data:image/png;base64,aGVsbG8="}}, nil, "value_error", "body.input_images.0", ""},
		{"upload not multipart", "/images/upload-and-edit", map[string]any{"prompt": "p"}, nil, "missing", "body.image", ""},
		{"variations image", "/images/variations", map[string]any{"n": 2}, nil, "missing", "body.image", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := send(t, s, "POST", c.path, c.body, c.hdr...)
			e := firstError(t, w)
			if e["type"] != c.typ || locString(e["loc"]) != c.loc {
				t.Errorf("got %v at %v, want %s at %s", e["type"], locString(e["loc"]), c.typ, c.loc)
			}
			if c.msg != "" && e["msg"] != c.msg {
				t.Errorf("msg %q, want %q", e["msg"], c.msg)
			}
			if _, ok := e["input"]; !ok {
				t.Error("no input")
			}
		})
	}
}

func TestValidationCollectsAll(t *testing.T) {
	s := New(Config{})
	w := send(t, s, "POST", "/chat", map[string]any{"message": "", "temperature": 9, "max_tokens": 0})
	wantStatus(t, w, 422)
	if n := len(object(t, w)["detail"].([]any)); n != 3 {
		t.Errorf("%d errors, want 3: %s", n, w.Body)
	}
	e := firstError(t, w)
	if e["ctx"].(map[string]any)["min_length"] != 1.0 {
		t.Errorf("ctx: %v", e)
	}
}

func TestTooLarge(t *testing.T) {
	s := New(Config{})
	// Content-Length alone is enough to refuse.
	r := httptest.NewRequest("POST", "/chat", strings.NewReader("{}"))
	r.ContentLength = 36 << 20
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 413 || !strings.Contains(detail(t, w), "35 MB") {
		t.Errorf("chat Content-Length: %d %s", w.Code, w.Body)
	}
	// A body without length is cut while reading.
	big := `{"prompt":"` + strings.Repeat("a", 2<<20) + `"}`
	r = httptest.NewRequest("POST", "/images/generate", strings.NewReader(big))
	r.ContentLength = -1
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	wantStatus(t, w, 413)
	// A decoded image over 25 MB, inside a body under the route's limit.
	huge := "data:image/png;base64," + strings.Repeat("A", (25<<20)/3*4+8)
	w = send(t, s, "POST", "/images/edit", map[string]any{"prompt": "p", "input_images": []string{huge}})
	if w.Code != 413 || !strings.Contains(detail(t, w), "input_images[0]") {
		t.Errorf("edit: %d %.200s", w.Code, w.Body)
	}
	w = send(t, s, "POST", "/chat", map[string]any{"message": "m", "image_data": huge})
	wantStatus(t, w, 413)
}

func TestParseUUID(t *testing.T) {
	for in, want := range map[string]string{
		"0F8FAD5B-D9CB-469F-A165-70867728950E":          "0f8fad5b-d9cb-469f-a165-70867728950e",
		"0f8fad5bd9cb469fa16570867728950e":              "0f8fad5b-d9cb-469f-a165-70867728950e",
		"urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e": "0f8fad5b-d9cb-469f-a165-70867728950e",
		"{0f8fad5b-d9cb-469f-a165-70867728950e}":        "0f8fad5b-d9cb-469f-a165-70867728950e",
		"0f8fad5b-d9cb-469f-a165":                       "",
		"0f8fad5b-d9cb-469f-a165-70867728950":           "",
		"zz":                                            "",
	} {
		if got, _ := parseUUID(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}
