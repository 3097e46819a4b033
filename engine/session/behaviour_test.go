package session

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/trace"
)

func runJSON(t *testing.T, js string) *Session {
	t.Helper()
	f, err := ParseBytes([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return runScenario(t, f, true)
}

func countKind(s *Session, k trace.Kind) int {
	n := 0
	for _, e := range s.Rec.Events() {
		if e.Kind == k {
			n++
		}
	}
	return n
}

// TestPollLoopBudget: 16 pipelined requests in one write are served in one
// poll without yielding; the 17th costs exactly one cooperative yield.
func TestPollLoopBudget(t *testing.T) {
	for _, c := range []struct {
		file   string
		yields int
	}{{"pipeline-16", 0}, {"pipeline-17", 1}, {"pipeline-2", 0}} {
		s := runScenario(t, loadScenario(t, "testdata/scenarios/"+c.file+".json"), true)
		if got := countKind(s, trace.KindYield); got != c.yields {
			t.Errorf("%s: %d yield events, want %d", c.file, got, c.yields)
		}
		want := map[string]int{"pipeline-16": 16, "pipeline-17": 17, "pipeline-2": 2}[c.file]
		if got := strings.Count(string(s.ToClient()), "HTTP/1.1 200 OK"); got != want {
			t.Errorf("%s: %d responses, want %d", c.file, got, want)
		}
	}
}

// TestWantsReadAgainServesPipelinedInOnePoll: both pipelined requests are
// handled by the same executor step (pollLoop#2), not after a wake-up.
func TestWantsReadAgainServesPipelinedInOnePoll(t *testing.T) {
	s := runScenario(t, loadScenario(t, "testdata/scenarios/pipeline-2.json"), true)
	steps := map[int32]bool{}
	for _, e := range s.Rec.Events() {
		if e.Kind == trace.KindQueue && e.Name == "in_flight set" {
			steps[e.Step] = true
		}
	}
	if len(steps) != 1 {
		t.Fatalf("requests were dispatched in %d different steps, want 1", len(steps))
	}
}

// TestContinueOnlyWhenBodyPolled: 100 Continue goes out when echo polls the
// body, and never when the body is dropped unread.
func TestContinueOnlyWhenBodyPolled(t *testing.T) {
	echo := runScenario(t, loadScenario(t, "testdata/scenarios/continue-echo.json"), true)
	if !strings.HasPrefix(string(echo.ToClient()), "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK") {
		t.Fatalf("echo: %q", echo.ToClient())
	}
	ignore := runScenario(t, loadScenario(t, "testdata/scenarios/continue-ignore-body.json"), true)
	if strings.Contains(string(ignore.ToClient()), "100 Continue") {
		t.Fatalf("ignore-body sent 100 Continue: %q", ignore.ToClient())
	}
	drain := runScenario(t, loadScenario(t, "testdata/scenarios/drain.json"), true)
	if strings.Contains(string(drain.ToClient()), "100 Continue") {
		t.Fatalf("drained body sent 100 Continue: %q", drain.ToClient())
	}
}

// TestEveryTracedTransitionIsInTheTables: the tables the UI draws match
// what the engine does in every scenario.
func TestEveryTracedTransitionIsInTheTables(t *testing.T) {
	tables := map[string]h1.StateTable{}
	for _, tb := range h1.Transitions() {
		tables[tb.Field.String()] = tb
	}
	allowed := func(field, from, to string) bool {
		tb, ok := tables[field]
		if !ok || field == "notify_read" || field == "is_closing" {
			return true
		}
		for _, e := range tb.Edges {
			if tb.States[e[0]] == from && tb.States[e[1]] == to {
				return true
			}
		}
		return false
	}
	for _, path := range scenarioFiles(t) {
		s := runScenario(t, loadScenario(t, path), true)
		for _, e := range s.Rec.Events() {
			if e.Kind == trace.KindTransition && !allowed(e.Field, e.From, e.To) {
				t.Errorf("%s: %s %s -> %s is not in the transition table (%s)", path, e.Field, e.From, e.To, s.Rec.SpanString(e.Span))
			}
		}
	}
}

// TestSmuggling: CL+TE → chunked wins and the connection closes after the
// response (the pipelined GET is not served); conflicting CL → 400.
func TestSmuggling(t *testing.T) {
	s := runScenario(t, loadScenario(t, "testdata/scenarios/smuggle-cl-te.json"), true)
	out := string(s.ToClient())
	if !strings.HasSuffix(out, "\r\n\r\nhello") || !strings.Contains(out, "connection: close\r\n") || s.Server.RequestsSeen() != 1 {
		t.Fatalf("CL+TE: requests %d, output %q", s.Server.RequestsSeen(), out)
	}
	s = runScenario(t, loadScenario(t, "testdata/scenarios/smuggle-conflicting-cl.json"), true)
	tr := s.Transcript(false)
	if !strings.HasPrefix(string(s.ToClient()), "HTTP/1.1 400 Bad Request\r\n") || tr.Result.Error == nil || tr.Result.Error.Parse != "content-length-invalid" {
		t.Fatalf("conflicting CL: %q %+v", s.ToClient(), tr.Result)
	}
	s = runScenario(t, loadScenario(t, "testdata/scenarios/smuggle-duplicate-cl.json"), true)
	if !strings.HasSuffix(string(s.ToClient()), "\r\n\r\nhello") {
		t.Fatalf("duplicate identical CL: %q", s.ToClient())
	}
}

// TestAutomaticErrorResponses: 400, 414 and 431 heads, then close, with the
// parse error as the connection's result.
func TestAutomaticErrorResponses(t *testing.T) {
	for file, want := range map[string]struct{ line, parse string }{
		"bad-request":      {"HTTP/1.1 400 Bad Request\r\n", "header-token"},
		"uri-too-long":     {"HTTP/1.1 414 URI Too Long\r\n", "uri-too-long"},
		"too-many-headers": {"HTTP/1.1 431 Request Header Fields Too Large\r\n", "too-large"},
		"head-too-large":   {"HTTP/1.1 431 Request Header Fields Too Large\r\n", "too-large"},
	} {
		s := runScenario(t, loadScenario(t, "testdata/scenarios/"+file+".json"), true)
		tr := s.Transcript(false)
		if !strings.HasPrefix(string(s.ToClient()), want.line) || !tr.PeerEOF {
			t.Errorf("%s: output %q eof %v", file, s.ToClient(), tr.PeerEOF)
		}
		if tr.Result.State != "error" || tr.Result.Error.Kind != "parse" || tr.Result.Error.Parse != want.parse {
			t.Errorf("%s: result %+v %+v", file, tr.Result, tr.Result.Error)
		}
	}
}
