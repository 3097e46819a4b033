package duplex_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/duplex"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

type funcTask func(cx *poll.Context) bool

func (f funcTask) Poll(cx *poll.Context) bool { return f(cx) }

// reader reads from e with a buffer of size bufSize until EOF or an error.
type reader struct {
	e       *duplex.End
	bufSize int
	got     []byte
	chunks  []int
	eof     bool
	err     error
	polls   int
}

func (r *reader) Poll(cx *poll.Context) bool {
	r.polls++
	buf := make([]byte, r.bufSize)
	for {
		p := r.e.PollRead(cx, buf)
		if p.IsPending() {
			return false
		}
		if p.Value.Err != nil {
			r.err = p.Value.Err
			return true
		}
		if p.Value.N == 0 {
			r.eof = true
			return true
		}
		r.chunks = append(r.chunks, p.Value.N)
		r.got = append(r.got, buf[:p.Value.N]...)
	}
}

// writer writes data to e until all of it went out (or an error), then
// shuts down if asked.
type writer struct {
	e        *duplex.End
	data     []byte
	shutdown bool
	writes   []int
	err      error
	pending  int
	polls    int
}

func (w *writer) Poll(cx *poll.Context) bool {
	w.polls++
	for len(w.data) > 0 {
		p := w.e.PollWrite(cx, w.data)
		if p.IsPending() {
			w.pending++
			return false
		}
		if p.Value.Err != nil {
			w.err = p.Value.Err
			return true
		}
		w.writes = append(w.writes, p.Value.N)
		w.data = w.data[p.Value.N:]
	}
	if w.shutdown {
		if p := w.e.PollShutdown(cx); p.Value != nil {
			w.err = p.Value
		}
	}
	return true
}

// once runs f in a task of ex and returns after the executor is idle.
func once(t *testing.T, ex *poll.Executor, f func(cx *poll.Context)) {
	t.Helper()
	ex.Spawn("once", funcTask(func(cx *poll.Context) bool { f(cx); return true }))
	if _, err := ex.RunUntilIdle(1000); err != nil {
		t.Fatal(err)
	}
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return b
}

func TestBackpressure(t *testing.T) {
	for _, tc := range []struct {
		capacity, size, readBuf int
	}{
		{1, 5, 1},
		{8, 20, 3},
		{8, 8, 8},
		{16, 100, 64},
		{0, 70_000, 4096}, // default capacity 65536
	} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			ex := poll.NewExecutor(0, nil)
			d := duplex.New(ex, duplex.Config{Capacity: tc.capacity}, nil)
			capacity := tc.capacity
			if capacity == 0 {
				capacity = duplex.DefaultCapacity
			}
			data := pattern(tc.size)
			w := &writer{e: d.Client, data: data, shutdown: true}
			wid := ex.Spawn("writer", w)
			ex.RunUntilIdle(0)
			fits := min(capacity, tc.size)
			if d.ToServer.Buffered() != fits || d.ToServer.Free() != capacity-fits {
				t.Fatalf("Buffered=%d Free=%d, want %d buffered", d.ToServer.Buffered(), d.ToServer.Free(), fits)
			}
			if tc.size > capacity {
				if ex.Done(wid) || w.pending != 1 {
					t.Fatalf("writer not pending on a full pipe (done=%v pending=%d)", ex.Done(wid), w.pending)
				}
				ws := ex.StallReport()
				if len(ws) != 1 || !reflect.DeepEqual(ws[0].WaitsOn, []string{"c→s write end (room in the pipe)"}) ||
					!reflect.DeepEqual(ws[0].WokenBy, []string{"the server reading from c→s"}) {
					t.Fatalf("stall report %+v", ws)
				}
				// The writer is not woken until the reader drains something.
				if ex.Runnable() {
					t.Fatal("writer runnable on a full pipe")
				}
				buf := make([]byte, 1)
				once(t, ex, func(cx *poll.Context) {
					if p := d.Server.PollRead(cx, buf); !p.Ready || p.Value.N != 1 || buf[0] != data[0] {
						t.Fatalf("read %+v %q", p, buf)
					}
				})
				if w.polls != 2 {
					t.Fatalf("writer polled %d times, want 2: not woken by the read", w.polls)
				}
				data = data[1:]
			}
			r := &reader{e: d.Server, bufSize: tc.readBuf}
			rid := ex.Spawn("reader", r)
			if _, err := ex.RunUntilIdle(100_000); err != nil {
				t.Fatal(err)
			}
			if !ex.Done(wid) || !ex.Done(rid) || w.err != nil || r.err != nil || !r.eof {
				t.Fatalf("writer done %v err %v, reader done %v err %v eof %v", ex.Done(wid), w.err, ex.Done(rid), r.err, r.eof)
			}
			if string(r.got) != string(data) {
				t.Fatalf("read %d bytes, want %d, bytes differ", len(r.got), len(data))
			}
			for _, n := range w.writes {
				if n > capacity {
					t.Fatalf("a write of %d bytes exceeds the capacity %d", n, capacity)
				}
			}
			if d.ToServer.Written() != int64(tc.size) || d.ToServer.ReadOffset() != int64(tc.size) {
				t.Fatalf("offsets %d/%d", d.ToServer.Written(), d.ToServer.ReadOffset())
			}
		})
	}
}

