//go:build !js

package main

// The pre-rendered sandboxes in a real browser (prerender.go, sandbox.js):
// each shows exactly what the engine shows once it has taken over, the
// reader's first actions are done by the engine, and hostile text stays
// text.

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/connlab/connlab/wasm/browser/headless"
)

// snapshotJS describes the sandbox of figure i of the page, inline (its
// shadow root, inline.go) or in its frame once used: every element
// under #app with its attributes (links and sources resolved, so a
// relative link and the engine's absolute one compare equal), its form
// state and scroll position, and every text. Keys are positions; the event
// log's rows are keyed "log/…": the engine renders as many as its log
// window holds, which it measures after its first render, so only the
// rows both have are compared.
const snapshotJS = `((i) => {
  const fig = document.querySelectorAll('figure.sandbox')[i], h = fig.querySelector('.sandbox-inline');
  const w = h ? window : fig.querySelector('iframe').contentWindow, d = h ? h.shadowRoot : w.document;
  const root = d.getElementById('app'), rows = root.querySelector('[data-s~="log-rows"]');
  // the parts the pre-render holds inert, and the engine's page has back
  // in their places (defer.go): each keeps its index, neither is compared
  const restored = new Set(w.connlabRestored || []);
  // (the inline one's own marks, and the <main> it holds as a <div>: the
  // page has its own)
  const skip = new Set(['aria-busy', 'data-engine', 'data-log-rows']);
  const out = {};
  function walk(n, key) {
    if (n.nodeType === 3) { if (n.data.trim() !== '') out[key] = '#text ' + JSON.stringify(n.data); return; }
    if (n.nodeType !== 1) return;
    if ((n.tagName === 'TEMPLATE' && n.hasAttribute('data-restore')) || restored.has(n)) return;
    const attrs = [];
    for (const a of n.attributes) {
      if ((n === root && skip.has(a.name)) || a.name === 'data-scroll-top' || a.name === 'data-style') continue;
      // a field's state is its properties (below): the engine sets those,
      // the inline markup their attributes
      if ((a.name === 'value' || a.name === 'checked') && (n.tagName === 'INPUT' || n.tagName === 'TEXTAREA')) continue;
      if (a.name === 'selected' && n.tagName === 'OPTION') continue;
      let v = a.name === 'style' ? n.style.cssText : a.value;
      if ((a.name === 'href' || a.name === 'src') && n[a.name]) v = n[a.name];
      attrs.push(a.name + '=' + JSON.stringify(v));
    }
    attrs.sort();
    let desc = (n.tagName === 'MAIN' ? 'div' : n.tagName.toLowerCase()) + ' ' + attrs.join(' ');
    if ('value' in n && (n.tagName === 'INPUT' || n.tagName === 'TEXTAREA' || n.tagName === 'SELECT')) desc += ' .value=' + JSON.stringify(n.value);
    if (n.tagName === 'INPUT') desc += ' .checked=' + n.checked;
    if (n.scrollTop) desc += ' .scrollTop=' + n.scrollTop;
    out[key] = desc;
    let k = 0;
    for (const c of n.childNodes) {
      const ck = (n === rows ? 'log/' : key + '/') + (k++);
      walk(c, ck);
    }
  }
  walk(root, 'app');
  return out;
})(%d)`

// compareSnapshots lists the differences between the pre-render and the
// engine's render.
func compareSnapshots(pre, live map[string]string) []string {
	var diffs []string
	keys := map[string]bool{}
	for k := range pre {
		keys[k] = true
	}
	for k := range live {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		p, inPre := pre[k]
		l, inLive := live[k]
		switch {
		case inPre && inLive && p != l:
			diffs = append(diffs, fmt.Sprintf("%s:\n      pre-rendered %s\n      engine       %s", k, p, l))
		case inPre != inLive && !strings.HasPrefix(k, "log/"):
			diffs = append(diffs, fmt.Sprintf("%s: only in the %s: %s", k, map[bool]string{true: "pre-render", false: "engine's render"}[inPre], p+l))
		}
	}
	return diffs
}

