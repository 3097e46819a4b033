package services

import (
	"strconv"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// The handler catalog: user code in the sandbox is a built-in service
// chosen by name. Each keeps exactly the meaning DESIGN.md gives it.

// Handler describes a catalog entry.
type Handler struct {
	Name        string
	Description string
	// Keeps says what the service takes from the request and how long it
	// keeps it: the engine drops what is not taken when Call returns, and
	// what is taken when the service's future completes or is dropped.
	Keeps string
	New   func(env *Env) h1.Service
	// Program is the service written as a service program (engine/program),
	// with the same meaning (catalog_programs.go).
	Program string
}

// Env is what a service may use: the executor (to spawn an upgraded
// protocol's task) and the recorder (nil when the session records nothing).
type Env struct {
	Ex  *poll.Executor
	Rec *trace.Recorder
}

var (
	catalog = map[string]Handler{}
	// byName is the catalog in name order: register keeps it sorted, so
	// listing it needs no sort (a generic sort instantiation costs the
	// browser's wasm some 20 KB for fifteen entries).
	byName []Handler
)

// register adds h to the catalog. It runs once per handler, at init; kept
// out of line, so the init functions do not each carry a copy of the
// insertion.
//
//go:noinline
func register(h Handler) {
	catalog[h.Name] = h
	i := len(byName)
	for i > 0 && byName[i-1].Name >= h.Name {
		i--
	}
	if i < len(byName) && byName[i].Name == h.Name {
		byName[i] = h
		return
	}
	byName = append(byName, Handler{})
	copy(byName[i+1:], byName[i:])
	byName[i] = h
}

// Handlers lists the catalog sorted by name. The caller owns the slice.
func Handlers() []Handler {
	return append([]Handler(nil), byName...)
}

// LookupHandler finds a catalog entry.
func LookupHandler(name string) (Handler, bool) {
	h, ok := catalog[name]
	return h, ok
}

// What the catalog's services keep. Most are written as the reference
// services are (an `async fn handle(req)`): the whole request moves into
// the future, so its body and OnUpgrade are dropped when the future
// completes, not when Call returns.
const (
	keepsRequest  = "the request (body unread, OnUpgrade) until its future completes"
	keepsBodyRead = "the request body, read to its end, and the OnUpgrade until its future completes"
	keepsUpgrade  = "the request until its future completes; on a 101 its OnUpgrade moves into the spawned protocol task"
)

func init() {
	register(Handler{"hello", "200, body `hello`; never reads the request body", keepsRequest, newHello, progHello})
	register(Handler{"echo", "reads the whole request body, 200 with it as the body", keepsBodyRead, newEcho, progEcho})
	register(Handler{"ignore-body", "200 `ok` without reading the body (drops it: drain-or-close)", keepsRequest, newIgnoreBody, progIgnoreBody})
	register(Handler{"stream", "200, body streamed as chunks `a`,`b`,`c` of unknown length (chunked)", keepsRequest, newStream, progStream})
	register(Handler{"empty", "204", keepsRequest, newEmpty, progEmpty})
	register(Handler{"close", "200 `bye` with `Connection: close`", keepsRequest, newClose, progClose})
	register(Handler{"upgrade-echo", "with an `Upgrade` header: 101 `Upgrade: echo`, then echoes raw bytes on the upgraded IO until EOF; else an empty 400", keepsUpgrade, newUpgradeEcho, progUpgradeEcho})
	register(Handler{"error", "the service future fails", keepsRequest, newError, progError})
	register(Handler{"read-one", "reads one body frame, then drops the rest (the connection drains what is already buffered, else closes its read side); 200 with what it read", "the request body until it has read one frame (then drops it early, on purpose); the OnUpgrade until its future completes", newReadOne, progReadOne})
	register(Handler{"slow-body", "reads the body frame by frame; 200 with the decimal count of bytes read", keepsBodyRead, newSlowBody, progSlowBody})
}

// keep takes the whole request into the service's future, as the
// reference services' `async fn handle(req)` moves it: the engine drops
// the body and the OnUpgrade when the future completes (or is dropped).
func keep(req *h1.Request) (body.Incoming, *h1.OnUpgrade) {
	return req.TakeBody(), req.TakeUpgrade()
}

// ready is a future that is ready at once with a fixed response. It is
// reused across requests so a keep-alive connection allocates nothing.
type ready struct {
	resp h1.Response
	full body.Full
}

func (r *ready) Poll(cx *poll.Context) poll.Poll[h1.Response] {
	return poll.Ready(r.resp)
}

// fixed answers every request with status, headers and body text.
// Like a Rust `async fn`, calling it runs nothing: it keeps the request,
// which the engine drops when the future completes at its first poll.
type fixed struct {
	fut     ready
	status  int
	headers []h1.Header
	text    []byte
}

func (f *fixed) Call(req *h1.Request) h1.ServiceFuture {
	keep(req)
	f.fut.full.Reset(f.text)
	f.fut.resp = h1.Response{Head: h1.ResponseHead{Status: f.status, Headers: f.headers}}
	if f.text != nil {
		f.fut.resp.Body = &f.fut.full
	} else {
		f.fut.resp.Body = body.EmptyBody{}
	}
	return &f.fut
}

func newHello(*Env) h1.Service { return &fixed{status: 200, text: []byte("hello")} }

func newIgnoreBody(*Env) h1.Service {
	return &fixed{status: 200, text: []byte("ok")}
}

func newEmpty(*Env) h1.Service { return &fixed{status: 204} }

func newClose(*Env) h1.Service {
	return &fixed{status: 200, text: []byte("bye"), headers: []h1.Header{body.H("Connection", "close")}}
}

// stream answers with chunks a, b, c produced over time (unknown length).
type stream struct{ fut ready }

func newStream(*Env) h1.Service { return &stream{} }

func (s *stream) Call(req *h1.Request) h1.ServiceFuture {
	keep(req)
	s.fut.resp = h1.Response{
		Head: h1.ResponseHead{Status: 200},
		Body: body.NewChunks([][]byte{[]byte("a"), []byte("b"), []byte("c")}, nil),
	}
	return &s.fut
}

// failing is a service whose future fails.
type failing struct{}

type errService struct{ msg string }

func (e *errService) Error() string { return e.msg }

func newError(*Env) h1.Service { return failing{} }

type failFut struct{}

func (*failFut) Poll(cx *poll.Context) poll.Poll[h1.Response] {
	return poll.Ready(h1.Response{Err: &errService{"service `error` failed on purpose"}})
}

func (failing) Call(req *h1.Request) h1.ServiceFuture {
	keep(req)
	return &failFut{}
}

// echo reads the whole body, then answers with it.
type echo struct{ count bool }

func newEcho(*Env) h1.Service     { return &echo{} }
func newSlowBody(*Env) h1.Service { return &echo{count: true} }

// bodyReader is the future of echo and slow-body: poll the request body
// frame by frame. slow-body takes a breath (yields once) before each frame,
// so the want signal and the one-chunk channel are visible in the trace.
type bodyReader struct {
	in      body.Incoming
	buf     []byte
	n       int
	count   bool
	breathe bool
}

func (e *echo) Call(req *h1.Request) h1.ServiceFuture {
	in, _ := keep(req)
	return &bodyReader{in: in, count: e.count}
}

func (r *bodyReader) Poll(cx *poll.Context) poll.Poll[h1.Response] {
	for {
		if r.count && !r.breathe {
			r.breathe = true
			cx.Waker().Wake()
			return poll.Pending[h1.Response]()
		}
		p := r.in.PollFrame(cx)
		if !p.Ready {
			return poll.Pending[h1.Response]()
		}
		r.breathe = false
		res := p.Value
		switch {
		case res.Err != nil:
			return poll.Ready(h1.Response{Err: res.Err})
		case res.End, res.Frame.Kind == body.FrameTrailers:
			text := r.buf
			if r.count {
				text = strconv.AppendInt(nil, int64(r.n), 10)
			}
			return poll.Ready(h1.Response{Head: h1.ResponseHead{Status: 200}, Body: body.NewFull(text)})
		case res.Frame.Kind == body.FrameData:
			r.n += len(res.Frame.Data)
			if !r.count {
				r.buf = append(r.buf, res.Frame.Data...)
			}
		}
	}
}

// readOne takes the first body frame and lets go of the rest.
type readOne struct{}

func newReadOne(*Env) h1.Service { return readOne{} }

type readOneFut struct{ in body.Incoming }

func (readOne) Call(req *h1.Request) h1.ServiceFuture {
	in, _ := keep(req)
	return &readOneFut{in: in}
}

func (r *readOneFut) Poll(cx *poll.Context) poll.Poll[h1.Response] {
	p := r.in.PollFrame(cx)
	if !p.Ready {
		return poll.Pending[h1.Response]()
	}
	var got []byte
	if p.Value.Frame.Kind == body.FrameData {
		got = append(got, p.Value.Frame.Data...)
	}
	r.in.Drop() // early, on purpose: the rest of the body is not wanted
	return poll.Ready(h1.Response{Head: h1.ResponseHead{Status: 200}, Body: body.NewFull(got)})
}
