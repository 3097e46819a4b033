//go:build !js

package main

// The docs in a real browser: Debian's headless Chromium, driven by
// chromedp, loads every page from a small net/http server that serves the
// built app (site/dist, from `make site`) with the docs built fresh from
// site/docs, under the site's own header policy (site/api). It fails on any
// console error or uncaught exception, waits until every sandbox iframe
// says data-ready, reads the sandbox's own fields and compares them with
// what the page claims (data-expect-*), follows every link, and embeds the
// sandbox from a page on another origin.
//
// `make test-docs` runs it (it builds the site and installs chromium if it
// is missing); plain `go test ./...` skips it unless CONNLAB_BROWSER=1.

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connlab/connlab/wasm/browser/headless"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/timeline"
	"github.com/connlab/connlab/site/api"
)

const (
	chromiumPath = headless.ChromiumPath
	// pageTimeout bounds loading one page and all its sandboxes (each
	// instantiates the engine's WebAssembly).
	pageTimeout = 3 * time.Minute
)

// distDir is the built site (make site), relative to this package;
// CONNLAB_SITE_DIST names another (a private build, while others rebuild
// site/dist in the same tree).
var distDir = cmp.Or(os.Getenv("CONNLAB_SITE_DIST"), "../../dist")

func requireBrowser(t *testing.T) {
	t.Helper()
	if os.Getenv("CONNLAB_BROWSER") != "1" {
		t.Skip("the docs' browser test runs with CONNLAB_BROWSER=1 (make test-docs builds the site, installs chromium and sets it)")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("%s not found: make test-docs installs it (apt-get install -y chromium)", chromiumPath)
	}
	if _, err := os.Stat(filepath.Join(distDir, "index.html")); err != nil {
		t.Fatalf("the app is not built (%v): run make site", err)
	}
}

// overlayFS is the built app with the docs folder and the pre-rendered
// sandboxes (embed/docs) replaced by a fresh build, so the test checks the
// docs sources as they are now.
type overlayFS struct{ app, docs, sandboxes fs.FS }

func (o overlayFS) Open(name string) (fs.File, error) {
	for _, d := range []struct {
		dir string
		fs  fs.FS
	}{{"embed/docs", o.sandboxes}, {"docs", o.docs}} {
		if name == d.dir {
			return d.fs.Open(".")
		}
		if rest, ok := strings.CutPrefix(name, d.dir+"/"); ok {
			return d.fs.Open(rest)
		}
	}
	return o.app.Open(name)
}

// docsServer writes the docs and their pre-rendered sandboxes (from the
// built app's page) into a temporary folder and serves them over the
// built app; extra files, by path (docs/NAME or embed/docs/NAME), are
// added.
func docsServer(t *testing.T, s *Site, extra map[string][]byte) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	docs, sandboxes := filepath.Join(dir, "docs"), filepath.Join(dir, "embed", "docs")
	if err := s.Write(srcDir, docs); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteSandboxes(filepath.Join(distDir, "index.html"), sandboxes); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteInline(filepath.Join(distDir, "index.html"), docs); err != nil {
		t.Fatal(err)
	}
	if err := s.WritePreloads(filepath.Join(distDir, "index.html"), docs); err != nil {
		t.Fatal(err)
	}
	for name, b := range extra {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return siteServer(t, overlayFS{app: os.DirFS(distDir), docs: os.DirFS(docs), sandboxes: os.DirFS(sandboxes)})
}

// siteServer serves the site as `make run` does: the API at /api/ and the
// static files with the edge's headers.
func siteServer(t *testing.T, fsys fs.FS) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(api.Options{}))
	mux.Handle("/", api.Static(fsys))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// browser is one headless Chromium with a fresh profile, and the problems
