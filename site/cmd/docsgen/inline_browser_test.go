//go:build !js

package main

// The inline sandboxes in a real browser (inline.go, inline.js): shown
// without JavaScript, light and dark as the reader's setting says, hostile
// text as text, and a sandbox whose live page cannot load says why it
// cannot step.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/connlab/connlab/wasm/browser/headless"
)

// inlineFieldsJS reads, for every figure, its data-expect-* fields from
// its inline sandbox's shadow root: "hook want got" for each mismatch, and
// the count checked.
const inlineFieldsJS = `(() => {
  const bad = []; let n = 0;
  for (const f of document.querySelectorAll('figure.sandbox')) {
    const h = f.querySelector('.sandbox-inline'), r = h && h.shadowRoot;
    if (!r || !r.getElementById('app')) { bad.push(f.id + ': no inline sandbox'); continue; }
    for (const a of f.attributes) {
      if (!a.name.startsWith('data-expect-')) continue;
      const hook = a.name.slice('data-expect-'.length), el = r.querySelector('[data-field="' + hook + '"]');
      const got = el ? el.textContent.trim().replace(/\s+/g, ' ') : '(none)';
      n++;
      if (!got.startsWith(a.value)) bad.push(f.id + ' ' + hook + ': ' + JSON.stringify(got) + ', want ' + JSON.stringify(a.value));
    }
    const pos = r.querySelector('[data-s~="pos"]');
    n++;
    if (!pos || !pos.textContent.trim().startsWith('event ' + f.dataset.event + ' ')) bad.push(f.id + ' pos: ' + (pos ? pos.textContent.trim() : '(none)'));
  }
  return {bad, n};
})()`

type inlineFields struct {
	Bad []string `json:"bad"`
	N   int      `json:"n"`
}

// TestInlineWithoutJS: with scripts off, every sandbox of a page still
// shows its step (the build applied the engine's render), and the page
// says why it cannot step.
func TestInlineWithoutJS(t *testing.T) {
	requireBrowser(t)
	s := builtSite(t)
	srv := docsServer(t, s, nil)
	b := newBrowser(t)
	b.run(t, 10*time.Second, emulation.SetScriptExecutionDisabled(true))
	b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+"/docs/state.html"))
	var got inlineFields
	b.run(t, 10*time.Second, emulation.SetScriptExecutionDisabled(false))
	// (read with scripts back on: the page was parsed and shown without)
	var ran bool
	b.run(t, 10*time.Second, chromedp.Evaluate(`typeof window.connlabInline === 'function'`, &ran))
	if ran {
		t.Fatal("the page's script ran with scripts off")
	}
	b.run(t, 10*time.Second, chromedp.Evaluate(inlineFieldsJS, &got))
	if len(got.Bad) > 0 || got.N < 5*5 {
		t.Errorf("without JavaScript, %d fields checked, wrong: %v", got.N, got.Bad)
	}
	var notes []string
	b.run(t, 10*time.Second, chromedp.Evaluate(`[...document.querySelectorAll('figure.sandbox')].map(f => [...f.querySelectorAll('.sandbox-why')].filter(p => p.getClientRects().length).map(p => p.textContent).join(' '))`, &notes))
	if len(notes) != len(s.Embeds["state.html"]) {
		t.Fatalf("%d notes for %d sandboxes", len(notes), len(s.Embeds["state.html"]))
	}
	for i, n := range notes {
		if !strings.Contains(n, "needs JavaScript") {
			t.Errorf("sandbox %d without JavaScript says %q, want why it cannot step", i+1, n)
		}
	}
}

// TestInlineTheme: the inline sandboxes follow the reader's light or dark
// setting, as the page around them does.
func TestInlineTheme(t *testing.T) {
	requireBrowser(t)
	s := builtSite(t)
	srv := docsServer(t, s, nil)
	b := newBrowser(t)
	const lumJS = `[document.body, ...[...document.querySelectorAll('.sandbox-inline')].map(h => h.shadowRoot.querySelector('.panel'))].map(el => {
  const m = getComputedStyle(el).backgroundColor.match(/[\d.]+/g);
  return (0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]) / 255;
})`
	for _, dark := range []bool{false, true} {
		scheme := map[bool]string{false: "light", true: "dark"}[dark]
		b.run(t, 10*time.Second, emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}))
		b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+"/docs/state.html"))
		poll(t, b, frameStatesJS, 30*time.Second, func(st []string) bool { return allEqual(st, "inline-shown") })
		var lum []float64
		b.run(t, 10*time.Second, chromedp.Evaluate(lumJS, &lum))
		if len(lum) != 1+len(s.Embeds["state.html"]) {
			t.Fatalf("%s: %d backgrounds", scheme, len(lum))
		}
		for i, l := range lum {
			if (l < 0.4) != dark {
				t.Errorf("%s: background %d (0: the page, then each sandbox's first panel) has luminance %.2f", scheme, i, l)
			}
		}
	}
	for _, pr := range b.takeProblems() {
		t.Errorf("browser: %s", pr)
	}
}

