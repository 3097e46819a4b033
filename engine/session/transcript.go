package session

import (
	"strconv"

	b64enc "github.com/connlab/connlab/engine/b64"
	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// Transcript is what running a session produces.
type Transcript struct {
	Version      int        `json:"version"`
	ToServerB64  string     `json:"to_server_b64"`
	ToClientB64  string     `json:"to_client_b64"`
	PeerEOF      bool       `json:"peer_eof"`
	Result       Result     `json:"result"`
	RequestsSeen int        `json:"requests_seen"`
	Steps        int        `json:"steps"`
	Final        FinalState `json:"final"`
	// FinalClient is the client connection's state (modes client and both).
	FinalClient *FinalState `json:"final_client,omitempty"`
	// Client reports the client program (modes client and both).
	Client *ClientJSON `json:"client,omitempty"`
	Events []EventJSON `json:"events,omitempty"`
}

// Result says how the connection stands.
type Result struct {
	State string      `json:"state"` // running, closed, error, upgraded
	Error *ErrorJSON  `json:"error,omitempty"`
	Waits []poll.Wait `json:"waits,omitempty"`
	// Benign is true when an error only says the peer left after a complete
	// exchange (seed 003's ENOTCONN on shutdown): safe to ignore in logs.
	Benign bool `json:"benign"`
	// Explain says in one line what happened.
	Explain string `json:"explain"`
}

// ErrorJSON is an engine error as the transcript shows it.
type ErrorJSON struct {
	Kind   string `json:"kind"`
	Parse  string `json:"parse,omitempty"`
	Errno  string `json:"errno,omitempty"`
	Detail string `json:"detail"`
}

// ClientJSON is what the client program did.
type ClientJSON struct {
	Done         bool     `json:"done"`
	Line         int      `json:"line"` // the line it stopped at (0 when done)
	RequestsSent int      `json:"requests_sent"`
	Log          []string `json:"log"`
}

// FinalState is the Conn state at the end.
type FinalState struct {
	Reading   string `json:"reading"`
	Writing   string `json:"writing"`
	KeepAlive string `json:"keep_alive"`
}

// EventJSON is a trace event as JSON.
type EventJSON struct {
	Seq    int32  `json:"seq"`
	Step   int32  `json:"step"`
	Task   int32  `json:"task"`
	Span   string `json:"span,omitempty"`
	Kind   string `json:"kind"`
	Field  string `json:"field,omitempty"`
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	Name   string `json:"name,omitempty"`
	Detail string `json:"detail,omitempty"`
	N      int64  `json:"n,omitempty"`
	Off    int64  `json:"off,omitempty"`
	Ref    string `json:"ref,omitempty"`
}

// Transcript summarises the session now. withEvents includes the trace.
func (s *Session) Transcript(withEvents bool) *Transcript {
	t := &Transcript{
		Version:     1,
		ToServerB64: b64enc.Std.EncodeToString(s.toServer),
		ToClientB64: b64enc.Std.EncodeToString(s.toClient),
		Steps:       s.Ex.Steps(),
		Result:      s.result(),
	}
	if s.Server != nil {
		t.PeerEOF = s.Duplex.ToClient.WriteClosed()
		t.RequestsSeen = s.Server.RequestsSeen()
		t.Final = finalOf(s.Server.Dispatcher().Conn())
	}
	if p := s.Client; p != nil {
		t.Client = &ClientJSON{Done: p.done, RequestsSent: p.sent, Log: p.log}
		if t.Client.Log == nil {
			t.Client.Log = []string{}
		}
		if !p.done && p.pc < len(p.ops) {
			t.Client.Line = p.ops[p.pc].Line
		}
		if p.conn != nil {
			fc := finalOf(p.conn.Dispatcher().Conn())
			t.FinalClient = &fc
		}
		if s.Server == nil {
			// mode client: the engine is the client
			t.PeerEOF = s.Duplex.ToServer.WriteClosed()
			t.RequestsSeen = p.sent
			if t.FinalClient != nil {
				t.Final = *t.FinalClient
			}
		}
	}
	if withEvents && s.Rec != nil {
		t.Events = EventsJSON(s.Rec)
	}
	return t
}

func finalOf(c *h1.Conn) FinalState {
	return FinalState{Reading: c.Reading().String(), Writing: c.Writing().String(), KeepAlive: c.KeepAlive().String()}
}

// Result is the session's outcome as it stands: a transcript's Result,
// without encoding the streams (the UI reads it after every slice of a
// long run; a transcript would copy megabytes each time).
func (s *Session) Result() Result { return s.result() }

func (s *Session) result() Result {
	if s.Mode != ModeServer {
		return s.clientResult()
	}
	srv := s.Server
	switch {
	case !srv.Done():
		r := Result{State: "running", Explain: s.explainRunning()}
		if s.Ex.Stalled() && srv.Dispatcher().InFlight() != "" {
			// the service holds a request and no task can run: say what
			// each one waits on, so a hang (a body the service keeps but
			// never reads) shows its wait-for graph, as a deadlock does
			// (issue 16, item 8); an idle connection waiting for the next
			// head is not listed
			r.Waits = s.Ex.StallReport()
		}
		return r
	case srv.Err() != nil:
		r := Result{State: "error", Error: errorJSON(srv.Err())}
		r.Benign, r.Explain = classify(srv.Err(), srv.CutOff(), srv.RequestsSeen())
		return r
	case srv.Upgraded():
		return Result{State: "upgraded", Explain: "the connection switched protocols: the transport and its leftover bytes went to the upgraded protocol's task"}
	}
	return Result{State: "closed", Explain: "the connection closed cleanly after " + plural(srv.RequestsSeen(), "request")}
}

// clientResult: the client program's outcome decides, then the
// connections'; with every party engine code, a stall is a deadlock.
func (s *Session) clientResult() Result {
	p := s.Client
	if p.err != nil {
		r := Result{State: "error", Error: errorJSON(p.err)}
		r.Explain = "the client program failed at line " + strconv.Itoa(p.errLine) + ": " + p.err.Error()
		return r
	}
	if s.Mode == ModeBoth && s.Ex.Stalled() {
		return Result{State: "deadlock", Waits: s.Ex.StallReport(),
			Explain: "every task waits and nothing can wake them: no task is runnable, no timer is armed (see waits for the wait-for graph)"}
	}
	switch {
	case p.conn != nil && p.conn.Err() != nil:
		return Result{State: "error", Error: errorJSON(p.conn.Err()), Explain: "the client connection failed: " + p.conn.Err().Error()}
	case !p.done:
		r := Result{State: "running", Explain: "the client program waits at " + p.WaitingOn()}
		if s.Mode == ModeClient && s.Ex.Stalled() {
			r.Waits = s.Ex.StallReport()
			r.Explain += " (waiting for the server's bytes, which you type)"
		}
		return r
	case p.conn != nil && p.conn.Upgraded():
		return Result{State: "upgraded", Explain: "the client connection switched protocols"}
	case s.Server != nil && s.Server.Err() != nil:
		r := Result{State: "error", Error: errorJSON(s.Server.Err())}
		r.Benign, r.Explain = classify(s.Server.Err(), s.Server.CutOff(), s.Server.RequestsSeen())
		return r
	case p.conn != nil && !p.conn.Done():
		return Result{State: "running", Explain: "the client program finished; the client connection is still open"}
	case s.Server != nil && !s.Server.Done():
		return Result{State: "running", Explain: "the client finished; the server connection is still open"}
	}
	return Result{State: "closed", Explain: "the client program finished and the connection closed gracefully after " + plural(p.sent, "request")}
}

func (s *Session) explainRunning() string {
	c := s.Server.Dispatcher().Conn()
	switch {
	case s.Server.Dispatcher().InFlight() != "":
		return "the service is still working on " + s.Server.Dispatcher().InFlight()
	case c.Reading() == h1.ReadingInit && c.Writing() == h1.WritingInit:
		return "idle: the connection waits for the next request head"
	case c.Reading() == h1.ReadingContinue:
		return "the request expects 100-continue: waiting for the service to poll its body"
	case c.Reading() == h1.ReadingBody:
		return "reading the request body: waiting for more bytes"
	case c.Writing() == h1.WritingBody:
		return "writing the response body"
	}
	return "waiting for input"
}

// classify says whether an error is benign and explains it in one line.
func classify(e *h1.Error, cutOff bool, requests int) (benign bool, explain string) {
	errno := e.Errno()
	switch {
	case e.Kind == h1.KindShutdown && !cutOff:
		return true, "the peer left after a complete exchange (" + plural(requests, "request") + " answered); shutting the socket down then fails with " + errno + ": benign, as with wrk closing its connections (seed 003)"
	case e.Kind == h1.KindIO && errno == "ECONNRESET" && !cutOff:
		return true, "the peer reset the connection after the last response was flushed: benign"
	case e.Kind == h1.KindIncomplete:
		return false, "the peer closed the connection in the middle of a message"
	case e.Kind == h1.KindHeaderTimeout:
		return false, "the request head did not arrive in time: the header-read timeout closed the connection (the slowloris defence)"
	case e.Kind == h1.KindParse:
		return false, "the request head was malformed (" + e.Parse.String() + "): answered with an error status and closed"
	case cutOff && errno != "":
		return false, "the transport failed with " + errno + " while a message was in progress: it was cut off"
	case e.Kind == h1.KindUser:
		return false, "the service failed: the connection closes without a response"
	case e.Kind == h1.KindUserBody:
		return false, "the response body failed mid-stream: the connection closes"
	case cutOff:
		return false, "the connection failed while a message was in progress: it was cut off"
	}
	return false, "the connection ended with an error: " + e.Error()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func errorJSON(e *h1.Error) *ErrorJSON {
	j := &ErrorJSON{Kind: e.Kind.String(), Errno: e.Errno(), Detail: e.Error()}
	if e.Kind == h1.KindParse {
		j.Parse = e.Parse.String()
	}
	return j
}

// EventsJSON converts a recorder's events.
func EventsJSON(rec *trace.Recorder) []EventJSON {
	evs := rec.Events()
	out := make([]EventJSON, len(evs))
	for i, e := range evs {
		out[i] = EventJSON{
			Seq: e.Seq, Step: e.Step, Task: e.Task, Span: rec.SpanString(e.Span), Kind: e.Kind.String(),
			Field: e.Field, From: e.From, To: e.To, Name: e.Name, Detail: e.Detail, N: e.N, Off: e.Off, Ref: e.Ref,
		}
	}
	return out
}
