package trace

import (
	"strconv"
	"unsafe"
)

// spanNode is one node of the interned call tree.
type spanNode struct {
	parent int32
	nameID uint32 // name's interned id: a call or ret of this span records it without a lookup
	name   string
	iter   int32 // >0 renders as name#iter
	first  int32 // first child, -1 if none
	next   int32 // next sibling, -1 if none
	// hint is the child last entered first from this node, after the
	// sibling last entered after leaving this one (0, the root, for none):
	// enter's guesses (see predicted).
	hint, after int32
	// ref and result are the strings the span's Call cited and its Ret
	// returned last time, with their ids, kept as the interner's address
	// cache keeps a string (the zero value is the empty string, id 0): a
	// call site passes the same constants every time, so the next Call or
	// Ret finds their ids by address, without the interner (see call and
	// ret).
	ref, result recentSlot
	// site is the CallSite + 1 this span was last entered through, 0 for
	// none (see callAt)
	site uint32
}

// blockSize is how many events one storage block holds. Events live in
// fixed blocks so that recording never copies more than one block's worth
// (a growing slice would move hundreds of megabytes on long traces).
const blockSize = 4096

// firstBlock is the first block's starting capacity (it grows to
// blockSize by append).
const firstBlock = 256

// stepRun says that the events from first on, up to the next run's
// first, were recorded in step, polling task (SetStep).
type stepRun struct {
	first      int
	step, task int32
}

// stepAt is event i's step and task.
func (r *Recorder) stepAt(i int) (step, task int32) {
	runs := r.steps
	k := r.stepHint // a reader goes forwards or backwards from the last run found
	if k >= len(runs) || runs[k].first > i || k+1 < len(runs) && runs[k+1].first <= i {
		k = r.stepsBefore(i+1) - 1 // the last run that starts at or before i
		if k < 0 {
			return 0, 0 // before the first SetStep
		}
		r.stepHint = k
	}
	return runs[k].step, runs[k].task
}

