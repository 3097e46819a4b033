package h1

import (
	"errors"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/duplex"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// harness is a server connection on a duplex, with the client side driven
// by the test.
type harness struct {
	t   *testing.T
	ex  *poll.Executor
	rec *trace.Recorder
	dx  *duplex.Duplex
	srv *ServerConn
	out []byte
}

func newHarness(t *testing.T, svc Service, opts Options) *harness {
	rec := trace.New()
	ex := poll.NewExecutor(0, rec)
	dx := duplex.New(ex, duplex.Config{}, rec)
	srv := NewServerConn(ex, dx.Server, svc, opts)
	ex.Spawn("server connection", srv)
	h := &harness{t: t, ex: ex, rec: rec, dx: dx, srv: srv}
	h.run()
	return h
}

func (h *harness) run() {
	h.t.Helper()
	if _, err := h.ex.RunUntilIdle(10000); err != nil {
		h.t.Fatal(err)
	}
	h.out = h.dx.Client.ReadAll(h.out)
}

func (h *harness) send(s string) {
	h.t.Helper()
	if n := h.dx.Client.Write([]byte(s)); n != len(s) {
		h.t.Fatalf("pipe took %d of %d bytes", n, len(s))
	}
	h.run()
}

func (h *harness) notes() []string {
	var out []string
	for _, e := range h.rec.Events() {
		if e.Kind == trace.KindNote {
			out = append(out, e.Detail)
		}
	}
	return out
}

func (h *harness) hasNote(text string) bool {
	for _, n := range h.notes() {
		if strings.HasPrefix(n, text) {
			return true
		}
	}
	return false
}

// svcFunc adapts a function to Service.
type svcFunc func(req *Request) ServiceFuture

func (f svcFunc) Call(req *Request) ServiceFuture { return f(req) }

// futFunc adapts a poll function to ServiceFuture.
type futFunc func(cx *poll.Context) poll.Poll[Response]

func (f futFunc) Poll(cx *poll.Context) poll.Poll[Response] { return f(cx) }

func respond(status int, b body.Body) ServiceFuture {
	return futFunc(func(*poll.Context) poll.Poll[Response] {
		return poll.Ready(Response{Head: ResponseHead{Status: status}, Body: b})
	})
}

const get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"

// TestPollReadHeadAsksPollReadyFirst: while the service works on one
// request, the next pipelined head stays unread in the buffer (§12.6.2).
func TestPollReadHeadAsksPollReadyFirst(t *testing.T) {
	finish := false
	var waker poll.Waker
	svc := svcFunc(func(req *Request) ServiceFuture {
		return futFunc(func(cx *poll.Context) poll.Poll[Response] {
			if !finish {
				waker = cx.Waker()
				return poll.Pending[Response]()
			}
			return poll.Ready(Response{Head: ResponseHead{Status: 200}, Body: body.NewFull([]byte("x"))})
		})
	})
	h := newHarness(t, svc, DefaultOptions())
	h.send(get + get)
	if got := h.srv.RequestsSeen(); got != 1 {
		t.Fatalf("requests seen = %d while the first is in flight, want 1", got)
	}
	if got := h.srv.Dispatcher().View().ReadBuf; got != len(get) {
		t.Fatalf("read buffer holds %d bytes, want the unread second head (%d)", got, len(get))
	}
	finish = true
	waker.Wake()
	h.run()
	if got := h.srv.RequestsSeen(); got != 2 {
		t.Fatalf("after the first response, requests seen = %d, want 2", got)
	}
	if n := strings.Count(string(h.out), "HTTP/1.1 200 OK"); n != 2 {
		t.Fatalf("%d responses, want 2:\n%s", n, h.out)
	}
}

// chunkSeq is a user body of given frames, each ready at once.
type chunkSeq struct {
	frames []body.Frame
	eos    bool // report IsEndStream once the frames are gone
}

func (c *chunkSeq) PollFrame(cx *poll.Context) poll.Poll[body.Result] {
	if len(c.frames) == 0 {
		return poll.Ready(body.Result{End: true})
	}
	f := c.frames[0]
	c.frames = c.frames[1:]
	return poll.Ready(body.Result{Frame: f})
}
func (c *chunkSeq) IsEndStream() bool        { return c.eos && len(c.frames) == 0 }
func (c *chunkSeq) SizeHint() (uint64, bool) { return 0, false }

// TestPollWriteDiscardsEmptyChunks: an empty chunk would read as the
// chunked terminator, so it is dropped; at end of stream it becomes
// end_body (§12.7.1).
func TestPollWriteDiscardsEmptyChunks(t *testing.T) {
	svc := svcFunc(func(req *Request) ServiceFuture {
		return respond(200, &chunkSeq{frames: []body.Frame{body.Data(nil), body.Data([]byte("ab")), body.Data(nil)}, eos: true})
	})
	h := newHarness(t, svc, DefaultOptions())
	h.send(get)
	body := string(h.out[strings.Index(string(h.out), "\r\n\r\n")+4:])
	if body != "2\r\nab\r\n0\r\n\r\n" {
		t.Fatalf("chunked body %q, want one chunk then the terminator", body)
	}
	if !h.hasNote("discarding empty chunk") {
		t.Fatalf("no 'discarding empty chunk' note: %v", h.notes())
	}
}

// TestWriteBodyAndEndIsOneWrite: the last chunk and the terminator go out
// in the same write as the head when the body knows it is ending.
func TestWriteBodyAndEndIsOneWrite(t *testing.T) {
	svc := svcFunc(func(req *Request) ServiceFuture {
		return respond(200, &chunkSeq{frames: []body.Frame{body.Data([]byte("last"))}, eos: true})
	})
	h := newHarness(t, svc, DefaultOptions())
	h.send(get)
	writes := 0
	for _, e := range h.rec.Events() {
		if e.Kind == trace.KindIO && e.Name == "write" && e.Field == "server" {
			writes++
		}
	}
	if writes != 1 || !strings.HasSuffix(string(h.out), "4\r\nlast\r\n0\r\n\r\n") {
		t.Fatalf("%d writes, output %q; want one write ending in the chunk and terminator", writes, h.out)
	}
}

// TestTrailersOnlyWhenAsked: a server sends trailers only if the request
// said `TE: trailers`; unknown frames are discarded.
func TestTrailersOnlyWhenAsked(t *testing.T) {
	mk := func() Service {
		return svcFunc(func(req *Request) ServiceFuture {
			return futFunc(func(*poll.Context) poll.Poll[Response] {
				return poll.Ready(Response{Head: ResponseHead{Status: 200, Headers: []Header{body.H("Trailer", "X-Sum")}}, Body: &chunkSeq{frames: []body.Frame{
					body.Data([]byte("x")),
					{Kind: body.FrameUnknown},
					{Kind: body.FrameTrailers, Trailers: []Header{body.H("X-Sum", "1")}},
				}}})
			})
		})
	}
	h := newHarness(t, mk(), DefaultOptions())
	h.send("GET / HTTP/1.1\r\nTE: trailers\r\n\r\n")
	if !strings.HasSuffix(string(h.out), "1\r\nx\r\n0\r\nx-sum: 1\r\n\r\n") {
		t.Fatalf("with TE: trailers, output %q", h.out)
	}
	if !h.hasNote("discarding unknown frame") {
		t.Fatalf("unknown frame not discarded: %v", h.notes())
	}
	h = newHarness(t, mk(), DefaultOptions())
	h.send(get)
	if strings.Contains(string(h.out), "x-sum") || !h.hasNote("trailers not allowed to be sent") {
		t.Fatalf("without TE: trailers, output %q notes %v", h.out, h.notes())
	}
}

// hookIO wraps an IO and runs a hook on each read: it stands in for
// another thread acting between the dispatcher's poll_ready and its
// try_send, which a single-threaded executor cannot otherwise produce.
type hookIO struct {
	poll.IO
	onRead func()
}

func (h *hookIO) PollRead(cx *poll.Context, p []byte) poll.Poll[poll.IOResult] {
	if h.onRead != nil {
		h.onRead()
	}
	return h.IO.PollRead(cx, p)
}

// TestLateDropClosesRead: the receiver goes away after the dispatcher
// decided to send it a chunk: try_send fails and the read side closes
// without draining (§12.6.1, the late drop).
func TestLateDropClosesRead(t *testing.T) {
	var in body.Incoming
	got := 0
	svc := svcFunc(func(req *Request) ServiceFuture {
		in = req.TakeBody().Detach() // the test keeps it past the future
		return futFunc(func(cx *poll.Context) poll.Poll[Response] {
			p := in.PollFrame(cx)
			if !p.Ready {
				return poll.Pending[Response]()
			}
			got += len(p.Value.Frame.Data)
			return poll.Ready(Response{Head: ResponseHead{Status: 200}, Body: body.NewFull([]byte("ok"))})
		})
	})
	rec := trace.New()
	ex := poll.NewExecutor(0, rec)
	dx := duplex.New(ex, duplex.Config{}, rec)
	hio := &hookIO{IO: dx.Server}
	srv := NewServerConn(ex, hio, svc, DefaultOptions())
	ex.Spawn("server connection", srv)
	h := &harness{t: t, ex: ex, rec: rec, dx: dx, srv: srv}
	h.send("POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc")
	if got != 3 {
		t.Fatalf("service got %d bytes, want the first 3", got)
	}
	hio.onRead = func() { in.Drop() }
	h.send("def")
	if !h.hasNote("body receiver dropped before eof, closing") {
		t.Fatalf("late drop not taken: %v", h.notes())
	}
	if c := srv.Dispatcher().Conn(); c.Reading() != ReadingClosed {
		t.Fatalf("reading = %v, want Closed", c.Reading())
	}
	if h.hasNote("body receiver dropped before eof, draining or closing") {
		t.Fatalf("took the early-drop path too: %v", h.notes())
	}
}

// TestEarlyDropDrainsWhenCheap: dropped before any chunk, with the whole
// body already buffered: drained, and the connection is kept.
func TestEarlyDropDrainsWhenCheap(t *testing.T) {
	svc := svcFunc(func(req *Request) ServiceFuture {
		req.TakeBody().Drop()
		return respond(200, body.NewFull([]byte("ok")))
	})
	h := newHarness(t, svc, DefaultOptions())
	h.send("POST / HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello" + get)
	if !h.hasNote("body drained") || h.srv.RequestsSeen() != 2 {
		t.Fatalf("notes %v, requests %d: want a drain and the next request served", h.notes(), h.srv.RequestsSeen())
	}
	if strings.Contains(string(h.out), "100 Continue") {
		t.Fatalf("sent 100 Continue for a body nobody wanted:\n%s", h.out)
	}
}

// TestPollCatchAlertsTheBody: when the connection fails mid-body, the
// service reading the body sees an error, and the connection ends with the
// error (§12.8.1).
func TestPollCatchAlertsTheBody(t *testing.T) {
	var bodyErr error
	svc := svcFunc(func(req *Request) ServiceFuture {
		in := req.TakeBody()
		return futFunc(func(cx *poll.Context) poll.Poll[Response] {
			for {
				p := in.PollFrame(cx)
				if !p.Ready {
					return poll.Pending[Response]()
				}
				if p.Value.Err != nil {
					bodyErr = p.Value.Err
					return poll.Ready(Response{Err: p.Value.Err})
				}
				if p.Value.End {
					return poll.Ready(Response{Head: ResponseHead{Status: 200}})
				}
			}
		})
	})
	h := newHarness(t, svc, DefaultOptions())
	h.send("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
	h.dx.Client.Shutdown()
	h.run()
	if bodyErr == nil {
		t.Fatal("the service's body saw no error")
	}
	var e *Error
	if !errors.As(bodyErr, &e) || e.Kind != KindBody {
		t.Fatalf("body error %v, want kind body", bodyErr)
	}
	if !h.srv.Done() || h.srv.Err() == nil {
		t.Fatalf("connection done=%v err=%v, want ended with an error", h.srv.Done(), h.srv.Err())
	}
}

// TestGracefulShutdown: idle → closes at once; busy → finishes the message
// with connection: close, then closes.
func TestGracefulShutdown(t *testing.T) {
	var wake poll.Waker
	finish := false
	svc := svcFunc(func(req *Request) ServiceFuture {
		return futFunc(func(cx *poll.Context) poll.Poll[Response] {
			if !finish {
				wake = cx.Waker()
				return poll.Pending[Response]()
			}
			return poll.Ready(Response{Head: ResponseHead{Status: 200}, Body: body.NewFull([]byte("done"))})
		})
	})
	h := newHarness(t, svc, DefaultOptions())
	h.srv.GracefulShutdown()
	h.ex.WakeTask(1)
	h.run()
	if !h.srv.Done() || len(h.out) != 0 || !h.dx.ToClient.WriteClosed() {
		t.Fatalf("idle shutdown: done=%v output %q fin=%v; want closed at once, nothing written", h.srv.Done(), h.out, h.dx.ToClient.WriteClosed())
	}

	h = newHarness(t, svc, DefaultOptions())
	h.send(get)
	h.srv.GracefulShutdown()
	finish = true
	wake.Wake()
	h.run()
	if !strings.Contains(string(h.out), "connection: close\r\n") || !h.srv.Done() {
		t.Fatalf("busy shutdown: done=%v output %q", h.srv.Done(), h.out)
	}
	if !h.dx.ToClient.WriteClosed() {
		t.Fatal("no FIN after graceful shutdown")
	}
}

// TestEarlyDropBeforeBodyArrivesCloses (issue 15 item 1): a POST whose body
// has not arrived, answered by a service that drops the body unread (as a
// Rust service's `_req` goes when its future completes). The drop wakes
// the connection at once through the want watch; poll_read then takes the
// early-drop path, finds nothing to drain, closes the read side, and the
// connection closes after the response. The body sent later is not read.
func TestEarlyDropBeforeBodyArrivesCloses(t *testing.T) {
	svc := svcFunc(func(req *Request) ServiceFuture {
		in := req.TakeBody()
		return futFunc(func(*poll.Context) poll.Poll[Response] {
			in.Drop()
			return poll.Ready(Response{Head: ResponseHead{Status: 200}, Body: body.NewFull([]byte("ok"))})
		})
	})
	h := newHarness(t, svc, DefaultOptions())
	h.send("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n")
	if !h.hasNote("body receiver dropped before eof, draining or closing") {
		t.Fatalf("the drop was not seen before more bytes came: %v", h.notes())
	}
	if h.hasNote("body drained") {
		t.Fatalf("drained a body that had not arrived: %v", h.notes())
	}
	if !strings.HasPrefix(string(h.out), "HTTP/1.1 200 OK\r\n") || !h.srv.Done() || h.srv.Err() != nil {
		t.Fatalf("out %q, done %v, err %v: want the response, then a clean end", h.out, h.srv.Done(), h.srv.Err())
	}
	if !h.dx.Client.In().WriteClosed() {
		t.Fatal("the client did not see EOF")
	}
	if n := h.dx.Client.Write([]byte("hello" + get)); n != 0 {
		h.run()
	}
	if h.srv.RequestsSeen() != 1 {
		t.Fatalf("requests seen = %d, want 1", h.srv.RequestsSeen())
	}
}
