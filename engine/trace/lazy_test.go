package trace

import (
	"strconv"
	"strings"
	"testing"
)

var testPairFormat = RegisterFormat("y.rs", func(b []byte, x, y int64) []byte {
	return strconv.AppendInt(append(strconv.AppendInt(append(b, "pair "...), x, 10), '/'), y, 10)
})

var (
	testReceived = RegisterNum("received ", " bytes", "io.rs")
	testN        = RegisterNum("n=", "", "x.rs")
	testE        = RegisterNum("e", "", "")
	testNew      = RegisterNum("new", "", "")
)

// A note recorded by NoteNum or NoteFmt reads back, through At, Events
// and KindAt, exactly as the same text recorded by Note: kind note, the
// text in Detail, no N or Off, no field strings.
func TestLazyNotesReadBackAsNotes(t *testing.T) {
	lazy, eager := New(), New()
	for _, r := range []*Recorder{lazy, eager} {
		r.SetStep(4, 2)
		r.Enter("f", 0)
	}
	lazy.NoteNum(testReceived, 432)
	eager.Note("received 432 bytes", "io.rs")
	lazy.NoteNum(testN, -7)
	eager.Note("n=-7", "x.rs")
	lazy.NoteFmt(testPairFormat, 3, 1<<40)
	eager.Note("pair 3/1099511627776", "y.rs")
	le, ee := lazy.Events(), eager.Events()
	if len(le) != 3 || len(le) != len(ee) {
		t.Fatalf("%d and %d events", len(le), len(ee))
	}
	for i := range le {
		if le[i] != ee[i] {
			t.Errorf("event %d:\n lazy  %+v\n eager %+v", i, le[i], ee[i])
		}
		if lazy.KindAt(i) != KindNote || lazy.At(i) != le[i] {
			t.Errorf("event %d: KindAt %v, At %+v", i, lazy.KindAt(i), lazy.At(i))
		}
		if f, from, to := lazy.TransitionAt(i); f != 0 || from != 0 || to != 0 {
			t.Errorf("event %d: TransitionAt %d %d %d", i, f, from, to)
		}
	}
	// reading a note again finds its text: no allocation
	if n := testing.AllocsPerRun(10, func() { _ = lazy.At(0); _ = lazy.At(2) }); n != 0 {
		t.Errorf("At of a note read before allocates %.0f times", n)
	}
}

// A resumed recording compares a lazy note's numbers: the same note
// replays, another number is a divergence.
func TestLazyNotesReplay(t *testing.T) {
	record := func(n int64) *Recorder {
		r := New()
		r.NoteNum(testReceived, 1)
		r.NoteFmt(testPairFormat, 1, n)
		return r
	}
	for _, tc := range []struct {
		n        int64
		diverged int
	}{{2, -1}, {3, 1}} {
		r := New()
		r.Resume(record(2), 2)
		r.NoteNum(testReceived, 1)
		r.NoteFmt(testPairFormat, 1, tc.n)
		if r.Diverged() != tc.diverged {
			t.Errorf("second number %d: diverged at %d, want %d", tc.n, r.Diverged(), tc.diverged)
		}
		if got := r.At(1).Detail; got != "pair 1/2" {
			t.Errorf("replayed note reads %q", got)
		}
	}
}

