package session

import (
	"strings"
	"testing"
)

// TestServiceProgramFile: a session file's service_program runs in place of
// a handler; the two are exclusive, and a bad program is an error naming the
// key, the line and the column (issue 17, item 1).
func TestServiceProgramFile(t *testing.T) {
	bad := []struct{ json, key, msg string }{
		{`{"version":1,"handler":"hello","service_program":["respond 200"]}`, "service_program", "handler and service_program are exclusive"},
		{`{"version":1,"mode":"client","client_program":["handshake"],"service_program":["respond 200"]}`, "service_program", `mode "client" has no engine server`},
		{`{"version":1,"service_program":["read-body","respnd 200"]}`, "service_program", `service_program line 2, column 1: unknown operation "respnd"; did you mean "respond"?`},
		{`{"version":1,"service_program":[]}`, "service_program", "the program is empty"},
		{`{"version":1}`, "handler", "or give a service_program"},
	}
	for _, c := range bad {
		_, err := ParseBytes([]byte(c.json))
		e, ok := err.(*Error)
		if !ok || e.Key != c.key || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("%s: %v, want %s: ...%s...", c.json, err, c.key, c.msg)
		}
	}
	f, err := ParseBytes([]byte(`{"version":1,"service_program":["on POST /upload","  respond 413 body \"too big\"","default","  read-body","  respond 200 body \"got \" count"],
		"input":[{"send":"POST /upload HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"},{"send":"POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Service() == nil || f.Handler != "" {
		t.Fatalf("service %v, handler %q", f.Service(), f.Handler)
	}
	s := New(f, Options{})
	if err := s.Run(); err != nil {
		t.Fatal(err)
	}
	got := string(s.ToClient())
	for _, want := range []string{"HTTP/1.1 413 Payload Too Large\r\ncontent-length: 7\r\n", "too big", "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n", "got 3"} {
		if !strings.Contains(got, want) {
			t.Errorf("response bytes %q lack %q", got, want)
		}
	}
	back, err := ParseBytes(f.AppendJSON(nil, true))
	if err != nil || strings.Join(back.ServiceProgram, "\n") != strings.Join(f.ServiceProgram, "\n") {
		t.Errorf("round trip: %v, %q", err, back.ServiceProgram)
	}
}