// TestInlineHostileInBrowser: an inline sandbox whose render quotes
// hostile text shows it as text and runs none of it; and one whose live
// page is missing keeps its state and says why it cannot step.
func TestInlineHostileInBrowser(t *testing.T) {
	requireBrowser(t)
	s := builtSite(t)
	shell, e, in := hostileInline(t, s, distDir+"/index.html")
	host := strings.Replace(e.inlineHost("hostile"), inlineMarker, in, 1)
	// its live page is not there
	host = strings.Replace(host, `data-sandbox="`, `data-sandbox="../embed/docs/gone-`, 1)
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hostile</title><link rel="icon" href="data:,"></head><body><main><figure class="sandbox">` + host +
		`</figure></main><script src="` + s.InlineJS + `" data-wasm="../` + shell.wasm + `"></script></body></html>`
	srv := docsServer(t, s, map[string][]byte{"docs/hostile.html": []byte(page)})
	b := newBrowser(t)
	b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+"/docs/hostile.html"))
	poll(t, b, frameStatesJS, 30*time.Second, func(st []string) bool { return allEqual(st, "inline-shown") })
	var got struct {
		Banner string `json:"banner"`
		Imgs   int    `json:"imgs"`
		Pwned  bool   `json:"pwned"`
	}
	const probe = `(() => { const r = document.querySelector('.sandbox-inline').shadowRoot;
	  return {banner: r.querySelector('[data-s~="banner"]').textContent, imgs: r.querySelectorAll('script, img, [onerror]').length, pwned: !!window.pwned}; })()`
	b.run(t, 10*time.Second, chromedp.Evaluate(probe, &got))
	if !strings.Contains(got.Banner, `<script>window.pwned=1</script><img src=x onerror=`) {
		t.Errorf("the banner does not show the hostile name as text: %q", got.Banner)
	}
	if got.Pwned || got.Imgs != 0 {
		t.Errorf("hostile data became markup: pwned %v, %d script/img/[onerror]", got.Pwned, got.Imgs)
	}
	// a click on step: the live page does not load; the sandbox stays,
	// with its state, and says why
	b.run(t, 10*time.Second, chromedp.Evaluate(`document.querySelector('.sandbox-inline').shadowRoot.querySelector('[data-action=step]').click()`, nil))
	st := poll(t, b, `(`+frameStatesJS+`)[0]`, 30*time.Second, func(s string) bool { return s == "failed" })
	var why string
	b.run(t, 10*time.Second, chromedp.Evaluate(`(() => { const p = document.querySelector('[data-why]'); return p.hidden ? '' : p.textContent; })()`, &why))
	if st != "failed" || !strings.Contains(why, "cannot step") || !strings.Contains(why, "did not load") {
		t.Errorf("a sandbox whose live page is gone: %q, says %q", st, why)
	}
	var frames int
	b.run(t, 10*time.Second, chromedp.Evaluate(`document.querySelectorAll('iframe').length`, &frames))
	if frames != 0 {
		t.Errorf("%d frames left on the page", frames)
	}
	b.takeProblems() // the missing page's 404
}

// panelBoxesJS is where sandbox i's panels sit, top to bottom, relative
// to its app: each shown panel's name, left and width.
const panelBoxesJS = `(() => {
  const d = ` + sandboxDocJS + `, app = d.getElementById('app').getBoundingClientRect();
  return [...d.querySelectorAll('.layout .panel')].filter(e => e.getClientRects().length && !e.closest('.state-grid .panel, .split .panel'))
    .map(e => ({n: e.getAttribute('data-panel') || e.className, r: e.getBoundingClientRect()}))
    .sort((a, b) => a.r.top - b.r.top || a.r.left - b.r.left)
    .map(x => x.n + ' ' + Math.round(x.r.left - app.left) + '+' + Math.round(x.r.width));
})()`

// TestInlineLaysOutAsItsFrame: on a screen wider than the app's own
// breakpoints, an inline sandbox lays its panels out as its frame does
// when it takes over (the layout follows the app's width, not the
// window's): the reader's sandbox does not rearrange under the pointer.
func TestInlineLaysOutAsItsFrame(t *testing.T) {
	requireBrowser(t)
	s := builtSite(t)
	srv := docsServer(t, s, nil)
	ctx := headless.Start(t, 1600, 1000)
	b := &browser{t: t, ctx: ctx}
	if err := chromedp.Run(ctx); err != nil {
		t.Fatal(err)
	}
	b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+"/docs/state.html"))
	poll(t, b, frameStatesJS, 30*time.Second, func(st []string) bool { return allEqual(st, "inline-shown") })
	var inline, frame []string
	b.run(t, 10*time.Second, chromedp.Evaluate(fmt.Sprintf(panelBoxesJS, 0), &inline))
	// step and back: the frame shows the same event the inline copy did
	b.run(t, 10*time.Second, chromedp.Evaluate(fmt.Sprintf(sandboxDocJS, 0)+`.querySelector('[data-action=step]').click()`, nil))
	if st := poll(t, b, `(`+frameStatesJS+`)[0]`, pageTimeout, func(s string) bool { return s == "live" || s == "failed" }); st != "live" {
		t.Fatalf("sandbox 1: %q, want live", st)
	}
	b.run(t, 10*time.Second, chromedp.Evaluate(fmt.Sprintf(sandboxDocJS, 0)+`.querySelector('[data-action=step-back]').click()`, nil))
	b.run(t, 10*time.Second, chromedp.Evaluate(fmt.Sprintf(panelBoxesJS, 0), &frame))
	if len(inline) < 4 || strings.Join(inline, "\n") != strings.Join(frame, "\n") {
		t.Errorf("the panels, inline:\n%s\nand in the frame that took over:\n%s", strings.Join(inline, "\n"), strings.Join(frame, "\n"))
	}
}
