package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// sse writes frames one flush at a time.
func sse(w http.ResponseWriter, frames ...string) {
	w.Header().Set("Content-Type", "text/event-stream")
	f := w.(http.Flusher)
	for _, fr := range frames {
		io.WriteString(w, fr)
		f.Flush()
	}
}

func collect(t *testing.T, st *ChatStream) ([]ChatEvent, error) {
	t.Helper()
	var evs []ChatEvent
	for {
		ev, err := st.Next()
		if err == io.EOF {
			return evs, nil
		}
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev)
	}
}

func TestStreamEventsInOrder(t *testing.T) {
	ts := setup(t)
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Accept", "text/event-stream")
		testJSONBody(t, r, map[string]any{"stream": true, "message": "hi"})
		sse(w, ": hello\n\n",
			`data: {"type":"reasoning","text":"think"}`+"\n\n",
			`data: {"type":"tool_call","name":"price","args":{"t":"SNEK"}}`+"\r\n\r\n",
			`data: {"type":"tool_result","name":"price","ok":true}`+"\n\n",
			`data: {"type":"con`, `tent","text":"Hel"}`+"\n\n",
			`data: {"type":"content","text":"lo"}`+"\n\n",
			`data: {"type":"usage","tokens":3}`+"\n\n",
			"data: [DONE]\n\n",
			`data: {"type":"content","text":"after done"}`+"\n\n")
	})
	st, err := ts.client.Chat.Stream(context.Background(), ChatRequest{Message: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := collect(t, st)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range evs {
		got = append(got, ev.Type+":"+ev.Text+ev.Name)
	}
	want := "reasoning:think tool_call:price tool_result:price content:Hel content:lo usage:"
	if strings.Join(got, " ") != want {
		t.Errorf("events = %v\nwant %s", got, want)
	}
	if evs[2].OK == nil || !*evs[2].OK || string(evs[1].Args) != `{"t":"SNEK"}` {
		t.Errorf("tool events = %+v %+v", evs[1], evs[2])
	}
}

func TestStreamCloseCancelsTheRequest(t *testing.T) {
	ts := setup(t)
	gone := make(chan struct{})
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		sse(w, `data: {"type":"content","text":"first"}`+"\n\n")
		<-r.Context().Done()
		close(gone)
	})
	st, err := ts.client.Chat.Stream(context.Background(), ChatRequest{Message: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	if ev, err := st.Next(); err != nil || ev.Text != "first" {
		t.Fatalf("first = %+v, %v", ev, err)
	}
	st.Close()
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Fatal("the server never saw the request end")
	}
	if _, err := st.Next(); err != io.EOF {
		t.Errorf("Next after Close = %v, want io.EOF", err)
	}
}

func TestStreamIsNotRetriedAfterAnEvent(t *testing.T) {
	ts := setup(t, WithMaxRetries(3))
	var calls atomic.Int32
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		sse(w, `data: {"type":"content","text":"partial"}`+"\n\n")
		conn, buf, _ := w.(http.Hijacker).Hijack()
		buf.Flush()
		conn.Close()
	})
	st, err := ts.client.Chat.Stream(context.Background(), ChatRequest{Message: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := collect(t, st)
	if len(evs) != 1 || !isCode(err, CodeNetwork) {
		t.Fatalf("events %v, err %v; want one event then a network error", evs, err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d requests, want 1", calls.Load())
	}
}

func TestStreamRetriedBeforeAnyEvent(t *testing.T) {
	ts := setup(t, WithMaxRetries(1))
	var calls atomic.Int32
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(503)
			return
		}
		sse(w, `data: {"type":"content","text":"ok"}`+"\n\n", "data: [DONE]\n\n")
	})
	st, err := ts.client.Chat.Stream(context.Background(), ChatRequest{Message: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	if evs, err := collect(t, st); err != nil || len(evs) != 1 {
		t.Fatalf("events %v, err %v", evs, err)
	}
}

func TestStreamIdleTimeout(t *testing.T) {
	ts := setup(t, WithTimeout(500*time.Millisecond))
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 4; i++ {
			sse(w, fmt.Sprintf(`data: {"type":"content","text":"%d"}`+"\n\n", i))
			time.Sleep(200 * time.Millisecond)
		}
		<-r.Context().Done()
	})
	st, err := ts.client.Chat.Stream(context.Background(), ChatRequest{Message: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := collect(t, st)
	if len(evs) != 4 || !isCode(err, CodeTimeout) {
		t.Fatalf("events %d, err %v; want 4 events (the timeout restarts on each) then timeout", len(evs), err)
	}
}

func TestStreamFromAServerThatAnswersWhole(t *testing.T) {
	ts := setup(t)
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"reply": "whole answer"})
	})
	st, err := ts.client.Chat.Stream(context.Background(), ChatRequest{Message: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := collect(t, st)
	if err != nil || len(evs) != 1 || evs[0].Type != "content" || evs[0].Text != "whole answer" {
		t.Fatalf("events %+v, err %v", evs, err)
	}
}

func TestStreamHostileFrame(t *testing.T) {
	ts := setup(t)
	ts.mux.HandleFunc("POST /chat", func(w http.ResponseWriter, r *http.Request) {
		sse(w, "data: "+strings.Repeat("x", 2<<20)+"\n\n")
	})
	st, err := ts.client.Chat.Stream(context.Background(), ChatRequest{Message: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := collect(t, st); !isCode(err, CodeServerError) {
		t.Fatalf("err = %v, want server_error for an oversized frame", err)
	}
}