// its pages reported.
type browser struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	ctx := headless.Start(t, 1280, 900)
	b := &browser{t: t, ctx: ctx}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeAssert {
				var parts []string
				for _, a := range ev.Args {
					if a.Value != nil {
						parts = append(parts, string(a.Value))
					} else {
						parts = append(parts, a.Description)
					}
				}
				b.report("console." + string(ev.Type) + ": " + strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			b.report(fmt.Sprintf("uncaught exception: %s (%s:%d)", msg, d.URL, d.LineNumber))
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.LevelError {
				b.report(fmt.Sprintf("log %s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		}
	})
	if err := chromedp.Run(ctx, runtime.Enable(), cdplog.Enable()); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return b
}

func (b *browser) report(s string) {
	b.mu.Lock()
	b.problems = append(b.problems, s)
	b.mu.Unlock()
}

// takeProblems returns and clears what the pages reported.
func (b *browser) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

// removeWithRetries deletes Chromium's profile; Chromium may still be
// writing to it for a moment after it exits.
func (b *browser) run(t *testing.T, timeout time.Duration, actions ...chromedp.Action) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("chromedp: %v", err)
	}
}

// poll evaluates a JavaScript expression until done(result) or the
// deadline (busy pages make WaitVisible unreliable, so tests poll flags).
func poll[T any](t *testing.T, b *browser, expr string, timeout time.Duration, done func(T) bool) T {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var v T
		b.run(t, 30*time.Second, chromedp.Evaluate(expr, &v))
		if done(v) || time.Now().After(deadline) {
			return v
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// sandboxState is what the page's JavaScript reports about its sandboxes.
type sandboxState struct {
	Total int      `json:"total"`
	Ready int      `json:"ready"`
	Boot  []string `json:"boot"` // boot errors shown inside sandboxes
}

// sandboxRootFn is a figure's sandbox: the inline one's shadow root
// (inline.go) or, once a reader has used it, its frame's document.
const sandboxRootFn = `f => { const h = f.querySelector('.sandbox-inline'); if (h) return h.shadowRoot; const fr = f.querySelector('iframe'); return fr && fr.contentDocument; }`

// sandboxRootJS declares sbRoot (sandboxRootFn) and sbBox, the element
// the sandbox is shown in.
const sandboxRootJS = `const sbRoot = ` + sandboxRootFn + `;
  const sbBox = f => f.querySelector('.sandbox-inline') || f.querySelector('iframe');
`

const sandboxesJS = `(() => {` + sandboxRootJS + `
  const figs = [...document.querySelectorAll('figure.sandbox')];
  const out = {total: figs.length, ready: 0, boot: []};
  for (const f of figs) {
    const d = sbRoot(f);
    if (!d) continue;
    if (d.querySelector('[data-ready="true"]')) out.ready++;
    const err = d.querySelector('.boot-error');
    if (err && !err.closest('noscript')) out.boot.push(f.id + ': ' + err.textContent.trim().slice(0, 200));
  }
  return out;
})()`

// fieldCheck is one data-expect-* of a figure against the sandbox's field.
type fieldCheck struct {
	Fig  string `json:"fig"`
	Hook string `json:"hook"`
	Want string `json:"want"`
	Got  string `json:"got"`
	OK   bool   `json:"ok"`
}

const fieldsJS = `(() => {` + sandboxRootJS + `
  const panelSel = {conn: '[data-panel=conn]', dispatcher: '[data-panel=dispatcher]', queue: '[data-panel=dispatch-queue]',
    diagram: '[data-panel=diagram]', wire: '[data-panel=wire-in], [data-panel=wire-out]', upgrade: '[data-panel=upgrade]',
    waits: '[data-panel=stall]', events: '[data-panel=events]'};
  const out = [];
  for (const f of document.querySelectorAll('figure.sandbox')) {
    const d = sbRoot(f), box = sbBox(f);
    for (const a of f.attributes) {
      if (!a.name.startsWith('data-expect-')) continue;
      const hook = a.name.slice('data-expect-'.length);
      const el = d && d.querySelector('[data-field="' + hook + '"]');
      const got = el ? el.textContent.trim().replace(/\s+/g, ' ') : '(no [data-field=' + hook + '])';
      out.push({fig: f.id, hook, want: a.value, got, ok: got.startsWith(a.value)});
    }
    // the step the page names: the app shows "event N / M" at the cursor
    const ev = f.getAttribute('data-event');
    const pos = d && (d.querySelector('[data-field="event"]') || d.querySelector('[data-s="pos"]'));
    const got = pos ? pos.textContent.trim() : '(no [data-field=event] or [data-s=pos])';
    const want = 'event ' + ev;
    out.push({fig: f.id, hook: 'event', want, got, ok: got === want || got.startsWith(want + ' ') || got === ev || got.startsWith(ev + ' ')});
    // the caption's number is the frame's: "Sandbox N" in both, N the figure's
    const n = f.id.replace('sandbox-', ''), num = f.querySelector('.fig-num'), title = box.getAttribute('data-title') || box.title;
    out.push({fig: f.id, hook: 'number', want: 'Sandbox ' + n, got: (num ? num.textContent : '') + ' | ' + title,
      ok: !!num && num.textContent === 'Sandbox ' + n && title.startsWith('Sandbox ' + n + ':')});
    // panels=: the listed panels show, inside the sandbox's box (no
    // scrolling), and the others do not
    const listed = (f.getAttribute('data-panels') || '').split(' ').filter(Boolean);
    if (!listed.length || !d) continue;
    for (const [name, sel] of Object.entries(panelSel)) {
      const want = listed.includes(name);
      const bad = [...d.querySelectorAll(sel)].map(el => {
        const r = el.getBoundingClientRect(), shown = el.getClientRects().length > 0 && r.height > 0;
        if (!want) return shown ? 'shown' : '';
        if (!shown) return 'hidden';
        const v = box.getBoundingClientRect(), top = r.top - v.top;
        return top >= 0 && r.bottom - v.top <= box.clientHeight + 1 ? '' : 'at ' + Math.round(top) + '..' + Math.round(r.bottom - v.top) + ' of ' + box.clientHeight;
      }).filter(Boolean);
      out.push({fig: f.id, hook: 'panel ' + name, want: want ? 'in view' : 'not shown', got: bad.join(', ') || (want ? 'in view' : 'not shown'), ok: bad.length === 0});
    }
  }
  return out;
})()`

const linksJS = `[...document.querySelectorAll('a[href]')].map(a => a.href)
  .concat([...document.querySelectorAll('.sandbox-inline')].flatMap(h => [...h.shadowRoot.querySelectorAll('a[href], link[href]')].map(a => a.href).concat([new URL(h.dataset.sandbox, location.href).href])))
  .concat([...document.querySelectorAll('iframe[src]')].map(f => f.src))
  .concat([...document.querySelectorAll('link[href]')].map(l => l.href))`

// TestDocsInBrowser loads every docs page, checks its sandboxes against
// its claims, follows its links, and embeds a sandbox from another origin.
func TestDocsInBrowser(t *testing.T) {
	requireBrowser(t)
	s := builtSite(t)
	srv := docsServer(t, s, nil)
	b := newBrowser(t)

	checked := map[string]int{} // same-origin URL (no fragment) -> status
	var external []string
	for _, p := range s.TOC.Pages {
		t.Run(strings.TrimSuffix(p.File, ".html"), func(t *testing.T) {
			b.takeProblems()
			b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+"/docs/"+p.File))
			poll(t, b, `document.readyState`, 60*time.Second, func(s string) bool { return s == "complete" })
			// Every sandbox is inline, in a shadow root, and no frame
			// loads until a reader uses one.
			var n []int
			b.run(t, 30*time.Second, chromedp.Evaluate(`[document.querySelectorAll('figure.sandbox .sandbox-inline').length, [...document.querySelectorAll('figure.sandbox .sandbox-inline')].filter(h => h.shadowRoot && h.shadowRoot.getElementById('app')).length, document.querySelectorAll('iframe').length]`, &n))
			if len(n) != 3 || n[0] != len(s.Embeds[p.File]) || n[1] != n[0] || n[2] != 0 {
				t.Errorf("inline sandboxes, with their shadow root's #app, and frames: %v; %d sandboxes declared", n, len(s.Embeds[p.File]))
			}
			st := poll(t, b, sandboxesJS, pageTimeout, func(st sandboxState) bool {
				return st.Ready == st.Total || len(st.Boot) > 0
			})
			if len(st.Boot) > 0 {
				t.Fatalf("a sandbox failed to boot: %s", strings.Join(st.Boot, "; "))
			}
			if st.Ready != st.Total {
				t.Fatalf("%d of %d sandboxes reached data-ready in %v", st.Ready, st.Total, pageTimeout)
			}
			// Every field the page claims, read from inside its sandbox.
			// Rendering follows readiness closely; give it a moment.
			checks := poll(t, b, fieldsJS, 15*time.Second, func(cs []fieldCheck) bool {
				for _, c := range cs {
					if !c.OK {
						return false
					}
				}
				return true
			})
			for _, c := range checks {
				if !c.OK {
					t.Errorf("%s: [data-field=%s] shows %q, the page says %q", c.Fig, c.Hook, c.Got, c.Want)
				}
			}
			var sizes []string
			b.run(t, 30*time.Second, chromedp.Evaluate(`[...document.querySelectorAll('figure.sandbox[data-panels]')].map(f => f.id + ' ' + f.dataset.panels + ': content ' + f.querySelector('.sandbox-inline').scrollHeight + ' px in ' + f.querySelector('.sandbox-inline').clientHeight)`, &sizes))
			for _, sz := range sizes {
				t.Log(sz)
			}
			if len(checks) == 0 && len(s.Embeds[p.File]) > 0 {
				t.Error("no field was checked")
			}
			// Links: every same-origin URL must answer 200.
			var links []string
			b.run(t, 30*time.Second, chromedp.Evaluate(linksJS, &links))
			for _, l := range links {
				u, _ := strings.CutPrefix(l, srv.URL)
				if u == l {
					external = append(external, l)
					continue
				}
				u, _, _ = strings.Cut(u, "#")
				if _, ok := checked[u]; !ok {
					checked[u] = httpStatus(t, srv.URL+u)
				}
				if checked[u] != http.StatusOK {
					t.Errorf("link %s: status %d", u, checked[u])
				}
			}
			// Accessibility: axe-core (pinned in site/package.json) finds
			// no serious or critical WCAG 2 A/AA violation on the page
			// (its embeds are checked on their own in wasm/browser).
			// Let late messages arrive before judging the console.
			time.Sleep(300 * time.Millisecond)
			for _, pr := range b.takeProblems() {
				t.Errorf("browser: %s", pr)
			}
			headless.AxeCheck(t, b.ctx, "/docs/"+p.File)
			// (axe sets style attributes inside the inline sandboxes'
			// shadow roots as it checks them, which the site's CSP
			// refuses, one report each: axe's, not the page's)
			time.Sleep(300 * time.Millisecond)
			for _, pr := range b.takeProblems() {
				if !strings.Contains(pr, "Applying inline style violates") {
					t.Errorf("browser, during axe: %s", pr)
				}
			}
		})
	}
	t.Logf("followed %d same-origin URLs; %d external links (hyper's source, RFCs) not fetched", len(checked), len(external))

	t.Run("cross-origin", func(t *testing.T) { testCrossOrigin(t, b, srv) })
	t.Run("theme", func(t *testing.T) { testTheme(t, b, srv) })
}

