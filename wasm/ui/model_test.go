package ui

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
	"github.com/connlab/connlab/engine/trace"
)

// page is a model plus everything its renders set so far: a stand-in
// for the DOM, as the page's helper would leave it.
type page struct {
	t *testing.T
	m *Model
	v map[Slot]string
}

func newPage(t *testing.T) *page {
	t.Helper()
	p := &page{t: t, m: New(), v: map[Slot]string{}}
	p.do(Init{BaseURL: "https://connlab.test/"})
	return p
}

// do applies actions and renders, like the adapter.
func (p *page) do(acts ...Action) {
	p.t.Helper()
	for _, a := range acts {
		p.m.Update(a)
		batch, n := p.m.Render()
		if n == 0 {
			continue
		}
		decodePage(p.t, p.v, batch)
	}
}

// decodePage applies a batch the way connlab.js's apply does, to a map
// standing in for the page.
func decodePage(t testing.TB, v map[Slot]string, batch string) {
	t.Helper()
	if !utf8.ValidString(batch) {
		t.Fatalf("the batch is not valid UTF-8: syscall/js would let TextDecoder pick the replacements")
	}
	f, err := DecodeFrames(batch)
	if err != nil {
		t.Fatalf("batch %.200q: %v", batch, err)
	}
	if len(f)%2 != 0 {
		t.Fatalf("batch of %d frames: not index/value pairs", len(f))
	}
	for i := 0; i < len(f); i += 2 {
		s, err := strconv.Atoi(f[i])
		if err != nil || s < 0 || s >= int(slotCount) || strconv.Itoa(s) != f[i] {
			t.Fatalf("frame %d: %q is not a slot index", i, f[i])
		}
		v[Slot(s)], err = applySlot(Slot(s), v[Slot(s)], f[i+1])
		if err != nil {
			t.Fatalf("slot %s: %v", Slot(s).Name(), err)
		}
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// text is a slot's value as text (markup stripped, entities decoded).
func (p *page) text(s Slot) string {
	t := tagRE.ReplaceAllString(p.v[s], "")
	for _, e := range [][2]string{{"&lt;", "<"}, {"&gt;", ">"}, {"&#34;", `"`}, {"&#39;", "'"}, {"&amp;", "&"}} {
		t = strings.ReplaceAll(t, e[0], e[1])
	}
	return t
}

func (p *page) cursor() int { return p.m.TL.Cursor() }

func (p *page) stepUntil(s Slot, prefix string) {
	p.t.Helper()
	for i := 0; !strings.HasPrefix(p.text(s), prefix); i++ {
		if i > 500 {
			p.t.Fatalf("%s never became %s (now %q at %d)", s.Name(), prefix, p.text(s), p.cursor())
		}
		p.do(Step{Default: true})
	}
}

func TestDefaultPage(t *testing.T) {
	p := newPage(t)
	if p.m.Scenario != DefaultScenario {
		t.Errorf("default scenario %q, want %q", p.m.Scenario, DefaultScenario)
	}
	if p.v[SlotReady] != "true" || p.v[SlotBannerBox] != "1" {
		t.Errorf("ready %q, banner hidden %q", p.v[SlotReady], p.v[SlotBannerBox])
	}
	for _, s := range []Slot{SlotReading, SlotWriting} {
		if !strings.HasPrefix(p.text(s), "Init") {
			t.Errorf("%s = %q, want Init…", s.Name(), p.text(s))
		}
	}
	if got := p.text(SlotStep); got == "" || got[0] < '0' || got[0] > '9' {
		t.Errorf("step = %q, want a number first", got)
	}
	if !strings.Contains(p.v[SlotScExplain], "<p>") || p.v[SlotScGoal] == "" || !strings.Contains(p.v[SlotScMarks], `data-action="mark"`) {
		t.Errorf("the scenario panel lacks its explanation, goal or marks")
	}
	p.do(Open{Overlay: "library"})
	if got := strings.Count(p.v[SlotLibrary], "data-sc="); got != len(scenarios.Library()) {
		t.Errorf("library lists %d scenarios, want %d", got, len(scenarios.Library()))
	}
}

// TestTypeSendStep is the person's path: reset, type, send, step forward
// to the head, step back, run to the end.
func TestTypeSendStep(t *testing.T) {
	p := newPage(t)
	p.do(Reset{})
	if n := len(p.m.TL.File().Input); n != 0 {
		t.Fatalf("reset left %d inputs", n)
	}
	p.do(SetDraft{Text: "GET /x HTTP/1.1\nHost: a\n\n"})
	if !strings.Contains(p.text(SlotPreview), `GET /x HTTP/1.1\r\n`) || !strings.HasPrefix(p.text(SlotDraftInfo), "28 bytes") {
		t.Errorf("preview %q, info %q", p.text(SlotPreview), p.text(SlotDraftInfo))
	}
	before := p.m.TL.Len()
	p.do(Send{How: SendAll})
	if p.m.Banner.Text != "" {
		t.Fatalf("banner after send: %s", p.m.Banner.Text)
	}
	if p.cursor() != before {
		t.Errorf("after send the cursor is at %d, want the first new event %d", p.cursor(), before)
	}
	if in := p.m.TL.File().Input; len(in) != 1 || *in[0].Send != "GET /x HTTP/1.1\r\nHost: a\r\n\r\n" {
		t.Fatalf("input log %+v", in)
	}
	p.stepUntil(SlotReading, "KeepAlive")
	at := p.cursor()
	if e := p.m.TL.Event(at); e.Field != "reading" || e.To != "KeepAlive" {
		t.Errorf("stopped at %+v", e)
	}
	if !strings.Contains(p.v[SlotReading], "chg") {
		t.Errorf("the changed field is not marked: %s", p.v[SlotReading])
	}
	if !strings.Contains(p.v[SlotDiagram], `class="e last" data-edge="Init→KeepAlive"`) {
		t.Errorf("the diagram does not highlight Init→KeepAlive")
	}
	if !strings.Contains(p.text(SlotWireIn), "GET /x HTTP/1.1") || p.text(SlotWireInN) != "28 of 28 B sent · 28 read" {
		t.Errorf("wire in %q (%s)", p.text(SlotWireIn), p.text(SlotWireInN))
	}
	p.do(Step{Default: true, Back: true})
	if !strings.HasPrefix(p.text(SlotReading), "Init") || p.cursor() != at-1 {
		t.Errorf("step back: reading %q at %d", p.text(SlotReading), p.cursor())
	}
	p.do(RunToEnd{})
	if p.cursor() != p.m.TL.Len()-1 || p.v[SlotDisFwd] != "1" {
		t.Errorf("run: cursor %d of %d, forward disabled %q", p.cursor(), p.m.TL.Len(), p.v[SlotDisFwd])
	}
	if !strings.Contains(p.text(SlotWireOut), "HTTP/1.1 200 OK") || !strings.HasPrefix(p.text(SlotKeepAlive), "Idle") {
		t.Errorf("at the end: wire out %q, keep_alive %q", p.text(SlotWireOut), p.text(SlotKeepAlive))
	}
	if !strings.Contains(p.text(SlotNow), "End of the timeline: running") {
		t.Errorf("now card: %q", p.text(SlotNow))
	}
	// units
	p.do(Rewind{}, Step{Unit: timeline.UnitPoll})
	if e := p.m.TL.Event(p.cursor()); e.Kind.String() != "poll" {
		t.Errorf("step poll stopped at a %s event", e.Kind)
	}
	p.do(Step{Unit: timeline.UnitCall})
	if k := p.m.TL.Event(p.cursor()).Kind.String(); k != "call" && k != "ret" {
		t.Errorf("step call stopped at a %s event", k)
	}
}

func TestSendVariants(t *testing.T) {
	p := newPage(t)
	p.do(Reset{}, SetDraft{Text: "GET / HTTP/1.1\nHost: x\n\n"}, SetFragN{N: 5}, Send{How: SendPieces})
	in := p.m.TL.File().Input
	if len(in) != 6 || *in[0].Send != "GET /" || *in[5].Send != "\r\n" {
		t.Fatalf("pieces: %d inputs", len(in))
	}
	p.do(Reset{}, SetDraft{Text: "GET / HTTP/1.1\nHost: x\n\n", Caret: 15}, Send{How: SendToCaret})
	if in := p.m.TL.File().Input; len(in) != 1 || *in[0].Send != "GET / HTTP/1.1\r\n" {
		t.Fatalf("send to cursor: %+v", in)
	}
	if p.m.Draft != "Host: x\n\n" {
		t.Errorf("the rest stays in the editor: %q", p.m.Draft)
	}
	p.do(Send{}, Shutdown{}, Fault{Name: "reset"}, AdvanceClk{})
	in = p.m.TL.File().Input
	if len(in) != 5 || in[2].Shutdown == nil || *in[3].Fault != "reset" || *in[4].WaitMS != 100 {
		t.Fatalf("inputs %+v", in)
	}
	// non-UTF-8 bytes travel as base64
	p.do(Reset{}, SetDraft{Text: `\xff\xfe`}, Send{})
	if in := p.m.TL.File().Input; len(in) != 1 || in[0].SendB64 == nil {
		t.Errorf("binary send: %+v", in)
	}
	// bad escapes send nothing and say why
	p.do(SetDraft{Text: `\xzz`}, Send{})
	if !p.m.Banner.Error || !strings.Contains(p.m.Banner.Text, "column 1") {
		t.Errorf("banner %q", p.m.Banner.Text)
	}
}

// TestFirstSendAppends (issue 16, item 2): the page opens on a scenario
// with its first input in the editor, and Send appends it to the end of
// the session: nothing is dropped.
func TestFirstSendAppends(t *testing.T) {
	p := newPage(t)
	first := p.m.TL.File().Input[0]
	if p.m.Draft != EncodeInput(first.Bytes(), true) || p.v[SlotDraft] != JSText(p.m.Draft) {
		t.Fatalf("the editor opens with %q, want the scenario's first input %q", p.m.Draft, first.Bytes())
	}
	if p.v[SlotSendLabel] != "Send" {
		t.Errorf("send button %q", p.v[SlotSendLabel])
	}
	n := len(p.m.TL.File().Input)
	p.do(Send{})
	in := p.m.TL.File().Input
	if len(in) != n+1 || string(in[n].Bytes()) != string(first.Bytes()) || strings.Contains(p.m.Banner.Text, "dropped") {
		t.Fatalf("after the first Send: %d inputs (want %d), banner %q", len(in), n+1, p.m.Banner.Text)
	}
	// the scenario ended with the client's FIN: the bytes reach no one,
	// and the banner says so rather than leaving the person to guess
	want := "Sent as input 3, at the end of the session;"
	if !strings.HasPrefix(p.m.Banner.Text, want) || !strings.Contains(p.m.Banner.Text, "Nothing happened: the connection had already ended") {
		t.Errorf("banner %q", p.m.Banner.Text)
	}
	// on a fresh connection, Send appends and the cursor goes to its events
	p.do(Reset{}, Send{}, Send{})
	if in := p.m.TL.File().Input; len(in) != 2 || p.m.TL.InputIndexAt(p.cursor()) != 1 || p.m.Banner.Text != "" {
		t.Errorf("two sends on a fresh connection: %d inputs, cursor after input %d, banner %q", len(in), p.m.TL.InputIndexAt(p.cursor())+1, p.m.Banner.Text)
	}
	// a scenario where the person sends nothing opens with an empty editor
	p.do(LoadScenario{Name: "seed001-deadlock"})
	if p.m.Draft != "" {
		t.Errorf("mode both opens with %q in the editor", p.m.Draft)
	}
}

// TestSendFromThePast (issue 16, item 2): Send with the cursor back in
// time still appends at the end; the banner says where the input went and
// Undo takes it back.
func TestSendFromThePast(t *testing.T) {
	p := newPage(t)
	p.do(LoadScenario{Name: "keep-alive"})
	orig := append([]session.Input(nil), p.m.TL.File().Input...)
	p.do(JumpInput{K: 0}, Step{Default: true})
	at := p.cursor()
	p.do(SetDraft{Text: "GET /other HTTP/1.1\nHost: x\n\n"}, Send{})
	in := p.m.TL.File().Input
	if len(in) != len(orig)+1 || !strings.Contains(*in[len(orig)].Send, "/other") {
		t.Fatalf("after the send: %d inputs, want %d with the new one last", len(in), len(orig)+1)
	}
	want := "Sent as input 4, at the end of the session; the cursor was back at event " + itoa(at) + " and moved to the new events."
	if !p.m.Banner.Undo || !strings.HasPrefix(p.m.Banner.Text, want) {
		t.Errorf("banner %q, want it to start %q", p.m.Banner.Text, want)
	}
	if !p.m.Modified || !strings.HasSuffix(p.v[SlotScTitle], "(modified)") {
		t.Errorf("a changed session is not marked modified")
	}
	p.do(Undo{})
	if got := len(p.m.TL.File().Input); got != len(orig) || p.m.Scenario != "keep-alive" || p.m.Modified || p.cursor() != at {
		t.Errorf("undo: %d inputs, scenario %q, cursor %d (want %d)", got, p.m.Scenario, p.cursor(), at)
	}
}

// TestEditInput (issue 16, item 2): the scenario goals' workflow: take a
// request from the input log, change it, send it again. Only that input
// is replaced; the later ones are kept and re-applied; the button and the
// banner say so, and Undo brings the old input back.
func TestEditInput(t *testing.T) {
	p := newPage(t)
	p.do(LoadScenario{Name: "keep-alive"}, EditInput{K: 1})
	if p.m.Draft != "GET /again HTTP/1.1\nHost: x\n\n" || !p.m.CRLF {
		t.Fatalf("editor %q (crlf %v)", p.m.Draft, p.m.CRLF)
	}
	if got := p.m.TL.InputIndexAt(p.cursor()); got != 0 {
		t.Errorf("the cursor is after input %d, want just before input 2", got)
	}
	if p.v[SlotSendLabel] != "Replace input 2" || !strings.Contains(p.m.Banner.Text, "the input after it is kept and re-applied") {
		t.Errorf("while editing: button %q, banner %q", p.v[SlotSendLabel], p.m.Banner.Text)
	}
	p.do(SetDraft{Text: "GET /again HTTP/1.1\nHost: x\nConnection: close\n\n"}, Send{})
	in := p.m.TL.File().Input
	if len(in) != 3 || !strings.Contains(*in[1].Send, "Connection: close") || in[2].Shutdown == nil {
		t.Fatalf("inputs after the edit: %d", len(in))
	}
	if p.m.Banner.Text != "Input 2 replaced; input 3 re-applied." || !p.m.Banner.Undo {
		t.Errorf("banner %q", p.m.Banner.Text)
	}
	if got := p.m.TL.InputIndexAt(p.cursor()); got != 1 || p.v[SlotSendLabel] != "Send" {
		t.Errorf("after the replace: cursor after input %d (want 2), button %q", got+1, p.v[SlotSendLabel])
	}
	p.do(RunToEnd{})
	if !strings.HasPrefix(p.text(SlotKeepAlive), "Disabled") {
		t.Errorf("keep_alive after Connection: close = %q", p.text(SlotKeepAlive))
	}
	if !strings.Contains(p.v[SlotInputs], `data-action="edit-input"`) {
		t.Errorf("the input log offers no edit")
	}
	p.do(Undo{})
	if in := p.m.TL.File().Input; len(in) != 3 || strings.Contains(*in[1].Send, "close") || p.m.Modified {
		t.Errorf("undo did not bring input 2 back: %+v", in)
	}
	// the first input, sent in pieces: the pieces take its place
	p.do(EditInput{K: 0}, SetFragN{N: 10}, Send{How: SendPieces})
	if in := p.m.TL.File().Input; len(in) != 5 || !strings.HasPrefix(p.m.Banner.Text, "Input 1 replaced by inputs 1\u20133; inputs 4\u20135 re-applied.") {
		t.Errorf("%d inputs, banner %q", len(in), p.m.Banner.Text)
	}
	// closing the banner cancels the edit: Send appends again
	p.do(EditInput{K: 0}, Dismiss{})
	if p.v[SlotSendLabel] != "Send" {
		t.Errorf("after dismiss the button says %q", p.v[SlotSendLabel])
	}
}

func TestBreakpointsAndMarks(t *testing.T) {
	p := newPage(t)
	p.do(RunTo{Expr: "transition keep_alive -> Idle"})
	if e := p.m.TL.Event(p.cursor()); e.Field != "keep_alive" || e.To != "Idle" {
		t.Errorf("run to stopped at %+v", e)
	}
	if !strings.Contains(p.v[SlotBPError], "stopped at event") {
		t.Errorf("bp message %q", p.v[SlotBPError])
	}
	at := p.cursor()
	p.do(RunTo{Expr: "reading == Nonsense &&"})
	if p.cursor() != at || !strings.Contains(p.text(SlotBPError), "^ column") {
		t.Errorf("a bad expression: cursor %d, message %q", p.cursor(), p.text(SlotBPError))
	}
	p.do(Rewind{}, JumpMark{Index: 1})
	if e := p.m.TL.Event(p.cursor()); e.Field != "keep_alive" || e.To != "Busy" {
		t.Errorf("mark 2 of pipelining-2 at %+v", e)
	}
}

func TestClickWireAndEvents(t *testing.T) {
	p := newPage(t)
	p.do(RunToEnd{}, ClickWire{Dir: "out", Off: 3})
	e := p.m.TL.Event(p.cursor())
	if e.Kind.String() != "io" || e.Name != "write" || e.Off > 3 || e.Off+e.N <= 3 {
		t.Fatalf("clicking byte 3 of the response moved to %+v", e)
	}
	if !strings.Contains(p.v[SlotWireOut], ` h"`) {
		t.Errorf("its bytes are not highlighted")
	}
	p.do(ClickWire{Dir: "in", Off: 30})
	if e := p.m.TL.Event(p.cursor()); e.Name != "read" {
		t.Errorf("clicking a request byte moved to %+v", e)
	}
	p.do(ClickEvent{Seq: 3})
	if p.cursor() != 3 || p.v[SlotLogCur] != "3" {
		t.Errorf("click event: cursor %d, row mark %q", p.cursor(), p.v[SlotLogCur])
	}
}

// TestEventLogIsVirtual: with a long timeline only the visible rows are
// rendered, and following the cursor scrolls the list.
func TestEventLogIsVirtual(t *testing.T) {
	p := newPage(t)
	req := strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 300)
	f := &session.File{Version: 1, Mode: "server", Handler: "hello", Input: []session.Input{{Send: &req}}}
	tl, err := timeline.New(f)
	if err != nil {
		t.Fatal(err)
	}
	p.m.setTimeline(tl, "")
	p.do(SetLogRows{N: 30}, JumpTo{Event: 5000})
	if tl.Len() < 5000 {
		t.Fatalf("only %d events", tl.Len())
	}
	if rows := strings.Count(p.v[SlotLogRows], `class="ev `); rows > 50 {
		t.Errorf("%d rows rendered, want only the visible ones", rows)
	}
	if !strings.Contains(p.v[SlotLogRows], `data-seq="5000"`) {
		t.Errorf("the cursor's row is not rendered")
	}
	if p.v[SlotLogSpacer] != itoa(tl.Len()*LogRowHeight) {
		t.Errorf("spacer %s", p.v[SlotLogSpacer])
	}
	p.do(ScrollLog{Top: 0})
	if !strings.Contains(p.v[SlotLogRows], `data-seq="0"`) {
		t.Errorf("scrolling to the top does not render row 0")
	}
}

func TestPermalinkRoundTrip(t *testing.T) {
	p := newPage(t)
	p.do(Reset{}, SetDraft{Text: "POST / HTTP/1.1\nContent-Length: 3\n\nab"}, Send{}, SetDraft{Text: "draft"}, Toggle{What: "crlf", On: false},
		SetUnit{Unit: timeline.UnitPoll}, SetBP{Expr: "requests == 1"}, JumpTo{Event: 7})
	frag, err := EncodeFragment(p.m.ShareState())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(frag, "v1=") || strings.ContainsAny(frag[3:], "+/=") {
		t.Errorf("fragment %q is not v1= + base64url", frag)
	}
	q := newPage(t)
	q.do(Init{BaseURL: "https://connlab.test/", Fragment: frag})
	if q.m.Banner.Text != "" {
		t.Fatalf("banner %q", q.m.Banner.Text)
	}
	a, _ := json.Marshal(p.m.TL.File())
	b, _ := json.Marshal(q.m.TL.File())
	if !bytes.Equal(a, b) || q.cursor() != 7 || q.m.Draft != "draft" || q.m.CRLF || q.m.Unit != timeline.UnitPoll || q.m.BP != "requests == 1" {
		t.Errorf("restored: file equal %v, cursor %d, draft %q, crlf %v, unit %v, bp %q", bytes.Equal(a, b), q.cursor(), q.m.Draft, q.m.CRLF, q.m.Unit, q.m.BP)
	}
	if p.v[SlotReading] != q.v[SlotReading] || p.v[SlotWireIn] != q.v[SlotWireIn] {
		t.Errorf("the restored page shows something else")
	}
}

func deflateStd(s string) string {
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	zw.Write([]byte(s))
	zw.Close()
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

func TestBadPermalinks(t *testing.T) {
	bomb := `{"session":{"version":1},"draft":"` + strings.Repeat("a", MaxInflated) + `"}`
	for _, c := range []struct{ frag, want string }{
		{"v1=***", "not valid base64url"},
		{"v1=" + base64.RawURLEncoding.EncodeToString([]byte("not deflate at all")), "does not decompress"},
		{"v1=" + deflateStd("{not json"), "not valid JSON"},
		{"v1=" + deflateStd(`{"cursor":3}`), "holds no session"},
		{"v1=" + deflateStd(`{"session":{"version":1,"handler":"nope"}}`), "unknown handler"},
		{"v1=" + deflateStd(`{"session":{"version":1,"handler":"hello","surprise":1}}`), "surprise"},
		{"v1=" + deflateStd(bomb), "larger than"},
		{"v1=" + strings.Repeat("A", MaxFragment), "too long"},
		{"v2=abc", "v2"},
		{"section-3", "not a connlab session"},
	} {
		p := newPage(t)
		p.do(Init{BaseURL: "https://connlab.test/", Fragment: c.frag})
		if !p.m.Banner.Error || !strings.Contains(p.m.Banner.Text, c.want) {
			t.Errorf("fragment %.24q…: banner %q, want %q", c.frag, p.m.Banner.Text, c.want)
		}
		if p.m.Scenario != DefaultScenario || p.v[SlotReady] != "true" {
			t.Errorf("fragment %.24q…: the page is not usable (scenario %q)", c.frag, p.m.Scenario)
		}
	}
	noise := make([]byte, 150<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	big := base64.StdEncoding.EncodeToString(noise)
	f := &session.File{Version: 1, Mode: "server", Handler: "hello", Input: []session.Input{{SendB64: &big}}}
	j, _ := json.Marshal(f)
	if _, err := EncodeFragment(&Share{Session: j}); err == nil || !strings.Contains(err.Error(), "too large for a link") {
		t.Errorf("an oversized session: %v", err)
	}
}

func TestEmbedAndScenarioLinks(t *testing.T) {
	// the path /embed is the embed view too; links point at the app
	e := newPage(t)
	e.do(Init{BaseURL: "https://connlab.test/embed", Query: "scenario=keep-alive"})
	if !e.m.Embed || e.m.BaseURL != "https://connlab.test/" {
		t.Errorf("/embed: embed %v, base %q", e.m.Embed, e.m.BaseURL)
	}
	p := newPage(t)
	p.do(Init{BaseURL: "https://connlab.test/", Query: "embed=1&scenario=keep-alive&step=12"})
	if !p.m.Embed || p.v[SlotEmbed] != "1" || p.m.Scenario != "keep-alive" || p.cursor() != 12 {
		t.Errorf("embed %v (%q), scenario %q, cursor %d", p.m.Embed, p.v[SlotEmbed], p.m.Scenario, p.cursor())
	}
	if got := p.v[SlotOpenFull]; got != "https://connlab.test/?scenario=keep-alive&step=12" {
		t.Errorf("open-full link %q", got)
	}
	p.do(Open{Overlay: "embed"})
	if got := p.v[SlotEmbedSnippet]; !strings.Contains(got, `<iframe src="https://connlab.test/embed?embed=1&amp;scenario=keep-alive&amp;step=12"`) {
		t.Errorf("embed snippet %q", got)
	}
	q := newPage(t)
	q.do(Init{BaseURL: "https://connlab.test/", Query: "scenario=%3Cimg%20src%3Dx%3E&step=x"})
	if !strings.Contains(q.m.Banner.Text, "<img src=x>") || q.v[SlotBanner] != q.m.Banner.Text || SlotBanner.Kind() != "text" {
		t.Errorf("unknown scenario: banner %q, markup %q", q.m.Banner.Text, q.v[SlotBanner])
	}
	r := newPage(t)
	r.do(Init{BaseURL: "https://connlab.test/", Query: "scenario=keep-alive&step=999999"})
	if r.cursor() != r.m.TL.Len()-1 || !strings.Contains(r.m.Banner.Text, "past the end") {
		t.Errorf("step past the end: cursor %d, banner %q", r.cursor(), r.m.Banner.Text)
	}
}

// TestTypedBytesAreEscaped: bytes that look like markup reach every html
// slot escaped.
func TestTypedBytesAreEscaped(t *testing.T) {
	const evil = `<img src=x onerror=alert(1)><script>alert(2)</script>"'&`
	p := newPage(t)
	p.do(Reset{}, SetDraft{Text: evil}, Send{}, RunToEnd{}, SetBP{Expr: evil}, RunTo{}, Open{Overlay: "share"})
	for s := Slot(0); s < slotCount; s++ {
		if !isMarkup(s.Kind()) {
			continue
		}
		if v := p.v[s]; strings.Contains(v, "<img") || strings.Contains(v, "<script") {
			t.Errorf("slot %s carries raw markup: %.200s", s.Name(), v)
		}
	}
	if !strings.Contains(p.text(SlotWireIn), "<img src=x onerror=alert(1)>") || !strings.Contains(p.text(SlotInputs), "<img src=x") {
		t.Errorf("the bytes are not shown as text: %q", p.text(SlotWireIn))
	}
}

func TestOptionsReplay(t *testing.T) {
	p := newPage(t)
	n := len(p.m.TL.File().Input)
	p.do(SetOption{Key: "keep-alive", Value: ""})
	if f := p.m.TL.File(); f.ServerOptions.KeepAlive == nil || *f.ServerOptions.KeepAlive || len(f.Input) != n {
		t.Errorf("keep-alive off: %+v", f.ServerOptions)
	}
	if p.v[SlotOptKeepAlive] != "" {
		t.Errorf("the checkbox still says on")
	}
	p.do(SetOption{Key: "handler", Value: "echo"}, SetOption{Key: "read-chunk", Value: "1"}, SetOption{Key: "timeout", Value: "50"})
	f := p.m.TL.File()
	if f.Handler != "echo" || f.Transport.ReadChunk != 1 || *f.ServerOptions.HeaderReadTimeoutMS != 50 {
		t.Errorf("options %+v %+v", f.Handler, f.ServerOptions)
	}
	p.do(SetOption{Key: "timeout", Value: "-3"})
	if !p.m.Banner.Error {
		t.Errorf("a negative timeout was accepted")
	}
}

func TestCrashBanner(t *testing.T) {
	p := newPage(t)
	p.do(Crash{Msg: "boom <b>", Stack: "goroutine 1"})
	if p.v[SlotBannerBox] != "" || p.v[SlotBannerCopy] != "" || !strings.Contains(p.v[SlotBanner], "boom <b>") || p.v[SlotBannerDetail] != "goroutine 1" {
		t.Errorf("crash banner: box %q copy %q text %q", p.v[SlotBannerBox], p.v[SlotBannerCopy], p.v[SlotBanner])
	}
	if r := p.m.Report(); !strings.Contains(r, `"handler": "hello"`) || !strings.Contains(r, "goroutine 1") || !strings.Contains(r, "#v1=") {
		t.Errorf("report:\n%s", r)
	}
	p.do(Step{Default: true}, Dismiss{})
	if p.v[SlotBannerBox] != "1" || p.cursor() != 1 {
		t.Errorf("after a crash the page does not work on")
	}
}

func TestDeadlockAndUpgradePanels(t *testing.T) {
	p := newPage(t)
	p.do(LoadScenario{Name: "seed001-deadlock"}, RunToEnd{})
	if !strings.Contains(p.text(SlotStall), "Deadlock.") || !strings.Contains(p.v[SlotStall], "<svg") || !strings.Contains(p.v[SlotStall], `class="e"`) {
		t.Errorf("stall panel: %s", p.text(SlotStall))
	}
	if p.v[SlotClientConn] == "" {
		t.Errorf("mode both shows no client connection")
	}
	// the scenario's goal: edit the client program and the deadlock goes
	if p.v[SlotWhyCli] != "" || !strings.Contains(p.v[SlotCliText], "await conn") {
		t.Errorf("the client program is not offered for editing: why %q, program %q", p.v[SlotWhyCli], p.v[SlotCliText])
	}
	p.do(ApplyProgram{Which: "client", Text: strings.Replace(p.v[SlotCliText], "await conn", "spawn conn", 1)}, RunToEnd{})
	if p.m.Banner.Text != "" || strings.Contains(p.text(SlotStall), "Deadlock") || !p.m.Modified {
		t.Errorf("after spawn conn: banner %q, stall %q", p.m.Banner.Text, p.text(SlotStall))
	}
	// a bad program is an error at its line and column, beside the editor
	p.do(ApplyProgram{Which: "client", Text: "handshake\nfrobnicate"})
	if p.m.Banner.Error || !strings.HasPrefix(p.v[SlotCliErr], "line 2:1: unknown operation") || p.v[SlotCliErrLine] != "2" || p.v[SlotCliText] != "handshake\nfrobnicate" {
		t.Errorf("a bad program: banner %q, error %q at %q, editor %q", p.m.Banner.Text, p.v[SlotCliErr], p.v[SlotCliErrLine], p.v[SlotCliText])
	}
	p.do(LoadScenario{Name: "websocket-echo"}, RunToEnd{})
	if !strings.Contains(p.text(SlotUpgrade), "leftover") || !strings.Contains(p.text(SlotUpgrade), "ping") {
		t.Errorf("upgrade panel: %s", p.text(SlotUpgrade))
	}
}

// TestDiagramFromTables: the state diagram has exactly the engine's
// states and transitions.
func TestDiagramFromTables(t *testing.T) {
	ms := Machines()
	tb := h1.Transitions()
	if len(ms) != 3 || len(ms[0].States) != len(tb[0].States) || len(ms[1].States) != len(tb[1].States) || len(ms[2].States) != len(tb[2].States) || len(ms[0].Edges) != len(tb[0].Edges) {
		t.Fatalf("machines %+v", ms)
	}
	svg := ms[0].SVG("Body(Length(5))", "Init", "Body")
	for _, st := range ms[0].States {
		if !strings.Contains(svg, `data-state="`+st+`"`) {
			t.Errorf("state %s missing", st)
		}
	}
	for _, e := range tb[0].Edges {
		from, to := tb[0].States[e[0]], tb[0].States[e[1]]
		if !strings.Contains(svg, `data-edge="`+from+"→"+to+`"`) {
			t.Errorf("edge %s→%s missing", from, to)
		}
	}
	if !strings.Contains(svg, `<g class="n cur" data-state="Body">`) || strings.Count(svg, `class="e last"`) != 1 || !strings.Contains(svg, `class="e last" data-edge="Init→Body"`) {
		t.Errorf("current state or last edge not marked:\n%s", svg)
	}
}

// TestSlotsMatchThePage: every slot has a name and kind, and the page
// (site/static/index.html) has an element for each.
func TestSlotsMatchThePage(t *testing.T) {
	html, err := os.ReadFile("../../site/static/index.html")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for s := Slot(0); s < slotCount; s++ {
		n, k := s.Name(), s.Kind()
		if n == "" || k == "" || seen[n] {
			t.Errorf("slot %d: name %q kind %q (duplicate %v)", s, n, k, seen[n])
			continue
		}
		seen[n] = true
		if strings.HasPrefix(n, "#app") {
			continue
		}
		if !regexp.MustCompile(`data-s="([^"]* )?` + regexp.QuoteMeta(n) + `( [^"]*)?"`).Match(html) {
			t.Errorf("index.html has no data-s=%q", n)
		}
	}
	// the stable test hooks (DESIGN.md, UI)
	for _, hook := range []string{`data-role="raw-input"`, `data-action="send"`, `data-action="step"`, `data-action="step-call"`, `data-action="step-back"`, `data-action="run"`, `data-action="reset"`,
		`data-field="reading"`, `data-field="writing"`, `data-field="keep-alive"`, `data-field="step"`,
		`data-panel="conn"`, `data-panel="dispatcher"`, `data-panel="dispatch-queue"`, `data-panel="upgrade"`, `data-panel="wire-in"`, `data-panel="wire-out"`, `data-panel="events"`} {
		if !bytes.Contains(html, []byte(hook)) {
			t.Errorf("index.html lacks the hook %s", hook)
		}
	}
}

func TestRendererBatches(t *testing.T) {
	var r Renderer
	r.Set(SlotPos, "a")
	r.Set(SlotStep, "1")
	r.Set(SlotPos, "a")
	b, n := r.Flush()
	if want := itoa(len(itoa(int(SlotPos)))) + ":" + itoa(int(SlotPos)) + "1:a" + itoa(len(itoa(int(SlotStep)))) + ":" + itoa(int(SlotStep)) + "1:1"; n != 2 || b != want {
		t.Errorf("batch %q (%d)", b, n)
	}
	r.Set(SlotPos, "a")
	if _, n := r.Flush(); n != 0 {
		t.Errorf("an unchanged slot was sent again")
	}
	r.Forget(SlotPos)
	r.Set(SlotPos, "a")
	if _, n := r.Flush(); n != 1 {
		t.Errorf("a forgotten slot was not sent")
	}
	if f, err := DecodeFrames(BindSpec()); err != nil || len(f) != 2*int(slotCount) || f[0] != slotDefs[0].name || f[1] != slotDefs[0].kind {
		t.Errorf("bind spec: %d frames (%v), want %d name/kind pairs", len(f), err, slotCount)
	}
	// a value's length counts UTF-16 units, after invalid UTF-8 became U+FFFD
	r.Set(SlotPos, "é\U0001F600\xff\xfex")
	if b, _ := r.Flush(); b != itoa(len(itoa(int(SlotPos))))+":"+itoa(int(SlotPos))+"5:é\U0001F600\uFFFDx" {
		t.Errorf("batch %q", b)
	}
}

func TestEveryScenarioRenders(t *testing.T) {
	for _, sc := range scenarios.Library() {
		p := newPage(t)
		p.do(LoadScenario{Name: sc.Name})
		if p.m.Scenario != sc.Name || p.m.Banner.Text != "" {
			t.Errorf("%s: scenario %q, banner %q", sc.Name, p.m.Scenario, p.m.Banner.Text)
			continue
		}
		for i := range sc.Steps {
			p.do(JumpMark{Index: i})
			if p.m.bpErr {
				t.Errorf("%s: mark %d: %s", sc.Name, i+1, p.m.bpMsg)
			}
		}
		p.do(RunToEnd{}, Step{Default: true, Back: true}, Open{Overlay: "share"}, Open{Overlay: "embed"})
		if p.v[SlotShareURL] == "" || p.v[SlotEmbedSnippet] == "" {
			t.Errorf("%s: no share link or embed snippet", sc.Name)
		}
	}
}

// TestTimeReadsAsTime (issue 16, item 4): timers show their deadline in
// the session's time (never epoch milliseconds) and how far off it is;
// advancing the clock with no timer armed moves the clock field and says
// so; the input that did it is applied, not pending.
func TestTimeReadsAsTime(t *testing.T) {
	p := newPage(t)
	p.do(LoadScenario{Name: "slowloris-header-timeout"}, RunToEnd{})
	var timers []string
	for i := 0; i < p.m.TL.Len(); i++ {
		if e := p.m.TL.Event(i); e.Kind == trace.KindTimer {
			p.do(JumpTo{Event: i})
			timers = append(timers, p.text(SlotNow))
		}
	}
	if len(timers) < 2 || !strings.Contains(timers[0], "deadline t=1\u00a0000 ms (in 1\u00a0000 ms)") {
		t.Fatalf("timer texts %q", timers)
	}
	for _, s := range timers {
		if strings.Contains(s, strconv.FormatInt(session.EpochMillis/1e6, 10)) {
			t.Errorf("a timer shows epoch milliseconds: %q", s)
		}
	}

	p.do(LoadScenario{Name: DefaultScenario}, RunToEnd{})
	n := p.m.TL.Len()
	p.do(AdvanceClk{}, AdvanceClk{})
	if p.m.TL.Len() != n {
		t.Fatalf("advancing the clock recorded %d events", p.m.TL.Len()-n)
	}
	if got := p.text(SlotClock); !strings.HasPrefix(got, "200 ms") || !strings.Contains(got, "+200 ms after the end") || !strings.Contains(p.v[SlotClock], "chg") {
		t.Errorf("clock field %q (%q), want 200 ms, marked as changed", got, p.v[SlotClock])
	}
	if !strings.Contains(p.m.Banner.Text, "No timer armed") || p.m.Banner.Error {
		t.Errorf("banner %q", p.m.Banner.Text)
	}
	if strings.Contains(p.v[SlotInputs], "fut") {
		t.Errorf("applied inputs look pending: %q", p.v[SlotInputs])
	}
	p.do(Step{Default: true, Back: true})
	if got := p.text(SlotClock); !strings.HasPrefix(got, "0 ms") {
		t.Errorf("one event back the clock is %q", got)
	}

	// a timer armed but not due: the banner names it
	p.do(Reset{}, SetOption{Key: "timeout", Value: "1000"}, SetDraft{Text: "GET / HTTP/1.1\n"}, Send{})
	n = p.m.TL.Len()
	p.do(AdvanceClk{})
	if p.m.TL.Len() != n || !strings.Contains(p.m.Banner.Text, "fires at t=1\u00a0000 ms, in 900 ms") {
		t.Errorf("a timer not due yet: %d new events, banner %q", p.m.TL.Len()-n, p.m.Banner.Text)
	}
}

// TestControlsFitTheMode (issue 16, item 7): a control that cannot act in
// the session's mode is disabled with the reason as its title (the slot's
// value), and a note says whose it is: the client program's or hyper's.
func TestControlsFitTheMode(t *testing.T) {
	byMode := map[session.Mode]string{}
	for _, sc := range scenarios.Library() {
		f, err := sc.File()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := byMode[f.RunMode()]; !ok {
			byMode[f.RunMode()] = sc.Name
		}
	}
	p := newPage(t)
	for _, mode := range []session.Mode{session.ModeServer, session.ModeClient, session.ModeBoth} {
		if byMode[mode] == "" {
			t.Fatalf("no scenario in mode %v", mode)
		}
		p.do(LoadScenario{Name: byMode[mode]})
		wire, handler := p.v[SlotWhyWire], p.v[SlotWhyHandler]
		if (wire != "") != (mode == session.ModeBoth) || (mode == session.ModeBoth && !strings.Contains(wire, "Mode both")) {
			t.Errorf("mode %v: sending and shutting down say %q", mode, wire)
		}
		if (handler != "") != (mode == session.ModeClient) {
			t.Errorf("mode %v: the service select says %q", mode, handler)
		}
		var program, hyper int
		for i := 0; i < p.m.TL.Len(); i++ {
			e := p.m.TL.Event(i)
			if e.Kind != trace.KindNote {
				continue
			}
			switch txt := eventText(e, 0); {
			case e.Ref == "client program" && strings.HasPrefix(txt, "program: ") && strings.Contains(explainEvent(e), "program's note"):
				program++
			case e.Ref != "client program" && strings.HasPrefix(txt, "hyper: ") && strings.Contains(explainEvent(e), "hyper's"):
				hyper++
			default:
				t.Errorf("mode %v: note %q (ref %q) says %q", mode, e.Detail, e.Ref, txt)
			}
		}
		if mode != session.ModeServer && program == 0 {
			t.Errorf("mode %v (%s): no program note", mode, byMode[mode])
		}
	}
}

// TestLibrarySearch (issue 16, item 3): the library is listed under its
// group headings and filtered as the person types, over titles,
// explanations, symptoms and names; Enter loads the first one listed.
func TestLibrarySearch(t *testing.T) {
	p := newPage(t)
	p.do(Open{Overlay: "library"})
	lib := p.v[SlotLibrary]
	at := -1
	for _, g := range scenarios.Groups {
		i := strings.Index(lib, "<h3>"+g+"</h3>")
		if i <= at {
			t.Errorf("group %q not listed after the one before it", g)
		}
		at = i
	}
	if all := itoa(len(scenarios.Library())); strings.Count(lib, `data-sc="`) != len(scenarios.Library()) || p.v[SlotLibCount] != all+" of "+all+" scenarios" {
		t.Errorf("the whole library is not listed: %d cards, count %q", strings.Count(lib, `data-sc="`), p.v[SlotLibCount])
	}
	for q, want := range map[string][]string{
		"ENOTCONN":     {"seed003-enotconn", "bug-reset-on-keep-alive", "client-fault-reset"},
		"hang":         {"seed001-deadlock", "seed002-deadlock", "bug-big-upload-held"},
		"deadlock":     {"seed001-deadlock", "seed002-deadlock"},
		"100-continue": {"expect-continue-echo", "expect-continue-ignored"},
		"smuggling":    {"smuggling-cl-te", "conflicting-content-length"},
		"Slowloris":    {"slowloris-header-timeout"},
	} {
		p.do(SearchLibrary{Q: q})
		lib := p.v[SlotLibrary]
		for _, name := range want {
			if !strings.Contains(lib, `data-sc="`+name+`"`) {
				t.Errorf("searching %q does not find %s", q, name)
			}
		}
		if n := strings.Count(lib, `data-sc="`); n == len(scenarios.Library()) || p.v[SlotLibCount] != itoa(n)+" of "+itoa(len(scenarios.Library()))+" scenarios" {
			t.Errorf("searching %q lists %d (%q): it does not filter", q, n, p.v[SlotLibCount])
		}
	}
	p.do(SearchLibrary{Q: `<b>"nothing"`})
	if lib := p.v[SlotLibrary]; strings.Contains(lib, "data-sc=") || !strings.Contains(lib, "&lt;b&gt;&#34;nothing&#34;") {
		t.Errorf("no match: %q", lib)
	}
	p.do(SearchLibrary{Q: "awaits its connection", Go: true})
	if p.m.Scenario != "seed001-deadlock" || p.m.Overlay != "" {
		t.Errorf("Enter loaded %q (overlay %q), want seed001-deadlock", p.m.Scenario, p.m.Overlay)
	}
	if !strings.Contains(p.v[SlotScMeta], `href="docs/seed-001.html#reproduction"`) {
		t.Errorf("the scenario does not link its docs page: %q", p.v[SlotScMeta])
	}
}

// TestEmbedPanels: /embed's panels= is a comma list of PanelNames; the
// root's data-panels carries it (connlab.css shows only those panels). A
// value it cannot hold is a banner naming the field, quoted as text, and
// the default panels show.
func TestEmbedPanels(t *testing.T) {
	p := newPage(t)
	p.do(Init{BaseURL: "https://connlab.test/embed", Query: "embed=1&scenario=seed001-deadlock&step=3&panels=waits,conn"})
	if p.m.Panels != "waits conn" || p.v[SlotPanels] != "waits conn" || p.m.Banner.Text != "" || p.cursor() != 3 {
		t.Errorf("panels=waits,conn: %q (slot %q), banner %q, cursor %d", p.m.Panels, p.v[SlotPanels], p.m.Banner.Text, p.cursor())
	}
	for _, name := range strings.Fields(PanelNames) {
		if got, ok := ParsePanels(name); !ok || got != name {
			t.Errorf("ParsePanels(%q) = %q, %v", name, got, ok)
		}
	}
	for _, bad := range []string{"", "waits,", ",conn", "waits,,conn", "stall", "conn waits", "Conn", "wire-in", "<b>x</b>", "conn,\x00"} {
		q := newPage(t)
		q.do(Init{BaseURL: "https://connlab.test/embed", Query: "scenario=keep-alive&step=2&panels=" + queryEscape(bad)})
		want := "link: panels " + quoteValue(bad) + " is not a comma list of conn, dispatcher"
		if q.m.Panels != "" || q.v[SlotPanels] != "" || !strings.Contains(q.v[SlotBanner], want) || q.v[SlotReady] != "true" || q.cursor() != 2 {
			t.Errorf("panels=%q: panels %q (slot %q), banner %q, ready %q, cursor %d", bad, q.m.Panels, q.v[SlotPanels], q.v[SlotBanner], q.v[SlotReady], q.cursor())
		}
	}
	// a later address without panels= shows the default panels again
	p.do(Init{BaseURL: "https://connlab.test/embed", Query: "scenario=keep-alive"})
	if p.m.Panels != "" || p.v[SlotPanels] != "" {
		t.Errorf("panels kept: %q", p.v[SlotPanels])
	}
}
