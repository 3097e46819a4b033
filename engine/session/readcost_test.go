package session_test

import (
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
)

// Issue 14: reading costs linear time and memory whatever the read size.
// These tests count the bytes allocated per byte read (the marginal cost
// over a tiny message on the same path), with read_chunk 1 (byte by byte),
// 7 and 0 (as much as there is).

// paddedHead is a request head of exactly size bytes (size >= 64).
func paddedHead(size int) string {
	const pre, post = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ", "\r\n\r\n"
	return pre + strings.Repeat("p", size-len(pre)-len(post)) + post
}

// bodyRequest is a POST with an n-byte body: Content-Length, or chunked in
// chunks of 1000 bytes with a chunk extension each and a trailer.
func bodyRequest(n int, chunked bool) string {
	data := strings.Repeat("b", n)
	if !chunked {
		return "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + strconv.Itoa(n) + "\r\n\r\n" + data
	}
	var b strings.Builder
	b.WriteString("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
	for len(data) > 0 {
		k := min(1000, len(data))
		b.WriteString(strconv.FormatInt(int64(k), 16) + ";ext=v\r\n" + data[:k] + "\r\n")
		data = data[k:]
	}
	b.WriteString("0\r\nX-Trailer: t\r\n\r\n")
	return b.String()
}

// runAlloc runs one session sending in, with trace off (or as a Timeline:
// trace and view snapshots on), and returns the bytes allocated and what
// the engine answered. The lowest of two runs is kept, so that a stray
// allocation elsewhere in the process does not count.
func runAlloc(t *testing.T, handler, in string, readChunk int, withTimeline bool) (uint64, string) {
	t.Helper()
	best, answer := uint64(0), ""
	for try := 0; try < 2; try++ {
		f := &session.File{Version: 1, Mode: "server", Handler: handler, Transport: session.Transport{ReadChunk: readChunk},
			Input: []session.Input{{Send: &in}}, StepBudget: 1_000_000}
		if err := f.Validate(); err != nil {
			t.Fatal(err)
		}
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		var out []byte
		if withTimeline {
			tl, err := timeline.New(f)
			if err == nil {
				err = tl.Err()
			}
			if err != nil {
				t.Fatal(err)
			}
			out = tl.Session().ToClient()
		} else {
			s := session.New(f, session.Options{})
			if err := s.Run(); err != nil {
				t.Fatal(err)
			}
			out = s.ToClient()
		}
		runtime.ReadMemStats(&m1)
		if a := m1.TotalAlloc - m0.TotalAlloc; try == 0 || a < best {
			best = a
		}
		answer = string(out)
	}
	return best, answer
}

// perByte is the marginal allocation per byte of big over small.
func perByte(t *testing.T, handler, small, big string, readChunk int, withTimeline bool) (float64, string) {
	t.Helper()
	a0, _ := runAlloc(t, handler, small, readChunk, withTimeline)
	a1, out := runAlloc(t, handler, big, readChunk, withTimeline)
	return (float64(a1) - float64(a0)) / float64(len(big)-len(small)), out
}

// maxBytesPerByte bounds the marginal allocation per byte read with trace
// off. What is allocated per byte is copies that each byte needs anyway:
// the input log's bytes, the sent stream, the read buffer (doubling), the
// parsed head's arena or the echoed body, each grown by append. Growing the
// read buffer to exactly len+next on every read allocated 8 KB or more per
// byte at read_chunk 1 (85 GB for a 400 KB head).
const maxBytesPerByte = 32

func TestHeadReadAllocationIsLinear(t *testing.T) {
	if h1.DefaultMaxBufferSize != 8192+4096*100 {
		t.Fatalf("DefaultMaxBufferSize is %d, want hyper's 8192+4096*100", h1.DefaultMaxBufferSize)
	}
	small := paddedHead(64)
	for _, size := range []int{1_000, 60_000, 400_000} {
		if size >= h1.DefaultMaxBufferSize {
			t.Fatalf("a %d-byte head does not fit under max_buf_size %d", size, h1.DefaultMaxBufferSize)
		}
		for _, rc := range []int{1, 7, 0} {
			pb, out := perByte(t, "hello", small, paddedHead(size), rc, false)
			t.Logf("head %d B, read_chunk %d: %.1f bytes allocated per byte", size, rc, pb)
			if !strings.HasPrefix(out, "HTTP/1.1 200 OK\r\n") {
				t.Errorf("head %d B, read_chunk %d: answered %.40q, want a 200", size, rc, out)
			}
			if pb > maxBytesPerByte {
				t.Errorf("head %d B, read_chunk %d: %.0f bytes allocated per byte read, want at most %d",
					size, rc, pb, maxBytesPerByte)
			}
		}
	}
}

func TestBodyReadAllocationIsLinear(t *testing.T) {
	const size = 64 << 10
	for _, chunked := range []bool{false, true} {
		for _, rc := range []int{1, 7, 0} {
			pb, out := perByte(t, "echo", bodyRequest(100, chunked), bodyRequest(size, chunked), rc, false)
			t.Logf("body %d B (chunked %v), read_chunk %d: %.1f bytes allocated per byte", size, chunked, rc, pb)
			if !strings.HasPrefix(out, "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(out, strings.Repeat("b", 100)) {
				t.Errorf("body %d B (chunked %v), read_chunk %d: answered %.40q", size, chunked, rc, out)
			}
			if pb > maxBytesPerByte {
				t.Errorf("body %d B (chunked %v), read_chunk %d: %.0f bytes allocated per byte read, want at most %d",
					size, chunked, rc, pb, maxBytesPerByte)
			}
		}
	}
}

// With the trace and the timeline's view snapshots on, each byte read byte
// by byte records events, so a byte costs more, but the same at any size:
// ten times the bytes cost about ten times the memory.
func TestTimelineReadAllocationIsLinear(t *testing.T) {
	for _, tc := range []struct {
		name, handler        string
		small, medium, large string
	}{
		{"head", "hello", paddedHead(64), paddedHead(4_000), paddedHead(40_000)},
		{"body", "echo", bodyRequest(100, false), bodyRequest(3_000, false), bodyRequest(30_000, false)},
		{"chunked body", "echo", bodyRequest(100, true), bodyRequest(3_000, true), bodyRequest(30_000, true)},
	} {
		pm, _ := perByte(t, tc.handler, tc.small, tc.medium, 1, true)
		pl, out := perByte(t, tc.handler, tc.small, tc.large, 1, true)
		t.Logf("%s with the timeline, read_chunk 1: %.0f bytes allocated per byte at %d B, %.0f at %d B",
			tc.name, pm, len(tc.medium), pl, len(tc.large))
		if !strings.HasPrefix(out, "HTTP/1.1 200 OK\r\n") {
			t.Errorf("%s: answered %.40q", tc.name, out)
		}
		if pl > 1.5*pm+64 || pl > 8192 {
			t.Errorf("%s with the timeline: %.0f bytes per byte at %d B against %.0f at %d B: not linear",
				tc.name, pl, len(tc.large), pm, len(tc.medium))
		}
	}
}

// A head that does not fit under the default max_buf_size is still a 431,
// whatever the read size: the buffer grows by doubling now, but the limit
// is on the bytes buffered, as in hyper.
func TestHeadOverMaxBufSizeIs431(t *testing.T) {
	for _, rc := range []int{1, 7, 0} {
		_, out := runAlloc(t, "hello", paddedHead(h1.DefaultMaxBufferSize+100), rc, false)
		if !strings.HasPrefix(out, "HTTP/1.1 431 Request Header Fields Too Large\r\n") {
			t.Errorf("read_chunk %d: answered %.60q, want a 431", rc, out)
		}
	}
}
