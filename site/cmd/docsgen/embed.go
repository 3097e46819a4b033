package main

// Live embeds. A page source declares a sandbox with
//
//	{{embed "SCENARIO" "BREAKPOINT" "key=value"...}}
//
// SCENARIO is a name from the engine's scenario library; BREAKPOINT is an
// expression of engine/timeline/breakpoint.go (the first event where it
// hits is the step the figure shows), or "mark N" for the scenario's own
// N-th mark (1-based; marks are searched one after the other, as the
// sandbox's mark buttons do), or "end" for the last event. The key=value
// arguments are either options:
//
//	caption=TEXT   the figure's caption (plain text; escaped)
//	nth=K          the K-th hit of the breakpoint instead of the first
//	panels=A,B     the panels the sandbox shows, the ones the paragraph
//	               talks about (/embed's panels=: conn, dispatcher, queue,
//	               diagram, wire, upgrade, waits, events); the sandbox is
//	               sized to them. Without it, the embed's default view.
//	height=PX      the sandbox's height in pixels (default 560, or what
//	               the panels need)
//
// or claims about the state after that event, the very facts the
// paragraph around the figure states:
//
//	reading=KeepAlive  writing=Body  keep_alive=Idle  iter=16  requests=2
//	notify_read=true   is_closing=false  body_tx=Pending  in_flight=none
//	read_buf=27 write_buf=2054 wire_in=3050 clock=1000 (ms) upgraded=true
//	client.reading=Init (mode both: the client connection)
//
// Reading and Writing match either exactly ("Body(Length(5))") or by
// variant name ("Body"). An empty string field is written "none". Every
// claim is checked against the engine when the docs are built: a false
// claim, an unknown scenario or field, or a breakpoint that never hits
// fails the build with a message naming the page and the figure. The
// claims also travel to the page as data-expect-* attributes, and the
// browser test reads each sandbox's own fields and compares, so the
// page, the engine and the app cannot drift apart.

import (
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/timeline"
	"github.com/connlab/connlab/wasm/ui"
)

// EmbedRoute is the sandbox's embed view. The site's header policy
// (site/api/headers.go) lets pages frame /embed only (the full app at /
// says frame-ancestors 'none', which also forbids same-origin framing);
// the route is served by the app's index.html like any path without an
// extension, natively and at the edge.
const EmbedRoute = "/embed"

// EmbedPath is the embed view relative to a docs page
// (site/dist/docs/x.html → /embed).
const EmbedPath = ".." + EmbedRoute

// AppPath is the full sandbox, relative to a docs page.
const AppPath = "../"

// DefaultHeight is an embed's sandbox height in pixels.
const DefaultHeight = 560

// Claim is one statement about the state at an embed's step.
type Claim struct {
	Field string // canonical: reading, keep_alive, client.reading, ...
	Want  string
	Got   string
}

// Embed is a resolved {{embed}}: the event it shows and its checked claims.
type Embed struct {
	Page     string // source file, e.g. "state.html"
	Index    int    // 1-based figure number on the page
	Scenario scenarios.Scenario
	Expr     string // as written
	Resolved string // the breakpoint actually searched ("mark 2" → its expression)
	Nth      int
	Event    int // the step of the URL: an event index of the timeline
	Events   int // the timeline's length
	View     timeline.View
	Claims   []Claim
	Caption  string
	Height   int
	Panels   []string // panels=, in the order written; nil: the default view
}

// panelHeights is about how tall each panel stands in an embed (pixels,
// at a docs page's width); panels in one row (panelRows) share the
// tallest one's height. embedChrome is the top bar, the controls and the
// "now" line every embed shows above them.
var panelHeights = map[string]int{
	"conn": 330, "dispatcher": 300, "queue": 90, "diagram": 200,
	"wire": 230, "upgrade": 150, "waits": 460, "events": 290,
}

var panelRows = [][]string{{"conn", "dispatcher", "queue"}, {"diagram"}, {"wire"}, {"upgrade", "waits"}, {"events"}}

const embedChrome = 170

// connBothHeight is the Conn panel with the client connection below the
// server's (mode both).
const connBothHeight = 450

