package session

import (
	"strings"
	"testing"
)

// TestServerHangShowsItsWaits (issue 16, item 8): in mode server, a
// service that holds its request while no task can run is a hang, and the
// result lists what the connection waits on, as a deadlock's does; an
// idle connection waiting for the next head lists nothing.
func TestServerHangShowsItsWaits(t *testing.T) {
	run := func(handler, send string) Result {
		f, err := ParseBytes([]byte(`{"version": 1, "mode": "server", "handler": "` + handler + `",
			"transport": {"capacity": 1024, "read_chunk": 0}, "input": [{"send": "` + send + `"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		s := New(f, Options{})
		if err := s.Run(); err != nil {
			t.Fatal(err)
		}
		return s.Transcript(false).Result
	}
	held := run("hold-body", `POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n`+strings.Repeat("u", 3000))
	if held.State != "running" || len(held.Waits) != 1 {
		t.Fatalf("held upload: %s with %d waits, want running with the connection's", held.State, len(held.Waits))
	}
	if w := held.Waits[0]; w.Name != "server connection" || !strings.Contains(strings.Join(w.WaitsOn, ";"), "body channel room") {
		t.Errorf("held upload: the connection waits on %q, want the body channel's room", w.WaitsOn)
	}
	idle := run("hello", `GET / HTTP/1.1\r\nHost: x\r\n\r\n`)
	if idle.State != "running" || len(idle.Waits) != 0 {
		t.Errorf("idle connection: %s with waits %+v, want running with none", idle.State, idle.Waits)
	}
}
