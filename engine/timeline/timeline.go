package timeline

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/trace"
)

// Time travel. A Timeline runs a session with tracing on and keeps, for
// every event, a compact snapshot of what the sandbox shows (capture, in
// view.go), so moving the cursor back and forth is a lookup, never a
// re-run. Continuing from an earlier point (Fork) replays the input log
// deterministically up to there: the input log is the single source of
// truth, and the same log always gives the same events.

// Unit is what one step moves by.
type Unit uint8

const (
	UnitEvent   Unit = iota // one event
	UnitCall                // to the next (previous) call or ret event
	UnitPoll                // to the end of the next (previous) task poll: its poll event
	UnitIter                // to the start of the next (previous) poll_loop iteration: its iter event
	UnitRequest             // to the event where the next (previous) request was taken
)

var unitNames = [...]string{"event", "call", "poll", "iter", "request"}

func (u Unit) String() string {
	if int(u) < len(unitNames) {
		return unitNames[u]
	}
	return "Unit(" + strconv.Itoa(int(u)) + ")"
}

// ParseUnit parses "event", "call", "poll", "iter" or "request".
func ParseUnit(s string) (Unit, error) {
	for i, n := range unitNames {
		if n == s {
			return Unit(i), nil
		}
	}
	return 0, errors.New("unknown unit " + strconv.Quote(s) + ": use one of " + strings.Join(unitNames[:], ", "))
}

// stoppedError is Append's refusal after the run stopped: it wraps the
// error that stopped it, for errors.Is and errors.As.
type stoppedError struct{ err error }

func (e *stoppedError) Error() string {
	return "session: the run stopped earlier, so no more input applies: " + e.err.Error()
}

func (e *stoppedError) Unwrap() error { return e.err }

// Timeline is a recorded session you can move through.
type Timeline struct {
	file   *session.File // the input log; the session's File
	s      *session.Session
	c      *capture
	cursor int
	err    error // the error that stopped the run (a step budget), if any
	// inputStart[k] is the number of events recorded before input k was
	// applied; inputMark[k] is the capture's state then (for Fork).
	inputStart []int
	inputMark  []captureMark
	// the recorded streams in modes server and client (mode both records
	// them in the session itself)
	teeIn, teeOut []byte
	wireSpans     []WireSpan
	wireSpansN    int
	// the run in slices (slices.go): running until target inputs are
	// applied; started once the engine's start ran; cut while a run until
	// idle was cut at a slice's end
	running, started, cut bool
	target                int
	movedAt               int64 // moved() when the input being run began
	sliceEnd              int   // the event count the slice runs to
}

// New runs the whole input log of f with tracing and snapshots.
// f is copied: Fork and Append change the timeline's own input log (see
// File). The error is for an invalid file only; a run that stops early (a
// step budget ran out) still gives a timeline, with the reason in Err.
// The cursor starts at the first event.
func New(f *session.File) (*Timeline, error) {
	t, err := Start(f)
	if err != nil {
		return nil, err
	}
	t.Continue(0)
	return t, nil
}

// Start is New without the run: the timeline has only the events of the
// engine's start so far, and Continue runs its input log a slice at a time
// (a page runs a long session between frames, see slices.go).
func Start(f *session.File) (*Timeline, error) {
	if f == nil {
		return nil, errors.New("session: no session file")
	}
	cp := *f
	cp.Input = append([]session.Input(nil), f.Input...)
	cp.ClientProgram = append([]string(nil), f.ClientProgram...)
	if err := cp.Validate(); err != nil {
		return nil, err
	}
	t := &Timeline{cursor: -1}
	s := t.newSession(&cp)
	t.c = newCapture(s)
	s.Rec.OnEvent = t.c.onEvent
	t.begin(len(cp.Input))
	return t, nil
}

