package ui

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/rustgen"
	"github.com/connlab/connlab/engine/session"
)

// TestModeSwitch: the mode switch starts a session in each mode with the
// programs it runs, and switching back restores what was set aside.
func TestModeSwitch(t *testing.T) {
	p := newPage(t)
	if p.v[SlotModeSel] != "server" || p.v[SlotWhySvc] != "" || p.v[SlotWhyCli] == "" {
		t.Fatalf("mode server: mode %q, service why %q, client why %q", p.v[SlotModeSel], p.v[SlotWhySvc], p.v[SlotWhyCli])
	}
	// the default scenario's catalog service shows as its program
	if !strings.Contains(p.v[SlotSvcText], "respond 200") {
		t.Errorf("service editor: %q", p.v[SlotSvcText])
	}
	p.do(ApplyProgram{Which: "service", Text: "read-body\nrespond 201 body echo"})
	p.do(SetMode{Mode: "client"})
	f := p.m.TL.File()
	if f.RunMode() != session.ModeClient || len(f.ClientProgram) == 0 || f.ServiceProgram != nil || f.Handler != "" || len(f.Input) != 0 {
		t.Fatalf("mode client: %+v", f)
	}
	if p.v[SlotModeSel] != "client" || p.v[SlotWhySvc] == "" || p.v[SlotWhyCli] != "" || p.m.Draft != defaultClientDraft {
		t.Errorf("mode client: why svc %q cli %q draft %q", p.v[SlotWhySvc], p.v[SlotWhyCli], p.m.Draft)
	}
	p.do(SetMode{Mode: "both"}, RunToEnd{})
	f = p.m.TL.File()
	if f.RunMode() != session.ModeBoth || strings.Join(f.ServiceProgram, "\n") != "read-body\nrespond 201 body echo" || len(f.ClientProgram) == 0 {
		t.Fatalf("mode both: %+v", f)
	}
	if !strings.Contains(toClient(p), "HTTP/1.1 201") {
		t.Errorf("mode both did not run the service program: %q", toClient(p))
	}
	p.do(SetMode{Mode: "server"})
	if f := p.m.TL.File(); f.RunMode() != session.ModeServer || f.ClientProgram != nil || f.ServiceProgram == nil {
		t.Errorf("back to server: %+v", f)
	}
	p.do(SetMode{Mode: "nonsense"})
	if p.m.TL.File().RunMode() != session.ModeServer {
		t.Errorf("an unknown mode changed the session")
	}
}

// TestProgramEditorErrors: a program that does not parse shows its line
// and column beside the editor, as text, and the session is unchanged.
func TestProgramEditorErrors(t *testing.T) {
	p := newPage(t)
	before := p.m.TL.File()
	p.do(EditProgram{Which: "service", Text: "respond 200\n<img src=x onerror=alert(1)>"})
	if p.v[SlotSvcErr] == "" || !strings.HasPrefix(p.v[SlotSvcErr], "line 2:1: ") || p.v[SlotSvcErrLine] != "2" || p.v[SlotSvcErrKind] != "ed-err err" {
		t.Errorf("error %q at %q (%q)", p.v[SlotSvcErr], p.v[SlotSvcErrLine], p.v[SlotSvcErrKind])
	}
	if SlotSvcErr.Kind() != "text" || SlotSvcText.Kind() != "value" {
		t.Errorf("program text reaches the page as %s and %s, not as text", SlotSvcErr.Kind(), SlotSvcText.Kind())
	}
	p.do(ApplyProgram{Which: "service", Text: "respond 200\n<img src=x onerror=alert(1)>"})
	if p.m.TL.File() != before || p.m.Banner.Text != "" {
		t.Errorf("a bad program changed the session (banner %q)", p.m.Banner.Text)
	}
	// fixed: the error goes, the session runs it
	p.do(EditProgram{Which: "service", Text: "respond 404"}, ApplyProgram{Which: "service", Text: "respond 404"}, RunToEnd{})
	if p.v[SlotSvcErr] != "" || p.v[SlotSvcErrLine] != noLine || !strings.Contains(toClient(p), "404") {
		t.Errorf("after the fix: error %q, to client %q", p.v[SlotSvcErr], toClient(p))
	}
	// a scenario loaded drops the draft of another session's program
	p.do(EditProgram{Which: "service", Text: "respond 999\nbogus"}, LoadScenario{Name: "keep-alive"})
	if strings.Contains(p.v[SlotSvcText], "bogus") || p.v[SlotSvcErr] != "" {
		t.Errorf("the draft outlived its session: %q %q", p.v[SlotSvcText], p.v[SlotSvcErr])
	}
}

