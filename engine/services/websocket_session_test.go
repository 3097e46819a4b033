package services_test

// Sessions with the upgrade-ws service: the handshake, the echo scenario,
// backpressure. They run whole sessions (engine/session imports this
// package), so they are external tests; export_test.go lends them the frame
// helpers of websocket_test.go.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/services"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/trace"
)

// wsHead is a valid opening handshake with the RFC's sample key, with extra
// or replaced lines.
func wsHead(replace ...string) string {
	lines := []string{
		"GET /chat HTTP/1.1",
		"Host: example.com",
		"Upgrade: websocket",
		"Connection: Upgrade",
		"Sec-WebSocket-Key: " + services.SampleKey,
		"Sec-WebSocket-Version: 13",
	}
	for i := 0; i+1 < len(replace); i += 2 {
		found := false
		for j, l := range lines {
			if strings.HasPrefix(l, replace[i]) {
				lines[j] = replace[i+1]
				found = true
			}
		}
		if !found {
			lines = append(lines, replace[i+1])
		}
	}
	var out []string
	for _, l := range lines {
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\r\n") + "\r\n\r\n"
}

// wsSession runs the handler with the given sends (as base64 inputs).
func wsSession(t *testing.T, readChunk, capacity int, inputs ...string) *session.Session {
	t.Helper()
	var in []string
	for _, s := range inputs {
		switch s {
		case "shutdown":
			in = append(in, `{"shutdown":"write"}`)
		case "stall-writes", "release-writes":
			in = append(in, `{"fault":"`+s+`"}`)
		default:
			in = append(in, `{"send_b64":"`+base64.StdEncoding.EncodeToString([]byte(s))+`"}`)
		}
	}
	js := fmt.Sprintf(`{"version":1,"mode":"server","handler":"upgrade-ws","transport":{"read_chunk":%d,"capacity":%d},"input":[%s]}`,
		readChunk, capacity, strings.Join(in, ","))
	return runJSON(t, js)
}

// serverFrames splits what the client received into the HTTP head and the
// frames after it, checking that the server's frames are unmasked.
func serverFrames(t *testing.T, out []byte) (string, []services.Frame) {
	t.Helper()
	i := bytes.Index(out, []byte("\r\n\r\n"))
	if i < 0 {
		t.Fatalf("no response head in %q", out)
	}
	head, rest := string(out[:i+4]), out[i+4:]
	return head, services.DecodeServerFrames(t, rest)
}

func TestWSHandshakeAccepted(t *testing.T) {
	s := wsSession(t, 0, 0, wsHead(), "shutdown")
	head, frames := serverFrames(t, s.ToClient())
	for _, want := range []string{
		"HTTP/1.1 101 Switching Protocols\r\n", "upgrade: websocket\r\n", "connection: upgrade\r\n",
		"sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n",
	} {
		if !strings.Contains(head, want) {
			t.Errorf("response head lacks %q:\n%s", want, head)
		}
	}
	if len(frames) != 0 {
		t.Errorf("frames without input: %v", frames)
	}
	tr := s.Transcript(false)
	if tr.Result.State != "upgraded" || !tr.PeerEOF || !s.Ex.AllDone() {
		t.Fatalf("EOF without close: result %s, peer eof %v, all done %v", tr.Result.State, tr.PeerEOF, s.Ex.AllDone())
	}
	// Tokens in lists, any case, and OWS are fine.
	s = wsSession(t, 0, 0, wsHead("Upgrade:", "Upgrade: foo/2, WebSocket", "Connection:", "Connection: keep-alive, UPGRADE",
		"Sec-WebSocket-Version:", "Sec-WebSocket-Version:  13 "), "shutdown")
	if !strings.HasPrefix(string(s.ToClient()), "HTTP/1.1 101 ") {
		t.Fatalf("token lists: %q", s.ToClient())
	}
}

func TestWSHandshakeFailures(t *testing.T) {
	for _, c := range []struct {
		name, req, problem string
		version            bool
	}{
		{"post", strings.Replace(wsHead(), "GET", "POST", 1), "must be GET, not POST", false},
		{"http10", strings.Replace(wsHead(), "HTTP/1.1", "HTTP/1.0", 1), "HTTP/1.1 is required", false},
		{"no upgrade", wsHead("Upgrade:", ""), "`Upgrade: websocket`", false},
		{"other upgrade", wsHead("Upgrade:", "Upgrade: h2c"), "`Upgrade: websocket`", false},
		{"no connection token", wsHead("Connection:", "Connection: keep-alive"), "`Connection` header must contain the `upgrade` token", false},
		{"version 8", wsHead("Sec-WebSocket-Version:", "Sec-WebSocket-Version: 8"), "must be 13, got \"8\"", true},
		{"no version", wsHead("Sec-WebSocket-Version:", ""), "`Sec-WebSocket-Version: 13` header is required", true},
		{"two versions", wsHead("X:", "Sec-WebSocket-Version: 13"), "must be 13", true},
		{"no key", wsHead("Sec-WebSocket-Key:", ""), "`Sec-WebSocket-Key` header is required", false},
		{"two keys", wsHead("X:", "Sec-WebSocket-Key: "+services.SampleKey), "must appear once", false},
		{"key not base64", wsHead("Sec-WebSocket-Key:", "Sec-WebSocket-Key: not*base64!!"), "base64 of 16 bytes", false},
		{"key of 15 bytes", wsHead("Sec-WebSocket-Key:", "Sec-WebSocket-Key: "+base64.StdEncoding.EncodeToString(make([]byte, 15))), "base64 of 16 bytes", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := wsSession(t, 0, 0, c.req, "shutdown")
			out := string(s.ToClient())
			// (hyper answers an HTTP/1.0 request in HTTP/1.0)
			if !strings.HasPrefix(out, "HTTP/1.1 400 Bad Request\r\n") && !strings.HasPrefix(out, "HTTP/1.0 400 Bad Request\r\n") {
				t.Fatalf("not a 400: %q", out)
			}
			i := strings.Index(out, "\r\n\r\n")
			head, text := out[:i+4], out[i+4:]
			if !strings.Contains(text, c.problem) || !strings.HasPrefix(text, "websocket handshake: ") {
				t.Errorf("body %q does not name %q", text, c.problem)
			}
			if got := strings.Contains(head, "sec-websocket-version: 13\r\n"); got != c.version {
				t.Errorf("sec-websocket-version header present %v, want %v:\n%s", got, c.version, head)
			}
			if strings.Contains(head, "sec-websocket-accept") {
				t.Errorf("a failed handshake carries an accept value")
			}
			if countKind(s, trace.KindFrame) != 0 {
				t.Errorf("frames after a failed handshake")
			}
		})
	}
}

