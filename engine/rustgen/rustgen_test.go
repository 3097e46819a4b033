package rustgen_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/program"
	"github.com/connlab/connlab/engine/rustgen"
	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/services"
	"github.com/connlab/connlab/engine/session"
)

var update = flag.Bool("update", false, "rewrite the goldens under testdata/")

// sessionDir holds the scenario sessions engine/session's goldens run
// (the library's and more).
const sessionDir = "../session/testdata/scenarios"

// scenario parses a session file of sessionDir.
func scenario(t *testing.T, name string) *session.File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sessionDir, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := session.ParseBytes(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

// allScenarios are the names of sessionDir's session files.
func allScenarios(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(sessionDir, "*.json"))
	if err != nil || len(paths) < 40 {
		t.Fatalf("scenario sessions: %v (%d files)", err, len(paths))
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = strings.TrimSuffix(filepath.Base(p), ".json")
	}
	return names
}

// golden compares got with testdata/path (rewritten with -update).
func golden(t *testing.T, path, got string) {
	t.Helper()
	path = filepath.Join("testdata", path)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got: %q\nwant: %q\n(run go test -update if the change is intended)", path, i+1, g, w)
			}
		}
	}
}

// withLineMap is the Rust followed by, as comments, each operation's line
// range: what a golden pins besides the text.
func withLineMap(ops []program.Op, c rustgen.Code) string {
	var b strings.Builder
	b.WriteString(c.Text)
	b.WriteString("\n// operation -> lines\n")
	for i, r := range c.Ops {
		b.WriteString("// " + ops[i].Text + " -> " + itoa(r.First) + "-" + itoa(r.Last) + "\n")
	}
	for _, n := range c.Notes {
		b.WriteString("// note: " + n + "\n")
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	if neg {
		s = "-" + s
	}
	return s
}

// The seed problems' client programs and a few more, as the Rust beside
// them, with each operation's lines.
func TestClientGolden(t *testing.T) {
	for _, name := range []string{"seed000-graceful", "seed001-deadlock", "seed001-fixed", "seed002-deadlock", "seed002-fixed", "client-101", "client-trailers", "client-typed"} {
		t.Run(name, func(t *testing.T) {
			f := scenario(t, name)
			c := rustgen.Client(f.Program(), rustgen.ClientOptions{})
			golden(t, filepath.Join("client", name+".rs"), withLineMap(f.Program(), c))
		})
	}
}

// A library scenario's session (the problem programs live there).
func libraryFile(t *testing.T, name string) *session.File {
	t.Helper()
	sc, ok := scenarios.Lookup(name)
	if !ok {
		t.Fatalf("no library scenario %q", name)
	}
	f, err := sc.File()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// An exported session with a service program of its own (seed 002's
// deadlock as a gRPC-style server).
func TestExportServiceProgramGolden(t *testing.T) {
	name := "grpc-first-frame-deadlock"
	src, err := rustgen.Export(libraryFile(t, name), name)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("export", "library-"+name+".rs"), src)
}

// Whole exported tests for a handful of sessions (each mode, a fault, an
// upgrade); hyper1_test.go compiles and runs them against real hyper.
func TestExportGolden(t *testing.T) {
	for _, name := range []string{"seed000-graceful", "seed001-deadlock", "seed002-fixed", "seed003-wrk-enotconn", "pipeline-2", "client-101", "client-try-send", "timeout-met", "upgrade-echo-leftover"} {
		t.Run(name, func(t *testing.T) {
			src, err := rustgen.Export(scenario(t, name), name)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("export", name+".rs"), src)
		})
	}
}

// callOf is the hyper (or tokio) call each operation's lines must hold.
var callOf = map[program.OpKind]string{
	program.OpHandshake:            "handshake",
	program.OpWithUpgrades:         "conn.with_upgrades()",
	program.OpSpawnConn:            "tokio::spawn(conn)",
	program.OpAwaitConn:            "conn.await?",
	program.OpReady:                "sender.ready().await?",
	program.OpSend:                 "sender.send_request(req)",
	program.OpTrySend:              "sender.try_send_request(req)",
	program.OpSendBody:             "Frame::data(",
	program.OpSendTrailers:         "Frame::trailers(",
	program.OpEndBody:              "drop(body_tx)",
	program.OpAwaitResponse:        "res.await",
	program.OpTimeoutAwaitResponse: "tokio::time::timeout(",
	program.OpReadBody:             ".collect().await?",
	program.OpDropSender:           "drop(sender)",
	program.OpDropResponse:         "drop",
	program.OpSleep:                "tokio::time::sleep(",
	program.OpAwaitUpgrade:         "hyper::upgrade::on(&mut resp)",
	program.OpUpgradedWrite:        "upgraded.write_all(",
	program.OpUpgradedRead:         "upgraded.read(",
	program.OpCloseWrite:           "shutdown(SHUT_WR)",
}