// frameStatesJS is each sandbox's state: an inline one's (inline.js's
// data-engine on its host: inline-shown, failed) or, once it is a frame,
// the frame's engine (sandbox.js's: prerendered, loading, live, failed).
const frameStatesJS = `[...document.querySelectorAll('figure.sandbox')].map(fig => {
  const h = fig.querySelector('.sandbox-inline');
  if (h) return h.getAttribute('data-engine') || '';
  const f = fig.querySelector('iframe'), d = f && f.contentDocument, r = d && d.getElementById('app');
  return r ? (r.getAttribute('data-engine') || '') : '';
})`

// frameJS is figure i's frame (once the sandbox is live).
const frameJS = `document.querySelectorAll('figure.sandbox')[%d].querySelector('iframe')`

// sandboxDocJS is figure i's sandbox: the inline one's shadow root, or
// its frame's document.
const sandboxDocJS = `(` + sandboxRootFn + `)(document.querySelectorAll('figure.sandbox')[%d])`

// TestPrerenderedSandboxes: every docs sandbox, pre-rendered, is exactly
// what the engine renders when it takes over (issue 19, item 3). It runs
// on the site as built (make site: the wasm, then the docs and their
// pre-renders, from one tree): a pre-render made now by this test's own
// copy of wasm/ui would be compared with a wasm built earlier.
func TestPrerenderedSandboxes(t *testing.T) {
	requireBrowser(t)
	s := builtSite(t)
	srv := siteServer(t, os.DirFS(distDir))
	b := newBrowser(t)
	n := 0
	for _, p := range s.TOC.Pages {
		es := s.Embeds[p.File]
		if len(es) == 0 {
			continue
		}
		t.Run(strings.TrimSuffix(p.File, ".html"), func(t *testing.T) {
			b.takeProblems()
			b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+"/docs/"+p.File))
			states := poll(t, b, frameStatesJS, 30*time.Second, func(st []string) bool {
				return len(st) == len(es) && allEqual(st, "inline-shown")
			})
			if !allEqual(states, "inline-shown") || len(states) != len(es) {
				t.Fatalf("the sandboxes' states: %v, want %d shown inline", states, len(es))
			}
			for i, e := range es {
				var pre, live map[string]string
				b.run(t, 30*time.Second, chromedp.Evaluate(fmt.Sprintf(snapshotJS, i), &pre))
				// the sandbox goes live: its frame, the engine in it
				b.run(t, 30*time.Second, chromedp.Evaluate(fmt.Sprintf(`connlabInline(%d)`, i), nil))
				poll(t, b, fmt.Sprintf(`(%s)[%d]`, frameStatesJS, i), pageTimeout, func(s string) bool { return s == "live" || s == "failed" })
				// the engine's first frame measures the log (its rows)
				b.run(t, 30*time.Second, chromedp.Evaluate(fmt.Sprintf(`new Promise(r => `+frameJS+`.contentWindow.requestAnimationFrame(() => setTimeout(r, 50)))`, i), nil, awaitPromise))
				b.run(t, 30*time.Second, chromedp.Evaluate(fmt.Sprintf(snapshotJS, i), &live))
				// the engine found every slot: the deferred parts are back
				var missing string
				b.run(t, 10*time.Second, chromedp.Evaluate(fmt.Sprintf(frameJS+`.contentWindow.connlabMissingSlots`, i), &missing))
				if missing != "" {
					t.Errorf("sandbox %d: the engine found no element for the slots %s", i+1, missing)
				}
				if len(pre) < 200 {
					t.Errorf("sandbox %d: the pre-render has only %d nodes", i+1, len(pre))
				}
				if d := compareSnapshots(pre, live); len(d) > 0 {
					if len(d) > 12 {
						d = append(d[:12], fmt.Sprintf("… and %d more", len(d)-12))
					}
					t.Errorf("sandbox %d (%s, event %d): the pre-render differs from the engine's render:\n    %s", i+1, e.Scenario.Name, e.Event, strings.Join(d, "\n    "))
				}
				n++
			}
			var gone []string
			b.run(t, 10*time.Second, chromedp.Evaluate(frameStatesJS, &gone))
			if !allEqual(gone, "live") {
				t.Errorf("after waking: %v", gone)
			}
			time.Sleep(200 * time.Millisecond)
			for _, pr := range b.takeProblems() {
				t.Errorf("browser: %s", pr)
			}
		})
	}
	t.Logf("%d sandboxes: pre-render = engine's render", n)
	// a pre-rendered sandbox on its own, as axe sees it (the docs pages'
	// own check does not look inside their frames): each page's first
	for _, p := range s.TOC.Pages {
		if es := s.Embeds[p.File]; len(es) > 0 {
			b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+strings.TrimPrefix(es[0].SandboxURL(), "..")))
			poll(t, b, `document.getElementById('app').getAttribute('data-engine')`, 30*time.Second, func(s string) bool { return s == "prerendered" })
			headless.AxeCheck(t, b.ctx, SandboxRoute+es[0].SandboxName())
		}
	}
}

