package h1

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/duplex"
	"github.com/connlab/connlab/engine/poll"
)

// invariantConn is a Conn of role over a duplex end, in the state set puts
// it in (fields assigned directly: these tests build states the engine
// never reaches, to see each of hyper's asserts fire).
func invariantConn(role Role, reading ReadingKind, writing WritingKind) *Conn {
	ex := poll.NewExecutor(0, nil)
	dx := duplex.New(ex, duplex.Config{}, nil)
	var io poll.IO = dx.Server
	if role == RoleClient {
		io = dx.Client
	}
	c := NewConn(io, role, DefaultOptions(), ex.Clock(), nil)
	c.state.reading, c.state.writing = reading, writing
	if reading == ReadingBody || reading == ReadingContinue {
		c.state.decoder = newDecoder(DecodedLength(5), 100)
	}
	if writing == WritingBody {
		c.state.encoder = newLengthEncoder(5)
	}
	return c
}

// expectAssert runs f and requires it to panic with hyper's assert want.
func expectAssert(t *testing.T, want assertID, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("%s: no panic", assertTexts[want])
			return
		}
		got, ok := r.(assertError)
		if !ok || assertID(got) != want {
			t.Errorf("panic %v, want %s", r, assertTexts[want])
		}
	}()
	f()
}

// fullWriteBuffer fills c's write buffer to max_buf_size: can_buffer_body
// is false.
func fullWriteBuffer(c *Conn) *Conn {
	buf := c.io.headersBuf()
	*buf = append(*buf, make([]byte, c.io.maxBufSize)...)
	return c
}

// overIO is a transport that claims to have written more than it was given.
type overIO struct{ poll.IO }

func (overIO) PollWrite(cx *poll.Context, p []byte) poll.Poll[poll.IOResult] {
	return poll.Ready(poll.IOResult{N: len(p) + 1})
}

// TestInvariants drives the engine into the state each of hyper's
// debug_asserts rules out and expects the check to panic with it: one case
// per assert ported (invariants.go).
func TestInvariants(t *testing.T) {
	cx := poll.NewContext()
	srv, cli := RoleServer, RoleClient
	cases := []struct {
		id assertID
		f  func()
	}{
		{assertReadHeadCanReadHead, func() { invariantConn(srv, ReadingBody, WritingInit).pollReadHead(cx, new(readHead)) }},
		{assertReadHeadCanReadHead, func() { invariantConn(cli, ReadingInit, WritingInit).pollReadHead(cx, new(readHead)) }},
		{assertReadBodyCanReadBody, func() { invariantConn(srv, ReadingInit, WritingInit).pollReadBody(cx) }},
		{assertReadBodyCanReadBody, func() { invariantConn(srv, ReadingKeepAlive, WritingBody).pollReadBody(cx) }},
		{assertReadKeepAliveNotReading, func() { invariantConn(srv, ReadingInit, WritingInit).pollReadKeepAlive(cx) }},
		{assertReadKeepAliveNotReading, func() { invariantConn(cli, ReadingBody, WritingKeepAlive).pollReadKeepAlive(cx) }},
		{assertEmptyReadIsClient, func() { invariantConn(srv, ReadingInit, WritingInit).requireEmptyRead(cx) }},
		{assertEmptyReadNotReading, func() { invariantConn(cli, ReadingClosed, WritingInit).requireEmptyRead(cx) }},
		{assertEmptyReadNotReading, func() { invariantConn(cli, ReadingInit, WritingKeepAlive).requireEmptyRead(cx) }},
		{assertEmptyReadNotMidMessage, func() { invariantConn(cli, ReadingKeepAlive, WritingInit).requireEmptyRead(cx) }},
		{assertDetectEOFNotReading, func() { invariantConn(cli, ReadingClosed, WritingBody).midMessageDetectEOF(cx) }},
		{assertDetectEOFNotReading, func() { invariantConn(srv, ReadingBody, WritingInit).midMessageDetectEOF(cx) }},
		{assertDetectEOFMidMessage, func() { invariantConn(cli, ReadingInit, WritingInit).midMessageDetectEOF(cx) }},
		{assertForceReadNotClosed, func() { invariantConn(cli, ReadingClosed, WritingKeepAlive).forceIORead(cx) }},
		{assertEncodeHeadCanWriteHead, func() {
			invariantConn(srv, ReadingKeepAlive, WritingBody).writeHead(&ResponseHead{Status: 200}, nil, nil)
		}},
		{assertEncodeHeadCanWriteHead, func() {
			invariantConn(cli, ReadingClosed, WritingInit).writeHead(nil, &RequestHead{Method: "GET", URI: []byte("/"), Version: HTTP11}, nil)
		}},
		{assertWriteBodyCanWrite, func() { invariantConn(srv, ReadingKeepAlive, WritingKeepAlive).writeBody([]byte("x")) }},
		{assertWriteBodyCanWrite, func() { fullWriteBuffer(invariantConn(srv, ReadingKeepAlive, WritingBody)).writeBody([]byte("x")) }},
		{assertWriteBodyNonEmpty, func() { invariantConn(srv, ReadingKeepAlive, WritingBody).writeBody(nil) }},
		{assertWriteTrailersCanWrite, func() { invariantConn(cli, ReadingInit, WritingInit).writeTrailers(nil) }},
		{assertWriteTrailersCanWrite, func() {
			c := fullWriteBuffer(invariantConn(srv, ReadingKeepAlive, WritingBody))
			c.state.allowTrailerFields = true
			c.writeTrailers(nil)
		}},
		{assertBodyAndEndCanWrite, func() { invariantConn(srv, ReadingKeepAlive, WritingClosed).writeBodyAndEnd([]byte("x")) }},
		{assertBodyAndEndCanWrite, func() {
			fullWriteBuffer(invariantConn(srv, ReadingKeepAlive, WritingBody)).writeBodyAndEnd([]byte("x"))
		}},
		{assertBodyAndEndNonEmpty, func() { invariantConn(srv, ReadingKeepAlive, WritingBody).writeBodyAndEnd(nil) }},
		{assertEndBodyCanWriteBody, func() { invariantConn(srv, ReadingKeepAlive, WritingKeepAlive).endBody() }},
		{assertIdleNotIdle, func() {
			s := State{reading: ReadingKeepAlive, writing: WritingKeepAlive, keepAlive: KAIdle}
			s.idle()
		}},
		{assertEmptyUpgrade, func() {
			// the Conn always prepares a live OnUpgrade; the check's
			// subject is hyper's OnUpgrade::none()
			up := &OnUpgrade{}
			invariant(!up.isNone(), assertEmptyUpgrade)
		}},
		{assertEOFReadClosed, func() {
			d := &Dispatcher{conn: invariantConn(srv, ReadingInit, WritingInit)}
			d.onReadEOF()
		}},
		{assertClientPollMsgRxOpen, func() { (&clientDispatch{rxClosed: true}).pollMsg(cx, new(outgoing)) }},
		{assertServerPollMsgFlight, func() { (&serverDispatch{}).pollMsg(cx, new(outgoing)) }},
		{assertPrevPowerOfTwo, func() { prevPowerOfTwo(3) }},
		{assertCursorAdvance, func() {
			c := invariantConn(srv, ReadingInit, WritingInit)
			c.io.io = overIO{c.io.io}
			*c.io.headersBuf() = append(*c.io.headersBuf(), "HTTP/1.1 200 OK\r\n\r\n"...)
			c.io.pollFlush(cx)
		}},
		{assertParseNonEmpty, func() { parseServer(invariantConn(srv, ReadingInit, WritingInit), nil) }},
		{assertParseNonEmpty, func() { parseClient(invariantConn(cli, ReadingInit, WritingBody), []byte{}) }},
	}
	seen := map[assertID]bool{}
	for _, c := range cases {
		seen[c.id] = true
		expectAssert(t, c.id, c.f)
	}
	for id := assertID(1); id < assertCount; id++ {
		if !seen[id] {
			t.Errorf("no test drives %s", assertTexts[id])
		}
	}
}

