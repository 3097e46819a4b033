package duplex

import (
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// Errno is an operating-system error number by its name, so transcripts can
// say ENOTCONN rather than 107.
type Errno string

const (
	ECONNRESET Errno = "ECONNRESET"
	ENOTCONN   Errno = "ENOTCONN"
	EPIPE      Errno = "EPIPE"
)

// errnoText is strerror's text for the errno (a switch, not a map
// literal: a map is built by code at init, in the browser's wasm too).
func errnoText(e Errno) string {
	switch e {
	case ECONNRESET:
		return "Connection reset by peer"
	case ENOTCONN:
		return "Transport endpoint is not connected"
	case EPIPE:
		return "Broken pipe"
	}
	return ""
}

// OpError is an I/O failure on one end of the duplex.
type OpError struct {
	Op    string // read, write, flush, shutdown
	Errno Errno
}

// ErrnoName is the errno's name, for transcripts.
func (e *OpError) ErrnoName() string { return string(e.Errno) }

func (e *OpError) Error() string {
	return e.Op + ": " + errnoText(e.Errno) + " (os error " + string(e.Errno) + ")"
}

// Config sets a duplex up.
type Config struct {
	Capacity  int // per direction; 0 = DefaultCapacity
	ReadChunk int // >0 caps bytes per read on both ends (1 = byte by byte)
}

// Duplex is the two pipes: ToServer (c→s) and ToClient (s→c).
type Duplex struct {
	ToServer *Pipe
	ToClient *Pipe
	Server   *End
	Client   *End
}

// New builds a duplex whose wakers live on ex. rec (may be nil) receives io
// events for both ends.
func New(ex *poll.Executor, cfg Config, rec *trace.Recorder) *Duplex {
	d := &Duplex{
		ToServer: newPipe(ex, "c→s", cfg.Capacity, cfg.ReadChunk, "the client", "the server"),
		ToClient: newPipe(ex, "s→c", cfg.Capacity, cfg.ReadChunk, "the server", "the client"),
	}
	d.Server = &End{name: "server", in: d.ToServer, out: d.ToClient, rec: rec, readAt: ioServerRead, writeAt: ioServerWrite}
	d.Client = &End{name: "client", in: d.ToClient, out: d.ToServer, rec: rec, readAt: ioClientRead, writeAt: ioClientWrite}
	d.Server.peer, d.Client.peer = d.Client, d.Server
	return d
}

// End is one side's view of the duplex: it reads from in and writes to out.
// It implements poll.IO.
type End struct {
	name string
	in   *Pipe
	out  *Pipe
	peer *End
	rec  *trace.Recorder
	// readAt and writeAt are the end's reads and writes of bytes, as
	// registered events (trace.IOAt): recorded without a string looked up
	readAt, writeAt trace.EventSite

	reset    bool // the next operations fail with ECONNRESET
	peerGone bool // the peer vanished: reads drain then EOF, writes EPIPE, shutdown ENOTCONN
	shutdown bool // this end shut down its write side
	closed   bool // this end was dropped
}

// Name is "server" or "client".
func (e *End) Name() string { return e.name }

// In is the pipe this end reads from.
func (e *End) In() *Pipe { return e.in }

// Out is the pipe this end writes to.
func (e *End) Out() *Pipe { return e.out }

// IsShutdown reports whether this end shut down its write side.
func (e *End) IsShutdown() bool { return e.shutdown }

// The ends' reads and writes of bytes (End.readAt, End.writeAt).
var (
	ioServerRead  = trace.RegisterIO("server", "read", "")
	ioServerWrite = trace.RegisterIO("server", "write", "")
	ioClientRead  = trace.RegisterIO("client", "read", "")
	ioClientWrite = trace.RegisterIO("client", "write", "")
)

// ioEventAt records the registered IO event s.
func (e *End) ioEventAt(s trace.EventSite, n int, off int64) {
	if e.rec != nil {
		e.rec.IOAt(s, int64(n), off)
	}
}

func (e *End) ioEvent(op string, n int, off int64, detail string) {
	if e.rec != nil {
		e.rec.IO(e.name, op, int64(n), off, detail)
	}
}

// PollRead reads buffered bytes, or EOF once the writer shut down and the
// pipe is drained, or registers the waker.
func (e *End) PollRead(cx *poll.Context, p []byte) poll.Poll[poll.IOResult] {
	if e.reset {
		e.ioEvent("read", 0, e.in.read, "ECONNRESET")
		return poll.Ready(poll.IOResult{Err: &OpError{Op: "read", Errno: ECONNRESET}})
	}
	if len(p) == 0 {
		return poll.Ready(poll.IOResult{})
	}
	if e.in.Buffered() > 0 {
		off := e.in.read
		n := e.in.read_(p)
		e.ioEventAt(e.readAt, n, off)
		return poll.Ready(poll.IOResult{N: n})
	}
	if e.in.writeClosed || e.peerGone {
		e.ioEvent("read", 0, e.in.read, "eof")
		return poll.Ready(poll.IOResult{})
	}
	e.in.readSlot.Register(cx)
	return poll.Pending[poll.IOResult]()
}

// PollWrite writes as much of p as fits, or registers the waker when the
// pipe is full.
func (e *End) PollWrite(cx *poll.Context, p []byte) poll.Poll[poll.IOResult] {
	switch {
	case e.reset:
		e.ioEvent("write", 0, e.out.written, "ECONNRESET")
		return poll.Ready(poll.IOResult{Err: &OpError{Op: "write", Errno: ECONNRESET}})
	case e.peerGone || e.out.readerGone:
		e.ioEvent("write", 0, e.out.written, "EPIPE")
		return poll.Ready(poll.IOResult{Err: &OpError{Op: "write", Errno: EPIPE}})
	case e.shutdown:
		return poll.Ready(poll.IOResult{Err: &OpError{Op: "write", Errno: EPIPE}})
	}
	if len(p) == 0 {
		return poll.Ready(poll.IOResult{})
	}
	if e.out.Free() == 0 {
		e.out.writeSlot.Register(cx)
		return poll.Pending[poll.IOResult]()
	}
	off := e.out.written
	n := e.out.write(p)
	e.ioEventAt(e.writeAt, n, off)
	return poll.Ready(poll.IOResult{N: n})
}

// PollFlush is always ready: bytes written are already in the pipe, and a
// TCP socket's flush is a no-op that never fails.
func (e *End) PollFlush(cx *poll.Context) poll.Poll[error] {
	return poll.Ready[error](nil)
}

// PollShutdown shuts down the write side (the peer reads EOF), or fails with
// ENOTCONN when the peer is already gone, as Linux does for shutdown(2) on a
// connection the other side has torn down (seed 003).
func (e *End) PollShutdown(cx *poll.Context) poll.Poll[error] {
	if e.reset || e.peerGone {
		e.ioEvent("shutdown", 0, e.out.written, "ENOTCONN")
		return poll.Ready[error](&OpError{Op: "shutdown", Errno: ENOTCONN})
	}
	if !e.shutdown {
		e.shutdown = true
		e.out.closeWrite()
		e.ioEvent("shutdown", 0, e.out.written, "fin")
	}
	return poll.Ready[error](nil)
}

// Close is dropping the socket: the write side shuts down (the peer reads
// EOF) and nothing the peer sends is read any more.
func (e *End) Close() {
	if e.closed {
		return
	}
	e.closed = true
	if !e.shutdown {
		e.shutdown = true
		e.out.closeWrite()
		e.ioEvent("close", 0, e.out.written, "fin")
	}
	e.in.readerGone = true
	e.in.writeSlot.Wake()
}

// Closed reports whether this end was closed (dropped).
func (e *End) Closed() bool { return e.closed }

// Write is the non-blocking write of a driver outside the executor (the
// person typing): it returns how many bytes fit.
func (e *End) Write(b []byte) int {
	if e.shutdown || e.peerGone || e.out.readerGone {
		return 0
	}
	return e.out.write(b)
}

// ReadAll drains everything buffered for this end (the person reading).
func (e *End) ReadAll(dst []byte) []byte {
	n := e.in.Buffered()
	if n == 0 {
		return dst
	}
	start := len(dst)
	dst = append(dst, make([]byte, n)...)
	saved := e.in.readChunk
	e.in.readChunk = 0
	m := e.in.read_(dst[start:])
	e.in.readChunk = saved
	return dst[:start+m]
}

// Shutdown closes this end's write side from outside the executor.
func (e *End) Shutdown() {
	if !e.shutdown {
		e.shutdown = true
		e.out.closeWrite()
	}
}

// Reset makes this end's peer see ECONNRESET on its next read or write (the
// peer sent a TCP RST).
func (e *End) Reset() {
	p := e.peer
	p.reset = true
	p.in.readSlot.Wake()
	p.out.writeSlot.Wake()
}

// Vanish makes this end disappear: its peer reads what was already sent and
// then EOF, its writes fail with EPIPE, and its shutdown with ENOTCONN.
func (e *End) Vanish() {
	p := e.peer
	p.peerGone = true
	e.out.writeClosed = true
	p.out.readerGone = true
	p.in.readSlot.Wake()
	p.out.writeSlot.Wake()
}
