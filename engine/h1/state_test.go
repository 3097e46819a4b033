package h1

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/trace"
)

func TestKAAndIsOneWay(t *testing.T) {
	k := KABusy
	k.And(true)
	if k != KABusy {
		t.Fatalf("&= true changed %v", k)
	}
	k.And(false)
	if k != KADisabled {
		t.Fatalf("&= false gave %v, want Disabled", k)
	}
	k.And(true)
	if k != KADisabled {
		t.Fatalf("&= true after false gave %v: the lock must be one-way", k)
	}
}

func TestBusyNeverLeavesDisabled(t *testing.T) {
	s := State{keepAlive: KADisabled}
	s.busy()
	if s.keepAlive != KADisabled {
		t.Fatalf("busy() moved Disabled to %v", s.keepAlive)
	}
	s = State{keepAlive: KAIdle}
	s.busy()
	if s.keepAlive != KABusy {
		t.Fatalf("busy() from Idle gave %v", s.keepAlive)
	}
}

func TestTryKeepAliveFourPaths(t *testing.T) {
	cases := []struct {
		name    string
		reading ReadingKind
		writing WritingKind
		ka      KA
		wantR   ReadingKind
		wantW   WritingKind
		wantKA  KA
	}{
		{"both done, busy: idle for reuse", ReadingKeepAlive, WritingKeepAlive, KABusy, ReadingInit, WritingInit, KAIdle},
		{"both done, disabled: close", ReadingKeepAlive, WritingKeepAlive, KADisabled, ReadingClosed, WritingClosed, KADisabled},
		{"read closed, write done: close", ReadingClosed, WritingKeepAlive, KABusy, ReadingClosed, WritingClosed, KADisabled},
		{"read done, write closed: close", ReadingKeepAlive, WritingClosed, KABusy, ReadingClosed, WritingClosed, KADisabled},
		{"read still in body: nothing yet", ReadingBody, WritingKeepAlive, KABusy, ReadingBody, WritingKeepAlive, KABusy},
		{"write still in body: nothing yet", ReadingKeepAlive, WritingBody, KABusy, ReadingKeepAlive, WritingBody, KABusy},
		{"write not started: nothing yet", ReadingKeepAlive, WritingInit, KABusy, ReadingKeepAlive, WritingInit, KABusy},
	}
	for _, c := range cases {
		s := State{reading: c.reading, writing: c.writing, keepAlive: c.ka}
		s.tryKeepAlive()
		if s.reading != c.wantR || s.writing != c.wantW || s.keepAlive != c.wantKA {
			t.Errorf("%s: got (%v, %v, %v), want (%v, %v, %v)", c.name, s.reading, s.writing, s.keepAlive, c.wantR, c.wantW, c.wantKA)
		}
	}
}

func TestIdleNotifiesReadForClientAndHeaderTimeout(t *testing.T) {
	cases := []struct {
		name    string
		role    Role
		timeout int64
		want    bool
	}{
		{"server without timeout waits passively", RoleServer, 0, false},
		{"server with header timeout starts the next timer at once", RoleServer, 100, true},
		{"client polls its request queue again", RoleClient, 0, true},
	}
	for _, c := range cases {
		s := State{role: c.role, headerReadTimeout: c.timeout, reading: ReadingKeepAlive, writing: WritingKeepAlive, keepAlive: KABusy, method: "GET"}
		s.idle()
		if s.notifyRead != c.want {
			t.Errorf("%s: notify_read = %v, want %v", c.name, s.notifyRead, c.want)
		}
		if s.reading != ReadingInit || s.writing != WritingInit || s.keepAlive != KAIdle || s.method != "" {
			t.Errorf("%s: idle left (%v, %v, %v, %q)", c.name, s.reading, s.writing, s.keepAlive, s.method)
		}
	}
}

func TestCloseFunctionsDisableKeepAlive(t *testing.T) {
	for name, f := range map[string]func(*State){"close": (*State).close, "closeRead": (*State).closeRead, "closeWrite": (*State).closeWrite} {
		s := State{keepAlive: KABusy}
		f(&s)
		if s.keepAlive != KADisabled {
			t.Errorf("%s left keep_alive %v", name, s.keepAlive)
		}
	}
	s := State{reading: ReadingBody, writing: WritingBody, keepAlive: KABusy}
	s.closeRead()
	if s.reading != ReadingClosed || s.writing != WritingBody {
		t.Errorf("closeRead touched writing: %v %v", s.reading, s.writing)
	}
}

