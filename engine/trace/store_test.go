package trace

import (
	"math"
	"testing"
	"unsafe"
)

// TestStoredSize: an event is kept in 24 bytes (what a long recording
// writes per event; store.go).
func TestStoredSize(t *testing.T) {
	if n := unsafe.Sizeof(stored{}); n != 24 {
		t.Fatalf("stored is %d bytes, want 24", n)
	}
}

// TestStoredLayouts records each recording method's common shape with
// numbers at the edges of 32 bits and checks that the event reads back
// whole and is kept in the layout meant for it: in its slot while its
// numbers fit, in the wide list when they do not.
func TestStoredLayouts(t *testing.T) {
	type tc struct {
		name   string
		record func(r *Recorder)
		want   Event
		layout Kind
	}
	var cases []tc
	for _, v := range edgeNums {
		fits := fits32(v)
		wideIf := func(wide bool, l Kind) Kind {
			if wide {
				return layWide
			}
			return l
		}
		cases = append(cases,
			tc{"Record n", func(r *Recorder) { r.Record(KindQueue, "in_flight", "set", "dispatch.rs", v) },
				Event{Kind: KindQueue, Name: "in_flight", Detail: "set", Ref: "dispatch.rs", N: v}, wideIf(!fits, layPlain)},
			tc{"Record deadline", func(r *Recorder) { r.Record(KindTimer, "arm", "header read", "", v) },
				Event{Kind: KindTimer, Name: "arm", Detail: "header read", N: v}, map[bool]Kind{true: layPlain, false: layLong}[fits]},
			tc{"IO n", func(r *Recorder) { r.IO("server", "write", v, 7, "") },
				Event{Kind: KindIO, Field: "server", Name: "write", N: v, Off: 7}, wideIf(!fits, layIO)},
			tc{"IO off", func(r *Recorder) { r.IO("server", "read", 5, v, "eof") },
				Event{Kind: KindIO, Field: "server", Name: "read", Detail: "eof", N: 5, Off: v}, wideIf(!fits, map[bool]Kind{true: layPlain, false: layIO}[v == 0])},
			tc{"Add n", func(r *Recorder) {
				r.Add(Event{Kind: KindFrame, Field: "in", Name: "text", Detail: "fin", Ref: "RFC 6455", N: v})
			},
				Event{Kind: KindFrame, Field: "in", Name: "text", Detail: "fin", Ref: "RFC 6455", N: v}, wideIf(!fits, layPlain)},
			tc{"Add off with a ref", func(r *Recorder) { r.Add(Event{Kind: KindIO, Name: "read", Ref: "io.rs", N: 1, Off: v}) },
				Event{Kind: KindIO, Name: "read", Ref: "io.rs", N: 1, Off: v}, wideIf(v != 0, layPlain)},
			tc{"NoteNum", func(r *Recorder) { r.NoteNum(refNumA, v) },
				r0Note("received "+itoa(v)+" bytes", "io.rs Buffered::poll_read_from_io"), kindLazyNum},
			tc{"RecordAt", func(r *Recorder) { r.RecordAt(refSites[0], v) },
				Event{Kind: KindQueue, Name: "in_flight", Detail: "set", Ref: "conn.rs", N: v}, kindLazyEvent},
			tc{"IOAt", func(r *Recorder) { r.IOAt(refIOs[1], v, -v) },
				Event{Kind: KindIO, Field: "client", Name: "read", Detail: "eof", N: v, Off: -v}, kindLazyEvent},
			tc{"NoteFmt", func(r *Recorder) { r.NoteFmt(refFmt, v, -v) },
				r0Note("buffer.flatten self.len="+itoa(v)+" buf.len="+itoa(-v), "io.rs WriteBuf::buffer"), kindLazyFmt},
		)
	}
	// (the "IO off" of 0: "eof" is a new string, so the slow path records
	// it, and keeps an Off of 0 in the plain layout)
	cases = append(cases,
		tc{"Transition with strings", func(r *Recorder) { r.Transition("reading", "Init", "Body", "conn.rs") },
			Event{Kind: KindTransition, Field: "reading", From: "Init", To: "Body", Ref: "conn.rs"}, layWide},
		tc{"Add with typed ids", func(r *Recorder) { r.Add(Event{Kind: KindTransition, FieldID: 3, FromID: 1, ToID: 2, Field: "f"}) },
			Event{Kind: KindTransition, FieldID: 3, FromID: 1, ToID: 2, Field: "f"}, layWide},
		tc{"CallAt", func(r *Recorder) { r.CallAt(refCalls[1]) },
			Event{Kind: KindCall, Name: "pollRead", Ref: "pending", Span: 1}, kindLazyCall},
		tc{"TypedTransition", func(r *Recorder) { r.TypedTransition(refField, 3, 1, refRefs[1]) },
			Event{Kind: KindTransition, FieldID: refField, FromID: 3, ToID: 1, Field: "writing", From: "Closed", To: "Body", Ref: refRefs[1].String()}, kindLazyTyped},
	)
	for _, c := range cases {
		r := New()
		r.SetStep(4, 2)
		r.Record(KindIter, "", "", "", 1) // a plain event before, whose slot must not change
		c.record(r)
		r.Record(KindIter, "", "", "", 2) // and one after
		want := c.want
		want.Seq, want.Step, want.Task = 1, 4, 2
		if got := r.At(1); got != want {
			t.Errorf("%s %d: read back\n got  %+v\n want %+v", c.name, c.want.N, got, want)
		}
		for i, n := range []int64{1, 0, 2} {
			if i != 1 && r.At(i).N != n {
				t.Errorf("%s %d: event %d has N %d, want %d", c.name, c.want.N, i, r.At(i).N, n)
			}
		}
		if f, a, b := r.TransitionAt(1); f != want.FieldID || a != want.FromID || b != want.ToID {
			t.Errorf("%s: TransitionAt %d %d %d, want %d %d %d", c.name, f, a, b, want.FieldID, want.FromID, want.ToID)
		}
		if r.KindAt(1) != want.Kind {
			t.Errorf("%s: KindAt %v, want %v", c.name, r.KindAt(1), want.Kind)
		}
		if l := r.blocks[0][1].layout(); l != c.layout {
			t.Errorf("%s (%+v): layout %#x, want %#x", c.name, c.want, uint8(l), uint8(c.layout))
		}
		if wide := len(r.wide) == 1; wide != (c.layout == layWide) {
			t.Errorf("%s %d: %d wide events", c.name, c.want.N, len(r.wide))
		}
	}
}

