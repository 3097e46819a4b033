package session

// The net/http comparison peer for `make bench`: the same pipelined byte
// stream the engine's bench serves, answered by Go's own net/http.Server over
// an in-memory connection. This is a test file, so goroutines, net/http and
// the wall clock are fine here; the engine's rules (engine/doc.go) cover
// non-test files only, and `go list -deps` does not see test imports.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

// peerRequest is the tiny GET every bench sends (the same bytes as
// benchRequest in bench.go, kept apart so this file stands alone).
const peerRequest = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"

// netHTTPPipelined sends requests copies of peerRequest to a net/http.Server
// (handler: 200, body "hello") over an in-memory connection, pipeline at a
// time: write a batch, read exactly that many responses, repeat. It returns
// the wall-clock seconds of the whole exchange, from the first write to the
// last response byte.
//
// Every response to this handler has the same length (the Date value has a
// fixed width), so the length is taken from the first response and each
// later response is only checked to start with the status line.
func netHTTPPipelined(requests, pipeline int) (seconds float64, err error) {
	if requests <= 0 || pipeline <= 0 {
		return 0, fmt.Errorf("netHTTPPipelined: requests (%d) and pipeline (%d) must be positive", requests, pipeline)
	}
	client, server := memConnPair()
	ln := newOneConnListener(server)
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, "hello")
		}),
		ErrorLog: log.New(io.Discard, "", 0),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		client.Close()
		srv.Close()
		if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = fmt.Errorf("net/http Serve: %w", serr)
		}
	}()

	batch := bytes.Repeat([]byte(peerRequest), pipeline)
	var (
		respLen int    // length of one response, from the first one
		buf     []byte // room for one batch of responses
		counted int    // responses read and checked
	)
	start := time.Now()
	for counted < requests {
		n := min(pipeline, requests-counted)
		if _, err := client.Write(batch[:n*len(peerRequest)]); err != nil {
			return 0, fmt.Errorf("writing batch at request %d: %w", counted, err)
		}
		got := 0
		if respLen == 0 {
			// Learn the response length from the first response. Reading
			// stops at its end, since no more than one full response can
			// be in the buffer before we know where it ends.
			if respLen, buf, err = peerReadFirstResponse(client, n); err != nil {
				return 0, err
			}
			got = 1
		}
		if _, err := io.ReadFull(client, buf[:(n-got)*respLen]); err != nil {
			return 0, fmt.Errorf("reading responses %d..%d: %w", counted+got, counted+n-1, err)
		}
		for i := 0; i < n-got; i++ {
			if !bytes.HasPrefix(buf[i*respLen:], peerStatusOK) {
				return 0, fmt.Errorf("response %d does not start with %q: %q", counted+got+i, peerStatusOK, buf[i*respLen:(i+1)*respLen])
			}
		}
		counted += n
	}
	return time.Since(start).Seconds(), nil
}

var peerStatusOK = []byte("HTTP/1.1 200 OK\r\n")

// peerReadFirstResponse reads one response head and its Content-Length body from
// c, byte by byte through the head, and returns the response's total length
// and a buffer large enough for batch responses of that length.
func peerReadFirstResponse(c net.Conn, batch int) (respLen int, buf []byte, err error) {
	var head []byte
	one := make([]byte, 1)
	for !bytes.HasSuffix(head, []byte("\r\n\r\n")) {
		if len(head) > 4096 {
			return 0, nil, fmt.Errorf("first response head longer than 4096 bytes: %q", head)
		}
		if _, err := io.ReadFull(c, one); err != nil {
			return 0, nil, fmt.Errorf("reading first response head after %q: %w", head, err)
		}
		head = append(head, one[0])
	}
	if !bytes.HasPrefix(head, peerStatusOK) {
		return 0, nil, fmt.Errorf("first response does not start with %q: %q", peerStatusOK, head)
	}
	cl := -1
	for _, line := range bytes.Split(head, []byte("\r\n")) {
		name, value, ok := bytes.Cut(line, []byte(":"))
		if ok && bytes.EqualFold(name, []byte("Content-Length")) {
			if cl, err = strconv.Atoi(string(bytes.TrimSpace(value))); err != nil {
				return 0, nil, fmt.Errorf("first response Content-Length %q: %w", value, err)
			}
		}
	}
	if cl < 0 {
		return 0, nil, fmt.Errorf("first response has no Content-Length: %q", head)
	}
	body := make([]byte, cl)
	if _, err := io.ReadFull(c, body); err != nil {
		return 0, nil, fmt.Errorf("reading first response body: %w", err)
	}
	if string(body) != "hello" {
		return 0, nil, fmt.Errorf("first response body = %q, want %q", body, "hello")
	}
	respLen = len(head) + cl
	return respLen, make([]byte, batch*respLen), nil
}