func allEqual(ss []string, v string) bool {
	for _, s := range ss {
		if s != v {
			return false
		}
	}
	return len(ss) > 0
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams {
	return p.WithAwaitPromise(true)
}

// posJS is frame i's position line ("event N / M").
const posJS = sandboxDocJS + `.querySelector('[data-s~="pos"]').textContent.trim()`

// TestSandboxFirstUse: what a reader does first in a pre-rendered sandbox
// is done, by the engine, once it has loaded: a click on "step", a key,
// three quick clicks (queued while the engine loads), a change of the
// step unit. The sandbox is live afterwards.
func TestSandboxFirstUse(t *testing.T) {
	requireBrowser(t)
	s := builtSite(t)
	srv := docsServer(t, s, nil)
	b := newBrowser(t)
	const page = "state.html"
	es := s.Embeds[page]
	if len(es) < 4 {
		t.Fatalf("%s has %d sandboxes; the test needs 4", page, len(es))
	}
	b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+"/docs/"+page))
	poll(t, b, frameStatesJS, 30*time.Second, func(st []string) bool { return allEqual(st, "inline-shown") })
	// the sandbox as the reader sees it: inline, then its frame
	frame := func(i int) string { return fmt.Sprintf(sandboxDocJS, i) }
	at := func(i int) int {
		var pos string
		b.run(t, 10*time.Second, chromedp.Evaluate(fmt.Sprintf(posJS, i), &pos))
		f := strings.Fields(pos)
		if len(f) < 2 || f[0] != "event" {
			t.Fatalf("sandbox %d: position %q", i+1, pos)
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			t.Fatalf("sandbox %d: position %q", i+1, pos)
		}
		return n
	}
	waitLive := func(i int) {
		st := poll(t, b, fmt.Sprintf(`(%s)[%d]`, frameStatesJS, i), pageTimeout, func(s string) bool { return s == "live" || s == "failed" })
		if st != "live" {
			t.Fatalf("sandbox %d: %q, want live", i+1, st)
		}
	}
	for i, e := range es {
		if got := at(i); got != e.Event || e.Event+3 >= e.Events {
			t.Fatalf("sandbox %d at event %d of %d, want %d and room for three steps", i+1, got, e.Events, e.Event)
		}
	}
	// 0: one click on step
	b.run(t, 10*time.Second, chromedp.Evaluate(frame(0)+`.querySelector('[data-action=step]').click()`, nil))
	waitLive(0)
	if got := at(0); got != es[0].Event+1 {
		t.Errorf("sandbox 1: a click on step went to event %d, want %d", got, es[0].Event+1)
	}
	// 1: → on a control of the sandbox (the focus there); the focus is on
	// the same control in the frame afterwards
	b.run(t, 10*time.Second, chromedp.Evaluate(`(() => { const c = `+frame(1)+`.querySelector('[data-action=step]'); c.focus(); c.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true, composed: true, cancelable: true})); })()`, nil))
	waitLive(1)
	if got := at(1); got != es[1].Event+1 {
		t.Errorf("sandbox 2: → went to event %d, want %d", got, es[1].Event+1)
	}
	var focused string
	b.run(t, 10*time.Second, chromedp.Evaluate(`(() => { const f = `+fmt.Sprintf(frameJS, 1)+`; return document.activeElement === f ? f.contentDocument.activeElement.getAttribute('data-action') || '' : 'not the frame'; })()`, &focused))
	if focused != "step" {
		t.Errorf("sandbox 2: the focus after → is on %q, want the frame's step button", focused)
	}
	// 2: three clicks before the engine is there
	b.run(t, 10*time.Second, chromedp.Evaluate(`(() => { const b = `+frame(2)+`.querySelector('[data-action=step]'); b.click(); b.click(); b.click(); })()`, nil))
	waitLive(2)
	if got := at(2); got != es[2].Event+3 {
		t.Errorf("sandbox 3: three clicks went to event %d, want %d", got, es[2].Event+3)
	}
	// 3: the step unit changed to "poll", then step: one poll further,
	// more than one event (and the unit stays what the reader chose)
	var unit string
	b.run(t, 10*time.Second, chromedp.Evaluate(`(() => { const s = `+frame(3)+`.querySelector('[data-change=unit]'); s.value = 'poll'; s.dispatchEvent(new Event('change', {bubbles: true})); `+frame(3)+`.querySelector('[data-action=step]').click(); return s.value; })()`, &unit))
	waitLive(3)
	var after string
	b.run(t, 10*time.Second, chromedp.Evaluate(frame(3)+`.querySelector('[data-change=unit]').value`, &after))
	if after != "poll" {
		t.Errorf("sandbox 4: the unit is %q after the engine took over, want poll", after)
	}
	if got := at(3); got <= es[3].Event {
		t.Errorf("sandbox 4: a poll step went to event %d, want past %d", got, es[3].Event)
	}
	// the others are still inline, with no frame
	var states []string
	b.run(t, 10*time.Second, chromedp.Evaluate(frameStatesJS, &states))
	for i := 4; i < len(states); i++ {
		if states[i] != "inline-shown" {
			t.Errorf("sandbox %d: %q, untouched, want inline-shown", i+1, states[i])
		}
	}
	// a pointer over an untouched sandbox leaves it inline
	last := len(es) - 1
	b.run(t, 10*time.Second, chromedp.Evaluate(frame(last)+`.querySelector('[data-action=step]').dispatchEvent(new PointerEvent('pointerover', {bubbles: true, composed: true}))`, nil))
	var warmState string
	b.run(t, 10*time.Second, chromedp.Evaluate(`(`+frameStatesJS+`)[`+strconv.Itoa(last)+`]`, &warmState))
	if warmState != "inline-shown" {
		t.Errorf("sandbox %d after a pointer over it: %q, want still inline-shown", last+1, warmState)
	}
	// one download and compile for the page: the page compiled the wasm
	// (as a pointer came near, or at the first use), every frame took its
	// module
	var fetches []int
	b.run(t, 10*time.Second, chromedp.Evaluate(`[performance.getEntriesByType('resource').filter(r => /\.wasm$/.test(r.name)).length].concat([...document.querySelectorAll('figure.sandbox iframe')].map(f => f.contentWindow.performance.getEntriesByType('resource').filter(r => /\.wasm$/.test(r.name)).length + (f.contentWindow.connlabSharedEngine ? 0 : 100)))`, &fetches))
	if len(fetches) != 5 || fetches[0] != 1 || slices.Max(fetches[1:]) != 0 {
		t.Errorf("wasm fetches, the page's then by frame (+100: not the shared module): %v, want the page's only", fetches)
	}
	b.run(t, 10*time.Second, chromedp.Evaluate(frame(last)+`.querySelector('[data-action=step]').click()`, nil))
	waitLive(last)
	if got := at(last); got != es[last].Event+1 {
		t.Errorf("sandbox %d: a click after warming went to event %d, want %d", last+1, got, es[last].Event+1)
	}
	// and a live sandbox keeps stepping
	b.run(t, 10*time.Second, chromedp.Evaluate(frame(0)+`.querySelector('[data-action=step]').click()`, nil))
	if got := at(0); got != es[0].Event+2 {
		t.Errorf("sandbox 1: a second click went to event %d, want %d", got, es[0].Event+2)
	}
	for _, pr := range b.takeProblems() {
		t.Errorf("browser: %s", pr)
	}
}

