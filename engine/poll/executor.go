package poll

import (
	"strconv"
	"strings"

	"github.com/connlab/connlab/engine/trace"
)

// Task is anything the executor can drive. Poll reports whether the task has
// finished; a finished task is never polled again.
type Task interface {
	Poll(cx *Context) (done bool)
}

// Describer is implemented by tasks that can say, in a stall report, what
// they are waiting for beyond the slots that hold their wakers.
type Describer interface {
	WaitingOn() string
}

type taskEntry struct {
	name   string
	task   Task
	done   bool
	queued bool
	polls  int
}

// Executor owns tasks, a FIFO run queue and the virtual clock. Nothing runs
// unless Step is called: the executor is a plain data structure.
type Executor struct {
	tasks []taskEntry // index = TaskID-1
	queue []TaskID    // ring buffer of runnable tasks
	qhead int
	qlen  int
	steps int
	clock Clock
	slots []*Slot
	rec   *trace.Recorder
	cx    Context
}

// NewExecutor returns an executor whose clock starts at epochMillis
// (milliseconds since the Unix epoch).
func NewExecutor(epochMillis int64, rec *trace.Recorder) *Executor {
	ex := &Executor{rec: rec}
	ex.clock.now = epochMillis
	ex.clock.ex = ex
	ex.queue = make([]TaskID, 8)
	return ex
}

// Recorder returns the trace recorder (nil when tracing is off).
func (ex *Executor) Recorder() *trace.Recorder { return ex.rec }

// Clock returns the executor's virtual clock.
func (ex *Executor) Clock() *Clock { return &ex.clock }

// Steps is the number of steps taken so far.
func (ex *Executor) Steps() int { return ex.steps }

// Spawn adds a task and makes it runnable.
func (ex *Executor) Spawn(name string, t Task) TaskID {
	ex.tasks = append(ex.tasks, taskEntry{name: name, task: t})
	id := TaskID(len(ex.tasks))
	ex.push(id)
	return id
}

// TaskName returns the name a task was spawned with.
func (ex *Executor) TaskName(id TaskID) string {
	if id <= 0 || int(id) > len(ex.tasks) {
		return ""
	}
	return ex.tasks[id-1].name
}

// Done reports whether task id has finished.
func (ex *Executor) Done(id TaskID) bool {
	return id > 0 && int(id) <= len(ex.tasks) && ex.tasks[id-1].done
}

// AllDone reports whether every spawned task has finished.
func (ex *Executor) AllDone() bool {
	for i := range ex.tasks {
		if !ex.tasks[i].done {
			return false
		}
	}
	return true
}

func (ex *Executor) push(id TaskID) {
	e := &ex.tasks[id-1]
	if e.done || e.queued {
		return
	}
	e.queued = true
	if ex.qlen == len(ex.queue) {
		n := make([]TaskID, 2*len(ex.queue))
		for i := 0; i < ex.qlen; i++ {
			n[i] = ex.queue[(ex.qhead+i)%len(ex.queue)]
		}
		ex.queue, ex.qhead = n, 0
	}
	ex.queue[(ex.qhead+ex.qlen)%len(ex.queue)] = id
	ex.qlen++
}

func (ex *Executor) wake(id TaskID, by string) {
	if id <= 0 || int(id) > len(ex.tasks) {
		return
	}
	e := &ex.tasks[id-1]
	if e.done {
		return
	}
	if ex.rec != nil {
		ex.rec.Record(trace.KindWake, by, e.name, "", int64(id))
	}
	ex.push(id)
}

// WakeTask schedules task id from outside any poll (a person pressing a
// button, a graceful shutdown request).
func (ex *Executor) WakeTask(id TaskID) { ex.wake(id, "outside") }

// Runnable reports whether some task is queued.
func (ex *Executor) Runnable() bool { return ex.qlen > 0 }

