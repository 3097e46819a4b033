package scenarios

import "strings"

// Long runs of one byte for the session files that send a big request (a
// 65 535-byte target, 3000- and 8000-byte bodies). An entry's session text
// holds a short mark where its run goes, and clone writes the run out, so
// the runs are built when an entry is listed or looked up, each time (no
// state shared between callers: the native server's handlers list the
// library concurrently). Written as strings.Repeat at init, they made the
// package's init build about 230 KB of session text on every start of the
// browser sandbox (TestInitAllocatesLittle); written as string constants,
// they were 81 KB of the browser's wasm data, bytes every visitor's
// browser decodes before the page starts (TestRunsLeaveTheData).
//
// A mark starts with a NUL byte: JSON text cannot hold one raw (a string
// escapes it as \u0000), so no session file as written contains a mark by
// accident.
const (
	runA65535 = "\x00A" // 65 535 'a's: a target 65 536 bytes less one
	runX3000  = "\x00X" // 3000 'x's
	runU8000  = "\x00U" // 8000 'u's
)

// longRuns says what each mark's run is.
var longRuns = [...]struct {
	mark string
	b    byte
	n    int
}{
	{runA65535, 'a', 65535},
	{runX3000, 'x', 3000},
	{runU8000, 'u', 8000},
}

// writeRuns returns s with each mark replaced by its run (s itself if it
// has none). A NUL that starts no mark is kept as it is: session.Parse
// rejects it, naming where it is.
func writeRuns(s SessionJSON) SessionJSON {
	if strings.IndexByte(string(s), 0) < 0 {
		return s
	}
	size := len(s)
	for _, r := range longRuns {
		size += strings.Count(string(s), r.mark) * (r.n - len(r.mark))
	}
	var b strings.Builder
	b.Grow(size)
	rest := string(s)
	for {
		i := strings.IndexByte(rest, 0)
		if i < 0 {
			b.WriteString(rest)
			return SessionJSON(b.String())
		}
		b.WriteString(rest[:i])
		rest = rest[i:]
		k := runAt(rest)
		if k < 0 {
			b.WriteByte(0)
			rest = rest[1:]
			continue
		}
		r := longRuns[k]
		writeRun(&b, r.b, r.n)
		rest = rest[len(r.mark):]
	}
}

// writeRun writes n bytes c to b, doubling what it has written: a few
// copies, not n appends of one byte (the browser builds 65 535 of them).
func writeRun(b *strings.Builder, c byte, n int) {
	if n <= 0 {
		return
	}
	start := b.Len()
	b.WriteByte(c)
	for done := 1; done < n; {
		run := b.String()[start:]
		if k := n - done; k < len(run) {
			run = run[:k]
		}
		b.WriteString(run)
		done += len(run)
	}
}

// runAt is the index in longRuns of the mark s starts with, or -1.
func runAt(s string) int {
	for k, r := range longRuns {
		if strings.HasPrefix(s, r.mark) {
			return k
		}
	}
	return -1
}