// panelsHeight is the sandbox's height that shows the panels without
// scrolling; both is mode both, where the Conn panel holds two
// connections.
func panelsHeight(panels []string, both bool) int {
	h := embedChrome
	for _, row := range panelRows {
		tallest := 0
		for _, p := range row {
			for _, q := range panels {
				if p == q {
					ph := panelHeights[p]
					if p == "conn" && both {
						ph = connBothHeight
					}
					tallest = max(tallest, ph)
				}
			}
		}
		h += tallest
	}
	return h
}

// fieldFuncs read a claimable field of a View, formatted as claims are
// written.
var fieldFuncs = map[string]func(v *timeline.View) string{
	"reading":     func(v *timeline.View) string { return none(v.Reading) },
	"writing":     func(v *timeline.View) string { return none(v.Writing) },
	"keep_alive":  func(v *timeline.View) string { return none(v.KeepAlive) },
	"notify_read": func(v *timeline.View) string { return strconv.FormatBool(v.NotifyRead) },
	"is_closing":  func(v *timeline.View) string { return strconv.FormatBool(v.IsClosing) },
	"iter":        func(v *timeline.View) string { return strconv.Itoa(v.Iter) },
	"body_tx":     func(v *timeline.View) string { return none(v.BodyTx) },
	"body_rx":     func(v *timeline.View) string { return strconv.FormatBool(v.BodyRx) },
	"in_flight":   func(v *timeline.View) string { return none(v.InFlight) },
	"queue":       func(v *timeline.View) string { return strconv.Itoa(v.Queue) },
	"wanting":     func(v *timeline.View) string { return strconv.FormatBool(v.Wanting) },
	"read_buf":    func(v *timeline.View) string { return strconv.Itoa(v.ReadBuf) },
	"write_buf":   func(v *timeline.View) string { return strconv.Itoa(v.WriteBuf) },
	"requests":    func(v *timeline.View) string { return strconv.Itoa(v.Requests) },
	"upgraded":    func(v *timeline.View) string { return strconv.FormatBool(v.Upgraded) },
	"done":        func(v *timeline.View) string { return strconv.FormatBool(v.Done) },
	"clock":       func(v *timeline.View) string { return strconv.FormatInt(v.ClockMS, 10) },
	"wire_in":     func(v *timeline.View) string { return strconv.FormatInt(v.WireIn, 10) },
	"wire_out":    func(v *timeline.View) string { return strconv.FormatInt(v.WireOut, 10) },
	"input":       func(v *timeline.View) string { return strconv.Itoa(v.Input) },
	"kind":        func(v *timeline.View) string { return v.Kind },
	"step":        func(v *timeline.View) string { return strconv.Itoa(v.Step) },
}

// connFields are the fields that belong to one connection (and so have a
// client.* twin in mode both).
var connFields = map[string]bool{
	"reading": true, "writing": true, "keep_alive": true, "notify_read": true,
	"is_closing": true, "iter": true, "body_tx": true, "body_rx": true,
	"in_flight": true, "queue": true, "wanting": true, "read_buf": true,
	"write_buf": true, "requests": true, "upgraded": true, "done": true,
}

