//go:build !js

package browser

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/site/api"
	"github.com/connlab/connlab/wasm/ui"
)

// Issue 14: no markup from data, ever. A link's values (a permalink's
// draft and breakpoint, the query's scenario, step, theme) reach the page
// as text; the Go→JS batch cannot be forged by them; a bad value is a
// banner naming the field, and the page still becomes ready.

const (
	// refresh would navigate away; img and the marker would be elements
	// the page did not build
	evilRefresh = `<meta http-equiv=refresh content="0;url=https://example.invalid">`
	evilImg     = `<img src=x onerror="document.body.setAttribute('data-pwned','1')" data-evil=1>`
	// the old batch's separators: "<RS>0<US>false" set slot 0 (data-ready)
	// to false, and "<RS>7<US>…" wrote markup into the banner (an html slot)
	evilSep = "x\x1e0\x1ffalse\x1e7\x1f" + evilRefresh + evilImg
)

// foreignJS counts what the page must not hold after a hostile link:
// elements it never builds, the marker attribute, a run onerror.
const foreignJS = `document.querySelectorAll('meta[http-equiv], [data-evil], img[src="x"], iframe, object, embed, base, script:not([src])').length + (document.body.hasAttribute('data-pwned') ? 100 : 0)`

// TestBrowserHostileLinks opens malicious links on the real routes (the
// site as site/api serves it, /embed included) and checks the page.
func TestBrowserHostileLinks(t *testing.T) {
	requireBrowser(t)
	b := newBrowserWith(t, api.Static(os.DirFS(distDir)))

	demo, _ := json.Marshal(session.Demo())
	frag, err := ui.EncodeFragment(&ui.Share{Session: demo, Cursor: 3, Draft: evilSep, BP: evilSep, Scenario: evilSep, Unit: evilSep})
	if err != nil {
		t.Fatal(err)
	}
	cursorFrag, err := ui.EncodeFragment(&ui.Share{Session: demo, Cursor: 999999, Draft: evilImg})
	if err != nil {
		t.Fatal(err)
	}
	q := url.QueryEscape
	for _, c := range []struct {
		name, path string
		fields     []string // each must be named in the banner
		embed      bool
	}{
		{"permalink", "/#" + frag, []string{`link: unknown scenario "x\x1e0\x1ffalse`, `link: unknown unit "x\x1e0`}, false},
		{"permalink-cursor", "/#" + cursorFrag, []string{`link: cursor "999999"`}, false},
		{"scenario-separators", "/?scenario=x%1E0%1Ffalse", []string{`link: unknown scenario "x\x1e0\x1ffalse"`}, false},
		{"scenario-markup", "/?scenario=" + q(evilImg), []string{`link: unknown scenario "<img src=x onerror=`}, false},
		{"embed", "/embed?embed=1&scenario=" + q(evilSep) + "&step=" + q(evilSep) + "&theme=" + q(evilRefresh),
			[]string{`link: unknown scenario "x\x1e0`, `link: unknown theme "<meta http-equiv=refresh`}, true},
		{"embed-step", "/embed?embed=1&scenario=keep-alive&step=" + q(evilSep) + "&theme=" + q("dark\x1e0\x1ffalse"),
			[]string{`link: step "x\x1e0\x1ffalse`, `link: unknown theme "dark\x1e0\x1ffalse"`}, true},
		{"embed-draft", "/embed?embed=1#" + frag, []string{`link: unknown scenario "x\x1e0`}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			b.t = t
			// a fresh document each time: a hash-only change would not reload
			b.run(chromedp.Navigate("about:blank"))
			b.open(c.path)
			var href string
			b.eval(`location.href`, &href)
			if b.bannerHidden() {
				t.Fatalf("no banner for %s", c.path)
			}
			banner := b.text(`[data-s~="banner"]`)
			for _, f := range c.fields {
				if !strings.Contains(banner, f) {
					t.Errorf("banner %q does not name %q", banner, f)
				}
			}
			var kind string
			b.eval(`document.querySelector('[data-s~="banner-box"]').className`, &kind)
			if kind != "banner" {
				t.Errorf("banner class %q, want an error banner", kind)
			}
			var embed string
			b.eval(`document.getElementById('app').getAttribute('data-embed') || ''`, &embed)
			if (embed == "1") != c.embed {
				t.Errorf("data-embed %q, want embed %v", embed, c.embed)
			}
			// wait for a refresh or an onerror to happen, if one could
			time.Sleep(700 * time.Millisecond)
			var n int
			b.eval(foreignJS, &n)
			if n != 0 {
				var html string
				b.eval(`document.body.innerHTML.slice(0, 3000)`, &html)
				t.Errorf("the link put %d foreign elements (or ran code) into the page: %s", n, html)
			}
			var now string
			b.eval(`location.href`, &now)
			if now != href || !strings.HasPrefix(now, b.base) {
				t.Errorf("the page navigated: %s -> %s", href, now)
			}
			var ready string
			b.eval(`document.getElementById('app').getAttribute('data-ready')`, &ready)
			if ready != "true" {
				t.Errorf("data-ready %q after the link", ready)
			}
			// the draft and breakpoint hold the link's text as text
			if strings.HasPrefix(c.name, "permalink") && c.name == "permalink" {
				var vals struct{ Draft, BP string }
				b.eval(`({Draft: document.querySelector('`+rawInput+`').value, BP: document.querySelector('[data-s~="bp"]').value})`, &vals)
				if vals.Draft != evilSep || vals.BP != evilSep {
					t.Errorf("draft %q, bp %q; want the link's text %q", vals.Draft, vals.BP, evilSep)
				}
			}
			// the page works: it steps
			if !c.embed || c.name == "embed-step" {
				before := b.pos()
				b.click("[data-action=step]")
				if after := b.pos(); after.cur != before.cur+1 && before.cur != before.last {
					t.Errorf("after the link the page does not step: %v -> %v", before, after)
				}
			}
			b.noDialog()
		})
	}
	b.t = t

	// how the banner reads: desktop and phone, light and dark
	b.open("/?scenario=" + q(evilImg) + "&theme=" + q("x\x1e0\x1ffalse"))
	for _, v := range []struct {
		name string
		w, h int
	}{{"desktop", 1440, 1000}, {"phone", 390, 844}} {
		b.viewport(v.w, v.h)
		for _, scheme := range []string{"light", "dark"} {
			b.colorScheme(scheme)
			b.screenshot("banner-" + v.name + "-" + scheme + ".png")
		}
	}
	b.colorScheme("light")
	b.viewport(1440, 1000)
}

