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

	onUp  *h1.OnUpgrade // hyper::upgrade::on(response), being awaited
	upio  *h1.Upgraded  // the upgraded IO
	upw   int           // bytes of the current `upgraded write` written so far
	upBuf []byte

	bodyBuf []byte
	log     []string
	// givenBack are the program lines whose try_send_request had its
	// request back (at the call, or from the future), in order: the Rust
	// export writes the retry's match on them (GivenBack)
	givenBack []int
	sent      int
	err       *h1.Error
	errLine   int
	done      bool
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

// gaveBack notes that the current line's try_send_request had its request
// back.
func (p *clientProgram) gaveBack() { p.givenBack = append(p.givenBack, p.ops[p.pc].Line) }

// GivenBack are the program lines whose try_send_request had its request
// back (at the call, or from the awaited future), in the order it happened.
func (p *clientProgram) GivenBack() []int { return p.givenBack }

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
	if p.onUp != nil {
		p.onUp.Discard()
		p.onUp = nil
	}
	if p.upio != nil {
		// the Upgraded goes out of scope: the socket closes
		p.upio.Close()
		p.upio = nil
	}
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
		if p.got.Upgrade != nil {
			p.got.Upgrade.Discard()
		}
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
	case program.OpWithUpgrades:
		if p.spawned || p.conn.Done() {
			return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "with upgrades after the connection was spawned or awaited: with_upgrades wraps the connection future before it runs"})
		}
		p.conn.WithUpgrades()
		p.logLine("with_upgrades: a 101 will hand the IO and its leftover bytes to hyper::upgrade::on")
	case program.OpReady:
		r := p.sender.PollReady(cx)
		if !r.Ready {
			return false
		}
		if r.Value != nil {
			return p.fail(r.Value)
		}
		p.logLine("ready: the connection wants a request (SendRequest::poll_ready)")
	case program.OpSend, program.OpTrySend:
		version := h1.HTTP11
		if op.Version == "HTTP/1.0" {
			version = h1.HTTP10
		}
		req := h1.ClientRequest{Head: h1.RequestHead{Method: op.Method, URI: []byte(op.Path), Version: version}}
		for _, h := range op.Headers {
			req.Head.Headers = append(req.Head.Headers, body.H(h[0], h[1]))
		}
		var stream *body.Stream
		switch {
		case op.Stream:
			stream = body.NewStream(p.ex)
			req.Body = stream
		case op.HasBody:
			req.Body = body.NewFull(op.Body)
		}
		what := op.Method + " " + op.Path
		if op.Version != "" {
			what += " " + op.Version
		}
		var f *h1.ResponseFuture
		if op.Kind == program.OpTrySend {
			f = p.sender.TrySendRequest(req)
			// hyper decides at the call (dispatch::Sender::try_send): a
			// request the connection cannot take is in the TrySendError the
			// future resolves to at once; the program keeps what it had
			if r := f.Poll(cx); r.Ready && r.Value.Message != nil {
				p.gaveBack()
				p.logLine("try_send_request " + what + " came back: " + r.Value.Err.Error() +
					"; SendRequest::is_closed() = " + strconv.FormatBool(p.sender.IsClosed()))
				return true
			}
			p.logLine("try_send_request " + what)
		} else {
			f = p.sender.SendRequest(req)
			p.logLine("send_request " + what)
		}
		if p.resp != nil {
			p.resp.Drop()
		}
		p.resp = f
		p.got = nil
		if stream != nil {
			p.stream = stream
		}
		p.sent++
	case program.OpSendBody:
		if p.stream == nil {
			return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "send-body without a `send ... body stream`"})
		}
		p.stream.Send(op.Body)
		p.logLine("body sender: " + strconv.Itoa(len(op.Body)) + " bytes")
	case program.OpSendTrailers:
		if p.stream == nil {
			return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "send-trailers without a `send ... body stream`"})
		}
		hs := make([]h1.Header, len(op.Headers))
		names := ""
		for i, h := range op.Headers {
			hs[i] = body.H(h[0], h[1])
			if i > 0 {
				names += ", "
			}
			names += h[0]
		}
		p.stream.SendTrailers(hs)
		p.logLine("body sender: trailers " + names + " (the body's last frame)")
	case program.OpAwaitUpgrade:
		return p.awaitUpgrade(cx)
	case program.OpUpgradedWrite:
		return p.upgradedWrite(cx, op.Body)
	case program.OpUpgradedRead:
		return p.upgradedRead(cx)
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
		if m := r.Value.Message; m != nil {
			// try_send_request's TrySendError with the message: the request
			// was never started, and the program has it back to retry
			p.gaveBack()
			p.logLine("try_send_request gave the request back (" + m.Head.Method + " " + string(m.Head.URI) + "): " +
				r.Value.Err.Error() + "; SendRequest::is_closed() = " + strconv.FormatBool(p.sender.IsClosed()))
			return true
		}
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

// awaitUpgrade is hyper::upgrade::on(response).await: the OnUpgrade is
// taken out of the response and resolves to the upgraded IO.
func (p *clientProgram) awaitUpgrade(cx *poll.Context) bool {
	if p.onUp == nil {
		if p.got == nil {
			return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "await upgrade with no response"})
		}
		if p.got.Upgrade == nil {
			// OnUpgrade::none(): the response did not switch protocols
			return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "no upgrade available"})
		}
		p.onUp, p.got.Upgrade = p.got.Upgrade, nil
	}
	r := p.onUp.Poll(cx)
	if !r.Ready {
		return false
	}
	p.onUp = nil
	if r.Value == nil {
		return p.fail(p.conn.UpgradeErr())
	}
	p.upio = r.Value
	left := r.Value.Leftover()
	p.logLine("upgraded: the IO arrived with " + strconv.Itoa(len(left)) + " leftover bytes " + strconv.Quote(string(left)))
	return true
}

func (p *clientProgram) upgradedWrite(cx *poll.Context, b []byte) bool {
	if p.upio == nil {
		return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "upgraded write before await upgrade"})
	}
	for p.upw < len(b) {
		w := p.upio.PollWrite(cx, b[p.upw:])
		if !w.Ready {
			return false
		}
		if w.Value.Err != nil {
			p.upw = 0
			return p.fail(&h1.Error{Kind: h1.KindIO, Cause: w.Value.Err})
		}
		p.upw += w.Value.N
	}
	p.upw = 0
	p.logLine("upgraded: wrote " + strconv.Itoa(len(b)) + " bytes " + strconv.Quote(string(b)))
	return true
}

func (p *clientProgram) upgradedRead(cx *poll.Context) bool {
	if p.upio == nil {
		return p.fail(&h1.Error{Kind: h1.KindUser, Detail: "upgraded read before await upgrade"})
	}
	if p.upBuf == nil {
		p.upBuf = make([]byte, 4096)
	}
	r := p.upio.PollRead(cx, p.upBuf)
	if !r.Ready {
		return false
	}
	if r.Value.Err != nil {
		return p.fail(&h1.Error{Kind: h1.KindIO, Cause: r.Value.Err})
	}
	if r.Value.N == 0 {
		p.logLine("upgraded: read EOF")
		return true
	}
	p.logLine("upgraded: read " + strconv.Itoa(r.Value.N) + " bytes " + strconv.Quote(string(p.upBuf[:r.Value.N])))
	return true
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