// TestTransitionTablesAllowStateFunctions checks the tables the UI draws
// against what the state functions do from every state.
func TestTransitionTablesAllowStateFunctions(t *testing.T) {
	allowedR := func(from, to ReadingKind) bool {
		if from == to {
			return true
		}
		for _, x := range readingNext[from] {
			if x == to {
				return true
			}
		}
		return false
	}
	allowedW := func(from, to WritingKind) bool {
		if from == to {
			return true
		}
		for _, x := range writingNext[from] {
			if x == to {
				return true
			}
		}
		return false
	}
	for r := ReadingInit; r <= ReadingClosed; r++ {
		for w := WritingInit; w <= WritingClosed; w++ {
			for _, f := range []func(*State){(*State).tryKeepAlive, (*State).close, (*State).closeRead, (*State).closeWrite} {
				s := State{reading: r, writing: w, keepAlive: KABusy}
				f(&s)
				if !allowedR(r, s.reading) || !allowedW(w, s.writing) {
					t.Errorf("from (%v, %v) a state function moved to (%v, %v), not in the tables", r, w, s.reading, s.writing)
				}
			}
		}
	}
}

// mustPanic runs f and returns the panic's text ("" when f did not panic).
func mustPanic(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			msg = "panic"
			if e, ok := p.(error); ok {
				msg = e.Error()
			}
		}
	}()
	f()
	return ""
}

// TestIllegalTransitionPanics: a change the table does not list panics at
// the setter, before anything is assigned or recorded.
func TestIllegalTransitionPanics(t *testing.T) {
	cases := []struct {
		name string
		s    State
		f    func(*State)
		want string
	}{
		{"reading Closed -> Body", State{reading: ReadingClosed}, func(s *State) { s.setReading(ReadingBody, 0) }, "reading Closed -> Body"},
		{"reading Init -> Init is no change", State{reading: ReadingInit}, func(s *State) { s.setReading(ReadingInit, 0) }, ""},
		{"reading Body -> Continue", State{reading: ReadingBody}, func(s *State) { s.setReading(ReadingContinue, 0) }, "reading Body -> Continue"},
		{"writing Closed -> Init", State{writing: WritingClosed}, func(s *State) { s.setWriting(WritingInit, 0) }, "writing Closed -> Init"},
		{"writing Init -> Init via KeepAlive is fine", State{writing: WritingKeepAlive}, func(s *State) { s.setWriting(WritingInit, 0) }, ""},
		{"keep_alive Disabled -> Idle", State{keepAlive: KADisabled}, func(s *State) { s.setKeepAlive(KAIdle, 0) }, "keep_alive Disabled -> Idle"},
		{"idle() from Disabled", State{reading: ReadingKeepAlive, writing: WritingKeepAlive, keepAlive: KADisabled}, (*State).idle, "keep_alive Disabled -> Idle"},
	}
	for _, c := range cases {
		rec := trace.New()
		s := c.s
		s.rec = rec
		before := s
		msg := mustPanic(t, func() { c.f(&s) })
		switch {
		case c.want == "" && msg != "":
			t.Errorf("%s: panicked: %s", c.name, msg)
		case c.want != "" && !strings.Contains(msg, c.want):
			t.Errorf("%s: panic %q, want one naming %q", c.name, msg, c.want)
		case c.want != "" && (s.reading != before.reading || s.writing != before.writing || s.keepAlive != before.keepAlive || rec.Len() != 0):
			t.Errorf("%s: an illegal change was assigned or recorded: %+v, %d events", c.name, s, rec.Len())
		}
	}
	d := &Dispatcher{isClosing: true}
	if msg := mustPanic(t, d.setClosing); msg != "" {
		t.Errorf("setClosing twice: %s", msg)
	}
	if msg := mustPanic(t, func() { checkTransition(FieldIsClosing, 1, 0) }); !strings.Contains(msg, "is_closing true -> false") {
		t.Errorf("is_closing true -> false: %q", msg)
	}
}

// TestSettersAssignThenRecord: a transition event carries the field and
// both values typed as well as by name, and whoever looks at the state while
// the event is recorded (the timeline's OnEvent hook) already sees the new
// value.
func TestSettersAssignThenRecord(t *testing.T) {
	rec := trace.New()
	s := &State{reading: ReadingInit, writing: WritingInit, keepAlive: KABusy, rec: rec}
	d := &Dispatcher{rec: rec}
	type seen struct {
		r  ReadingKind
		w  WritingKind
		ka KA
		nr bool
		cl bool
	}
	var at []seen
	rec.OnEvent = func(int) {
		at = append(at, seen{s.reading, s.writing, s.keepAlive, s.notifyRead, d.isClosing})
	}
	s.setReading(ReadingBody, 0)
	s.setWriting(WritingBody, 0)
	s.setKeepAlive(KADisabled, 0)
	s.setNotifyRead(true)
	d.setClosing()
	want := []struct {
		field    StateField
		from, to uint8
		names    [3]string
		now      seen
	}{
		{FieldReading, uint8(ReadingInit), uint8(ReadingBody), [3]string{"reading", "Init", "Body"}, seen{ReadingBody, WritingInit, KABusy, false, false}},
		{FieldWriting, uint8(WritingInit), uint8(WritingBody), [3]string{"writing", "Init", "Body"}, seen{ReadingBody, WritingBody, KABusy, false, false}},
		{FieldKeepAlive, uint8(KABusy), uint8(KADisabled), [3]string{"keep_alive", "Busy", "Disabled"}, seen{ReadingBody, WritingBody, KADisabled, false, false}},
		{FieldNotifyRead, 0, 1, [3]string{"notify_read", "false", "true"}, seen{ReadingBody, WritingBody, KADisabled, true, false}},
		{FieldIsClosing, 0, 1, [3]string{"is_closing", "false", "true"}, seen{ReadingBody, WritingBody, KADisabled, true, true}},
	}
	if rec.Len() != len(want) {
		t.Fatalf("%d events, want %d", rec.Len(), len(want))
	}
	for i, w := range want {
		e := rec.At(i)
		if e.Kind != trace.KindTransition || StateField(e.FieldID) != w.field || e.FromID != w.from || e.ToID != w.to ||
			e.Field != w.names[0] || e.From != w.names[1] || e.To != w.names[2] || e.Field != w.field.String() {
			t.Errorf("event %d: %+v, want %v %d -> %d %v", i, e, w.field, w.from, w.to, w.names)
		}
		if at[i] != w.now {
			t.Errorf("event %d: the hook saw %+v, want %+v (assign, then record)", i, at[i], w.now)
		}
	}
}