func TestReadChunkCap(t *testing.T) {
	for _, tc := range []struct {
		chunk, size, buf int
		want             []int
	}{
		{0, 20, 64, []int{20}},
		{0, 20, 8, []int{8, 8, 4}},
		{1, 5, 64, []int{1, 1, 1, 1, 1}},
		{7, 20, 64, []int{7, 7, 6}},
		{7, 20, 5, []int{5, 5, 5, 5}},
		{7, 7, 64, []int{7}},
	} {
		t.Run(fmt.Sprint(tc.chunk, tc.size, tc.buf), func(t *testing.T) {
			ex := poll.NewExecutor(0, nil)
			d := duplex.New(ex, duplex.Config{Capacity: 64, ReadChunk: tc.chunk}, nil)
			data := pattern(tc.size)
			if n := d.Client.Write(data); n != tc.size {
				t.Fatalf("Write = %d", n)
			}
			d.Client.Shutdown()
			r := &reader{e: d.Server, bufSize: tc.buf}
			ex.Spawn("reader", r)
			ex.RunUntilIdle(0)
			if !reflect.DeepEqual(r.chunks, tc.want) || string(r.got) != string(data) || !r.eof {
				t.Fatalf("chunks %v (eof %v), want %v", r.chunks, r.eof, tc.want)
			}
			// The same cap applies to the other direction.
			d.Server.Write(data)
			r2 := &reader{e: d.Client, bufSize: tc.buf}
			ex.Spawn("reader2", r2)
			ex.RunUntilIdle(0)
			if !reflect.DeepEqual(r2.chunks, tc.want) {
				t.Fatalf("s→c chunks %v, want %v", r2.chunks, tc.want)
			}
			// ReadAll is not capped.
			d.Server.Write(data)
			if got := d.Client.ReadAll([]byte("x")); string(got) != "x"+string(data) {
				t.Fatalf("ReadAll = %q", got)
			}
		})
	}
}

