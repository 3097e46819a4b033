package poll

import "github.com/connlab/connlab/engine/trace"

// Clock is the virtual clock: milliseconds since the Unix epoch that move
// only when Advance is called. Timers fire only then.
type Clock struct {
	now    int64
	ex     *Executor
	timers []*Timer
	arms   uint64 // arms so far, to fire timers with equal deadlines in arming order
}

// Now returns the current virtual time in milliseconds since the epoch.
func (c *Clock) Now() int64 { return c.now }

// Advance moves the clock forward by ms milliseconds and wakes every armed
// timer whose deadline has passed, in deadline order (ties in arming order).
func (c *Clock) Advance(ms int64) {
	if ms < 0 {
		ms = 0
	}
	target := c.now + ms
	for {
		// fire timers in deadline order, moving the clock to each deadline
		var next *Timer
		for _, t := range c.timers {
			if t.armed && !t.fired && t.deadline <= target && (next == nil || t.deadline < next.deadline ||
				(t.deadline == next.deadline && t.armSeq < next.armSeq)) {
				next = t
			}
		}
		if next == nil {
			break
		}
		if next.deadline > c.now {
			c.now = next.deadline
		}
		next.fired = true
		if c.ex != nil && c.ex.rec != nil {
			c.ex.rec.Record(trace.KindTimer, "fire", next.name, "", next.deadline)
		}
		next.slot.Wake()
	}
	c.now = target
}

// NextDeadline returns the earliest armed, unfired deadline.
func (c *Clock) NextDeadline() (int64, bool) {
	var d int64
	ok := false
	for _, t := range c.timers {
		if t.armed && !t.fired && (!ok || t.deadline < d) {
			d, ok = t.deadline, true
		}
	}
	return d, ok
}

// HasArmed reports whether some timer is armed and has not fired.
func (c *Clock) HasArmed() bool {
	_, ok := c.NextDeadline()
	return ok
}

// Timer is a sleep future on the virtual clock. It is created once and
// re-armed with Reset, as hyper resets its header-read timer rather than
// creating a new one.
type Timer struct {
	clock    *Clock
	name     string
	deadline int64
	armed    bool
	fired    bool
	armSeq   uint64 // when it was last armed (Clock.arms)
	slot     *Slot
}

// TimerCount is how many timers were ever created.
func (c *Clock) TimerCount() int { return len(c.timers) }

// NewTimer creates a disarmed timer.
func (c *Clock) NewTimer(name string) *Timer {
	t := &Timer{clock: c, name: name}
	t.slot = NewSlot(c.ex, "timer "+name, "the virtual clock advancing")
	c.timers = append(c.timers, t)
	return t
}

// Reset arms the timer for deadline (absolute ms), replacing any earlier arm.
func (t *Timer) Reset(deadline int64) {
	op := "arm"
	if t.armed {
		op = "reset"
	}
	t.deadline, t.armed, t.fired = deadline, true, t.clock.now >= deadline
	t.clock.arms++
	t.armSeq = t.clock.arms
	if ex := t.clock.ex; ex != nil && ex.rec != nil {
		ex.rec.Record(trace.KindTimer, op, t.name, "", deadline)
	}
}

// Clear disarms the timer.
func (t *Timer) Clear() {
	if !t.armed {
		return
	}
	t.armed, t.fired = false, false
	t.slot.Clear()
	if ex := t.clock.ex; ex != nil && ex.rec != nil {
		ex.rec.Record(trace.KindTimer, "clear", t.name, "", t.deadline)
	}
}

// Armed reports whether the timer is armed.
func (t *Timer) Armed() bool { return t.armed }

// Deadline is the armed deadline.
func (t *Timer) Deadline() int64 { return t.deadline }

// Poll is Ready once the clock has reached the deadline; otherwise it
// registers the task's waker.
func (t *Timer) Poll(cx *Context) bool {
	if t.armed && t.clock.now >= t.deadline {
		return true
	}
	t.slot.Register(cx)
	return false
}
