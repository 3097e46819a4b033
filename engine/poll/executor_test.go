package poll_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// funcTask adapts a function to poll.Task.
type funcTask func(cx *poll.Context) bool

func (f funcTask) Poll(cx *poll.Context) bool { return f(cx) }

// describedTask is a task that says what it waits on in a stall report.
type describedTask struct {
	funcTask
	waiting string
}

func (d describedTask) WaitingOn() string { return d.waiting }

// logger records the names of polled tasks in order.
type logger struct{ log []string }

func (l *logger) add(s string) { l.log = append(l.log, s) }

// yielder returns a task that yields n times (via YieldNow) and then finishes.
func yielder(l *logger, name string, n int) poll.Task {
	left := n
	return funcTask(func(cx *poll.Context) bool {
		l.add(name)
		if left > 0 {
			left--
			poll.YieldNow(cx)
			return false
		}
		return true
	})
}

func TestStepPollsOneTaskInFIFOOrder(t *testing.T) {
	for _, names := range [][]string{
		{"a"},
		{"a", "b", "c"},
		{"z", "y", "x", "w", "v", "u", "t", "s", "r", "q"}, // more than the initial ring of 8
	} {
		t.Run(strings.Join(names, ""), func(t *testing.T) {
			ex := poll.NewExecutor(0, nil)
			l := &logger{}
			ids := make([]poll.TaskID, len(names))
			for i, n := range names {
				n := n
				ids[i] = ex.Spawn(n, funcTask(func(cx *poll.Context) bool { l.add(n); return true }))
				if ids[i] != poll.TaskID(i+1) {
					t.Fatalf("Spawn #%d returned id %d, want %d", i, ids[i], i+1)
				}
			}
			for i := range names {
				if !ex.Runnable() {
					t.Fatalf("step %d: nothing runnable", i)
				}
				if !ex.Step() {
					t.Fatalf("step %d: Step returned false", i)
				}
				if !reflect.DeepEqual(l.log, names[:i+1]) {
					t.Fatalf("after step %d: polled %v, want %v", i+1, l.log, names[:i+1])
				}
				if ex.Steps() != i+1 {
					t.Fatalf("Steps() = %d, want %d", ex.Steps(), i+1)
				}
				if !ex.Done(ids[i]) {
					t.Fatalf("task %q not done after its poll", names[i])
				}
			}
			if ex.Step() {
				t.Fatal("Step returned true with nothing runnable")
			}
			if ex.Runnable() || !ex.AllDone() {
				t.Fatalf("Runnable=%v AllDone=%v at the end", ex.Runnable(), ex.AllDone())
			}
			for i, n := range names {
				if got := ex.TaskName(ids[i]); got != n {
					t.Errorf("TaskName(%d) = %q, want %q", ids[i], got, n)
				}
			}
			if ex.TaskName(0) != "" || ex.TaskName(poll.TaskID(len(names)+1)) != "" || ex.Done(0) {
				t.Error("unknown task ids should have no name and not be done")
			}
		})
	}
}

func TestWakeCoalescesAndIgnoresDoneTasks(t *testing.T) {
	for _, wakes := range []int{1, 2, 5} {
		t.Run(fmt.Sprint(wakes), func(t *testing.T) {
			rec := trace.New()
			ex := poll.NewExecutor(0, rec)
			polls := 0
			var w poll.Waker
			id := ex.Spawn("sleeper", funcTask(func(cx *poll.Context) bool {
				polls++
				w = cx.Waker()
				return polls == 2
			}))
			if n, err := ex.RunUntilIdle(0); n != 1 || err != nil {
				t.Fatalf("first run: %d steps, %v", n, err)
			}
			if w.IsZero() || w.Task() != id {
				t.Fatalf("waker = %+v, want one for task %d", w, id)
			}
			for i := 0; i < wakes; i++ {
				w.Wake()
			}
			if n, err := ex.RunUntilIdle(0); n != 1 || err != nil {
				t.Fatalf("after %d wakes: %d steps, %v; want 1 step", wakes, n, err)
			}
			if polls != 2 || !ex.Done(id) {
				t.Fatalf("polls = %d, done = %v", polls, ex.Done(id))
			}
			// The task is done: waking it again does nothing and is not traced.
			before := rec.Len()
			w.Wake()
			w.Wake()
			if ex.Runnable() || rec.Len() != before {
				t.Fatalf("wake of a done task: Runnable=%v, %d new events", ex.Runnable(), rec.Len()-before)
			}
			if n, _ := ex.RunUntilIdle(0); n != 0 || polls != 2 {
				t.Fatalf("done task polled again: %d steps, %d polls", n, polls)
			}
			wakeEvents := 0
			for _, e := range rec.Events() {
				if e.Kind == trace.KindWake {
					wakeEvents++
					if e.N != int64(id) || e.Detail != "sleeper" {
						t.Errorf("wake event %+v", e)
					}
				}
			}
			if wakeEvents != wakes {
				t.Errorf("%d wake events, want %d", wakeEvents, wakes)
			}
		})
	}
	var zero poll.Waker
	zero.Wake() // must not panic
	if !zero.IsZero() || zero.Task() != 0 {
		t.Error("zero waker should be zero")
	}
}

