package timeline

import (
	"fmt"
	"slices"
	"testing"

	"github.com/connlab/connlab/engine/session"
)

// sameTimeline fails unless a and b show the same everywhere: events,
// views, unit stops, wire spans and bytes, input starts and text.
func sameTimeline(t *testing.T, what string, a, b *Timeline) {
	t.Helper()
	if a.Len() != b.Len() {
		t.Fatalf("%s: %d events, want %d", what, a.Len(), b.Len())
	}
	sameTimelinePrefix(t, what, a, b, a.Len())
	for u := UnitCall; u <= UnitRequest; u++ {
		if !slices.Equal(a.Boundaries(u), b.Boundaries(u)) {
			t.Fatalf("%s: %s stops differ", what, u)
		}
	}
	if !slices.Equal(a.WireSpans(), b.WireSpans()) {
		t.Fatalf("%s: wire spans differ", what)
	}
	ai, ao := a.Wire()
	bi, bo := b.Wire()
	if string(ai) != string(bi) || string(ao) != string(bo) {
		t.Fatalf("%s: wire bytes differ", what)
	}
	if a.Applied() != b.Applied() {
		t.Fatalf("%s: %d inputs applied, want %d", what, a.Applied(), b.Applied())
	}
	for k := 0; k < a.Applied(); k++ {
		if a.InputStart(k) != b.InputStart(k) {
			t.Fatalf("%s: input %d starts at %d, want %d", what, k, a.InputStart(k), b.InputStart(k))
		}
	}
	for i := 0; i < a.Len(); i += max(1, a.Len()/50) {
		if a.Text(i) != b.Text(i) {
			t.Fatalf("%s: text at %d differs:\n%s\n%s", what, i, a.Text(i), b.Text(i))
		}
	}
	if (a.Err() == nil) != (b.Err() == nil) {
		t.Fatalf("%s: err %v, want %v", what, a.Err(), b.Err())
	}
}

// TestForkKeepsThePrefix: a fork at any input of any scenario (each mode)
// is the timeline a fresh run of its input log records, and it took
// snapshots only of the events after the fork point: the prefix was kept,
// not recorded again. Forking with a different input, then appending, then
// forking earlier again stays exact.
func TestForkKeepsThePrefix(t *testing.T) {
	for _, path := range scenarioFiles(t) {
		orig := newTimeline(t, path)
		inputs := orig.File().Input
		if len(inputs) == 0 {
			continue
		}
		for j := -1; j < orig.Applied(); j++ {
			at := 0
			if j >= 0 {
				at = orig.InputStart(j)
			}
			if at >= orig.Len() {
				continue
			}
			tl := newTimeline(t, path)
			tl.JumpTo(at)
			k := tl.InputIndexAt(at) // j, or later when inputs recorded nothing
			kept := tl.InputStart(k + 1)
			if kept < 0 {
				kept = tl.Len()
			}
			before := tl.c.recorded
			next := inputs[len(inputs)-1-(k+1)%len(inputs)] // another input of the log
			err := tl.Fork(next)
			what := fmt.Sprintf("%s fork at input %d", path, k)
			f := *orig.File()
			f.Input = append(append([]session.Input(nil), inputs[:k+1]...), next)
			fresh, ferr := New(&f)
			if ferr != nil {
				t.Fatalf("%s: %v", what, ferr)
			}
			if (err == nil) != (fresh.Err() == nil) {
				t.Fatalf("%s: fork err %v, fresh run's %v", what, err, fresh.Err())
			}
			sameTimeline(t, what, tl, fresh)
			if got, want := tl.c.recorded-before, tl.Len()-kept; k+1 < len(inputs)-1 && got != want {
				t.Fatalf("%s: %d snapshots taken, want %d (the events after %d)", what, got, want, kept)
			}
			if tl.Err() == nil {
				if err := tl.Append(inputs[0]); err == nil {
					fresh.Append(inputs[0])
					sameTimeline(t, what+", then append", tl, fresh)
				}
			}
			tl.JumpTo(0)
			fresh.JumpTo(0)
			tl.Fork(inputs[0])
			fresh.Fork(inputs[0])
			sameTimeline(t, what+", then fork at event 0", tl, fresh)
		}
	}
}

// TestForkReRecordsADivergentReplay: when the re-run does not repeat the
// recording it resumes (here: a different first input), the fork records
// afresh and the timeline is that run's.
func TestForkReRecordsADivergentReplay(t *testing.T) {
	tl := newTimeline(t, scenarioPath("keep-alive"))
	f := *tl.File()
	f.Input = append([]session.Input(nil), f.Input...)
	f.Input[0] = sendInput("GET /other HTTP/1.1\r\nHost: y\r\n\r\n")
	tl.replay(&f, len(f.Input))
	if tl.s.Rec.Diverged() >= 0 {
		t.Fatal("the divergent replay was kept")
	}
	fresh, err := New(&f)
	if err != nil {
		t.Fatal(err)
	}
	sameTimeline(t, "divergent replay", tl, fresh)
}

// TestForkCaptureState: right after a fork's re-run, before its new input,
// the capture is in the state a fresh run's is in at that input (a body
// sender the dispatcher holds is carried over, not forgotten).
func TestForkCaptureState(t *testing.T) {
	held := 0
	for _, name := range []string{"slow-body", "continue-echo", "reset-mid-body", "client-eof-mid-body"} {
		orig := newTimeline(t, scenarioPath(name))
		for n := 0; n < orig.Applied(); n++ {
			tl := newTimeline(t, scenarioPath(name))
			f := *tl.File()
			f.Input = append([]session.Input(nil), f.Input[:n]...)
			tl.replay(&f, n)
			if got, want := tl.c.mark(), orig.inputMark[n]; got != want {
				t.Fatalf("%s: capture state after the re-run of %d inputs %+v, want %+v", name, n, got, want)
			}
			if orig.inputMark[n].mainTx {
				held++
			}
		}
	}
	if held == 0 {
		t.Fatal("no fork point with a held body sender: the test checks nothing")
	}
}