// stepsBefore is how many of r's step runs start among its first n
// events.
func (r *Recorder) stepsBefore(n int) int {
	runs := r.steps
	lo, hi := 0, len(runs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if runs[m].first < n {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// openStep makes the events from r.n on read back in r.step and r.task:
// a run of its own, unless the last run has them; the last run, when no
// event was recorded in it. Not while replaying (the runs are those
// Resume took over): the first event after it opens its run (growSlot).
func (r *Recorder) openStep() {
	if k := len(r.steps) - 1; k >= 0 {
		last := &r.steps[k]
		if last.step == r.step && last.task == r.task {
			return
		}
		if last.first == r.n {
			if k > 0 && r.steps[k-1].step == r.step && r.steps[k-1].task == r.task {
				r.steps = r.steps[:k] // back to the run before
			} else {
				last.step, last.task = r.step, r.task
			}
			return
		}
	}
	r.steps = append(r.steps, stepRun{r.n, r.step, r.task})
}

// Recorder appends events. A nil *Recorder records nothing.
type Recorder struct {
	blocks [][]stored // blockSize events each (the first may still be growing); all but the last are full; lengths run to capacity (see nextSlot)
	n      int
	strs   interner
	nodes  []spanNode
	cur    int32 // current span node
	// scratch is where notes built at run time are written (NoteBuf).
	scratch []byte
	step    int32
	task    int32
	// tail is the block being filled, whose first event is tailBase (see
	// nextSlot); nil when blocks change under it (Reset, Resume), with
	// tailBase 0: tailBase <= n always.
	tail     []stored
	tailBase int
	// steps are the events' steps and tasks, a run for each poll that
	// recorded any, in event order; stepHint is the run stepAt found last
	steps    []stepRun
	stepHint int
	// wide are the events no layout holds, whole, in event order (see
	// stored)
	wide []wideEvent
	// prev is the child of cur last left (Exit), 0 when cur has been
	// entered since (see predicted)
	prev int32
	// guess is the span enter expects next: prev's after, or cur's hint
	// when prev is 0, read when they change (the node is at hand then),
	// so that enter's check reads one node, not two; 0 (the root, never
	// entered) for none. A stale guess costs enterSlow, never a wrong span.
	guess int32
	// OnEvent, when set, is called after each event is appended (the session
	// uses it to take a view snapshot for stepping back).
	OnEvent func(seq int)
	// replayTo and diverged (the first differing event + 1, 0 for none):
	// see Resume (replay.go)
	replayTo int
	diverged int
}

// New returns an empty recorder.
func New() *Recorder {
	r := &Recorder{strs: newInterner()}
	r.nodes = append(r.nodes, spanNode{parent: -1, first: -1, next: -1})
	return r
}

// Enabled reports whether r records.
func (r *Recorder) Enabled() bool { return r != nil }

// Events returns a copy of the recorded events, in order.
func (r *Recorder) Events() []Event {
	if r == nil {
		return nil
	}
	out := make([]Event, r.n)
	for i := range out {
		out[i] = r.At(i)
	}
	return out
}

// At returns event i (0 <= i < Len). A note recorded by NoteNum or
// NoteFmt is formatted here (lazy.go).
func (r *Recorder) At(i int) Event {
	st := &r.blocks[i/blockSize][i%blockSize]
	if st.layout() >= kindLazyNum {
		return r.lazyAt(i, st)
	}
	return r.eventAt(i, st)
}

// Len is the number of events.
func (r *Recorder) Len() int {
	if r == nil {
		return 0
	}
	return r.n
}

// SetStep tells the recorder which executor step and task are running.
func (r *Recorder) SetStep(step int, task int32) {
	if r == nil {
		return
	}
	r.step = int32(step)
	r.task = task
	r.cur, r.prev, r.guess = 0, 0, r.nodes[0].hint
	if r.n >= r.replayTo {
		r.openStep()
	}
}

// Enter pushes a span named name (iter > 0 is shown as name#iter).
func (r *Recorder) Enter(name string, iter int) {
	if r != nil {
		r.enter(name, iter)
	}
}

//go:noinline // see "The recording methods"
func (r *Recorder) enter(name string, iter int) {
	if r.predicted(name, iter) {
		r.enterGuess()
	} else {
		r.enterSlow(name, iter)
	}
}

// predicted is enter's common case, small enough to inline: the engine
// walks the same paths again and again (a pipelined request enters some
// ten spans under each of the poll loop's sixteen iterations, each a node
// of its own), so the span entered is likely the one entered last time
// from the same place: after leaving the same sibling (prev's after), or
// first from this node (cur's hint). A constant name is the same string
// each time, so the guess is checked by its name's address. It reports
// whether the guess is name#iter; enterGuess enters it.
func (r *Recorder) predicted(name string, iter int) bool {
	n := &r.nodes[r.guess]
	return n.parent == r.cur && n.iter == int32(iter) && len(n.name) == len(name) && unsafe.StringData(n.name) == unsafe.StringData(name)
}

// enterGuess enters the span predicted found, and returns its node.
func (r *Recorder) enterGuess() *spanNode {
	c := r.guess
	n := &r.nodes[c]
	r.cur, r.prev, r.guess = c, 0, n.hint
	return n
}

// enterSlow walks the children, adding the span if it is new, and makes
// it the guess for the next time (see predicted).
func (r *Recorder) enterSlow(name string, iter int) {
	c := r.nodes[r.cur].first
	for ; c >= 0; c = r.nodes[c].next {
		if n := &r.nodes[c]; n.name == name && n.iter == int32(iter) {
			break
		}
	}
	if c < 0 {
		c = int32(len(r.nodes))
		r.nodes = append(r.nodes, spanNode{parent: r.cur, nameID: r.strs.id(name), name: name, iter: int32(iter), first: -1, next: r.nodes[r.cur].first})
		r.nodes[r.cur].first = c
	}
	if r.prev != 0 {
		r.nodes[r.prev].after = c
	} else {
		r.nodes[r.cur].hint = c
	}
	r.cur, r.prev, r.guess = c, 0, r.nodes[c].hint
}

// Exit pops the current span.
func (r *Recorder) Exit() {
	if r == nil || r.cur == 0 {
		return
	}
	n := &r.nodes[r.cur]
	r.cur, r.prev, r.guess = n.parent, r.cur, n.after
}

// The recording methods are each a nil check, small enough to inline, in
// front of the work: with recording off, a call site costs one compare.
// Call's and Enter's work is marked go:noinline: profile-guided
// optimization inlined it into the check, which was then too big to
// inline at the call sites, so recording off paid a call for the check
// (39 instructions a request), and recording on paid two calls for an
// Enter. The others' bodies it inlines whole into their hottest call
// sites, which recording on gains by.
//
// TypedTransition, NoteNum, NoteFmt, Record, IO and Ret are the
// exception: their fast path is their body, not a second function's.
// The engine checks for a recorder before it calls the first five, so
// recording off never calls them, and recording on a call to one is one
// call, not two. Ret the profile inlines whole into the sites the
// benchmarks pass (recording off, only its check runs there) and calls
// elsewhere, where recording off pays a call for the check: paths the
// pipelined benchmark does not take (a read body's, an error's). Call
// made the same way cost recording off 10 instructions a request; Enter
// gained nothing. The registered forms (callsite.go, sites.go) follow
// the same rules: CallAt is Call's shape, RecordAt Note's, IOAt IO's. A
// registered Ret (RetAt) was tried and dropped: the profile did not
// inline it where it inlines Ret, and recording off paid 27 instructions.

// Add appends e, filling in Seq, Step, Task and Span.
func (r *Recorder) Add(e Event) {
	if r != nil {
		r.add(&e)
	}
}

func (r *Recorder) add(e *Event) {
	if r.n < r.replayTo {
		r.replay(e)
		return
	}
	// Most of an event's six strings are empty: those cost a length
	// check, not a lookup.
	t := &r.strs
	field, from, to := t.peekAny(e.Field), t.peekAny(e.From), t.peekAny(e.To)
	name, ref, detail := t.peekAny(e.Name), t.peekAny(e.Ref), t.peekAny(e.Detail)
	if field == missing || from == missing || to == missing || name == missing || ref == missing || detail == missing {
		field, from, to = t.id(e.Field), t.id(e.From), t.id(e.To)
		name, ref, detail = t.id(e.Name), t.id(e.Ref), t.id(e.Detail)
	}
	ids := uint32(e.FieldID) | uint32(e.FromID)<<8 | uint32(e.ToID)<<16
	r.put(r.nextSlot(), e.Kind, ids, field, from, to, name, ref, detail, e.N, e.Off)
	r.added()
}

// Record appends an event of kind with a name, detail, ref and number: an
// Add of the commonest shape, without building an Event (a call site
// passes the strings and the number in registers; an Event is 136 bytes
// built on the stack and copied).
func (r *Recorder) Record(kind Kind, name, detail, ref string, n int64) {
	if r == nil {
		return
	}
	t := &r.strs
	nm, d, rf := t.peekAny(name), t.peekAny(detail), t.peekAny(ref)
	if r.fast() && nm != missing && d != missing && rf != missing && fits32(n) {
		s := r.fastSlot()
		s.setPlain(r, kind, nm, d, rf, int32(n))
		r.n++
		return
	}
	r.recordSlow(kind, name, detail, ref, n)
}

func (r *Recorder) recordSlow(kind Kind, name, detail, ref string, n int64) {
	if r.n < r.replayTo {
		r.replay(&Event{Kind: kind, N: n})
		return
	}
	t := &r.strs
	nm, d, rf := t.peekAny(name), t.peekAny(detail), t.peekAny(ref)
	if nm == missing || d == missing || rf == missing {
		nm, d, rf = t.id(name), t.id(detail), t.id(ref)
	}
	r.put(r.nextSlot(), kind, 0, 0, 0, 0, nm, rf, d, n, 0)
	r.added()
}

// IO records bytes moving at one end of a stream: op (read, write, ...)
// of n bytes at offset off, with a detail; the Add of a KindIO event with
// Field end, without building an Event.
func (r *Recorder) IO(end, op string, n, off int64, detail string) {
	if r == nil {
		return
	}
	t := &r.strs
	f, nm, d := t.peekAny(end), t.peekAny(op), t.peekAny(detail)
	if r.fast() && f < maxAux && nm != missing && d != missing && fits32(n) && fits32(off) {
		s := r.fastSlot()
		s.setIO(r, KindIO, f, nm, d, int32(n), int32(off))
		r.n++
		return
	}
	r.ioSlow(end, op, n, off, detail)
}

func (r *Recorder) ioSlow(end, op string, n, off int64, detail string) {
	if r.n < r.replayTo {
		r.replay(&Event{Kind: KindIO, N: n, Off: off})
		return
	}
	t := &r.strs
	f, nm, d := t.peekAny(end), t.peekAny(op), t.peekAny(detail)
	if f == missing || nm == missing || d == missing {
		f, nm, d = t.id(end), t.id(op), t.id(detail)
	}
	r.put(r.nextSlot(), KindIO, 0, f, 0, 0, nm, 0, d, n, off)
	r.added()
}

// Transition records field changing from -> to. Unchanged values are not
// recorded, so callers may call it unconditionally.
func (r *Recorder) Transition(field, from, to, ref string) {
	if r == nil || from == to {
		return
	}
	r.add(&Event{Kind: KindTransition, Field: field, From: from, To: to, Ref: ref})
}

// TypedTransition records the field fieldID changing from fromID to
// toID, named by the field's registration (RegisterField) and cited by
// the registered ref. Unchanged values are not recorded. The event keeps
// the ref's number, not its string's id (read back from the
// registration, as the field's names are): no lookup.
func (r *Recorder) TypedTransition(fieldID, fromID, toID uint8, ref RefID) {
	if r == nil || fromID == toID {
		return
	}
	if r.fast() && uint(ref) < uint(len(refs)) {
		r.fastSlot().setTyped(r, fieldID, fromID, toID, ref)
		r.n++
		return
	}
	r.typedTransitionSlow(fieldID, fromID, toID, ref)
}

func (r *Recorder) typedTransitionSlow(fieldID, fromID, toID uint8, ref RefID) {
	if r.n < r.replayTo {
		r.replay(&Event{Kind: KindTransition | kindLazyTyped})
		return
	}
	_ = refs[ref] // an unregistered ref panics here, not when read
	r.nextSlot().setTyped(r, fieldID, fromID, toID, ref)
	r.added()
}

// Note records one of hyper's trace messages.
func (r *Recorder) Note(text, ref string) {
	if r != nil {
		r.note(text, ref)
	}
}

func (r *Recorder) note(text, ref string) {
	t := &r.strs
	d, rf := t.peek(text), t.peek(ref)
	if r.fast() && d != missing && rf != missing {
		s := r.fastSlot()
		s.setPlain(r, KindNote, 0, d, rf, 0)
		r.n++
		return
	}
	r.noteSlow(text, ref)
}

func (r *Recorder) noteSlow(text, ref string) {
	if r.n < r.replayTo {
		r.replay(&Event{Kind: KindNote})
		return
	}
	t := &r.strs
	d, rf := t.peek(text), t.peek(ref)
	if d == missing || rf == missing {
		d, rf = t.id(text), t.id(ref)
	}
	r.nextSlot().setPlain(r, KindNote, 0, d, rf, 0)
	r.added()
}

// NoteBuf returns an empty scratch buffer to build a note's text in; pass
// the result to NoteBytes. A nil *Recorder returns nil.
func (r *Recorder) NoteBuf() []byte {
	if r == nil {
		return nil
	}
	return r.scratch[:0]
}

// NoteBytes records a note whose text is b, built in NoteBuf's buffer: the
// text is copied only the first time it is seen, so a repeated message
// costs no allocation.
func (r *Recorder) NoteBytes(b []byte, ref string) {
	if r != nil {
		r.noteBytes(b, ref)
	}
}

func (r *Recorder) noteBytes(b []byte, ref string) {
	r.scratch = b[:0]
	if r.n < r.replayTo {
		r.replay(&Event{Kind: KindNote})
		return
	}
	t := &r.strs
	d, rf := t.internBytes(b), t.id(ref)
	r.nextSlot().setPlain(r, KindNote, 0, d, rf, 0)
	r.added()
}

// Call records entering fn and pushes its span.
func (r *Recorder) Call(fn, ref string) {
	if r != nil {
		r.call(fn, ref)
	}
}

//go:noinline // see "The recording methods"
func (r *Recorder) call(fn, ref string) {
	if r.fast() && r.predicted(fn, 0) {
		s, n := r.fastSlot(), r.enterGuess()
		// the span entered is fn's: its node has fn's id, and likely
		// ref's
		if n.ref.ptr != unsafe.StringData(ref) || n.ref.n != len(ref) {
			r.callNewRef(s, n, ref)
			return
		}
		s.setPlain(r, KindCall, n.nameID, 0, n.ref.id, 0)
		r.n++
		return
	}
	r.callSlow(fn, ref)
}

// callNewRef is call's fast path when ref is not the one n's Call cited
// last time. Out of line, so that call's fast path keeps nothing on the
// stack for it.
//
//go:noinline
func (r *Recorder) callNewRef(s *stored, n *spanNode, ref string) {
	s.setPlain(r, KindCall, n.nameID, 0, r.remember(&n.ref, ref), 0)
	r.n++
}

// remember interns s and keeps it in c (a span's ref or result).
func (r *Recorder) remember(c *recentSlot, s string) uint32 {
	id := r.strs.id(s)
	*c = recentSlot{ptr: unsafe.StringData(s), n: len(s), id: id}
	return id
}

func (r *Recorder) callSlow(fn, ref string) {
	r.enter(fn, 0)
	if r.n < r.replayTo {
		r.replay(&Event{Kind: KindCall})
		return
	}
	// the span entered is fn's: its node has fn's id
	rf := r.strs.peek(ref)
	if rf == missing {
		rf = r.strs.id(ref)
	}
	r.nextSlot().setPlain(r, KindCall, r.nodes[r.cur].nameID, 0, rf, 0)
	r.added()
}

// Ret records fn returning result and pops its span.
func (r *Recorder) Ret(fn, result string) {
	if r == nil {
		return
	}
	n := &r.nodes[r.cur]
	if r.fast() && r.cur != 0 && len(n.name) == len(fn) && unsafe.StringData(n.name) == unsafe.StringData(fn) {
		s := r.fastSlot()
		if n.result.ptr != unsafe.StringData(result) || n.result.n != len(result) {
			r.retNewResult(s, n, result)
			return
		}
		s.setPlain(r, KindRet, n.nameID, n.result.id, 0, 0)
		r.n++
		r.cur, r.prev, r.guess = n.parent, r.cur, n.after // Exit (n is r.cur's node, not the root)
		return
	}
	r.retSlow(fn, result)
}

// retNewResult is Ret's fast path when result is not the one n's Ret
// returned last time (see callNewRef).
//
//go:noinline
func (r *Recorder) retNewResult(s *stored, n *spanNode, result string) {
	s.setPlain(r, KindRet, n.nameID, r.remember(&n.result, result), 0, 0)
	r.n++
	r.cur, r.prev, r.guess = n.parent, r.cur, n.after
}

func (r *Recorder) retSlow(fn, result string) {
	if r.n < r.replayTo {
		r.replay(&Event{Kind: KindRet})
	} else {
		// fn is the current span's name (its Call entered it) but for a
		// Ret without its Call
		t := &r.strs
		nm, d := missing, t.peek(result)
		if n := &r.nodes[r.cur]; len(n.name) == len(fn) && unsafe.StringData(n.name) == unsafe.StringData(fn) {
			nm = n.nameID
		}
		if nm == missing || d == missing {
			nm, d = t.id(fn), t.id(result)
		}
		r.nextSlot().setPlain(r, KindRet, nm, d, 0, 0)
		r.added()
	}
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
	r.blocks = r.blocks[:0]
	r.tail, r.tailBase = nil, 0
	r.n = 0
	r.replayTo = 0
	r.wide = r.wide[:0]
	r.steps, r.stepHint = r.steps[:0], 0 // the first event opens the step's run again (growSlot)
}

// KindAt returns the kind of event i without building the Event (0 <= i < Len).
func (r *Recorder) KindAt(i int) Kind { return r.blocks[i/blockSize][i%blockSize].kind() & kindMask }

// TransitionAt returns the typed field and values of event i (see
// Event.FieldID) without building the Event; all zero for other kinds.
func (r *Recorder) TransitionAt(i int) (fieldID, fromID, toID uint8) {
	st := &r.blocks[i/blockSize][i%blockSize]
	switch st.layout() {
	case kindLazyTyped:
		return uint8(st.tag >> 8), uint8(st.tag >> 16), uint8(st.tag >> 24)
	case layWide:
		w := &r.wide[st.a]
		return w.fieldID, w.fromID, w.toID
	}
	return 0, 0, 0
}

// SpanAt returns the span of event i without building the Event.
func (r *Recorder) SpanAt(i int) int32 { return r.blocks[i/blockSize][i%blockSize].span }

// TaskAt returns the task of event i without building the Event.
func (r *Recorder) TaskAt(i int) int32 {
	_, task := r.stepAt(i)
	return task
}

// SpanCount is the number of span nodes; ids run from 0 (the root) to
// SpanCount()-1.
func (r *Recorder) SpanCount() int {
	if r == nil {
		return 0
	}
	return len(r.nodes)
}

// SpanNode returns a node of the call tree: its parent (-1 for the root),
// its name and its iteration (0 when it has none). ok is false for an
// unknown id.
func (r *Recorder) SpanNode(id int32) (parent int32, name string, iter int, ok bool) {
	if r == nil || id < 0 || int(id) >= len(r.nodes) {
		return -1, "", 0, false
	}
	n := &r.nodes[id]
	return n.parent, n.name, int(n.iter), true
}
