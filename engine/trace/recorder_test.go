package trace_test

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/connlab/connlab/engine/trace"
)

func TestNilRecorderIsNoop(t *testing.T) {
	var r *trace.Recorder
	use := func() {
		r.SetStep(3, 2)
		r.Enter("Dispatcher.pollLoop", 2)
		r.Call("pollRead", "conn.rs")
		r.Add(trace.Event{Kind: trace.KindIO, Name: "read", N: 10})
		r.Transition("reading", "Init", "Body", "conn.rs")
		r.Note("read eof", "io.rs")
		r.Ret("pollRead", "ready")
		r.Exit()
		r.Reset()
		_ = r.SpanString(1)
		_ = r.Len()
		_ = r.Events()
		_ = r.Enabled()
	}
	use()
	if r.Enabled() || r.Len() != 0 || r.Events() != nil || r.SpanString(1) != "" {
		t.Fatal("nil recorder reports something")
	}
	if allocs := testing.AllocsPerRun(100, use); allocs != 0 {
		t.Fatalf("nil recorder allocates %.1f times per run", allocs)
	}
}

func TestTransitionSkipsUnchanged(t *testing.T) {
	r := trace.New()
	for _, tc := range []struct {
		from, to string
		recorded bool
	}{
		{"Init", "Init", false},
		{"Init", "Body", true},
		{"", "", false},
		{"", "KeepAlive", true},
		{"Closed", "Closed", false},
	} {
		before := r.Len()
		r.Transition("reading", tc.from, tc.to, "conn.rs §12")
		if got := r.Len() - before; got != map[bool]int{false: 0, true: 1}[tc.recorded] {
			t.Fatalf("%s->%s: %d events", tc.from, tc.to, got)
		}
		if tc.recorded {
			e := r.Events()[r.Len()-1]
			if e.Kind != trace.KindTransition || e.Field != "reading" || e.From != tc.from || e.To != tc.to || e.Ref != "conn.rs §12" {
				t.Fatalf("event %+v", e)
			}
		}
	}
}

