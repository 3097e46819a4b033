package trace

import "strconv"

// spanNode is one node of the interned call tree.
type spanNode struct {
	parent int32
	name   string
	iter   int32 // >0 renders as name#iter
	first  int32 // first child, -1 if none
	next   int32 // next sibling, -1 if none
}

// Recorder appends events. A nil *Recorder records nothing.
type Recorder struct {
	events []Event
	nodes  []spanNode
	cur    int32 // current span node
	step   int32
	task   int32
	// OnEvent, when set, is called after each event is appended (the session
	// uses it to take a view snapshot for stepping back).
	OnEvent func(seq int)
}

// New returns an empty recorder.
func New() *Recorder {
	r := &Recorder{}
	r.nodes = append(r.nodes, spanNode{parent: -1, first: -1, next: -1})
	return r
}

// Enabled reports whether r records.
func (r *Recorder) Enabled() bool { return r != nil }

// Events returns the recorded events (shared, do not modify).
func (r *Recorder) Events() []Event {
	if r == nil {
		return nil
	}
	return r.events
}

// Len is the number of events.
func (r *Recorder) Len() int {
	if r == nil {
		return 0
	}
	return len(r.events)
}

// SetStep tells the recorder which executor step and task are running.
func (r *Recorder) SetStep(step int, task int32) {
	if r == nil {
		return
	}
	r.step = int32(step)
	r.task = task
	r.cur = 0
}

// Enter pushes a span named name (iter > 0 is shown as name#iter).
func (r *Recorder) Enter(name string, iter int) {
	if r == nil {
		return
	}
	for c := r.nodes[r.cur].first; c >= 0; c = r.nodes[c].next {
		n := &r.nodes[c]
		if n.name == name && n.iter == int32(iter) {
			r.cur = c
			return
		}
	}
	id := int32(len(r.nodes))
	r.nodes = append(r.nodes, spanNode{parent: r.cur, name: name, iter: int32(iter), first: -1, next: r.nodes[r.cur].first})
	r.nodes[r.cur].first = id
	r.cur = id
}

// Exit pops the current span.
func (r *Recorder) Exit() {
	if r == nil || r.cur == 0 {
		return
	}
	r.cur = r.nodes[r.cur].parent
}

// Add appends e, filling in Seq, Step, Task and Span.
func (r *Recorder) Add(e Event) {
	if r == nil {
		return
	}
	e.Seq = int32(len(r.events))
	e.Step = r.step
	e.Task = r.task
	e.Span = r.cur
	r.events = append(r.events, e)
	if r.OnEvent != nil {
		r.OnEvent(int(e.Seq))
	}
}

// Transition records field changing from -> to. Unchanged values are not
// recorded, so callers may call it unconditionally.
func (r *Recorder) Transition(field, from, to, ref string) {
	if r == nil || from == to {
		return
	}
	r.Add(Event{Kind: KindTransition, Field: field, From: from, To: to, Ref: ref})
}

// Note records one of hyper's trace messages.
func (r *Recorder) Note(text, ref string) {
	if r == nil {
		return
	}
	r.Add(Event{Kind: KindNote, Detail: text, Ref: ref})
}

// Call records entering fn and pushes its span.
func (r *Recorder) Call(fn, ref string) {
	if r == nil {
		return
	}
	r.Enter(fn, 0)
	r.Add(Event{Kind: KindCall, Name: fn, Ref: ref})
}

// Ret records fn returning result and pops its span.
func (r *Recorder) Ret(fn, result string) {
	if r == nil {
		return
	}
	r.Add(Event{Kind: KindRet, Name: fn, Detail: result})
	r.Exit()
}

// SpanString renders span id as "A/B#2/C".
func (r *Recorder) SpanString(id int32) string {
	if r == nil || id <= 0 || int(id) >= len(r.nodes) {
		return ""
	}
	var parts []int32
	for n := id; n > 0; n = r.nodes[n].parent {
		parts = append(parts, n)
	}
	var b []byte
	for i := len(parts) - 1; i >= 0; i-- {
		n := r.nodes[parts[i]]
		if len(b) > 0 {
			b = append(b, '/')
		}
		b = append(b, n.name...)
		if n.iter > 0 {
			b = append(b, '#')
			b = strconv.AppendInt(b, int64(n.iter), 10)
		}
	}
	return string(b)
}

// Reset drops recorded events but keeps the span tree (for long benchmarks).
func (r *Recorder) Reset() {
	if r == nil {
		return
	}
	r.events = r.events[:0]
}