// start builds a fresh session for f and applies its first n inputs.
func (t *Timeline) start(f *session.File, n int) {
	s := t.newSession(f)
	t.c = newCapture(s)
	s.Rec.OnEvent = t.c.onEvent
	t.wireSpans, t.wireSpansN = nil, 0
	t.run(n)
}

// newSession builds a fresh session for f and makes it the timeline's.
func (t *Timeline) newSession(f *session.File) *session.Session {
	s := session.New(f, session.Options{Trace: true})
	t.s, t.file = s, f
	t.teeIn, t.teeOut = nil, nil
	if s.Mode != session.ModeBoth {
		s.Duplex.ToServer.Tee = &t.teeIn
		s.Duplex.ToClient.Tee = &t.teeOut
	}
	t.inputStart, t.inputMark = nil, nil
	return s
}

// run runs the new session until idle and applies the first n inputs.
func (t *Timeline) run(n int) {
	t.begin(n)
	t.Continue(0)
}

// apply applies input i of the log and runs until idle.
func (t *Timeline) apply(i int) {
	t.inputStart = append(t.inputStart, t.s.Rec.Len())
	t.inputMark = append(t.inputMark, t.c.mark())
	t.err = t.s.Apply(t.file.Input[i])
	t.c.catchUp()
}

// Session is the live session at the end of the timeline.
func (t *Timeline) Session() *session.Session { return t.s }

// File is the timeline's input log (the session file to share or export).
func (t *Timeline) File() *session.File { return t.file }

// Err is what stopped the run early (a step budget ran out), or nil. Inputs
// after it were not applied.
func (t *Timeline) Err() error { return t.err }

// Len is the number of events.
func (t *Timeline) Len() int { return t.c.n }

// Cursor is the current event, 0..Len()-1, or -1 when there are none.
func (t *Timeline) Cursor() int { return t.cursor }

// View is the view at the cursor.
func (t *Timeline) View() View { return t.ViewAt(t.cursor) }

// ViewAt is the view at event i (clamped into range); with no events, a
// zero View with Seq -1.
func (t *Timeline) ViewAt(i int) View {
	n := t.Len()
	if n == 0 {
		return View{Seq: -1, Input: len(t.inputStart) - 1}
	}
	i = max(0, min(i, n-1))
	rec := t.s.Rec
	ev := rec.At(i)
	sn := t.c.snapAt(i)
	v := View{
		Seq: i, Step: int(ev.Step), Task: int(ev.Task), Span: rec.SpanString(ev.Span), Kind: ev.Kind.String(),
		WireIn: sn.wireIn, WireOut: sn.wireOut, ClockMS: sn.clock,
		Input: t.InputIndexAt(i),
	}
	t.c.fillConn(&v, &sn.main)
	if t.s.Mode == session.ModeBoth {
		cv := View{}
		t.c.fillConn(&cv, &sn.client)
		v.Client = &cv
	}
	return v
}

// Event is event i (a zero Event with Seq -1 when out of range).
func (t *Timeline) Event(i int) trace.Event {
	if i < 0 || i >= t.Len() {
		return trace.Event{Seq: -1}
	}
	return t.s.Rec.At(i)
}

// KindAt is event i's kind without building the event (0 <= i < Len), for
// scans that look at a few kinds of a long timeline.
func (t *Timeline) KindAt(i int) trace.Kind { return t.s.Rec.KindAt(i) }

// EventsInRange returns events lo..hi-1, clamped into range (for a
// virtualised event log).
func (t *Timeline) EventsInRange(lo, hi int) []trace.Event {
	lo, hi = max(lo, 0), min(hi, t.Len())
	if lo >= hi {
		return nil
	}
	out := make([]trace.Event, hi-lo)
	for i := range out {
		out[i] = t.s.Rec.At(lo + i)
	}
	return out
}

// SpanString renders an event's span ("Dispatcher.poll/Dispatcher.pollLoop#2/pollRead").
func (t *Timeline) SpanString(span int32) string { return t.s.Rec.SpanString(span) }