// Every scenario's program: each operation has lines of its own, in order,
// inside the function, and they hold the call the operation stands for (or
// say why not).
func TestClientLineRanges(t *testing.T) {
	n := 0
	for _, name := range allScenarios(t) {
		sc := struct{ Name string }{name}
		f := scenario(t, name)
		ops := f.Program()
		if len(ops) == 0 {
			continue
		}
		n++
		c := rustgen.Client(ops, rustgen.ClientOptions{})
		lines := strings.Split(c.Text, "\n")
		if len(c.Ops) != len(ops) {
			t.Fatalf("%s: %d ranges for %d operations", sc.Name, len(c.Ops), len(ops))
		}
		prev := 1 // the fn line
		for i, r := range c.Ops {
			if r.First != prev+1 || r.Last < r.First || r.Last >= len(lines)-2 {
				t.Fatalf("%s: op %d (%s) has lines %d-%d after line %d (of %d)", sc.Name, i, ops[i].Text, r.First, r.Last, prev, len(lines))
			}
			prev = r.Last
			text := strings.Join(lines[r.First-1:r.Last], "\n")
			want := callOf[ops[i].Kind]
			if len(c.Notes) > 0 && strings.HasPrefix(strings.TrimSpace(text), "//") {
				continue // an operation with no rendering says so
			}
			if strings.Contains(text, "return Err(user(") || strings.Contains(text, "// not reached") {
				continue
			}
			if want == "" || !strings.Contains(text, want) {
				t.Errorf("%s: %q became %q, which lacks %q", sc.Name, ops[i].Text, text, want)
			}
		}
	}
	if n < 15 {
		t.Fatalf("only %d scenarios have a client program", n)
	}
}

func parse(t *testing.T, lines ...string) []program.Op {
	t.Helper()
	ops, err := program.Parse(lines)
	if err != nil {
		t.Fatal(err)
	}
	return ops
}

// A line connlab's runner refuses (kind user) ends the Rust there too; the
// lines after it are not reached.
func TestClientUserError(t *testing.T) {
	ops := parse(t, "handshake", "spawn conn", "await response", "read-body")
	c := rustgen.Client(ops, rustgen.ClientOptions{})
	lines := strings.Split(c.Text, "\n")
	at := func(i int) string { return strings.Join(lines[c.Ops[i].First-1:c.Ops[i].Last], "\n") }
	if got := at(2); !strings.Contains(got, `return Err(user("await response with no request in flight"));`) {
		t.Fatalf("await response with nothing sent became %q", got)
	}
	if got := at(3); !strings.Contains(got, "// not reached: read-body") {
		t.Fatalf("the line after became %q", got)
	}
	if len(c.Notes) != 0 {
		t.Fatalf("notes %v: a user error is rendered, not refused", c.Notes)
	}
}

// What has no Rust equivalent is a note, and Export refuses it rather
// than test something else.
func TestExportRefuses(t *testing.T) {
	for _, tc := range []struct {
		file, want string
	}{
		{`{"version":1,"mode":"client","client_program":["handshake","spawn conn","drop sender","send GET /"]}`, "line 4: the sender was dropped"},
	} {
		f, err := session.ParseBytes([]byte(tc.file))
		if err != nil {
			t.Fatal(err)
		}
		_, err = rustgen.Export(f, "x")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.file, err, tc.want)
		}
	}
}

// Every catalog service renders as a service_fn's async fn.
func TestServiceCatalog(t *testing.T) {
	for _, h := range services.Handlers() {
		c, ok := rustgen.Service(h.Name)
		if !ok || !strings.Contains(c.Text, "async fn handle(") {
			t.Errorf("%s: ok=%v\n%s", h.Name, ok, c.Text)
		}
	}
	if _, ok := rustgen.Service("no-such-service"); ok {
		t.Errorf("an unknown service renders")
	}
}

