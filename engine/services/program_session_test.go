package services_test

// Service programs run in whole sessions: the operations the catalog's
// programs do not use (their comparison with the Go services is in
// engine/session and engine/conformance).

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/connlab/connlab/engine/program"
	"github.com/connlab/connlab/engine/services"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/trace"
)

// runProgram runs a service program against the typed inputs (send
// strings, or "wait:N" for wait_ms N, "shutdown") and returns the session.
func runProgram(t *testing.T, prog string, inputs ...string) *session.Session {
	t.Helper()
	f := map[string]any{"version": 1, "service_program": strings.Split(prog, "\n")}
	var in []map[string]any
	for _, s := range inputs {
		switch {
		case s == "shutdown":
			in = append(in, map[string]any{"shutdown": "write"})
		case strings.HasPrefix(s, "wait:"):
			var ms int64
			json.Unmarshal([]byte(s[5:]), &ms)
			in = append(in, map[string]any{"wait_ms": ms})
		case !utf8.ValidString(s):
			in = append(in, map[string]any{"send_b64": base64.StdEncoding.EncodeToString([]byte(s))})
		default:
			in = append(in, map[string]any{"send": s})
		}
	}
	f["input"] = in
	data, _ := json.Marshal(f)
	file, err := session.ParseBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	s := session.New(file, session.Options{Trace: true})
	if err := s.Run(); err != nil {
		t.Fatal(err)
	}
	return s
}

const get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"

func wantWire(t *testing.T, s *session.Session, wants ...string) {
	t.Helper()
	got := string(s.ToClient())
	rest := got
	for _, w := range wants {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("the bytes to the client lack %q (in order):\n%s", w, got)
		}
		rest = rest[i+len(w):]
	}
}

func TestProgramStreamBody(t *testing.T) {
	s := runProgram(t, `respond 200 header "Trailer: x-sum" body stream
send-chunk "ab"
sleep 50ms
yield
send-chunk "c"
end-body trailer "X-Sum: 3"`,
		"GET / HTTP/1.1\r\nHost: x\r\nTE: trailers\r\n\r\n", "wait:50", "shutdown")
	wantWire(t, s, "HTTP/1.1 200 OK\r\n", "transfer-encoding: chunked\r\n", "\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\nx-sum: 3\r\n\r\n")
	if d := s.Transcript(false); d.Result.State != "closed" {
		t.Errorf("result %+v", d.Result)
	}
	// the sleep is on the virtual clock: c comes only after the wait
	s = runProgram(t, "respond 200 body stream\nsend-chunk \"ab\"\nsleep 50ms\nsend-chunk \"c\"", get)
	if got := string(s.ToClient()); !strings.Contains(got, "2\r\nab\r\n") || strings.Contains(got, "1\r\nc\r\n") {
		t.Errorf("before the wait: %q", got)
	}
}

func TestProgramFail(t *testing.T) {
	s := runProgram(t, `fail "database unavailable"`, get)
	tr := s.Transcript(false)
	if tr.Result.Error == nil || tr.Result.Error.Kind != "user" || !strings.Contains(tr.Result.Error.Detail, "database unavailable") {
		t.Errorf("result %+v", tr.Result)
	}
	// a stream body that fails mid-way: the head and a chunk are out, then
	// the connection ends with the body's error, no last chunk
	s = runProgram(t, "respond 200 body stream\nsend-chunk \"a\"\nsleep 10ms\nfail \"producer died\"", get, "wait:10")
	tr = s.Transcript(false)
	if tr.Result.Error == nil || !strings.Contains(tr.Result.Error.Detail, "producer died") {
		t.Errorf("result %+v", tr.Result)
	}
	if got := string(s.ToClient()); !strings.Contains(got, "1\r\na\r\n") || strings.Contains(got, "0\r\n\r\n") {
		t.Errorf("bytes %q", got)
	}
}

