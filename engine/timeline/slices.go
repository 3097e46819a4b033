package timeline

import (
	"errors"

	"github.com/connlab/connlab/engine/session"
)

// A long session in slices. A page cannot run a million events at once
// without freezing, so a timeline can run its input log a slice at a time:
// Start builds it, Continue records about so many events more and returns, Progress says how far it has come, Cancel stops it. The engine
// stays deterministic: a slice ends at a count of executor steps (through
// the session's Interrupt hook, at a count of events, never a clock), and a
// run in slices records
// exactly the events of a run at once (TestSlicedRunIsTheSame).

// ErrCancelled is Err after Cancel stopped a run before its end.
var ErrCancelled = errors.New("the run was cancelled: the events up to there are kept; no later input was applied")

// errRunning is Append's refusal while the input log still runs.
var errRunning = errors.New("session: the input log is still running: wait for it, or cancel it, before sending more")

// errSlice cuts a run until idle at a slice's end.
var errSlice = errors.New("end of slice")

// begin sets the run up to apply the first n inputs of the log.
func (t *Timeline) begin(n int) {
	t.running, t.started, t.cut = true, false, false
	t.target = n
	t.err = nil
}

// Continue runs the input log on until about events more events are
// recorded (it stops between two executor steps, so a slice records at
// least one step's events; events <= 0: to the end) and reports whether the
// run is over: every input applied, or Err stopped it. The events so far
// are all viewable between slices.
func (t *Timeline) Continue(events int) (done bool) {
	if !t.running {
		return true
	}
	s := t.s
	if events > 0 {
		t.sliceEnd = s.Rec.Len() + events
		s.InterruptSteps, s.Interrupt = 1, t.endOfSlice
	}
	done = t.runOn()
	s.Interrupt, s.InterruptSteps = nil, 0
	if t.cursor < 0 && t.Len() > 0 {
		t.cursor = 0
	}
	return done
}

// endOfSlice is the session's Interrupt hook during a slice.
func (t *Timeline) endOfSlice(int) error {
	if t.s.Rec.Len() >= t.sliceEnd {
		return errSlice
	}
	return nil
}

// runOn runs until the slice ends (false) or the run is over (true).
func (t *Timeline) runOn() bool {
	s := t.s
	for {
		var err error
		switch {
		case t.cut:
			// go on with the cut run. Only a run inside an input is ever
			// cut: the engine is idle when an input is applied, so
			// Apply's first run until idle takes no step.
			err = s.RunUntilIdle()
		case !t.started:
			t.started = true
			err = s.RunUntilIdle()
		case len(t.inputStart) < t.target:
			t.inputStart = append(t.inputStart, s.Rec.Len())
			t.inputMark = append(t.inputMark, t.c.mark())
			t.movedAt = t.moved()
			err = s.Apply(t.file.Input[len(t.inputStart)-1])
		default:
			t.running = false
			return true
		}
		t.c.catchUp()
		t.cut = err == errSlice
		if t.cut {
			return false
		}
		if err != nil {
			t.err = err
			t.running = false
			return true
		}
	}
}

// Running reports whether the input log is still being run (Start, then
// Continue until it returns true).
func (t *Timeline) Running() bool { return t.running }

// Cancel stops a run that is not over where it is: the events so far stay,
// Err is ErrCancelled, and, as after a run stopped by its step budget, no
// more input applies (Fork from an earlier event still does).
func (t *Timeline) Cancel() {
	if !t.running {
		return
	}
	t.running, t.cut = false, false
	t.err = ErrCancelled
}

// Progress is how far the run of the input log has come, done out of
// total: a send counts its bytes, any other input one; a send being run
// counts the bytes that entered the connection so far.
func (t *Timeline) Progress() (done, total int64) {
	for i := 0; i < t.target && i < len(t.file.Input); i++ {
		total += inputWeight(t.file.Input[i])
	}
	k := len(t.inputStart) // inputs begun
	for i := 0; i < k-1; i++ {
		done += inputWeight(t.file.Input[i])
	}
	if k > 0 {
		w := inputWeight(t.file.Input[k-1])
		if !t.running {
			done += w
		} else {
			done += min(w-1, t.moved()-t.movedAt)
		}
	}
	if !t.running && t.err == nil {
		done = total
	}
	return done, total
}

func inputWeight(in session.Input) int64 {
	if in.Send != nil || in.SendB64 != nil {
		return max(1, int64(in.SendLen()))
	}
	return 1
}

// moved is how many bytes the person's side has written into the
// connection (what sends deliver).
func (t *Timeline) moved() int64 {
	if t.s.Mode == session.ModeClient {
		return t.s.Duplex.ToClient.Written()
	}
	return t.s.Duplex.ToServer.Written()
}
