package poll_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// timerTask polls tm until it is ready and logs name when it is.
func timerTask(l *logger, name string, tm *poll.Timer) poll.Task {
	return funcTask(func(cx *poll.Context) bool {
		if tm.Poll(cx) {
			l.add(name)
			return true
		}
		return false
	})
}

func TestTimerPendingUntilDeadline(t *testing.T) {
	for _, tc := range []struct {
		deadline int64
		advances []int64 // clock advances before the one that reaches the deadline
	}{
		{1_010, nil},
		{1_010, []int64{9}},
		{1_010, []int64{1, 1, 1, 6}},
		{5_000, []int64{0, 3_999}},
	} {
		t.Run(fmt.Sprint(tc.deadline, tc.advances), func(t *testing.T) {
			ex := poll.NewExecutor(1_000, nil)
			clk := ex.Clock()
			tm := clk.NewTimer("keep-alive")
			if tm.Armed() || clk.HasArmed() {
				t.Fatal("a new timer must be disarmed")
			}
			tm.Reset(tc.deadline)
			if !tm.Armed() || tm.Deadline() != tc.deadline {
				t.Fatalf("Armed=%v Deadline=%d", tm.Armed(), tm.Deadline())
			}
			l := &logger{}
			id := ex.Spawn("waiter", timerTask(l, "fired", tm))
			if n, _ := ex.RunUntilIdle(0); n != 1 || ex.Done(id) {
				t.Fatalf("timer ready before its deadline (%d steps)", n)
			}
			ws := ex.StallReport()
			if len(ws) != 1 || !reflect.DeepEqual(ws[0].WaitsOn, []string{"timer keep-alive"}) {
				t.Fatalf("waker not registered in the timer slot: %+v", ws)
			}
			now := clk.Now()
			for _, a := range tc.advances {
				clk.Advance(a)
				now += a
				if clk.Now() != now {
					t.Fatalf("Now = %d, want %d", clk.Now(), now)
				}
				if ex.Runnable() {
					t.Fatalf("woken at %d, before the deadline %d", now, tc.deadline)
				}
			}
			rest := tc.deadline - now
			clk.Advance(rest + 5)
			if clk.Now() != tc.deadline+5 {
				t.Fatalf("Now = %d after advancing past the deadline, want %d", clk.Now(), tc.deadline+5)
			}
			if !ex.Runnable() {
				t.Fatal("timer fired but the task was not woken")
			}
			ex.RunUntilIdle(0)
			if !ex.Done(id) || len(l.log) != 1 {
				t.Fatal("task did not see the timer ready")
			}
			if clk.HasArmed() {
				t.Fatal("a fired timer still counts as armed")
			}
			if _, ok := clk.NextDeadline(); ok {
				t.Fatal("NextDeadline reports a fired timer")
			}
		})
	}
}

func TestAdvanceFiresInDeadlineOrder(t *testing.T) {
	type arm struct {
		name     string
		deadline int64
	}
	for _, tc := range []struct {
		name    string
		create  []string // creation order
		arms    []arm    // arming order
		advance int64
		want    []string // firing (= wake) order
	}{
		{"by deadline", []string{"a", "b", "c"}, []arm{{"a", 30}, {"b", 10}, {"c", 20}}, 100, []string{"b", "c", "a"}},
		{"ties in arming order", []string{"a", "b", "c"}, []arm{{"c", 10}, {"a", 10}, {"b", 10}}, 10, []string{"c", "a", "b"}},
		{"re-arm moves to the back of a tie", []string{"a", "b"}, []arm{{"a", 10}, {"b", 10}, {"a", 10}}, 10, []string{"b", "a"}},
		{"only due timers", []string{"a", "b", "c"}, []arm{{"a", 5}, {"b", 50}, {"c", 6}}, 10, []string{"a", "c"}},
		{"mixed", []string{"w", "x", "y", "z"}, []arm{{"z", 7}, {"y", 3}, {"x", 7}, {"w", 3}}, 7, []string{"y", "w", "z", "x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := trace.New()
			ex := poll.NewExecutor(0, rec)
			clk := ex.Clock()
			timers := map[string]*poll.Timer{}
			l := &logger{}
			for _, n := range tc.create {
				timers[n] = clk.NewTimer(n)
				ex.Spawn(n, timerTask(l, n, timers[n]))
			}
			for _, a := range tc.arms {
				timers[a.name].Reset(a.deadline)
			}
			ex.RunUntilIdle(0)
			// The clock stands at each timer's deadline when it fires.
			var fired []string
			rec.OnEvent = func(seq int) {
				e := rec.Events()[seq]
				if e.Kind == trace.KindTimer && e.Name == "fire" {
					fired = append(fired, e.Detail)
					if clk.Now() != e.N {
						t.Errorf("timer %s fired at %d, deadline %d", e.Detail, clk.Now(), e.N)
					}
				}
			}
			clk.Advance(tc.advance)
			if clk.Now() != tc.advance {
				t.Fatalf("Now = %d, want %d", clk.Now(), tc.advance)
			}
			if !reflect.DeepEqual(fired, tc.want) {
				t.Fatalf("fired %v, want %v", fired, tc.want)
			}
			ex.RunUntilIdle(0)
			if !reflect.DeepEqual(l.log, tc.want) {
				t.Fatalf("tasks saw their timers in order %v, want %v", l.log, tc.want)
			}
		})
	}
}

