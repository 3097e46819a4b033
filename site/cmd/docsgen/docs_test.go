package main

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/timeline"
)

// srcDir is site/docs, seen from this package's directory.
const srcDir = "../../docs"

// appSource is the app's page as written (site/static/index.html): the
// built one (make site) names hashed assets, but has the same structure,
// which is all the pre-rendered sandboxes take from it.
const appSource = "../../static/index.html"

var (
	siteOnce sync.Once
	siteVal  *Site
	siteErr  error
)

// builtSite builds the real docs once per test binary.
func builtSite(t *testing.T) *Site {
	t.Helper()
	siteOnce.Do(func() { siteVal, siteErr = Build(srcDir) })
	if siteErr != nil {
		t.Fatalf("the docs do not build: %v", siteErr)
	}
	return siteVal
}

// TestBuild: every page of the table of contents renders, and the pages
// the issue asks for are all there, in reading order.
func TestBuild(t *testing.T) {
	s := builtSite(t)
	var files []string
	for _, p := range s.TOC.Pages {
		files = append(files, p.File)
		if len(s.HTML[p.File]) == 0 {
			t.Errorf("%s rendered empty", p.File)
		}
	}
	want := []string{
		"index.html",
		// one page per topic of chapter 12
		"state.html", "poll-loop.html", "reading.html", "backpressure.html", "writing.html",
		"errors.html", "idle.html", "header-timeout.html", "bugs.html",
		// one page per seed problem
		"seed-000.html", "seed-001.html", "seed-002.html", "seed-003.html",
		// the embedding guide
		"embed.html",
	}
	if strings.Join(files, " ") != strings.Join(want, " ") {
		t.Errorf("pages\n got %v\nwant %v", files, want)
	}
	for _, f := range want[1:14] {
		if len(s.Embeds[f]) == 0 {
			t.Errorf("%s has no live sandbox", f)
		}
	}
	for i, p := range s.TOC.Pages[10:14] {
		if want := "00" + strconv.Itoa(i); p.Seed != want {
			t.Errorf("%s: seed %q, want %q", p.File, p.Seed, want)
		}
	}
}

