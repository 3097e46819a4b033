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

// index is what the panels need from the whole timeline, computed once per
// change of its events (not per step): the streams and their dissection,
// the io boundaries, where the engine's reads reached, and the events of
// a few kinds that panels look back for.
type index struct {
	toServer, toClient []byte
	segIn, segOut      []Segment
	cutsIn, cutsOut    []int64
	// reads of each stream by the engine, in event order: at the cursor,
	// the engine has read up to the Hi of the last one at or before it
	readIn, readOut []readMark
	// transitions of the main connection, per field
	trans    map[string][]int32
	upgrades []int32
	frames   []int32
	errors   []int32
	timers   []int32 // timer events (armed, reset, cleared, fired)
	mainTask int32   // 0: every task is the main connection's
	result   *session.Result
}

type readMark struct {
	event int
	hi    int64
}

func (m *Model) index() *index {
	if m.idx != nil {
		return m.idx
	}
	tl := m.TL
	x := &index{trans: map[string][]int32{}}
	x.toServer, x.toClient = tl.Wire()
	x.segIn, x.segOut = Dissect(x.toServer, x.toClient)
	for _, sp := range tl.WireSpans() {
		if sp.Stream == "to_server" {
			x.cutsIn = append(x.cutsIn, sp.Lo, sp.Hi)
			if sp.Op == "read" {
				x.readIn = append(x.readIn, readMark{sp.Event, sp.Hi})
			}
		} else {
			x.cutsOut = append(x.cutsOut, sp.Lo, sp.Hi)
			if sp.Op == "read" {
				x.readOut = append(x.readOut, readMark{sp.Event, sp.Hi})
			}
		}
	}
	x.cutsIn = sortedSet(x.cutsIn)
	x.cutsOut = sortedSet(x.cutsOut)
	if tl.File().RunMode() == session.ModeBoth {
		x.mainTask = 1 // the server connection is spawned first
	}
	n := tl.Len()
	for i := 0; i < n; i++ {
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
	m.idx = x
	return x
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
func readAt(marks []readMark, c int) int64 {
	if len(marks) == 0 {
		return -1
	}
	// the first mark after event c
	j, _ := slices.BinarySearchFunc(marks, c+1, func(m readMark, event int) int { return cmp.Compare(m.event, event) })
	if j == 0 {
		return 0
	}
	return marks[j-1].hi
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
		r := tl.Session().Transcript(false).Result
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