// TestProgramLineHighlight: stepping marks the executing line of both
// editors, and the Rust panel marks the lines that operation became.
func TestProgramLineHighlight(t *testing.T) {
	const file = `{"version": 1, "mode": "both",
 "client_program": ["handshake", "spawn conn", "send POST / header \"Host: x\" body stream", "send-body \"ab\"", "sleep 50ms", "send-body \"cd\"", "end-body", "await response", "read-body"],
 "service_program": ["# echo", "read-body", "respond 200 body echo"],
 "input": [{"wait_ms": 100}]}`
	f, err := session.ParseBytes([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	p := newPage(t)
	sh := &Share{Session: f.AppendJSON(nil, false)}
	frag, err := EncodeFragment(sh)
	if err != nil {
		t.Fatal(err)
	}
	p.do(Init{BaseURL: "https://connlab.test/", Fragment: frag})
	key, body, ok := p.m.RustRequest()
	if !ok || key == "" {
		t.Fatal("no Rust asked for")
	}
	if _, _, again := p.m.RustRequest(); again {
		t.Error("the same programs asked for twice")
	}
	// answer as /api/rust does (site/api.RustAnswer's JSON)
	af, _ := session.ParseBytes([]byte(body))
	server, client := rustgen.Beside(af)
	p.do(RustArrived{Key: key, Status: 200, Body: rustJSON(t, server, client)})
	if !strings.Contains(p.text(SlotRustServer), "async fn") || p.v[SlotRustServerBox] != "" || p.v[SlotRustClientBox] != "" {
		t.Fatalf("Rust panel: %q", p.text(SlotRustServer))
	}
	sawSvc, sawCli := false, false
	for i := 0; i < p.m.TL.Len(); i++ {
		p.do(JumpTo{Event: i})
		cl, sv := p.m.TL.ProgramLines(i)
		if sv == 2 {
			sawSvc = true
			lo, hi := rustLines(&RustCode{Ops: opsOf(server), OpLines: server.OpLines}, 2)
			if p.v[SlotSvcExec] != "2" || !strings.HasPrefix(p.v[SlotSvcStatus], "At this event: line 2, read-body") || !strings.Contains(p.v[SlotRustServer], `<mark class="rx" data-exec="`+itoa(lo)+`">`) || lo == 0 || hi < lo {
				t.Fatalf("event %d, service at read-body: exec %q status %q rust lines %d-%d", i, p.v[SlotSvcExec], p.v[SlotSvcStatus], lo, hi)
			}
		}
		if cl == 8 {
			sawCli = true
			if p.v[SlotCliExec] != "8" || !strings.Contains(p.v[SlotRustClient], `<mark class="rx"`) {
				t.Fatalf("event %d, client at await response: exec %q", i, p.v[SlotCliExec])
			}
		}
	}
	if !sawSvc || !sawCli {
		t.Errorf("lines never reached: service read-body %v, client await response %v", sawSvc, sawCli)
	}
	// a change of program asks again; an old answer is ignored
	p.do(ApplyProgram{Which: "service", Text: "respond 204"})
	if p.text(SlotRustStatus) != "generating the Rust…" {
		t.Errorf("status while asking: %q", p.text(SlotRustStatus))
	}
	p.do(RustArrived{Key: key, Status: 200, Body: rustJSON(t, server, client)})
	if p.v[SlotRustServerBox] != "1" {
		t.Error("an answer for older programs was shown")
	}
	key2, _, _ := p.m.RustRequest()
	p.do(RustArrived{Key: key2, Status: 0, Body: "Failed to fetch"})
	if !strings.Contains(p.text(SlotRustStatus), "did not answer") || p.v[SlotRustServerBox] != "1" {
		t.Errorf("no API: %q", p.text(SlotRustStatus))
	}
}

func opsOf(c rustgen.Code) [][2]int {
	var out [][2]int
	for _, r := range c.Ops {
		out = append(out, [2]int{r.First, r.Last})
	}
	return out
}

func rustJSON(t *testing.T, server, client rustgen.Code) string {
	t.Helper()
	side := func(c rustgen.Code) map[string]any {
		return map[string]any{"text": c.Text, "ops": opsOf(c), "op_lines": c.OpLines, "notes": []string{}}
	}
	b, err := json.Marshal(map[string]any{"server": side(server), "client": side(client)})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestProgramsRoundTripTheLink: a permalink carries both programs (the
// session file), and hostile program text in a link reaches the editor
// as a value, its error as text.
func TestProgramsRoundTripTheLink(t *testing.T) {
	p := newPage(t)
	p.do(SetMode{Mode: "both"}, ApplyProgram{Which: "service", Text: "# mine\nrespond 200 body \"</textarea><script>alert(1)</script>\""}, ApplyProgram{Which: "client", Text: "handshake\nspawn conn\nsend GET / header \"Host: y\"\nawait response"})
	frag, err := EncodeFragment(p.m.ShareState())
	if err != nil {
		t.Fatal(err)
	}
	q := newPage(t)
	q.do(Init{BaseURL: "https://connlab.test/", Fragment: frag})
	if q.v[SlotSvcText] != p.v[SlotSvcText] || q.v[SlotCliText] != p.v[SlotCliText] || q.v[SlotModeSel] != "both" || !strings.Contains(q.v[SlotSvcText], "<script>") {
		t.Errorf("after the round trip: mode %q service %q client %q", q.v[SlotModeSel], q.v[SlotSvcText], q.v[SlotCliText])
	}
	// a link whose program does not parse: the banner names the field
	bad := `{"version": 1, "service_program": ["<b>bold</b>"], "input": []}`
	frag, _ = EncodeFragment(&Share{Session: []byte(bad)})
	r := newPage(t)
	r.do(Init{BaseURL: "https://connlab.test/", Fragment: frag})
	if !strings.Contains(r.m.Banner.Text, "service_program line 1, column 1") || !strings.Contains(r.v[SlotBanner], "<b>bold</b>") || SlotBanner.Kind() != "text" {
		t.Errorf("hostile program link: banner %q", r.m.Banner.Text)
	}
}

func toClient(p *page) string {
	_, out := p.m.TL.Wire()
	return string(out)
}

// TestCatalogServiceReplacesTheProgram: picking a catalog service after
// running a program of one's own runs the service, and the editor shows
// its program.
func TestCatalogServiceReplacesTheProgram(t *testing.T) {
	p := newPage(t)
	p.do(ApplyProgram{Which: "service", Text: "respond 418"})
	if f := p.m.TL.File(); f.Handler != "" || f.ServiceProgram == nil {
		t.Fatalf("the program does not run: %+v", f)
	}
	p.do(SetOption{Key: "handler", Value: "echo"})
	if f := p.m.TL.File(); f.Handler != "echo" || f.ServiceProgram != nil || p.m.Banner.Error {
		t.Fatalf("picking echo: %+v, banner %q", f, p.m.Banner.Text)
	}
	if !strings.Contains(p.v[SlotSvcText], "respond 200 body echo") || !strings.Contains(p.v[SlotSvcStatus], "catalog service echo runs") {
		t.Errorf("service editor %q, status %q", p.v[SlotSvcText], p.v[SlotSvcStatus])
	}
}

// TestEmbedCarriesPrograms: the embed link of a session with programs
// runs them in the embed view (which asks no Rust: it has no Rust panel).
func TestEmbedCarriesPrograms(t *testing.T) {
	p := newPage(t)
	p.do(SetMode{Mode: "both"}, ApplyProgram{Which: "service", Text: "respond 203 body \"from my program\""}, RunToEnd{})
	u := p.m.EmbedURL()
	base, frag, ok := strings.Cut(u, "#")
	if !ok || !strings.HasPrefix(base, "https://connlab.test/embed?embed=1") {
		t.Fatalf("embed URL %q", u)
	}
	q := newPage(t)
	q.do(Init{BaseURL: "https://connlab.test/embed", Query: "embed=1", Fragment: frag}, RunToEnd{})
	if !q.m.Embed || !strings.Contains(toClient(q), "HTTP/1.1 203") || !strings.Contains(toClient(q), "from my program") {
		t.Errorf("the embed did not run the program: embed %v, to client %q", q.m.Embed, toClient(q))
	}
	if _, _, ok := q.m.RustRequest(); ok {
		t.Error("the embed view asks for Rust")
	}
}

// TestResetKeepsTheServiceProgram: Reset in mode both gives a connection
// you type into, served by the same service program.
func TestResetKeepsTheServiceProgram(t *testing.T) {
	p := newPage(t)
	p.do(SetMode{Mode: "both"}, ApplyProgram{Which: "service", Text: "respond 202"}, Reset{})
	f := p.m.TL.File()
	if p.m.Banner.Error || f.RunMode() != session.ModeServer || strings.Join(f.ServiceProgram, "\n") != "respond 202" || f.Handler != "" {
		t.Errorf("after Reset: banner %q, file %+v", p.m.Banner.Text, f)
	}
}
