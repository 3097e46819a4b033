package services

import (
	"strconv"
	"unicode/utf8"

	"github.com/connlab/connlab/engine/b64"
	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// upgrade-ws: a WebSocket (RFC 6455) echo server. The service validates the
// opening handshake (§4.2.1) and answers 101 (§4.2.2); a task spawned on the
// executor waits for the upgrade handoff and then speaks the protocol on the
// upgraded IO: it decodes frames (wsframe.go), echoes each message, answers
// pings, and runs the closing handshake (§5.5.1, §7).

func init() {
	register(Handler{"upgrade-ws", "WebSocket (RFC 6455) echo: validates the handshake, answers 101 with Sec-WebSocket-Accept, echoes text/binary messages unmasked, ping → pong, close handshake", keepsUpgrade, newUpgradeWS, progUpgradeWs})
}

// wsGUID is the fixed string the accept value hashes the key with (§1.3).
const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// wsMaxMessage caps a reassembled message; a bigger one closes with 1009.
const wsMaxMessage = 1 << 20

// wsAccept computes Sec-WebSocket-Accept for a Sec-WebSocket-Key (§4.2.2).
func wsAccept(key []byte) string {
	sum := sha1Sum(append(append([]byte(nil), key...), wsGUID...))
	return b64.Std.EncodeToString(sum[:])
}

type upgradeWS struct{ env *Env }

func newUpgradeWS(env *Env) h1.Service { return &upgradeWS{env: env} }

// Call does nothing yet: like a Rust async fn, the handshake is checked when
// the future is first polled.
// It keeps the whole request (an async fn's argument): the engine drops
// the body and, unless it went to the protocol task, the OnUpgrade when the
// future completes.
func (u *upgradeWS) Call(req *h1.Request) h1.ServiceFuture {
	_, up := keep(req)
	return &wsHandshake{env: u.env, head: req.Head, up: up}
}

type wsHandshake struct {
	env  *Env
	head *h1.RequestHead
	up   *h1.OnUpgrade
}

func (f *wsHandshake) Poll(cx *poll.Context) poll.Poll[h1.Response] {
	head, up := f.head, f.up
	f.head, f.up = nil, nil
	key, problem, badVersion := wsCheckHandshake(head)
	if problem == "" && up == nil {
		problem = "the connection cannot be upgraded"
	}
	if problem != "" {
		hs := []h1.Header{body.H("content-type", "text/plain; charset=utf-8")}
		if badVersion {
			// §4.4: say which version this server speaks
			hs = append(hs, body.H("sec-websocket-version", "13"))
		}
		return poll.Ready(h1.Response{
			Head: h1.ResponseHead{Status: 400, Headers: hs},
			Body: body.NewFull([]byte("websocket handshake: " + problem + "\n")),
		})
	}
	f.env.Ex.Spawn("websocket", newWSTask(up.Detach(), f.env.Rec))
	return poll.Ready(h1.Response{Head: h1.ResponseHead{Status: 101, Headers: []h1.Header{
		body.H("upgrade", "websocket"),
		body.H("connection", "upgrade"),
		body.H("sec-websocket-accept", wsAccept(key)),
	}}})
}

// wsCheckHandshake checks a client's opening handshake (§4.2.1) and returns
// the key, or what is wrong with it (badVersion: the version was the
// problem, §4.4).
func wsCheckHandshake(head *h1.RequestHead) (key []byte, problem string, badVersion bool) {
	if head == nil {
		return nil, "no request head", false
	}
	if head.Method != h1.MethodGet {
		return nil, "the method must be GET, not " + head.Method, false
	}
	if head.Version != h1.HTTP11 {
		return nil, "HTTP/1.1 is required, not " + head.Version.String(), false
	}
	if !wsHeaderHasToken(head.Headers, "upgrade", "websocket") {
		return nil, "an `Upgrade: websocket` header is required", false
	}
	if !wsHeaderHasToken(head.Headers, "connection", "upgrade") {
		return nil, "the `Connection` header must contain the `upgrade` token", false
	}
	var version, k []byte
	nv, nk := 0, 0
	for _, h := range head.Headers {
		switch {
		case h1.HeaderNameIs(h.Name, "sec-websocket-version"):
			version = h1.TrimOWS(h.Value)
			nv++
		case h1.HeaderNameIs(h.Name, "sec-websocket-key"):
			k = h1.TrimOWS(h.Value)
			nk++
		}
	}
	switch {
	case nv == 0:
		return nil, "a `Sec-WebSocket-Version: 13` header is required", true
	case nv > 1 || string(version) != "13":
		return nil, "`Sec-WebSocket-Version` must be 13, got " + strconv.Quote(string(version)), true
	case nk == 0:
		return nil, "a `Sec-WebSocket-Key` header is required", false
	case nk > 1:
		return nil, "`Sec-WebSocket-Key` must appear once", false
	}
	if raw, err := b64.Std.DecodeString(string(k)); err != nil || len(raw) != 16 {
		return nil, "`Sec-WebSocket-Key` must be the base64 of 16 bytes", false
	}
	return k, "", false
}

// wsHeaderHasToken reports whether some field called name holds token in
// its comma-separated list, compared ASCII case-insensitively.
func wsHeaderHasToken(hs []h1.Header, name, token string) bool {
	for _, h := range hs {
		if !h1.HeaderNameIs(h.Name, name) {
			continue
		}
		v := h.Value
		for len(v) > 0 {
			i := 0
			for i < len(v) && v[i] != ',' {
				i++
			}
			if t := h1.TrimOWS(v[:i]); h1.HeaderNameIs(t, token) {
				return true
			}
			if i == len(v) {
				break
			}
			v = v[i+1:]
		}
	}
	return false
}

// wsConn is the protocol without IO: bytes in through feed, frames to send
// collected in out. The task moves the bytes; tests and the fuzz target
// drive it directly.
type wsConn struct {
	rec *trace.Recorder
	dec wsDecoder
	// msgOp is the opcode of the fragmented message being reassembled in
	// msg (0 when none is open).
	msgOp byte
	msg   []byte
	out   []byte
	// closing: a close frame is queued; nothing more is read (§5.5.1).
	closing bool
	// sentCode is the status code of the close frame sent (0 before).
	sentCode int
}

func newWSConn(rec *trace.Recorder) *wsConn {
	c := &wsConn{rec: rec}
	c.dec.requireMask = true
	c.dec.check = c.checkHeader
	return c
}

// feed decodes frames from p and queues the replies. It returns how many
// bytes it consumed: all of p, unless a close frame was queued (then the rest
// is never read).
func (c *wsConn) feed(p []byte) int {
	n := 0
	for n < len(p) && !c.closing {
		k, f, fail := c.dec.decode(p[n:])
		n += k
		if fail.failed() {
			c.fail(fail)
			break
		}
		if f != nil {
			c.frame(f)
		} else if k == 0 {
			break // cannot happen: decode consumes while bytes remain
		}
	}
	return n
}

// checkHeader vets a complete header against the message in progress, before
// any of its payload is buffered (§5.4).
func (c *wsConn) checkHeader(h *wsHeader) wsFail {
	switch h.op {
	case wsOpText, wsOpBinary:
		if c.msgOp != 0 {
			return wsFail{wsCloseProtocol, "new data frame inside a fragmented message"}
		}
	case wsOpContinuation:
		if c.msgOp == 0 {
			return wsFail{wsCloseProtocol, "continuation frame without a message to continue"}
		}
	}
	if !wsIsControl(h.op) && h.length > uint64(wsMaxMessage-len(c.msg)) {
		return wsFail{wsCloseTooBig, "message over 1 MiB"}
	}
	return wsFail{}
}

func (c *wsConn) frame(f *wsFrame) {
	c.traceFrame("in", f.fin, f.op, len(f.payload))
	switch f.op {
	case wsOpPing:
		c.send(true, wsOpPong, f.payload)
	case wsOpPong:
		// unsolicited pongs need no answer (§5.5.3)
	case wsOpClose:
		c.onClose(f.payload)
	case wsOpText, wsOpBinary:
		if f.fin {
			c.message(f.op, f.payload)
			return
		}
		c.msgOp = f.op
		c.msg = append(c.msg[:0], f.payload...)
	case wsOpContinuation:
		c.msg = append(c.msg, f.payload...)
		if f.fin {
			op := c.msgOp
			c.msgOp = 0
			c.message(op, c.msg)
			c.msg = c.msg[:0]
		}
	}
}

// message echoes a complete message as one frame.
func (c *wsConn) message(op byte, data []byte) {
	if op == wsOpText && !utf8.Valid(data) {
		c.fail(wsFail{wsCloseInvalidData, "text message is not valid UTF-8"})
		return
	}
	c.send(true, op, data)
}

// onClose answers a close frame with one echoing its status code (§5.5.1).
func (c *wsConn) onClose(p []byte) {
	switch {
	case len(p) == 0:
		c.sendClose(wsCloseNormal, "")
	case len(p) == 1:
		c.fail(wsFail{wsCloseProtocol, "close payload of 1 byte"})
	default:
		code := int(p[0])<<8 | int(p[1])
		switch {
		case !wsValidCloseCode(code):
			c.fail(wsFail{wsCloseProtocol, "invalid close status code"})
		case !utf8.Valid(p[2:]):
			c.fail(wsFail{wsCloseInvalidData, "close reason is not valid UTF-8"})
		default:
			c.sendClose(code, "")
		}
	}
}

// wsValidCloseCode: the codes a peer may send (§7.4.1, §7.4.2, IANA's
// 1012-1014); 1004-1006 and 1015 must never be on the wire.
func wsValidCloseCode(code int) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1014:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

// fail fails the WebSocket connection (§7.1.7): a close frame with the code
// and reason, then nothing more is read.
func (c *wsConn) fail(f wsFail) {
	if c.rec != nil {
		c.rec.Add(trace.Event{Kind: trace.KindError, Name: "websocket", Detail: f.why, N: int64(f.code), Ref: "RFC 6455 §7.1.7"})
	}
	c.sendClose(int(f.code), f.why)
}

func (c *wsConn) sendClose(code int, reason string) {
	if c.closing {
		return
	}
	var p [wsMaxControl]byte
	p[0], p[1] = byte(code>>8), byte(code)
	n := 2 + copy(p[2:], reason)
	c.send(true, wsOpClose, p[:n])
	c.closing = true
	c.sentCode = code
}

func (c *wsConn) send(fin bool, op byte, payload []byte) {
	c.out = wsAppendFrame(c.out, fin, op, payload, nil)
	c.traceFrame("out", fin, op, len(payload))
}

func (c *wsConn) traceFrame(dir string, fin bool, op byte, n int) {
	if c.rec == nil {
		return
	}
	detail := "more"
	if fin {
		detail = "fin"
	}
	c.rec.Add(trace.Event{Kind: trace.KindFrame, Field: dir, Name: wsOpName(op), Detail: detail, N: int64(n), Ref: "RFC 6455 §5.2"})
}

// wsTask runs the protocol on the upgraded IO: the bytes the HTTP/1
// connection had read past the head come first, then the transport.
type wsTask struct {
	on   *h1.OnUpgrade
	io   *h1.Upgraded
	c    *wsConn
	buf  [4096]byte
	wpos int  // bytes of c.out already written
	eof  bool // the peer shut down its write side
}

func newWSTask(on *h1.OnUpgrade, rec *trace.Recorder) *wsTask {
	return &wsTask{on: on, c: newWSConn(rec)}
}

// Poll runs the protocol; when it ends, the task drops the upgraded IO,
// closing it, as a Rust task's end drops what it owns (the peer's next
// bytes are refused, as real hyper's are: rustgen's TestHyper1Replay,
// extra-ws-reserved).
func (t *wsTask) Poll(cx *poll.Context) bool {
	done := t.poll(cx)
	if done && t.io != nil {
		t.io.Close()
	}
	return done
}

func (t *wsTask) poll(cx *poll.Context) bool {
	if t.io == nil {
		p := t.on.Poll(cx)
		if !p.Ready {
			return false
		}
		if p.Value == nil {
			return true // the upgrade did not happen
		}
		t.io = p.Value
	}
	for {
		// Write what is queued before reading more: a peer that does not
		// read stops us reading, so out stays bounded (backpressure).
		for t.wpos < len(t.c.out) {
			w := t.io.PollWrite(cx, t.c.out[t.wpos:])
			if !w.Ready {
				return false
			}
			if w.Value.Err != nil || w.Value.N == 0 {
				return true // the peer is gone
			}
			t.wpos += w.Value.N
		}
		if len(t.c.out) > 0 {
			if f := t.io.PollFlush(cx); !f.Ready {
				return false
			} else if f.Value != nil {
				return true
			}
			t.c.out, t.wpos = t.c.out[:0], 0
		}
		if t.c.closing || t.eof {
			// after our close frame, or when the peer went away without
			// one: shut down the write side
			return t.io.PollShutdown(cx).Ready
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
		t.c.feed(t.buf[:r.Value.N])
	}
}

// WaitingOn describes what the task waits for in stall reports.
func (t *wsTask) WaitingOn() string {
	switch {
	case t.io == nil:
		return "the upgrade handoff"
	case t.wpos < len(t.c.out):
		return "the peer reading WebSocket frames (" + strconv.Itoa(len(t.c.out)-t.wpos) + " bytes queued)"
	}
	return "a WebSocket frame from the peer"
}
