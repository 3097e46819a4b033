package services

import (
	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/poll"
)

// upgradeEcho switches to a raw echo protocol when asked to upgrade. Like
// the reference service, it decides on the Upgrade header alone: with one
// it answers 101 even when the request carries no OnUpgrade (an HTTP/1.0
// head, for which hyper prepares no upgrade: the 101 is written and the
// connection closes); without one, an empty 400.
type upgradeEcho struct{ env *Env }

func newUpgradeEcho(env *Env) h1.Service { return &upgradeEcho{env: env} }

func (u *upgradeEcho) Call(req *h1.Request) h1.ServiceFuture {
	head := req.Head
	_, up := keep(req)
	return &lazy{run: func() h1.Response {
		if !h1.HasHeader(head.Headers, "upgrade") {
			return h1.Response{Head: h1.ResponseHead{Status: 400}, Body: body.EmptyBody{}}
		}
		if up != nil {
			u.env.Ex.Spawn("upgraded echo", &echoTask{on: up.Detach()})
		}
		// with no OnUpgrade, hyper's spawned task would only log "upgrade
		// expected but not completed"; nothing is spawned here
		return h1.Response{Head: h1.ResponseHead{Status: 101, Headers: []h1.Header{
			body.H("upgrade", "echo"), body.H("connection", "upgrade"),
		}}}
	}}
}

// echoTask is the upgraded protocol: wait for the handoff, then copy every
// byte read back to the peer until EOF, then shut down.
type echoTask struct {
	on   *h1.OnUpgrade
	io   *h1.Upgraded
	buf  [4096]byte
	pend []byte
	eof  bool
}

func (t *echoTask) Poll(cx *poll.Context) bool {
	if t.io == nil {
		p := t.on.Poll(cx)
		if !p.Ready {
			return false
		}
		if p.Value == nil {
			return true // no upgrade happened
		}
		t.io = p.Value
	}
	for {
		for len(t.pend) > 0 {
			w := t.io.PollWrite(cx, t.pend)
			if !w.Ready {
				return false
			}
			if w.Value.Err != nil {
				return true
			}
			t.pend = t.pend[w.Value.N:]
		}
		if t.eof {
			if !t.io.PollShutdown(cx).Ready {
				return false
			}
			// the task ends and drops the connection
			t.io.Close()
			return true
		}
		r := t.io.PollRead(cx, t.buf[:])
		if !r.Ready {
			return false
		}
		if r.Value.Err != nil {
			return true
		}
		if r.Value.N == 0 {
			t.eof = true
			continue
		}
		t.pend = t.buf[:r.Value.N]
	}
}

func (t *echoTask) WaitingOn() string {
	if t.io == nil {
		return "the upgrade handoff"
	}
	return "bytes on the upgraded connection"
}