// TestProgramSections: the first matching section runs, else the default.
func TestProgramSections(t *testing.T) {
	prog := `on POST /upload
  respond 413
on GET /files/* header X-Key
  respond 200 body "file"
default
  respond 404`
	s := runProgram(t, prog,
		"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
		"GET /files/a HTTP/1.1\r\nHost: x\r\nx-key: 1\r\n\r\n",
		"GET /files/a HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /upload/x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
	wantWire(t, s, "HTTP/1.1 413 ", "HTTP/1.1 200 OK", "file", "HTTP/1.1 404 ", "HTTP/1.1 404 ")
}

// TestProgramBodyDrops: drop body before any read is the early drop (the
// connection drains a body at hand and stays open); after a read, with the
// rest of the body not yet arrived, the connection cannot drain and
// closes; hold body never answers.
func TestProgramBodyDrops(t *testing.T) {
	post := "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabc"
	early := runProgram(t, "drop body\nrespond 200 body \"early\"", post+"def"+get)
	wantWire(t, early, "early", "HTTP/1.1 200 OK", "early")
	if tr := early.Transcript(false); tr.RequestsSeen != 2 {
		t.Errorf("early drop: %d requests, want 2 (drained, kept alive)", tr.RequestsSeen)
	}
	late := runProgram(t, "read-frame\ndrop body\nrespond 200 body echo", post, "def", get)
	wantWire(t, late, "content-length: 3\r\n", "abc")
	if tr := late.Transcript(false); tr.RequestsSeen != 1 || tr.Result.State != "closed" || !hasNote(late, "body receiver dropped before eof") {
		t.Errorf("late drop: %d requests, %+v; want 1, closed", tr.RequestsSeen, tr.Result)
	}
	held := runProgram(t, "hold body", post)
	if tr := held.Transcript(false); tr.Result.State != "running" || len(held.ToClient()) != 0 {
		t.Errorf("hold body: %+v, %q", tr.Result, held.ToClient())
	}
}

// TestProgramNotReady: the request stays in flight while poll_ready is
// Pending, and the next pipelined head is not parsed until it is answered.
func TestProgramNotReady(t *testing.T) {
	s := runProgram(t, "not-ready 100ms\nrespond 200 body \"ok\"", get+get, "wait:99")
	if tr := s.Transcript(false); tr.RequestsSeen != 1 || len(s.ToClient()) != 0 {
		t.Errorf("at 99 ms: %d requests, %q", tr.RequestsSeen, s.ToClient())
	}
	s = runProgram(t, "not-ready 100ms\nrespond 200 body \"ok\"", get+get, "wait:100")
	if tr := s.Transcript(false); tr.RequestsSeen != 2 || strings.Count(string(s.ToClient()), "200 OK") != 1 {
		t.Errorf("at 100 ms: %d requests, %q", tr.RequestsSeen, s.ToClient())
	}
}

// TestProgramUpgrades: upgrade websocket after a hand-written 101, and the
// leftover bytes that came with the head reach the protocol first.
func TestProgramUpgrades(t *testing.T) {
	frame := services.ClientFrame(true, services.OpText, []byte("hi"))
	s := runProgram(t, `on GET /ws upgradable
  respond 101 header "upgrade: websocket" header "connection: upgrade" header "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
  upgrade websocket
default
  respond 400`, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"+string(frame))
	got := s.ToClient()
	i := strings.Index(string(got), "\r\n\r\n")
	if i < 0 || !strings.HasPrefix(string(got), "HTTP/1.1 101 Switching Protocols\r\n") {
		t.Fatalf("%q", got)
	}
	frames := services.DecodeServerFrames(t, got[i+4:])
	if len(frames) == 0 || frames[0].Payload != "hi" {
		t.Errorf("frames after the 101: %s", services.Abbrev(frames))
	}
	echo := runProgram(t, `respond 101 header "upgrade: echo" header "connection: upgrade"
upgrade echo`, "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: upgrade\r\n\r\nleftover", "shutdown")
	wantWire(t, echo, "HTTP/1.1 101 ", "\r\n\r\nleftover")
	if tr := echo.Transcript(false); tr.Result.State != "upgraded" {
		t.Errorf("result %+v", tr.Result)
	}
}

// TestProgramsParse: every program of the library parses, and every
// catalog service has one.
func TestProgramsParse(t *testing.T) {
	progs := services.Programs()
	catalog := 0
	for _, p := range progs {
		if p.Source == "" || p.Description == "" {
			t.Errorf("%s: empty source or description", p.Name)
			continue
		}
		if _, err := program.ParseService(p.Source); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
		if p.Kind == "catalog" {
			catalog++
		} else if p.Kind != "problem" {
			t.Errorf("%s: kind %q", p.Name, p.Kind)
		}
	}
	if catalog != len(services.Handlers()) {
		t.Errorf("%d catalog programs for %d handlers", catalog, len(services.Handlers()))
	}
}

// hasNote reports whether the session's trace has a note containing text.
func hasNote(s *session.Session, text string) bool {
	for _, e := range s.Rec.Events() {
		if e.Kind == trace.KindNote && strings.Contains(e.Detail, text) {
			return true
		}
	}
	return false
}