// wsEchoWant is what ws-echo.json's client receives after the 101 head.
var wsEchoWant = []services.Frame{
	{true, services.OpText, "hello"},
	{true, services.OpPong, "are you there?"},
	{true, services.OpBinary, "\x01\x02\x03\x04\x05"},
	services.CloseFrame(1000),
}

func TestWSEchoScenario(t *testing.T) {
	f := loadScenario(t, "../session/testdata/scenarios/ws-echo.json")
	// the first send carries the head and a whole frame: the leftover
	first := f.Input[0].Bytes()
	i := bytes.Index(first, []byte("\r\n\r\n"))
	if i < 0 || len(first) == i+4 {
		t.Fatal("ws-echo's first send must hold a frame after the head")
	}
	for _, chunk := range []int{0, 1, 2, 7} {
		f := loadScenario(t, "../session/testdata/scenarios/ws-echo.json")
		f.Transport.ReadChunk = chunk
		s := runScenario(t, f)
		head, frames := serverFrames(t, s.ToClient())
		if !strings.HasPrefix(head, "HTTP/1.1 101 Switching Protocols\r\n") || !strings.Contains(head, "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n") {
			t.Fatalf("chunk %d: head %q", chunk, head)
		}
		if fmt.Sprint(frames) != fmt.Sprint(wsEchoWant) {
			t.Fatalf("chunk %d: frames %v\nwant %v", chunk, frames, wsEchoWant)
		}
		tr := s.Transcript(false)
		if !tr.PeerEOF || tr.Result.State != "upgraded" || !s.Ex.AllDone() {
			t.Fatalf("chunk %d: eof %v result %s all done %v", chunk, tr.PeerEOF, tr.Result.State, s.Ex.AllDone())
		}
		var evs []string
		var leftover int64 = -1
		for _, e := range s.Rec.Events() {
			switch e.Kind {
			case trace.KindFrame:
				evs = append(evs, fmt.Sprintf("%s %s %s %d", e.Field, e.Name, e.Detail, e.N))
			case trace.KindUpgrade:
				leftover = e.N
			}
		}
		if chunk == 0 && leftover != int64(len(first)-i-4) {
			t.Fatalf("chunk %d: leftover at the handoff %d, want the frame's %d bytes", chunk, leftover, len(first)-i-4)
		}
		want := []string{
			"in text fin 5", "out text fin 5",
			"in binary more 3", "in ping fin 14", "out pong fin 14", "in continuation fin 2", "out binary fin 5",
			"in close fin 2", "out close fin 2",
		}
		if strings.Join(evs, "\n") != strings.Join(want, "\n") {
			t.Fatalf("chunk %d: frame events\n%s\nwant\n%s", chunk, strings.Join(evs, "\n"), strings.Join(want, "\n"))
		}
	}
}