// TestBrowserFramesMatchGo runs the page's own decoder (connlab.frames)
// and apply on batches of hostile strings made by the Go renderer, and
// compares with the Go mirror (ui.DecodeFrames) the fuzz test decodes
// with: the two must agree on every string.
func TestBrowserFramesMatchGo(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/")
	strs := []string{"", "a", evilSep, evilRefresh, evilImg, "\x1e", "\x1f", "nul\x00byte", "bad \xff\xfe \xc3 \xed\xa0\x80 end",
		"astral \U0001F600\U00010348 \u2028\u2029 é", "5:hello3:a:b", "999999999999:x", strings.Repeat("\U0001F600\x1e", 300)}
	var r ui.Renderer
	for i, s := range strs {
		// a text slot, an input's value and an html slot (whose markup
		// would come escaped from the Go side; here the raw string must
		// still arrive as one value, unchanged)
		r.Set(ui.SlotScName, s+fmt.Sprint(i))
		r.Set(ui.SlotDraft, s)
		r.Set(ui.SlotBanner, s)
		r.Set(ui.SlotBannerDetail, s+"!")
		batch, _ := r.Flush()
		want, err := ui.DecodeFrames(batch)
		if err != nil {
			t.Fatalf("%q: the Go mirror: %v", s, err)
		}
		var got []string
		b.eval(`connlab.frames(`+jsonString(batch)+`)`, &got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: connlab.frames gives %q, the Go mirror %q", s, got, want)
		}
		// and apply puts each value where it belongs, as text
		var shown struct{ Name, Draft, Banner, Detail string }
		b.eval(`(connlab.apply(`+jsonString(batch)+`), {Name: document.querySelector('[data-s~="sc-name"]').textContent,
			Draft: document.querySelector('`+rawInput+`').value,
			Banner: document.querySelector('[data-s~="banner"]').textContent,
			Detail: document.querySelector('[data-s~="banner-detail"]').textContent})`, &shown)
		w := ui.JSText(s)
		// (a textarea's value normalises CR LF and CR to LF)
		wantDraft := strings.ReplaceAll(strings.ReplaceAll(w, "\r\n", "\n"), "\r", "\n")
		if shown.Name != w+fmt.Sprint(i) || shown.Draft != wantDraft || shown.Banner != w || shown.Detail != w+"!" {
			t.Errorf("%q: apply shows name %q, draft %q, banner %q, detail %q", s, shown.Name, shown.Draft, shown.Banner, shown.Detail)
		}
		var n int
		b.eval(foreignJS, &n)
		if n != 0 {
			t.Errorf("%q: apply created %d foreign elements", s, n)
		}
	}
	// a malformed batch is refused, not guessed at
	for _, bad := range []string{"x", "3:ab", "1:", ":", "2:1x1:a", "1:1"} {
		var msg string
		b.eval(`(function(){ try { connlab.apply(`+jsonString(bad)+`); return "applied" } catch (e) { return String(e.message) } })()`, &msg)
		if _, goErr := ui.DecodeFrames(bad); msg == "applied" || (goErr == nil && !strings.Contains(msg, "frames") && !strings.Contains(msg, "slot")) {
			t.Errorf("apply(%q): %s (Go mirror: %v)", bad, msg, goErr)
		}
	}
	b.noDialog()
}