// TestPrerenderHostileInBrowser: a pre-rendered page whose data is hostile
// shows it as text, runs none of it, and the engine takes over from it.
func TestPrerenderHostileInBrowser(t *testing.T) {
	requireBrowser(t)
	s := builtSite(t)
	shell, err := s.appShell(distDir + "/index.html")
	if err != nil {
		t.Fatal(err)
	}
	e := *s.Embeds["state.html"][0]
	page, err := shell.sandboxPage(&e, hostilePrerender(t))
	if err != nil {
		t.Fatal(err)
	}
	// a frame that runs past the batch's end (which the generator would
	// refuse to write: the page is edited after)
	brokenAttr, err := jsonAttr("12:not a frame")
	if err != nil {
		t.Fatal(err)
	}
	batchAttr := regexp.MustCompile(`data-batch="[^"]*"`)
	if len(batchAttr.FindAll(page, -1)) != 1 {
		t.Fatal("the page has no single data-batch")
	}
	brokenPage := batchAttr.ReplaceAll(page, []byte(`data-batch="`+brokenAttr+`"`))
	short := *hostilePrerender(t)
	short.LogRows = 8 // fewer rows than the log's window shows
	shortPage, err := shell.sandboxPage(&e, &short)
	if err != nil {
		t.Fatal(err)
	}
	srv := docsServer(t, s, map[string][]byte{
		"embed/docs/short.html":   shortPage,
		"embed/docs/broken.html":  brokenPage,
		"docs/hostile.html":       []byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hostile</title><link rel="icon" href="data:,"></head><body><figure class="sandbox"><iframe src="../embed/docs/hostile" title="hostile" height="600"></iframe></figure></body></html>`),
		"embed/docs/hostile.html": page,
	})
	b := newBrowser(t)
	b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+"/docs/hostile.html"))
	poll(t, b, frameStatesJS, 30*time.Second, func(st []string) bool { return allEqual(st, "prerendered") })
	var got struct {
		Banner  string `json:"banner"`
		Scripts int    `json:"scripts"`
		Imgs    int    `json:"imgs"`
		Pwned   bool   `json:"pwned"`
	}
	const probe = `(() => { const w = document.querySelector('iframe').contentWindow, d = w.document;
	  return {banner: d.querySelector('[data-s~="banner"]').textContent, scripts: d.scripts.length,
	    imgs: d.querySelectorAll('#app img, #app [onerror]').length, pwned: !!(w.pwned || window.pwned)}; })()`
	b.run(t, 10*time.Second, chromedp.Evaluate(probe, &got))
	if !strings.Contains(got.Banner, `<script>window.pwned=1</script><img src=x onerror=`) {
		t.Errorf("the banner does not show the hostile name as text: %q", got.Banner)
	}
	if want := strings.Count(string(page), "<script"); got.Pwned || got.Imgs != 0 || got.Scripts != want {
		t.Errorf("hostile data became markup: pwned %v, %d img/[onerror], %d scripts (want the page's %d)", got.Pwned, got.Imgs, got.Scripts, want)
	}
	// the engine takes over from it, and shows the same banner
	b.run(t, 10*time.Second, chromedp.Evaluate(`document.querySelector('iframe').contentWindow.connlabWake()`, nil))
	poll(t, b, `(`+frameStatesJS+`)[0]`, pageTimeout, func(s string) bool { return s == "live" || s == "failed" })
	var live struct {
		Banner  string `json:"banner"`
		Scripts int    `json:"scripts"`
		Imgs    int    `json:"imgs"`
		Pwned   bool   `json:"pwned"`
	}
	b.run(t, 10*time.Second, chromedp.Evaluate(probe, &live))
	if live.Banner != got.Banner || live.Pwned || live.Imgs != 0 {
		t.Errorf("after the engine took over: %+v, pre-rendered %+v", live, got)
	}
	for _, pr := range b.takeProblems() {
		t.Errorf("browser: %s", pr)
	}
	// a pre-render that does not hold together says so, and the engine
	// shows the sandbox instead
	b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+"/embed/docs/broken"))
	if st := poll(t, b, `document.getElementById('app').getAttribute('data-engine') || ''`, pageTimeout, func(s string) bool { return s == "live" || s == "failed" }); st != "live" {
		t.Errorf("a broken pre-render: %q, want the engine live", st)
	}
	if pr := b.takeProblems(); len(pr) != 1 || !strings.Contains(pr[0], "cannot be shown") {
		t.Errorf("a broken pre-render reported %q, want one error saying it cannot be shown", pr)
	}
	// and one whose event log is short of rows for its window too
	b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+"/embed/docs/short"))
	if st := poll(t, b, `document.getElementById('app').getAttribute('data-engine') || ''`, pageTimeout, func(s string) bool { return s == "live" || s == "failed" }); st != "live" {
		t.Errorf("a pre-render short of log rows: %q, want the engine live", st)
	}
	if pr := b.takeProblems(); len(pr) != 1 || !strings.Contains(pr[0], "rows, its window needs") {
		t.Errorf("a pre-render short of log rows reported %q, want one error saying so", pr)
	}
}