// TestInvariantTexts: every assert names hyper's file and line, and its
// panic value says so.
func TestInvariantTexts(t *testing.T) {
	for id := assertID(1); id < assertCount; id++ {
		s := assertTexts[id]
		if !strings.Contains(s, ".rs:") || !strings.Contains(s, "assert") && !strings.Contains(s, "unreachable") {
			t.Errorf("assert %d: text %q does not name hyper's assert", id, s)
		}
		if e := assertError(id).Error(); e != "h1: invariant violated: "+s {
			t.Errorf("assert %d: Error() = %q", id, e)
		}
	}
	if e := assertError(assertCount).Error(); !strings.Contains(e, "assertID(") {
		t.Errorf("out of range: %q", e)
	}
}

// TestInvariantsHoldOnTheHappyPath: the checks are always on, so the
// engine's own tests and the scenario library already run with them; this
// one pipelines a few requests with bodies through a server connection to
// show ordinary traffic passes every check.
func TestInvariantsHoldOnTheHappyPath(t *testing.T) {
	svc := svcFunc(func(req *Request) ServiceFuture {
		req.TakeBody().Drop()
		return respond(200, &chunkSeq{frames: []body.Frame{body.Data([]byte("a")), body.Data(nil), body.Data([]byte("b"))}, eos: true})
	})
	h := newHarness(t, svc, DefaultOptions())
	h.send("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc" + get + "HEAD / HTTP/1.1\r\n\r\n")
	if n := strings.Count(string(h.out), "HTTP/1.1 200 OK"); n != 3 {
		t.Fatalf("%d responses, want 3:\n%s", n, h.out)
	}
}

// TestReadingNothingIsHypersCondition: the short forms used by the checks
// are hyper's conditions, in every state of both roles.
func TestReadingNothingIsHypersCondition(t *testing.T) {
	for _, role := range []Role{RoleServer, RoleClient} {
		for r := ReadingInit; r <= ReadingClosed; r++ {
			for w := WritingInit; w <= WritingClosed; w++ {
				c := invariantConn(role, r, w)
				hyper := !c.canReadHead() && !c.canReadBody()
				if got := c.readingNothing(); got != hyper {
					t.Errorf("%v %v %v: readingNothing %v, want %v", role, r, w, got, hyper)
				}
				hyper = hyper && !c.state.isReadClosed()
				if got := c.readingNothingOpen(); got != hyper {
					t.Errorf("%v %v %v: readingNothingOpen %v, want %v", role, r, w, got, hyper)
				}
			}
		}
	}
}
