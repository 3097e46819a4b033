package trace

import (
	"math"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// refRecorder is the recorder written the plain way: every event kept as
// an Event with its strings, spans a list searched from the start, notes
// formatted when recorded. Recorder must read back exactly what it does,
// whichever of its caches, registered shapes and lazy formats an event
// goes through.
type refRecorder struct {
	events     []Event
	nodes      []spanNode // parent, name and iter only
	cur        int32
	step, task int32
}

func newRef() *refRecorder {
	return &refRecorder{nodes: []spanNode{{parent: -1}}}
}

func (r *refRecorder) add(e Event) {
	e.Seq, e.Step, e.Task, e.Span = int32(len(r.events)), r.step, r.task, r.cur
	r.events = append(r.events, e)
}

func (r *refRecorder) enter(name string, iter int) {
	for i := range r.nodes {
		if n := &r.nodes[i]; n.parent == r.cur && n.name == name && n.iter == int32(iter) {
			r.cur = int32(i)
			return
		}
	}
	r.nodes = append(r.nodes, spanNode{parent: r.cur, name: name, iter: int32(iter)})
	r.cur = int32(len(r.nodes) - 1)
}

func (r *refRecorder) exit() {
	if r.cur != 0 {
		r.cur = r.nodes[r.cur].parent
	}
}

var (
	refNumA = RegisterNum("received ", " bytes", "io.rs Buffered::poll_read_from_io")
	refNumB = RegisterNum("Request.parse Complete(", ")", "")
	refFmt  = RegisterFormat("io.rs WriteBuf::buffer", func(b []byte, x, y int64) []byte {
		return strconv.AppendInt(append(strconv.AppendInt(append(b, "buffer.flatten self.len="...), x, 10), " buf.len="...), y, 10)
	})
	refValues = [...]string{"Init", "Body", "KeepAlive", "Closed"}
	refField  = RegisterField(201, "writing", func(v uint8) string { return refValues[v] })
)

// TestRecorderMatchesReference drives Recorder and refRecorder with the
// same random calls, over several storage blocks and Resets, with strings
// that are constants, copies of constants (another address, the same
// text), text built at run time and empty, and compares every event.
// refRefs are registered refs for TypedTransition: none, and texts that
// other events record as strings too (the same ids).
var refRefs = []RefID{0, RegisterRef("conn.rs Conn::poll_read_head §12.10.1"), RegisterRef("conn.rs"), RegisterRef("pending")}

// refSites are registered events (RecordAt) and the Events they stand
// for: strings other events record too, and empty ones.
var (
	refSiteEvents = []Event{
		{Kind: KindQueue, Name: "in_flight", Detail: "set", Ref: "conn.rs"},
		{Kind: KindIter, Ref: "dispatch.rs Dispatcher::poll_loop §12.5"},
		{Kind: KindNote, Detail: "Conn::read_head", Ref: "conn.rs Conn::poll_read_head §12.10.1"},
		{Kind: KindTimer, Name: "arm", Detail: "pending"},
	}
	refSites = func() (s []EventSite) {
		for _, e := range refSiteEvents {
			s = append(s, RegisterEvent(e.Kind, e.Name, e.Detail, e.Ref))
		}
		return s
	}()
)

// refIOs are registered IO events (IOAt) and the Events they stand for.
var (
	refIOEvents = []Event{
		{Kind: KindIO, Field: "server", Name: "write"},
		{Kind: KindIO, Field: "client", Name: "read", Detail: "eof"},
	}
	refIOs = func() (s []EventSite) {
		for _, e := range refIOEvents {
			s = append(s, RegisterIO(e.Field, e.Name, e.Detail))
		}
		return s
	}()
)

// refCalls are registered calls (CallAt) and the Events they stand for:
// two of one name with different refs, and names Call records too.
var (
	refCallEvents = []Event{
		{Kind: KindCall, Name: "pollRead", Ref: "conn.rs"},
		{Kind: KindCall, Name: "pollRead", Ref: "pending"},
		{Kind: KindCall, Name: "Dispatcher.poll"},
		{Kind: KindCall, Name: "pollWrite", Ref: "conn.rs Conn::poll_read_head §12.10.1"},
	}
	refCalls = func() (s []CallSite) {
		for _, e := range refCallEvents {
			s = append(s, RegisterCall(e.Name, e.Ref))
		}
		return s
	}()
)

// edgeNums are numbers just inside and just outside 32 bits, signed and
// unsigned, and the ends of 64.
var edgeNums = []int64{0, 1, -1, math.MaxInt32, math.MaxInt32 + 1, math.MinInt32, math.MinInt32 - 1,
	math.MaxUint32, math.MaxUint32 + 1, -math.MaxUint32 - 1, math.MaxInt64, math.MinInt64}

func TestRecorderMatchesReference(t *testing.T) {
	consts := []string{"", "reading", "Init", "Body", "conn.rs Conn::poll_read_head §12.10.1", "pollRead", "Conn.writeHead", "pending", "server", "write", "in_flight"}
	rng := rand.New(rand.NewSource(19))
	str := func() string {
		s := consts[rng.Intn(len(consts))]
		switch rng.Intn(4) {
		case 0:
			return strings.Clone(s) // same text, another address
		case 1:
			return s + strconv.Itoa(rng.Intn(40)) // built at run time
		}
		return s
	}
	// num is an N or Off: often near the edges of 32 bits, where the
	// store keeps a number in 32 bits or the whole event aside (store.go)
	num := func(small int64) int64 {
		if rng.Intn(3) == 0 {
			return edgeNums[rng.Intn(len(edgeNums))]
		}
		return rng.Int63n(small)
	}
	spanNames := []string{"Dispatcher.poll", "Dispatcher.pollLoop", "pollRead", "pollWrite", strings.Clone("pollRead")}
	for _, seed := range []int64{1, 2, 3} {
		rng.Seed(seed)
		r, ref := New(), newRef()
		check := func(when string) {
			t.Helper()
			if r.Len() != len(ref.events) {
				t.Fatalf("seed %d, %s: %d events, reference %d", seed, when, r.Len(), len(ref.events))
			}
			for i, want := range ref.events {
				if got := r.At(i); got != want {
					t.Fatalf("seed %d, %s: event %d\n got  %+v\n want %+v", seed, when, i, got, want)
				}
			}
			if r.SpanCount() != len(ref.nodes) {
				t.Fatalf("seed %d, %s: %d spans, reference %d", seed, when, r.SpanCount(), len(ref.nodes))
			}
			for id := range ref.nodes {
				p, name, iter, _ := r.SpanNode(int32(id))
				if n := ref.nodes[id]; p != n.parent || name != n.name || iter != int(n.iter) {
					t.Fatalf("seed %d, %s: span %d is %d %q %d, reference %+v", seed, when, id, p, name, iter, n)
				}
			}
		}
		for round := 0; round < 3; round++ {
			for i := 0; i < 3*blockSize; i++ {
				switch op := rng.Intn(18); op {
				case 0:
					step, task := rng.Intn(1000), int32(rng.Intn(4))
					r.SetStep(step, task)
					ref.step, ref.task, ref.cur = int32(step), task, 0
				case 1:
					name, iter := spanNames[rng.Intn(len(spanNames))], rng.Intn(3)
					r.Enter(name, iter)
					ref.enter(name, iter)
				case 2:
					r.Exit()
					ref.exit()
				case 3:
					fn, ref2 := spanNames[rng.Intn(len(spanNames))], str()
					r.Call(fn, ref2)
					ref.enter(fn, 0)
					ref.add(Event{Kind: KindCall, Name: fn, Ref: ref2})
				case 4:
					fn, res := spanNames[rng.Intn(len(spanNames))], str()
					if rng.Intn(3) > 0 && ref.cur != 0 {
						fn = ref.nodes[ref.cur].name // the usual Ret: of the current span
					}
					r.Ret(fn, res)
					ref.add(Event{Kind: KindRet, Name: fn, Detail: res})
					ref.exit()
				case 5:
					e := Event{Kind: Kind(1 + rng.Intn(int(kindCount-1))), Field: str(), From: str(), To: str(), Name: str(), Detail: str(), Ref: str(), N: num(1000) - 10, Off: num(1 << 40)}
					if rng.Intn(2) == 0 {
						e.Off = 0 // the plain layout's, if N fits
					}
					if rng.Intn(2) == 0 {
						e.FieldID, e.FromID, e.ToID = uint8(rng.Intn(5)), uint8(rng.Intn(5)), uint8(rng.Intn(5))
					}
					r.Add(e)
					ref.add(e)
				case 6:
					from, to := str(), str()
					r.Transition("reading", from, to, "conn.rs")
					if from != to {
						ref.add(Event{Kind: KindTransition, Field: "reading", From: from, To: to, Ref: "conn.rs"})
					}
				case 7:
					from, to, rf := uint8(rng.Intn(4)), uint8(rng.Intn(4)), refRefs[rng.Intn(len(refRefs))]
					r.TypedTransition(refField, from, to, rf)
					if from != to {
						ref.add(Event{Kind: KindTransition, FieldID: refField, FromID: from, ToID: to, Field: "writing", From: refValues[from], To: refValues[to], Ref: rf.String()})
					}
				case 8:
					text, rf := str(), str()
					r.Note(text, rf)
					ref.add(Event{Kind: KindNote, Detail: text, Ref: rf})
				case 9:
					text, rf := str(), str()
					r.NoteBytes(append(r.NoteBuf(), text...), rf)
					ref.add(Event{Kind: KindNote, Detail: text, Ref: rf})
				case 10:
					n := num(2000) - 1000
					if rng.Intn(2) == 0 {
						r.NoteNum(refNumA, n)
						ref.add(Event{Kind: KindNote, Detail: "received " + strconv.FormatInt(n, 10) + " bytes", Ref: "io.rs Buffered::poll_read_from_io"})
					} else {
						r.NoteNum(refNumB, n)
						ref.add(Event{Kind: KindNote, Detail: "Request.parse Complete(" + strconv.FormatInt(n, 10) + ")"})
					}
				case 11:
					a, b := num(100), num(100)
					r.NoteFmt(refFmt, a, b)
					ref.add(Event{Kind: KindNote, Detail: "buffer.flatten self.len=" + strconv.FormatInt(a, 10) + " buf.len=" + strconv.FormatInt(b, 10), Ref: "io.rs WriteBuf::buffer"})
				case 12:
					k, name, detail, rf, n := Kind(1+rng.Intn(int(kindCount-1))), str(), str(), str(), num(1<<62)
					r.Record(k, name, detail, rf, n)
					ref.add(Event{Kind: k, Name: name, Detail: detail, Ref: rf, N: n})
				case 13:
					end, op, detail, n, off := str(), str(), str(), num(1<<20), num(1<<40)
					r.IO(end, op, n, off, detail)
					ref.add(Event{Kind: KindIO, Field: end, Name: op, Detail: detail, N: n, Off: off})
				case 15:
					site, n := rng.Intn(len(refSites)), num(1<<62)
					r.RecordAt(refSites[site], n)
					e := refSiteEvents[site]
					e.N = n
					ref.add(e)
				case 16:
					// the same span names as Call's, so that a span is entered
					// through a site, by Call, and through another site
					site := rng.Intn(len(refCalls))
					r.CallAt(refCalls[site])
					c := refCallEvents[site]
					ref.enter(c.Name, 0)
					ref.add(c)
				case 17:
					site, n, off := rng.Intn(len(refIOs)), num(1<<20), num(1<<40)
					r.IOAt(refIOs[site], n, off)
					e := refIOEvents[site]
					e.N, e.Off = n, off
					ref.add(e)
				case 14:
					if rng.Intn(200) == 0 {
						check("before a Reset")
						r.Reset()
						ref.events = ref.events[:0]
					}
				}
			}
			check("round " + strconv.Itoa(round))
		}
	}
}