func TestCallRetSpans(t *testing.T) {
	r := trace.New()
	r.SetStep(1, 1)
	r.Call("Dispatcher.pollLoop", "dispatch.rs")
	r.Enter("iter", 2)
	r.Call("pollRead", "")
	r.Call("Conn.pollReadHead", "")
	r.Note("parsed", "")
	r.Ret("Conn.pollReadHead", "ready")
	r.Ret("pollRead", "ready")
	r.Exit() // iter#2
	r.Enter("iter", 3)
	r.Call("pollRead", "")
	r.Ret("pollRead", "pending")
	r.Exit()
	r.Ret("Dispatcher.pollLoop", "pending")
	r.Exit() // already at the root: no-op
	r.Note("outside", "")

	type row struct {
		kind trace.Kind
		name string
		span string
	}
	var got []row
	for _, e := range r.Events() {
		got = append(got, row{e.Kind, e.Name + e.Detail, r.SpanString(e.Span)})
	}
	want := []row{
		{trace.KindCall, "Dispatcher.pollLoop", "Dispatcher.pollLoop"},
		{trace.KindCall, "pollRead", "Dispatcher.pollLoop/iter#2/pollRead"},
		{trace.KindCall, "Conn.pollReadHead", "Dispatcher.pollLoop/iter#2/pollRead/Conn.pollReadHead"},
		{trace.KindNote, "parsed", "Dispatcher.pollLoop/iter#2/pollRead/Conn.pollReadHead"},
		{trace.KindRet, "Conn.pollReadHeadready", "Dispatcher.pollLoop/iter#2/pollRead/Conn.pollReadHead"},
		{trace.KindRet, "pollReadready", "Dispatcher.pollLoop/iter#2/pollRead"},
		{trace.KindCall, "pollRead", "Dispatcher.pollLoop/iter#3/pollRead"},
		{trace.KindRet, "pollReadpending", "Dispatcher.pollLoop/iter#3/pollRead"},
		{trace.KindRet, "Dispatcher.pollLooppending", "Dispatcher.pollLoop"},
		{trace.KindNote, "outside", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("spans\n%v\nwant\n%v", got, want)
	}
	if r.Events()[9].Span != 0 {
		t.Fatal("after the last Ret the recorder is not at the root")
	}
	// The same path in a later step is interned to the same node; SetStep
	// returns to the root even from inside a span.
	first := r.Events()[1].Span
	r.SetStep(2, 1)
	r.Call("Dispatcher.pollLoop", "")
	r.Enter("iter", 2)
	r.Call("pollRead", "")
	if e := r.Events()[r.Len()-1]; e.Span != first {
		t.Fatalf("same path got span %d, want %d", e.Span, first)
	}
	r.SetStep(3, 1)
	r.Note("root", "")
	if e := r.Events()[r.Len()-1]; e.Span != 0 || r.SpanString(e.Span) != "" {
		t.Fatalf("SetStep did not reset the span: %d", e.Span)
	}
	if r.SpanString(-1) != "" || r.SpanString(10_000) != "" {
		t.Fatal("SpanString of an unknown id")
	}
}

func TestSeqStepTaskFilled(t *testing.T) {
	r := trace.New()
	var seen []int
	r.OnEvent = func(seq int) { seen = append(seen, seq) }
	r.Note("before any step", "")
	r.SetStep(1, 4)
	r.Add(trace.Event{Kind: trace.KindPoll, Name: "conn", Seq: 99, Step: 99, Task: 99, Span: 99})
	r.SetStep(2, 7)
	r.Add(trace.Event{Kind: trace.KindIO, Name: "read"})
	r.Add(trace.Event{Kind: trace.KindIO, Name: "write"})

	type row struct{ seq, step, task int32 }
	var got []row
	for _, e := range r.Events() {
		got = append(got, row{e.Seq, e.Step, e.Task})
		if e.Span != 0 {
			t.Fatalf("span %d, want root", e.Span)
		}
	}
	if want := []row{{0, 0, 0}, {1, 1, 4}, {2, 2, 7}, {3, 2, 7}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if !reflect.DeepEqual(seen, []int{0, 1, 2, 3}) {
		t.Fatalf("OnEvent saw %v", seen)
	}
	if !r.Enabled() || r.Len() != 4 {
		t.Fatal("Enabled/Len")
	}
	// Reset drops events, keeps the span tree; Seq starts again at 0.
	r.Call("f", "")
	span := r.Events()[r.Len()-1].Span
	r.Reset()
	if r.Len() != 0 || r.SpanString(span) != "f" {
		t.Fatalf("after Reset: %d events, span %q", r.Len(), r.SpanString(span))
	}
	r.Note("again", "")
	if e := r.Events()[0]; e.Seq != 0 || e.Span != span {
		t.Fatalf("after Reset: %+v", e)
	}
}

func TestKindStrings(t *testing.T) {
	want := []string{"poll", "iter", "call", "ret", "transition", "io", "wake", "yield",
		"timer", "queue", "body", "upgrade", "error", "note", "frame"}
	seen := map[string]bool{}
	k := trace.Kind(1)
	for ; k.String() != "unknown"; k++ {
		s := k.String()
		if seen[s] {
			t.Fatalf("kind %d repeats name %q", k, s)
		}
		seen[s] = true
		back, ok := trace.KindFromString(s)
		if !ok || back != k {
			t.Fatalf("KindFromString(%q) = %d, %v; want %d", s, back, ok, k)
		}
	}
	if int(k)-1 != len(want) {
		t.Fatalf("%d kinds, want %d", int(k)-1, len(want))
	}
	for i, s := range want {
		if got := trace.Kind(i + 1).String(); got != s {
			t.Errorf("Kind(%d) = %q, want %q", i+1, got, s)
		}
	}
	if trace.KindNote.String() != "note" || trace.KindPoll.String() != "poll" {
		t.Fatal("named constants")
	}
	for _, s := range []string{"", "unknown", "Poll", "bogus"} {
		if k, ok := trace.KindFromString(s); ok {
			t.Errorf("KindFromString(%q) = %d, true", s, k)
		}
	}
	for _, k := range []trace.Kind{0, 200, 255} {
		if k.String() != "unknown" {
			t.Errorf("Kind(%d) = %q", k, k.String())
		}
	}
}

func TestAddDoesNotAllocateOnceGrown(t *testing.T) {
	r := trace.New()
	r.Call("f", "")
	for i := 0; i < 1024; i++ {
		r.Add(trace.Event{Kind: trace.KindIO})
	}
	r.Reset()
	allocs := testing.AllocsPerRun(100, func() {
		r.Add(trace.Event{Kind: trace.KindIO, Name: "read", N: 1})
		r.Transition("reading", "Init", "Body", "")
		r.Enter("iter", 1)
		r.Exit()
	})
	if allocs != 0 {
		t.Fatalf("%.1f allocations per run with a grown recorder", allocs)
	}
}

func BenchmarkRecorderAdd(b *testing.B) {
	for _, bc := range []struct {
		name string
		r    *trace.Recorder
	}{{"nil", nil}, {"on", trace.New()}} {
		b.Run(bc.name, func(b *testing.B) {
			r := bc.r
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if i&4095 == 0 {
					r.Reset()
				}
				r.Add(trace.Event{Kind: trace.KindIO, Name: "read", N: int64(i)})
			}
		})
	}
}

// Events survive the first block's growth and the block boundaries.
func TestEventsAcrossBlocks(t *testing.T) {
	r := trace.New()
	const n = 10000
	names := make([]string, 300)
	for i := range names {
		names[i] = "ev" + strconv.Itoa(i)
	}
	for i := 0; i < n; i++ {
		r.Add(trace.Event{Kind: trace.KindIO, Name: names[i%len(names)], N: int64(i)})
	}
	if r.Len() != n {
		t.Fatalf("Len %d, want %d", r.Len(), n)
	}
	for i := 0; i < n; i++ {
		e := r.At(i)
		if e.N != int64(i) || e.Name != names[i%len(names)] {
			t.Fatalf("event %d: N %d name %q", i, e.N, e.Name)
		}
	}
}

// testReading is a typed field registered for the tests, as engine/h1
// registers its state's fields.
var testReading = trace.RegisterField(200, "reading", func(v uint8) string {
	return [...]string{"Init", "Continue", "Body"}[v]
})

var testRef = trace.RegisterRef("conn.rs")

// TestTypedTransition: a transition keeps its typed field and values, and
// reads back with the names its field's registration gives them, through
// At and TransitionAt; an unchanged value is not recorded, and other
// events carry zeros.
func TestTypedTransition(t *testing.T) {
	r := trace.New()
	r.TypedTransition(testReading, 0, 2, testRef)
	r.TypedTransition(testReading, 2, 2, testRef)
	r.Add(trace.Event{Kind: trace.KindIO, Name: "read", N: 3})
	if r.Len() != 2 {
		t.Fatalf("Len %d, want 2 (the unchanged value is not a transition)", r.Len())
	}
	e := r.At(0)
	want := trace.Event{Kind: trace.KindTransition, FieldID: 200, FromID: 0, ToID: 2, Field: "reading", From: "Init", To: "Body", Ref: "conn.rs"}
	if e != want || r.KindAt(0) != trace.KindTransition {
		t.Fatalf("event %+v, want %+v", e, want)
	}
	if f, from, to := r.TransitionAt(0); f != 200 || from != 0 || to != 2 {
		t.Fatalf("TransitionAt(0) = %d %d %d", f, from, to)
	}
	if f, from, to := r.TransitionAt(1); f != 0 || from != 0 || to != 0 {
		t.Fatalf("TransitionAt(1) of an io event = %d %d %d", f, from, to)
	}
	if n := testing.AllocsPerRun(10, func() { _ = r.At(0) }); n != 0 {
		t.Errorf("At of a typed transition allocates %.0f times", n)
	}
	var nilRec *trace.Recorder
	nilRec.TypedTransition(testReading, 0, 2, testRef)
}

// A field id is registered once.
func TestRegisterFieldTwicePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("registering field 200 again did not panic")
		}
	}()
	trace.RegisterField(200, "again", func(uint8) string { return "" })
}

