package main

// Pre-rendered sandboxes (the frames an inline sandbox becomes on first
// use: inline.go). A docs page with five live /embed iframes loads
// and runs five copies of the engine (5 MB of wasm each) before its
// sandboxes show anything: about 1.4 s on localhost, 2.7 times the app page
// alone, and five Go heaps (issue 19, item 3). Yet the generator has
// already run every sandbox's scenario to its step. So each sandbox is
// also written as a page of its own, /embed/docs/PAGE-N: the app's page
// with its panels mounted and the engine's own first render already in
// it, and no engine. It shows its state as soon as it is parsed, and its
// controls work at once: the first thing a reader does in it loads the
// engine (sandbox.js), which takes over the same DOM at the same step and
// then does what the reader did. From then on it is the live sandbox.
//
// The pre-render is not an imitation of the engine's view: it is the
// engine's view. The same model (wasm/ui, which builds natively) renders
// the sandbox's address, /embed?embed=1&scenario=…&step=N&panels=…,
// exactly as the wasm does on load, and the page's own helper
// (connlab.apply, site/static/connlab.js) applies that batch, as it applies
// every batch the engine sends. The browser test compares each
// pre-rendered sandbox with the engine's DOM after it has taken over.
//
// Data is never markup here either: the batch travels as a JSON string in
// an attribute, escaped, and is applied by slot kind (text slots as text).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/connlab/connlab/wasm/ui"
)

// SandboxRoute is where the pre-rendered sandboxes live: under /embed/,
// which the site's header policy lets any page frame (site/api/headers.go,
// EmbedPaths), as it lets them frame /embed.
const SandboxRoute = EmbedRoute + "/docs/"

// sandboxBase is the pre-rendered page's <base>: /embed/docs/x resolves
// its links, scripts and the wasm from the site's root, as /embed does.
const sandboxBase = "../../"

// sandboxScript is the loader that applies the pre-render and brings the
// engine in on first use (site/docs/sandbox.js, written into the docs
// folder under its hashed name: Site.SandboxJS).
const sandboxScript = "sandbox.js"

// sandboxParts is the deferred parts' page (defer.go), relative to
// sandboxBase.
const sandboxParts = "embed/docs/" + PartsFile

// SandboxName is the file (and, without .html, the path under
// SandboxRoute) of a page's n-th sandbox: state.html's second is state-2.
func (e *Embed) SandboxName() string {
	return strings.TrimSuffix(e.Page, ".html") + "-" + strconv.Itoa(e.Index) + ".html"
}

// SandboxURL is the pre-rendered sandbox relative to a docs page: the
// iframe's address (the canonical path, without .html, which the site
// serves without a redirect). Its query is the live embed's, so the
// address says what the frame shows; the page itself is that one step.
func (e *Embed) SandboxURL() string {
	return ".." + SandboxRoute + strings.TrimSuffix(e.SandboxName(), ".html") + e.embedQuery()
}

// embedLogHeight is the event log's window in an embed, in pixels
// (site/static/connlab.css: .log's min-height, above the embed's 220 px;
// sandbox.js checks it against the log it sees).
const embedLogHeight = 320

// prerenderLogRows is the event-log rows the pre-render is made for: those
// the log's window holds (connlab.logRows() once the page is laid out), or
// the model's least where the embed does not show the log. sandbox.js
// hands the engine the same figure on its first call, so the engine
// starts from exactly this render, and it checks the figure against the
// log it sees (if the log is taller, it loads the engine at once). Rows
// are a third of a sandbox's visible elements: as few as serve.
func prerenderLogRows(e *Embed) int {
	if len(e.Panels) > 0 && !slices.Contains(e.Panels, "events") {
		return 8 // ui.SetLogRows's least
	}
	return (embedLogHeight+ui.LogRowHeight-1)/ui.LogRowHeight + 2
}

// Prerender is the engine's first render of a sandbox: the slots it binds
// (ui.BindSpec) and the batch it applies, as the wasm computes them on
// loading the embed's address.
type Prerender struct {
	Spec    string // frames of slot name, kind
	Batch   string // frames of slot index, value
	Live    string // the live embed's address, relative to sandboxBase
	LogRows int
}

