package trace_test

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/connlab/connlab/engine/trace"
)

// scriptQueue and scriptWrite are registered events script records
// (RecordAt, IOAt).
var (
	scriptQueue = trace.RegisterEvent(trace.KindQueue, "in_flight set", "in_flight", "dispatch.rs Server::recv_msg")
	scriptWrite = trace.RegisterIO("server", "write", "")
)

// scriptCall is a registered call script records (CallAt).
var scriptCall = trace.RegisterCall("pollRead", "conn.rs")

// script records a deterministic run of k steps; a step of "odd" records
// a different note at step odd (to make a run that diverges).
func script(r *trace.Recorder, k, odd int) {
	for s := 0; s < k; s++ {
		r.SetStep(s, int32(s%3))
		r.Enter("Dispatcher.poll", 0)
		r.CallAt(scriptCall)
		n := int64(s * 10)
		if s == odd {
			n++
		}
		r.Add(trace.Event{Kind: trace.KindIO, Name: "read", Field: "server", N: n, Off: int64(s)})
		r.RecordAt(scriptQueue, n)
		r.IOAt(scriptWrite, 2, n)
		b := append(r.NoteBuf(), "read "...)
		b = strconv.AppendInt(b, int64(s), 10)
		r.NoteBytes(b, "io.rs")
		r.Ret("pollRead", "ready")
		r.Exit()
	}
}

// TestResume: a recorder that resumes another's first n events holds the
// same events as one that recorded everything, calls OnEvent only for the
// events after n, and reports no divergence; a re-run that differs is
// reported at its first differing event.
func TestResume(t *testing.T) {
	const steps = 3000 // several storage blocks
	full := trace.New()
	script(full, steps, -1)
	want := full.Events()
	spans := make([]string, len(want))
	for i, e := range want {
		spans[i] = full.SpanString(e.Span)
	}

	for _, n := range []int{0, 1, 4095, 4096, 4097, 7000, len(want)} {
		old := trace.New()
		script(old, steps, -1)
		r := trace.New()
		r.Resume(old, n)
		var hooked []int
		r.OnEvent = func(seq int) { hooked = append(hooked, seq) }
		if n > 0 && !r.Replaying() {
			t.Fatalf("n=%d: not replaying after Resume", n)
		}
		script(r, steps, -1)
		if r.Replaying() || r.Diverged() != -1 {
			t.Fatalf("n=%d: replaying %v, diverged at %d", n, r.Replaying(), r.Diverged())
		}
		got := r.Events()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("n=%d: %d events differ from a full recording's %d", n, len(got), len(want))
		}
		for i, e := range got {
			if s := r.SpanString(e.Span); s != spans[i] {
				t.Fatalf("n=%d: event %d span %q, want %q", n, i, s, spans[i])
			}
		}
		if len(hooked) != len(want)-n || (len(hooked) > 0 && hooked[0] != n) {
			t.Fatalf("n=%d: OnEvent called %d times from %v, want %d from %d", n, len(hooked), hooked[:min(1, len(hooked))], len(want)-n, n)
		}
	}

	// a re-run that differs at step 500 (its io event is the second of the
	// step's six)
	old := trace.New()
	script(old, steps, -1)
	r := trace.New()
	r.Resume(old, 7000)
	script(r, steps, 500)
	if d := r.Diverged(); d != 500*6+1 {
		t.Fatalf("Diverged %d, want %d", d, 500*6+1)
	}

	// events recorded before Resume (while the engine was built) are
	// compared too: the first differs from old's (a call)
	old = trace.New()
	script(old, steps, -1)
	r = trace.New()
	r.Add(trace.Event{Kind: trace.KindPoll})
	r.Resume(old, 100)
	if d := r.Diverged(); d != 0 {
		t.Fatalf("an event recorded before Resume that differs: Diverged %d, want 0", d)
	}
	script(r, 2, -1) // records on by itself
	if r.Len() != 1+2*6 {
		t.Fatalf("after a divergence before Resume: %d events, want %d", r.Len(), 1+2*6)
	}
}

// TestPairOffs (named for the word From and To once shared with Off, which
// the wide list replaced): an event with From or To strings is kept whole
// in the recorder's wide list, its Off with it (store.go): it reads back
// whole, before and after a Reset and in a resumed recording, and a re-run
// that differs only in such an Off is reported at that event.
func TestPairOffs(t *testing.T) {
	run := func(r *trace.Recorder, k int, odd int) {
		for s := 0; s < k; s++ {
			r.SetStep(s, 1)
			off := int64(s % 3 * 1 << 40)
			if s == odd {
				off++
			}
			r.Add(trace.Event{Kind: trace.KindTransition, Field: "f", From: "a" + strconv.Itoa(s%5), To: "b", N: 7, Off: off})
			r.Add(trace.Event{Kind: trace.KindIO, Name: "read", N: 1, Off: int64(s)})
		}
	}
	const k = 5000 // several storage blocks
	check := func(r *trace.Recorder, what string) {
		t.Helper()
		if r.Len() != 2*k {
			t.Fatalf("%s: %d events, want %d", what, r.Len(), 2*k)
		}
		for s := 0; s < k; s++ {
			e, io := r.At(2*s), r.At(2*s+1)
			if e.Kind != trace.KindTransition || e.From != "a"+strconv.Itoa(s%5) || e.To != "b" || e.Field != "f" || e.N != 7 || e.Off != int64(s%3*1<<40) {
				t.Fatalf("%s: event %d reads back %+v", what, 2*s, e)
			}
			if io.Kind != trace.KindIO || io.From != "" || io.To != "" || io.Off != int64(s) {
				t.Fatalf("%s: event %d reads back %+v", what, 2*s+1, io)
			}
		}
	}
	r := trace.New()
	run(r, k, -1)
	check(r, "recorded")
	r.Reset()
	run(r, k, -1)
	check(r, "after a Reset")

	for _, n := range []int{0, 1, 2 * k / 3, 2 * k} {
		old := trace.New()
		run(old, k, -1)
		re := trace.New()
		re.Resume(old, n)
		run(re, k, -1)
		if d := re.Diverged(); d != -1 {
			t.Fatalf("resumed at %d: diverged at %d", n, d)
		}
		check(re, "resumed at "+strconv.Itoa(n))
	}
	old := trace.New()
	run(old, k, -1)
	re := trace.New()
	re.Resume(old, 2*k)
	run(re, k, 1234)
	if d := re.Diverged(); d != 2*1234 {
		t.Fatalf("a re-run whose event %d's Off differs diverged at %d", 2*1234, d)
	}
}