// TestClaimsHold re-checks every figure against a fresh run of its
// scenario, independently of the generator's own check: the step is the
// first hit of the breakpoint (after the earlier hits it skips), and each
// claimed field has the claimed value there.
func TestClaimsHold(t *testing.T) {
	s := builtSite(t)
	n := 0
	for _, p := range s.TOC.Pages {
		for _, e := range append(append([]*Embed(nil), s.Embeds[p.File]...), s.Checks[p.File]...) {
			n++
			f, err := e.Scenario.File()
			if err != nil {
				t.Fatal(err)
			}
			tl, err := timeline.New(f)
			if err != nil {
				t.Fatal(err)
			}
			if e.Event < 0 || e.Event >= tl.Len() {
				t.Errorf("%s: %s at event %d of %d", p.File, e.Scenario.Name, e.Event, tl.Len())
				continue
			}
			if e.Expr != "end" && !strings.HasPrefix(e.Expr, "mark ") {
				at := -1
				for i := 0; i < e.Nth; i++ {
					at, err = tl.Find(e.Expr, at)
					if err != nil {
						t.Fatal(err)
					}
				}
				if at != e.Event {
					t.Errorf("%s: %s %q: hit %d is event %d, the page shows %d", p.File, e.Scenario.Name, e.Expr, e.Nth, at, e.Event)
				}
			}
			v := tl.ViewAt(e.Event)
			for _, c := range e.Claims {
				got, ok := readField(&v, c.Field)
				if !ok || !claimHolds(c.Field, c.Want, got) {
					t.Errorf("%s: %s event %d: %s is %q, the page claims %q", p.File, e.Scenario.Name, e.Event, c.Field, got, c.Want)
				}
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d checked figures; the docs should have a sandbox for every idea", n)
	}
}

// TestFiguresMatchTheirDeclarations: each <figure> in the HTML is one
// resolved embed, with its iframe at the resolved step, the expectations
// the browser test reads, and a "step from here" link to the same step.
func TestFiguresMatchTheirDeclarations(t *testing.T) {
	s := builtSite(t)
	figRe := regexp.MustCompile(`(?s)<figure class="sandbox" id="sandbox-(\d+)" data-scenario="([^"]+)" data-event="(\d+)"([^>]*)>.*?<div class="sandbox-inline" [^>]*data-sandbox="([^"]+)".*?<a class="step-here" href="([^"]+)"`)
	expRe := regexp.MustCompile(`data-expect-([a-z-]+)="([^"]*)"`)
	for _, p := range s.TOC.Pages {
		figs := figRe.FindAllSubmatch(s.HTML[p.File], -1)
		es := s.Embeds[p.File]
		if len(figs) != len(es) {
			t.Errorf("%s: %d figures for %d embeds", p.File, len(figs), len(es))
			continue
		}
		for i, m := range figs {
			e := es[i]
			if string(m[1]) != strconv.Itoa(i+1) || string(m[2]) != e.Scenario.Name || string(m[3]) != strconv.Itoa(e.Event) {
				t.Errorf("%s: figure %d is %s@%s, want %s@%d", p.File, i+1, m[2], m[3], e.Scenario.Name, e.Event)
			}
			iframe := unescape(string(m[5]))
			if iframe != e.SandboxURL() || !strings.HasPrefix(iframe, "../embed/docs/"+strings.TrimSuffix(e.SandboxName(), ".html")+"?embed=1&") {
				t.Errorf("%s: figure %d iframe %q, want %q", p.File, i+1, iframe, e.SandboxURL())
			}
			u, _ := url.Parse(iframe)
			if u.Query().Get("scenario") != e.Scenario.Name || u.Query().Get("step") != strconv.Itoa(e.Event) {
				t.Errorf("%s: figure %d iframe query %q", p.File, i+1, u.RawQuery)
			}
			if here := unescape(string(m[6])); here != e.AppURL() {
				t.Errorf("%s: figure %d step-from-here %q, want %q", p.File, i+1, here, e.AppURL())
			}
			got := map[string]string{}
			for _, x := range expRe.FindAllSubmatch(m[4], -1) {
				got[string(x[1])] = unescape(string(x[2]))
			}
			for _, x := range e.Expects() {
				if got[x.Hook] != x.Value {
					t.Errorf("%s: figure %d data-expect-%s=%q, want %q", p.File, i+1, x.Hook, got[x.Hook], x.Value)
				}
			}
			for _, h := range []string{"step", "reading", "writing", "keep-alive"} {
				if _, ok := got[h]; !ok {
					t.Errorf("%s: figure %d has no data-expect-%s", p.File, i+1, h)
				}
			}
		}
	}
}

func unescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#34;", `"`, "&quot;", `"`, "&lt;", "<", "&gt;", ">", "&#39;", "'").Replace(s)
}

// TestScenariosExist: every scenario a page names (in a sandbox, a link
// or a "step from here") is in the engine's library.
func TestScenariosExist(t *testing.T) {
	s := builtSite(t)
	re := regexp.MustCompile(`[?&](?:amp;)?scenario=([A-Za-z0-9._%-]+)`)
	for _, p := range s.TOC.Pages {
		for _, m := range re.FindAllSubmatch(s.HTML[p.File], -1) {
			name, _ := url.QueryUnescape(string(m[1]))
			if _, ok := scenarios.Lookup(name); !ok {
				t.Errorf("%s names scenario %q, which the library does not have", p.File, name)
			}
		}
	}
}

// TestLinks writes the docs into a temporary folder and checks every link.
func TestLinks(t *testing.T) {
	s := builtSite(t)
	root := t.TempDir()
	app := appBeside(t, root)
	out := filepath.Join(root, "docs")
	if err := s.Write(srcDir, out); err != nil {
		t.Fatal(err)
	}
	sandboxes := filepath.Join(root, "embed", "docs")
	if err := s.WriteSandboxes(app, sandboxes); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteInline(app, out); err != nil {
		t.Fatal(err)
	}
	if err := CheckLinks(out, sandboxes); err != nil {
		t.Fatal(err)
	}
	for _, f := range staticFiles {
		switch f {
		case sandboxScript:
			f = s.SandboxJS
		case inlineScript:
			f = s.InlineJS
		}
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}

// TestCheckLinksFindsBrokenOnes: the checker is not vacuous.
func TestCheckLinksFindsBrokenOnes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "docs")
	os.MkdirAll(dir, 0o755)
	page := `<a href="missing.html">x</a> <a href="#nowhere">y</a> <a href="../settings">z</a>
<a href="https://example.com/">e</a> <a href="/docs/a.html">abs</a> <a id="here" href="a.html#here">ok</a>
<iframe src="../embed/docs/a-1"></iframe> <iframe src="../embed/docs/a-2"></iframe>
<pre><code>&lt;iframe src="https://example.com/"&gt;</code></pre>`
	os.WriteFile(filepath.Join(dir, "a.html"), []byte(page), 0o644)
	sandboxes := filepath.Join(t.TempDir(), "embed", "docs")
	os.MkdirAll(sandboxes, 0o755)
	os.WriteFile(filepath.Join(sandboxes, "a-1.html"), []byte("<!doctype html>"), 0o644)
	err := CheckLinks(dir, sandboxes)
	if err == nil {
		t.Fatal("no broken link found")
	}
	for _, want := range []string{`"missing.html"`, `"#nowhere"`, `"../settings"`, `"https://example.com/"`, `"/docs/a.html"`, `"../embed/docs/a-2"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("not reported: %s\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "a.html#here") || strings.Contains(err.Error(), "a-1") || strings.Count(err.Error(), "example.com") != 1 {
		t.Errorf("false positives:\n%v", err)
	}
}

// TestPrevNext: the pager follows the table of contents.
func TestPrevNext(t *testing.T) {
	s := builtSite(t)
	pages := s.TOC.Pages
	for i, p := range pages {
		h := string(s.HTML[p.File])
		if i > 0 && !strings.Contains(h, `rel="prev" href="`+pages[i-1].File+`"`) {
			t.Errorf("%s: no previous link to %s", p.File, pages[i-1].File)
		}
		if i+1 < len(pages) && !strings.Contains(h, `rel="next" href="`+pages[i+1].File+`"`) {
			t.Errorf("%s: no next link to %s", p.File, pages[i+1].File)
		}
		for _, q := range pages {
			if !strings.Contains(h, `href="`+q.File+`"`) {
				t.Errorf("%s: the table of contents lacks %s", p.File, q.File)
			}
		}
	}
}

// TestReadableWithoutJavaScript: the pages' templates carry no script or
// style attribute (the site's CSP forbids inline ones anyway; inline.js
// comes in by WriteInline, from a file), and each figure states in text
// what its sandbox shows.
func TestReadableWithoutJavaScript(t *testing.T) {
	s := builtSite(t)
	for _, p := range s.TOC.Pages {
		h := preBlock.ReplaceAll(s.HTML[p.File], nil) // code shown as text
		for _, bad := range []string{"<script", " style=", " onclick=", " onload="} {
			if bytes.Contains(h, []byte(bad)) {
				t.Errorf("%s contains %q", p.File, bad)
			}
		}
		if n, m := bytes.Count(h, []byte(`<p class="fig-state">`)), len(s.Embeds[p.File]); n != m {
			t.Errorf("%s: %d state captions for %d sandboxes", p.File, n, m)
		}
	}
	css, err := os.ReadFile(filepath.Join(srcDir, "docs.css"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(css, []byte("prefers-color-scheme: dark")) {
		t.Error("docs.css has no dark scheme")
	}
}

// TestHyperNamesLink: every hyper name in the library (the captions list
// them) maps to a source file.
func TestHyperNamesLink(t *testing.T) {
	for _, sc := range scenarios.Library() {
		for _, fn := range sc.Hyper {
			if _, err := hyperLink(fn); err != nil {
				t.Errorf("scenario %s: %v", sc.Name, err)
			}
		}
	}
	if _, err := hyperLink("Nonsense::fn"); err == nil {
		t.Error("an unknown name got a link")
	}
	if f, _ := hyperFile("Dispatcher::poll_loop"); f != "src/proto/h1/dispatch.rs" {
		t.Errorf("Dispatcher::poll_loop -> %s", f)
	}
	if f, _ := hyperFile("Conn::poll_read_head"); f != "src/proto/h1/conn.rs" {
		t.Errorf("Conn::poll_read_head -> %s", f)
	}
}

// TestSectionsHavePages: every chapter section a scenario illustrates is
// covered by some page, so its caption links somewhere.
func TestSectionsHavePages(t *testing.T) {
	s := builtSite(t)
	l := &linker{toc: &s.TOC}
	for _, sc := range scenarios.Library() {
		if !strings.HasPrefix(sc.Section, "§12") {
			if !rfcSection.MatchString(sc.Section) {
				t.Errorf("scenario %s: section %q is neither in chapter 12 nor an RFC section", sc.Name, sc.Section)
			}
			continue
		}
		if _, ok := l.sectionPage(sc.Section); !ok {
			t.Errorf("scenario %s: no page covers %s", sc.Name, sc.Section)
		}
	}
	if p, _ := l.sectionPage("§12.6.1"); p.File != "reading.html" {
		t.Errorf("§12.6.1 -> %s", p.File)
	}
	if p, _ := l.sectionPage("§12.10.2.7"); p.File != "bugs.html" {
		t.Errorf("§12.10.2.7 -> %s", p.File)
	}
}

// writeSite makes a docs source folder with one page besides the index.
func writeSite(t *testing.T, page string) string {
	t.Helper()
	dir := t.TempDir()
	layout, err := os.ReadFile(filepath.Join(srcDir, layoutFile))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		layoutFile:   string(layout),
		"docs.css":   "",
		"index.html": `{{define "content"}}<p>index</p>{{end}}`,
		"p.html":     `{{define "content"}}` + page + `{{end}}`,
		"toc.json":   `{"pages":[{"file":"index.html","title":"Index"},{"file":"p.html","title":"P","part":"Part","sections":["§12.3"]}]}`,
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestBadEmbedsFailTheBuild: a page that disagrees with the engine, or
// names something that does not exist, does not build, and the message
// names the page and the sandbox.
func TestBadEmbedsFailTheBuild(t *testing.T) {
	cases := []struct {
		name, page, want string
	}{
		{"false claim", `{{embed "keep-alive" "transition keep_alive -> Idle" "reading=Init"}}`,
			`p.html: sandbox 1 {{embed "keep-alive" "transition keep_alive -> Idle" "reading=Init"}}: claim reading=Init is false at event `},
		{"second figure", `{{embed "keep-alive" "end"}}{{embed "keep-alive" "end" "requests=3"}}`,
			`p.html: sandbox 2 `},
		{"false check", `{{check "keep-alive" "end" "keep_alive=Idle"}}`, `p.html: check 1 {{check "keep-alive" "end" "keep_alive=Idle"}}: claim keep_alive=Idle is false`},
		{"unknown scenario", `{{embed "no-such-thing" "end"}}`, `no scenario "no-such-thing"`},
		{"unknown field", `{{embed "keep-alive" "end" "colour=blue"}}`, `unknown field "colour"`},
		{"never hits", `{{embed "keep-alive" "kind == yield"}}`, `never hits`},
		{"bad breakpoint", `{{embed "keep-alive" "reading =="}}`, `breakpoint: column`},
		{"nth too far", `{{embed "keep-alive" "transition keep_alive -> Idle" "nth=3"}}`, `hits only 2 times`},
		{"mark out of range", `{{embed "keep-alive" "mark 9"}}`, `has marks 1 to 3`},
		{"client field in server mode", `{{embed "keep-alive" "end" "client.reading=Init"}}`, `no client connection`},
		{"unknown panel", `{{embed "keep-alive" "end" "panels=conn,stall"}}`, `p.html: sandbox 1 {{embed "keep-alive" "end" "panels=conn,stall"}}: panels=conn,stall: want a comma list of conn, dispatcher,`},
		{"empty panels", `{{embed "keep-alive" "end" "panels="}}`, `panels=: want a comma list`},
		{"unknown page", `{{page "nope.html"}}`, `no such page`},
		{"unknown section", `{{sec "§12.99"}}`, `no page declares this section`},
		{"unknown hyper name", `{{fn "Foo::bar"}}`, `no source file known`},
		{"unknown scenario link", `{{scenario "nope"}}`, `no such scenario`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Build(writeSite(t, c.page))
			if err == nil {
				t.Fatal("built")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q\nwant it to contain %q", err, c.want)
			}
		})
	}
}

// TestGoodEmbedForms: marks, "end", nth, variant matching and client
// fields resolve as documented in embed.go.
func TestGoodEmbedForms(t *testing.T) {
	page := `{{embed "keep-alive" "mark 2" "keep_alive=Busy" "reading=Init"}}
{{embed "keep-alive" "transition keep_alive -> Idle" "nth=2" "requests=2"}}
{{embed "keep-alive" "end" "reading=Closed" "done=true"}}
{{embed "chunked-echo-trailers" "transition reading -> Body" "reading=Body" "caption=variant name"}}
{{embed "seed001-deadlock" "end" "client.wanting=true" "client.keep-alive=Busy" "height=400"}}`
	s, err := Build(writeSite(t, page))
	if err != nil {
		t.Fatal(err)
	}
	es := s.Embeds["p.html"]
	if len(es) != 5 {
		t.Fatalf("%d embeds", len(es))
	}
	sc, _ := scenarios.Lookup("keep-alive")
	f, _ := sc.File()
	tl, err := timeline.New(f)
	if err != nil {
		t.Fatal(err)
	}
	m1, _ := tl.Find(sc.Steps[0].Expr, -1)
	m2, _ := tl.Find(sc.Steps[1].Expr, m1)
	if es[0].Event != m2 || es[0].Resolved != sc.Steps[1].Expr {
		t.Errorf("mark 2: event %d (%s), want %d (%s)", es[0].Event, es[0].Resolved, m2, sc.Steps[1].Expr)
	}
	idle1, _ := tl.Find("transition keep_alive -> Idle", -1)
	idle2, _ := tl.Find("transition keep_alive -> Idle", idle1)
	if es[1].Event != idle2 || idle2 <= idle1 {
		t.Errorf("second Idle: event %d, want %d", es[1].Event, idle2)
	}
	if es[2].Event != es[2].Events-1 {
		t.Errorf("end: event %d of %d", es[2].Event, es[2].Events)
	}
	if es[4].Height != 400 || !bytes.Contains(s.HTML["p.html"], []byte(`data-height="400"`)) {
		t.Error("height option ignored")
	}
	if !bytes.Contains(s.HTML["p.html"], []byte("variant name")) {
		t.Error("caption option ignored")
	}
}

// TestRun: the command builds the real docs into a folder named docs, and
// refuses to replace a folder with another name.
func TestRun(t *testing.T) {
	var out, errb bytes.Buffer
	root := t.TempDir()
	dir := filepath.Join(root, "docs")
	if code := run([]string{"-src", srcDir, "-out", dir, "-app", appBeside(t, root)}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "15 pages") {
		t.Errorf("output %q", out.String())
	}
	errb.Reset()
	if code := run([]string{"-src", srcDir, "-out", t.TempDir()}, &out, &errb); code == 0 || !strings.Contains(errb.String(), "must be named docs") {
		t.Errorf("replaced a folder not named docs: %d %s", code, errb.String())
	}
	out.Reset()
	if code := run([]string{"-dump", "pipelining-2", "-from", "40", "-to", "40"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "transition notify_read false -> true") {
		t.Errorf("dump: %d %q", code, out.String())
	}
}

// TestScenarioDocsPages (issue 16, item 3): every scenario names its docs
// page and anchor (the app links there), and that part of the page links
// back to the app with ?scenario=NAME.
func TestScenarioDocsPages(t *testing.T) {
	s := builtSite(t)
	for _, sc := range scenarios.Library() {
		page, anchor, _ := strings.Cut(sc.Docs, "#")
		body, ok := s.HTML[page]
		if !ok {
			t.Errorf("%s: docs page %q is not in the table of contents", sc.Name, page)
			continue
		}
		at := bytes.Index(body, []byte(` id="`+anchor+`"`))
		if anchor == "" || at < 0 {
			t.Errorf("%s: %s has no id %q", sc.Name, page, anchor)
			continue
		}
		part := body[at:]
		if end := bytes.Index(part[1:], []byte("<h2 ")); end >= 0 {
			part = part[:end+1]
		}
		if !regexp.MustCompile(`href="` + regexp.QuoteMeta(AppPath) + `\?scenario=` + regexp.QuoteMeta(sc.Name) + `["&]`).Match(part) {
			t.Errorf("%s: %s#%s does not link back to ?scenario=%s", sc.Name, page, anchor, sc.Name)
		}
	}
}

// TestEmbedPanels: panels= reaches the iframe's address, sizes the iframe
// to the panels (taller in mode both, where Conn holds two connections;
// height= still wins), and travels to the browser test as data-panels.
func TestEmbedPanels(t *testing.T) {
	page := `{{embed "keep-alive" "end"}}
{{embed "keep-alive" "end" "panels=conn"}}
{{embed "keep-alive" "end" "panels=conn,wire,events"}}
{{embed "seed001-deadlock" "end" "panels=waits,conn"}}
{{embed "keep-alive" "end" "panels=waits" "height=300"}}
{{embed "keep-alive" "end" "height=300" "panels=waits"}}`
	s, err := Build(writeSite(t, page))
	if err != nil {
		t.Fatal(err)
	}
	es := s.Embeds["p.html"]
	html := string(s.HTML["p.html"])
	if es[0].Panels != nil || es[0].Height != DefaultHeight || strings.Contains(es[0].EmbedURL(), "panels") {
		t.Errorf("no panels=: panels %v, height %d, %s", es[0].Panels, es[0].Height, es[0].EmbedURL())
	}
	if !strings.HasSuffix(es[2].EmbedURL(), "&panels=conn,wire,events") || !strings.Contains(html, `data-panels="conn wire events"`) {
		t.Errorf("panels not in the address or the figure: %s", es[2].EmbedURL())
	}
	if !(es[1].Height < es[2].Height && es[1].Height < DefaultHeight) {
		t.Errorf("heights do not follow the panels: conn %d, conn+wire+events %d", es[1].Height, es[2].Height)
	}
	if es[3].Height <= panelsHeight([]string{"waits", "conn"}, false) {
		t.Errorf("mode both: height %d, not taller than one connection's", es[3].Height)
	}
	if es[4].Height != 300 || es[5].Height != 300 {
		t.Errorf("height= with panels=: %d, %d", es[4].Height, es[5].Height)
	}
}

// TestSandboxNumbers: on every real page each figure's number is its
// place on the page, and the caption ("Sandbox N"), the anchor and the
// frame's title agree on it and on the event the address shows.
func TestSandboxNumbers(t *testing.T) {
	s, err := Build(srcDir)
	if err != nil {
		t.Fatal(err)
	}
	fig := regexp.MustCompile(`<figure class="sandbox" id="sandbox-(\d+)" data-scenario="[^"]*" data-event="(\d+)"[^>]*>\n<div class="sandbox-inline" role="region" aria-label="[^"]*" data-sandbox="[^"]*&amp;step=(\d+)[^"]*" data-title="Sandbox (\d+): [^"]*, event (\d+)"[\s\S]*?<a class="fig-num" href="#sandbox-(\d+)">Sandbox (\d+)</a>[\s\S]*?event (\d+) of`)
	for file, es := range s.Embeds {
		ms := fig.FindAllStringSubmatch(string(s.HTML[file]), -1)
		if len(ms) != len(es) {
			t.Errorf("%s: %d figures read, %d declared", file, len(ms), len(es))
			continue
		}
		for i, m := range ms {
			n, ev := strconv.Itoa(i+1), strconv.Itoa(es[i].Event)
			if m[1] != n || m[4] != n || m[6] != n || m[7] != n || m[2] != ev || m[3] != ev || m[5] != ev || m[8] != ev {
				t.Errorf("%s figure %d: id %s, title %s, anchor %s, caption %s; events %s %s %s %s (want %s)", file, i+1, m[1], m[4], m[6], m[7], m[2], m[3], m[5], m[8], ev)
			}
		}
	}
}