// A task woken during the poll in which it finishes must not be polled again.
func TestTaskWokenInItsFinalPollIsNotRepolled(t *testing.T) {
	for _, tc := range []struct {
		name  string
		wake  func(cx *poll.Context, s *poll.Slot)
		other bool // spawn a second, runnable task first
	}{
		{"self-wake", func(cx *poll.Context, s *poll.Slot) { cx.Waker().Wake() }, false},
		{"yield", func(cx *poll.Context, s *poll.Slot) { poll.YieldNow(cx) }, true},
		{"slot", func(cx *poll.Context, s *poll.Slot) { s.Register(cx); s.Wake() }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := poll.NewExecutor(0, nil)
			s := poll.NewSlot(ex, "s", "")
			l := &logger{}
			id := ex.Spawn("finisher", funcTask(func(cx *poll.Context) bool {
				l.add("finisher")
				tc.wake(cx, s)
				return true
			}))
			if tc.other {
				ex.Spawn("other", yielder(l, "other", 1))
			}
			n, err := ex.RunUntilIdle(0)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"finisher"}
			if tc.other {
				want = []string{"finisher", "other", "other"}
			}
			if !reflect.DeepEqual(l.log, want) || n != len(want) {
				t.Fatalf("polled %v in %d steps, want %v", l.log, n, want)
			}
			if !ex.Done(id) || ex.Runnable() || ex.Stalled() {
				t.Fatalf("Done=%v Runnable=%v Stalled=%v", ex.Done(id), ex.Runnable(), ex.Stalled())
			}
		})
	}
}

func TestRunUntilIdleCountsSteps(t *testing.T) {
	for _, tc := range []struct {
		yields []int
		budget int
		steps  int
		err    bool
	}{
		{nil, 0, 0, false},
		{[]int{0}, 0, 1, false},
		{[]int{0, 2, 5}, 0, 1 + 3 + 6, false},
		{[]int{0, 2, 5}, 10, 10, false},
		{[]int{0, 2, 5}, 9, 9, true},
		{[]int{100}, 50, 50, true},
		{[]int{3}, 1, 1, true},
	} {
		t.Run(fmt.Sprint(tc.yields, tc.budget), func(t *testing.T) {
			ex := poll.NewExecutor(0, nil)
			l := &logger{}
			for i, y := range tc.yields {
				ex.Spawn(fmt.Sprint(i), yielder(l, fmt.Sprint(i), y))
			}
			n, err := ex.RunUntilIdle(tc.budget)
			if n != tc.steps || len(l.log) != tc.steps || ex.Steps() != tc.steps {
				t.Fatalf("RunUntilIdle = %d (polls %d, Steps %d), want %d", n, len(l.log), ex.Steps(), tc.steps)
			}
			var eb *poll.ErrBudget
			if got := errors.As(err, &eb); got != tc.err {
				t.Fatalf("err = %v, want budget error %v", err, tc.err)
			}
			if tc.err {
				if eb.Steps != tc.budget || !strings.Contains(err.Error(), fmt.Sprint(tc.budget)) {
					t.Fatalf("ErrBudget = %+v (%q), want Steps %d", eb, err, tc.budget)
				}
				if !ex.Runnable() {
					t.Fatal("budget exhausted yet nothing runnable")
				}
			} else if ex.Runnable() || !ex.AllDone() {
				t.Fatal("idle executor still has work")
			}
		})
	}
}