// renderEmbed runs the model on the embed's address.
func renderEmbed(e *Embed) (*Prerender, error) {
	q := strings.TrimPrefix(e.embedQuery(), "?")
	rows := prerenderLogRows(e)
	m := ui.New()
	m.Update(ui.SetLogRows{N: rows})
	// the live page's address, relative to the site's root (the page's
	// <base>): the origin and the site's prefix are not known here, so
	// links come out relative, and resolve to the addresses the engine
	// writes with its origin
	m.Update(ui.Init{BaseURL: "." + EmbedRoute, Query: q})
	if m.Banner.Text != "" {
		return nil, fmt.Errorf("%s: sandbox %d: the embed's address %s?%s gives a banner: %s", e.Page, e.Index, EmbedRoute, q, m.Banner.Text)
	}
	batch, _ := m.Render()
	return &Prerender{Spec: ui.BindSpec(), Batch: batch, Live: strings.TrimPrefix(EmbedRoute, "/") + "?" + q, LogRows: rows}, nil
}

// appShell is the app's built page (site/dist/index.html) cut into the
// parts a pre-rendered sandbox reuses.
type appShell struct {
	page     string          // index.html, panels mounted, no engine loader
	wasm     string          // the hashed wasm's name
	wasmExec string          // wasm_exec.js's hashed name
	helper   string          // connlab.js's hashed name
	script   string          // sandbox.js's hashed name, relative to sandboxBase
	parts    []string        // the deferred parts (defer.go), N-th at N
	shown    map[string]bool // the slots page binds before the engine comes
}

var (
	bootScriptRe = regexp.MustCompile(`<script src="[^"]*" data-wasm="([^"]+)"></script>\n?`)
	preloadRe    = regexp.MustCompile(`<link rel="preload" [^>]*>\n?`)
	execScriptRe = regexp.MustCompile(`<script src="([^"]*wasm_exec[^"]*)"></script>\n?`)
	helperRe     = regexp.MustCompile(`<script src="(connlab(?:\.[0-9a-f]+)?\.js)"></script>`)
	appRootRe    = regexp.MustCompile(`<div id="app" class="app" data-wasm="[^"]+"`)
	shownAttrRe  = regexp.MustCompile(` ` + ui.ShownAttrName + `="[^"]*"`)
	firstAttrRe  = regexp.MustCompile(` ` + ui.FirstAttrName + `="[^"]*"`)
)

// loadAppShell reads the built app's index.html. What the page needs
// before the engine comes stays (connlab.js, the CSS, the markup); what
// only the engine needs goes, and sandbox.js loads it on first use: every
// frame of a docs page parses and runs its scripts on the page's one
// main thread.
func loadAppShell(path string) (*appShell, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the app's page (run make site first): %v", err)
	}
	page := string(raw)
	m := bootScriptRe.FindStringSubmatch(page)
	if m == nil || len(bootScriptRe.FindAllString(page, -1)) != 1 {
		return nil, fmt.Errorf("%s: no single <script … data-wasm=…> in the head", path)
	}
	s := &appShell{wasm: html.UnescapeString(m[1])}
	// boot.js compiles the engine while the page loads (and applies
	// ?theme=, which the docs' frames do not use): not here
	page = strings.Replace(page, m[0], "", 1)
	// and the head's preload of the wasm (it starts the download before
	// boot.js has arrived): five frames would fetch it before anyone used
	// them
	page = preloadRe.ReplaceAllString(page, "")
	x := execScriptRe.FindStringSubmatch(page)
	if x == nil || len(execScriptRe.FindAllString(page, -1)) != 1 {
		return nil, fmt.Errorf("%s: no single wasm_exec script", path)
	}
	s.wasmExec = html.UnescapeString(x[1])
	if h := helperRe.FindAllStringSubmatch(page, -1); len(h) == 1 {
		s.helper = html.UnescapeString(h[0][1])
	}
	page = strings.Replace(page, x[0], "", 1)
	// the root without data-wasm: connlab.js defines its helper and does
	// not load the engine
	if n := len(appRootRe.FindAllString(page, -1)); n != 1 {
		return nil, fmt.Errorf("%s: %d #app roots with data-wasm, want 1", path, n)
	}
	page = appRootRe.ReplaceAllString(page, `<div id="app" class="app"`)
	// and without the build's note of what the app's page shows, or the
	// rest of its first render (wasm/prerender): a sandbox's panels show
	// its own step, and the engine that takes it over sends all of its
	// first render
	for _, re := range []*regexp.Regexp{shownAttrRe, firstAttrRe} {
		if n := len(re.FindAllString(page, -1)); n > 1 {
			return nil, fmt.Errorf("%s: %d attributes %s", path, n, re)
		}
		page = re.ReplaceAllString(page, "")
	}
	// the panels mounted, as connlab.js's mountPanels does before the
	// engine starts
	open, close := `<template id="panels">`, "</template>"
	i := strings.Index(page, open)
	j := strings.LastIndex(page, close)
	if i < 0 || j < i || strings.Count(page, open) != 1 {
		return nil, fmt.Errorf("%s: no single <template id=\"panels\">", path)
	}
	page = page[:i] + page[i+len(open):j] + page[j+len(close):]
	// what an embed does not show waits inert until the engine comes
	// (defer.go)
	page, s.parts, err = deferHidden(page)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	s.shown = shownSlots(page)
	if !strings.Contains(page, "<head>\n") || !strings.Contains(page, "</body>") {
		return nil, fmt.Errorf("%s: no <head> or </body>", path)
	}
	s.page = page
	return s, nil
}

