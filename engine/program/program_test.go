package program

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestProgramValid(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  []Op
	}{
		{
			name: "every simple operation",
			lines: []string{
				"handshake",
				"spawn conn",
				"await conn",
				"send GET /",
				"send-body \"abc\"",
				"end-body",
				"await response",
				"read-body",
				"drop sender",
				"drop response",
				"sleep 50ms",
				"timeout 2s await response",
				"close write",
			},
			want: []Op{
				{Kind: OpHandshake, Line: 1, Text: "handshake"},
				{Kind: OpSpawnConn, Line: 2, Text: "spawn conn"},
				{Kind: OpAwaitConn, Line: 3, Text: "await conn"},
				{Kind: OpSend, Line: 4, Method: "GET", Path: "/", Text: "send GET /"},
				{Kind: OpSendBody, Line: 5, Body: []byte("abc"), Text: "send-body \"abc\""},
				{Kind: OpEndBody, Line: 6, Text: "end-body"},
				{Kind: OpAwaitResponse, Line: 7, Text: "await response"},
				{Kind: OpReadBody, Line: 8, Text: "read-body"},
				{Kind: OpDropSender, Line: 9, Text: "drop sender"},
				{Kind: OpDropResponse, Line: 10, Text: "drop response"},
				{Kind: OpSleep, Line: 11, MS: 50, Text: "sleep 50ms"},
				{Kind: OpTimeoutAwaitResponse, Line: 12, MS: 2000, Text: "timeout 2s await response"},
				{Kind: OpCloseWrite, Line: 13, Text: "close write"},
			},
		},
		{
			name: "hyper's other client calls",
			lines: []string{
				"handshake",
				"with upgrades",
				"ready",
				"try send GET / HTTP/1.0 header \"Host: x\"",
				"send POST /up HTTP/1.1 body stream header \"Trailer: X-Sum\"",
				"send-trailers \"X-Sum: 9\" \"X-More:  a b \"",
				"await upgrade",
				"upgraded write \"ping\"",
				"upgraded read",
				"send GET http://x/ header \"Host: x\"",
			},
			want: []Op{
				{Kind: OpHandshake, Line: 1, Text: "handshake"},
				{Kind: OpWithUpgrades, Line: 2, Text: "with upgrades"},
				{Kind: OpReady, Line: 3, Text: "ready"},
				{Kind: OpTrySend, Line: 4, Method: "GET", Path: "/", Version: "HTTP/1.0", Headers: [][2]string{{"Host", "x"}}, Text: "try send GET / HTTP/1.0 header \"Host: x\""},
				{Kind: OpSend, Line: 5, Method: "POST", Path: "/up", Version: "HTTP/1.1", Stream: true, Headers: [][2]string{{"Trailer", "X-Sum"}}, Text: "send POST /up HTTP/1.1 body stream header \"Trailer: X-Sum\""},
				{Kind: OpSendTrailers, Line: 6, Headers: [][2]string{{"X-Sum", "9"}, {"X-More", "a b"}}, Text: "send-trailers \"X-Sum: 9\" \"X-More:  a b \""},
				{Kind: OpAwaitUpgrade, Line: 7, Text: "await upgrade"},
				{Kind: OpUpgradedWrite, Line: 8, Body: []byte("ping"), Text: "upgraded write \"ping\""},
				{Kind: OpUpgradedRead, Line: 9, Text: "upgraded read"},
				{Kind: OpSend, Line: 10, Method: "GET", Path: "http://x/", Headers: [][2]string{{"Host", "x"}}, Text: "send GET http://x/ header \"Host: x\""},
			},
		},
		{
			name: "comments, blank lines and extra blanks",
			lines: []string{
				"# a comment",
				"",
				"   ",
				"\t# indented comment",
				"  handshake  ",
				"\tspawn\t\tconn",
				"#send GET /",
			},
			want: []Op{
				{Kind: OpHandshake, Line: 5, Text: "  handshake  "},
				{Kind: OpSpawnConn, Line: 6, Text: "\tspawn\t\tconn"},
			},
		},
		{
			name:  "only comments",
			lines: []string{"# nothing", ""},
			want:  nil,
		},
		{
			name:  "body with escapes",
			lines: []string{`send POST /a?b=c body "q\"\\\r\n\t\x00\xfF\x41 é"`},
			want: []Op{{
				Kind: OpSend, Line: 1, Method: "POST", Path: "/a?b=c",
				Body: []byte("q\"\\\r\n\t\x00\xffA é"), HasBody: true,
				Text: `send POST /a?b=c body "q\"\\\r\n\t\x00\xfF\x41 é"`,
			}},
		},
		{
			name:  "empty body is a body",
			lines: []string{`send POST / body ""`},
			want: []Op{{
				Kind: OpSend, Line: 1, Method: "POST", Path: "/",
				Body: []byte{}, HasBody: true, Text: `send POST / body ""`,
			}},
		},
		{
			name:  "several headers, options in any order",
			lines: []string{`send PUT /x header "Host: example.com" body stream header "X-A:  1 2  " header "x-empty:" header "Tab:` + "\t" + `v"`},
			want: []Op{{
				Kind: OpSend, Line: 1, Method: "PUT", Path: "/x", Stream: true,
				Headers: [][2]string{{"Host", "example.com"}, {"X-A", "1 2"}, {"x-empty", ""}, {"Tab", "v"}},
				Text:    `send PUT /x header "Host: example.com" body stream header "X-A:  1 2  " header "x-empty:" header "Tab:` + "\t" + `v"`,
			}},
		},
		{
			name: "body stream fed later",
			lines: []string{
				"handshake",
				"send POST /upload body stream header \"Transfer-Encoding: chunked\"",
				"send-body \"part 1\\n\"",
				"send-body \"\"",
				"end-body",
			},
			want: []Op{
				{Kind: OpHandshake, Line: 1, Text: "handshake"},
				{Kind: OpSend, Line: 2, Method: "POST", Path: "/upload", Stream: true,
					Headers: [][2]string{{"Transfer-Encoding", "chunked"}},
					Text:    "send POST /upload body stream header \"Transfer-Encoding: chunked\""},
				{Kind: OpSendBody, Line: 3, Body: []byte("part 1\n"), Text: "send-body \"part 1\\n\""},
				{Kind: OpSendBody, Line: 4, Body: []byte{}, Text: "send-body \"\""},
				{Kind: OpEndBody, Line: 5, Text: "end-body"},
			},
		},
		{
			name: "request-target forms and token methods",
			lines: []string{
				"send CONNECT example.com:443",
				"send OPTIONS *",
				"send GET http://example.com/a%20b?x=1",
				"send get /lower",
				"send M-SEARCH~!#$%&'*+.^_`| /",
				"send GET /quote's",
			},
			want: []Op{
				{Kind: OpSend, Line: 1, Method: "CONNECT", Path: "example.com:443", Text: "send CONNECT example.com:443"},
				{Kind: OpSend, Line: 2, Method: "OPTIONS", Path: "*", Text: "send OPTIONS *"},
				{Kind: OpSend, Line: 3, Method: "GET", Path: "http://example.com/a%20b?x=1", Text: "send GET http://example.com/a%20b?x=1"},
				{Kind: OpSend, Line: 4, Method: "get", Path: "/lower", Text: "send get /lower"},
				{Kind: OpSend, Line: 5, Method: "M-SEARCH~!#$%&'*+.^_`|", Path: "/", Text: "send M-SEARCH~!#$%&'*+.^_`| /"},
				{Kind: OpSend, Line: 6, Method: "GET", Path: "/quote's", Text: "send GET /quote's"},
			},
		},
		{
			name: "durations",
			lines: []string{
				"sleep 1ms",
				"sleep 007s",
				"sleep 3600s",
				"sleep 3600000ms",
				"timeout 1500ms await response",
			},
			want: []Op{
				{Kind: OpSleep, Line: 1, MS: 1, Text: "sleep 1ms"},
				{Kind: OpSleep, Line: 2, MS: 7000, Text: "sleep 007s"},
				{Kind: OpSleep, Line: 3, MS: 3600000, Text: "sleep 3600s"},
				{Kind: OpSleep, Line: 4, MS: 3600000, Text: "sleep 3600000ms"},
				{Kind: OpTimeoutAwaitResponse, Line: 5, MS: 1500, Text: "timeout 1500ms await response"},
			},
		},
		{
			name:  "a string may hold # and keywords",
			lines: []string{`send POST / body "# not a comment" header "X-Note: body stream"`},
			want: []Op{{
				Kind: OpSend, Line: 1, Method: "POST", Path: "/",
				Body: []byte("# not a comment"), HasBody: true,
				Headers: [][2]string{{"X-Note", "body stream"}},
				Text:    `send POST / body "# not a comment" header "X-Note: body stream"`,
			}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Parse(c.lines)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got\n%#v\nwant\n%#v", got, c.want)
			}
		})
	}
}