// backgroundJS is the luminance (0 dark .. 1 light) of the first opaque
// background among the app's root, body and html.
const backgroundJS = `(() => {
  for (const el of [document.getElementById('app'), document.body, document.documentElement]) {
    if (!el) continue;
    const m = getComputedStyle(el).backgroundColor.match(/[\d.]+/g);
    if (!m || (m.length > 3 && +m[3] === 0)) continue;
    return (0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]) / 255;
  }
  return -1;
})()`

// testTheme: the embed guide documents theme=light and theme=dark; the
// embed view must follow them whatever the reader's own setting (headless
// Chromium prefers light).
func testTheme(t *testing.T, b *browser, site *httptest.Server) {
	for _, c := range []struct {
		theme string
		dark  bool
	}{{"light", false}, {"dark", true}} {
		b.takeProblems()
		b.run(t, 60*time.Second, chromedp.Navigate(site.URL+EmbedRoute+"?embed=1&scenario=keep-alive&step=0&theme="+c.theme))
		if !poll(t, b, `document.querySelector('[data-ready="true"]') !== null`, pageTimeout, func(ok bool) bool { return ok }) {
			t.Fatalf("theme=%s: the embed never became ready", c.theme)
		}
		lum := poll(t, b, backgroundJS, 5*time.Second, func(l float64) bool { return (l >= 0 && l < 0.4) == c.dark })
		if lum < 0 {
			t.Fatalf("theme=%s: no opaque background found", c.theme)
		}
		if isDark := lum < 0.4; isDark != c.dark {
			t.Errorf("theme=%s: the embed's background has luminance %.2f, so ?theme=%s is not applied (the embed guide documents it)", c.theme, lum, c.theme)
		}
		for _, pr := range b.takeProblems() {
			t.Errorf("browser: %s", pr)
		}
	}
}