// appShell is the app's page as this site's sandboxes use it: with the
// docs' sandbox script.
func (s *Site) appShell(appIndex string) (*appShell, error) {
	shell, err := loadAppShell(appIndex)
	if err != nil {
		return nil, err
	}
	if s.SandboxJS == "" {
		return nil, fmt.Errorf("the site has no sandbox script (Build reads %s)", sandboxScript)
	}
	shell.script = "docs/" + s.SandboxJS
	return shell, nil
}

// jsonAttr is a string as a JSON string, escaped for an HTML attribute:
// the page reads it back exactly (JSON keeps NUL and CR, which an
// attribute's own text would not).
func jsonAttr(s string) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // html.EscapeString below makes it safe in the attribute
	if err := enc.Encode(s); err != nil {
		return "", err
	}
	return html.EscapeString(strings.TrimSuffix(b.String(), "\n")), nil
}

// sandboxPage is a pre-rendered sandbox's page.
func (a *appShell) sandboxPage(e *Embed, p *Prerender) ([]byte, error) {
	if a.script == "" {
		return nil, fmt.Errorf("no sandbox script: load the app's page with Site.appShell")
	}
	spec, err := jsonAttr(p.Spec)
	if err != nil {
		return nil, err
	}
	shown, err := shownBatch(p.Spec, p.Batch, a.shown)
	if err != nil {
		return nil, fmt.Errorf("%s: sandbox %d: %v", e.Page, e.Index, err)
	}
	batch, err := jsonAttr(shown)
	if err != nil {
		return nil, err
	}
	live, err := jsonAttr(p.Live)
	if err != nil {
		return nil, err
	}
	title := "connlab: " + e.Scenario.Title + ", event " + strconv.Itoa(e.Event)
	page := a.page
	page = strings.Replace(page, "<head>\n", "<head>\n<base href=\""+sandboxBase+"\">\n", 1)
	if i, j := strings.Index(page, "<title>"), strings.Index(page, "</title>"); i >= 0 && j > i {
		page = page[:i] + "<title>" + html.EscapeString(title) + page[j:]
	}
	data := `<div id="prerender" hidden data-wasm="` + html.EscapeString(a.wasm) + `" data-wasm-exec="` + html.EscapeString(a.wasmExec) + `" data-parts="` + html.EscapeString(sandboxParts) + `" data-live="` + live +
		`" data-log-rows="` + strconv.Itoa(p.LogRows) + `" data-spec="` + spec + `" data-batch="` + batch + `"></div>` + "\n" +
		`<script src="` + html.EscapeString(a.script) + `"></script>` + "\n"
	page = strings.Replace(page, "</body>", data+"</body>", 1)
	return []byte(page), nil
}

// WriteSandboxes writes every embed's pre-rendered page into dir (removed
// and rebuilt: it is generated), from the app's built index.html.
func (s *Site) WriteSandboxes(appIndex, dir string) error {
	if filepath.Base(filepath.Clean(dir)) != "docs" || filepath.Base(filepath.Dir(filepath.Clean(dir))) != "embed" {
		return fmt.Errorf("refusing to replace %s: the sandboxes' folder must be embed/docs", dir)
	}
	shell, err := s.appShell(appIndex)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, PartsFile), []byte(partsPage(shell.parts)), 0o644); err != nil {
		return err
	}
	for _, p := range s.TOC.Pages {
		for _, e := range s.Embeds[p.File] {
			pr, err := renderEmbed(e)
			if err != nil {
				return err
			}
			page, err := shell.sandboxPage(e, pr)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, e.SandboxName()), page, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