// TestTypedNames: every typed value has a name from its table, and a value
// outside the table names its type instead of panicking.
func TestTypedNames(t *testing.T) {
	cases := []struct{ got, want string }{
		{ReadingInit.String(), "Init"}, {ReadingContinue.String(), "Continue"}, {ReadingBody.String(), "Body"},
		{ReadingKeepAlive.String(), "KeepAlive"}, {ReadingClosed.String(), "Closed"}, {ReadingKind(9).String(), "ReadingKind(9)"},
		{WritingInit.String(), "Init"}, {WritingBody.String(), "Body"}, {WritingKeepAlive.String(), "KeepAlive"},
		{WritingClosed.String(), "Closed"}, {WritingKind(4).String(), "WritingKind(4)"},
		{KAIdle.String(), "Idle"}, {KABusy.String(), "Busy"}, {KADisabled.String(), "Disabled"}, {KA(3).String(), "KA(3)"},
		{FieldReading.String(), "reading"}, {FieldWriting.String(), "writing"}, {FieldKeepAlive.String(), "keep_alive"},
		{FieldNotifyRead.String(), "notify_read"}, {FieldIsClosing.String(), "is_closing"},
		{StateField(0).String(), "StateField(0)"}, {StateField(6).String(), "StateField(6)"},
		{RoleServer.String(), "server"}, {RoleClient.String(), "client"}, {Role(2).String(), "Role(2)"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("String() = %q, want %q", c.got, c.want)
		}
	}
}

// TestTransitionsIsACopyOfTheTables: Transitions lists every field's table
// (the diagram's three first), and changing what it returns, or the
// deprecated maps, changes nothing the engine checks.
func TestTransitionsIsACopyOfTheTables(t *testing.T) {
	ts := Transitions()
	if len(ts) != 5 || ts[0].Field != FieldReading || ts[1].Field != FieldWriting || ts[2].Field != FieldKeepAlive ||
		ts[3].Field != FieldNotifyRead || ts[4].Field != FieldIsClosing {
		t.Fatalf("tables %+v", ts)
	}
	if ts[0].Title != "Reading" || ts[1].Title != "Writing" || ts[2].Title != "KA" ||
		strings.Join(ts[0].States, ",") != "Init,Continue,Body,KeepAlive,Closed" || len(ts[0].Edges) != 10 {
		t.Fatalf("reading table %+v", ts[0])
	}
	ts[0].Edges[0] = [2]uint8{4, 0}
	ts[0].States[0] = "Mangled"
	if Transitions()[0].Edges[0] != [2]uint8{0, 1} || ReadingInit.String() != "Init" {
		t.Errorf("Transitions shares memory with the tables")
	}
	s := State{reading: ReadingClosed}
	if mustPanic(t, func() { s.setReading(ReadingInit, 0) }) == "" {
		t.Errorf("the engine checked the deprecated map, not its own table")
	}
}

// TestRoleAnswers: each role's answers to hyper's Http1Transaction
// questions, and the behaviours that differ (on_error), read from the
// role's table.
func TestRoleAnswers(t *testing.T) {
	type answers struct{ isServer, isClient, readFirst, errorOnEOF, updateDate bool }
	for _, c := range []struct {
		role Role
		want answers
	}{
		{RoleServer, answers{isServer: true, readFirst: true, updateDate: true}},
		{RoleClient, answers{isClient: true, errorOnEOF: true}},
	} {
		r := c.role
		got := answers{r.IsServer(), r.IsClient(), r.ShouldReadFirst(), r.ShouldErrorOnParseEOF(), r.UpdateDate()}
		if got != c.want {
			t.Errorf("%v: %+v, want %+v", r, got, c.want)
		}
		head, ok := r.tx().onError(newParse(ParseTooLarge))
		if ok != r.IsServer() || (ok && head.Status != 431) {
			t.Errorf("%v: on_error(too large) = %d, %v", r, head.Status, ok)
		}
	}
}