func TestProgramInvalid(t *testing.T) {
	cases := []struct {
		lines    []string
		line     int
		col      int
		contains []string
	}{
		// operations
		{[]string{"handshake", "sned GET /"}, 2, 1, []string{`unknown operation "sned"`, `did you mean "send"?`, "expected one of: handshake, with upgrades, spawn conn,"}},
		{[]string{"frobnicate"}, 1, 1, []string{`unknown operation "frobnicate" (expected one of:`}},
		{[]string{"HANDSHAKE"}, 1, 1, []string{`did you mean "handshake"?`}},
		{[]string{"send_body \"x\""}, 1, 1, []string{`did you mean "send-body"?`}},
		{[]string{`"handshake"`}, 1, 1, []string{`expected an operation, found string "handshake"`}},
		{[]string{"spawn"}, 1, 6, []string{`expected "conn" after "spawn"`}},
		{[]string{"spawn con"}, 1, 7, []string{`expected "conn" after "spawn", found "con"`, `did you mean "conn"?`}},
		{[]string{"await"}, 1, 6, []string{`expected "conn" or "response" or "upgrade" after "await"`}},
		{[]string{"await respnose"}, 1, 7, []string{`found "respnose"`, `did you mean "response"?`}},
		{[]string{"drop body"}, 1, 6, []string{`expected "sender" or "response" after "drop", found "body"`}},
		{[]string{"close read"}, 1, 7, []string{`expected "write" after "close", found "read"`}},
		// trailing tokens
		{[]string{"handshake now"}, 1, 11, []string{`unexpected "now" after a complete "handshake" operation`}},
		{[]string{"spawn conn # start"}, 1, 12, []string{`unexpected "#"`, "comments must be on a line of their own"}},
		{[]string{"end-body \"x\""}, 1, 10, []string{`unexpected string "x" after a complete "end-body"`}},
		{[]string{"timeout 2s await response now"}, 1, 27, []string{`after a complete "timeout await response" operation`}},
		// send
		{[]string{"send"}, 1, 5, []string{"send needs METHOD and PATH"}},
		{[]string{"send GET"}, 1, 9, []string{"send GET needs a PATH after the METHOD"}},
		{[]string{"send GET body \"x\""}, 1, 10, []string{`send GET needs a PATH before "body"`}},
		{[]string{`send "GET" /`}, 1, 6, []string{"send needs a METHOD such as GET", "not quoted"}},
		{[]string{`send GET "/"`}, 1, 10, []string{"needs a PATH such as /", "not quoted"}},
		{[]string{"send GE(T /"}, 1, 8, []string{`invalid character '(' in METHOD "GE(T"`}},
		{[]string{"send GÉT /"}, 1, 7, []string{`invalid character 'É' in METHOD`}},
		{[]string{"send GET /café"}, 1, 14, []string{`invalid character 'é' in PATH "/café"`, "%C3%A9"}},
		{[]string{"send GET / bodee \"x\""}, 1, 12, []string{`unknown option "bodee" (expected body or header)`, `did you mean "body"?`}},
		{[]string{"send GET / \"x\""}, 1, 12, []string{`unexpected string "x" (expected body or header)`}},
		{[]string{`send POST / body "a" body "b"`}, 1, 22, []string{"body given twice"}},
		{[]string{`send POST / body stream body "b"`}, 1, 25, []string{"body given twice"}},
		{[]string{"send POST / body"}, 1, 17, []string{`body needs a quoted "TEXT" or stream`}},
		{[]string{"send POST / body text"}, 1, 18, []string{`expected a quoted "TEXT" or stream after body, found "text"`}},
		{[]string{"send POST / body steam"}, 1, 18, []string{`did you mean "stream"?`}},
		{[]string{"send GET / header"}, 1, 18, []string{`header needs a quoted "Name: value"`}},
		{[]string{"send GET / header Host:x"}, 1, 19, []string{`header needs a quoted "Name: value", found "Host:x"`}},
		{[]string{`send GET / header "Host x"`}, 1, 19, []string{`header "Host x" has no colon`}},
		{[]string{`send GET / header ": x"`}, 1, 19, []string{`has an empty name`}},
		{[]string{`send GET / header "Host : x"`}, 1, 19, []string{"whitespace is not allowed in the name"}},
		{[]string{`send GET / header "H(st: x"`}, 1, 19, []string{`invalid character '(' in the name "H(st"`}},
		{[]string{`send GET / header "X: a\r\nY: b"`}, 1, 19, []string{"control character 0x0D"}},
		// strings
		{[]string{`send-body "abc`}, 1, 11, []string{"unterminated string"}},
		{[]string{`send-body "abc\`}, 1, 11, []string{"unterminated string"}},
		{[]string{`send-body "a\qb"`}, 1, 13, []string{`bad escape \q`}},
		{[]string{`send-body "a\x4"`}, 1, 13, []string{`bad escape \x4`, "two hex digits"}},
		{[]string{`send-body "a\xZZ"`}, 1, 13, []string{`bad escape \xZZ`}},
		{[]string{`send-body "a"b`}, 1, 14, []string{"right after a closing quote"}},
		{[]string{`send-body x"a"`}, 1, 12, []string{"unexpected quote inside the word"}},
		{[]string{"send-body \"a\nb\""}, 1, 13, []string{"raw control character 0x0A in a string"}},
		{[]string{"handshake\r"}, 1, 10, []string{"control character 0x0D"}},
		{[]string{"send-body"}, 1, 10, []string{`send-body needs a quoted "TEXT"`}},
		{[]string{"send-body abc"}, 1, 11, []string{`send-body needs a quoted "TEXT", found "abc"`}},
		// durations
		{[]string{"sleep"}, 1, 6, []string{"sleep needs a DURATION"}},
		{[]string{"sleep 50"}, 1, 7, []string{`duration "50" needs a unit: ms or s`}},
		{[]string{"sleep 50us"}, 1, 9, []string{`duration "50us" has unknown unit "us" (expected ms or s)`}},
		{[]string{"sleep 0ms"}, 1, 7, []string{`duration "0ms" must be positive`}},
		{[]string{"sleep -5ms"}, 1, 7, []string{`duration "-5ms" must be a positive whole number`}},
		{[]string{"sleep ms"}, 1, 7, []string{`duration "ms" must start with a number`}},
		{[]string{"sleep 1.5s"}, 1, 7, []string{"must be a whole number"}},
		{[]string{"sleep 3601s"}, 1, 7, []string{"exceeds the maximum of 1 hour"}},
		{[]string{"sleep 3600001ms"}, 1, 7, []string{"exceeds the maximum of 1 hour"}},
		{[]string{"sleep 99999999999999999999999s"}, 1, 7, []string{"exceeds the maximum of 1 hour"}},
		{[]string{`sleep "50ms"`}, 1, 7, []string{"durations are not quoted"}},
		{[]string{"timeout"}, 1, 8, []string{"timeout needs a DURATION"}},
		{[]string{"timeout 2s"}, 1, 11, []string{`expected "await response" after "timeout 2s"`}},
		{[]string{"timeout 2s wait response"}, 1, 12, []string{`expected "await response"`, `found "wait"`, `did you mean "await"?`}},
		{[]string{"timeout 2s await"}, 1, 17, []string{`expected "response" after "timeout 2s await"`}},
		{[]string{"timeout 2s await conn"}, 1, 18, []string{`expected "response"`, `found "conn"`}},
		{[]string{"timeout 2 await response"}, 1, 9, []string{`duration "2" needs a unit`}},
		// hyper's other client calls
		{[]string{"with"}, 1, 5, []string{`expected "upgrades" after "with"`}},
		{[]string{"with upgrade"}, 1, 6, []string{`found "upgrade"`, `did you mean "upgrades"?`}},
		{[]string{"ready now"}, 1, 7, []string{`unexpected "now" after a complete "ready" operation`}},
		{[]string{"try"}, 1, 4, []string{`expected "send" after "try"`}},
		{[]string{"try sned GET /"}, 1, 5, []string{`did you mean "send"?`}},
		{[]string{"try send GET"}, 1, 13, []string{"send GET needs a PATH after the METHOD"}},
		{[]string{"send GET / HTTP/2"}, 1, 12, []string{`unsupported version "HTTP/2"`, "HTTP/1.0 or HTTP/1.1"}},
		{[]string{"send GET / http/1.0"}, 1, 12, []string{`unsupported version "http/1.0"`}},
		{[]string{`send GET / header "A: b" HTTP/1.0`}, 1, 26, []string{`the version "HTTP/1.0" goes right after the PATH`}},
		{[]string{"send GET HTTP/1.0"}, 1, 10, []string{`send GET needs a PATH before "HTTP/1.0"`}},
		{[]string{"send-trailers"}, 1, 14, []string{`send-trailers needs at least one quoted "Name: value"`}},
		{[]string{`send-trailers "A: b" c`}, 1, 22, []string{`send-trailers takes quoted "Name: value" fields, found "c"`}},
		{[]string{`send-trailers "A b"`}, 1, 15, []string{`header "A b" has no colon`}},
		{[]string{"await upgraded"}, 1, 7, []string{`expected "conn" or "response" or "upgrade" after "await"`, `did you mean "upgrade"?`}},
		{[]string{"upgraded"}, 1, 9, []string{`expected "write" or "read" after "upgraded"`}},
		{[]string{"upgraded write"}, 1, 15, []string{`upgraded write needs a quoted "TEXT"`}},
		{[]string{"upgraded write ping"}, 1, 16, []string{`upgraded write needs a quoted "TEXT", found "ping"`}},
		{[]string{`upgraded read "x"`}, 1, 15, []string{`unexpected string "x" after a complete "upgraded read" operation`}},
		{[]string{"upgrade"}, 1, 1, []string{`did you mean "upgraded"?`}},
		// the first error wins
		{[]string{"handshake", "", "# c", "bogus", "also bogus"}, 4, 1, []string{`unknown operation "bogus"`}},
	}
	for _, c := range cases {
		ops, err := Parse(c.lines)
		if err == nil {
			t.Errorf("%q: no error, got %v", c.lines, ops)
			continue
		}
		if ops != nil {
			t.Errorf("%q: ops %v returned with an error", c.lines, ops)
		}
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %T is not a *Error", c.lines, err)
			continue
		}
		if pe.Line != c.line || pe.Col != c.col {
			t.Errorf("%q: line %d column %d, want line %d column %d (%v)", c.lines, pe.Line, pe.Col, c.line, c.col, err)
		}
		for _, s := range c.contains {
			if !strings.Contains(pe.Msg, s) {
				t.Errorf("%q: message %q does not contain %q", c.lines, pe.Msg, s)
			}
		}
	}
}

func TestProgramErrorString(t *testing.T) {
	_, err := Parse([]string{"handshake", "", "send GET / bodee"})
	want := `client_program line 3, column 12: unknown option "bodee" (expected body or header); did you mean "body"?`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	_, err = Parse([]string{"sned"})
	if err == nil || !strings.HasPrefix(err.Error(), `client_program line 1, column 1: unknown operation "sned"; did you mean "send"? (expected one of: handshake, with upgrades, spawn conn, await conn, ready, send, `) {
		t.Fatalf("got %v", err)
	}
}

func TestProgramOpKindString(t *testing.T) {
	want := map[OpKind]string{
		OpHandshake:            "handshake",
		OpSpawnConn:            "spawn conn",
		OpAwaitConn:            "await conn",
		OpSend:                 "send",
		OpSendBody:             "send-body",
		OpEndBody:              "end-body",
		OpAwaitResponse:        "await response",
		OpReadBody:             "read-body",
		OpDropSender:           "drop sender",
		OpDropResponse:         "drop response",
		OpSleep:                "sleep",
		OpTimeoutAwaitResponse: "timeout await response",
		OpCloseWrite:           "close write",
		OpWithUpgrades:         "with upgrades",
		OpReady:                "ready",
		OpTrySend:              "try send",
		OpSendTrailers:         "send-trailers",
		OpAwaitUpgrade:         "await upgrade",
		OpUpgradedWrite:        "upgraded write",
		OpUpgradedRead:         "upgraded read",
		0:                      "OpKind(0)",
		OpUpgradedRead + 1:     "OpKind(21)",
	}
	for k, s := range want {
		if k.String() != s {
			t.Errorf("OpKind(%d).String() = %q, want %q", k, k.String(), s)
		}
	}
}

func TestProgramEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"send", "send", 0}, {"sned", "send", 1}, {"snd", "send", 1},
		{"sendd", "send", 1}, {"kitten", "sitting", 3}, {"", "abc", 3}, {"ca", "abc", 3},
	} {
		if got := progEditDistance(c.a, c.b); got != c.d {
			t.Errorf("progEditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func FuzzParseProgram(f *testing.F) {
	seeds := []string{
		"handshake\nspawn conn\nsend GET / header \"Host: x\"\nawait response\nread-body",
		"send POST /a?b=c body \"q\\\"\\x41\" header \"A: b\"\nsleep 50ms",
		"# comment\n\n  timeout 2s await response\nclose write",
		"send POST / body stream\nsend-body \"x\\r\\n\"\nend-body\ndrop sender\ndrop response",
		"sned GET /\nsend-body \"abc",
		"sleep 99999999999999999999s\nsend GET /café",
		"send GET / header \"Host x\" body \"\\q\"",
		"handshake\nwith upgrades\nready\ntry send GET / HTTP/1.0\nawait upgrade\nupgraded write \"a\"\nupgraded read",
		"send POST / HTTP/1.1 body stream header \"Trailer: X\"\nsend-trailers \"X: 1\" \"Y: 2\"",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		lines := strings.Split(src, "\n")
		ops, err := Parse(lines)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *Error: %v", err, err)
			}
			if pe.Line < 1 || pe.Line > len(lines) || pe.Col < 1 || pe.Msg == "" {
				t.Fatalf("bad error position: %+v", pe)
			}
			if ops != nil {
				t.Fatalf("ops returned with an error")
			}
			return
		}
		prev := 0
		for _, op := range ops {
			if op.Kind == 0 || op.Kind > OpUpgradedRead {
				t.Fatalf("bad kind in %+v", op)
			}
			if op.Line < 1 || op.Line > len(lines) || op.Line <= prev {
				t.Fatalf("bad line %d (previous %d, %d lines)", op.Line, prev, len(lines))
			}
			prev = op.Line
			if op.Text != lines[op.Line-1] {
				t.Fatalf("Text %q is not line %d", op.Text, op.Line)
			}
			if (op.Kind == OpSleep || op.Kind == OpTimeoutAwaitResponse) && (op.MS < 1 || op.MS > MaxDurationMS) {
				t.Fatalf("bad duration %d", op.MS)
			}
			if (op.Kind == OpSend || op.Kind == OpTrySend) && (op.Method == "" || op.Path == "" || (op.HasBody && op.Stream) ||
				(op.Version != "" && op.Version != "HTTP/1.0" && op.Version != "HTTP/1.1")) {
				t.Fatalf("bad send %+v", op)
			}
			if op.Kind == OpSendTrailers && len(op.Headers) == 0 {
				t.Fatalf("send-trailers without fields %+v", op)
			}
		}
	})
}