func none(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// canonField maps a written field name (keep-alive, keep_alive,
// client.keep-alive) to its canonical form, or "".
func canonField(name string) string {
	name = strings.ReplaceAll(name, "-", "_")
	base, client := name, false
	if b, ok := strings.CutPrefix(name, "client."); ok {
		base, client = b, true
	}
	if _, ok := fieldFuncs[base]; !ok {
		return ""
	}
	if client {
		if !connFields[base] {
			return ""
		}
		return "client." + base
	}
	return base
}

// readField reads a canonical field; ok is false for client.* outside mode
// both.
func readField(v *timeline.View, field string) (string, bool) {
	if base, ok := strings.CutPrefix(field, "client."); ok {
		if v.Client == nil {
			return "", false
		}
		return fieldFuncs[base](v.Client), true
	}
	return fieldFuncs[field](v), true
}

// claimHolds compares a claim's wanted value with the engine's.
func claimHolds(field, want, got string) bool {
	if want == got {
		return true
	}
	base := strings.TrimPrefix(field, "client.")
	if base == "reading" || base == "writing" {
		variant, _, _ := strings.Cut(got, "(")
		return want == variant
	}
	return false
}

// EmbedError is a docs embed (or check) that does not hold; it names the
// page and the figure.
type EmbedError struct {
	Page  string
	Label string // "sandbox 2", "check 1"
	Spec  string // the declaration, as written
	Msg   string
}

func (e *EmbedError) Error() string {
	verb := "embed"
	if strings.HasPrefix(e.Label, "check") {
		verb = "check"
	}
	return fmt.Sprintf("%s: %s {{%s %s}}: %s", e.Page, e.Label, verb, e.Spec, e.Msg)
}

// timelines caches one recorded timeline per scenario: resolving is
// read-only (Find never moves the cursor), so figures share them.
type timelines map[string]*timeline.Timeline

func (c timelines) get(sc scenarios.Scenario) (*timeline.Timeline, error) {
	if tl, ok := c[sc.Name]; ok {
		return tl, nil
	}
	f, err := sc.File()
	if err != nil {
		return nil, err
	}
	tl, err := timeline.New(f)
	if err != nil {
		return nil, err
	}
	if tl.Err() != nil {
		return nil, fmt.Errorf("the scenario's run stopped early: %v", tl.Err())
	}
	c[sc.Name] = tl
	return tl, nil
}

// resolveEmbed finds the event an embed shows and checks its claims.
func resolveEmbed(cache timelines, page, label string, index int, name, expr string, args []string) (*Embed, error) {
	spec := strconv.Quote(name) + " " + strconv.Quote(expr)
	for _, a := range args {
		spec += " " + strconv.Quote(a)
	}
	fail := func(format string, a ...any) error {
		return &EmbedError{Page: page, Label: label, Spec: spec, Msg: fmt.Sprintf(format, a...)}
	}
	sc, ok := scenarios.Lookup(name)
	if !ok {
		return nil, fail("no scenario %q in the library (engine/scenarios/library.go)", name)
	}
	e := &Embed{Page: page, Index: index, Scenario: sc, Expr: expr, Nth: 1, Height: DefaultHeight}
	type want struct{ field, value string }
	var wants []want
	seen := map[string]bool{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return nil, fail("argument %q is not key=value", a)
		}
		switch k {
		case "caption":
			e.Caption = v
		case "nth":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return nil, fail("nth=%s: want a number from 1", v)
			}
			e.Nth = n
		case "panels":
			if _, ok := ui.ParsePanels(v); !ok {
				return nil, fail("panels=%s: want a comma list of %s", v, strings.ReplaceAll(ui.PanelNames, " ", ", "))
			}
			e.Panels = strings.Split(v, ",")
		case "height":
			seen["height"] = true
			n, err := strconv.Atoi(v)
			if err != nil || n < 120 || n > 2000 {
				return nil, fail("height=%s: want pixels from 120 to 2000", v)
			}
			e.Height = n
		default:
			f := canonField(k)
			if f == "" {
				return nil, fail("unknown field %q in claim %q (fields: %s)", k, a, strings.Join(claimFieldNames(), ", "))
			}
			if seen[f] {
				return nil, fail("field %s is claimed twice", f)
			}
			seen[f] = true
			wants = append(wants, want{f, v})
		}
	}
	tl, err := cache.get(sc)
	if err != nil {
		return nil, fail("scenario %s does not run: %v", name, err)
	}
	e.Events = tl.Len()
	ev, resolved, err := findStep(tl, sc, expr, e.Nth)
	if err != nil {
		return nil, fail("%v", err)
	}
	e.Event, e.Resolved = ev, resolved
	e.View = tl.ViewAt(ev)
	if len(e.Panels) > 0 && !seen["height"] {
		e.Height = panelsHeight(e.Panels, e.View.Client != nil)
	}
	for _, w := range wants {
		got, ok := readField(&e.View, w.field)
		if !ok {
			return nil, fail("claim %s=%s: scenario %s runs in mode %s, which has no client connection", w.field, w.value, name, tl.File().Mode)
		}
		if !claimHolds(w.field, w.value, got) {
			return nil, fail("claim %s=%s is false at event %d (breakpoint %q): the engine says %s=%s", w.field, w.value, ev, resolved, w.field, got)
		}
		e.Claims = append(e.Claims, Claim{Field: w.field, Want: w.value, Got: got})
	}
	return e, nil
}