func httpStatus(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Errorf("GET %s: %v", u, err)
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// testCrossOrigin serves a page on a second server (another port, so
// another origin) that frames the first server's embed view, and checks
// the sandbox loads and shows its step.
func testCrossOrigin(t *testing.T, b *browser, site *httptest.Server) {
	sc, _ := scenarios.Lookup("keep-alive")
	f, err := sc.File()
	if err != nil {
		t.Fatal(err)
	}
	tl, err := timeline.New(f)
	if err != nil {
		t.Fatal(err)
	}
	step, err := tl.Find("transition keep_alive -> Idle", -1)
	if err != nil || step < 0 {
		t.Fatalf("breakpoint: %d %v", step, err)
	}
	v := tl.ViewAt(step)
	src := fmt.Sprintf("%s%s?embed=1&scenario=keep-alive&step=%d", site.URL, EmbedRoute, step)
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/host.html" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>a page elsewhere</title><link rel="icon" href="data:,"></head>
<body><h1>Another site</h1>
<iframe id="f" src="%s" title="connlab" width="100%%" height="600" loading="lazy"></iframe>
<script>document.getElementById('f').addEventListener('load', function () { window.framed = true; });</script>
</body></html>`, src)
	}))
	defer host.Close()
	if host.URL == site.URL {
		t.Fatalf("the two servers share an origin: %s", host.URL)
	}

	b.takeProblems()
	b.run(t, 60*time.Second, chromedp.Navigate(host.URL+"/host.html"))
	if ok := poll(t, b, `window.framed === true`, 60*time.Second, func(ok bool) bool { return ok }); !ok {
		t.Fatal("the iframe never loaded")
	}
	// The parent cannot look inside: the frame really is cross-origin.
	var peek string
	b.run(t, 10*time.Second, chromedp.Evaluate(`(() => { try { return document.getElementById('f').contentDocument === null ? 'null' : 'visible' } catch (e) { return 'blocked' } })()`, &peek))
	if peek == "visible" {
		t.Fatal("the host page can read the frame's document: not cross-origin")
	}
	// Inside the frame, through the DevTools DOM (same process for
	// 127.0.0.1, so chromedp can query it).
	ctx, cancel := context.WithTimeout(b.ctx, pageTimeout)
	defer cancel()
	var frames []*cdp.Node
	if err := chromedp.Run(ctx, chromedp.Nodes("#f", &frames, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	actions := []chromedp.Action{chromedp.WaitReady(`[data-ready="true"]`, chromedp.ByQuery, chromedp.FromNode(frames[0]))}
	hooks := []string{"step", "reading", "writing", "keep-alive"}
	vals := make([]string, len(hooks))
	for i, h := range hooks {
		actions = append(actions, chromedp.Text(`[data-field="`+h+`"]`, &vals[i], chromedp.ByQuery, chromedp.FromNode(frames[0])))
	}
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("inside the cross-origin frame: %v", err)
	}
	for i, h := range hooks {
		got[h] = strings.TrimSpace(vals[i])
	}
	want := map[string]string{"step": fmt.Sprint(v.Step), "reading": v.Reading, "writing": v.Writing, "keep-alive": v.KeepAlive}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !strings.HasPrefix(got[k], want[k]) {
			t.Errorf("cross-origin sandbox: [data-field=%s] = %q, want %q", k, got[k], want[k])
		}
	}
	for _, pr := range b.takeProblems() {
		t.Errorf("browser: %s", pr)
	}

	// For the record: the full app at / may not be framed by other sites
	// (site/api/headers.go), which is why embeds use /embed.
	resp, err := http.Get(site.URL + "/?embed=1&scenario=keep-alive")
	if err == nil {
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if strings.Contains(csp, "frame-ancestors 'none'") {
			t.Logf("note: /?embed=1 is served with frame-ancestors 'none'; only /embed may be framed")
		}
	}
	resp, err = http.Get(src)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") {
		t.Errorf("/embed is served with CSP %q: other sites cannot frame it", csp)
	}
}