// Step polls exactly one runnable task once. It returns false when no task
// was runnable.
func (ex *Executor) Step() bool {
	if ex.qlen == 0 {
		return false
	}
	id := ex.queue[ex.qhead]
	ex.qhead = (ex.qhead + 1) % len(ex.queue)
	ex.qlen--
	e := &ex.tasks[id-1]
	e.queued = false
	ex.steps++
	e.polls++
	ex.cx = Context{waker: Waker{ex: ex, task: id}, ex: ex}
	if ex.rec != nil {
		ex.rec.SetStep(ex.steps, int32(id))
	}
	done := e.task.Poll(&ex.cx)
	// e may have moved if the task spawned others.
	e = &ex.tasks[id-1]
	if ex.rec != nil {
		res := "pending"
		if done {
			res = "ready"
		}
		ex.rec.SetStep(ex.steps, int32(id))
		ex.rec.Record(trace.KindPoll, e.name, res, "", int64(e.polls))
	}
	if done {
		e.done = true
		if e.queued {
			// woken during the poll in which it finished: a finished task is
			// never polled again, so take it back off the run queue.
			ex.unqueue(id)
		}
	}
	return true
}

// unqueue removes id from the run queue, keeping the others in order.
func (ex *Executor) unqueue(id TaskID) {
	j := 0
	for i := 0; i < ex.qlen; i++ {
		t := ex.queue[(ex.qhead+i)%len(ex.queue)]
		if t != id {
			ex.queue[(ex.qhead+j)%len(ex.queue)] = t
			j++
		}
	}
	ex.qlen = j
	ex.tasks[id-1].queued = false
}

// ErrBudget is returned by RunUntilIdle when the step budget ran out.
type ErrBudget struct{ Steps int }

func (e *ErrBudget) Error() string {
	return "step budget of " + strconv.Itoa(e.Steps) + " exhausted: the engine kept running without becoming idle"
}

// RunUntilIdle steps until no task is runnable or budget steps were taken
// (budget <= 0 means no limit). It returns the number of steps taken.
func (ex *Executor) RunUntilIdle(budget int) (int, error) {
	n := 0
	for ex.qlen > 0 {
		if budget > 0 && n >= budget {
			return n, &ErrBudget{Steps: budget}
		}
		ex.Step()
		n++
	}
	return n, nil
}

// Wait is one line of a stall report: a pending task and what it waits on.
type Wait struct {
	Task    TaskID   `json:"task"`
	Name    string   `json:"name"`
	WaitsOn []string `json:"waits_on"`
	WokenBy []string `json:"woken_by"`
}

// Stalled reports whether the executor is stuck: nothing runnable, no timer
// armed, and some task unfinished.
func (ex *Executor) Stalled() bool {
	return ex.qlen == 0 && !ex.clock.HasArmed() && !ex.AllDone()
}

// StallReport lists every unfinished task with the slots holding its waker.
func (ex *Executor) StallReport() []Wait {
	var out []Wait
	for i := range ex.tasks {
		e := &ex.tasks[i]
		if e.done {
			continue
		}
		id := TaskID(i + 1)
		w := Wait{Task: id, Name: e.name}
		for _, s := range ex.slots {
			if s.waker.ex != nil && s.waker.task == id {
				w.WaitsOn = append(w.WaitsOn, s.name)
				if s.wakes != "" {
					w.WokenBy = append(w.WokenBy, s.wakes)
				}
			}
		}
		if d, ok := e.task.(Describer); ok {
			if s := d.WaitingOn(); s != "" {
				w.WaitsOn = append(w.WaitsOn, s)
			}
		}
		out = append(out, w)
	}
	return out
}

// FormatStall renders a stall report as text, one task per line.
func FormatStall(ws []Wait) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString("task " + strconv.Itoa(int(w.Task)) + " " + strconv.Quote(w.Name) + " waits on " + strings.Join(w.WaitsOn, ", "))
		if len(w.WokenBy) > 0 {
			b.WriteString(" (woken by " + strings.Join(w.WokenBy, ", ") + ")")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// YieldNow is task::yield_now: it wakes the current task and returns
// Pending, so the executor polls other runnable tasks first.
func YieldNow(cx *Context) {
	cx.waker.Wake()
}