// Byte literals keep every byte: escapes, and after a line continuation a
// leading space (which Rust's continuation would skip) is escaped.
func TestByteLiteral(t *testing.T) {
	f, err := session.ParseBytes([]byte(`{"version":1,"mode":"server","handler":"hello","input":[{"send_b64":"R0VUIC8gSFRUUC8xLjENCiBmb2xkZWQ6IHgNCkhvc3Q6ICJ4XCINCgANCg0K"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	src, err := rustgen.Export(f, "bytes")
	if err != nil {
		t.Fatal(err)
	}
	want := "person.send(b\"GET / HTTP/1.1\\r\\n\\\n            \\x20folded: x\\r\\n\\\n            Host: \\\"x\\\\\\\"\\r\\n\\\n            \\0\\r\\n\\\n            \\r\\n\");"
	if !strings.Contains(src, want) {
		i := strings.Index(src, "person.send(")
		t.Fatalf("the input became\n%s\nwant\n%s", src[i:i+len(want)+20], want)
	}
}

// programOf is the catalog or problem program called name.
func programOf(t *testing.T, name string) *program.Service {
	t.Helper()
	for _, p := range services.Programs() {
		if p.Name == name {
			svc, err := program.ParseService(p.Source)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return svc
		}
	}
	t.Fatalf("no program %q", name)
	return nil
}

// Service programs as the Rust beside them: catalog programs with a body
// read, a stream, an upgrade, and the problem programs with sections.
func TestServiceProgramGolden(t *testing.T) {
	names := []string{"echo", "stream", "upgrade-echo", "slow-body", "read-one", "delay"}
	for _, p := range services.Programs() {
		if p.Kind == "problem" {
			names = append(names, p.Name)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			svc := programOf(t, name)
			c := rustgen.ServiceProgram(svc)
			var b strings.Builder
			b.WriteString(c.Text)
			b.WriteString("\n// operation -> lines\n")
			for i, r := range c.Ops {
				b.WriteString("// program line " + itoa(c.OpLines[i]) + " -> " + itoa(r.First) + "-" + itoa(r.Last) + "\n")
			}
			for _, n := range c.Notes {
				b.WriteString("// note: " + n + "\n")
			}
			golden(t, filepath.Join("service", name+".rs"), b.String())
		})
	}
}

// svcCallOf is what each service operation's lines must hold.
var svcCallOf = map[program.ServiceOpKind]string{
	program.SvcRespond:         "Response::builder()",
	program.SvcSendChunk:       "Frame::data(",
	program.SvcEndBody:         "return None, // end-body",
	program.SvcReadBody:        "body.frame().await",
	program.SvcReadFrame:       "body.frame().await",
	program.SvcDropBody:        "drop(body)",
	program.SvcHoldBody:        "std::future::pending",
	program.SvcDropRequest:     "drop request",
	program.SvcSleep:           "tokio::time::sleep(",
	program.SvcYield:           "tokio::task::yield_now()",
	program.SvcNotReady:        "tokio::time::sleep(",
	program.SvcFail:            "Err(",
	program.SvcAcceptWebSocket: "accept_websocket(&mut parts)",
	program.SvcUpgrade:         "spawn_",
}

// Every catalog and problem program: each operation has its own lines, in
// source order, holding the call it stands for (or a note saying why not).
func TestServiceProgramLineRanges(t *testing.T) {
	for _, p := range services.Programs() {
		svc := programOf(t, p.Name)
		c := rustgen.ServiceProgram(svc)
		lines := strings.Split(c.Text, "\n")
		var ops []program.ServiceOp
		for _, sec := range svc.Sections {
			ops = append(ops, sec.Ops...)
		}
		ops = append(ops, svc.Default.Ops...)
		byLine := map[int]program.ServiceOp{}
		for _, op := range ops {
			byLine[op.Line] = op
		}
		if len(c.Ops) != len(ops) || len(c.OpLines) != len(ops) {
			t.Fatalf("%s: %d ranges, %d lines for %d operations", p.Name, len(c.Ops), len(c.OpLines), len(ops))
		}
		prevLine := 0
		for i, r := range c.Ops {
			op := byLine[c.OpLines[i]]
			if c.OpLines[i] <= prevLine || r.First < 1 || r.Last < r.First || r.Last > len(lines) {
				t.Fatalf("%s: op %d (program line %d) has lines %d-%d", p.Name, i, c.OpLines[i], r.First, r.Last)
			}
			prevLine = c.OpLines[i]
			text := strings.Join(lines[r.First-1:r.Last], "\n")
			if len(c.Notes) > 0 && strings.Contains(text, "not rendered") {
				continue
			}
			if want := svcCallOf[op.Kind]; !strings.Contains(text, want) {
				t.Errorf("%s: %q became %q, which lacks %q", p.Name, op.Text, text, want)
			}
		}
	}
}

// Beside picks each side's rendering by what the session runs.
func TestBeside(t *testing.T) {
	srv, cli := rustgen.Beside(scenario(t, "seed002-deadlock"))
	if !strings.Contains(srv.Text, "The catalog service `wait-body-then-respond`") || !strings.Contains(cli.Text, "sender.send_request(req)") || len(cli.Ops) != 7 {
		t.Fatalf("seed002-deadlock:\n%s\n%s", srv.Text, cli.Text)
	}
	srv, cli = rustgen.Beside(libraryFile(t, "grpc-first-frame-deadlock"))
	if !strings.Contains(srv.Text, "async fn on_line_") || len(srv.Ops) == 0 || cli.Text == "" {
		t.Fatalf("grpc-first-frame-deadlock:\n%s\n%s", srv.Text, cli.Text)
	}
	srv, cli = rustgen.Beside(scenario(t, "pipeline-2"))
	if srv.Text == "" || cli.Text != "" {
		t.Fatalf("pipeline-2 (mode server): client %q", cli.Text)
	}
}

// body request streams the request body back: the section binds the body
// and the response boxes it.
func TestServiceProgramBodyRequest(t *testing.T) {
	svc, err := program.ParseService("on POST /pipe\n  respond 200 header \"X-Pipe: 1\" body request\ndefault\n  respond 404")
	if err != nil {
		t.Fatal(err)
	}
	c := rustgen.ServiceProgram(svc)
	for _, want := range []string{"let (_parts, body) = req.into_parts();", ".body(body.map_err(BoxError::from).boxed())?;", `.header("X-Pipe", "1")`} {
		if !strings.Contains(c.Text, want) {
			t.Fatalf("lacks %q:\n%s", want, c.Text)
		}
	}
}

// Any program the language accepts renders without panicking, each
// operation on lines of its own in order, whatever the order of its lines
// (every sequence of three of these and one of the tail, 15^3*5 programs): the generator's
// picture of what the program holds never goes wrong.
func TestClientAnyProgram(t *testing.T) {
	lines := []string{
		"handshake", "with upgrades", "spawn conn", "await conn", "ready",
		`send POST / body stream header "Host: x"`, `try send GET / HTTP/1.0`, `send-body "a"`,
		`send-trailers "X-T: 1"`, "end-body", "await response", "timeout 5ms await response",
		"read-body", "drop sender", "drop response",
	}
	tail := []string{"await upgrade", `upgraded write "x"`, "upgraded read", "close write", "sleep 1ms"}
	n := 0
	var prog [4]string
	var walk func(depth int)
	walk = func(depth int) {
		if depth == 3 {
			for _, last := range tail {
				prog[3] = last
				ops := parse(t, prog[:]...)
				c := rustgen.Client(ops, rustgen.ClientOptions{TitleCaseHeaders: n%2 == 0})
				end := strings.Count(c.Text, "\n")
				prev := 1
				for i, r := range c.Ops {
					if r.First != prev+1 || r.Last < r.First || r.Last > end-2 {
						t.Fatalf("%q: op %d has lines %d-%d after %d:\n%s", prog, i, r.First, r.Last, prev, c.Text)
					}
					prev = r.Last
				}
				n++
			}
			return
		}
		for _, l := range lines {
			prog[depth] = l
			walk(depth + 1)
		}
	}
	walk(0)
	if n != 15*15*15*len(tail) {
		t.Fatalf("%d programs", n)
	}
}

// Size costs time in proportion: a service program of 20 000 operations
// and a client program of 20 000 lines render at once.
func TestRenderLargePrograms(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 2000; i++ {
		b.WriteString("on GET /p" + itoa(i) + "\n  yield\n  sleep 1ms\n  respond 200 body \"x\"\n")
	}
	b.WriteString("default\n")
	for i := 0; i < 12000; i++ {
		b.WriteString("  yield\n")
	}
	b.WriteString("  respond 404\n")
	svc, err := program.ParseService(b.String())
	if err != nil {
		t.Fatal(err)
	}
	if c := rustgen.ServiceProgram(svc); len(c.Ops) != 2000*3+12001 {
		t.Fatalf("%d ranges", len(c.Ops))
	}
	lines := []string{"handshake", "spawn conn"}
	for i := 0; i < 10000; i++ {
		lines = append(lines, `send GET / header "Host: x"`, "await response")
	}
	if c := rustgen.Client(parse(t, lines...), rustgen.ClientOptions{}); len(c.Ops) != len(lines) {
		t.Fatalf("%d ranges", len(c.Ops))
	}
}

// TestExportRun: the test written from a session its caller ran (the
// API's run within its limits) is Export's, byte for byte, for every
// scenario of the library that has a test; Exportable refuses what Export
// refuses, before anything runs.
func TestExportRun(t *testing.T) {
	n := 0
	for _, sc := range scenarios.Library() {
		f, err := sc.File()
		if err != nil {
			t.Fatal(err)
		}
		want, werr := rustgen.Export(f, sc.Name)
		if err := rustgen.Exportable(f); (err == nil) != (werr == nil) {
			t.Errorf("%s: Exportable says %v, Export %v", sc.Name, err, werr)
		}
		if werr != nil {
			continue
		}
		s := session.New(f, session.Options{})
		if err := s.Run(); err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
		got, err := rustgen.ExportRun(s, sc.Name)
		if err != nil || got != want {
			t.Errorf("%s: ExportRun differs from Export (err %v)", sc.Name, err)
		}
		n++
	}
	if n < 10 {
		t.Errorf("only %d scenarios exported", n)
	}
	if _, err := rustgen.ExportRun(nil, "x"); err == nil {
		t.Error("ExportRun(nil): no error")
	}
}