// boundaries are the events a unit stops at (nil for UnitEvent).
func (t *Timeline) boundaries(u Unit) []int32 {
	switch u {
	case UnitCall:
		return t.c.calls
	case UnitPoll:
		return t.c.polls
	case UnitIter:
		return t.c.iters
	case UnitRequest:
		return t.c.reqs
	}
	return nil
}

// StepForward moves to the next event of the unit (UnitEvent: the next
// event), or to the last event when no further one exists. It returns false
// when the cursor was already at the end.
func (t *Timeline) StepForward(u Unit) bool {
	n := t.Len()
	if t.cursor >= n-1 {
		return false
	}
	next := t.cursor + 1
	if u != UnitEvent {
		next = n - 1
		b := t.boundaries(u)
		// the first boundary after the cursor
		if j, _ := slices.BinarySearch(b, int32(t.cursor+1)); j < len(b) {
			next = int(b[j])
		}
	}
	t.cursor = next
	return true
}

// StepBack moves to the previous event of the unit (UnitEvent: the
// previous event), or to the first event when no earlier one exists. It
// returns false when the cursor was already at the start.
func (t *Timeline) StepBack(u Unit) bool {
	if t.cursor <= 0 {
		return false
	}
	prev := t.cursor - 1
	if u != UnitEvent {
		prev = 0
		b := t.boundaries(u)
		// the last boundary before the cursor
		if j, _ := slices.BinarySearch(b, int32(t.cursor)); j > 0 {
			prev = int(b[j-1])
		}
	}
	t.cursor = prev
	return true
}

// JumpTo moves the cursor to event n, clamped into 0..Len()-1.
func (t *Timeline) JumpTo(n int) {
	t.cursor = max(0, min(n, t.Len()-1))
	if t.Len() == 0 {
		t.cursor = -1
	}
}

// Boundaries lists the events a unit stops at, ascending (all events for
// UnitEvent are not listed: nil). For drawing tick marks on a timeline.
func (t *Timeline) Boundaries(u Unit) []int32 { return t.boundaries(u) }

// MatchingEvent returns, for a call event, its ret, and for a ret event,
// its call (-1 when i is neither or the pair is incomplete).
func (t *Timeline) MatchingEvent(i int) int {
	if i < 0 || i >= t.Len() {
		return -1
	}
	rec := t.s.Rec
	kind := rec.KindAt(i)
	span := rec.SpanAt(i)
	step := rec.At(i).Step
	switch kind {
	case trace.KindCall:
		for j := i + 1; j < t.Len(); j++ {
			if rec.KindAt(j) == trace.KindPoll {
				break // the step ended
			}
			if rec.KindAt(j) == trace.KindRet && rec.SpanAt(j) == span {
				return j
			}
		}
	case trace.KindRet:
		for j := i - 1; j >= 0; j-- {
			k := rec.KindAt(j)
			if k == trace.KindPoll && rec.At(j).Step != step {
				break
			}
			if k == trace.KindCall && rec.SpanAt(j) == span {
				return j
			}
		}
	}
	return -1
}

// InputIndexAt is the index (into File().Input) of the last input applied
// when event i happened; -1 before the first.
func (t *Timeline) InputIndexAt(i int) int {
	// the last input that started at or before event i
	j, _ := slices.BinarySearch(t.inputStart, i+1)
	return j - 1
}

// InputStart is the first event recorded after input k was applied (Len()
// when it recorded none and is the last).
func (t *Timeline) InputStart(k int) int {
	if k < 0 || k >= len(t.inputStart) {
		return -1
	}
	return t.inputStart[k]
}

// Applied is how many inputs of the log were applied (all of them unless
// Err stopped the run).
func (t *Timeline) Applied() int { return len(t.inputStart) }

