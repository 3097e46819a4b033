package h1

import "strconv"

// Read-only accessors for the time-travel views (engine/session's
// Timeline). They are called after every trace event, so none of them
// allocates: the UI strings are built only when the state they describe
// changed (see StateKey).

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

// WithReading returns k with the reading variant replaced (the codec is
// kept): a view taken while a transition is being recorded shows its
// target state.
func (k StateKey) WithReading(r ReadingKind) StateKey { k.Reading = r; return k }

// WithWriting is WithReading for the writing side.
func (k StateKey) WithWriting(w WritingKind) StateKey { k.Writing = w; return k }

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

// ParseReading is the inverse of ReadingKind.String.
func ParseReading(s string) (ReadingKind, bool) {
	for i, n := range readingNames {
		if n == s {
			return ReadingKind(i), true
		}
	}
	return 0, false
}

// ParseWriting is the inverse of WritingKind.String.
func ParseWriting(s string) (WritingKind, bool) {
	for i, n := range writingNames {
		if n == s {
			return WritingKind(i), true
		}
	}
	return 0, false
}

// ParseKA is the inverse of KA.String.
func ParseKA(s string) (KA, bool) {
	for i, n := range kaNames {
		if n == s {
			return KA(i), true
		}
	}
	return 0, false
}

// ReadingNames, WritingNames and KANames list the variants (for
// validating breakpoint expressions and drawing state diagrams).
func ReadingNames() []string { return append([]string(nil), readingNames[:]...) }
func WritingNames() []string { return append([]string(nil), writingNames[:]...) }
func KANames() []string      { return append([]string(nil), kaNames[:]...) }

// InFlightParts describes the in-flight request without building a string:
// the server's request method and target (valid until the next head is
// parsed), or the client's stored description in method with uri nil. ok
// is false when nothing is in flight. InFlight() is method+" "+uri.
func (d *Dispatcher) InFlightParts() (method string, uri []byte, ok bool) {
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

// BodyTxState is BodyTxWant as a small number: 0 no sender, 1 Pending,
// 2 Ready, 3 Closed.
func (d *Dispatcher) BodyTxState() uint8 { return txStateOf(d.BodyTxWant()) }

// BodyTxHeld is BodyTxState of the incoming body's sender the Dispatcher
// holds or last held, even while poll_read has taken it out to send a
// frame (hyper borrows it in place; this Dispatcher takes it and puts it
// back). Whether that sender is still open is for the caller to track: the
// channel records a body "eof" event when it closes.
func (d *Dispatcher) BodyTxHeld() uint8 { return txStateOf(d.bodyTx.Want()) }

// txStateOf numbers a sender's want: 0 none, 1 Pending, 2 Ready, 3 Closed.
func txStateOf(want string) uint8 {
	switch want {
	case "Pending":
		return 1
	case "Ready":
		return 2
	case "Closed":
		return 3
	}
	return 0
}

// BodyTxStateName renders a BodyTxState value.
func BodyTxStateName(s uint8) string {
	switch s {
	case 1:
		return "Pending"
	case 2:
		return "Ready"
	case 3:
		return "Closed"
	}
	return ""
}

// String renders a StateKey for debugging.
func (k StateKey) String() string {
	return "reading=" + k.ReadingString() + " writing=" + k.WritingString() + " keep_alive=" + k.KeepAlive.String() +
		" notify_read=" + strconv.FormatBool(k.NotifyRead)
}
