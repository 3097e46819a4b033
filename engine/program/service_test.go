package program

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseServiceSections(t *testing.T) {
	src := `# an upload endpoint and a default
on POST /upload header Content-Length
  read-frame
  drop body
  respond 200 header "X-Seen: yes" body "got " count " bytes: " echo
on GET /ws/* upgradable
  accept websocket
on * * header Upgrade upgradable
  respond 101 header "Upgrade: echo" header "Connection: upgrade"
  upgrade echo
default
  not-ready 20ms
  sleep 5ms
  yield
  respond 200 body stream
  send-chunk "a\r\n"
  sleep 1s
  end-body trailer "X-Sum: 1" trailer "X-More:  b "
`
	svc, err := ParseService(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(svc.Sections) != 3 || svc.Default == nil || !svc.Default.Default || svc.Default.Line != 11 {
		t.Fatalf("sections %d, default %+v", len(svc.Sections), svc.Default)
	}
	up := svc.Sections[0]
	if up.Method != "POST" || up.Path != "/upload" || !reflect.DeepEqual(up.Headers, []string{"Content-Length"}) || up.Line != 2 {
		t.Errorf("upload section %+v", up)
	}
	wantOps := []ServiceOp{
		{Kind: SvcReadFrame, Line: 3, Text: "  read-frame"},
		{Kind: SvcDropBody, Line: 4, Text: "  drop body"},
		{Kind: SvcRespond, Line: 5, Status: 200, Headers: [][2]string{{"X-Seen", "yes"}}, Body: BodyParts,
			Parts: []BodyPart{{Kind: PartText, Text: []byte("got ")}, {Kind: PartCount}, {Kind: PartText, Text: []byte(" bytes: ")}, {Kind: PartEcho}},
			Text:  `  respond 200 header "X-Seen: yes" body "got " count " bytes: " echo`},
	}
	if !reflect.DeepEqual(up.Ops, wantOps) {
		t.Errorf("upload ops\n got %+v\nwant %+v", up.Ops, wantOps)
	}
	if ws := svc.Sections[1]; ws.Path != "/ws/*" || !ws.Upgradable || ws.Ops[0].Kind != SvcAcceptWebSocket {
		t.Errorf("ws section %+v", ws)
	}
	if u := svc.Sections[2]; u.Method != "*" || u.Ops[1].Kind != SvcUpgrade || u.Ops[1].Protocol != "echo" || u.Ops[0].Status != 101 {
		t.Errorf("upgrade section %+v", u)
	}
	d := svc.Default.Ops
	kinds := []ServiceOpKind{SvcNotReady, SvcSleep, SvcYield, SvcRespond, SvcSendChunk, SvcSleep, SvcEndBody}
	for i, k := range kinds {
		if d[i].Kind != k {
			t.Errorf("default op %d: %v, want %v", i, d[i].Kind, k)
		}
	}
	if d[0].MS != 20 || d[5].MS != 1000 || string(d[4].Data) != "a\r\n" || d[3].Body != BodyStream {
		t.Errorf("default ops %+v", d)
	}
	if want := [][2]string{{"X-Sum", "1"}, {"X-More", "b"}}; !reflect.DeepEqual(d[6].Headers, want) {
		t.Errorf("trailers %q, want %q", d[6].Headers, want)
	}
}

func TestServiceSelect(t *testing.T) {
	svc, err := ParseService("on POST /upload\nrespond 413\non * /files/* header X-Key\nrespond 200\non CONNECT * upgradable\nrespond 200\nupgrade echo\ndefault\nrespond 404")
	if err != nil {
		t.Fatal(err)
	}
	has := func(names ...string) func(string) bool {
		return func(n string) bool {
			for _, x := range names {
				if strings.EqualFold(x, n) {
					return true
				}
			}
			return false
		}
	}
	cases := []struct {
		method, path string
		hdr          func(string) bool
		up           bool
		want         int // index of the section, -1 default
	}{
		{"POST", "/upload", has(), false, 0},
		{"post", "/upload", has(), false, -1},
		{"POST", "/upload/x", has(), false, -1},
		{"GET", "/files/a", has("x-key"), false, 1},
		{"GET", "/files/", has("X-KEY"), false, 1},
		{"GET", "/files", has("X-Key"), false, -1},
		{"GET", "/files/a", has(), false, -1},
		{"CONNECT", "example.com:443", has(), true, 2},
		{"CONNECT", "example.com:443", has(), false, -1},
	}
	for _, c := range cases {
		got := svc.Select(c.method, c.path, c.hdr, c.up)
		want := svc.Default
		if c.want >= 0 {
			want = &svc.Sections[c.want]
		}
		if got != want {
			t.Errorf("%s %s: section at line %d, want line %d", c.method, c.path, got.Line, want.Line)
		}
	}
}

// TestParseServiceBodyRequest: body request moves the request body into
// the response.
func TestParseServiceBodyRequest(t *testing.T) {
	svc, err := ParseService("read-frame\nrespond 200 header \"X: 1\" body request")
	if err != nil {
		t.Fatal(err)
	}
	if op := svc.Default.Ops[1]; op.Body != BodyRequest || op.Parts != nil || len(op.Headers) != 1 {
		t.Errorf("%+v", op)
	}
}

// TestParseServiceImplicitDefault: a program with no sections is one
// default section.
func TestParseServiceImplicitDefault(t *testing.T) {
	svc, err := ParseServiceLines([]string{"", "drop request", "sleep 100ms", `respond 200 body "late"`})
	if err != nil {
		t.Fatal(err)
	}
	if len(svc.Sections) != 0 || svc.Default.Line != 0 || len(svc.Default.Ops) != 3 || svc.Default.Ops[0].Kind != SvcDropRequest {
		t.Fatalf("%+v", svc.Default)
	}
	if svc.Default.Ops[2].Parts[0].Kind != PartText || string(svc.Default.Ops[2].Parts[0].Text) != "late" {
		t.Errorf("%+v", svc.Default.Ops[2])
	}
}

func TestParseServiceErrors(t *testing.T) {
	cases := []struct {
		src       string
		line, col int
		msg       string
	}{
		{"", 1, 1, "the program is empty"},
		{"on POST /a\nrespond 200", 2, 1, "no default section"},
		{"respond 200\ndefault\nrespond 404", 2, 1, "a second default section"},
		{"respnd 200", 1, 1, `unknown operation "respnd"; did you mean "respond"?`},
		{"respond", 1, 8, "respond needs a STATUS"},
		{"respond 20", 1, 9, "must be three digits"},
		{"respond 200 body", 1, 17, "body needs"},
		{"respond 200 body stream \"x\"", 1, 25, `unexpected string "x" (expected header or body)`},
		{"respond 200 body \"a\" stream", 1, 22, "body stream stands alone"},
		{"read-body\nrespond 200 body echo request", 2, 23, "body request stands alone"},
		{"respond 200 body \"n=\" count", 1, 1, "this section reads none: put read-body (or read-frame) before it"},
		{"sleep 1ms\nrespond 200 body echo", 2, 1, "this section reads none"},
		{"drop body\nrespond 200 body request", 2, 1, `"respond" needs the request body, but drop body on line 1 dropped it`},
		{"drop request\nrespond 200 body request", 2, 1, "drop request gave it away"},
		{"respond 200 body request\nsleep 1ms", 2, 1, "cannot follow a respond with a complete body"},
		{"respond 200 body \"a\" body \"b\"", 1, 22, "body given twice"},
		{"respond 200 bdy \"a\"", 1, 13, `did you mean "body"?`},
		{"respond 200 header \"X\"", 1, 20, "has no colon"},
		{"read-body\nsleep 1s", 2, 1, "the section ends without answering"},
		{"drop body\nread-body\nrespond 200", 2, 1, `"read-body" needs the request body, but drop body on line 1 dropped it`},
		{"sleep 1ms\ndrop request\nrespond 200", 2, 1, "drop request must be the section's first operation"},
		{"drop request\nread-frame\nrespond 200", 2, 1, "drop request gave it away"},
		{"drop request\nrespond 200 body echo", 2, 1, "body echo and body count need the request body"},
		{"sleep 1ms\nnot-ready 5ms\nrespond 200", 2, 1, "not-ready must come before"},
		{"respond 200\nsleep 1ms", 2, 1, "cannot follow a respond with a complete body"},
		{"respond 200 body \"x\"\nupgrade echo", 2, 1, "upgrade after a respond with a body"},
		{"respond 400\nupgrade echo", 2, 1, "upgrade after a respond 400"},
		{"upgrade echo", 1, 1, "upgrade must come right after a respond 101"},
		{"respond 101\nupgrade h2c", 2, 9, `expected "echo" or "websocket" after "upgrade"`},
		{"send-chunk \"a\"", 1, 1, "send-chunk\" needs a respond ... body stream before it"},
		{"respond 200 body stream\nsend-chunk \"\"", 2, 12, "at least one byte"},
		{"respond 200 body stream\nread-body", 2, 1, "cannot run while producing a body stream"},
		{"respond 200 body stream\nend-body\nsend-chunk \"a\"", 3, 1, `nothing runs after "end-body" on line 2`},
		{"respond 200 body stream\nend-body trailer \"X\"", 2, 18, "has no colon"},
		{"respond 200 body stream\nend-body trailr \"X: 1\"", 2, 10, `did you mean "trailer"?`},
		{"hold body\nrespond 200", 2, 1, `nothing runs after "hold body"`},
		{"fail", 1, 5, "fail needs a quoted"},
		{"fail \"x\"\nrespond 200", 2, 1, `nothing runs after "fail"`},
		{"sleep 1.5s\nrespond 200", 1, 7, "whole number"},
		{"not-ready\nrespond 200", 1, 10, "not-ready needs a DURATION"},
		{"on\nrespond 200", 1, 3, "on needs METHOD and PATH"},
		{"on POST\nrespond 200", 1, 8, "needs a PATH"},
		{"on POST upload\nrespond 200", 1, 9, "must start with /"},
		{"on POST /a*b\nrespond 200", 1, 11, "* may only end a PATH"},
		{"on G\"T /\nrespond 200", 1, 5, "unexpected quote"},
		{"on G@T /\nrespond 200", 1, 5, `invalid character '@' in METHOD`},
		{"on * * heder X\nrespond 200", 1, 8, `did you mean "header"?`},
		{"on * * header\nrespond 200", 1, 14, "header needs a field NAME"},
		{"on * /\ndefault\nrespond 200", 1, 1, "this section has no operations"},
		{"default x\nrespond 200", 1, 9, "after default"},
		{"respond 200\non * *\nrespond 201 # hi", 3, 13, "comments must be on a line of their own"},
		{"accept websockets", 1, 8, `expected "websocket" after "accept"`},
		{"drop request\naccept websocket", 2, 1, "accept websocket needs the request's OnUpgrade"},
		{"\"x\"", 1, 1, "expected an operation"},
		{"respond 200 body \"é\\q\"", 1, 20, "bad escape"},
	}
	for _, c := range cases {
		svc, err := ParseService(c.src)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %v (%T), want a *Error", c.src, err, err)
			continue
		}
		if svc != nil {
			t.Errorf("%q: a program returned with an error", c.src)
		}
		if pe.Line != c.line || pe.Col != c.col || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("%q:\n got line %d col %d: %s\nwant line %d col %d: ...%s...", c.src, pe.Line, pe.Col, pe.Msg, c.line, c.col, c.msg)
		}
		if !strings.HasPrefix(err.Error(), "service_program line ") {
			t.Errorf("%q: %q does not name service_program", c.src, err.Error())
		}
	}
}