// Fork continues from the cursor with a new input: the inputs up to the
// cursor's input index are replayed on a fresh session, in is applied once
// the engine is idle there, and the engine runs ahead. The input log
// becomes that prefix plus in (the old future is discarded). The cursor
// moves to the first new event (the last event when in recorded none). A
// bad input is an *Error naming it, and leaves the timeline as it was.
func (t *Timeline) Fork(in session.Input) error {
	k := t.InputIndexAt(t.cursor)
	f := *t.file
	f.Input = append(append([]session.Input(nil), t.file.Input[:k+1]...), in)
	if err := f.Validate(); err != nil {
		return err
	}
	if k+1 == len(t.file.Input) && t.err == nil && len(t.inputStart) == len(t.file.Input) && !t.running {
		// forking at the end is appending: the replay would rebuild
		// exactly this session
		return t.Append(in)
	}
	t.replay(&f, k+1)
	if t.err != nil {
		t.cursor = max(0, t.Len()-1)
		if t.Len() == 0 {
			t.cursor = -1
		}
		return t.err
	}
	first := t.Len()
	t.apply(k + 1)
	t.moveToFirstNew(first)
	return t.err
}

// Append applies in at the end (the sandbox's "send"), recording more
// events; the cursor moves to the first new event (the last event when in
// recorded none). After a run stopped by Err, nothing more is applied.
func (t *Timeline) Append(in session.Input) error {
	if t.err != nil {
		return &stoppedError{err: t.err}
	}
	if t.running {
		return errRunning
	}
	f := *t.file
	f.Input = append(t.file.Input[:len(t.file.Input):len(t.file.Input)], in)
	if err := f.Validate(); err != nil {
		return err
	}
	t.file.Input = f.Input
	first := t.Len()
	t.apply(len(t.file.Input) - 1)
	t.moveToFirstNew(first)
	return t.err
}

func (t *Timeline) moveToFirstNew(first int) {
	switch {
	case t.Len() == 0:
		t.cursor = -1
	case first < t.Len():
		t.cursor = first
	default:
		t.cursor = t.Len() - 1
	}
}

// Wire returns the two recorded streams as far as they go: everything
// written toward the server and toward the client. A View's WireIn and
// WireOut say how much of each existed at its event.
func (t *Timeline) Wire() (toServer, toClient []byte) {
	if t.s.Mode == session.ModeBoth {
		return t.s.ToServer(), t.s.ToClient()
	}
	return t.teeIn, t.teeOut
}

// WireSpan is the byte range of a recorded stream one io event read or
// wrote.
type WireSpan struct {
	Event  int    `json:"event"`
	Stream string `json:"stream"` // "to_server" or "to_client"
	End    string `json:"end"`    // the duplex end that did it: "server" or "client"
	Op     string `json:"op"`     // "read" or "write"
	Lo     int64  `json:"lo"`     // first byte (stream offset)
	Hi     int64  `json:"hi"`     // one past the last byte
}

// WireSpans lists, for every io event that moved bytes, the range of the
// stream it read or wrote, in event order (the UI jumps from a byte to its
// event). Bytes the person types are written outside the engine: their
// first span is the engine's read.
func (t *Timeline) WireSpans() []WireSpan {
	rec := t.s.Rec
	for ; t.wireSpansN < t.Len(); t.wireSpansN++ {
		i := t.wireSpansN
		if rec.KindAt(i) != trace.KindIO {
			continue
		}
		e := rec.At(i)
		if e.N <= 0 || (e.Name != "read" && e.Name != "write") {
			continue
		}
		stream := "to_client"
		if (e.Field == "server") == (e.Name == "read") {
			stream = "to_server"
		}
		t.wireSpans = append(t.wireSpans, WireSpan{Event: i, Stream: stream, End: e.Field, Op: e.Name, Lo: e.Off, Hi: e.Off + e.N})
	}
	return t.wireSpans
}

// EventAtWire returns the first io event whose span covers byte off of the
// stream ("to_server" or "to_client"), or -1.
func (t *Timeline) EventAtWire(stream string, off int64) int {
	for _, sp := range t.WireSpans() {
		if sp.Stream == stream && sp.Lo <= off && off < sp.Hi {
			return sp.Event
		}
	}
	return -1
}