// memConnPair returns the two ends of an in-memory connection. Unlike
// net.Pipe, each direction is buffered: a Write appends and returns at once,
// so a client can pipeline a batch without waiting for the server to read.
func memConnPair() (a, b *memConn) {
	ab, ba := newMemPipe(), newMemPipe()
	return &memConn{r: ba, w: ab, local: memAddr("client"), remote: memAddr("server")},
		&memConn{r: ab, w: ba, local: memAddr("server"), remote: memAddr("client")}
}

// memPipe is one direction of a memConn: an unbounded byte buffer with a
// read deadline.
type memPipe struct {
	mu       sync.Mutex
	cond     sync.Cond
	buf      []byte // unread bytes are buf[off:]
	off      int
	eof      bool // the writer closed: reads drain buf, then io.EOF
	closed   bool // the reader closed: reads fail
	deadline time.Time
	timer    *time.Timer
}

func newMemPipe() *memPipe {
	p := &memPipe{}
	p.cond.L = &p.mu
	return p
}

func (p *memPipe) read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		switch {
		case p.closed:
			return 0, net.ErrClosed
		case !p.deadline.IsZero() && !time.Now().Before(p.deadline):
			// net/http interrupts its background read this way
			// (SetReadDeadline in the past), so it must work.
			return 0, os.ErrDeadlineExceeded
		case p.off < len(p.buf):
			n := copy(b, p.buf[p.off:])
			p.off += n
			if p.off == len(p.buf) {
				p.buf, p.off = p.buf[:0], 0
			}
			return n, nil
		case p.eof:
			return 0, io.EOF
		case len(b) == 0:
			return 0, nil
		}
		p.cond.Wait()
	}
}

func (p *memPipe) write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.eof || p.closed {
		return 0, io.ErrClosedPipe
	}
	p.buf = append(p.buf, b...)
	p.cond.Broadcast()
	return len(b), nil
}

func (p *memPipe) setDeadline(t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.deadline = t
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	if d := time.Until(t); !t.IsZero() && d > 0 {
		p.timer = time.AfterFunc(d, func() {
			p.mu.Lock()
			p.cond.Broadcast()
			p.mu.Unlock()
		})
	}
	p.cond.Broadcast()
}

// closeWrite makes the reader see EOF once the buffer is drained.
func (p *memPipe) closeWrite() {
	p.mu.Lock()
	p.eof = true
	p.cond.Broadcast()
	p.mu.Unlock()
}

// closeRead fails reads at once.
func (p *memPipe) closeRead() {
	p.mu.Lock()
	p.closed = true
	p.cond.Broadcast()
	p.mu.Unlock()
}

// memConn is one end of memConnPair.
type memConn struct {
	r, w          *memPipe
	local, remote memAddr
}

func (c *memConn) Read(b []byte) (int, error)  { return c.r.read(b) }
func (c *memConn) Write(b []byte) (int, error) { return c.w.write(b) }
func (c *memConn) Close() error {
	c.w.closeWrite()
	c.r.closeRead()
	return nil
}
func (c *memConn) LocalAddr() net.Addr  { return c.local }
func (c *memConn) RemoteAddr() net.Addr { return c.remote }
func (c *memConn) SetDeadline(t time.Time) error {
	c.r.setDeadline(t)
	return nil
}
func (c *memConn) SetReadDeadline(t time.Time) error {
	c.r.setDeadline(t)
	return nil
}

// SetWriteDeadline does nothing: writes never block.
func (c *memConn) SetWriteDeadline(t time.Time) error { return nil }

type memAddr string

func (a memAddr) Network() string { return "mem" }
func (a memAddr) String() string  { return string(a) }

// oneConnListener accepts one connection, then blocks until closed.
type oneConnListener struct {
	conns  chan net.Conn
	done   chan struct{}
	closer sync.Once
}

func newOneConnListener(c net.Conn) *oneConnListener {
	l := &oneConnListener{conns: make(chan net.Conn, 1), done: make(chan struct{})}
	l.conns <- c
	return l
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *oneConnListener) Close() error {
	l.closer.Do(func() { close(l.done) })
	return nil
}

func (l *oneConnListener) Addr() net.Addr { return memAddr("server") }

// TestNetHTTPPeerWorks shows the bench's net/http peer answers every request,
// so its figure in `make bench` means something.
func TestNetHTTPPeerWorks(t *testing.T) {
	for _, tc := range []struct{ requests, pipeline int }{
		{64, 16}, // whole batches
		{1, 1},
		{37, 16}, // a short last batch
	} {
		// netHTTPPipelined fails if any response is missing or malformed.
		if _, err := netHTTPPipelined(tc.requests, tc.pipeline); err != nil {
			t.Errorf("netHTTPPipelined(%d, %d): %v", tc.requests, tc.pipeline, err)
		}
	}
}
