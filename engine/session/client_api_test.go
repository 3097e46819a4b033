package session

import (
	"fmt"
	"strings"
	"testing"
)

// The client program lines for the rest of hyper's client API (issue 15
// item 4); each golden scenario shows one, these pin the log lines and the
// errors.
func TestClientAPIScenarios(t *testing.T) {
	for name, want := range map[string]struct {
		state, kind string
		log         []string
		toServer    string
	}{
		"client-http10":        {"closed", "", []string{"send_request GET / HTTP/1.0", `body "hello"`}, "GET / HTTP/1.0\r\nhost: x\r\n\r\n"},
		"client-ready":         {"error", "closed", []string{"line 3: ready: the connection wants a request", "line 7: error: channel closed"}, ""},
		"client-try-send":      {"closed", "", []string{"line 6: try_send_request GET /b came back: connection was not ready; SendRequest::is_closed() = false", "line 9: try_send_request GET /b\n", "line 13: try_send_request GET /c came back: connection was not ready; SendRequest::is_closed() = true"}, "GET /a HTTP/1.1\r\nhost: x\r\n\r\nGET /b HTTP/1.1\r\nhost: x\r\n\r\n"},
		"client-with-upgrades": {"upgraded", "", []string{`upgraded: the IO arrived with 5 leftover bytes "hello"`, `read 5 bytes "hello"`, `read 4 bytes "pong"`}, "ping"},
		"client-trailers":      {"closed", "", []string{"trailers X-Checksum, X-Extra", `body "abc"`}, "3\r\nabc\r\n0\r\nx-checksum: 9a\r\n\r\n"},
		"client-reset":         {"error", "body", []string{"ECONNRESET"}, ""},
		"client-101":           {"closed", "", []string{"response 101"}, ""},
	} {
		s, tr := scenario(t, name)
		kind := ""
		if tr.Result.Error != nil {
			kind = tr.Result.Error.Kind
		}
		log := strings.Join(tr.Client.Log, "\n") + "\n"
		if tr.Result.State != want.state || kind != want.kind {
			t.Errorf("%s: result %+v kind %q", name, tr.Result, kind)
		}
		for _, l := range want.log {
			if !strings.Contains(log, l) {
				t.Errorf("%s: log has no %q:\n%s", name, l, log)
			}
		}
		if back := fmt.Sprint(s.Client.GivenBack()); name == "client-try-send" && back != "[6 13]" || name != "client-try-send" && back != "[]" {
			t.Errorf("%s: requests given back on lines %s", name, back)
		}
		if !strings.HasSuffix(string(s.ToServer()), want.toServer) {
			t.Errorf("%s: the client wrote %q, want it to end with %q", name, s.ToServer(), want.toServer)
		}
	}
}

// TestClientUpgradeWithoutWithUpgrades: a 101 on a plain connection gives
// `await upgrade` hyper's manual-upgrade error, and the socket closes.
func TestClientUpgradeWithoutWithUpgrades(t *testing.T) {
	s := runJSON(t, `{"version":1,"mode":"client","client_program":["handshake","spawn conn",
		"send GET / header \"Host: x\" header \"Connection: upgrade\" header \"Upgrade: echo\"","await response","await upgrade"],
		"input":[{"send":"HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\nleft"}]}`)
	tr := s.Transcript(false)
	if tr.Result.State != "error" || tr.Result.Error.Kind != "user" || !strings.Contains(tr.Result.Explain, "line 5: upgrade expected but low level API in use") {
		t.Fatalf("%+v", tr.Result)
	}
	if !tr.PeerEOF {
		t.Fatal("the socket stayed open")
	}
}

func TestClientAPIProgramErrors(t *testing.T) {
	for _, c := range []struct{ program, input, explain string }{
		{`"handshake","spawn conn","with upgrades"`, ``, "line 3: with upgrades after the connection was spawned"},
		{`"handshake","spawn conn","send GET / header \"Host: x\"","await response","await upgrade"`, `{"send":"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"}`, "line 5: no upgrade available"},
		{`"handshake","spawn conn","await upgrade"`, ``, "line 3: await upgrade with no response"},
		{`"handshake","upgraded write \"x\""`, ``, "line 2: upgraded write before await upgrade"},
		{`"handshake","upgraded read"`, ``, "line 2: upgraded read before await upgrade"},
		{`"handshake","send POST / body \"x\"","send-trailers \"A: b\""`, ``, "line 3: send-trailers without a `send ... body stream`"},
		{`"ready"`, ``, "line 1: ready before handshake"},
	} {
		s := runJSON(t, `{"version":1,"mode":"client","client_program":[`+c.program+`],"input":[`+c.input+`]}`)
		tr := s.Transcript(false)
		if tr.Result.State != "error" || !strings.Contains(tr.Result.Explain, c.explain) {
			t.Errorf("%s: %+v, want %q", c.program, tr.Result, c.explain)
		}
	}
}

// TestTrySendQueuedRequestComesBack: a try send queued before the
// connection runs, which then fails on the server's FIN before writing it
// (Client::recv_msg cancels the queued request with the error), comes back
// to the program at await response: logged, and the program goes on.
func TestTrySendQueuedRequestComesBack(t *testing.T) {
	s := runJSON(t, `{"version":1,"mode":"client","client_program":["handshake","try send GET /q header \"Host: x\"","sleep 10ms",
		"spawn conn","await response","sleep 1ms"],"input":[{"shutdown":"write"},{"wait_ms":10},{"wait_ms":1}]}`)
	tr := s.Transcript(false)
	log := strings.Join(tr.Client.Log, "\n")
	if !strings.Contains(log, "line 5: try_send_request gave the request back (GET /q): operation was canceled: connection closed before message completed") ||
		!strings.Contains(log, "line 6: slept 1ms") {
		t.Fatalf("log:\n%s", log)
	}
	if back := s.Client.GivenBack(); len(back) != 1 || back[0] != 5 {
		t.Fatalf("requests given back on lines %v, want [5]", back)
	}
	if len(s.ToServer()) != 0 {
		t.Fatalf("the request was written: %q", s.ToServer())
	}
}
