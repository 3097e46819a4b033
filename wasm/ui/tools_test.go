package ui

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
	"github.com/connlab/connlab/engine/trace"
)

// The event log's filter lists exactly the events that match all three
// parts, the cursor's row is marked only when it is listed, and ↓ / ↑
// (LogStep) move between listed events.
func TestLogFilter(t *testing.T) {
	p := newPage(t)
	tl := p.m.TL
	n := tl.Len()
	p.do(FilterLog{Filter: LogFilter{Kind: "transition", Func: "POLL_READ_HEAD", Text: "reading"}})
	var want []int
	for i := 0; i < n; i++ {
		e := tl.Event(i)
		path := strings.ToLower(tl.SpanString(e.Span) + " " + e.Name + " " + e.Ref)
		if e.Kind == trace.KindTransition && strings.Contains(path, "poll_read_head") && strings.Contains(eventText(e, 0), "reading") {
			want = append(want, i)
		}
	}
	if len(want) < 2 || len(want) == n {
		t.Fatalf("the filter should keep some events, not all: %d of %d", len(want), n)
	}
	if got := p.text(SlotLogCount); got != itoa(len(want))+" of "+itoa(n)+" events" {
		t.Errorf("count %q", got)
	}
	rows := regexp.MustCompile(`data-seq="(\d+)"`).FindAllStringSubmatch(p.v[SlotLogRows], -1)
	if len(rows) != len(want) {
		t.Fatalf("%d rows listed, want %d", len(rows), len(want))
	}
	for i, r := range rows {
		if r[1] != itoa(want[i]) {
			t.Errorf("row %d is event %s, want %d", i, r[1], want[i])
		}
	}
	// the cursor (event 0) is not listed: no row is current
	if got := p.v[SlotLogCur]; got != "0-" {
		t.Errorf("cursor mark %q, want 0- (none current, all to come)", got)
	}
	p.do(LogStep{})
	if p.cursor() != want[0] || p.v[SlotLogCur] != "0" {
		t.Errorf("↓: cursor %d mark %q, want %d and row 0", p.cursor(), p.v[SlotLogCur], want[0])
	}
	p.do(LogStep{})
	if p.cursor() != want[1] || p.v[SlotLogCur] != "1" {
		t.Errorf("↓↓: cursor %d mark %q, want %d and row 1", p.cursor(), p.v[SlotLogCur], want[1])
	}
	p.do(LogStep{Back: true})
	if p.cursor() != want[0] {
		t.Errorf("↑: cursor %d, want %d", p.cursor(), want[0])
	}
	// stepping by the unit still visits every event; the log then marks
	// the listed rows after it as still to come
	p.do(Step{Unit: timeline.UnitEvent})
	if p.cursor() != want[0]+1 || want[1] != want[0]+1 && p.v[SlotLogCur] != "1-" {
		t.Errorf("→ with a filter: cursor %d mark %q, want %d and 1-", p.cursor(), p.v[SlotLogCur], want[0]+1)
	}
	p.do(LogStep{Back: true})
	if p.cursor() != want[0] {
		t.Errorf("↑ from an unlisted event: cursor %d, want %d", p.cursor(), want[0])
	}
	// a filter that matches nothing lists nothing; clearing it lists all
	p.do(FilterLog{Filter: LogFilter{Text: "<no such text>"}})
	if p.text(SlotLogCount) != "0 of "+itoa(n)+" events" || strings.Contains(p.v[SlotLogRows], "data-seq") {
		t.Errorf("no match: count %q rows %.80q", p.text(SlotLogCount), p.v[SlotLogRows])
	}
	p.do(FilterLog{})
	if p.text(SlotLogCount) != itoa(n)+" events" {
		t.Errorf("cleared: count %q", p.text(SlotLogCount))
	}
}

