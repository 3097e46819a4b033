package main

// Inline sandboxes. A docs page with five sandboxes in five iframes is
// five documents navigated one after another on the page's one main
// thread: 1.8-2.2 times the app page's time to ready however light each
// frame is (issue 19, item 3). So the page holds its sandboxes itself:
// each figure's sandbox is the app's #app, with the engine's first render
// applied at build time (wasm/prerender, connlab.apply in Go), in a declarative shadow root
// (<template shadowrootmode="open">) that links the app's own stylesheet
// (the same hashed file, fetched once for the five), so the app's CSS
// applies inside and the page's does not leak in. It is shown as the page
// is parsed, with no script, no frame and no engine.
//
// The first time a reader uses one (a click on a control, a key it
// answers, a field, the log scrolled), inline.js puts the sandbox's
// pre-rendered frame (/embed/docs/PAGE-N, prerender.go) in its place at
// the same step and hands it the reader's action, which the frame's own
// sandbox.js repeats once the engine has taken over: the live sandbox is
// exactly the frame every other test drives, the engine's DOM code (which
// owns a document) stays untouched, and a page's frames share one
// compiled module (sandbox.js), which inline.js starts compiling as soon
// as a pointer or the focus comes near a sandbox. From then on the
// sandbox is the real engine.
//
// Without JavaScript, the sandbox still shows its step, and a note says
// why its controls do not act.

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/connlab/connlab/wasm/prerender"
)

// inlineScript is the docs pages' loader (site/docs/inline.js, written
// under its hashed name: Site.InlineJS).
const inlineScript = "inline.js"

// inlineMarker stands in the figure for the sandbox's shadow root until
// WriteInline fills it.
const inlineMarker = "<!--sandbox-inline-->"

// styleAttr holds an inline sandbox element's style (see inlineSandbox).
const styleAttr = "data-style"

// appRoot is the app's #app element in the shell page.
func (a *appShell) appRoot() (string, error) {
	i := strings.Index(a.page, `<div id="app" `)
	if i < 0 || strings.Count(a.page, `<div id="app" `) != 1 {
		return "", fmt.Errorf("the app's page: no single <div id=\"app\">")
	}
	end, err := elementEnd(a.page, i, "div")
	if err != nil {
		return "", err
	}
	return a.page[i:end], nil
}

var stylesheetRe = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)">`)

// stylesheet is the app's stylesheet, relative to the site's root.
func (a *appShell) stylesheet() (string, error) {
	m := stylesheetRe.FindAllStringSubmatch(a.page, -1)
	if len(m) != 1 {
		return "", fmt.Errorf("the app's page has %d stylesheets, want 1", len(m))
	}
	return html.UnescapeString(m[0][1]), nil
}

var schemeRe = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// fromDocs is a link of the app's page (relative to the site's root) as
// the docs folder reaches it.
func fromDocs(u string) string {
	if u == "" || strings.HasPrefix(u, "/") || strings.HasPrefix(u, "#") || schemeRe.MatchString(u) {
		return u
	}
	return "../" + strings.TrimPrefix(u, "./")
}

// inlineSandbox is the shadow root's content for one sandbox: the app's
// stylesheet and its #app at the sandbox's step.
func (a *appShell) inlineSandbox(app, css string, e *Embed, p *Prerender) (string, error) {
	nodes, err := prerender.Parse(app)
	if err != nil {
		return "", err
	}
	if len(nodes) != 1 || nodes[0].Tag != "div" {
		return "", fmt.Errorf("the app's #app does not parse as one element")
	}
	root := nodes[0]
	// the whole batch: a slot the pre-rendered frame leaves out
	// (shownBatch) has no element in this #app, whose deferred parts are
	// not back either, so prerender.Apply passes it by
	if err := prerender.Apply(root, p.Spec, p.Batch); err != nil {
		return "", err
	}
	root.Set("data-engine", "inline")
	root.Set("data-log-rows", strconv.Itoa(p.LogRows))
	// the page has its own <main>; the sandbox's is a region of it
	root.Walk(func(n *prerender.Node) {
		if n.Tag == "main" {
			n.Tag = "div"
		}
	})
	// the site's CSP (style-src 'self') ignores style attributes, so the
	// styles the render sets (the event log's rows' places, a bar's
	// width) travel in data-style, and inline.js sets them, as
	// connlab.apply does, through the element's style
	root.Walk(func(n *prerender.Node) {
		if v, ok := n.Get("style"); ok {
			n.Del("style")
			n.Set(styleAttr, v)
		}
	})
	var b strings.Builder
	b.WriteString(`<link rel="stylesheet" href="` + html.EscapeString(fromDocs(css)) + `">`)
	prerender.Render(&b, nodes, fromDocs)
	return b.String(), nil
}

// inlineHost is the figure's sandbox before WriteInline: the host of the
// shadow root, and the note for a reader without JavaScript.
func (e *Embed) inlineHost(title string) string {
	esc := html.EscapeString
	return `<div class="sandbox-inline" role="region" aria-label="` + esc(title) + `" data-sandbox="` + esc(e.SandboxURL()) + `" data-title="` + esc(title) + `" data-height="` + strconv.Itoa(e.Height) + `">` +
		`<template shadowrootmode="open">` + inlineMarker + `</template></div>` + "\n" +
		`<p class="sandbox-why" data-why hidden></p>` + "\n" +
		`<noscript><p class="sandbox-why">This is the sandbox at event ` + strconv.Itoa(e.Event) + `, as the engine renders it; stepping it needs JavaScript, which is off: <a href="` + esc(e.AppURL()) + `">the full sandbox</a> needs it too.</p></noscript>` + "\n"
}

// WriteInline fills every figure's shadow root in the written docs (dir)
// with its pre-rendered sandbox, and puts the page's loader before
// </body>.
func (s *Site) WriteInline(appIndex, dir string) error {
	shell, err := s.appShell(appIndex)
	if err != nil {
		return err
	}
	app, err := shell.appRoot()
	if err != nil {
		return fmt.Errorf("%s: %v", appIndex, err)
	}
	css, err := shell.stylesheet()
	if err != nil {
		return fmt.Errorf("%s: %v", appIndex, err)
	}
	if s.InlineJS == "" {
		return fmt.Errorf("the site has no inline script (Build reads %s)", inlineScript)
	}
	script := `<script src="` + html.EscapeString(s.InlineJS) + `" data-wasm="` + html.EscapeString(fromDocs(shell.wasm)) + `"></script>` + "\n</body>"
	return s.rewriteSandboxPages(dir, func(file string, es []*Embed, page string) (string, error) {
		if n := strings.Count(page, inlineMarker); n != len(es) {
			return "", fmt.Errorf("%s: %d inline sandboxes, %d declared", file, n, len(es))
		}
		for _, e := range es {
			pr, err := renderEmbed(e)
			if err != nil {
				return "", err
			}
			in, err := shell.inlineSandbox(app, css, e, pr)
			if err != nil {
				return "", fmt.Errorf("%s: sandbox %d: %v", file, e.Index, err)
			}
			page = strings.Replace(page, inlineMarker, in, 1)
		}
		if strings.Count(page, "</body>") != 1 {
			return "", fmt.Errorf("%s: no single </body>", file)
		}
		return strings.Replace(page, "</body>", script, 1), nil
	})
}