// Text renders the view at event i with the event itself, for a terminal.
func (t *Timeline) Text(i int) string {
	v := t.ViewAt(i)
	var b strings.Builder
	if v.Seq < 0 {
		b.WriteString("no events\n")
		return b.String()
	}
	e := t.Event(v.Seq)
	b.WriteString("event " + strconv.Itoa(v.Seq) + " of " + strconv.Itoa(t.Len()) + " (step " + strconv.Itoa(v.Step) + ", task " + strconv.Itoa(v.Task) + ", input " + strconv.Itoa(v.Input) + ")\n")
	b.WriteString("  " + padRight(v.Kind, 11) + " " + eventSummary(e) + "\n")
	if v.Span != "" {
		b.WriteString("  span        " + v.Span + "\n")
	}
	if e.Ref != "" {
		b.WriteString("  ref         " + e.Ref + "\n")
	}
	conn := func(label string, v *View) {
		b.WriteString(padRight(label, 12) + " reading=" + dash(v.Reading) + " writing=" + dash(v.Writing) + " keep_alive=" + dash(v.KeepAlive) + " notify_read=" + strconv.FormatBool(v.NotifyRead) + "\n")
		b.WriteString("dispatcher   iter=" + strconv.Itoa(v.Iter) + "/16 is_closing=" + strconv.FormatBool(v.IsClosing) + " body_tx=" + dash(v.BodyTx) + " body_rx=" + strconv.FormatBool(v.BodyRx) + " in_flight=" + strconv.Quote(v.InFlight) + "\n")
		b.WriteString("buffers      read=" + strconv.Itoa(v.ReadBuf) + " write=" + strconv.Itoa(v.WriteBuf) + "\n")
		if t.s.Mode != session.ModeServer {
			b.WriteString("queue        " + strconv.Itoa(v.Queue) + " wanting=" + strconv.FormatBool(v.Wanting) + "\n")
		}
		b.WriteString("requests     " + strconv.Itoa(v.Requests) + " upgraded=" + strconv.FormatBool(v.Upgraded) + " done=" + strconv.FormatBool(v.Done) + "\n")
	}
	label := "conn"
	if t.s.Mode == session.ModeBoth {
		label = "server conn"
	} else if t.s.Mode == session.ModeClient {
		label = "client conn"
	}
	conn(label, &v)
	if v.Client != nil {
		conn("client conn", v.Client)
	}
	b.WriteString("wire         to_server=" + strconv.FormatInt(v.WireIn, 10) + " to_client=" + strconv.FormatInt(v.WireOut, 10) + "\n")
	b.WriteString("clock        " + strconv.FormatInt(v.ClockMS, 10) + " ms\n")
	return b.String()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// eventSummary is one line about an event's own fields.
func eventSummary(e trace.Event) string {
	switch e.Kind {
	case trace.KindTransition:
		return e.Field + " " + e.From + " -> " + e.To
	case trace.KindIO:
		s := e.Field + " " + e.Name + " " + strconv.FormatInt(e.N, 10) + " bytes at " + strconv.FormatInt(e.Off, 10)
		if e.Detail != "" {
			s += " (" + e.Detail + ")"
		}
		return s
	case trace.KindIter:
		return "poll_loop iteration " + strconv.FormatInt(e.N, 10)
	case trace.KindPoll:
		return e.Name + " polled (#" + strconv.FormatInt(e.N, 10) + "): " + e.Detail
	case trace.KindWake:
		return e.Name + " woke task " + strconv.FormatInt(e.N, 10) + " (" + e.Detail + ")"
	}
	var parts []string
	for _, p := range []string{e.Field, e.Name, e.Detail} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if e.N != 0 {
		parts = append(parts, "n="+strconv.FormatInt(e.N, 10))
	}
	return strings.Join(parts, " ")
}