func TestHalfClose(t *testing.T) {
	for _, chunk := range []int{0, 1, 2} {
		t.Run(fmt.Sprint(chunk), func(t *testing.T) {
			ex := poll.NewExecutor(0, nil)
			d := duplex.New(ex, duplex.Config{ReadChunk: chunk}, nil)
			r := &reader{e: d.Server, bufSize: 16}
			rid := ex.Spawn("reader", r)
			ex.RunUntilIdle(0)
			if ex.Done(rid) || ex.Runnable() {
				t.Fatal("reader not pending on an empty pipe")
			}
			w := &writer{e: d.Client, data: []byte("hello"), shutdown: true}
			ex.Spawn("writer", w)
			ex.RunUntilIdle(0)
			if !r.eof || r.err != nil || string(r.got) != "hello" {
				t.Fatalf("read %q eof %v err %v; want hello then EOF", r.got, r.eof, r.err)
			}
			if !d.Client.IsShutdown() || !d.ToServer.WriteClosed() || d.ToClient.WriteClosed() {
				t.Fatal("shutdown flags")
			}
			// EOF is sticky; the other direction still works.
			once(t, ex, func(cx *poll.Context) {
				if p := d.Server.PollRead(cx, make([]byte, 4)); !p.Ready || p.Value.N != 0 || p.Value.Err != nil {
					t.Fatalf("second read after EOF: %+v", p)
				}
				if p := d.Server.PollWrite(cx, []byte("bye")); !p.Ready || p.Value.N != 3 {
					t.Fatalf("server write after client half-close: %+v", p)
				}
				want := 3
				if chunk > 0 {
					want = chunk
				}
				if p := d.Client.PollRead(cx, make([]byte, 8)); !p.Ready || p.Value.N != want {
					t.Fatalf("client read after its half-close: %+v", p)
				}
				// Writing after shutdown fails; shutting down twice is fine.
				p := d.Client.PollWrite(cx, []byte("x"))
				var oe *duplex.OpError
				if !p.Ready || !errors.As(p.Value.Err, &oe) || oe.Errno != duplex.EPIPE {
					t.Fatalf("write after shutdown: %+v", p)
				}
				if p := d.Client.PollShutdown(cx); !p.Ready || p.Value != nil {
					t.Fatalf("second shutdown: %+v", p)
				}
				if p := d.Client.PollFlush(cx); !p.Ready || p.Value != nil {
					t.Fatalf("flush: %+v", p)
				}
			})
		})
	}
}

func TestEOFOnlyAfterBufferedBytes(t *testing.T) {
	ex := poll.NewExecutor(0, nil)
	d := duplex.New(ex, duplex.Config{ReadChunk: 3}, nil)
	d.Client.Write([]byte("abcdefgh"))
	d.Client.Shutdown()
	var got []string
	once(t, ex, func(cx *poll.Context) {
		buf := make([]byte, 16)
		for i := 0; i < 5; i++ {
			p := d.Server.PollRead(cx, buf)
			if !p.Ready || p.Value.Err != nil {
				t.Fatalf("read %d: %+v", i, p)
			}
			got = append(got, string(buf[:p.Value.N]))
		}
		if p := d.Server.PollRead(cx, nil); !p.Ready || p.Value.N != 0 {
			t.Fatalf("empty read: %+v", p)
		}
	})
	if want := []string{"abc", "def", "gh", "", ""}; !reflect.DeepEqual(got, want) {
		t.Fatalf("reads %q, want %q", got, want)
	}
}

