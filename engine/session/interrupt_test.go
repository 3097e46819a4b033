package session

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/poll"
)

// A long session for the interrupt hook: a 2 000-byte body read byte by byte.
func longSession(t *testing.T) *File {
	t.Helper()
	body := strings.Repeat("x", 2000)
	f, err := ParseBytes([]byte(`{"version": 1, "handler": "echo", "transport": {"read_chunk": 1},
		"input": [{"send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n` + body + `"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestInterruptCutsTheRun(t *testing.T) {
	stop := errors.New("stop")
	s := New(longSession(t), Options{})
	var calls []int
	s.Interrupt = func(steps int) error {
		calls = append(calls, steps)
		if steps >= 3*InterruptEvery {
			return stop
		}
		return nil
	}
	if err := s.Run(); err != stop {
		t.Fatalf("Run: %v, want the interrupt's error", err)
	}
	if got := s.Ex.Steps(); got != 3*InterruptEvery {
		t.Errorf("cut after %d steps, want %d", got, 3*InterruptEvery)
	}
	for _, n := range calls {
		if n%InterruptEvery != 0 {
			t.Errorf("Interrupt called at step %d, not a multiple of %d", n, InterruptEvery)
		}
	}
}

func TestInterruptThatNeverFiresChangesNothing(t *testing.T) {
	plain := New(longSession(t), Options{Trace: true})
	if err := plain.Run(); err != nil {
		t.Fatal(err)
	}
	if plain.Ex.Steps() < 2*InterruptEvery {
		t.Fatalf("the session takes %d steps: too short to test the hook", plain.Ex.Steps())
	}
	hooked := New(longSession(t), Options{Trace: true})
	n := 0
	hooked.Interrupt = func(int) error { n++; return nil }
	if err := hooked.Run(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Error("Interrupt was never called")
	}
	if !bytes.Equal(plain.ToClient(), hooked.ToClient()) || plain.Text() != hooked.Text() {
		t.Error("a hook that never interrupts changed the run")
	}
}

// TestInterruptedRunKeepsItsBudget: a run cut by Interrupt and continued
// by calling RunUntilIdle again (a host running a session in slices) runs
// out of its step budget at the same step as a run done at once, not a
// budget later per slice.
func TestInterruptedRunKeepsItsBudget(t *testing.T) {
	budgeted := func() *Session {
		f := longSession(t)
		f.StepBudget = 3*InterruptEvery + 100
		return New(f, Options{})
	}
	whole := budgeted()
	werr := whole.Run()
	var be *poll.ErrBudget
	if !errors.As(werr, &be) {
		t.Fatalf("the run at once: %v, want a budget error", werr)
	}

	pause := errors.New("pause")
	sliced := budgeted()
	next := InterruptEvery // the first cut inside the input's run, not before it
	sliced.Interrupt = func(steps int) error {
		if steps >= next {
			next = steps + InterruptEvery
			return pause
		}
		return nil
	}
	err := sliced.Run() // cut inside the first input
	slices := 1
	for err == pause {
		err = sliced.RunUntilIdle()
		slices++
	}
	if !errors.As(err, &be) {
		t.Fatalf("the run in %d slices: %v, want a budget error", slices, err)
	}
	if slices < 3 {
		t.Fatalf("only %d slices: the test does not continue a cut run", slices)
	}
	if sliced.Ex.Steps() != whole.Ex.Steps() {
		t.Fatalf("the run in slices stopped after %d steps, the run at once after %d", sliced.Ex.Steps(), whole.Ex.Steps())
	}
}

// TestInterruptSteps: with InterruptSteps set, Interrupt is called that
// often instead of every InterruptEvery steps.
func TestInterruptSteps(t *testing.T) {
	s := New(longSession(t), Options{})
	s.InterruptSteps = 3
	var calls []int
	s.Interrupt = func(steps int) error {
		calls = append(calls, steps)
		return nil
	}
	if err := s.Run(); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 10 {
		t.Fatalf("%d calls in %d steps", len(calls), s.Ex.Steps())
	}
	for i, n := range calls {
		if n != 3*i {
			t.Fatalf("call %d at step %d, want %d", i, n, 3*i)
		}
	}
}