// TestKindNames: every kind has its own name, and KindFromString inverts it.
func TestKindNames(t *testing.T) {
	seen := map[string]bool{}
	for k := trace.KindPoll; k <= trace.KindFrame; k++ {
		s := k.String()
		if s == "unknown" || seen[s] {
			t.Errorf("kind %d: name %q", k, s)
		}
		seen[s] = true
		if back, ok := trace.KindFromString(s); !ok || back != k {
			t.Errorf("KindFromString(%q) = %v, %v", s, back, ok)
		}
	}
	if trace.Kind(0).String() != "unknown" || trace.Kind(200).String() != "unknown" {
		t.Errorf("out of range kinds: %q %q", trace.Kind(0), trace.Kind(200))
	}
}

// TestStepRuns: an event's step and task, kept once a poll rather than in
// every event, read back as SetStep set them: before any SetStep, across
// steps that record nothing, a Reset in the middle of a step and a
// resumed recording whose replay ends in the middle of one; a step that
// records nothing keeps no run.
func TestStepRuns(t *testing.T) {
	type st struct{ step, task int32 }
	var want []st
	r := trace.New()
	note := func(s, k int32) {
		r.Note("x", "conn.rs")
		want = append(want, st{s, k})
	}
	check := func(what string) {
		t.Helper()
		if r.Len() != len(want) {
			t.Fatalf("%s: %d events, want %d", what, r.Len(), len(want))
		}
		for i := len(want) - 1; i >= 0; i-- { // backwards, then forwards
			if e := r.At(i); e.Step != want[i].step || e.Task != want[i].task || r.TaskAt(i) != want[i].task {
				t.Fatalf("%s: event %d in step %d task %d, want %+v", what, i, e.Step, e.Task, want[i])
			}
		}
		for i := range want {
			if e := r.At(i); e.Step != want[i].step || e.Task != want[i].task {
				t.Fatalf("%s: event %d in step %d task %d, want %+v", what, i, e.Step, e.Task, want[i])
			}
		}
	}
	note(0, 0)
	r.SetStep(1, 1)
	r.SetStep(2, 2) // records nothing
	r.SetStep(3, 5)
	note(3, 5)
	r.SetStep(3, 5)
	note(3, 5)
	for s := 4; s < 1000; s++ {
		r.SetStep(s, int32(s%7)) // nothing recorded
	}
	r.SetStep(1000, 1)
	note(1000, 1)
	check("recorded")
	if n := trace.StepRuns(r); n > 3 {
		t.Errorf("%d step runs for 3 steps that recorded", n)
	}
	r.Reset()
	want = want[:0]
	note(1000, 1)
	r.SetStep(1001, 2)
	note(1001, 2)
	check("after a Reset")

	script := func(r *trace.Recorder) {
		r.SetStep(1, 1)
		for i := 0; i < 5000; i++ {
			r.Note("x", "conn.rs")
		}
		r.SetStep(2, 3)
		r.Note("y", "conn.rs")
	}
	for _, n := range []int{0, 1, 4096, 5000, 5001} {
		old := trace.New()
		script(old)
		r = trace.New()
		r.Resume(old, n)
		script(r)
		if d := r.Diverged(); d != -1 {
			t.Fatalf("resumed at %d: diverged at %d", n, d)
		}
		want = want[:0]
		for i := 0; i < 5000; i++ {
			want = append(want, st{1, 1})
		}
		want = append(want, st{2, 3})
		check("resumed at " + strconv.Itoa(n))
	}
	old := trace.New()
	script(old)
	r = trace.New()
	r.Resume(old, 5001)
	r.SetStep(1, 1)
	for i := 0; i < 5000; i++ {
		r.Note("x", "conn.rs")
	}
	r.SetStep(2, 4) // another task
	r.Note("y", "conn.rs")
	if d := r.Diverged(); d != 5000 {
		t.Fatalf("a re-run whose last event is another task's diverged at %d, want 5000", d)
	}
}
