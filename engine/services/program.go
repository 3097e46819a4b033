package services

import (
	"strconv"
	"strings"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/program"
)

// The service program runner: an h1.Service whose future runs one section
// of a parsed program (engine/program's Service) per request, operation by
// operation, on the session's executor and virtual clock. It uses the
// engine exactly as the catalog's Go services do (the same body polls,
// timers, yields and spawned protocol tasks), so a catalog service and its
// program give the same bytes and the same trace (catalog_programs_test.go).

// Timer names: a service's sleeps, and the wait of a not-ready poll_ready.
const (
	sleepTimerName    = "service sleep"
	notReadyTimerName = "service poll_ready"
)

// NewProgram returns a service running prog. env is the session's.
func NewProgram(env *Env, prog *program.Service) h1.Service {
	s := &programService{env: env, prog: prog}
	for i := range prog.Sections {
		s.timersFor(&prog.Sections[i])
	}
	s.timersFor(prog.Default)
	return s
}

// timersFor creates the timers a section's operations need, once per
// service (a Go service creates its timer once, as delay does).
func (s *programService) timersFor(sec *program.Section) {
	for i := range sec.Ops {
		switch sec.Ops[i].Kind {
		case program.SvcSleep:
			s.sleep = s.timer(s.sleep, sleepTimerName)
		case program.SvcNotReady:
			s.notReady = s.timer(s.notReady, notReadyTimerName)
		}
	}
}

// timer is t, or a new timer named name if t is nil.
//
//go:noinline
func (s *programService) timer(t *poll.Timer, name string) *poll.Timer {
	if t == nil {
		t = s.env.Ex.Clock().NewTimer(name)
	}
	return t
}

type programService struct {
	env      *Env
	prog     *program.Service
	sleep    *poll.Timer // nil if the program never sleeps
	notReady *poll.Timer // nil if it is never not-ready
	line     int         // the line of the operation reached last (ProgramLine)
}

// Call selects the section and takes the request into the future (all of
// it, as an `async fn handle(req)` does), unless the section starts with
// drop request. Like a Rust async fn, it runs nothing else.
func (s *programService) Call(req *h1.Request) h1.ServiceFuture {
	head := req.Head
	sec := s.prog.Select(head.Method, string(head.URI), func(name string) bool {
		return h1.HasHeader(head.Headers, strings.ToLower(name))
	}, req.HasUpgrade())
	f := &programFuture{svc: s, sec: sec, head: head, keepRead: echoes(sec)}
	if sec.Ops[0].Kind == program.SvcDropRequest {
		f.pc = 1
	} else {
		f.in, f.up = keep(req)
	}
	return f
}

// programFuture runs a section's operations from pc.
type programFuture struct {
	svc  *programService
	sec  *program.Section
	head *h1.RequestHead
	pc   int

	in body.Incoming
	up *h1.OnUpgrade

	read     []byte // request body bytes read so far (kept only if keepRead)
	keepRead bool   // the section's respond echoes them
	n        int64  // how many
	armed    bool   // the current sleep / not-ready timer is armed
	yielded  bool   // the current yield (or read-body yielding breath) happened
}

// echoes reports whether a section's respond uses the bytes read.
func echoes(sec *program.Section) bool {
	for _, op := range sec.Ops {
		for _, part := range op.Parts {
			if part.Kind == program.PartEcho {
				return true
			}
		}
	}
	return false
}

func (f *programFuture) Poll(cx *poll.Context) poll.Poll[h1.Response] {
	ops := f.sec.Ops
	for f.pc < len(ops) {
		op := &ops[f.pc]
		f.svc.line = op.Line
		switch op.Kind {
		case program.SvcSleep, program.SvcNotReady:
			t := f.svc.sleep
			if op.Kind == program.SvcNotReady {
				t = f.svc.notReady
			}
			if !f.armed {
				f.armed = true
				t.Reset(f.svc.env.Ex.Clock().Now() + op.MS)
			}
			if !t.Poll(cx) {
				return poll.Pending[h1.Response]()
			}
			t.Clear()
			f.armed = false
		case program.SvcYield:
			if !f.yielded {
				f.yielded = true
				cx.Waker().Wake()
				return poll.Pending[h1.Response]()
			}
			f.yielded = false
		case program.SvcReadBody:
			for done := false; !done; {
				if op.Yielding && !f.yielded {
					// a breath before each frame, so the want signal and
					// the one-chunk channel show in the trace
					f.yielded = true
					cx.Waker().Wake()
					return poll.Pending[h1.Response]()
				}
				p := f.in.PollFrame(cx)
				if !p.Ready {
					return poll.Pending[h1.Response]()
				}
				f.yielded = false
				res := p.Value
				switch {
				case res.Err != nil:
					return poll.Ready(h1.Response{Err: res.Err})
				case res.End, res.Frame.Kind == body.FrameTrailers:
					done = true
				case res.Frame.Kind == body.FrameData:
					f.took(res.Frame.Data)
				}
			}
		case program.SvcReadFrame:
			p := f.in.PollFrame(cx)
			if !p.Ready {
				return poll.Pending[h1.Response]()
			}
			if p.Value.Err == nil && !p.Value.End && p.Value.Frame.Kind == body.FrameData {
				f.took(p.Value.Frame.Data)
			}
		case program.SvcDropBody:
			f.in.Drop()
		case program.SvcHoldBody:
			// held, unread, undropped; nothing will ever wake this
			return poll.Pending[h1.Response]()
		case program.SvcFail:
			return poll.Ready(h1.Response{Err: &errService{op.Message}})
		case program.SvcAcceptWebSocket:
			hs := wsHandshake{env: f.svc.env, head: f.head, up: f.up}
			f.pc = len(ops)
			return hs.Poll(cx)
		case program.SvcRespond:
			resp := f.respond(op)
			f.pc++
			if f.pc < len(ops) && ops[f.pc].Kind == program.SvcUpgrade {
				f.upgrade(&ops[f.pc], op.Status)
			}
			f.pc = len(ops)
			return poll.Ready(resp)
		}
		f.pc++
	}
	// the parser lets no section end without answering
	return poll.Ready(h1.Response{Err: &errService{"service program: the section ended without answering"}})
}