func TestOffsetsAndIOEvents(t *testing.T) {
	rec := trace.New()
	ex := poll.NewExecutor(0, rec)
	d := duplex.New(ex, duplex.Config{Capacity: 6, ReadChunk: 4}, rec)
	if d.Server.Name() != "server" || d.Client.Name() != "client" || d.Server.In() != d.ToServer ||
		d.Server.Out() != d.ToClient || d.Client.In() != d.ToClient || d.Client.Out() != d.ToServer ||
		d.ToServer.Name() != "c→s" || d.ToClient.Name() != "s→c" {
		t.Fatal("duplex wiring")
	}
	once(t, ex, func(cx *poll.Context) {
		buf := make([]byte, 10)
		steps := []func() poll.Poll[poll.IOResult]{
			func() poll.Poll[poll.IOResult] { return d.Client.PollWrite(cx, []byte("GET / HTTP")) }, // 6 fit
			func() poll.Poll[poll.IOResult] { return d.Server.PollRead(cx, buf) },                   // 4 (cap)
			func() poll.Poll[poll.IOResult] { return d.Client.PollWrite(cx, []byte("/1.1\r\n")) },   // 4 fit
			func() poll.Poll[poll.IOResult] { return d.Server.PollRead(cx, buf) },                   // 4
			func() poll.Poll[poll.IOResult] { return d.Server.PollRead(cx, buf) },                   // 2
			func() poll.Poll[poll.IOResult] { return d.Server.PollWrite(cx, []byte("HTTP/1.1")) },   // 6
		}
		wantN := []int{6, 4, 4, 4, 2, 6}
		for i, f := range steps {
			if p := f(); !p.Ready || p.Value.N != wantN[i] || p.Value.Err != nil {
				t.Fatalf("op %d: %+v, want %d bytes", i, p, wantN[i])
			}
		}
		d.Client.PollShutdown(cx)
		d.Server.PollRead(cx, buf) // EOF
		if p := d.Server.PollRead(cx, buf); p.Value.N != 0 {
			t.Fatal("no EOF")
		}
	})
	if d.ToServer.Written() != 10 || d.ToServer.ReadOffset() != 10 || d.ToClient.Written() != 6 || d.ToClient.ReadOffset() != 0 {
		t.Fatalf("offsets c→s %d/%d s→c %d/%d", d.ToServer.Written(), d.ToServer.ReadOffset(), d.ToClient.Written(), d.ToClient.ReadOffset())
	}
	var got []string
	for _, e := range rec.Events() {
		if e.Kind == trace.KindIO {
			got = append(got, fmt.Sprintf("%s %s n=%d off=%d %s", e.Field, e.Name, e.N, e.Off, e.Detail))
		}
	}
	want := []string{
		"client write n=6 off=0 ",
		"server read n=4 off=0 ",
		"client write n=4 off=6 ",
		"server read n=4 off=4 ",
		"server read n=2 off=8 ",
		"server write n=6 off=0 ",
		"client shutdown n=0 off=10 fin",
		"server read n=0 off=10 eof",
		"server read n=0 off=10 eof",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("io events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func opErr(t *testing.T, err error, op string, errno duplex.Errno) {
	t.Helper()
	var oe *duplex.OpError
	if !errors.As(err, &oe) {
		t.Fatalf("error %v, want %s %s", err, op, errno)
	}
	if oe.Op != op || oe.Errno != errno || oe.ErrnoName() != string(errno) {
		t.Fatalf("error %+v (%s), want %s %s", oe, oe.ErrnoName(), op, errno)
	}
	if !strings.HasPrefix(err.Error(), op+": ") || !strings.HasSuffix(err.Error(), "(os error "+string(errno)+")") {
		t.Fatalf("error text %q", err.Error())
	}
}

func TestResetFault(t *testing.T) {
	rec := trace.New()
	ex := poll.NewExecutor(0, rec)
	d := duplex.New(ex, duplex.Config{Capacity: 4}, rec)
	d.Server.Write([]byte("data")) // buffered for the client, and the pipe is full
	d.Client.Write([]byte("full"))
	r := &reader{e: d.Client, bufSize: 8}
	d.Client.ReadAll(nil) // empty s→c so the reader waits
	rid := ex.Spawn("reader", r)
	w := &writer{e: d.Client, data: []byte("more")}
	wid := ex.Spawn("writer", w)
	ex.RunUntilIdle(0)
	if ex.Done(rid) || ex.Done(wid) {
		t.Fatal("reader and writer should be pending")
	}
	d.Server.Reset() // the server sends RST: the client sees ECONNRESET
	if !ex.Runnable() {
		t.Fatal("Reset woke nobody")
	}
	ex.RunUntilIdle(0)
	if !ex.Done(rid) || !ex.Done(wid) {
		t.Fatal("reader/writer not finished after reset")
	}
	opErr(t, r.err, "read", duplex.ECONNRESET)
	opErr(t, w.err, "write", duplex.ECONNRESET)
	if errText := r.err.Error(); !strings.Contains(errText, "Connection reset by peer") {
		t.Fatalf("text %q", errText)
	}
	once(t, ex, func(cx *poll.Context) {
		opErr(t, d.Client.PollRead(cx, make([]byte, 1)).Value.Err, "read", duplex.ECONNRESET)
		opErr(t, d.Client.PollWrite(cx, []byte("x")).Value.Err, "write", duplex.ECONNRESET)
		// flush on a socket is a no-op that never fails, even after a reset
		if err := d.Client.PollFlush(cx).Value; err != nil {
			t.Fatalf("flush after reset: %v, want nil", err)
		}
		opErr(t, d.Client.PollShutdown(cx).Value, "shutdown", duplex.ENOTCONN)
		// The end that sent the reset is unaffected.
		if p := d.Server.PollRead(cx, make([]byte, 8)); !p.Ready || p.Value.N != 4 || p.Value.Err != nil {
			t.Fatalf("server read after its own reset: %+v", p)
		}
	})
	var details []string
	for _, e := range rec.Events() {
		if e.Kind == trace.KindIO && e.Detail != "" {
			details = append(details, e.Field+" "+e.Name+" "+e.Detail)
		}
	}
	want := []string{"client read ECONNRESET", "client write ECONNRESET", "client read ECONNRESET", "client write ECONNRESET", "client shutdown ENOTCONN"}
	if !reflect.DeepEqual(details, want) {
		t.Fatalf("fault events %q, want %q", details, want)
	}
}

func TestVanishFault(t *testing.T) {
	for _, chunk := range []int{0, 1} {
		t.Run(fmt.Sprint(chunk), func(t *testing.T) {
			ex := poll.NewExecutor(0, nil)
			d := duplex.New(ex, duplex.Config{Capacity: 8, ReadChunk: chunk}, nil)
			d.Client.Write(pattern(8)) // fill c→s so a client writer waits
			w := &writer{e: d.Client, data: []byte("x")}
			wid := ex.Spawn("writer", w)
			ex.RunUntilIdle(0)
			if ex.Done(wid) {
				t.Fatal("writer should wait for room")
			}
			d.Server.Write([]byte("last words"[:8]))
			d.Server.Vanish()
			ex.RunUntilIdle(0)
			if !ex.Done(wid) {
				t.Fatal("vanish did not wake the waiting writer")
			}
			opErr(t, w.err, "write", duplex.EPIPE)
			// The client still reads what was sent, then EOF.
			r := &reader{e: d.Client, bufSize: 16}
			ex.Spawn("reader", r)
			ex.RunUntilIdle(0)
			if string(r.got) != "last wor" || !r.eof || r.err != nil {
				t.Fatalf("read %q eof %v err %v", r.got, r.eof, r.err)
			}
			once(t, ex, func(cx *poll.Context) {
				opErr(t, d.Client.PollWrite(cx, []byte("x")).Value.Err, "write", duplex.EPIPE)
				err := d.Client.PollShutdown(cx).Value
				opErr(t, err, "shutdown", duplex.ENOTCONN)
				if err.(*duplex.OpError).ErrnoName() != "ENOTCONN" || !strings.Contains(err.Error(), "not connected") {
					t.Fatalf("shutdown error %q", err)
				}
			})
			if n := d.Client.Write([]byte("y")); n != 0 {
				t.Fatalf("outside Write to a vanished peer wrote %d", n)
			}
		})
	}
}

func TestVanishWakesPendingReader(t *testing.T) {
	ex := poll.NewExecutor(0, nil)
	d := duplex.New(ex, duplex.Config{}, nil)
	r := &reader{e: d.Server, bufSize: 4}
	rid := ex.Spawn("reader", r)
	ex.RunUntilIdle(0)
	d.Client.Vanish()
	ex.RunUntilIdle(0)
	if !ex.Done(rid) || !r.eof || r.err != nil || r.polls != 2 {
		t.Fatalf("reader done %v eof %v err %v polls %d", ex.Done(rid), r.eof, r.err, r.polls)
	}
}

func TestOutsideDriver(t *testing.T) {
	ex := poll.NewExecutor(0, nil)
	d := duplex.New(ex, duplex.Config{Capacity: 5}, nil)
	if n := d.Client.Write([]byte("0123456789")); n != 5 {
		t.Fatalf("Write = %d, want 5 (capacity)", n)
	}
	if n := d.Client.Write([]byte("x")); n != 0 {
		t.Fatalf("Write to a full pipe = %d", n)
	}
	if got := d.Server.ReadAll(nil); string(got) != "01234" {
		t.Fatalf("ReadAll = %q", got)
	}
	if got := d.Server.ReadAll([]byte("keep")); string(got) != "keep" {
		t.Fatalf("ReadAll of nothing = %q", got)
	}
	// A task waiting for bytes is woken by an outside Write.
	r := &reader{e: d.Server, bufSize: 8}
	rid := ex.Spawn("reader", r)
	ex.RunUntilIdle(0)
	if n := d.Client.Write([]byte("abc")); n != 3 || !ex.Runnable() {
		t.Fatalf("Write = %d, Runnable %v", n, ex.Runnable())
	}
	ex.RunUntilIdle(0)
	if string(r.got) != "abc" || ex.Done(rid) {
		t.Fatalf("reader got %q", r.got)
	}
	// ... and by an outside Shutdown (EOF).
	d.Client.Shutdown()
	d.Client.Shutdown()
	if !d.Client.IsShutdown() || !ex.Runnable() {
		t.Fatal("Shutdown did not wake the reader")
	}
	ex.RunUntilIdle(0)
	if !r.eof || !ex.Done(rid) {
		t.Fatal("reader did not see EOF")
	}
	if n := d.Client.Write([]byte("late")); n != 0 {
		t.Fatalf("Write after Shutdown = %d", n)
	}
	// A task waiting for room is woken by an outside ReadAll.
	d.Server.Write([]byte("fill!"))
	w := &writer{e: d.Server, data: []byte("more")}
	wid := ex.Spawn("writer", w)
	ex.RunUntilIdle(0)
	if ex.Done(wid) {
		t.Fatal("writer should wait for room")
	}
	if got := d.Client.ReadAll(nil); string(got) != "fill!" || !ex.Runnable() {
		t.Fatalf("ReadAll = %q, Runnable %v", got, ex.Runnable())
	}
	ex.RunUntilIdle(0)
	if !ex.Done(wid) || string(d.Client.ReadAll(nil)) != "more" {
		t.Fatal("writer did not finish after the drain")
	}
	if d.ToClient.Written() != 9 || d.ToClient.ReadOffset() != 9 {
		t.Fatalf("s→c offsets %d/%d", d.ToClient.Written(), d.ToClient.ReadOffset())
	}
}

// A long stream through a small pipe with wrap-around of the buffer keeps
// bytes in order.
func TestCompactionKeepsOrder(t *testing.T) {
	ex := poll.NewExecutor(0, nil)
	d := duplex.New(ex, duplex.Config{Capacity: 7, ReadChunk: 3}, nil)
	data := pattern(1000)
	var got []byte
	in := data
	buf := make([]byte, 5)
	once(t, ex, func(cx *poll.Context) {
		for len(got) < len(data) {
			if len(in) > 0 {
				p := d.Client.PollWrite(cx, in[:min(len(in), 4)])
				if p.Ready {
					in = in[p.Value.N:]
				}
			}
			p := d.Server.PollRead(cx, buf)
			if p.Ready {
				got = append(got, buf[:p.Value.N]...)
			}
		}
	})
	if string(got) != string(data) {
		t.Fatal("bytes reordered or lost")
	}
}
