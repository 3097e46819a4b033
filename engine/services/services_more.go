package services

import (
	"strconv"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/poll"
)

func init() {
	register(Handler{"delay", "waits 100 ms on the virtual clock, then 200 `late`; never reads the body", "nothing: the request body and OnUpgrade are dropped when Call returns, as service_fn(|_req| async { … }) drops _req", newDelay, progDelay})
	register(Handler{"wait-body-then-respond", "reads the whole request body before sending its head (as a gRPC server may wait for the client's first message), then 200 `got N bytes`", keepsBodyRead, newWaitBody, progWaitBodyThenRespond})
	register(Handler{"connect-tunnel", "CONNECT: 200, then the connection is handed over and echoes raw bytes until EOF (a 2xx to CONNECT is an upgrade); other methods: 405", keepsUpgrade, newConnectTunnel, progConnectTunnel})
}

// delayMS is how long the delay service sleeps on the virtual clock.
const delayMS = 100

// delay answers after a virtual sleep: the response is not ready when the
// head is read, which is what half-close and timeouts need to show.
type delay struct {
	env   *Env
	timer *poll.Timer
	fut   delayFut
}

type delayFut struct {
	d     *delay
	armed bool
	full  body.Full
}

func newDelay(env *Env) h1.Service {
	return &delay{env: env, timer: env.Ex.Clock().NewTimer(sleepTimerName)}
}

// Call takes nothing from the request: the engine drops its body (and an
// OnUpgrade) as soon as Call returns.
func (d *delay) Call(req *h1.Request) h1.ServiceFuture {
	d.fut = delayFut{d: d}
	return &d.fut
}

func (f *delayFut) Poll(cx *poll.Context) poll.Poll[h1.Response] {
	t := f.d.timer
	if !f.armed {
		f.armed = true
		t.Reset(f.d.env.Ex.Clock().Now() + delayMS)
	}
	if !t.Poll(cx) {
		return poll.Pending[h1.Response]()
	}
	t.Clear()
	f.full.Reset([]byte("late"))
	return poll.Ready(h1.Response{Head: h1.ResponseHead{Status: 200}, Body: &f.full})
}

// connectTunnel answers CONNECT with 200 and echoes through the tunnel.
type connectTunnel struct{ env *Env }

func newConnectTunnel(env *Env) h1.Service { return &connectTunnel{env: env} }

func (c *connectTunnel) Call(req *h1.Request) h1.ServiceFuture {
	head := req.Head
	_, up := keep(req)
	return &lazy{run: func() h1.Response {
		if head.Method != h1.MethodConnect || up == nil {
			return h1.Response{Head: h1.ResponseHead{Status: 405}, Body: body.NewFull([]byte("use CONNECT"))}
		}
		c.env.Ex.Spawn("tunnel echo", &echoTask{on: up.Detach()})
		return h1.Response{Head: h1.ResponseHead{Status: 200}}
	}}
}

// lazy runs its function at first poll, as a Rust async block runs
// nothing until polled.
type lazy struct{ run func() h1.Response }

func (l *lazy) Poll(cx *poll.Context) poll.Poll[h1.Response] { return poll.Ready(l.run()) }

// waitBody is seed 002's server: no response head until the request body
// has ended, so a client that awaits the response before finishing its body
// waits forever.
type waitBody struct{}

func newWaitBody(*Env) h1.Service { return waitBody{} }

type waitBodyFut struct {
	in body.Incoming
	n  int
}

func (waitBody) Call(req *h1.Request) h1.ServiceFuture {
	in, _ := keep(req)
	return &waitBodyFut{in: in}
}

func (f *waitBodyFut) Poll(cx *poll.Context) poll.Poll[h1.Response] {
	for {
		p := f.in.PollFrame(cx)
		if !p.Ready {
			return poll.Pending[h1.Response]()
		}
		switch {
		case p.Value.Err != nil:
			return poll.Ready(h1.Response{Err: p.Value.Err})
		case p.Value.End || p.Value.Frame.Kind == body.FrameTrailers:
			return poll.Ready(h1.Response{Head: h1.ResponseHead{Status: 200}, Body: body.NewFull([]byte("got " + strconv.Itoa(f.n) + " bytes"))})
		default:
			f.n += len(p.Value.Frame.Data)
		}
	}
}

func init() {
	register(Handler{"hold-body", "keeps the request body but never reads it, and never answers (production bug 2: a stuck upload)", "the request body, unread, for as long as its future lives (it never completes: the body goes only when the connection drops the future)", newHoldBody, progHoldBody})
}

// holdBody is §12.10.2.7's bug 2: the body is held, not read and not
// dropped, so the one-chunk channel stays full and the connection stops
// reading the socket.
type holdBody struct{}

func newHoldBody(*Env) h1.Service { return holdBody{} }

type holdBodyFut struct{ in body.Incoming }

func (holdBody) Call(req *h1.Request) h1.ServiceFuture {
	in, _ := keep(req)
	return &holdBodyFut{in: in}
}

// Poll never completes: nothing will ever wake it.
func (f *holdBodyFut) Poll(cx *poll.Context) poll.Poll[h1.Response] {
	return poll.Pending[h1.Response]()
}
