package h1

import (
	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// This file is hyper's client::dispatch channel: an unbounded queue of
// requests, bounded in practice by a want signal (the `want` crate's
// Giver/Taker). The connection signals want when it polls an empty queue;
// SendRequest may send when the connection wants — or once before that.

// ClientRequest is a request a client program sends.
type ClientRequest struct {
	Head RequestHead
	Body body.Body // nil: no body
}

// ClientResponse is what a ResponseFuture resolves to.
type ClientResponse struct {
	Head ResponseHead // owned copy
	Body body.Incoming
	Err  *Error
	// Message is the request given back with Err (TrySendError::message):
	// only a TrySendRequest future gets it, and only when the request was
	// never started (refused at the call, or still queued when the
	// connection failed or went away). nil otherwise.
	Message *ClientRequest
	// Upgrade is the response's OnUpgrade when it switched protocols
	// (hyper keeps it in the response's extensions for
	// hyper::upgrade::on); nil otherwise.
	Upgrade *OnUpgrade
}

const refClientDispatch = "client/dispatch.rs dispatch::channel §12.4.1"

type callback struct {
	retry    bool // try_send_request's Callback::Retry: errors carry the request back
	done     bool
	resp     ClientResponse
	dropped  bool       // the ResponseFuture was dropped
	rxSlot   *poll.Slot // the user awaiting the response
	dropSlot *poll.Slot // the connection watching for cancellation
}

type envelope struct {
	req ClientRequest
	cb  *callback
}

type clientChan struct {
	queue    []envelope
	senders  int  // live SendRequest handles
	rxClosed bool // the connection dropped its receiver
	wanting  bool // the connection asked for a request (want::Want)
	txSlot   *poll.Slot
	rxSlot   *poll.Slot
	ex       *poll.Executor
	rec      *trace.Recorder
}

func (c *clientChan) event(op string) {
	if c.rec != nil {
		c.rec.Record(trace.KindQueue, op, "", refClientDispatch, int64(len(c.queue)))
	}
}

// SendRequest is the user's handle for sending requests on a connection
// (hyper's client::conn::http1::SendRequest).
type SendRequest struct {
	ch           *clientChan
	bufferedOnce bool
	dropped      bool
}

// PollReady is Ready(nil) when the connection wants a request, Ready(err)
// when it is gone, Pending otherwise.
func (s *SendRequest) PollReady(cx *poll.Context) poll.Poll[*Error] {
	c := s.ch
	if c.rxClosed {
		return poll.Ready(newClosed())
	}
	if c.wanting {
		return poll.Ready[*Error](nil)
	}
	c.txSlot.Register(cx)
	return poll.Pending[*Error]()
}

// IsReady reports whether the connection currently wants a request.
func (s *SendRequest) IsReady() bool { return s.ch.wanting && !s.ch.rxClosed }

// IsClosed reports whether the connection side has gone away
// (SendRequest::is_closed: the want Giver sees the Taker canceled).
func (s *SendRequest) IsClosed() bool { return s.ch.rxClosed }

// SendRequest queues req. One request may be queued before the connection
// wants one; beyond that, or once the connection is gone, the returned
// future fails at once ("connection was not ready").
func (s *SendRequest) SendRequest(req ClientRequest) *ResponseFuture {
	return s.send(req, false)
}

// TrySendRequest is try_send_request: as SendRequest, but an error that
// comes before the request was started gives the request back in the
// response's Message (TrySendError::message): refused at the call because
// the connection is not ready (busy, or closed: hyper says "connection was
// not ready" for both), or still queued when the connection failed
// ("connection closed" or the connection's error).
func (s *SendRequest) TrySendRequest(req ClientRequest) *ResponseFuture {
	return s.send(req, true)
}

func (s *SendRequest) send(req ClientRequest, retry bool) *ResponseFuture {
	c := s.ch
	cb := &callback{
		retry:    retry,
		rxSlot:   poll.NewSlot(c.ex, "response future (awaiting the response head)", "the client connection reading a response"),
		dropSlot: poll.NewSlot(c.ex, "response future dropped?", "the user dropping the response future"),
	}
	f := &ResponseFuture{cb: cb}
	canSend := c.wanting || !s.bufferedOnce
	if c.rxClosed || !canSend {
		e := newCanceled()
		e.Detail = "connection was not ready"
		cb.done, cb.resp = true, ClientResponse{Err: e}
		if retry {
			cb.resp.Message = &req
		}
		f.notReady, f.rec = true, c.rec
		c.event("send refused")
		return f
	}
	// give(): consume the want signal
	c.wanting = false
	s.bufferedOnce = true
	c.queue = append(c.queue, envelope{req: req, cb: cb})
	c.event("enqueue")
	c.rxSlot.Wake()
	return f
}

// Drop lets go of the handle: with every handle dropped and the queue empty,
// the connection closes gracefully (seed 000).
func (s *SendRequest) Drop() {
	if s.dropped {
		return
	}
	s.dropped = true
	s.ch.senders--
	s.ch.event("sender dropped")
	s.ch.rxSlot.Wake()
}

// ResponseFuture resolves to the response head (the body may still flow).
type ResponseFuture struct {
	cb      *callback
	dropped bool
	// notReady: refused at the call; hyper's send_request (and try_send_request) future logs
	// "connection was not ready" when it is first polled
	notReady bool
	rec      *trace.Recorder
}

// Poll is Ready once the connection has read the response head, or failed.
func (f *ResponseFuture) Poll(cx *poll.Context) poll.Poll[ClientResponse] {
	if f.cb.done {
		if f.notReady {
			f.notReady = false
			if f.rec != nil {
				f.rec.Note("connection was not ready", refSendRequest)
			}
		}
		return poll.Ready(f.cb.resp)
	}
	f.cb.rxSlot.Register(cx)
	return poll.Pending[ClientResponse]()
}

// Drop cancels interest in the response: the connection notices through
// poll_canceled and closes (a half-read response cannot be skipped).
func (f *ResponseFuture) Drop() {
	if f.dropped {
		return
	}
	f.dropped = true
	f.cb.dropped = true
	if !f.cb.done {
		f.cb.dropSlot.Wake()
	}
}

// pollRecv is Receiver::poll_recv: a request, or the end (every sender
// dropped and nothing queued), or Pending — after signalling want.
func (c *clientChan) pollRecv(cx *poll.Context) (env envelope, ok, closed bool) {
	if len(c.queue) > 0 {
		env = c.queue[0]
		c.queue[0] = envelope{}
		c.queue = c.queue[1:]
		c.event("dequeue")
		return env, true, false
	}
	if c.senders <= 0 {
		return envelope{}, false, true
	}
	c.rxSlot.Register(cx)
	if !c.wanting {
		c.wanting = true
		c.event("want")
		c.txSlot.Wake()
	}
	return envelope{}, false, false
}

// dropQueue is dropping the Receiver with requests still queued: each
// Envelope's drop answers its callback with "connection closed", giving
// the request back to a try_send_request caller.
func (c *clientChan) dropQueue() {
	for len(c.queue) > 0 {
		env := c.queue[0]
		c.queue[0] = envelope{}
		c.queue = c.queue[1:]
		c.event("dropped with the connection")
		e := newCanceled()
		e.Detail = "connection closed"
		env.cb.sendErr(e, &env.req)
	}
}

// close is Receiver::close/drop: no more requests will be taken.
func (c *clientChan) close() {
	if c.rxClosed {
		return
	}
	c.rxClosed = true
	c.wanting = false
	c.txSlot.Wake()
}

func (cb *callback) send(r ClientResponse) {
	if cb.done {
		return
	}
	cb.done, cb.resp = true, r
	cb.rxSlot.Wake()
}

// sendErr is Callback::send(Err(TrySendError{error, message})): a
// send_request callback (NoRetry) keeps only the error.
func (cb *callback) sendErr(err *Error, message *ClientRequest) {
	r := ClientResponse{Err: err}
	if cb.retry {
		r.Message = message
	}
	cb.send(r)
}

// pollCanceled is Ready once the ResponseFuture was dropped.
func (cb *callback) pollCanceled(cx *poll.Context) bool {
	if cb.dropped {
		return true
	}
	cb.dropSlot.Register(cx)
	return false
}
