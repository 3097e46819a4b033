package poll

// TaskID names a task of one Executor. IDs are handed out in spawn order,
// starting at 1, so they are stable across replays.
type TaskID int32

// Waker re-queues one task on its executor. The zero Waker does nothing.
// It is a small value: copying and storing it never allocates.
type Waker struct {
	ex   *Executor
	task TaskID
}

// Wake schedules the task to be polled again (once, however often it is woken
// before that poll).
func (w Waker) Wake() {
	if w.ex != nil {
		w.ex.wake(w.task, "waker")
	}
}

// Task returns the id of the task this waker wakes (0 for the zero Waker).
func (w Waker) Task() TaskID { return w.task }

// IsZero reports whether w wakes nothing.
func (w Waker) IsZero() bool { return w.ex == nil }

// Context is what a poll function receives: the waker of the task being
// polled. It is passed by pointer and lives for one Step.
type Context struct {
	waker Waker
	ex    *Executor
}

// NewContext returns a context whose waker wakes nothing, for tests of single
// futures outside an executor.
func NewContext() *Context { return &Context{} }

// Waker returns the waker of the task being polled.
func (cx *Context) Waker() Waker { return cx.waker }

// Executor returns the executor running the poll, or nil outside one.
func (cx *Context) Executor() *Executor { return cx.ex }

// Slot is a place that holds at most one waker: the read end of a pipe, a
// body channel's want signal, a timer. A slot has a name, so that when
// everything stalls the executor can say which task waits on what.
type Slot struct {
	name  string
	waker Waker
	// wakes names who would wake this slot, for wait-for graphs.
	wakes string
}

// NewSlot returns a slot registered with ex (ex may be nil in tests), named
// for stall reports. wakedBy says who would wake it ("the peer writing
// to c→s").
func NewSlot(ex *Executor, name, wakedBy string) *Slot {
	s := &Slot{name: name, wakes: wakedBy}
	if ex != nil {
		ex.slots = append(ex.slots, s)
	}
	return s
}

// Register stores the current task's waker in the slot, replacing any other.
func (s *Slot) Register(cx *Context) {
	if cx != nil {
		s.waker = cx.waker
	}
}

// Wake wakes the registered task, if any, and clears the slot.
func (s *Slot) Wake() {
	w := s.waker
	s.waker = Waker{}
	if w.ex != nil {
		w.ex.wake(w.task, s.name)
	}
}

// Clear forgets the registered waker without waking it.
func (s *Slot) Clear() { s.waker = Waker{} }

// Name is the slot's name.
func (s *Slot) Name() string { return s.name }

// Waiting reports the task registered in the slot (0 if none).
func (s *Slot) Waiting() TaskID { return s.waker.task }
