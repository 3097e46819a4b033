package h1

import (
	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// pollLoopBudget is how many read/write/flush rounds one poll of the
// Dispatcher may run before yielding. hyper chose 16 arbitrarily: it is the
// number of pipelined requests benchmarks often use (§12.5.1).
const pollLoopBudget = 16

// outgoing is what a dispatch hands to the writer: a head and its body.
type outgoing struct {
	head *ResponseHead // server
	req  *RequestHead  // client
	body body.Body
	none bool  // the dispatch has nothing more to send, ever
	err  error // the user's service failed
}

// dispatch is the server/client half of the Dispatcher (hyper's Dispatch
// trait): where outgoing messages come from and incoming ones go.
type dispatch interface {
	// pollMsg writes the next outgoing message into *out (the
	// Dispatcher's, reused: no copy of it is returned) and reports
	// whether it is ready.
	pollMsg(cx *poll.Context, out *outgoing) (ready bool)
	recvMsg(h *readHead, b body.Incoming, up *OnUpgrade, err *Error) *Error
	pollReady(cx *poll.Context) poll.Poll[bool]
	shouldPoll() bool
	inFlight() string
}

// Dispatched is how a Dispatcher finishes.
type Dispatched uint8

const (
	DispatchedShutdown Dispatched = iota + 1
	DispatchedUpgrade
)

// Dispatcher drives a Conn: read heads and bodies, hand them to the
// dispatch, write what the dispatch answers, flush, and loop (§12.4).
type Dispatcher struct {
	conn      *Conn
	dispatch  dispatch
	bodyTx    body.Sender // incoming body being filled (None when !hasBodyTx)
	hasBodyTx bool
	bodyRx    body.Body // outgoing body being written (nil when none)
	isClosing bool

	ex  *poll.Executor
	rec *trace.Recorder
	// iter is the current poll_loop iteration (1..16), for the UI.
	iter int
	// head, out and bodyLen are reused per message so nothing escapes per
	// request.
	head    readHead
	out     outgoing
	bodyLen BodyLength
}

func (d *Dispatcher) Conn() *Conn { return d.conn }

// InFlight describes the request in flight ("GET /"), "" when none.
func (d *Dispatcher) InFlight() string { return d.dispatch.inFlight() }

// bodyTxWant is the want signal of the sender held, WantNone for none.
func (d *Dispatcher) bodyTxWant() body.Want {
	if !d.hasBodyTx {
		return body.WantNone
	}
	return d.bodyTx.WantState()
}

// setClosing is the one place is_closing changes: it assigns, then records
// (as State's setters do). Closing is for good.
func (d *Dispatcher) setClosing() {
	if d.isClosing {
		return
	}
	checkTransition(FieldIsClosing, 0, 1)
	d.isClosing = true
	if d.rec != nil {
		d.rec.TypedTransition(uint8(FieldIsClosing), 0, 1, trPollRead)
	}
}

// pollCatch polls the dispatcher and turns an error into a graceful end:
// the error goes to a streaming body and to the dispatch (§12.8.1).
func (d *Dispatcher) pollCatch(cx *poll.Context, shouldShutdown bool) poll.Poll[dispatchResult] {
	p := d.pollInner(cx, shouldShutdown)
	if !p.Ready || p.Value.err == nil {
		return p
	}
	e := p.Value.err
	if d.rec != nil {
		d.rec.Add(trace.Event{Kind: trace.KindError, Name: e.Kind.String(), Detail: e.Error(), Ref: refPollCatch})
	}
	if d.hasBodyTx {
		d.bodyTx.SendError(&Error{Kind: KindBody, Detail: "connection error"})
		d.bodyTx.Close()
		d.hasBodyTx = false
	}
	if err := d.dispatch.recvMsg(nil, body.Incoming{}, nil, e); err != nil {
		return poll.Ready(dispatchResult{err: err})
	}
	return poll.Ready(dispatchResult{how: DispatchedShutdown})
}

type dispatchResult struct {
	how     Dispatched
	pending *Pending
	err     *Error
}

func (d *Dispatcher) pollInner(cx *poll.Context, shouldShutdown bool) poll.Poll[dispatchResult] {
	// T::update_date: a server refreshes its cached date once per poll.
	if d.conn.state.role.UpdateDate() {
		d.conn.updateDate()
	}
	p := d.pollLoop(cx)
	if !p.Ready {
		return poll.Pending[dispatchResult]()
	}
	if p.Value != nil {
		return poll.Ready(dispatchResult{err: p.Value})
	}
	if !d.isDone() {
		return poll.Pending[dispatchResult]()
	}
	if pending := d.conn.pendingUpgrade(); pending != nil {
		if err := d.conn.takeError(); err != nil {
			pending.Cancel()
			return poll.Ready(dispatchResult{err: err})
		}
		return poll.Ready(dispatchResult{how: DispatchedUpgrade, pending: pending})
	} else if shouldShutdown {
		s := d.conn.pollShutdown(cx)
		if !s.Ready {
			return poll.Pending[dispatchResult]()
		}
		if s.Value != nil {
			return poll.Ready(dispatchResult{err: newShutdown(s.Value)})
		}
	}
	if err := d.conn.takeError(); err != nil {
		return poll.Ready(dispatchResult{err: err})
	}
	return poll.Ready(dispatchResult{how: DispatchedShutdown})
}

// pollLoop runs read, write and flush up to 16 times, going round again
// only when the connection wants to read again (pipelined bytes already
// buffered) or can write more; then it yields so other tasks are not
// starved (§12.5).
func (d *Dispatcher) pollLoop(cx *poll.Context) poll.Poll[*Error] {
	rec := d.rec
	for i := 1; i <= pollLoopBudget; i++ {
		d.iter = i
		if rec != nil {
			rec.Enter("Dispatcher.pollLoop", i)
			rec.RecordAt(evIter, int64(i))
		}
		if p := d.pollRead(cx); p.Ready && p.Value != nil {
			rec.Exit()
			return poll.Ready(p.Value)
		}
		w := d.pollWrite(cx)
		if w.Ready && w.Value != nil {
			rec.Exit()
			return poll.Ready(w.Value)
		}
		f := d.pollFlush(cx)
		if f.Ready && f.Value != nil {
			rec.Exit()
			return poll.Ready(f.Value)
		}

		// More body to write and the transport took the last bytes: go
		// round again, or nothing would wake us for it.
		wantsWriteAgain := d.canWriteAgain() && (w.Ready || f.Ready)
		// Pipelined bytes may already be buffered: reading again now is
		// noticeably faster than a wake-up (§12.9).
		wantsReadAgain := d.conn.wantsReadAgain()

		if !(wantsWriteAgain || wantsReadAgain) {
			rec.Exit()
			return poll.Ready[*Error](nil)
		}
		if !wantsReadAgain && wantsWriteAgain {
			// Only the write side wants another round: check it can really
			// progress, else yield on the transport's wake-up. Bytes it
			// buffered before going pending must be flushed first.
			w2 := d.pollWrite(cx)
			if w2.Ready && w2.Value != nil {
				rec.Exit()
				return poll.Ready(w2.Value)
			}
			if !w2.Ready {
				if d.conn.hasBufferedWrite() {
					if f := d.pollFlush(cx); f.Ready && f.Value != nil {
						rec.Exit()
						return poll.Ready(f.Value)
					}
				}
				rec.Exit()
				return poll.Ready[*Error](nil)
			}
		}
		rec.Exit()
	}
	if rec != nil {
		rec.Add(trace.Event{Kind: trace.KindYield, N: pollLoopBudget, Detail: "poll_loop yielding", Ref: refPollLoop})
		// hyper prints the Dispatcher's address ({:p}); the engine has
		// none to show, so it prints the recorded traces' mask.
		rec.Note("poll_loop yielding (self = 0xADDR)", refPollLoop)
	}
	poll.YieldNow(cx)
	return poll.Pending[*Error]()
}

// pollRead reads heads and body frames until it has to wait (§12.6),
// in the span pollRead when recording. The span is left on the one way
// out, not by a defer (a deferred Exit cost a recording some twenty
// instructions a call; nothing in the engine recovers a panic, after
// which the recording is not read on).
func (d *Dispatcher) pollRead(cx *poll.Context) poll.Poll[*Error] {
	if d.rec == nil {
		return d.readLoop(cx)
	}
	d.rec.Enter("pollRead", 0)
	p := d.readLoop(cx)
	d.rec.Exit()
	return p
}

func (d *Dispatcher) readLoop(cx *poll.Context) poll.Poll[*Error] {
	rec := d.rec
	for {
		switch {
		case d.isClosing:
			return poll.Ready[*Error](nil)
		case d.conn.canReadHead():
			p := d.pollReadHead(cx)
			if !p.Ready || p.Value != nil {
				return p
			}
		case d.hasBodyTx:
			tx := d.bodyTx
			d.hasBodyTx = false
			if !d.conn.canReadBody() {
				// the body is over: dropping the sender ends the stream
				tx.Close()
				continue
			}
			r := tx.PollReady(cx)
			if !r.Ready {
				d.bodyTx, d.hasBodyTx = tx, true
				return poll.Pending[*Error]()
			}
			if r.Value != nil {
				// Early drop: the service let go of the body before taking
				// any of it. Drain what is cheap, else close (§12.6.1).
				rec.Note("body receiver dropped before eof, draining or closing", refPollRead)
				d.conn.pollDrainOrCloseRead(cx)
				tx.Close()
				continue
			}
			b := d.conn.pollReadBody(cx)
			if !b.Ready {
				d.bodyTx, d.hasBodyTx = tx, true
				return poll.Pending[*Error]()
			}
			switch {
			case b.Value.err != nil:
				tx.SendError(newBody(b.Value.err))
				tx.Close()
			case b.Value.none:
				tx.Close()
			case b.Value.frame.Kind == body.FrameData:
				if err := tx.TrySendData(b.Value.frame.Data); err != nil {
					// Late drop: some body was taken, the rest is not wanted;
					// draining could cost megabytes, so close (§12.6.1).
					if d.conn.canReadBody() {
						rec.Note("body receiver dropped before eof, closing", refPollRead)
						d.conn.closeRead()
					}
					tx.Close()
				} else {
					d.bodyTx, d.hasBodyTx = tx, true
				}
			case b.Value.frame.Kind == body.FrameTrailers:
				if err := tx.TrySendTrailers(b.Value.frame.Trailers); err != nil {
					if d.conn.canReadBody() {
						rec.Note("body receiver dropped before eof, closing", refPollRead)
						d.conn.closeRead()
					}
				}
				tx.Close()
			}
		default:
			if rec != nil {
				rec.CallAt(callPollReadKeepAlive)
			}
			p := d.conn.pollReadKeepAlive(cx)
			if rec != nil {
				res := "pending"
				if p.Ready {
					res = "ok"
					if p.Value != nil {
						res = p.Value.Kind.String()
					}
				}
				rec.Ret("Conn.pollReadKeepAlive", res)
			}
			return p
		}
	}
}

// pollReadHead asks the dispatch whether it can take a message before
// reading one: backpressure from the service up to the socket (§12.6.2).
func (d *Dispatcher) pollReadHead(cx *poll.Context) poll.Poll[*Error] {
	ready := d.dispatch.pollReady(cx)
	if !ready.Ready {
		return poll.Pending[*Error]()
	}
	if !ready.Value {
		d.rec.Note("dispatch no longer receiving messages", refDispPollReadHd)
		d.close()
		return poll.Ready[*Error](nil)
	}
	if !d.conn.pollReadHead(cx, &d.head) {
		return poll.Pending[*Error]()
	}
	h := &d.head
	switch {
	case h.err != nil:
		if d.rec != nil {
			d.rec.Note("read_head error: "+h.err.Error(), refDispPollReadHd)
		}
		if err := d.dispatch.recvMsg(nil, body.Incoming{}, nil, h.err); err != nil {
			return poll.Ready(err)
		}
		// the dispatch gave the error to the user; shut down quietly
		d.close()
		return poll.Ready[*Error](nil)
	case h.eof:
		d.onReadEOF()
		return poll.Ready[*Error](nil)
	}
	var in body.Incoming
	if h.decode != LengthZero {
		length := int64(-1)
		if h.decode.IsExact() {
			length = int64(h.decode)
		}
		tx, rx := body.NewChannel(d.ex, length, h.wants&wantsExpect != 0, d.rec)
		d.bodyTx, d.hasBodyTx = tx, true
		in = rx
	}
	var up *OnUpgrade
	if h.wants&wantsUpgrade != 0 {
		up = d.conn.onUpgrade()
		invariant(!up.isNone(), assertEmptyUpgrade) // dispatch.rs:324
	}
	if err := d.dispatch.recvMsg(h, in, up, nil); err != nil {
		return poll.Ready(err)
	}
	return poll.Ready[*Error](nil)
}

// onReadEOF: the peer closed between messages. The read side is closed;
// the write side was closed too, unless half-close is allowed.
func (d *Dispatcher) onReadEOF() {
	invariant(d.conn.isReadClosed(), assertEOFReadClosed) // dispatch.rs:347
	if d.conn.isWriteClosed() {
		d.close()
	}
}

// pollWrite writes the next head and body frames until it has to wait
// (§12.7), in the span pollWrite when recording, left as pollRead's is.
func (d *Dispatcher) pollWrite(cx *poll.Context) poll.Poll[*Error] {
	if d.rec == nil {
		return d.writeLoop(cx)
	}
	d.rec.Enter("pollWrite", 0)
	p := d.writeLoop(cx)
	d.rec.Exit()
	return p
}

func (d *Dispatcher) writeLoop(cx *poll.Context) poll.Poll[*Error] {
	rec := d.rec
	for {
		switch {
		case d.isClosing:
			return poll.Ready[*Error](nil)
		case d.bodyRx == nil && d.conn.canWriteHead() && d.dispatch.shouldPoll():
			if !d.dispatch.pollMsg(cx, &d.out) {
				return poll.Pending[*Error]()
			}
			m := &d.out
			if m.none {
				d.close()
				return poll.Ready[*Error](nil)
			}
			if m.err != nil {
				return poll.Ready(newUserService(m.err))
			}
			var bl *BodyLength
			// The engine's services answer with a *body.Full: asked
			// directly, its answers inline (no interface call).
			if full, ok := m.body.(*body.Full); ok {
				if !full.IsEndStream() {
					n, _ := full.SizeHint()
					d.bodyLen = BodyLength{Known: true, N: n}
					bl = &d.bodyLen
					d.bodyRx = m.body
				}
			} else if m.body != nil && !m.body.IsEndStream() {
				d.bodyLen = BodyLength{}
				if n, ok := m.body.SizeHint(); ok {
					d.bodyLen = BodyLength{Known: true, N: n}
				}
				bl = &d.bodyLen
				d.bodyRx = m.body
			}
			d.conn.writeHead(m.head, m.req, bl)
			*m = outgoing{} // held by d.bodyRx and the Conn from here
		case !d.conn.canBufferBody():
			f := d.pollFlush(cx)
			if !f.Ready {
				return poll.Pending[*Error]()
			}
			if f.Value != nil {
				return f
			}
		case d.bodyRx != nil:
			if !d.conn.canWriteBody() {
				if rec != nil {
					rec.Note("no more write body allowed, user body is_end_stream = "+boolName(d.bodyRx.IsEndStream()), refPollWrite)
				}
				d.bodyRx = nil
				continue
			}
			bd := d.bodyRx
			full, isFull := bd.(*body.Full)
			var p poll.Poll[body.Result]
			if isFull {
				p = full.PollFrame(cx)
			} else {
				p = bd.PollFrame(cx)
			}
			if !p.Ready {
				return poll.Pending[*Error]()
			}
			r := p.Value
			switch {
			case r.Err != nil:
				d.bodyRx = nil
				return poll.Ready(newUserBody(r.Err))
			case r.End:
				d.bodyRx = nil
				if err := d.conn.endBody(); err != nil {
					return poll.Ready(err)
				}
			case r.Frame.Kind == body.FrameData:
				chunk := r.Frame.Data
				if (isFull && full.IsEndStream()) || (!isFull && bd.IsEndStream()) {
					d.bodyRx = nil
					if len(chunk) == 0 {
						rec.Note("discarding empty chunk", refPollWrite)
						if err := d.conn.endBody(); err != nil {
							return poll.Ready(err)
						}
					} else {
						d.conn.writeBodyAndEnd(chunk)
					}
				} else {
					if len(chunk) == 0 {
						// An empty chunk would read as the chunked terminator.
						rec.Note("discarding empty chunk", refPollWrite)
						continue
					}
					d.conn.writeBody(chunk)
				}
			case r.Frame.Kind == body.FrameTrailers:
				d.bodyRx = nil
				d.conn.writeTrailers(r.Frame.Trailers)
			default:
				rec.Note("discarding unknown frame", refPollWrite)
			}
		default:
			if d.conn.canWriteBody() {
				if err := d.conn.endBody(); err != nil {
					return poll.Ready(err)
				}
				continue
			}
			return poll.Pending[*Error]()
		}
	}
}

// pollFlush flushes the write buffer (§12.7), in the span pollFlush when
// recording, left as pollRead's is.
func (d *Dispatcher) pollFlush(cx *poll.Context) poll.Poll[*Error] {
	if d.rec != nil {
		d.rec.Enter("pollFlush", 0)
	}
	p := d.conn.pollFlush(cx)
	var r poll.Poll[*Error]
	switch {
	case !p.Ready:
		r = poll.Pending[*Error]()
	case p.Value != nil:
		d.rec.Note("error writing: "+p.Value.Error(), "dispatch.rs Dispatcher::poll_flush §12.7")
		r = poll.Ready(newBodyWrite(p.Value))
	default:
		r = poll.Ready[*Error](nil)
	}
	d.rec.Exit()
	return r
}

func (d *Dispatcher) close() {
	d.setClosing()
	d.conn.closeRead()
	d.conn.closeWrite()
}

// canWriteAgain: an outgoing body is pending and the connection can take it.
func (d *Dispatcher) canWriteAgain() bool {
	return !d.isClosing && d.bodyRx != nil && d.conn.canWriteBody()
}

func (d *Dispatcher) isDone() bool {
	if d.isClosing {
		return true
	}
	readDone := d.conn.isReadClosed()
	if !d.conn.state.role.ShouldReadFirst() && readDone {
		// a client that cannot read may as well be done
		return true
	}
	writeDone := d.conn.isWriteClosed() || (!d.dispatch.shouldPoll() && d.bodyRx == nil)
	return readDone && writeDone
}

// DisableKeepAlive is graceful shutdown: finish the message in progress,
// then close; close now if nothing was read yet.
func (d *Dispatcher) DisableKeepAlive() {
	d.conn.disableKeepAlive()
	if d.conn.isWriteClosed() || d.conn.hasInitialReadWriteState() {
		d.close()
	}
}