func TestAdvanceNegativeIsNoop(t *testing.T) {
	ex := poll.NewExecutor(500, nil)
	ex.Clock().Advance(-100)
	if ex.Clock().Now() != 500 {
		t.Fatalf("Now = %d after a negative advance", ex.Clock().Now())
	}
}

func TestResetReArmsTheSameTimer(t *testing.T) {
	ex := poll.NewExecutor(0, nil)
	clk := ex.Clock()
	tm := clk.NewTimer("read")
	l := &logger{}
	id := ex.Spawn("w", timerTask(l, "w", tm))

	for i, d := range []int64{100, 500, 300, 300} {
		tm.Reset(d)
		got, ok := clk.NextDeadline()
		if !ok || got != d {
			t.Fatalf("reset #%d to %d: NextDeadline = %d, %v (an older arm survived?)", i, d, got, ok)
		}
	}
	ex.RunUntilIdle(0)
	clk.Advance(200) // past the first and second deadlines given, not the last
	if ex.Runnable() || !clk.HasArmed() {
		t.Fatalf("fired at 200 although re-armed for 300 (Runnable=%v HasArmed=%v)", ex.Runnable(), clk.HasArmed())
	}
	// Clear disarms: advancing past the deadline wakes nothing.
	tm.Clear()
	if tm.Armed() || clk.HasArmed() {
		t.Fatal("Clear left the timer armed")
	}
	if _, ok := clk.NextDeadline(); ok {
		t.Fatal("NextDeadline after Clear")
	}
	clk.Advance(1_000)
	if ex.Runnable() || ex.Done(id) {
		t.Fatal("a cleared timer woke its task")
	}
	if !ex.Stalled() {
		t.Fatal("a task waiting on a cleared timer is stalled")
	}
	if ws := ex.StallReport(); len(ws) != 1 || len(ws[0].WaitsOn) != 0 {
		t.Fatalf("Clear should forget the waker: %+v", ws)
	}
	// Clear forgot the waker: re-arming does not wake the old task by itself.
	tm.Reset(clk.Now() + 10)
	if ex.Runnable() {
		t.Fatal("Reset woke a task")
	}
	// Re-arming after Clear works on the same timer for a task that polls it.
	id2 := ex.Spawn("w2", timerTask(l, "w2", tm))
	ex.RunUntilIdle(0)
	if ex.Done(id2) {
		t.Fatal("ready before the deadline")
	}
	clk.Advance(10)
	ex.RunUntilIdle(0)
	if !ex.Done(id2) || ex.Done(id) {
		t.Fatalf("re-armed timer: w2 done %v, w done %v", ex.Done(id2), ex.Done(id))
	}
	tm.Reset(clk.Now() + 1)
	if d, ok := clk.NextDeadline(); !ok || d != clk.Now()+1 {
		t.Fatalf("a fired timer did not re-arm: %d %v", d, ok)
	}
}

func TestTimerArmedInThePastIsReadyAtOnce(t *testing.T) {
	for _, delta := range []int64{-1_000, -1, 0} {
		t.Run(fmt.Sprint(delta), func(t *testing.T) {
			ex := poll.NewExecutor(10_000, nil)
			clk := ex.Clock()
			tm := clk.NewTimer("late")
			tm.Reset(clk.Now() + delta)
			if !tm.Poll(poll.NewContext()) {
				t.Fatal("timer armed at or before now is not ready")
			}
			if clk.HasArmed() {
				t.Fatal("a timer already due counts as armed-and-pending")
			}
			l := &logger{}
			id := ex.Spawn("w", timerTask(l, "w", tm))
			if n, _ := ex.RunUntilIdle(0); n != 1 || !ex.Done(id) {
				t.Fatalf("task needed %d steps", n)
			}
		})
	}
	// A disarmed timer is never ready, whatever the clock says.
	ex := poll.NewExecutor(10_000, nil)
	tm := ex.Clock().NewTimer("off")
	if tm.Poll(poll.NewContext()) {
		t.Fatal("a disarmed timer is ready")
	}
}

func TestTimerTraceEvents(t *testing.T) {
	rec := trace.New()
	ex := poll.NewExecutor(100, rec)
	clk := ex.Clock()
	a := clk.NewTimer("a")
	b := clk.NewTimer("b")
	a.Reset(150)
	a.Reset(160)
	b.Reset(120)
	b.Clear()
	b.Clear() // clearing a disarmed timer records nothing
	clk.Advance(100)
	a.Reset(50)

	var got []string
	for _, e := range rec.Events() {
		if e.Kind == trace.KindTimer {
			got = append(got, fmt.Sprintf("%s %s %d", e.Name, e.Detail, e.N))
		}
	}
	want := []string{"arm a 150", "reset a 160", "arm b 120", "clear b 120", "fire a 160", "reset a 50"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("timer events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Without a recorder, timers work and record nothing.
	ex2 := poll.NewExecutor(0, nil)
	tm := ex2.Clock().NewTimer("x")
	tm.Reset(5)
	tm.Clear()
	tm.Reset(5)
	ex2.Clock().Advance(5)
	if ex2.Recorder() != nil || !tm.Poll(poll.NewContext()) {
		t.Fatal("timer without a recorder")
	}
}
