package h1

import (
	"testing"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/duplex"
	"github.com/connlab/connlab/engine/poll"
)

// clientDriver is a client program: for each request, wait until the
// connection wants one, send it, await the response and read its body
// (or drop it, by the mode's bit for that request); then drop the sender.
type clientDriver struct {
	tx   *SendRequest
	reqs []ClientRequest
	mode uint8
	i    int
	fut  *ResponseFuture
	in   body.Incoming
	body bool // reading in
}

func (d *clientDriver) Poll(cx *poll.Context) bool {
	for d.i < len(d.reqs) {
		switch {
		case d.body:
			p := d.in.PollFrame(cx)
			if !p.Ready {
				return false
			}
			if p.Value.End || p.Value.Err != nil {
				d.body = false
				d.i++
			}
		case d.fut != nil:
			p := d.fut.Poll(cx)
			if !p.Ready {
				return false
			}
			d.fut = nil
			if p.Value.Err != nil {
				d.tx.Drop()
				return true
			}
			if d.mode>>(d.i%8)&1 != 0 {
				p.Value.Body.Drop()
				d.i++
			} else {
				d.in, d.body = p.Value.Body, true
			}
		default:
			r := d.tx.PollReady(cx)
			if !r.Ready {
				return false
			}
			if r.Value != nil {
				d.tx.Drop()
				return true
			}
			d.fut = d.tx.SendRequest(d.reqs[d.i])
		}
	}
	d.tx.Drop()
	return true
}

// FuzzClientConn feeds arbitrary server bytes (in two writes, then a FIN)
// to a client connection sending up to three requests (GET, HEAD, POST
// with a body, CONNECT), so the client-side paths run with hyper's
// asserts on (invariants.go): require_empty_read, mid_message_detect_eof,
// Client::poll_msg. No panic, and the executor goes idle within its budget.
func FuzzClientConn(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 204 No Content\r\n\r\n"), uint8(0), uint8(3), uint8(0))
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\nsurprise"), uint8(1), uint8(10), uint8(1))
	f.Add([]byte("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nclose-delimited"), uint8(2), uint8(5), uint8(0))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"), uint8(5), uint8(1), uint8(2))
	f.Add([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\nraw"), uint8(3), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, reqs, split, mode uint8) {
		ex := poll.NewExecutor(0, nil)
		dx := duplex.New(ex, duplex.Config{ReadChunk: int(split % 5)}, nil)
		tx, conn := Handshake(ex, dx.Client, DefaultOptions())
		methods := [...]string{MethodGet, MethodHead, MethodPost, MethodConnect}
		d := &clientDriver{tx: tx, mode: mode}
		for k := 0; k <= int(reqs)%3; k++ {
			m := methods[int(reqs>>(2*k))%len(methods)]
			r := ClientRequest{Head: RequestHead{Method: m, URI: []byte("/"), Version: HTTP11}}
			if m == MethodPost {
				r.Body = body.NewFull([]byte("abc"))
			}
			d.reqs = append(d.reqs, r)
		}
		ex.Spawn("client connection", conn)
		ex.Spawn("client program", d)
		run := func() {
			if _, err := ex.RunUntilIdle(20000); err != nil {
				t.Fatal(err)
			}
		}
		run()
		cut := 0
		if len(data) > 0 {
			cut = int(split) % (len(data) + 1)
		}
		for _, part := range [][]byte{data[:cut], data[cut:]} {
			for len(part) > 0 {
				n := dx.Server.Write(part)
				if n == 0 {
					break
				}
				part = part[n:]
				run()
			}
		}
		dx.Server.Shutdown()
		run()
	})
}
