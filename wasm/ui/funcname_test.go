package ui

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/trace"
)

// TestEventTextNamesHyperFirst: a call or ret event reads with hyper's
// function name first and connlab's Go name beside it, in the log row and
// in the explanation.
func TestEventTextNamesHyperFirst(t *testing.T) {
	call := trace.Event{Kind: trace.KindCall, Name: "Conn.pollReadHead", Ref: "conn.rs Conn::poll_read_head §12.10.1"}
	ret := trace.Event{Kind: trace.KindRet, Name: "State.tryKeepAlive", Detail: "Idle"}
	for _, tc := range []struct{ got, want string }{
		{eventText(call, 0), "→ Conn::poll_read_head (Conn.pollReadHead)"},
		{eventText(ret, 0), "← State::try_keep_alive (State.tryKeepAlive): Idle"},
		{explainEvent(call), "The engine enters Conn::poll_read_head (Conn.pollReadHead)."},
		{explainEvent(ret), "State::try_keep_alive (State.tryKeepAlive) returns Idle."},
	} {
		if tc.got != tc.want {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
	// a name that is not Type.method stays as it is
	if got := eventText(trace.Event{Kind: trace.KindCall, Name: "handle"}, 0); !strings.HasSuffix(got, "handle") {
		t.Errorf("%q", got)
	}
}
