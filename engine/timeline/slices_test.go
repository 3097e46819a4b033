package timeline

import (
	"errors"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/session"
)

// runSliced runs f a slice of steps at a time and checks Progress on the
// way: never backwards, never past the total, the total at the end.
func runSliced(t *testing.T, f *session.File, steps int) (*Timeline, int) {
	t.Helper()
	tl, err := Start(f)
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	slices := 0
	for !tl.Continue(steps) {
		slices++
		if !tl.Running() {
			t.Fatal("Continue says the run goes on, Running says it does not")
		}
		done, total := tl.Progress()
		if done < last || done > total {
			t.Fatalf("progress %d of %d after %d (slice %d)", done, total, last, slices)
		}
		last = done
	}
	if tl.Running() {
		t.Fatal("the run is over but Running says it is not")
	}
	if done, total := tl.Progress(); tl.Err() == nil && done != total {
		t.Fatalf("progress at the end %d of %d", done, total)
	}
	return tl, slices
}

// TestSlicedRunIsTheSame: every scenario, a long pipelined session and
// one that runs out of its step budget, run in slices of about 500
// events, record exactly what a run at once records.
func TestSlicedRunIsTheSame(t *testing.T) {
	files := map[string]*session.File{"big": bigSession(400)}
	// a body read a byte at a time: a step or two a byte, over the budget
	budget, err := session.ParseBytes([]byte(`{"version": 1, "handler": "echo", "transport": {"read_chunk": 1}, "step_budget": 600,
		"input": [{"send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n` + strings.Repeat("x", 2000) + `"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	files["budget"] = budget
	for _, path := range scenarioFiles(t) {
		files[path] = newTimeline(t, path).File()
	}
	cut := 0
	for name, f := range files {
		whole, err := New(f)
		if err != nil {
			t.Fatal(err)
		}
		sliced, n := runSliced(t, f, 500)
		cut += n
		sameTimeline(t, name+" in slices", sliced, whole)
		if sliced.Cursor() != whole.Cursor() {
			t.Fatalf("%s: cursor %d, want %d", name, sliced.Cursor(), whole.Cursor())
		}
		if name == "budget" {
			var be *poll.ErrBudget
			if !errors.As(sliced.Err(), &be) {
				t.Fatalf("budget: err %v, want the step budget's", sliced.Err())
			}
		}
		if name == "big" && n < 10 {
			t.Fatalf("big: %d slices: the run was not cut", n)
		}
	}
	if cut == 0 {
		t.Fatal("no run was cut into slices")
	}
}

// TestCancelKeepsAConsistentTimeline: a run cancelled half way keeps its
// events and views, says why it stopped, refuses more input, and forks
// from an earlier event as a fresh run of that input log would.
func TestCancelKeepsAConsistentTimeline(t *testing.T) {
	f := bigSession(400)
	whole, _ := New(f)
	tl, err := Start(f)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		if tl.Continue(500) {
			t.Fatal("the run ended within 20 slices: too short to cancel")
		}
	}
	done, total := tl.Progress()
	if done <= 0 || done >= total {
		t.Fatalf("progress %d of %d half way", done, total)
	}
	n := tl.Len()
	tl.Cancel()
	if tl.Running() || !errors.Is(tl.Err(), ErrCancelled) {
		t.Fatalf("after Cancel: running %v, err %v", tl.Running(), tl.Err())
	}
	if !tl.Continue(500) || tl.Len() != n {
		t.Fatal("Continue ran on after Cancel")
	}
	if n == 0 || n >= whole.Len() {
		t.Fatalf("%d events kept of %d", n, whole.Len())
	}
	sameTimelinePrefix(t, "cancelled", tl, whole, n)
	if err := tl.Append(f.Input[0]); !errors.Is(err, ErrCancelled) {
		t.Fatalf("Append after Cancel: %v, want the cancel named", err)
	}
	at := n / 2
	tl.JumpTo(at)
	k := tl.InputIndexAt(at)
	next := sendInput("GET /fork HTTP/1.1\r\nHost: x\r\n\r\n")
	if err := tl.Fork(next); err != nil {
		t.Fatal(err)
	}
	g := *f
	g.Input = append(append([]session.Input(nil), f.Input[:k+1]...), next)
	fresh, _ := New(&g)
	sameTimeline(t, "fork after cancel", tl, fresh)
}

// TestAppendWhileRunning: input cannot be sent while the log still runs.
func TestAppendWhileRunning(t *testing.T) {
	tl, _ := Start(bigSession(400))
	tl.Continue(500)
	if err := tl.Append(sendInput("GET / HTTP/1.1\r\n\r\n")); err == nil || !tl.Running() {
		t.Fatalf("Append while running: %v", err)
	}
}

// TestForkWhileRunning: a fork from an event of a run still in slices
// ends the run and is the timeline a fresh run of its input log records.
func TestForkWhileRunning(t *testing.T) {
	f := bigSession(400)
	for _, slices := range []int{1, 3, 9, 10, 11} {
		for _, last := range []bool{false, true} {
			tl, _ := Start(f)
			for i := 0; i < slices; i++ {
				tl.Continue(300)
			}
			if !tl.Running() {
				t.Fatal("the run ended too soon")
			}
			at := tl.Len() / 2
			if last {
				at = tl.Len() - 1 // in the input being run
			}
			tl.JumpTo(at)
			k := tl.InputIndexAt(at)
			next := sendInput("GET /fork HTTP/1.1\r\nHost: x\r\n\r\n")
			if err := tl.Fork(next); err != nil {
				t.Fatal(err)
			}
			if tl.Running() {
				t.Fatal("still running after a fork")
			}
			g := *f
			g.Input = append(append([]session.Input(nil), f.Input[:k+1]...), next)
			fresh, _ := New(&g)
			sameTimeline(t, "fork while running", tl, fresh)
		}
	}
}