func TestWSSessions(t *testing.T) {
	hello := services.ClientFrame(true, services.OpText, []byte("hello"))
	long := services.Pattern(5000)
	for _, c := range []struct {
		name      string
		chunk     int
		capacity  int
		inputs    []string
		want      []services.Frame
		waitsOnWS bool // the session ends with the task waiting for a frame
	}{
		{"frame split across sends", 0, 0, []string{wsHead() + string(hello[:1]), string(hello[1:4]), string(hello[4:]), "shutdown"},
			[]services.Frame{{true, services.OpText, "hello"}}, false},
		{"EOF without close", 0, 0, []string{wsHead() + string(hello), "shutdown"}, []services.Frame{{true, services.OpText, "hello"}}, false},
		{"EOF inside a frame", 1, 0, []string{wsHead() + string(hello[:6]), "shutdown"}, nil, false},
		{"violation in the leftover", 0, 0, []string{wsHead() + "\x81\x01a"},
			[]services.Frame{{true, services.OpClose, string(services.ClosePayload(1002, "client frame not masked"))}}, false},
		{"waits for more", 0, 0, []string{wsHead() + string(hello)}, []services.Frame{{true, services.OpText, "hello"}}, true},
		{"backpressure: small pipe", 3, 64, []string{wsHead() + string(services.ClientFrame(true, services.OpBinary, long)), string(services.ClientFrame(true, services.OpClose, nil))},
			[]services.Frame{{true, services.OpBinary, string(long)}, services.CloseFrame(1000)}, false},
		{"backpressure: peer stops reading", 0, 128, []string{wsHead(), "stall-writes", string(services.ClientFrame(true, services.OpBinary, long)), "release-writes", string(services.ClientFrame(true, services.OpClose, services.ClosePayload(1001, "")))},
			[]services.Frame{{true, services.OpBinary, string(long)}, services.CloseFrame(1001)}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := wsSession(t, c.chunk, c.capacity, c.inputs...)
			head, frames := serverFrames(t, s.ToClient())
			if !strings.HasPrefix(head, "HTTP/1.1 101 ") {
				t.Fatalf("head %q", head)
			}
			if fmt.Sprint(frames) != fmt.Sprint(c.want) {
				t.Fatalf("frames %s\nwant %s", services.Abbrev(frames), services.Abbrev(c.want))
			}
			tr := s.Transcript(false)
			if c.waitsOnWS {
				ws := s.Ex.StallReport()
				found := false
				for _, w := range ws {
					found = found || strings.Contains(fmt.Sprint(w), "a WebSocket frame from the peer")
				}
				if !found || tr.PeerEOF {
					t.Fatalf("stall report %+v, eof %v", ws, tr.PeerEOF)
				}
				return
			}
			if !tr.PeerEOF || !s.Ex.AllDone() {
				t.Fatalf("eof %v, all done %v", tr.PeerEOF, s.Ex.AllDone())
			}
		})
	}
}

// TestWSStalledWriter: while the peer does not read, the task waits on it,
// and reads nothing more.
func TestWSStalledWriter(t *testing.T) {
	long := services.Pattern(5000)
	s := wsSession(t, 0, 128, wsHead(), "stall-writes", string(services.ClientFrame(true, services.OpBinary, long)), string(services.ClientFrame(true, services.OpText, []byte("x"))))
	found := false
	for _, w := range s.Ex.StallReport() {
		found = found || strings.Contains(fmt.Sprint(w), "the peer reading WebSocket frames")
	}
	if !found {
		t.Fatalf("stall report: %+v", s.Ex.StallReport())
	}
	if n := countKind(s, trace.KindFrame); n != 2 {
		t.Fatalf("%d frame events while stalled, want 2 (in and out of the first message)", n)
	}
}

func loadScenario(t *testing.T, path string) *session.File {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := session.ParseBytes(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

func runScenario(t *testing.T, f *session.File) *session.Session {
	t.Helper()
	s := session.New(f, session.Options{Trace: true})
	if err := s.Run(); err != nil {
		t.Fatalf("run: %v", err)
	}
	return s
}

func runJSON(t *testing.T, js string) *session.Session {
	t.Helper()
	f, err := session.ParseBytes([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return runScenario(t, f)
}

func countKind(s *session.Session, k trace.Kind) int {
	n := 0
	for _, e := range s.Rec.Events() {
		if e.Kind == k {
			n++
		}
	}
	return n
}

// TestWSTaskEndClosesTheIO: after the server's close frame (here for a
// reserved opcode) the task ends, and ending drops the upgraded IO, as a
// Rust task does: the peer's next frame is refused, not taken into a dead
// connection (real hyper refuses it with EPIPE; rustgen's
// TestHyper1Replay, extra-ws-reserved).
func TestWSTaskEndClosesTheIO(t *testing.T) {
	reserved := "\x83\x81\x01\x02\x03\x04y" // opcode 3, masked "x"
	text := "\x81\x85\x01\x02\x03\x04oguas" // a text frame after it
	s := wsSession(t, 0, 0, wsHead(), reserved, text)
	_, frames := serverFrames(t, s.ToClient())
	if len(frames) != 1 || frames[0].Op != 0x8 {
		t.Fatalf("want one close frame, got %v", frames)
	}
	if got := string(s.ToServer()); strings.HasSuffix(got, text) {
		t.Errorf("the frame after the close was taken by a closed connection: %q", got)
	}
	if !strings.HasSuffix(string(s.ToServer()), reserved) {
		t.Errorf("the reserved frame itself was not delivered: %q", s.ToServer())
	}
}
