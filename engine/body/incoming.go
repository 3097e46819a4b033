package body

import (
	"errors"
	"strconv"

	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// ErrCanceled is what a Sender gets once the receiving Incoming was dropped
// (hyper's "canceled"/closed channel).
var ErrCanceled = errors.New("body receiver dropped")

// errFull is what TrySend returns when the one-chunk slot is taken.
var errFull = errors.New("body channel full")

// Want is the body channel's want signal, the value of hyper's watch
// between the connection's Sender and the service's Incoming
// (WANT_PENDING, WANT_READY, CLOSED). WantNone, the zero value, is no
// channel at all: what a view shows when no body is being received.
type Want uint8

const (
	WantNone    Want = iota // no channel
	WantPending             // WANT_PENDING: the service has not polled the body yet (Expect: 100-continue)
	WantReady               // WANT_READY: the connection may send
	WantClosed              // CLOSED: the receiver was dropped
)

var wantNames = [...]string{WantNone: "", WantPending: "Pending", WantReady: "Ready", WantClosed: "Closed"}

// String is the signal's name: "Pending", "Ready", "Closed", or "" for
// WantNone.
func (w Want) String() string {
	if int(w) < len(wantNames) {
		return wantNames[w]
	}
	return "Want(" + strconv.Itoa(int(w)) + ")"
}

// Channel is the Incoming body channel between the connection (Sender) and
// the service (Incoming). It carries at most one chunk at a time, like
// hyper's mpsc::channel(0), plus a want signal: with Expect: 100-continue
// the Sender is not ready until the service first polls the body, which is
// what makes the 100 Continue go out only when the body is really wanted.
type Channel struct {
	want     Want
	data     []byte // owned copy of the chunk in the slot
	hasData  bool
	trailers []Header
	hasTrail bool
	err      error
	txDone   bool  // the sender was dropped: end of stream after the slot drains
	detached bool  // the receiver outlives the service future that took it
	remain   int64 // content length still to come, -1 unknown (size hint)

	// wantSlot is the want watch's waker (hyper's watch::Receiver, an
	// AtomicWaker): the Sender registers the connection in it on every
	// PollReady, Ready or not, and it is woken only when the value
	// changes (the first PollFrame: Pending -> Ready; Drop: -> Closed).
	// So a service dropping a body wakes the connection at once, even
	// when the connection is waiting for body bytes, not for want.
	wantSlot *poll.Slot
	// roomSlot is the data slot's parked-sender waker (hyper's
	// mpsc::channel(0)): registered only while the chunk sent last is
	// still in the slot, woken when the receiver takes it or goes away.
	roomSlot *poll.Slot
	rxSlot   *poll.Slot // the service waiting for a frame
	rec      *trace.Recorder
}

// Sender is the connection's half (hyper's body::Sender).
type Sender struct{ ch *Channel }

// Incoming is the service's half: a Body of request (or response) bytes
// coming from the connection. The zero Incoming is an empty body.
type Incoming struct{ ch *Channel }

// NewChannel creates a channel. length is the exact body length or -1;
// wanter is true for Expect: 100-continue (want starts Pending).
func NewChannel(ex *poll.Executor, length int64, wanter bool, rec *trace.Recorder) (Sender, Incoming) {
	ch := &Channel{want: WantReady, remain: length, rec: rec}
	if wanter {
		ch.want = WantPending
	}
	ch.wantSlot = poll.NewSlot(ex, "body channel want (connection side)", "the service polling its request body or dropping it")
	ch.roomSlot = poll.NewSlot(ex, "body channel room (connection side)", "the service taking the chunk in the slot")
	ch.rxSlot = poll.NewSlot(ex, "body channel data (service side)", "the connection reading body bytes")
	return Sender{ch}, Incoming{ch}
}

// Empty returns an Incoming that is already at its end.
func Empty() Incoming { return Incoming{} }

func (c *Channel) event(op string, n int, detail string) {
	if c.rec != nil {
		c.rec.Record(trace.KindBody, op, detail, opRef(op), int64(n))
	}
}

// opRef is the ref of a body event: hyper's function in body/incoming.rs
// that does the same. An end of stream or a dropped receiver is no call
// in hyper (a channel half dropped), so it has none.
func opRef(op string) string {
	switch op {
	case "send":
		return "body/incoming.rs Sender::try_send_data §12.6"
	case "trailers":
		return "body/incoming.rs Sender::try_send_trailers §12.6"
	case "error":
		return "body/incoming.rs Sender::send_error §12.8.1 (errors: poll_catch)"
	case "want":
		return "body/incoming.rs Incoming::poll_frame §12.6"
	}
	return ""
}

// IsNone reports whether s holds no channel.
func (s Sender) IsNone() bool { return s.ch == nil }

// PollReady is Ready(nil) when a chunk can be sent now, Ready(ErrCanceled)
// when the receiver is gone, and Pending until the receiver wants more.
//
// As hyper's Sender::poll_ready: poll_want loads the want watch, which
// registers the waker whatever the value (so a later Drop wakes the
// connection even after a Ready), then the data channel's poll_ready
// registers only while the sender is parked on a full slot.
func (s Sender) PollReady(cx *poll.Context) poll.Poll[error] {
	c := s.ch
	c.wantSlot.Register(cx)
	switch c.want {
	case WantClosed:
		return poll.Ready[error](ErrCanceled)
	case WantPending:
		return poll.Pending[error]()
	}
	if c.hasData {
		c.roomSlot.Register(cx)
		return poll.Pending[error]()
	}
	return poll.Ready[error](nil)
}

// TrySendData puts a copy of b in the slot. It fails with ErrCanceled when
// the receiver is gone.
func (s Sender) TrySendData(b []byte) error {
	c := s.ch
	if c.want == WantClosed {
		return ErrCanceled
	}
	if c.hasData {
		return errFull
	}
	c.data = append(c.data[:0], b...)
	c.hasData = true
	c.event("send", len(b), "")
	c.rxSlot.Wake()
	return nil
}

// TrySendTrailers hands trailers to the receiver (copied).
func (s Sender) TrySendTrailers(h []Header) error {
	c := s.ch
	if c.want == WantClosed {
		return ErrCanceled
	}
	c.trailers = CloneHeaders(c.trailers[:0], h)
	c.hasTrail = true
	c.event("trailers", len(h), "")
	c.rxSlot.Wake()
	return nil
}

// SendError makes the receiver's next poll fail with err.
func (s Sender) SendError(err error) {
	c := s.ch
	if c == nil || c.want == WantClosed {
		return
	}
	c.err = err
	c.event("error", 0, err.Error())
	c.rxSlot.Wake()
}

// Close drops the sender: the receiver sees end of stream once the slot is
// drained.
func (s Sender) Close() {
	c := s.ch
	if c == nil || c.txDone {
		return
	}
	c.txDone = true
	c.event("eof", 0, "")
	c.rxSlot.Wake()
}

// WantState reports the want signal; WantNone when s holds no channel.
func (s Sender) WantState() Want {
	if s.ch == nil {
		return WantNone
	}
	return s.ch.want
}

// PollFrame is the service polling its body. The first poll flips the want
// signal to Ready, which lets the connection send (and, with 100-continue,
// write the 100 Continue). Data frames are valid until the next PollFrame.
func (in Incoming) PollFrame(cx *poll.Context) poll.Poll[Result] {
	c := in.ch
	if c == nil {
		return poll.Ready(Result{End: true})
	}
	if c.want == WantPending {
		// want_tx.send(WANT_READY): the watch wakes only on a change
		c.want = WantReady
		c.event("want", 0, "")
		c.wantSlot.Wake()
	}
	if c.hasData {
		c.hasData = false
		if c.remain > 0 {
			c.remain -= int64(len(c.data))
		}
		// taking the message unparks the sender
		c.roomSlot.Wake()
		return poll.Ready(Result{Frame: Data(c.data)})
	}
	if c.err != nil {
		err := c.err
		c.err = nil
		c.txDone = true
		return poll.Ready(Result{Err: err})
	}
	if c.hasTrail {
		c.hasTrail = false
		c.txDone = true
		return poll.Ready(Result{Frame: Frame{Kind: FrameTrailers, Trailers: c.trailers}})
	}
	if c.txDone {
		return poll.Ready(Result{End: true})
	}
	c.rxSlot.Register(cx)
	return poll.Pending[Result]()
}

// IsEndStream reports whether no frame can come any more.
func (in Incoming) IsEndStream() bool {
	c := in.ch
	return c == nil || (c.remain == 0 && !c.hasData && !c.hasTrail && c.err == nil)
}

// SizeHint is the exact remaining length when the request said so.
func (in Incoming) SizeHint() (uint64, bool) {
	c := in.ch
	if c == nil {
		return 0, true
	}
	if c.remain < 0 {
		return 0, false
	}
	return uint64(c.remain), true
}

// Drop is the service letting go of the body: the connection's next
// PollReady fails with ErrCanceled (then it drains or closes, §12.6.1).
func (in Incoming) Drop() {
	c := in.ch
	if c == nil || c.want == WantClosed {
		return
	}
	c.want = WantClosed
	c.hasData = false
	c.event("cancel", 0, "receiver dropped")
	// hyper drops Incoming's fields in order: want_tx (the watch sends
	// CLOSED, a change, so its waker fires), then data_rx (closing the
	// mpsc unparks a sender parked on the slot).
	c.wantSlot.Wake()
	c.roomSlot.Wake()
}

// IsNone reports whether in is the empty body (no channel).
func (in Incoming) IsNone() bool { return in.ch == nil }

// Live reports whether dropping in would change anything: it holds a
// channel whose receiver was not dropped yet.
func (in Incoming) Live() bool { return in.ch != nil && in.ch.want != WantClosed }

// Detach says the body moves out of the service future that took it, into
// an owner that outlives that future (a spawned task, a response body
// streaming it), as a Rust future may move its Incoming on: the server
// engine then does not drop it when the future completes; its owner reads
// it to the end or calls Drop.
func (in Incoming) Detach() Incoming {
	if in.ch != nil {
		in.ch.detached = true
	}
	return in
}

// Detached reports whether Detach was called.
func (in Incoming) Detached() bool { return in.ch != nil && in.ch.detached }

// CloneHeaders appends deep copies of h to dst.
func CloneHeaders(dst []Header, h []Header) []Header {
	for _, f := range h {
		dst = append(dst, Header{Name: append([]byte(nil), f.Name...), Value: append([]byte(nil), f.Value...)})
	}
	return dst
}
