package session

import "testing"

// TestModeNames: each mode reads back from its name, "" is the default
// server, anything else is refused, and an out-of-range Mode still prints.
func TestModeNames(t *testing.T) {
	for _, m := range []Mode{ModeServer, ModeClient, ModeBoth} {
		if got, ok := ParseMode(m.String()); !ok || got != m {
			t.Errorf("ParseMode(%q) = %v, %v", m.String(), got, ok)
		}
	}
	if m, ok := ParseMode(""); !ok || m != ModeServer {
		t.Errorf(`ParseMode("") = %v, %v; want server`, m, ok)
	}
	for _, bad := range []string{"Server", "peer", "both "} {
		if _, ok := ParseMode(bad); ok {
			t.Errorf("ParseMode(%q) accepted", bad)
		}
	}
	if s := Mode(9).String(); s != "Mode(9)" {
		t.Errorf("Mode(9) = %q", s)
	}
	if !ModeBoth.HasServer() || !ModeBoth.HasClient() || ModeServer.HasClient() || ModeClient.HasServer() {
		t.Error("HasServer/HasClient disagree with the modes")
	}
}