// TestClientErrorsStillNameClientProgram: the Field added for service
// programs leaves client program errors as they were.
func TestClientErrorsStillNameClientProgram(t *testing.T) {
	_, err := Parse([]string{"sned GET /"})
	if err == nil || !strings.HasPrefix(err.Error(), "client_program line 1, column 1: ") {
		t.Fatalf("%v", err)
	}
}

func FuzzParseServiceProgram(f *testing.F) {
	seeds := []string{
		"respond 200 body \"hello\"",
		"on POST /upload header Content-Length\nread-frame\ndrop body\nrespond 413 header \"Connection: close\" body \"too big\"\ndefault\nrespond 404",
		"on * * header Upgrade upgradable\nrespond 101 header \"Upgrade: echo\"\nupgrade echo\ndefault\nrespond 400",
		"drop request\nnot-ready 50ms\nsleep 100ms\nrespond 200 body stream\nsend-chunk \"a\"\nend-body trailer \"X: 1\"",
		"read-body yielding\nrespond 200 body \"got \" count \" bytes\" echo",
		"accept websocket",
		"hold body",
		"fail \"no\\x41\"",
		"on G T /\nrespnd 2000 body \"\\q",
		"default\non * /a*\n\r\n# c\n\tyield",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		lines := strings.Split(src, "\n")
		svc, err := ParseServiceLines(lines)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *Error: %v", err, err)
			}
			if pe.Line < 1 || pe.Line > len(lines) || pe.Col < 1 || pe.Msg == "" || pe.Field != "service_program" {
				t.Fatalf("bad error position: %+v", pe)
			}
			if svc != nil {
				t.Fatalf("a program returned with an error")
			}
			return
		}
		if svc.Default == nil || !svc.Default.Default {
			t.Fatalf("no default section")
		}
		all := append(append([]Section(nil), svc.Sections...), *svc.Default)
		for _, sec := range all {
			if len(sec.Ops) == 0 {
				t.Fatalf("empty section at line %d", sec.Line)
			}
			for _, op := range sec.Ops {
				if op.Kind == 0 || op.Kind > SvcAcceptWebSocket {
					t.Fatalf("bad kind %+v", op)
				}
				if op.Line < 1 || op.Line > len(lines) || op.Text != lines[op.Line-1] {
					t.Fatalf("bad line %+v", op)
				}
				if op.Kind == SvcRespond && (op.Status < 100 || op.Status > 999) {
					t.Fatalf("bad status %d", op.Status)
				}
			}
		}
	})
}