// findStep resolves a breakpoint (or "mark N", or "end") to an event.
func findStep(tl *timeline.Timeline, sc scenarios.Scenario, expr string, nth int) (int, string, error) {
	if tl.Len() == 0 {
		return 0, expr, errors.New("the scenario records no events")
	}
	if expr == "end" {
		return tl.Len() - 1, expr, nil
	}
	if rest, ok := strings.CutPrefix(expr, "mark "); ok {
		k, err := strconv.Atoi(strings.TrimSpace(rest))
		if err != nil || k < 1 || k > len(sc.Steps) {
			return 0, expr, fmt.Errorf("%q: scenario %s has marks 1 to %d", expr, sc.Name, len(sc.Steps))
		}
		at := -1
		for i := 0; i < k; i++ {
			next, err := tl.Find(sc.Steps[i].Expr, at)
			if err != nil {
				return 0, expr, fmt.Errorf("mark %d %q: %v", i+1, sc.Steps[i].Expr, err)
			}
			if next < 0 {
				return 0, expr, fmt.Errorf("mark %d %q never hits", i+1, sc.Steps[i].Expr)
			}
			at = next
		}
		return at, sc.Steps[k-1].Expr, nil
	}
	if err := tl.CheckBreakpoint(expr); err != nil {
		return 0, expr, err
	}
	at := -1
	for i := 0; i < nth; i++ {
		next, err := tl.Find(expr, at)
		if err != nil {
			return 0, expr, err
		}
		if next < 0 {
			if i == 0 {
				return 0, expr, fmt.Errorf("breakpoint %q never hits in %d events", expr, tl.Len())
			}
			return 0, expr, fmt.Errorf("breakpoint %q hits only %d times (nth=%d)", expr, i, nth)
		}
		at = next
	}
	return at, expr, nil
}