// Export writes what `connlab export --go` writes for the same session
// and name, in a _test.go file named after the scenario.
func TestExportGo(t *testing.T) {
	p := newPage(t)
	file, src, err := p.m.ExportGo()
	if err != nil {
		t.Fatal(err)
	}
	if file != "replay_pipelining_2_test.go" {
		t.Errorf("file %q", file)
	}
	want, err := timeline.ExportGoTest(p.m.TL.File(), DefaultScenario)
	if err != nil {
		t.Fatal(err)
	}
	if string(src) != string(want) || !strings.Contains(string(src), "func TestReplayPipelining2(") {
		t.Errorf("exported source differs from timeline.ExportGoTest's:\n%.300s", src)
	}
	p.do(Exported{File: file})
	if !strings.Contains(p.m.Banner.Text, file) || p.m.Banner.Error {
		t.Errorf("banner %+v", p.m.Banner)
	}
	p.do(Reset{})
	if file, _, _ := p.m.ExportGo(); file != "replay_session_test.go" {
		t.Errorf("own session: file %q", file)
	}
	for in, want := range map[string]string{"a--B c9": "replay_a_b_c9_test.go", "": "replay_session_test.go", "--": "replay_session_test.go", "x-": "replay_x_test.go"} {
		if got := exportFileName(in); got != want {
			t.Errorf("exportFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// helpHTML is the help dialog's markup in the page.
func helpHTML(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../site/static/index.html")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, `data-for="help"`)
	j := strings.Index(s[max(i, 0):], `<div class="overlay"`)
	if i < 0 || j < 0 {
		t.Fatal("index.html has no help dialog")
	}
	return s[i : i+j]
}

// codes lists the <code> texts of html, unescaped.
func codes(html string) map[string]bool {
	out := map[string]bool{}
	r := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`)
	for _, m := range regexp.MustCompile(`<code>([^<]*)</code>`).FindAllStringSubmatch(html, -1) {
		out[r.Replace(m[1])] = true
	}
	return out
}

// TestHelpListsEveryStepUnit: the help explains each unit ParseUnit
// accepts, and the unit menu offers each.
func TestHelpListsEveryStepUnit(t *testing.T) {
	h := helpHTML(t)
	i := strings.Index(h, `data-help="units"`)
	if i < 0 {
		t.Fatal("no units table in the help")
	}
	units := codes(h[i : i+strings.Index(h[i:], "</table>")])
	page, _ := os.ReadFile("../../site/static/index.html")
	n := 0
	for u := timeline.Unit(0); ; u++ {
		if _, err := timeline.ParseUnit(u.String()); err != nil {
			break
		}
		n++
		if !units[u.String()] {
			t.Errorf("the help does not explain step unit %q", u)
		}
		if !strings.Contains(string(page), `<option value="`+u.String()+`">`) {
			t.Errorf("the unit menu does not offer %q", u)
		}
	}
	if n != 5 {
		t.Errorf("%d step units, the issue names five", n)
	}
}

// TestHelpListsTheBreakpointLanguage: the help's reference names every
// field, operator, keyword, kind and state the breakpoint parser accepts,
// read from the parser itself (its messages list them, and every one- or
// two-character operator is tried), so a change to the language that the
// help misses fails here.
func TestHelpListsTheBreakpointLanguage(t *testing.T) {
	h := helpHTML(t)
	i := strings.Index(h, `data-help="breakpoints"`)
	if i < 0 {
		t.Fatal("no breakpoint reference in the help")
	}
	ref := codes(h[i : i+strings.Index(h[i:], "</div>")])
	f := session.Demo()
	f.Mode = "both"
	tl, err := timeline.New(session.Demo())
	if err != nil {
		t.Fatal(err)
	}
	msg := func(expr string) string {
		err := tl.CheckBreakpoint(expr)
		if err == nil {
			return ""
		}
		return err.(*timeline.BreakpointError).Msg
	}
	listAfter := func(expr, marker, end string) []string {
		m := msg(expr)
		i := strings.Index(m, marker)
		if i < 0 {
			t.Fatalf("%q: message %q has no %q: the parser changed, update this test and the help", expr, m, marker)
		}
		rest := m[i+len(marker):]
		if end != "" {
			rest = rest[:strings.Index(rest, end)]
		}
		var out []string
		for _, w := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' }) {
			if w != "or" && w != "" {
				out = append(out, w)
			}
		}
		return out
	}
	need := map[string]string{}
	for _, w := range listAfter("nosuchfield == 1", "expected one of ", " (or") {
		need[w] = "field"
	}
	for _, w := range listAfter("nosuchfield == 1", "(or ", ")") {
		need[w] = "keyword"
	}
	need["contains"], need["client.reading"], need["*"], need["wire-in"], need["wire-out"] = "keyword", "prefix", "wildcard", "field", "field"
	for _, w := range listAfter("kind == nosuchkind", "expected one of ", "") {
		need[w] = "kind"
	}
	for _, fld := range []string{"reading", "writing", "keep_alive"} {
		for _, w := range listAfter(fld+" == Nope", "expected one of ", "") {
			need[w] = fld + " state"
		}
	}
	for _, w := range listAfter("body_tx == Nope", "expected ", "") {
		need[w] = "body_tx state"
	}
	for _, w := range listAfter("reading", "expected ", " after") {
		need[w] = "comparison"
	}
	// every punctuation token the lexer takes: a lone one is either
	// accepted or rejected by the parser, never by the lexer
	const punct = "!#$%&'()+,-/:;<=>?@[\\]^`{|}~" // not * (a word: the wildcard)
	lexErr := func(m string) bool {
		return strings.HasPrefix(m, "unexpected character") || strings.Contains(m, ": use ")
	}
	for i := 0; i < len(punct); i++ {
		one := punct[i : i+1]
		if m := msg("n == 1 " + one); !lexErr(m) {
			need[one] = "operator"
		}
		for j := 0; j < len(punct); j++ {
			two := one + punct[j:j+1]
			// a two-character token is one the parser names whole, or
			// one that joins two conditions
			if m := msg("n == 1 " + two + " n == 1"); m == "" || strings.Contains(m, `"`+two+`"`) {
				need[two] = "operator"
			}
		}
	}
	for _, op := range []string{"==", "!=", "<", ">", "<=", ">=", "&&", "||", "!", "(", ")", "->"} {
		if need[op] == "" {
			t.Errorf("the probe missed the operator %q: fix the probe", op)
		}
	}
	if len(need) < 60 {
		t.Fatalf("only %d names read from the parser: the probe is broken", len(need))
	}
	words := map[string]bool{}
	for c := range ref {
		for _, w := range strings.Fields(c) {
			words[w] = true
		}
	}
	for w, what := range need {
		if !ref[w] && !words[w] {
			t.Errorf("the help's breakpoint reference does not list the %s %q", what, w)
		}
	}
	// and each example in the reference parses (client.X needs mode both)
	for ex := range ref {
		if strings.Contains(ex, " ") && !strings.HasPrefix(ex, "FIELD") {
			if m := msg(ex); m != "" {
				t.Errorf("the help's example %q does not parse: %s", ex, m)
			}
		}
	}
}
