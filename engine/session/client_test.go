package session

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/trace"
)

// TestSeed001AwaitConnDeadlocks: awaiting the connection before sending
// deadlocks; the wait-for graph shows the program polling the connection
// and the server waiting for bytes. Spawning the connection first works.
func TestSeed001AwaitConnDeadlocks(t *testing.T) {
	s, tr := scenario(t, "seed001-deadlock")
	if tr.Result.State != "deadlock" || len(tr.Result.Waits) != 2 {
		t.Fatalf("result %+v", tr.Result)
	}
	prog := tr.Result.Waits[1]
	if prog.Name != "client program" || !strings.Contains(strings.Join(prog.WaitsOn, ";"), "dispatch queue") || !strings.Contains(strings.Join(prog.WaitsOn, ";"), "await conn") {
		t.Fatalf("program waits %+v", prog)
	}
	srv := tr.Result.Waits[0]
	if srv.Name != "server connection" || !strings.Contains(strings.Join(srv.WaitsOn, ";"), "c→s read end") {
		t.Fatalf("server waits %+v", srv)
	}
	if len(s.ToServer()) != 0 {
		t.Fatalf("bytes were sent: %q", s.ToServer())
	}
	_, fixed := scenario(t, "seed001-fixed")
	if fixed.Result.State != "closed" || fixed.Client.RequestsSent != 1 || !strings.Contains(strings.Join(fixed.Client.Log, "\n"), `body "hello"`) {
		t.Fatalf("fixed: %+v %+v", fixed.Result, fixed.Client)
	}
}

// TestSeed000GracefulClose: dropping the response and the sender closes the
// client connection with a FIN; the server sees EOF and closes cleanly.
func TestSeed000GracefulClose(t *testing.T) {
	s, tr := scenario(t, "seed000-graceful")
	if tr.Result.State != "closed" || !s.Duplex.ToServer.WriteClosed() || !s.Server.Done() || s.Server.Err() != nil {
		t.Fatalf("result %+v, client FIN %v, server done %v err %v", tr.Result, s.Duplex.ToServer.WriteClosed(), s.Server.Done(), s.Server.Err())
	}
	tx := false
	for _, e := range eventsOf(s, trace.KindNote) {
		if e.Detail == "client tx closed" {
			tx = true
		}
	}
	if !tx {
		t.Fatal("the client dispatch never saw its sender dropped")
	}
}

// TestSeed002StreamingBody: awaiting the response before finishing the body
// deadlocks against a server that reads the whole body first; streaming
// the body first completes, and the response resolves at its head.
func TestSeed002StreamingBody(t *testing.T) {
	_, dead := scenario(t, "seed002-deadlock")
	if dead.Result.State != "deadlock" {
		t.Fatalf("result %+v", dead.Result)
	}
	found := false
	for _, w := range dead.Result.Waits {
		if w.Name == "client connection" && strings.Contains(strings.Join(w.WaitsOn, ";"), "request body stream") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no wait on the request body stream: %+v", dead.Result.Waits)
	}
	s, ok := scenario(t, "seed002-fixed")
	if ok.Result.State != "closed" || !strings.HasSuffix(string(s.ToClient()), "got 5 bytes") || !strings.Contains(string(s.ToServer()), "5\r\nhello\r\n0\r\n\r\n") {
		t.Fatalf("fixed: %+v\n%q\n%q", ok.Result, s.ToServer(), s.ToClient())
	}
}

// TestClientQueueEvents: the dispatch queue shows want, enqueue, dequeue.
func TestClientQueueEvents(t *testing.T) {
	s, _ := scenario(t, "seed001-fixed")
	var ops []string
	for _, e := range eventsOf(s, trace.KindQueue) {
		if e.Ref == "client/dispatch.rs dispatch::channel §12.4.1" {
			ops = append(ops, e.Name)
		}
	}
	// the program runs before the connection task's first poll: its one
	// request is buffered before any want (buffered_once), then the
	// connection takes it and, finding the queue empty, signals want
	if got := strings.Join(ops, " "); got != "enqueue dequeue want sender dropped" {
		t.Fatalf("queue ops %q", got)
	}
}

func TestClientBehaviours(t *testing.T) {
	for name, want := range map[string]struct{ state, kind, log string }{
		"client-timeout":          {"error", "canceled", "timed out after 50ms"},
		"client-unexpected-bytes": {"error", "unexpected-message", `body "hi"`},
		"client-incomplete":       {"error", "body", "end of file before message length reached"},
		"client-close-delimited":  {"closed", "", `body "until close"`},
		"client-head":             {"closed", "", `body "" (0 bytes)`},
		"client-close-write":      {"closed", "", `body "late"`},
		"client-typed":            {"closed", "", `body "hi"`},
		"client-101":              {"closed", "", "response 101"},
		"client-304-204":          {"closed", "", "response 204"},
	} {
		_, tr := scenario(t, name)
		kind := ""
		if tr.Result.Error != nil {
			kind = tr.Result.Error.Kind
		}
		if tr.Result.State != want.state || kind != want.kind || !strings.Contains(strings.Join(tr.Client.Log, "\n"), want.log) {
			t.Errorf("%s: result %+v kind %q log %v", name, tr.Result, kind, tr.Client.Log)
		}
	}
}

func TestClientProgramErrorsNameTheLine(t *testing.T) {
	_, err := ParseBytes([]byte(`{"version":1,"mode":"both","handler":"hello","client_program":["handshake","sned GET /"]}`))
	if err == nil || !strings.Contains(err.Error(), "client_program") || !strings.Contains(err.Error(), "line 2, column 1") {
		t.Fatalf("err = %v", err)
	}
	s := runJSON(t, `{"version":1,"mode":"both","handler":"hello","client_program":["send GET /"]}`)
	tr := s.Transcript(false)
	if tr.Result.State != "error" || !strings.Contains(tr.Result.Explain, "line 1") || !strings.Contains(tr.Result.Explain, "before handshake") {
		t.Fatalf("%+v", tr.Result)
	}
}
