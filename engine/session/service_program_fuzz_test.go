package session

import (
	"strings"
	"testing"
)

// FuzzServiceProgramRun runs arbitrary service programs (those that parse)
// against arbitrary request bytes, in two sends with a wait and a shutdown
// between: no panic, no hang (the step budget holds), a transcript at the
// end (issue 17, item 1).
func FuzzServiceProgramRun(f *testing.F) {
	seeds := []struct{ prog, data string }{
		{"respond 200 body \"hello\"", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"read-body yielding\nrespond 200 body \"got \" count \" \" echo", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"},
		{"read-frame\ndrop body\nrespond 413 header \"Connection: close\" body echo", "POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc"},
		{"drop request\nnot-ready 5ms\nsleep 10ms\nrespond 200 header \"Trailer: x\" body stream\nsend-chunk \"a\"\nyield\nsleep 1ms\nend-body trailer \"X: 1\"", "GET / HTTP/1.1\r\nTE: trailers\r\n\r\nGET / HTTP/1.1\r\n\r\n"},
		{"on * * header Upgrade upgradable\nrespond 101 header \"upgrade: echo\"\nupgrade echo\non GET /ws\naccept websocket\ndefault\nhold body", "GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\nraw"},
		{"on CONNECT * upgradable\nrespond 200\nupgrade echo\ndefault\nfail \"no\"", "CONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\nbytes"},
		{"respond 200 body stream\nsend-chunk \"a\"\nfail \"mid-body\"", "GET / HTTP/1.1\r\n\r\n"},
		{"read-frame\nrespond 200 body request", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n2\r\nbc\r\n0\r\n\r\n"},
	}
	for _, s := range seeds {
		f.Add(s.prog, []byte(s.data), uint8(7))
	}
	f.Fuzz(func(t *testing.T, prog string, data []byte, split uint8) {
		if len(prog) > 4096 {
			return
		}
		cut := 0
		if len(data) > 0 {
			cut = int(split) % (len(data) + 1)
		}
		a, b := string(data[:cut]), string(data[cut:])
		wait, budget := int64(split)*10, 20000
		file := &File{
			Version:        1,
			Mode:           "server",
			ServiceProgram: strings.Split(prog, "\n"),
			StepBudget:     budget,
			Transport:      Transport{ReadChunk: int(split % 9)},
			Input:          []Input{{SendB64: b64(a)}, {WaitMS: &wait}, {SendB64: b64(b)}, {Shutdown: ptr("write")}},
		}
		if err := file.Validate(); err != nil {
			return // not a program: the parser's fuzz target covers that
		}
		s := New(file, Options{})
		if err := s.Run(); err != nil {
			t.Fatalf("%q: %v", prog, err)
		}
		_ = s.Transcript(false)
	})
}

func b64(s string) *string {
	e := strictB64.EncodeToString([]byte(s))
	return &e
}

func ptr(s string) *string { return &s }
