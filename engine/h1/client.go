package h1

import (
	"strconv"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// clientDispatch is hyper's dispatch::Client: outgoing requests come from
// the channel; the one in flight keeps its callback until the response head
// arrives.
type clientDispatch struct {
	ch       *clientChan
	cb       *callback
	rxClosed bool
	inflight string
	rec      *trace.Recorder
}

func (d *clientDispatch) pollMsg(cx *poll.Context, out *outgoing) bool {
	invariant(!d.rxClosed, assertClientPollMsgRxOpen) // dispatch.rs:677
	env, ok, closed := d.ch.pollRecv(cx)
	switch {
	case closed:
		// the user dropped every SendRequest
		d.rec.Note("client tx closed", refClientPollMsg)
		d.rxClosed = true
		*out = outgoing{none: true}
		return true
	case !ok:
		return false
	}
	if env.cb.pollCanceled(cx) {
		d.rec.Note("request canceled", refClientPollMsg)
		*out = outgoing{none: true}
		return true
	}
	d.cb = env.cb
	d.inflight = env.req.Head.Method + " " + string(env.req.Head.URI)
	req := env.req
	*out = outgoing{req: &req.Head, body: req.Body}
	return true
}

func (d *clientDispatch) recvMsg(h *readHead, b body.Incoming, up *OnUpgrade, err *Error) *Error {
	if err == nil {
		if d.cb == nil {
			// the server sent a response nobody asked for
			return newUnexpectedMessage()
		}
		cb := d.cb
		d.cb, d.inflight = nil, ""
		// the OnUpgrade goes with the response (its extensions), for
		// hyper::upgrade::on
		resp := ClientResponse{Head: h.resp.Head, Body: b, Upgrade: up}
		resp.Head.Headers = body.CloneHeaders(nil, h.resp.Head.Headers)
		resp.Head.Reason = string([]byte(h.resp.Head.Reason))
		cb.send(resp)
		return nil
	}
	if d.cb != nil {
		cb := d.cb
		d.cb, d.inflight = nil, ""
		cb.send(ClientResponse{Err: err})
		return nil
	}
	if !d.rxClosed {
		d.ch.close()
		if len(d.ch.queue) > 0 {
			env := d.ch.queue[0]
			d.ch.queue = d.ch.queue[1:]
			d.rec.Note("canceling queued request with connection error", refClientRecvMsg)
			// never started: a try_send_request caller gets it back
			e := newCanceled()
			e.Cause = err
			env.cb.sendErr(e, &env.req)
			return nil
		}
	}
	return err
}

func (d *clientDispatch) pollReady(cx *poll.Context) poll.Poll[bool] {
	if d.cb == nil {
		return poll.Ready(false)
	}
	if d.cb.pollCanceled(cx) {
		d.rec.Note("callback receiver has dropped", refClientPollReady)
		return poll.Ready(false)
	}
	return poll.Ready(true)
}

func (d *clientDispatch) shouldPoll() bool { return d.cb == nil }

func (d *clientDispatch) inFlight() string { return d.inflight }

// ClientConn is the connection future of a client (hyper's
// client::conn::http1::Connection): poll it, or spawn it, to make requests
// move.
type ClientConn struct {
	disp *Dispatcher
	cd   *clientDispatch

	done         bool
	err          *Error
	upgraded     bool
	withUpgrades bool
	// manualUpgrade: the connection switched protocols without
	// with_upgrades (Connection::poll's pending.manual())
	manualUpgrade bool
}

// WithUpgrades is Connection::with_upgrades: when a response switches
// protocols, the connection hands its IO, with the bytes read past the
// head, to the response's OnUpgrade instead of closing it. Call it before
// the connection is first polled.
func (c *ClientConn) WithUpgrades() *ClientConn {
	c.withUpgrades = true
	return c
}

// Handshake wraps io in a client connection: a SendRequest to send
// requests, and the connection future that does the work.
func Handshake(ex *poll.Executor, io poll.IO, opts Options) (*SendRequest, *ClientConn) {
	rec := ex.Recorder()
	if rec != nil {
		rec.Note("client handshake HTTP/1", refHandshake)
	}
	ch := &clientChan{senders: 1, ex: ex, rec: rec}
	ch.txSlot = poll.NewSlot(ex, "SendRequest.poll_ready (the connection wanting a request)", "the client connection polling its request queue")
	ch.rxSlot = poll.NewSlot(ex, "dispatch queue (requests from SendRequest)", "the client program sending a request or dropping its sender")
	opts.HeaderReadTimeoutMS = 0
	conn := NewConn(io, RoleClient, opts, ex.Clock(), rec)
	cd := &clientDispatch{ch: ch, rec: rec}
	return &SendRequest{ch: ch}, &ClientConn{cd: cd, disp: &Dispatcher{conn: conn, dispatch: cd, ex: ex, rec: rec}}
}

// Dispatcher exposes the dispatcher for views.
func (c *ClientConn) Dispatcher() *Dispatcher { return c.disp }

// Done reports whether the connection future finished.
func (c *ClientConn) Done() bool { return c.done }

// Err is the error the connection ended with.
func (c *ClientConn) Err() *Error { return c.err }

// Upgraded reports whether the connection ended in an upgrade.
func (c *ClientConn) Upgraded() bool { return c.upgraded }

// QueueLen is the number of requests waiting in the dispatch queue.
func (c *ClientConn) QueueLen() int { return len(c.cd.ch.queue) }

// Wanting reports the want signal.
func (c *ClientConn) Wanting() bool { return c.cd.ch.wanting }

// Poll drives the connection (poll.Task, or called inline by `await conn`).
func (c *ClientConn) Poll(cx *poll.Context) bool {
	if c.done {
		return true
	}
	rec := c.disp.rec
	if rec != nil {
		rec.Enter("Dispatcher.poll", 0)
		defer rec.Exit()
	}
	p := c.disp.pollCatch(cx, true)
	if !p.Ready {
		return false
	}
	c.done = true
	r := p.Value
	switch {
	case r.err != nil:
		c.err = r.err
		c.dropIO()
	case r.how == DispatchedUpgrade && c.withUpgrades:
		// UpgradeableConnection::poll: into_parts, then the pending
		// upgrade gets the IO and the read buffer's leftover bytes
		io, rest := c.disp.conn.intoInner()
		if rec != nil {
			rec.Add(trace.Event{Kind: trace.KindUpgrade, Name: "fulfill", N: int64(len(rest)), Detail: string(rest), Ref: "client/conn/http1.rs UpgradeableConnection::poll §12.8.2"})
		}
		r.pending.Fulfill(io, rest)
		c.upgraded = r.pending.Delivered()
	case r.how == DispatchedUpgrade:
		// Connection::poll without with_upgrades: pending.manual() tells
		// the OnUpgrade "upgrade expected but low level API in use"; the
		// connection ends Ok and its IO closes when it is dropped
		if rec != nil {
			// a "drop" upgrade event: no handoff (the views say so)
			rest := c.disp.conn.io.unread()
			rec.Add(trace.Event{Kind: trace.KindUpgrade, Name: "drop", N: int64(len(rest)),
				Detail: "no with_upgrades: pending.manual() gives the OnUpgrade \"upgrade expected but low level API in use\"; the IO closes with its " +
					strconv.Itoa(len(rest)) + " leftover bytes " + strconv.Quote(string(rest)),
				Ref: "client/conn/http1.rs Connection::poll §12.8.2"})
		}
		c.manualUpgrade = true
		if rec != nil {
			rec.Note("pending upgrade handled manually", refManualUpgrade)
		}
		r.pending.Cancel()
		c.dropIO()
	default:
		c.dropIO()
	}
	// the dispatch channel's receiver goes away with the connection, and
	// with it every request still queued
	c.cd.ch.close()
	c.cd.ch.dropQueue()
	return true
}

// UpgradeErr is what hyper::upgrade::on resolves to when this connection's
// OnUpgrade gave no IO: after Connection::poll's pending.manual(), the user
// error "upgrade expected but low level API in use"; otherwise a canceled
// Pending's "upgrade expected but not completed".
func (c *ClientConn) UpgradeErr() *Error {
	if c.manualUpgrade {
		return &Error{Kind: KindUser, Detail: "upgrade expected but low level API in use"}
	}
	return &Error{Kind: KindCanceled, Detail: "upgrade expected but not completed"}
}

// Discard drops an OnUpgrade its owner never polled (a response dropped
// with it): a later Fulfill closes the IO, and an IO already handed over
// closes now, as dropping the oneshot drops hyper's Upgraded in it.
func (o *OnUpgrade) Discard() {
	o.sh.dropped = true
	if o.sh.io != nil {
		o.sh.io.Close()
		o.sh.io = nil
	}
}

// dropIO closes the transport when the connection future is done with it,
// Ok or Err: a finished hyper Connection is dropped (by the task that
// spawned it, or by the `.await` that consumed it), and its Conn drops the
// IO first, so the server reads EOF even after an error that skipped the
// graceful poll_shutdown (an unexpected message, for one).
func (c *ClientConn) dropIO() {
	if cl, ok := c.disp.conn.io.io.(interface{ Close() }); ok {
		cl.Close()
	}
}

// WaitingOn describes what the connection waits for in stall reports.
func (c *ClientConn) WaitingOn() string {
	s := &c.disp.conn.state
	return "Conn{reading: " + s.reading.String() + ", writing: " + s.writing.String() + ", keep_alive: " + s.keepAlive.String() + "}"
}