// Spans are found again through enter's cache however they are named: the
// same text at another address is the same span, and a cache entry left
// by another tree (Resume swaps the tree) is never taken for a match.
func TestEnterCache(t *testing.T) {
	r := New()
	name := "pollRead"
	other := strings.Clone(name)
	r.Enter("loop", 1)
	r.Enter(name, 0)
	a := r.cur
	r.Exit()
	r.Enter(other, 0)
	if r.cur != a {
		t.Fatalf("%q at another address: span %d, want %d", other, r.cur, a)
	}
	r.Exit()
	r.Exit()
	r.Enter("loop", 2)
	r.Enter(name, 0)
	if r.cur == a || r.SpanString(r.cur) != "loop#2/pollRead" {
		t.Fatalf("under loop#2: span %d %q", r.cur, r.SpanString(r.cur))
	}
	r.Exit()
	r.Exit()

	old := New()
	old.Enter("x", 0)
	old.Enter("y", 0)
	old.Exit()
	old.Exit()
	old.Enter("loop", 1) // node 3 in old's tree; "loop#1" is node 1 in r's
	old.Exit()
	old.Note("n", "")
	fresh := New()
	fresh.Enter("loop", 1)
	fresh.Exit()
	fresh.Resume(old, 1)
	fresh.Enter("loop", 1)
	if got := fresh.SpanString(fresh.cur); got != "loop#1" {
		t.Fatalf("after Resume, entering loop#1 gives span %d %q", fresh.cur, got)
	}
}

// Blocks fill to their capacity: events across the growing first block
// and later ones, after a Reset too, read back in order.
func TestNextSlotAcrossBlocks(t *testing.T) {
	r := New()
	for round := 0; round < 2; round++ {
		n := blockSize*2 + firstBlock + 3
		for i := 0; i < n; i++ {
			r.NoteNum(testE, int64(i))
		}
		if r.Len() != n {
			t.Fatalf("round %d: %d events, want %d", round, r.Len(), n)
		}
		for _, i := range []int{0, firstBlock - 1, firstBlock, blockSize - 1, blockSize, 2 * blockSize, n - 1} {
			if got := r.At(i).Detail; got != "e"+strconv.Itoa(i) {
				t.Fatalf("round %d: event %d reads %q", round, i, got)
			}
		}
		r.Reset()
	}
}

// A recorder that recorded events of its own before Resume records the
// events after the replayed ones into the blocks it took over, not into
// the block it was filling before.
func TestResumeThenRecord(t *testing.T) {
	old := New()
	for i := 0; i < 20; i++ {
		old.NoteNum(testE, int64(i))
	}
	r := New()
	for i := 0; i < 10; i++ {
		r.NoteNum(testE, int64(i))
	}
	r.Resume(old, 20)
	for i := 10; i < 20; i++ {
		r.NoteNum(testE, int64(i))
	}
	r.NoteNum(testNew, 20)
	if r.Diverged() != -1 || r.Len() != 21 {
		t.Fatalf("diverged %d, %d events", r.Diverged(), r.Len())
	}
	for i := 0; i < 21; i++ {
		want := "e" + strconv.Itoa(i)
		if i == 20 {
			want = "new20"
		}
		if got := r.At(i).Detail; got != want {
			t.Errorf("event %d reads %q, want %q", i, got, want)
		}
	}
}

// A string whose text the table holds at another address is found through
// the address cache too (its entry keeps its bytes alive), with the same id.
func TestRecentCachesCopies(t *testing.T) {
	in := newInterner()
	id := in.id("field")
	cp := strings.Clone("field")
	if got := in.id(cp); got != id {
		t.Fatalf("copy: id %d, want %d", got, id)
	}
	if got := in.peek(cp); got != id {
		t.Fatalf("copy not in the address cache: peek %d, want %d", got, id)
	}
	if in.peek(strings.Clone("field")) != missing {
		t.Fatal("another copy, never looked up, found in the address cache")
	}
}

// Each block is allocated once, full-size (only the first grows, from
// firstBlock): recording blocks events costs about one allocation a
// block, however the list of blocks grew.
func TestBlocksAllocatedOnce(t *testing.T) {
	const blocks = 40
	allocs := testing.AllocsPerRun(3, func() {
		r := New()
		for i := 0; i < blocks*blockSize; i++ {
			r.Record(KindIter, "", "", "", int64(i))
		}
	})
	// the blocks, the first block's growth to blockSize, the list's
	// growth, the recorder
	if want := float64(blocks + 4 + 8 + 8); allocs > want {
		t.Fatalf("%.0f allocations for %d blocks, want at most %.0f", allocs, blocks, want)
	}
}
