package h1

import (
	"strconv"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// h2Preface is how an HTTP/2 prior-knowledge connection starts.
const h2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// continueHead is written, once, when a service first polls a body whose
// request said Expect: 100-continue.
const continueHead = "HTTP/1.1 100 Continue\r\n\r\n"

// Conn is one HTTP/1 connection's state over a buffered transport (hyper's
// Conn<I, B, T>). It knows when a message starts and ends and whether the
// connection can be kept alive; the Dispatcher decides what to do next.
type Conn struct {
	io    buffered
	state State

	parseCtx parseContext
	respCtx  responseParseContext
	reqMsg   ParsedRequest  // the server's last parsed request
	respMsg  ParsedResponse // the client's last parsed response
	parsed   parsedMessage  // the last parsed head, whichever the role
	// outHeaders is scratch space for the outgoing head's headers when the
	// connection must add one (connection: keep-alive / close).
	outHeaders []Header
	// encHead, encBody and encCtx are reused for every head written.
	encHead ResponseHead
	encBody BodyLength
	encCtx  encodeContext
	// headCache is the last response head without user fields, written
	// again while the next ones are the same (headcache.go).
	headCache headCache
	encReq    RequestHead
	reqCtx    requestEncodeContext

	clock              *poll.Clock
	headerTimer        *poll.Timer
	headerTimerRunning bool
	headerTimerSet     bool // hyper's h1_header_read_timeout_fut is Some
	dateSecond         int64
	date               []byte // the cached IMF-fixdate, within dateLine
	dateLine           []byte

	upgrade *Pending // an expected upgrade, set when a head asked for one

	// responsesDone counts messages wholly encoded into the write buffer.
	responsesDone int

	rec *trace.Recorder
}

// Options configure a Conn (hyper's http1 Builder settings).
type Options struct {
	KeepAlive           bool  // false: disable keep-alive from the start
	HalfClose           bool  // allow_half_close
	TitleCaseHeaders    bool  // title_case_headers
	MaxBufSize          int   // 0 = DefaultMaxBufferSize
	MaxHeaders          int   // 0 = 100
	HeaderReadTimeoutMS int64 // 0 = none
	DisableDate         bool
}

// DefaultOptions are hyper's defaults.
func DefaultOptions() Options { return Options{KeepAlive: true} }

// NewConn wraps io. clock may be nil when no timeout is configured.
func NewConn(io poll.IO, role Role, opts Options, clock *poll.Clock, rec *trace.Recorder) *Conn {
	c := &Conn{io: newBuffered(io), clock: clock, rec: rec, dateSecond: -1}
	c.state = State{
		keepAlive:         KABusy,
		version:           HTTP11,
		role:              role,
		allowHalfClose:    opts.HalfClose,
		titleCaseHeaders:  opts.TitleCaseHeaders,
		dateHeader:        !opts.DisableDate,
		maxHeaders:        opts.MaxHeaders,
		headerReadTimeout: opts.HeaderReadTimeoutMS,
		rec:               rec,
	}
	if opts.MaxBufSize > 0 {
		c.io.setMaxBufSize(opts.MaxBufSize)
	}
	c.parseCtx.maxHeaders = opts.MaxHeaders
	if !opts.KeepAlive {
		// hyper's builder calls Conn::disable_keep_alive on a new, busy
		// connection
		rec.Note("disable_keep_alive; in-progress connection", refDisableKA)
		c.state.keepAlive = KADisabled
	}
	c.io.rec = rec
	c.parseCtx.rec = rec
	if opts.HeaderReadTimeoutMS > 0 && clock != nil {
		c.headerTimer = clock.NewTimer("h1_header_read_timeout")
	} else if rec != nil && !role.IsClient() {
		// hyper's server builder has a default header_read_timeout (30 s)
		// but, like the engine without one, no timer to run it.
		rec.Note("timeout `header_read_timeout` has default, but no timer set", refTimeCheck)
	}
	return c
}

// --- state questions (for the Dispatcher and the UI) ---

func (c *Conn) Reading() ReadingKind { return c.state.reading }
func (c *Conn) Writing() WritingKind { return c.state.writing }
func (c *Conn) KeepAlive() KA        { return c.state.keepAlive }
func (c *Conn) Version() Version     { return c.state.version }

// ResponsesDone counts messages wholly written to the write buffer.
func (c *Conn) ResponsesDone() int { return c.responsesDone }

func (c *Conn) isReadClosed() bool  { return c.state.isReadClosed() }
func (c *Conn) isWriteClosed() bool { return c.state.isWriteClosed() }

func (c *Conn) canReadHead() bool {
	if c.state.reading != ReadingInit {
		return false
	}
	if c.state.role.ShouldReadFirst() {
		return true
	}
	return c.state.writing != WritingInit
}

func (c *Conn) canReadBody() bool {
	return c.state.reading == ReadingBody || c.state.reading == ReadingContinue
}

func (c *Conn) hasInitialReadWriteState() bool {
	return c.state.reading == ReadingInit && c.state.writing == WritingInit && len(c.io.unread()) == 0
}

// shouldErrorOnEOF: an idle connection closing is graceful; otherwise EOF
// is an error only for the role waiting on a message (the client).
func (c *Conn) shouldErrorOnEOF() bool {
	return c.state.role.ShouldErrorOnParseEOF() && !c.state.isIdle()
}

func (c *Conn) hasH2Prefix() bool {
	u := c.io.unread()
	return len(u) >= len(h2Preface) && string(u[:len(h2Preface)]) == h2Preface
}

// wants are what a parsed head asks of the dispatcher.
type wants uint8

const (
	wantsExpect wants = 1 << iota
	wantsUpgrade
)

// readHead is the ready result of pollReadHead: a message, an error, or
// (eof) the peer closed between messages.
type readHead struct {
	// msg (server) or resp (client) is the message, in the Conn: valid
	// until the next head is parsed, and the dispatch takes what it keeps
	// at once.
	msg    *ParsedRequest
	resp   *ParsedResponse
	decode DecodedLength
	wants  wants
	err    *Error
	eof    bool
}

// updateDate refreshes the cached date value when the virtual second changed
// (hyper caches the rendered date and re-renders once a second).
func (c *Conn) updateDate() {
	if c.clock != nil && c.clock.Now()/1000 == c.dateSecond {
		return // the same virtual second, checked inline
	}
	c.updateDateSlow()
}

func (c *Conn) updateDateSlow() {
	if c.clock == nil {
		if c.date == nil {
			c.setDate(0)
		}
		return
	}
	sec := c.clock.Now() / 1000
	if sec != c.dateSecond {
		c.dateSecond = sec
		c.setDate(sec * 1000)
	}
}

// setDate formats the cached date, and with it the whole date line that
// ends a response head ("date: " + date + CRLF CRLF), written with one
// copy per response.
func (c *Conn) setDate(unixMillis int64) {
	c.dateLine = appendDate(append(c.dateLine[:0], "date: "...), unixMillis)
	c.dateLine = append(c.dateLine, "\r\n\r\n"...)
	c.date = c.dateLine[len("date: ") : len(c.dateLine)-len("\r\n\r\n")]
	c.headCache.valid = false // it holds the old date
}

// pollReadHead reads and parses the next head, racing the header-read
// timeout when one is configured (§12.10.1). Ready, it writes the result
// into *h (the Dispatcher's, reused) and returns true; pending, it leaves
// *h alone.
func (c *Conn) pollReadHead(cx *poll.Context, h *readHead) (ready bool) {
	invariant(c.canReadHead(), assertReadHeadCanReadHead) // conn.rs:215
	rec := c.rec
	rec.CallAt(callPollReadHead)
	rec.RecordAt(evReadHead, 0)
	if c.headerTimer != nil && !c.headerTimerRunning {
		deadline := c.clock.Now() + c.state.headerReadTimeout
		c.headerTimerRunning = true
		if c.headerTimerSet {
			rec.Note("resetting h1 header read timeout timer", refPollReadHead)
		} else {
			rec.Note("setting h1 header read timeout timer", refPollReadHead)
		}
		c.headerTimerSet = true
		// Reset, not re-create: the one timer is re-armed for each head.
		c.headerTimer.Reset(deadline)
	}

	out := c.io.parseHead(cx, c)
	if !out.Ready {
		if c.headerTimerRunning && c.headerTimer.Poll(cx) {
			c.headerTimerRunning = false
			rec.Note("read header from client timeout", refPollReadHead)
			if rec != nil {
				rec.Add(trace.Event{Kind: trace.KindError, Name: "header-timeout", Detail: "read header from client timeout", Ref: refHeaderTimeout})
			}
			rec.Ret("Conn.pollReadHead", "header-timeout")
			*h = readHead{err: newHeaderTimeout()}
			return true
		}
		rec.Ret("Conn.pollReadHead", "pending")
		return false
	}
	if out.Value != nil {
		r := c.onReadHeadError(out.Value)
		rec.Ret("Conn.pollReadHead", "error")
		if r.Ready {
			*h = r.Value
		}
		return r.Ready
	}
	if c.headerTimer != nil {
		c.headerTimerRunning = false
		c.headerTimerSet = false
		c.headerTimer.Clear()
	}
	if rec != nil {
		noteIncomingBody(rec, c.parsed.decode)
	}

	// The role's message, seen through what the state machine needs
	// (hyper's ParsedMessage<T::Incoming>), as the role's parse left it.
	m := &c.parsed
	*h = readHead{msg: m.req, resp: m.resp, decode: m.decode}
	c.state.busyAnd(m.keepAlive, trKAAnd)
	c.state.version = m.version

	if m.wantsUpgrade {
		h.wants |= wantsUpgrade
	}
	switch {
	case h.decode == LengthZero:
		if m.expectContinue {
			rec.Note("ignoring expect-continue since body is empty", refPollReadHead)
		}
		c.state.setReading(ReadingKeepAlive, trPollReadHead)
		if !c.state.role.ShouldReadFirst() {
			c.tryKeepAlive(cx)
		}
	case m.expectContinue && m.version > HTTP10:
		c.state.decoder = newDecoder(h.decode, c.state.maxHeaders)
		c.state.decoder.rec, c.state.decoder.cfgMaxHeaders = rec, c.state.maxHeaders
		c.state.setReading(ReadingContinue, trPollReadHead)
		h.wants |= wantsExpect
	default:
		c.state.decoder = newDecoder(h.decode, c.state.maxHeaders)
		c.state.decoder.rec, c.state.decoder.cfgMaxHeaders = rec, c.state.maxHeaders
		c.state.setReading(ReadingBody, trPollReadHead)
	}
	c.state.allowTrailerFields = teIsTrailers(m.headers)
	rec.Ret("Conn.pollReadHead", "head")
	return true
}

// onReadHeadError turns a head read failure into either a graceful EOF, an
// automatic error response (server), or an error.
func (c *Conn) onReadHeadError(e *Error) poll.Poll[readHead] {
	// If we are waiting on a message, an empty one is an error; if not, it
	// is just the connection closing gracefully.
	mustError := c.shouldErrorOnEOF()
	c.state.closeRead()
	c.io.consumeLeadingLines()
	wasMidParse := e.IsParse() || len(c.io.unread()) > 0
	if wasMidParse || mustError {
		if c.rec != nil {
			text := e.Error()
			if e.Kind == KindParse && e.Parse == ParseVersionH2 {
				text = parseText[ParseVersion] // hyper finds the preface only after
			}
			c.rec.Note("parse error ("+text+") with "+itoa(c.bytesAfterParseError())+" bytes", refPollReadHead)
		}
		if err := c.onParseError(e); err != nil {
			return poll.Ready(readHead{err: err})
		}
		// An automatic error response was queued; the error comes back when
		// the connection ends. hyper returns Pending here ("XXX: wat?").
		return poll.Pending[readHead]()
	}
	c.rec.Note("read eof", refPollReadHead)
	c.closeWrite()
	return poll.Ready(readHead{eof: true})
}

// onParseError: a server that has not started a response can still answer
// 400/414/431 before closing; otherwise the error goes up.
func (c *Conn) onParseError(e *Error) *Error {
	if c.state.writing == WritingInit {
		if c.hasH2Prefix() {
			return newParse(ParseVersionH2)
		}
		// T::on_error: a server answers 400, 414 or 431; a client has
		// no automatic response.
		if head, ok := c.state.role.tx().onError(e); ok {
			if c.rec != nil {
				c.rec.Note("sending automatic response ("+statusText(head.Status)+") for parse error", refServerOnError)
			}
			c.writeHead(&head, nil, nil)
			c.state.err = e
			return nil
		}
	}
	return e
}

// bytesAfterParseError is what hyper's read buffer holds when it logs a
// parse error: a head whose error was found after httparse completed was
// split off first (Server::parse), and leading CR/LF bytes are gone.
func (c *Conn) bytesAfterParseError() int {
	u := c.io.unread()
	n := c.parseCtx.split
	if c.state.role.IsClient() {
		n = c.respCtx.split
	}
	if n > 0 && n <= len(u) {
		u = u[n:]
		for len(u) > 0 && (u[0] == '\r' || u[0] == '\n') {
			u = u[1:]
		}
	}
	return len(u)
}

// readBody is the ready result of pollReadBody: a frame, the end (none), or
// an error.
type readBody struct {
	frame body.Frame
	none  bool
	err   error
}

// pollReadBody decodes the next body frame (§12.6).
func (c *Conn) pollReadBody(cx *poll.Context) poll.Poll[readBody] {
	// conn.rs:363; the unreachable! of poll_read_body's match (417) is
	// the same condition
	invariant(c.canReadBody(), assertReadBodyCanReadBody)
	rec := c.rec
	rec.CallAt(callPollReadBody)
	if c.state.reading == ReadingContinue {
		// The body is wanted now: answer the Expect, unless a response
		// already started, then decode as a plain body.
		if c.state.writing == WritingInit {
			rec.Note("automatically sending 100 Continue", refPollReadBody)
			buf := c.io.headersBuf()
			*buf = append(*buf, continueHead...)
		}
		c.state.setReading(ReadingBody, trPollReadBody)
	}
	p := c.state.decoder.decode(cx, &c.io)
	if !p.Ready {
		rec.Ret("Conn.pollReadBody", "pending")
		return poll.Pending[readBody]()
	}
	var next ReadingKind
	var res readBody
	switch {
	case p.Value.err != nil:
		rec.Note("incoming body decode error: "+p.Value.err.Error(), refPollReadBody)
		next, res = ReadingClosed, readBody{err: p.Value.err}
	case p.Value.frame.Kind == body.FrameData:
		data := p.Value.frame.Data
		switch {
		case c.state.decoder.isEOF():
			rec.Note("incoming body completed", refPollReadBody)
			next = ReadingKeepAlive
			if len(data) > 0 {
				res = readBody{frame: p.Value.frame}
			} else {
				res = readBody{none: true}
			}
		case len(data) == 0:
			// All decoders either reach EOF or fail on an empty read.
			rec.Note("incoming body unexpectedly ended", refPollReadBody)
			next, res = ReadingClosed, readBody{none: true}
		default:
			rec.Ret("Conn.pollReadBody", "data")
			return poll.Ready(readBody{frame: p.Value.frame})
		}
	case p.Value.frame.Kind == body.FrameTrailers:
		rec.Note("incoming body completed with trailers", refPollReadBody)
		next, res = ReadingKeepAlive, readBody{frame: p.Value.frame}
	default:
		rec.Note("discarding unknown frame", refPollReadBody)
		next, res = ReadingClosed, readBody{none: true}
	}
	c.state.setReading(next, trPollReadBody)
	c.tryKeepAlive(cx)
	rec.Ret("Conn.pollReadBody", "done")
	return poll.Ready(res)
}

// wantsReadAgain returns and clears notify_read: the poll loop goes round
// again instead of waiting for a wake-up (§12.9).
func (c *Conn) wantsReadAgain() bool {
	r := c.state.notifyRead
	if r {
		c.state.setNotifyRead(false)
	}
	return r
}

// pollReadKeepAlive reads while no message is being read: Pending when the
// read side is closed, EOF detection mid-message, and an empty read
// required when idle (§12.9.1).
func (c *Conn) pollReadKeepAlive(cx *poll.Context) poll.Poll[*Error] {
	invariant(c.readingNothing(), assertReadKeepAliveNotReading) // conn.rs:432
	switch {
	case c.state.isReadClosed():
		return poll.Pending[*Error]()
	case c.isMidMessage():
		return c.midMessageDetectEOF(cx)
	default:
		return c.requireEmptyRead(cx)
	}
}

// readingNothing is !can_read_head() && !can_read_body(), written so that
// the states a connection waits in (KeepAlive, Closed) answer with one
// compare: poll_read_keep_alive asserts it on every poll.
func (c *Conn) readingNothing() bool {
	r := c.state.reading
	return r >= ReadingKeepAlive || (r == ReadingInit && !c.canReadHead())
}

// readingNothingOpen is readingNothing() && !is_read_closed().
func (c *Conn) readingNothingOpen() bool {
	r := c.state.reading
	return r == ReadingKeepAlive || (r == ReadingInit && !c.canReadHead())
}

func (c *Conn) isMidMessage() bool {
	return !(c.state.reading == ReadingInit && c.state.writing == WritingInit)
}

// requireEmptyRead: an idle client must not receive bytes; EOF is a clean
// close unless a message was expected.
func (c *Conn) requireEmptyRead(cx *poll.Context) poll.Poll[*Error] {
	// conn.rs:455-457. For a server the first two imply the third (not
	// reading a head means mid-message), so it is checked first: then
	// each check has a state that fails it alone.
	invariant(c.state.role.IsClient(), assertEmptyReadIsClient)
	invariant(c.readingNothingOpen(), assertEmptyReadNotReading)
	invariant(!c.isMidMessage(), assertEmptyReadNotMidMessage)
	if n := len(c.io.unread()); n > 0 {
		c.rec.Note("received an unexpected "+itoa(n)+" bytes", refReadKeepAlive)
		return poll.Ready(newUnexpectedMessage())
	}
	p := c.forceIORead(cx)
	if !p.Ready {
		return poll.Pending[*Error]()
	}
	if p.Value.Err != nil {
		return poll.Ready(newIO(p.Value.Err))
	}
	if p.Value.N == 0 {
		var ret *Error
		if c.shouldErrorOnEOF() {
			c.rec.Note("found unexpected EOF on busy connection", refReadKeepAlive)
			ret = newIncomplete()
		} else {
			c.rec.Note("found EOF on idle connection, closing", refReadKeepAlive)
		}
		// order is important: shouldErrorOnEOF needs the state BEFORE closeRead
		c.state.closeRead()
		return poll.Ready(ret)
	}
	c.rec.Note("received unexpected "+itoa(p.Value.N)+" bytes on an idle connection", refReadKeepAlive)
	return poll.Ready(newUnexpectedMessage())
}

// midMessageDetectEOF: EOF while a message is in progress means the peer
// left mid-message (incomplete), unless half-close is allowed.
func (c *Conn) midMessageDetectEOF(cx *poll.Context) poll.Poll[*Error] {
	invariant(c.readingNothingOpen(), assertDetectEOFNotReading) // conn.rs:488
	invariant(c.isMidMessage(), assertDetectEOFMidMessage)       // conn.rs:489
	if c.state.allowHalfClose || len(c.io.unread()) > 0 {
		return poll.Pending[*Error]()
	}
	p := c.forceIORead(cx)
	if !p.Ready {
		return poll.Pending[*Error]()
	}
	if p.Value.Err != nil {
		return poll.Ready(newIO(p.Value.Err))
	}
	if p.Value.N == 0 {
		c.rec.Note("found unexpected EOF on busy connection", refReadKeepAlive)
		c.state.closeRead()
		return poll.Ready(newIncomplete())
	}
	return poll.Ready[*Error](nil)
}

func (c *Conn) forceIORead(cx *poll.Context) poll.Poll[poll.IOResult] {
	invariant(!c.state.isReadClosed(), assertForceReadNotClosed) // conn.rs:507
	p := c.io.pollReadFromIO(cx)
	if p.Ready && p.Value.Err != nil {
		c.rec.Note("force_io_read; io error", refReadKeepAlive)
		c.state.close()
	}
	return p
}

// maybeNotify: after a message ends, if the connection is back at Init and
// bytes may be waiting (pipelining), ask the poll loop to read again rather
// than wait for a wake-up that will never come (§12.9).
func (c *Conn) maybeNotify(cx *poll.Context) {
	if c.state.reading != ReadingInit || c.state.writing == WritingBody {
		return
	}
	if c.io.readBlocked {
		return
	}
	if len(c.io.unread()) == 0 {
		p := c.io.pollReadFromIO(cx)
		if !p.Ready {
			c.rec.Note("maybe_notify; read_from_io blocked", refMaybeNotify)
			return
		}
		if p.Value.Err != nil {
			c.rec.Note("maybe_notify; read_from_io error", refMaybeNotify)
			c.state.close()
			c.state.err = newIO(p.Value.Err)
		} else if p.Value.N == 0 {
			c.rec.Note("maybe_notify; read eof", refMaybeNotify)
			if c.state.isIdle() {
				c.state.close()
			} else {
				c.closeRead()
			}
			return
		}
	}
	c.state.setNotifyRead(true)
}

func (c *Conn) tryKeepAlive(cx *poll.Context) {
	c.rec.CallAt(callTryKeepAlive)
	c.state.tryKeepAlive()
	c.maybeNotify(cx)
	c.rec.Ret("State.tryKeepAlive", "")
}

// --- writing ---

func (c *Conn) canWriteHead() bool {
	if !c.state.role.ShouldReadFirst() && c.state.reading == ReadingClosed {
		return false
	}
	return c.state.writing == WritingInit
}

func (c *Conn) canWriteBody() bool { return c.state.writing == WritingBody }

func (c *Conn) canBufferBody() bool { return c.io.canBuffer() }

func (c *Conn) hasBufferedWrite() bool { return c.io.hasBufferedWrite() }

// writeHead encodes the next outgoing head (a response for a server, a
// request for a client) and moves Writing to Body, KeepAlive or Closed
// depending on the body encoder.
func (c *Conn) writeHead(resp *ResponseHead, req *RequestHead, bodyLen *BodyLength) {
	c.rec.CallAt(callWriteHead)
	enc, ok := c.encodeHead(resp, req, bodyLen)
	if ok {
		c.state.encoder = enc
		switch {
		case !enc.isEOF():
			c.state.setWriting(WritingBody, trWriteHead)
		case enc.isLast():
			c.state.setWriting(WritingClosed, trWriteHead)
			c.responsesDone++
		default:
			c.state.setWriting(WritingKeepAlive, trWriteHead)
			c.responsesDone++
		}
	}
	if c.rec != nil {
		c.rec.Ret("Conn.writeHead", c.state.writing.String())
	}
}

func (c *Conn) encodeHead(resp *ResponseHead, req *RequestHead, bodyLen *BodyLength) (Encoder, bool) {
	invariant(c.canWriteHead(), assertEncodeHeadCanWriteHead) // conn.rs:613
	if bodyLen != nil {
		c.encBody = *bodyLen
		bodyLen = &c.encBody
	}
	// A client's request starts a message; a server's response belongs to
	// the request it read (hyper's encode_head).
	if !c.state.role.ShouldReadFirst() {
		c.state.busy()
	}
	// Work on a copy held by the Conn: the caller's head is not modified,
	// and nothing escapes to the heap per message.
	if resp != nil {
		c.encHead = *resp
	}
	if req != nil {
		c.encReq = *req
	}
	server := c.rec != nil && c.state.role.IsServer()
	if server {
		noteServerEncode(c.rec, c.encHead.Status, bodyLen, c.state.method)
	}
	enc, err := c.state.role.tx().encode(c, bodyLen)
	if err != nil {
		c.state.err = err
		c.state.setWriting(WritingClosed, trWriteHead)
		return Encoder{}, false
	}
	if server && !canHaveBody(c.state.method, c.encHead.Status) {
		b := appendMethodDebug(append(c.rec.NoteBuf(), "server body forced to 0; method="...), c.state.method)
		c.rec.NoteBytes(strconv.AppendInt(append(b, ", status="...), int64(c.encHead.Status), 10), refServerEncode)
	}
	return enc, true
}

// enforceVersion answers an HTTP/1.0 peer in HTTP/1.0 (keeping the
// connection only with an explicit keep-alive), and tells a 1.1 peer
// `connection: close` when keep-alive is off.
func (c *Conn) enforceVersion(version *Version, headers *[]Header) {
	if c.state.version == HTTP11 && c.state.keepAlive != KADisabled {
		return // the common case, checked inline: nothing to change
	}
	c.enforceVersionSlow(version, headers)
}

func (c *Conn) enforceVersionSlow(version *Version, headers *[]Header) {
	switch c.state.version {
	case HTTP10:
		c.fixKeepAlive(*version, headers)
		*version = HTTP10
	case HTTP11:
		if c.state.keepAlive == KADisabled {
			*headers = c.withHeader(*headers, "connection", "close")
		}
	}
}

// fixKeepAlive: without `connection: keep-alive` in the outgoing head, a
// 1.0 message means close; a 1.1 message to a 1.0 peer that wants
// keep-alive must say so explicitly.
func (c *Conn) fixKeepAlive(version Version, headers *[]Header) {
	if responseSaysKeepAlive(*headers) {
		return
	}
	switch version {
	case HTTP10:
		c.state.disableKeepAlive()
	case HTTP11, 0:
		if c.state.wantsKeepAlive() {
			*headers = c.withHeader(*headers, "connection", "keep-alive")
		}
	}
}

// withHeader returns headers with name set to value (replacing existing
// values in place, or appending), without touching the service's slice.
func (c *Conn) withHeader(hs []Header, name, value string) []Header {
	out := c.outHeaders[:0]
	replaced := false
	for _, f := range hs {
		if asciiEqualFold(f.Name, name) {
			if replaced {
				continue
			}
			replaced = true
			f = Header{Name: f.Name, Value: constBytes(value)}
		}
		out = append(out, f)
	}
	if !replaced {
		out = append(out, Header{Name: constBytes(name), Value: constBytes(value)})
	}
	c.outHeaders = out
	return out
}

func (c *Conn) writeBody(chunk []byte) {
	// conn.rs:715 (its unreachable! at 733 is the same condition); empty
	// chunks are discarded by the Dispatcher (conn.rs:717)
	invariant(c.canWriteBody() && c.canBufferBody(), assertWriteBodyCanWrite)
	invariant(len(chunk) != 0, assertWriteBodyNonEmpty)
	c.rec.CallAt(callWriteBody)
	before := c.noteEncode(len(chunk))
	c.state.encoder.encode(c.io.headersBuf(), chunk)
	c.noteFlatten(before)
	if c.state.encoder.isEOF() {
		c.responsesDone++
		if c.state.encoder.isLast() {
			c.state.setWriting(WritingClosed, trWriteBody)
		} else {
			c.state.setWriting(WritingKeepAlive, trWriteBody)
		}
	}
	c.rec.Ret("Conn.writeBody", "")
}

// writeTrailers sends trailers, which a server may only do when the request
// said `TE: trailers`.
func (c *Conn) writeTrailers(trailers []Header) {
	// hyper asks is_server here: only a request says whether the peer
	// takes trailers.
	if c.state.role.IsServer() && !c.state.allowTrailerFields {
		c.rec.Note("trailers not allowed to be sent", refWriteBody)
		return
	}
	// conn.rs:744 (its unreachable! at 760 is the same condition)
	invariant(c.canWriteBody() && c.canBufferBody(), assertWriteTrailersCanWrite)
	enc := &c.state.encoder
	if c.rec != nil {
		c.noteEncodeTrailers(trailers)
	}
	before := c.io.bufferedLen()
	ok := enc.encodeTrailers(c.io.headersBuf(), trailers, c.state.titleCaseHeaders)
	c.noteFlatten(before)
	if ok {
		c.responsesDone++
		if enc.isLast() || enc.isCloseDelimited() {
			c.state.setWriting(WritingClosed, trWriteBody)
		} else {
			c.state.setWriting(WritingKeepAlive, trWriteBody)
		}
	}
}

// writeBodyAndEnd writes the last chunk and the end of the body in one go.
func (c *Conn) writeBodyAndEnd(chunk []byte) {
	// conn.rs:765 (its unreachable! at 778 is the same condition) and 767
	invariant(c.canWriteBody() && c.canBufferBody(), assertBodyAndEndCanWrite)
	invariant(len(chunk) != 0, assertBodyAndEndNonEmpty)
	c.rec.CallAt(callWriteBodyAndEnd)
	c.responsesDone++
	before := c.noteEncode(len(chunk))
	keep := c.state.encoder.encodeAndEnd(c.io.headersBuf(), chunk)
	c.noteFlatten(before)
	if keep {
		c.state.setWriting(WritingKeepAlive, trWriteBodyEnd)
	} else {
		c.state.setWriting(WritingClosed, trWriteBodyEnd)
	}
	if c.rec != nil {
		c.rec.Ret("Conn.writeBodyAndEnd", c.state.writing.String())
	}
}

// endBody ends the outgoing body: the chunked terminator, or an error when
// a Content-Length body ended short.
func (c *Conn) endBody() *Error {
	invariant(c.canWriteBody(), assertEndBodyCanWriteBody) // conn.rs:785
	if c.state.writing != WritingBody {
		return nil
	}
	c.rec.CallAt(callEndBody)
	enc := &c.state.encoder
	before := c.io.bufferedLen()
	err := enc.end(c.io.headersBuf())
	c.noteFlatten(before)
	if err != nil {
		c.state.setWriting(WritingClosed, trEndBody)
		c.rec.Ret("Conn.endBody", "error")
		e := newBodyWriteAborted()
		e.Cause = err
		return e
	}
	c.responsesDone++
	if enc.isLast() || enc.isCloseDelimited() {
		c.state.setWriting(WritingClosed, trEndBody)
	} else {
		c.state.setWriting(WritingKeepAlive, trEndBody)
	}
	if c.rec != nil {
		c.rec.Ret("Conn.endBody", c.state.writing.String())
	}
	return nil
}

func (c *Conn) pollFlush(cx *poll.Context) poll.Poll[error] {
	p := c.io.pollFlush(cx)
	if !p.Ready || p.Value != nil {
		return p
	}
	c.tryKeepAlive(cx)
	if c.rec != nil {
		c.state.noteFlushed(c.rec)
	}
	return p
}

func (c *Conn) pollShutdown(cx *poll.Context) poll.Poll[error] {
	c.rec.CallAt(callPollShutdown)
	p := c.io.pollShutdown(cx)
	res := "pending"
	if p.Ready {
		res = "ok"
		if p.Value != nil {
			res = "error"
			c.rec.Note("error shutting down IO: "+p.Value.Error(), refConnShutdown)
		} else {
			c.rec.Note("shut down IO complete", refConnShutdown)
		}
	}
	c.rec.Ret("Conn.pollShutdown", res)
	return p
}

// pollDrainOrCloseRead: the service dropped the body before reading it. If
// what is left can be read right now, drain it and keep the connection;
// otherwise give up and close the read side. A pending 100 Continue is
// skipped: the client need not send a body nobody wants (§12.10.2.5).
func (c *Conn) pollDrainOrCloseRead(cx *poll.Context) {
	c.rec.CallAt(callDrainOrCloseRead)
	if c.state.reading == ReadingContinue {
		c.state.setReading(ReadingBody, trDrainOrClose)
	}
	_ = c.pollReadBody(cx)
	switch c.state.reading {
	case ReadingInit, ReadingKeepAlive:
		c.rec.Note("body drained", refDrainOrClose)
	default:
		c.closeRead()
	}
	if c.rec != nil {
		c.rec.Ret("Conn.pollDrainOrCloseRead", c.state.reading.String())
	}
}

func (c *Conn) closeRead()  { c.state.closeRead() }
func (c *Conn) closeWrite() { c.state.closeWrite() }

// disableKeepAlive: an idle connection closes now; a busy one after its
// message.
func (c *Conn) disableKeepAlive() {
	if c.state.isIdle() {
		c.rec.Note("disable_keep_alive; closing idle connection", refDisableKA)
		c.state.close()
	} else {
		c.rec.Note("disable_keep_alive; in-progress connection", refDisableKA)
		c.state.disableKeepAlive()
	}
}

func (c *Conn) takeError() *Error {
	e := c.state.err
	c.state.err = nil
	return e
}

// pendingUpgrade takes the expected upgrade, if any.
func (c *Conn) pendingUpgrade() *Pending {
	p := c.upgrade
	c.upgrade = nil
	return p
}

// onUpgrade prepares a possible upgrade and returns the service's half.
func (c *Conn) onUpgrade() *OnUpgrade {
	if c.rec != nil {
		c.rec.NoteBytes(append(append(c.rec.NoteBuf(), c.state.roleLog()...), ": prepare possible HTTP upgrade"...), refOnUpgrade)
	}
	p, on := newUpgradePair()
	c.upgrade = p
	return on
}

// intoInner gives up the transport and the bytes read past the last head.
func (c *Conn) intoInner() (poll.IO, []byte) {
	rest := append([]byte(nil), c.io.unread()...)
	c.io.consume(len(c.io.unread()))
	return c.io.io, rest
}

// responseSaysKeepAlive reports a `connection: keep-alive` token in headers.
func responseSaysKeepAlive(hs []Header) bool {
	for _, f := range hs {
		if asciiEqualFold(f.Name, "connection") && connectionKeepAlive(f.Value) {
			return true
		}
	}
	return false
}

// noteEncode records the encoder's trace for a body chunk of n bytes and
// returns the unflushed length before it is buffered (for noteFlatten).
func (c *Conn) noteEncode(n int) int {
	if c.rec == nil {
		return 0
	}
	return c.recordEncode(n)
}

func (c *Conn) recordEncode(n int) int {
	switch c.state.encoder.kind {
	case encoderChunked:
		c.rec.NoteNum(numEncodingChunked, int64(n))
	case encoderLength:
		c.rec.NoteNum(numSizedWrite, int64(n))
	default:
		c.rec.NoteNum(numCloseDelimitedWrite, int64(n))
	}
	return c.io.bufferedLen()
}

// noteFlatten records hyper's WriteBuf::buffer (the flatten strategy)
// when bytes were buffered after before.
func (c *Conn) noteFlatten(before int) {
	if c.rec != nil {
		c.recordFlatten(before)
	}
}

func (c *Conn) recordFlatten(before int) {
	if n := c.io.bufferedLen() - before; n > 0 {
		noteFlatten(c.rec, before, n)
	}
}