func claimFieldNames() []string {
	var out []string
	for k := range fieldFuncs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// EmbedURL is the iframe's address, relative to a docs page.
func (e *Embed) EmbedURL() string {
	return EmbedPath + e.embedQuery()
}

// embedQuery is the embed view's query: scenario, step and panels.
func (e *Embed) embedQuery() string {
	q := "?embed=1&scenario=" + url.QueryEscape(e.Scenario.Name) + "&step=" + strconv.Itoa(e.Event)
	if len(e.Panels) > 0 {
		q += "&panels=" + strings.Join(e.Panels, ",")
	}
	return q
}

// AppURL is the full sandbox at the same step ("step from here").
func (e *Embed) AppURL() string {
	return AppPath + "?scenario=" + url.QueryEscape(e.Scenario.Name) + "&step=" + strconv.Itoa(e.Event)
}

// uiFields are the app's [data-field] hooks (DESIGN.md, site/static's
// index.html) and how each renders a View: the browser test checks that
// the field's text starts with the value. A hook is checked when any of
// its claim fields is claimed; step and the three enums always are.
var uiFields = []struct {
	hook   string   // data-field value
	fields []string // canonical claim fields it shows
	ui     func(v *timeline.View) string
}{
	{"step", []string{"step"}, func(v *timeline.View) string { return strconv.Itoa(v.Step) }},
	{"reading", []string{"reading"}, func(v *timeline.View) string { return dashIfEmpty(v.Reading) }},
	{"writing", []string{"writing"}, func(v *timeline.View) string { return dashIfEmpty(v.Writing) }},
	{"keep-alive", []string{"keep_alive"}, func(v *timeline.View) string { return dashIfEmpty(v.KeepAlive) }},
	{"notify-read", []string{"notify_read"}, func(v *timeline.View) string { return strconv.FormatBool(v.NotifyRead) }},
	{"requests", []string{"requests"}, func(v *timeline.View) string { return strconv.Itoa(v.Requests) }},
	{"buffers", []string{"read_buf", "write_buf"}, func(v *timeline.View) string {
		return "read " + strconv.Itoa(v.ReadBuf) + " B · write " + strconv.Itoa(v.WriteBuf) + " B"
	}},
	{"clock", []string{"clock"}, func(v *timeline.View) string { return strconv.FormatInt(v.ClockMS, 10) + " ms" }},
	{"iter", []string{"iter"}, func(v *timeline.View) string {
		if v.Iter == 0 {
			return "–"
		}
		return strconv.Itoa(v.Iter) + " / 16"
	}},
	{"is-closing", []string{"is_closing"}, func(v *timeline.View) string { return strconv.FormatBool(v.IsClosing) }},
	{"body-tx", []string{"body_tx"}, func(v *timeline.View) string { return none(v.BodyTx) }},
	{"body-rx", []string{"body_rx"}, func(v *timeline.View) string {
		if v.BodyRx {
			return "streaming"
		}
		return "none"
	}},
	{"in-flight", []string{"in_flight"}, func(v *timeline.View) string { return none(v.InFlight) }},
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// Expect is one data-expect-* attribute of a figure.
type Expect struct {
	Hook  string // the app's data-field
	Value string // what the field's text starts with
}

// Expects are what the browser test checks inside the sandbox: always the
// step and the three state enums, plus every claimed field the app shows.
func (e *Embed) Expects() []Expect {
	claimed := map[string]bool{}
	for _, c := range e.Claims {
		claimed[c.Field] = true
	}
	var out []Expect
	for _, f := range uiFields {
		want := f.hook == "step" || f.hook == "reading" || f.hook == "writing" || f.hook == "keep-alive"
		for _, c := range f.fields {
			want = want || claimed[c]
		}
		if want {
			out = append(out, Expect{Hook: f.hook, Value: f.ui(&e.View)})
		}
	}
	return out
}

// figure renders the embed as HTML.
func (e *Embed) figure(links *linker) (template.HTML, error) {
	var b strings.Builder
	w := func(s string) { b.WriteString(s) }
	esc := template.HTMLEscapeString
	id := "sandbox-" + strconv.Itoa(e.Index)
	w(`<figure class="sandbox" id="` + id + `" data-scenario="` + esc(e.Scenario.Name) + `" data-event="` + strconv.Itoa(e.Event) + `"`)
	for _, x := range e.Expects() {
		w(` data-expect-` + x.Hook + `="` + esc(x.Value) + `"`)
	}
	if len(e.Panels) > 0 {
		w(` data-panels="` + esc(strings.Join(e.Panels, " ")) + `"`)
	}
	w(">\n")
	// the sandbox's title (its region's label, and its frame's once it
	// takes over) carries the caption's number and event
	title := "Sandbox " + strconv.Itoa(e.Index) + ": connlab, " + e.Scenario.Title + ", event " + strconv.Itoa(e.Event)
	// the inline sandbox (inline.go): the engine's render in the page
	// itself, shown as it is parsed, with no frame and no engine until
	// the reader uses it (WriteInline fills it in)
	w(e.inlineHost(title))
	w("<figcaption>\n")
	caption := e.Caption
	if caption == "" {
		caption = e.Scenario.Title
	}
	w(`<p class="fig-title"><a class="fig-num" href="#` + id + `">Sandbox ` + strconv.Itoa(e.Index) + `</a> ` + esc(caption) + "</p>\n")
	w(`<p class="fig-where">Scenario <code>` + esc(e.Scenario.Name) + `</code>, event ` + strconv.Itoa(e.Event) + ` of ` + strconv.Itoa(e.Events) + `, where <code>` + esc(e.Resolved) + "</code> first holds")
	if e.Nth > 1 {
		w(" (hit " + strconv.Itoa(e.Nth) + ")")
	}
	w(".</p>\n")
	// The state at this step, as static text: the page reads without
	// JavaScript, and it is what the paragraph claims.
	w(`<p class="fig-state">`)
	state := []string{"reading", "writing", "keep_alive"}
	got := map[string]string{}
	for _, f := range state {
		got[f], _ = readField(&e.View, f)
	}
	for _, c := range e.Claims {
		if _, ok := got[c.Field]; !ok {
			state = append(state, c.Field)
			got[c.Field] = c.Got
		}
	}
	for i, f := range state {
		if i > 0 {
			w(" · ")
		}
		w(esc(f) + " <code>" + esc(got[f]) + "</code>")
	}
	w("</p>\n")
	w(`<p class="fig-links"><a class="step-here" href="` + esc(e.AppURL()) + `">Step from here in the full sandbox</a>`)
	if sec := e.Scenario.Section; sec != "" {
		w(" · chapter " + string(links.section(sec)))
	}
	if len(e.Scenario.Hyper) > 0 {
		w(" · hyper: ")
		for i, fn := range e.Scenario.Hyper {
			if i > 0 {
				w(", ")
			}
			h, err := hyperLink(fn)
			if err != nil {
				return "", &EmbedError{Page: e.Page, Label: "sandbox " + strconv.Itoa(e.Index), Spec: strconv.Quote(e.Scenario.Name), Msg: err.Error()}
			}
			w(string(h))
		}
	}
	w("</p>\n</figcaption>\n</figure>")
	return template.HTML(b.String()), nil
}
