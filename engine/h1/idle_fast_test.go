package h1

import (
	"fmt"
	"testing"

	"github.com/connlab/connlab/engine/trace"
)

// State.idle stores its three changes at once when nothing records and
// the table allows them; the traced idle runs the three setters. From
// every combination of the fields, legal or not, both end in the same
// state, or panic with the same value.
func TestIdleFastPathMatchesSetters(t *testing.T) {
	run := func(ka KA, r ReadingKind, w WritingKind, rec *trace.Recorder) (out string) {
		s := &State{keepAlive: ka, reading: r, writing: w, role: RoleServer, rec: rec, method: "GET"}
		defer func() {
			if p := recover(); p != nil {
				out = fmt.Sprintf("panic %v", p)
			}
		}()
		s.idle()
		return fmt.Sprintf("ka=%v reading=%v writing=%v notify=%v method=%q", s.keepAlive, s.reading, s.writing, s.notifyRead, s.method)
	}
	fast := 0
	for ka := KA(0); ka <= KADisabled+1; ka++ {
		for r := ReadingKind(0); r <= ReadingClosed+1; r++ {
			for w := WritingKind(0); w <= WritingClosed+1; w++ {
				got, want := run(ka, r, w, nil), run(ka, r, w, trace.New())
				if got != want {
					t.Fatalf("idle from ka=%v reading=%v writing=%v:\n untraced %s\n traced   %s", ka, r, w, got, want)
				}
				if got[:5] != "panic" {
					fast++
				}
			}
		}
	}
	if fast == 0 {
		t.Fatal("no combination reached idle's end")
	}
}

// busyAnd's one store, untraced, is busy then andKeepAlive traced: the
// same end state or the same panic, from every keep_alive, whether the
// head keeps the connection or not.
func TestBusyAndMatchesSetters(t *testing.T) {
	run := func(ka KA, enabled bool, rec *trace.Recorder) (out string) {
		s := &State{keepAlive: ka, role: RoleServer, rec: rec}
		defer func() {
			if p := recover(); p != nil {
				out = fmt.Sprintf("panic %v", p)
			}
		}()
		if rec != nil {
			s.busy()
			s.andKeepAlive(enabled, trKAAnd)
		} else {
			s.busyAnd(enabled, trKAAnd)
		}
		return fmt.Sprintf("ka=%v", s.keepAlive)
	}
	for ka := KA(0); ka <= KADisabled+1; ka++ {
		for _, enabled := range []bool{false, true} {
			if got, want := run(ka, enabled, nil), run(ka, enabled, trace.New()); got != want {
				t.Fatalf("from %v, enabled %v: busyAnd %s, busy and andKeepAlive %s", ka, enabled, got, want)
			}
		}
	}
}