// wideScript records steps events, every third kept wide (a number past
// 32 bits, a transition recorded with strings, an Off beside a Ref); at
// step odd, a wide event's N or Off differs (a run that diverges).
func wideScript(r *Recorder, steps, odd int) {
	for s := 0; s < steps; s++ {
		r.SetStep(s, 1)
		switch n := int64(s) << 32; s % 3 {
		case 0:
			if s == odd {
				n++
			}
			r.Record(KindTimer, "arm", "keep-alive", "conn.rs", n)
		case 1:
			r.Transition("reading", "Init", "Body"+itoa(int64(s%7)), "conn.rs")
			off := int64(s)
			if s == odd {
				off++
			}
			r.Add(Event{Kind: KindIO, Name: "read", Ref: "io.rs", N: 1, Off: off})
		default:
			r.IO("server", "read", int64(s), int64(s), "")
		}
	}
}

// TestResumeWide: a recorder that resumes another's first n events takes
// the wide events among them (and only those: its own wide events follow),
// compares a replayed wide event by its N, and reads back the same events
// as one that recorded everything.
func TestResumeWide(t *testing.T) {
	const steps = 9000 // several storage blocks
	full := New()
	wideScript(full, steps, -1)
	want := full.Events()
	for _, n := range []int{0, 1, 2, 3, 4096, 4097, 6001, steps} {
		old := New()
		wideScript(old, steps, -1)
		r := New()
		r.Resume(old, n)
		wideScript(r, steps, -1)
		if r.Diverged() != -1 {
			t.Fatalf("n=%d: diverged at %d", n, r.Diverged())
		}
		if len(r.wide) != len(full.wide) {
			t.Fatalf("n=%d: %d wide events, want %d", n, len(r.wide), len(full.wide))
		}
		for i, e := range r.Events() {
			if e != want[i] {
				t.Fatalf("n=%d: event %d\n got  %+v\n want %+v", n, i, e, want[i])
			}
		}
	}
	for _, odd := range []int{3000, 3001} { // N, Off
		old := New()
		wideScript(old, steps, -1)
		r := New()
		r.Resume(old, old.Len())
		wideScript(r, steps, odd)
		// events 0..odd-1: steps 0..odd-1, 4 of them every 3 steps
		first := odd/3*4 + []int{0, 1}[odd%3]
		if odd%3 == 1 {
			first++ // the Add after the step's transition
		}
		if r.Diverged() != first {
			t.Fatalf("step %d's wide event differs: diverged at %d, want %d", odd, r.Diverged(), first)
		}
	}
}

func r0Note(text, ref string) Event { return Event{Kind: KindNote, Detail: text, Ref: ref} }

func itoa(v int64) string {
	if v == math.MinInt64 {
		return "-9223372036854775808"
	}
	if v < 0 {
		return "-" + itoa(-v)
	}
	if v < 10 {
		return string(rune('0' + v))
	}
	return itoa(v/10) + string(rune('0'+v%10))
}
