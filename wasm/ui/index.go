package ui

import (
	"cmp"
	"slices"
	"strings"

	"github.com/connlab/connlab/engine/poll"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
	"github.com/connlab/connlab/engine/trace"
)

// index is what the panels need from the whole timeline, kept up to date
// as its events grow (not built per step): the streams and their
// dissection, the io boundaries, where the engine's reads reached, and
// the events of a few kinds that panels look back for. A long session's
// run extends it slice by slice, reading only the events and bytes the
// slice added (extend), so its end costs no rebuild; a change of the
// events themselves (a fork, a send, a load) starts a new one.
type index struct {
	n                  int // the events it covers
	spans              int // the timeline's wire spans it covers
	toServer, toClient []byte
	dissect            *growingDissect
	segIn, segOut      []Segment
	cutsIn, cutsOut    []int64
	// reads of each stream by the engine, in event order: at the cursor,
	// the engine has read up to the Hi of the last one at or before it
	readIn, readOut []streamMark
	// every io event's bytes of each stream, in event order: the wire
	// panel's window shows the last moved at the cursor (wireView.moved)
	movedIn, movedOut []streamMark
	// transitions of the main connection, per field
	trans    map[string][]int32
	upgrades []int32
	frames   []int32
	errors   []int32
	timers   []int32 // timer events (armed, reset, cleared, fired)
	mainTask int32   // 0: every task is the main connection's
	result   *session.Result
}

// streamMark is an offset in a stream as of an io event: how far the
// engine had read it (readIn, readOut: a read's Hi), or where the event's
// bytes start (movedIn, movedOut: its Lo).
type streamMark struct {
	event int
	off   int64
}

// index is the panels' index of the timeline as it is now.
func (m *Model) index() *index {
	x := m.idx
	if x == nil {
		x = &index{trans: map[string][]int32{}, dissect: newGrowingDissect()}
		if m.TL.File().RunMode() == session.ModeBoth {
			x.mainTask = 1 // the server connection is spawned first
		}
		m.idx = x
	}
	if x.n != m.TL.Len() {
		x.extend(m.TL)
	}
	return x
}

// extend adds the events recorded since the index was last extended, and
// the bytes they moved.
func (x *index) extend(tl *timeline.Timeline) {
	x.result = nil
	x.toServer, x.toClient = tl.Wire()
	x.segIn, x.segOut = x.dissect.update(x.toServer, x.toClient, !tl.Running())
	spans := tl.WireSpans()
	var newIn, newOut []int64
	for _, sp := range spans[x.spans:] {
		if sp.Stream == "to_server" {
			newIn = append(newIn, sp.Lo, sp.Hi)
			x.movedIn = append(x.movedIn, streamMark{sp.Event, sp.Lo})
			if sp.Op == "read" {
				x.readIn = append(x.readIn, streamMark{sp.Event, sp.Hi})
			}
		} else {
			newOut = append(newOut, sp.Lo, sp.Hi)
			x.movedOut = append(x.movedOut, streamMark{sp.Event, sp.Lo})
			if sp.Op == "read" {
				x.readOut = append(x.readOut, streamMark{sp.Event, sp.Hi})
			}
		}
	}
	x.spans = len(spans)
	x.cutsIn = mergeSet(x.cutsIn, newIn)
	x.cutsOut = mergeSet(x.cutsOut, newOut)
	n := tl.Len()
	for i := x.n; i < n; i++ {
		switch tl.KindAt(i) {
		case trace.KindTransition, trace.KindUpgrade, trace.KindFrame, trace.KindError, trace.KindTimer:
		default:
			continue // not built: most events are none of these
		}
		e := tl.Event(i)
		switch e.Kind {
		case trace.KindTransition:
			if x.mainTask == 0 || e.Task == x.mainTask {
				x.trans[e.Field] = append(x.trans[e.Field], int32(i))
			}
		case trace.KindUpgrade:
			if e.Name != "drop" { // an OnUpgrade dropped is no handoff
				x.upgrades = append(x.upgrades, int32(i))
			}
		case trace.KindFrame:
			x.frames = append(x.frames, int32(i))
		case trace.KindError:
			x.errors = append(x.errors, int32(i))
		case trace.KindTimer:
			x.timers = append(x.timers, int32(i))
		}
	}
	x.n = n
}

