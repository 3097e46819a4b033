package h1

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/duplex"
	"github.com/connlab/connlab/engine/poll"
)

// trickleIO reads from src at most chunk bytes at a time (0: as much as
// asked), then EOF; writes go to out.
type trickleIO struct {
	src   []byte
	chunk int
	out   []byte
}

func (t *trickleIO) PollRead(cx *poll.Context, p []byte) poll.Poll[poll.IOResult] {
	n := min(len(p), len(t.src))
	if t.chunk > 0 {
		n = min(n, t.chunk)
	}
	copy(p, t.src[:n])
	t.src = t.src[n:]
	return poll.Ready(poll.IOResult{N: n})
}

func (t *trickleIO) PollWrite(cx *poll.Context, p []byte) poll.Poll[poll.IOResult] {
	t.out = append(t.out, p...)
	return poll.Ready(poll.IOResult{N: len(p)})
}
func (t *trickleIO) PollFlush(cx *poll.Context) poll.Poll[error]    { return poll.Ready[error](nil) }
func (t *trickleIO) PollShutdown(cx *poll.Context) poll.Poll[error] { return poll.Ready[error](nil) }

// A head read one byte at a time grows the read buffer by doubling (as
// BytesMut::reserve does), not by one read's worth per read: the buffer is
// replaced about log2(size) times, and each read still asks for exactly the
// strategy's next size.
func TestReadBufferGrowsByDoubling(t *testing.T) {
	const size = 400_000
	io := &trickleIO{chunk: 1, src: []byte(strings.Repeat("a", size))}
	b := newBuffered(io)
	cx := poll.NewContext()
	grows, lastCap := 0, 0
	for len(b.unread()) < size {
		p := b.pollReadFromIO(cx)
		if !p.Ready || p.Value.Err != nil || p.Value.N != 1 {
			t.Fatalf("read %+v after %d bytes", p, len(b.unread()))
		}
		if c := cap(b.readBuf); c != lastCap {
			grows, lastCap = grows+1, c
		}
	}
	if grows > 10 {
		t.Errorf("the read buffer was replaced %d times for %d bytes read one at a time; want about log2(%d/%d)",
			grows, size, size, initBufferSize)
	}
	if lastCap > 4*size {
		t.Errorf("the read buffer's capacity is %d for %d bytes", lastCap, size)
	}
	if string(b.unread()) != strings.Repeat("a", size) {
		t.Error("bytes lost or reordered while growing")
	}
}

// serveTrickled serves in through a duplex that returns at most chunk bytes
// per read, and returns what the server wrote and how often it parsed a head.
func serveTrickled(t *testing.T, in string, chunk int) (string, int) {
	t.Helper()
	ex := poll.NewExecutor(0, nil)
	dx := duplex.New(ex, duplex.Config{Capacity: 1 << 20, ReadChunk: chunk}, nil)
	svc := svcFunc(func(req *Request) ServiceFuture {
		return respond(200, body.NewFull([]byte("ok")))
	})
	srv := NewServerConn(ex, dx.Server, svc, DefaultOptions())
	ex.Spawn("server connection", srv)
	if n := dx.Client.Write([]byte(in)); n != len(in) {
		t.Fatalf("pipe took %d of %d bytes", n, len(in))
	}
	if _, err := ex.RunUntilIdle(1_000_000); err != nil {
		t.Fatal(err)
	}
	return string(dx.Client.ReadAll(nil)), srv.Dispatcher().Conn().io.headParses
}

// Empty lines before a request line are skipped by the parser, so every
// byte of them looks like the end of a head to isCompleteFast; read one
// byte at a time they must not be re-parsed per byte (400 KB of them took
// 82 s). The answer is the same whatever the read size.
func TestLeadingEmptyLinesAreNotReparsed(t *testing.T) {
	const req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
	for _, tc := range []struct {
		name, in string
	}{
		{"crlf", strings.Repeat("\r\n", 100_000) + req},
		{"lf", strings.Repeat("\n", 200_000) + req},
		{"mixed", strings.Repeat("\r\n\n", 60_000) + req},
		{"big head", "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + strings.Repeat("p", 200_000) + "\r\n\r\n"},
		{"bad CR", strings.Repeat("\r\n", 1000) + "\rX" + req},
		{"split CR", strings.Repeat("\r\n", 1000) + "\r"},
		{"only empty lines", strings.Repeat("\r\n", 1000)},
	} {
		whole, _ := serveTrickled(t, tc.in, 0)
		for _, chunk := range []int{1, 2, 7} {
			out, parses := serveTrickled(t, tc.in, chunk)
			if out != whole {
				t.Errorf("%s, read_chunk %d: wrote %.60q, read whole %.60q", tc.name, chunk, out, whole)
			}
			if parses > 4 {
				t.Errorf("%s, read_chunk %d: the head was parsed %d times", tc.name, chunk, parses)
			}
		}
		if tc.name == "crlf" && !strings.HasPrefix(whole, "HTTP/1.1 200 OK\r\n") {
			t.Errorf("%s: answered %.40q", tc.name, whole)
		}
	}
}

// prevPowerOfTwo matches hyper's prev_power_of_two: half of n rounded down
// to a power of two.
func TestPrevPowerOfTwo(t *testing.T) {
	slow := func(n int) int {
		p := 1
		for p*2 <= n {
			p *= 2
		}
		return p / 2
	}
	for n := 4; n < 1<<20; n += 1 + n/64 { // io.rs:443 asserts n >= 4 (TestInvariants)
		if got, want := prevPowerOfTwo(n), slow(n); got != want {
			t.Fatalf("prevPowerOfTwo(%d) = %d, want %d", n, got, want)
		}
	}
	for _, n := range []int{8192, 8193, 16383, 16384, DefaultMaxBufferSize} {
		if got, want := prevPowerOfTwo(n), slow(n); got != want {
			t.Fatalf("prevPowerOfTwo(%d) = %d, want %d", n, got, want)
		}
	}
}
