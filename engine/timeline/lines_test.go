package timeline

import (
	"testing"

	"github.com/connlab/connlab/engine/session"
)

// linesFile is mode both: a client that sends a body in two parts with a
// sleep between, against a service that reads the whole body and answers
// with a streamed body.
const linesFile = `{"version": 1, "mode": "both",
 "client_program": ["handshake", "spawn conn", "send POST / header \"Host: x\" body stream", "send-body \"ab\"", "sleep 50ms", "send-body \"cd\"", "end-body", "await response", "read-body"],
 "service_program": ["# echo, streamed", "read-body", "respond 200 body stream", "send-chunk \"x\"", "end-body"],
 "input": [{"wait_ms": 100}]}`

func TestProgramLines(t *testing.T) {
	f, err := session.ParseBytes([]byte(linesFile))
	if err != nil {
		t.Fatal(err)
	}
	tl, err := New(f)
	if err != nil {
		t.Fatal(err)
	}
	// the client sends (3), and sleeps (5) while the service waits at
	// read-body (2); the service answers (3) and streams (4, 5) while the
	// client awaits the response (8), then the client reads it (9)
	seen := map[[2]int]bool{}
	for i := 0; i < tl.Len(); i++ {
		cl, sv := tl.ProgramLines(i)
		seen[[2]int{cl, sv}] = true
	}
	for _, want := range [][2]int{{3, 0}, {5, 2}, {8, 3}, {8, 4}, {9, 5}} {
		if !seen[want] {
			t.Errorf("lines (client %d, service %d) never seen; pairs seen: %v", want[0], want[1], seen)
		}
	}
	if cl, sv := tl.ProgramLines(0); cl != 1 || sv != 0 {
		t.Errorf("at event 0: client %d, service %d; want 1 (handshake, about to run) and 0", cl, sv)
	}
	// a fork keeps the marks of the events it keeps and records the rest
	// as a fresh run does
	var want [][2]int
	for i := 0; i < tl.Len(); i++ {
		cl, sv := tl.ProgramLines(i)
		want = append(want, [2]int{cl, sv})
	}
	tl.JumpTo(tl.Len() / 2)
	w := int64(10)
	if err := tl.Append(session.Input{WaitMS: &w}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(want) && i < tl.Len(); i++ {
		if cl, sv := tl.ProgramLines(i); [2]int{cl, sv} != want[i] {
			t.Fatalf("after an append, event %d: lines %d, %d; want %v", i, cl, sv, want[i])
		}
	}
}

func TestProgramLinesNone(t *testing.T) {
	tl, err := New(session.Demo())
	if err != nil {
		t.Fatal(err)
	}
	if tl.Len() == 0 {
		t.Fatal("demo has no events")
	}
	if cl, sv := tl.ProgramLines(tl.Len() - 1); cl != 0 || sv != 0 {
		t.Errorf("a catalog handler session has lines %d, %d", cl, sv)
	}
	if len(tl.c.lines) != 0 {
		t.Errorf("%d line marks for a session without programs", len(tl.c.lines))
	}
}
