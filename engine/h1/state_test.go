package h1

import "testing"

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
		for _, x := range ReadingTransitions[from] {
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
		for _, x := range WritingTransitions[from] {
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
