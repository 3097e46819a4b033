package session

import (
	"strconv"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/duplex"
	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/program"
	"github.com/connlab/connlab/engine/trace"
)

// clientProgram runs a client program: the user code of the client side, one
// operation at a time, as one task (a Rust `async fn main`). Each line
// either completes at once or waits (await, sleep) and resumes.
type clientProgram struct {
	ops  []program.Op
	pc   int
	ex   *poll.Executor
	io   *duplex.End
	opts h1.Options
	rec  *trace.Recorder

	sender  *h1.SendRequest
	conn    *h1.ClientConn
	spawned bool
	connID  poll.TaskID

	resp     *h1.ResponseFuture // the last request's response
	got      *h1.ClientResponse // the last response received
	stream   *body.Stream       // the last request's streaming body
	timer    *poll.Timer
	sleeping bool
	timedOut bool

	bodyBuf []byte
	log     []string
	sent    int
	err     *h1.Error
	errLine int
	done    bool
}

func newClientProgram(ex *poll.Executor, io *duplex.End, ops []program.Op, opts h1.Options) *clientProgram {
	return &clientProgram{ops: ops, ex: ex, io: io, opts: opts, rec: ex.Recorder(), timer: ex.Clock().NewTimer("client program")}
}

// logLine adds msg, prefixed with the current line number, to the log.
func (p *clientProgram) logLine(msg string) {
	line := "line " + strconv.Itoa(p.ops[p.pc].Line) + ": " + msg
	p.log = append(p.log, line)
	if p.rec != nil {
		p.rec.Note(line, "client program")
	}
}

// fail ends the program with err, as `?` would end an async main.
func (p *clientProgram) fail(err *h1.Error) bool {
	p.err = err
	p.errLine = p.ops[p.pc].Line
	p.logLine("error: " + err.Error())
	p.finish()
	return true
}

// finish ends the program: like the end of a Rust scope, everything it
// still holds is dropped (the sender, the response, a conn not spawned).
func (p *clientProgram) finish() {
	p.done = true
	p.dropResponse()
	if p.sender != nil {
		p.sender.Drop()
	}
	if p.conn != nil && !p.spawned && !p.conn.Done() {
		// an unspawned connection future dropped with its IO: the socket closes
		p.io.Close()
	}
}

// dropResponse lets go of the response future or the response received.
func (p *clientProgram) dropResponse() {
	if p.resp != nil {
		p.resp.Drop()
		p.resp = nil
	}
	if p.got != nil {
		p.got.Body.Drop()
		p.got = nil
	}
}

// Poll implements poll.Task.
func (p *clientProgram) Poll(cx *poll.Context) bool {
	if p.rec != nil {
		p.rec.Enter("client program", 0)
		defer p.rec.Exit()
	}
	for !p.done {
		if p.pc >= len(p.ops) {
			p.finish()
			break
		}
		if !p.step(cx) {
			return false
		}
		if !p.done {
			p.pc++
		}
	}
	return true
}

// step runs the current operation; false means it is waiting.
func (p *clientProgram) step(cx *poll.Context) bool {
	op := &p.ops[p.pc]
	needConn := op.Kind != program.OpHandshake && op.Kind != program.OpSleep && op.Kind != program.OpCloseWrite
	if needConn && p.sender == nil {
		return p.fail(&h1.Error{Kind: h1.KindUser, Detail: op.Kind.String() + " before handshake"})
	}
	switch op.Kind {
	case program.OpHandshake:
		if p.sender != nil {
			return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "handshake twice"})
		}
		p.sender, p.conn = h1.Handshake(p.ex, p.io, p.opts)
		p.logLine("handshake: a SendRequest and a connection future (not running until spawned or awaited)")
	case program.OpSpawnConn:
		if p.spawned {
			return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "spawn conn twice"})
		}
		p.spawned = true
		p.connID = p.ex.Spawn("client connection", p.conn)
		p.logLine("spawned the connection as its own task")
	case program.OpAwaitConn:
		if p.spawned {
			return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "await conn after spawn conn: the task owns it"})
		}
		// the program itself polls the connection until it finishes
		if !p.conn.Poll(cx) {
			return false
		}
		if e := p.conn.Err(); e != nil {
			return p.fail(e)
		}
		p.logLine("connection finished")
	case program.OpSend:
		req := h1.ClientRequest{Head: h1.RequestHead{Method: op.Method, URI: []byte(op.Path), Version: h1.HTTP11}}
		for _, h := range op.Headers {
			req.Head.Headers = append(req.Head.Headers, body.H(h[0], h[1]))
		}
		switch {
		case op.Stream:
			p.stream = body.NewStream(p.ex)
			req.Body = p.stream
		case op.HasBody:
			req.Body = body.NewFull(op.Body)
		}
		if p.resp != nil {
			p.resp.Drop()
		}
		p.resp = p.sender.SendRequest(req)
		p.got = nil
		p.sent++
		p.logLine("send_request " + op.Method + " " + op.Path)
	case program.OpSendBody:
		if p.stream == nil {
			return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "send-body without a `send ... body stream`"})
		}
		p.stream.Send(op.Body)
		p.logLine("body sender: " + strconv.Itoa(len(op.Body)) + " bytes")
	case program.OpEndBody:
		if p.stream == nil {
			return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "end-body without a `send ... body stream`"})
		}
		p.stream.End()
		p.logLine("body sender: end of body")
	case program.OpAwaitResponse, program.OpTimeoutAwaitResponse:
		return p.awaitResponse(cx, op)
	case program.OpReadBody:
		return p.readBody(cx)
	case program.OpDropSender:
		p.sender.Drop()
		p.logLine("dropped the SendRequest")
	case program.OpDropResponse:
		p.dropResponse()
		p.logLine("dropped the response")
	case program.OpSleep:
		return p.sleep(cx, op.MS)
	case program.OpCloseWrite:
		p.io.Shutdown()
		p.logLine("shut down the write side (FIN)")
	}
	return true
}