func TestBudgetForeverWakingTask(t *testing.T) {
	ex := poll.NewExecutor(0, nil)
	polls := 0
	ex.Spawn("spin", funcTask(func(cx *poll.Context) bool {
		polls++
		cx.Waker().Wake()
		return false
	}))
	for round := 1; round <= 3; round++ {
		n, err := ex.RunUntilIdle(7)
		var eb *poll.ErrBudget
		if n != 7 || !errors.As(err, &eb) || eb.Steps != 7 {
			t.Fatalf("round %d: %d steps, err %v", round, n, err)
		}
		if polls != 7*round {
			t.Fatalf("round %d: %d polls", round, polls)
		}
	}
	if ex.Stalled() {
		t.Fatal("a spinning task is not a stall")
	}
}

func TestYieldNowRequeuesBehindOthers(t *testing.T) {
	for _, tc := range []struct {
		yields []int
		want   string
	}{
		{[]int{0, 0}, "ab"},
		{[]int{1, 0, 0}, "abca"},
		{[]int{2, 0, 0}, "abcaa"},
		{[]int{1, 1, 0}, "abcab"},
		{[]int{2, 1, 3}, "abcabcacc"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			ex := poll.NewExecutor(0, nil)
			l := &logger{}
			for i, y := range tc.yields {
				name := string(rune('a' + i))
				ex.Spawn(name, yielder(l, name, y))
			}
			if _, err := ex.RunUntilIdle(0); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(l.log, ""); got != tc.want {
				t.Fatalf("poll order %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSpawnFromInsideATask(t *testing.T) {
	ex := poll.NewExecutor(0, nil)
	l := &logger{}
	ex.Spawn("parent", funcTask(func(cx *poll.Context) bool {
		l.add("parent")
		for i := 0; i < 20; i++ { // enough to grow the task table and the ring
			name := fmt.Sprint("child", i)
			cx.Executor().Spawn(name, funcTask(func(*poll.Context) bool { l.add(name); return true }))
		}
		return true
	}))
	n, err := ex.RunUntilIdle(0)
	if err != nil || n != 21 || len(l.log) != 21 || l.log[1] != "child0" || l.log[20] != "child19" {
		t.Fatalf("%d steps, %v, log %v", n, err, l.log)
	}
	if !ex.Done(1) {
		t.Fatal("parent not marked done after spawning")
	}
	if poll.NewContext().Executor() != nil || !poll.NewContext().Waker().IsZero() {
		t.Fatal("NewContext should have no executor and a zero waker")
	}
}

func TestStallReport(t *testing.T) {
	ex := poll.NewExecutor(0, nil)
	read := poll.NewSlot(ex, "c→s read end", "the client writing")
	room := poll.NewSlot(ex, "s→c write end", "")
	tm := ex.Clock().NewTimer("header")

	ex.Spawn("finished", funcTask(func(*poll.Context) bool { return true }))
	reader := ex.Spawn("reader", funcTask(func(cx *poll.Context) bool {
		read.Register(cx)
		room.Register(cx)
		return false
	}))
	ex.Spawn("lost", funcTask(func(*poll.Context) bool { return false }))
	ex.Spawn("describer", describedTask{funcTask(func(*poll.Context) bool { return false }), "a 100 Continue"})
	ex.Spawn("sleeper", funcTask(func(cx *poll.Context) bool { return tm.Poll(cx) }))

	if ex.Stalled() {
		t.Fatal("stalled with runnable tasks")
	}
	if _, err := ex.RunUntilIdle(0); err != nil {
		t.Fatal(err)
	}
	if !ex.Stalled() {
		t.Fatal("not stalled: nothing runnable, no timer armed, tasks pending")
	}
	if read.Waiting() != reader || room.Waiting() != reader || read.Name() != "c→s read end" {
		t.Fatalf("slots hold %d/%d", read.Waiting(), room.Waiting())
	}
	want := []poll.Wait{
		{Task: 2, Name: "reader", WaitsOn: []string{"c→s read end", "s→c write end"}, WokenBy: []string{"the client writing"}},
		{Task: 3, Name: "lost"},
		{Task: 4, Name: "describer", WaitsOn: []string{"a 100 Continue"}},
		{Task: 5, Name: "sleeper", WaitsOn: []string{"timer header"}, WokenBy: []string{"the virtual clock advancing"}},
	}
	got := ex.StallReport()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("StallReport =\n%#v\nwant\n%#v", got, want)
	}
	wantText := `task 2 "reader" waits on c→s read end, s→c write end (woken by the client writing)
task 3 "lost" waits on 
task 4 "describer" waits on a 100 Continue
task 5 "sleeper" waits on timer header (woken by the virtual clock advancing)
`
	if text := poll.FormatStall(got); text != wantText {
		t.Fatalf("FormatStall =\n%s\nwant\n%s", text, wantText)
	}

	// An armed timer means the clock can still make progress: not a stall.
	tm.Reset(50)
	if ex.Stalled() {
		t.Fatal("stalled with an armed timer")
	}
	tm.Clear()
	if !ex.Stalled() {
		t.Fatal("Clear should disarm the timer")
	}

	// Waking the slot clears it: the reader no longer waits on it.
	read.Wake()
	if read.Waiting() != 0 || !ex.Runnable() || ex.Stalled() {
		t.Fatalf("after wake: slot holds %d, Runnable=%v", read.Waiting(), ex.Runnable())
	}
	room.Clear()
	if _, err := ex.RunUntilIdle(0); err != nil {
		t.Fatal(err)
	}
	if ws := ex.StallReport(); !reflect.DeepEqual(ws[0].WaitsOn, []string{"c→s read end", "s→c write end"}) {
		t.Fatalf("reader re-registered: %v", ws[0].WaitsOn)
	}
}

// scenario runs a small system of tasks that wake one another through slots,
// a timer and yields, and returns the poll order and the trace.
func scenario() ([]string, []trace.Event) {
	rec := trace.New()
	ex := poll.NewExecutor(1_000, rec)
	l := &logger{}
	ping := poll.NewSlot(ex, "ping", "")
	pong := poll.NewSlot(ex, "pong", "")
	tm := ex.Clock().NewTimer("t")
	var state int
	ex.Spawn("p", funcTask(func(cx *poll.Context) bool {
		l.add("p")
		if state >= 6 {
			return true
		}
		if state%2 == 0 {
			state++
			pong.Wake()
		}
		ping.Register(cx)
		return false
	}))
	ex.Spawn("q", funcTask(func(cx *poll.Context) bool {
		l.add("q")
		if state >= 6 {
			return true
		}
		if state%2 == 1 {
			state++
			ping.Wake()
			poll.YieldNow(cx)
			return false
		}
		pong.Register(cx)
		return false
	}))
	ex.Spawn("s", funcTask(func(cx *poll.Context) bool {
		l.add("s")
		if !tm.Armed() {
			tm.Reset(ex.Clock().Now() + 10)
		}
		if tm.Poll(cx) {
			state = 6
			ping.Wake()
			pong.Wake()
			return true
		}
		return false
	}))
	ex.RunUntilIdle(0)
	ex.Clock().Advance(10)
	ex.RunUntilIdle(0)
	return l.log, append([]trace.Event(nil), rec.Events()...)
}

func TestDeterministicReplay(t *testing.T) {
	order1, ev1 := scenario()
	order2, ev2 := scenario()
	if !reflect.DeepEqual(order1, order2) {
		t.Fatalf("poll orders differ:\n%v\n%v", order1, order2)
	}
	if !reflect.DeepEqual(ev1, ev2) {
		t.Fatal("traces differ between identical runs")
	}
	want := "p q s p q p q p q s"
	if got := strings.Join(order1, " "); got != want {
		t.Fatalf("poll order %q, want %q", got, want)
	}
	// The trace's poll events follow the same order, with steps numbered
	// from 1 and the task id filled in.
	var polls []string
	step := int32(0)
	for _, e := range ev1 {
		if e.Kind != trace.KindPoll {
			continue
		}
		step++
		if e.Step != step || e.Task == 0 {
			t.Fatalf("poll event %+v: want step %d", e, step)
		}
		polls = append(polls, e.Name)
		if e.Name == "s" && e.Detail != "pending" && e.Detail != "ready" {
			t.Fatalf("poll detail %q", e.Detail)
		}
	}
	if got := strings.Join(polls, " "); got != want {
		t.Fatalf("trace poll order %q, want %q", got, want)
	}
	last := ev1[len(ev1)-1]
	if last.Kind != trace.KindPoll || last.Name != "s" || last.Detail != "ready" || last.N != 2 {
		t.Fatalf("last event %+v, want s ready on its 2nd poll", last)
	}
}
