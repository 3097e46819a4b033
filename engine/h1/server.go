package h1

import (
	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// serverDispatch is hyper's dispatch::Server: incoming requests go to the
// service, whose future is the one in-flight slot; its response is the next
// outgoing message.
type serverDispatch struct {
	service Service
	future  ServiceFuture // the in-flight slot
	req     Request       // the request handed to Call (reused)
	// keptBody and keptUp are what the in-flight future took from its
	// request: dropped when the future completes or is dropped.
	keptBody body.Incoming
	keptUp   *OnUpgrade
	// head is the in-flight request's head: the Conn's parsed message,
	// valid until the next head is parsed (which waits for the future).
	head     *RequestHead
	resp     ResponseHead
	requests int
	rec      *trace.Recorder
}

// recordQueue records the in-flight slot changing (callers check s.rec:
// untraced, nothing is called).
func (s *serverDispatch) recordQueue(ev trace.EventSite) {
	s.rec.RecordAt(ev, int64(s.requests))
}

// The causes of the engine's drops, in hyper's terms: the request goes
// away when call returns (what the service did not move out of it), and
// what the service's future owns goes away with that future.
const (
	refServerDrop = "dispatch.rs Server::recv_msg, Server::poll_msg: the request, then the in_flight future, dropped §12.6.1"

	dropCallReturned    = "call returned without taking it"
	dropFutureCompleted = "service future completed"
	dropFutureDropped   = "service future dropped"
)

// dropBody drops a request body the service no longer owns, with a trace
// event naming the cause; a body already dropped (or none) is left alone.
func (s *serverDispatch) dropBody(in body.Incoming, cause string) {
	if !in.Live() {
		return
	}
	if s.rec != nil {
		s.rec.Add(trace.Event{Kind: trace.KindBody, Name: "drop", Detail: "request body dropped: " + cause, Ref: refServerDrop})
	}
	in.Drop()
}

// dropUpgrade drops an OnUpgrade the service no longer owns (nil, detached,
// settled or already dropped: nothing to do).
func (s *serverDispatch) dropUpgrade(up *OnUpgrade, cause string) {
	if up == nil || up.sh.detached || !up.live() {
		return
	}
	if s.rec != nil {
		s.rec.Add(trace.Event{Kind: trace.KindUpgrade, Name: "drop", Detail: "OnUpgrade dropped: " + cause, Ref: refServerDrop})
	}
	up.Drop()
}

// dropKept drops what the in-flight future owned, but not what it moved
// on (detached).
func (s *serverDispatch) dropKept(cause string) {
	if s.keptBody.IsNone() && s.keptUp == nil {
		return // the common case: nothing was kept (a GET's future)
	}
	s.dropKeptSlow(cause)
}

func (s *serverDispatch) dropKeptSlow(cause string) {
	in, up := s.keptBody, s.keptUp
	s.keptBody, s.keptUp = body.Incoming{}, nil
	if !in.Detached() {
		s.dropBody(in, cause)
	}
	s.dropUpgrade(up, cause)
}

// dropFuture drops the in-flight future without polling it to the end
// (the connection is done with it), and with it what it owned.
func (s *serverDispatch) dropFuture() {
	if s.future == nil {
		return
	}
	s.future = nil
	s.dropKept(dropFutureDropped)
}

// pollMsg polls the in-flight service future; when it resolves, the slot is
// emptied and the response goes to the writer (§12.4.2).
func (s *serverDispatch) pollMsg(cx *poll.Context, out *outgoing) bool {
	invariant(s.future != nil, assertServerPollMsgFlight) // dispatch.rs:613
	p := s.future.Poll(cx)
	if !p.Ready {
		return false
	}
	// the future is done: what it kept goes away with it, as an async
	// block's locals are dropped when it returns
	s.dropKept(dropFutureCompleted)
	s.future = nil
	if s.rec != nil {
		s.recordQueue(evInFlightDone)
	}
	if p.Value.Err != nil {
		*out = outgoing{err: p.Value.Err}
		return true
	}
	s.resp = p.Value.Head
	b := p.Value.Body
	if b == nil {
		b = body.EmptyBody{}
	}
	*out = outgoing{head: &s.resp, body: b}
	return true
}

// recvMsg calls the service with the request; this is where user code runs
// (§12.4.3). What the service did not take from the request is dropped
// when Call returns. An error is passed back up: the connection ends with
// it.
func (s *serverDispatch) recvMsg(h *readHead, b body.Incoming, up *OnUpgrade, err *Error) *Error {
	if err != nil {
		return err
	}
	s.head = &h.msg.Head
	s.requests++
	s.req = Request{Head: s.head, body: b, upgrade: up}
	s.future = s.service.Call(&s.req)
	s.req.closed = true
	// what is left in the request was not taken: dropped with it
	if !s.req.body.IsNone() {
		s.dropBody(s.req.body, dropCallReturned)
	}
	if s.req.upgrade != nil {
		s.dropUpgrade(s.req.upgrade, dropCallReturned)
	}
	if !b.IsNone() && s.req.body.IsNone() {
		s.keptBody = b
	}
	if up != nil && s.req.upgrade == nil {
		s.keptUp = up
	}
	s.req.body, s.req.upgrade = body.Incoming{}, nil
	if s.rec != nil {
		s.recordQueue(evInFlightSet)
	}
	return nil
}

// pollReady: one request at a time; a new head is not read while the
// service is still working on one.
func (s *serverDispatch) pollReady(cx *poll.Context) poll.Poll[bool] {
	if s.future != nil {
		return poll.Pending[bool]()
	}
	return poll.Ready(true)
}

func (s *serverDispatch) shouldPoll() bool { return s.future != nil }

func (s *serverDispatch) inFlight() string {
	if s.future == nil {
		return ""
	}
	return s.head.Method + " " + string(s.head.URI)
}

// ServerConn is a served connection as a task (hyper's
// server::conn::http1::UpgradeableConnection): it polls the Dispatcher and,
// if the connection ends in an upgrade, hands the transport over.
type ServerConn struct {
	disp *Dispatcher
	sd   *serverDispatch

	done     bool
	err      *Error
	upgraded bool
	leftover int
	// cutOff records, when the connection failed, whether a message was in
	// progress: a request being read or handled, or a response not yet
	// wholly handed to the transport.
	cutOff bool
}

// CutOff reports whether the error ended the connection mid-message.
func (s *ServerConn) CutOff() bool { return s.cutOff }

func (s *ServerConn) midMessage() bool {
	c := s.disp.conn
	return s.sd.requests > c.responsesDone || s.disp.bodyRx != nil || c.hasBufferedWrite() ||
		c.state.reading == ReadingBody || c.state.reading == ReadingContinue ||
		c.state.writing == WritingBody
}

// NewServerConn builds a server connection over io.
func NewServerConn(ex *poll.Executor, io poll.IO, svc Service, opts Options) *ServerConn {
	var rec *trace.Recorder
	var clock *poll.Clock
	if ex != nil {
		rec = ex.Recorder()
		clock = ex.Clock()
	}
	conn := NewConn(io, RoleServer, opts, clock, rec)
	sd := &serverDispatch{service: svc, rec: rec}
	return &ServerConn{
		sd:   sd,
		disp: &Dispatcher{conn: conn, dispatch: sd, ex: ex, rec: rec},
	}
}

// Dispatcher exposes the dispatcher for views.
func (s *ServerConn) Dispatcher() *Dispatcher { return s.disp }

// Done reports whether the connection task finished.
func (s *ServerConn) Done() bool { return s.done }

// Err is the error the connection ended with (nil for a clean end).
func (s *ServerConn) Err() *Error { return s.err }

// Upgraded reports whether the connection ended in an upgrade.
func (s *ServerConn) Upgraded() bool { return s.upgraded }

// RequestsSeen counts requests handed to the service.
func (s *ServerConn) RequestsSeen() int { return s.sd.requests }

// GracefulShutdown finishes the message in progress, then closes.
func (s *ServerConn) GracefulShutdown() { s.disp.DisableKeepAlive() }

// Poll implements poll.Task.
func (s *ServerConn) Poll(cx *poll.Context) bool {
	if s.done {
		return true
	}
	rec := s.disp.rec
	if rec != nil {
		rec.Enter("Dispatcher.poll", 0)
		defer rec.Exit()
	}
	p := s.disp.pollCatch(cx, true)
	if !p.Ready {
		return false
	}
	s.done = true
	// the connection future is done: the Dispatcher, and with it an
	// in-flight service future, is dropped
	s.sd.dropFuture()
	r := p.Value
	switch {
	case r.err != nil:
		s.err = r.err
		s.cutOff = s.midMessage()
		s.dropIO()
	case r.how == DispatchedUpgrade:
		io, rest := s.disp.conn.intoInner()
		s.upgraded = true
		s.leftover = len(rest)
		if rec != nil {
			rec.Add(trace.Event{Kind: trace.KindUpgrade, Name: "fulfill", N: int64(len(rest)), Detail: string(rest), Ref: "server/conn/http1.rs UpgradeableConnection::poll §12.8.2"})
			rec.Note("pending upgrade fulfill", "upgrade.rs Pending::fulfill")
		}
		r.pending.Fulfill(io, rest)
		if !r.pending.Delivered() {
			// nobody took the upgrade: the connection just closed
			s.upgraded = false
		}
	default:
		s.dropIO()
	}
	return true
}

// Drop drops the connection future before it finished, as dropping (or
// aborting the task of) hyper's Connection does: the Dispatcher goes, and
// with it an in-flight service future and what that future owned; the
// transport is closed. The task, if spawned, is done from then on.
func (s *ServerConn) Drop() {
	if s.done {
		return
	}
	s.done = true
	s.sd.dropFuture()
	s.dropIO()
}

// dropIO closes the transport when the connection future is done with it,
// as dropping hyper's Connection drops (closes) its socket.
func (s *ServerConn) dropIO() {
	if c, ok := s.disp.conn.io.io.(interface{ Close() }); ok {
		c.Close()
	}
}

// WaitingOn describes what the connection waits for in stall reports.
func (s *ServerConn) WaitingOn() string {
	c := s.disp.conn
	return "Conn{reading: " + c.state.reading.String() + ", writing: " + c.state.writing.String() + ", keep_alive: " + c.state.keepAlive.String() + "}"
}