func (p *clientProgram) sleep(cx *poll.Context, ms int64) bool {
	if !p.sleeping {
		p.sleeping = true
		p.timer.Reset(p.ex.Clock().Now() + ms)
	}
	if !p.timer.Poll(cx) {
		return false
	}
	p.sleeping = false
	p.timer.Clear()
	p.logLine("slept " + strconv.FormatInt(ms, 10) + "ms")
	return true
}

func (p *clientProgram) awaitResponse(cx *poll.Context, op *program.Op) bool {
	if p.resp == nil {
		return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "await response with no request in flight"})
	}
	if op.Kind == program.OpTimeoutAwaitResponse && !p.sleeping {
		p.sleeping = true
		p.timer.Reset(p.ex.Clock().Now() + op.MS)
	}
	r := p.resp.Poll(cx)
	if !r.Ready {
		if op.Kind == program.OpTimeoutAwaitResponse && p.timer.Poll(cx) {
			p.sleeping = false
			p.timer.Clear()
			p.resp.Drop()
			p.resp = nil
			e := &h1.Error{Kind: h1.KindCanceled, Detail: "timed out after " + strconv.FormatInt(op.MS, 10) + "ms waiting for the response; the response future was dropped"}
			return p.fail(e)
		}
		return false
	}
	if op.Kind == program.OpTimeoutAwaitResponse {
		p.sleeping = false
		p.timer.Clear()
	}
	p.resp = nil
	if r.Value.Err != nil {
		return p.fail(r.Value.Err)
	}
	got := r.Value
	p.got = &got
	p.logLine("response " + strconv.Itoa(got.Head.Status))
	return true
}

func (p *clientProgram) readBody(cx *poll.Context) bool {
	if p.got == nil {
		return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "read-body with no response"})
	}
	for {
		r := p.got.Body.PollFrame(cx)
		if !r.Ready {
			return false
		}
		switch {
		case r.Value.Err != nil:
			e, ok := r.Value.Err.(*h1.Error)
			if !ok {
				e = &h1.Error{Kind: h1.KindBody, Cause: r.Value.Err}
			}
			return p.fail(e)
		case r.Value.End || r.Value.Frame.Kind == body.FrameTrailers:
			p.logLine("body " + strconv.Quote(string(p.bodyBuf)) + " (" + strconv.Itoa(len(p.bodyBuf)) + " bytes)")
			p.bodyBuf = p.bodyBuf[:0]
			return true
		default:
			p.bodyBuf = append(p.bodyBuf, r.Value.Frame.Data...)
		}
	}
}

// WaitingOn says, in a stall report, which line the program is stuck on.
func (p *clientProgram) WaitingOn() string {
	if p.done || p.pc >= len(p.ops) {
		return ""
	}
	op := p.ops[p.pc]
	s := "line " + strconv.Itoa(op.Line) + " `" + op.Text + "`"
	if op.Kind == program.OpAwaitConn {
		s += ": the program polls the connection itself, so it never reaches the lines that send requests"
	}
	return s
}
