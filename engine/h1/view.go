package h1

import (
	"strconv"

	"github.com/connlab/connlab/engine/body"
)

// What the time-travel views (engine/timeline, the UI) read of a
// connection: one ConnView per trace event, taken by Dispatcher.View. It is
// called after every event, so it does not allocate: the UI strings are
// built only when the state they describe changed (see StateKey). Because
// the state setters assign before they record, a view taken while a
// transition event is recorded already shows the new value.

// ConnView is one connection as the UI shows it at one moment: the Conn's
// state, the Dispatcher's flags and the buffers, typed.
type ConnView struct {
	// State is the Conn's reading, writing, keep_alive and notify_read, and
	// the codecs of Continue and Body (comparable; render it with
	// ReadingString and WritingString).
	State StateKey
	// IsClosing is the Dispatcher's is_closing.
	IsClosing bool
	// Iter is the current (or last) poll_loop iteration, 1..16; 0 before
	// the first.
	Iter int
	// BodyTx is the want signal of the incoming body's sender the
	// Dispatcher holds; body.WantNone when it holds none.
	BodyTx body.Want
	// BodyTxHeld is BodyTx of the sender the Dispatcher holds or last held,
	// even while poll_read has taken it out to send a frame (hyper borrows
	// it in place; this Dispatcher takes it and puts it back). Whether that
	// sender is still open is for the caller to track: the channel records
	// a body "eof" event when it closes.
	BodyTxHeld body.Want
	// BodyRx is true while an outgoing body is being written.
	BodyRx bool
	// InFlight is true while a request is in flight: for a server, Method
	// and URI are its method and target (URI is valid until the next head
	// is parsed); for a client, Method is the stored description and URI
	// is nil.
	InFlight bool
	Method   string
	URI      []byte
	// ReadBuf and WriteBuf are the bytes in the read buffer (unread) and
	// the write buffer (unflushed).
	ReadBuf, WriteBuf int
}

// View returns what the UI shows of the connection now, without
// allocating.
func (d *Dispatcher) View() ConnView {
	v := ConnView{
		State:      d.conn.StateKey(),
		IsClosing:  d.isClosing,
		Iter:       d.iter,
		BodyTx:     d.bodyTxWant(),
		BodyTxHeld: d.bodyTx.WantState(),
		BodyRx:     d.bodyRx != nil,
		ReadBuf:    len(d.conn.io.unread()),
		WriteBuf:   d.conn.io.bufferedLen(),
	}
	v.Method, v.URI, v.InFlight = d.inFlightParts()
	return v
}

// StateKey is a comparable summary of what the UI shows of a Conn's state:
// the three enums, notify_read and the codecs of Continue/Body states. Two
// equal keys render the same; the strings are built only on change.
type StateKey struct {
	Reading    ReadingKind
	Writing    WritingKind
	KeepAlive  KA
	NotifyRead bool

	decKind   decoderKind
	decState  chunkedState
	decEOF    bool
	decRemain uint64
	encKind   encoderKind
	encRemain uint64
}

// StateKey returns the Conn's state summary without allocating.
func (c *Conn) StateKey() StateKey {
	s := &c.state
	k := StateKey{Reading: s.reading, Writing: s.writing, KeepAlive: s.keepAlive, NotifyRead: s.notifyRead}
	// The codecs are kept whatever the variant, so that a key patched to a
	// transition's target (WithReading) still renders the right codec.
	d := &s.decoder
	k.decKind = d.kind
	switch d.kind {
	case decoderLength:
		k.decRemain = d.remaining
	case decoderChunked:
		k.decState = d.state
	default:
		k.decEOF = d.sawEOF
	}
	k.encKind = s.encoder.kind
	if s.encoder.kind == encoderLength {
		k.encRemain = s.encoder.remaining
	}
	return k
}

// ReadingString renders the reading state as the UI shows it, with the
// decoder for Continue and Body: "Body(Length(5))", "Continue(Chunked...)".
func (k StateKey) ReadingString() string {
	if k.Reading != ReadingContinue && k.Reading != ReadingBody {
		return k.Reading.String()
	}
	d := Decoder{kind: k.decKind, remaining: k.decRemain, state: k.decState, sawEOF: k.decEOF}
	return k.Reading.String() + "(" + d.String() + ")"
}

// WritingString renders the writing state, with the encoder for Body:
// "Body(Length(5))", "Body(Chunked)".
func (k StateKey) WritingString() string {
	if k.Writing != WritingBody {
		return k.Writing.String()
	}
	e := Encoder{kind: k.encKind, remaining: k.encRemain}
	return k.Writing.String() + "(" + e.String() + ")"
}

// inFlightParts describes the in-flight request without building a string:
// the server's request method and target (valid until the next head is
// parsed), or the client's stored description in method with uri nil. ok
// is false when nothing is in flight. InFlight() is method+" "+uri.
func (d *Dispatcher) inFlightParts() (method string, uri []byte, ok bool) {
	switch x := d.dispatch.(type) {
	case *serverDispatch:
		if x.future == nil {
			return "", nil, false
		}
		return x.head.Method, x.head.URI, true
	case *clientDispatch:
		return x.inflight, nil, x.inflight != ""
	}
	s := d.dispatch.inFlight()
	return s, nil, s != ""
}

// String renders a StateKey for debugging.
func (k StateKey) String() string {
	return "reading=" + k.ReadingString() + " writing=" + k.WritingString() + " keep_alive=" + k.KeepAlive.String() +
		" notify_read=" + strconv.FormatBool(k.NotifyRead)
}
