package session

import (
	"encoding/base64"

	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// Transcript is what running a session produces.
type Transcript struct {
	Version      int         `json:"version"`
	ToServerB64  string      `json:"to_server_b64"`
	ToClientB64  string      `json:"to_client_b64"`
	PeerEOF      bool        `json:"peer_eof"`
	Result       Result      `json:"result"`
	RequestsSeen int         `json:"requests_seen"`
	Steps        int         `json:"steps"`
	Final        FinalState  `json:"final"`
	Events       []EventJSON `json:"events,omitempty"`
}

// Result says how the connection stands.
type Result struct {
	State string      `json:"state"` // running, closed, error, upgraded
	Error *ErrorJSON  `json:"error,omitempty"`
	Waits []poll.Wait `json:"waits,omitempty"`
}

// ErrorJSON is an engine error as the transcript shows it.
type ErrorJSON struct {
	Kind   string `json:"kind"`
	Parse  string `json:"parse,omitempty"`
	Errno  string `json:"errno,omitempty"`
	Detail string `json:"detail"`
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
		Version:      1,
		ToServerB64:  base64.StdEncoding.EncodeToString(s.toServer),
		ToClientB64:  base64.StdEncoding.EncodeToString(s.toClient),
		PeerEOF:      s.Duplex.ToClient.WriteClosed(),
		RequestsSeen: s.Server.RequestsSeen(),
		Steps:        s.Ex.Steps(),
		Result:       s.result(),
	}
	c := s.Server.Dispatcher().Conn()
	t.Final = FinalState{Reading: c.Reading().String(), Writing: c.Writing().String(), KeepAlive: c.KeepAlive().String()}
	if withEvents && s.Rec != nil {
		t.Events = EventsJSON(s.Rec)
	}
	return t
}

func (s *Session) result() Result {
	srv := s.Server
	switch {
	case !srv.Done():
		return Result{State: "running"}
	case srv.Err() != nil:
		return Result{State: "error", Error: errorJSON(srv.Err())}
	case srv.Upgraded():
		return Result{State: "upgraded"}
	}
	return Result{State: "closed"}
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