// mergeSet adds b to the sorted set a. The io boundaries a slice adds
// come after almost all of those before it (each stream's reads and
// writes move forward), so only the tail of a that b reaches into is
// merged, not the whole set again.
func mergeSet(a, b []int64) []int64 {
	if len(b) == 0 {
		return a
	}
	b = sortedSet(b)
	p, _ := slices.BinarySearch(a, b[0])
	if p == len(a) {
		return append(a, b...)
	}
	tail := append([]int64(nil), a[p:]...)
	a = a[:p]
	i, j := 0, 0
	for i < len(tail) || j < len(b) {
		var v int64
		switch {
		case j == len(b) || i < len(tail) && tail[i] < b[j]:
			v, i = tail[i], i+1
		case i == len(tail) || b[j] < tail[i]:
			v, j = b[j], j+1
		default: // the same boundary in both
			v, i, j = tail[i], i+1, j+1
		}
		a = append(a, v)
	}
	return a
}

// armedAt is the timers armed after event c (name and deadline, in ms
// since the session started), in the order they were armed.
func (x *index) armedAt(tl *timeline.Timeline, c int) []armedTimer {
	var out []armedTimer
	for _, i := range x.timers {
		if int(i) > c {
			break
		}
		e := tl.Event(int(i))
		for k := 0; k < len(out); k++ {
			if out[k].name == e.Detail {
				out = append(out[:k], out[k+1:]...)
				k--
			}
		}
		if e.Name == "arm" || e.Name == "reset" {
			out = append(out, armedTimer{e.Detail, e.N - session.EpochMillis})
		}
	}
	return out
}

type armedTimer struct {
	name     string
	deadline int64 // ms since the session started
}

// readAt is how far the engine had read a stream at event c (-1: the
// engine does not read this stream; the person does).
func readAt(marks []streamMark, c int) int64 {
	if len(marks) == 0 {
		return -1
	}
	off, _ := markAt(marks, c)
	return off
}

// movedAt is where the bytes the last io event at or before event c
// moved start in their stream, or -1 when none has.
func movedAt(marks []streamMark, c int) int64 {
	if off, ok := markAt(marks, c); ok {
		return off
	}
	return -1
}

// markAt is the offset of the last mark at or before event c, and
// whether there is one (0, false: none).
func markAt(marks []streamMark, c int) (int64, bool) {
	// the first mark after event c
	j, _ := slices.BinarySearchFunc(marks, c+1, func(m streamMark, event int) int { return cmp.Compare(m.event, event) })
	if j == 0 {
		return 0, false
	}
	return marks[j-1].off, true
}

// lastBefore is the last event in evs at or before c, or -1.
func lastBefore(evs []int32, c int) int {
	// the first event after c
	j, _ := slices.BinarySearch(evs, int32(c+1))
	if j == 0 {
		return -1
	}
	return int(evs[j-1])
}

// result is the session's outcome at the end of the timeline.
func (x *index) resultOf(tl *timeline.Timeline) session.Result {
	if x.result == nil {
		r := tl.Session().Result()
		x.result = &r
	}
	return *x.result
}

type pollWait = poll.Wait

// wokenBy reports whether one of a's wakers is b's doing: a waker is
// described by who fires it ("the client writing to c→s"), and b's name
// starts with its role ("client program").
func wokenBy(a, b pollWait) bool {
	role, _, _ := strings.Cut(b.Name, " ")
	if role == "" {
		return false
	}
	for _, w := range a.WokenBy {
		if strings.Contains(w, " "+role+" ") || strings.HasPrefix(w, role+" ") {
			return true
		}
	}
	return false
}

// sortedSet sorts a and drops duplicates.
func sortedSet(a []int64) []int64 {
	heapSort(a)
	out := a[:0]
	for i, v := range a {
		if i == 0 || v != a[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// heapSort sorts a in place in O(n log n) time. It stands in for
// slices.Sort, whose pdqsort instantiation is the only generic sort the
// browser's wasm would link (5.5 KB of brotli download, measured).
func heapSort(a []int64) {
	for i := len(a)/2 - 1; i >= 0; i-- {
		siftDown(a, i, len(a))
	}
	for end := len(a) - 1; end > 0; end-- {
		a[0], a[end] = a[end], a[0]
		siftDown(a, 0, end)
	}
}

// siftDown moves a[i] down the max-heap a[:n] to its place.
func siftDown(a []int64, i, n int) {
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && a[c+1] > a[c] {
			c++
		}
		if a[i] >= a[c] {
			return
		}
		a[i], a[c] = a[c], a[i]
		i = c
	}
}