// took records body bytes the program read.
func (f *programFuture) took(b []byte) {
	f.n += int64(len(b))
	if f.keepRead {
		f.read = append(f.read, b...)
	}
}

// respond builds the response of a respond operation.
func (f *programFuture) respond(op *program.ServiceOp) h1.Response {
	resp := h1.Response{Head: h1.ResponseHead{Status: op.Status}}
	for _, h := range op.Headers {
		resp.Head.Headers = append(resp.Head.Headers, body.H(h[0], h[1]))
	}
	switch op.Body {
	case program.BodyNone:
		resp.Body = body.EmptyBody{}
	case program.BodyParts:
		var text []byte
		if len(op.Parts) == 1 && op.Parts[0].Kind == program.PartText {
			text = op.Parts[0].Text
		} else {
			for _, part := range op.Parts {
				switch part.Kind {
				case program.PartText:
					text = append(text, part.Text...)
				case program.PartEcho:
					text = append(text, f.read...)
				case program.PartCount:
					text = strconv.AppendInt(text, f.n, 10)
				}
			}
		}
		resp.Body = body.NewFull(text)
	case program.BodyStream:
		resp.Body = &programBody{svc: f.svc, ops: f.sec.Ops[f.pc+1:]}
	case program.BodyRequest:
		// moved into the response: the connection streams it back and the
		// future's completion does not drop it
		resp.Body = f.in.Detach()
	}
	return resp
}

// upgrade spawns the protocol of an upgrade operation on the request's
// OnUpgrade (moved into the task); a request without one spawns nothing,
// as hyper::upgrade::on(req) would fail at once.
func (f *programFuture) upgrade(op *program.ServiceOp, status int) {
	if f.up == nil {
		return
	}
	up := f.up.Detach()
	f.up = nil
	env := f.svc.env
	switch {
	case op.Protocol == "websocket":
		env.Ex.Spawn("websocket", newWSTask(up, env.Rec))
	case status == 101:
		env.Ex.Spawn("upgraded echo", &echoTask{on: up})
	default: // a 2xx to CONNECT
		env.Ex.Spawn("tunnel echo", &echoTask{on: up})
	}
}

// programBody is a `body stream` response body: the operations after the
// respond produce its frames when the connection polls it. Like a stream
// producing data over time, each chunk comes one poll later (it wakes
// itself and yields once first), as body.Chunks does.
type programBody struct {
	svc     *programService
	ops     []program.ServiceOp
	i       int
	timer   *poll.Timer
	armed   bool
	yielded bool
	sentTr  bool
	done    bool
}

func (b *programBody) PollFrame(cx *poll.Context) poll.Poll[body.Result] {
	for !b.done && b.i < len(b.ops) {
		op := &b.ops[b.i]
		b.svc.line = op.Line
		switch op.Kind {
		case program.SvcSendChunk, program.SvcYield:
			if !b.yielded {
				b.yielded = true
				cx.Waker().Wake()
				return poll.Pending[body.Result]()
			}
			b.yielded = false
			b.i++
			if op.Kind == program.SvcSendChunk {
				return poll.Ready(body.Result{Frame: body.Data(op.Data)})
			}
		case program.SvcSleep:
			if b.timer == nil {
				b.timer = b.svc.sleep
			}
			if !b.armed {
				b.armed = true
				b.timer.Reset(b.svc.env.Ex.Clock().Now() + op.MS)
			}
			if !b.timer.Poll(cx) {
				return poll.Pending[body.Result]()
			}
			b.timer.Clear()
			b.armed = false
			b.i++
		case program.SvcFail:
			b.done = true
			return poll.Ready(body.Result{Err: &errService{op.Message}})
		case program.SvcEndBody:
			if len(op.Headers) > 0 && !b.sentTr {
				b.sentTr = true
				tr := make([]body.Header, len(op.Headers))
				for j, h := range op.Headers {
					tr[j] = body.H(h[0], h[1])
				}
				return poll.Ready(body.Result{Frame: body.Frame{Kind: body.FrameTrailers, Trailers: tr}})
			}
			b.done = true
		default:
			// the parser allows nothing else after a body stream
			b.i++
		}
	}
	b.done = true
	return poll.Ready(body.Result{End: true})
}

// IsEndStream is false, as for any stream body: its end is known only
// when it is polled.
func (b *programBody) IsEndStream() bool { return false }

// SizeHint: the length is unknown (chunked on HTTP/1.1).
func (b *programBody) SizeHint() (uint64, bool) { return 0, false }
