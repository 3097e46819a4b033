//go:build !js

package browser

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/timeline"
)

// The tools of issue 16, item 9: the event log's filter, Run to
// backwards, Export as a Go test, and the help's step units and
// breakpoint reference.

// scenarioTimeline is a library scenario's timeline, as the page loads it.
func scenarioTimeline(t *testing.T, name string) *timeline.Timeline {
	t.Helper()
	sc, ok := scenarios.Lookup(name)
	if !ok {
		t.Fatalf("no scenario %s", name)
	}
	f, err := sc.File()
	if err != nil {
		t.Fatal(err)
	}
	tl, err := timeline.New(f)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

// listedSeqs is the event log's rows, by event number.
func (b *browser) listedSeqs() []int {
	var s string
	b.eval(`Array.prototype.map.call(document.querySelectorAll('.log-rows .ev'), function(e){return e.getAttribute('data-seq')}).join(' ')`, &s)
	var out []int
	for _, f := range strings.Fields(s) {
		n, _ := strconv.Atoi(f)
		out = append(out, n)
	}
	return out
}

// TestBrowserLogFilter: typing in the filter narrows the log live, by
// kind, function and text together; the person's text stays text; a
// click and ↓ / ↑ in the log travel between the listed events.
func TestBrowserLogFilter(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/?scenario=keep-alive&step=0")
	tl := scenarioTimeline(t, "keep-alive")
	n := tl.Len()

	// the kind menu and the function field together
	b.eval(`(function(){var s=document.querySelector('[data-filter=kind]'); s.value='transition'; s.dispatchEvent(new Event('change',{bubbles:true})); return true})()`, new(bool))
	b.typeInto(`[data-filter=func]`, "State::idle")
	var want []int
	for i := 0; i < n; i++ {
		e := tl.Event(i)
		path := strings.ToLower(tl.SpanString(e.Span) + " " + e.Name + " " + e.Ref)
		if e.Kind.String() == "transition" && strings.Contains(path, "state::idle") {
			want = append(want, i)
		}
	}
	if len(want) == 0 || len(want) == n {
		t.Fatalf("the scenario has %d matching events of %d: pick another filter", len(want), n)
	}
	got := b.listedSeqs()
	if intsText(got) != intsText(want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	if c := b.text(`[data-s~=log-count]`); c != strconv.Itoa(len(want))+" of "+strconv.Itoa(n)+" events" {
		t.Errorf("count %q", c)
	}
	b.screenshot("log-filter.png")

	// ↓ in the log goes to the first listed event, then the next
	b.focus(`[data-s~=log]`)
	b.press(kb.ArrowDown)
	if s := b.step(); s != want[0] {
		t.Errorf("↓ in the filtered log: event %d, want %d", s, want[0])
	}
	var cur string
	b.eval(`(document.querySelector('.log-rows .ev.cur')||{}).getAttribute ? document.querySelector('.log-rows .ev.cur').getAttribute('data-seq') : ''`, &cur)
	if cur != strconv.Itoa(want[0]) {
		t.Errorf("current row %q, want %d", cur, want[0])
	}
	if len(want) > 1 {
		b.press(kb.ArrowDown)
		if s := b.step(); s != want[1] {
			t.Errorf("↓↓: event %d, want %d", s, want[1])
		}
		b.press(kb.ArrowUp)
		if s := b.step(); s != want[0] {
			t.Errorf("↑: event %d, want %d", s, want[0])
		}
	}
	// → still steps over every event, and the log marks none current
	b.press(kb.ArrowRight)
	if s := b.step(); s != want[0]+1 {
		t.Errorf("→ with a filter: event %d, want %d", s, want[0]+1)
	}
	// a click on a listed row travels there
	last := want[len(want)-1]
	b.click(`.log-rows .ev[data-seq="` + strconv.Itoa(last) + `"]`)
	if s := b.step(); s != last {
		t.Errorf("click: event %d, want %d", s, last)
	}

	// / takes the keyboard to the text filter
	b.focus(`[data-s~=log]`)
	b.press("/")
	if a := b.active(); a != "input" {
		t.Errorf("/ focused %s, want the text filter", a)
	}
	var isText bool
	b.eval(`document.activeElement === document.querySelector('[data-filter=text]')`, &isText)
	if !isText {
		t.Errorf("/ did not focus the text filter")
	}
	b.press(kb.Escape)
	// the text field, live: markup typed there matches nothing and stays text
	b.eval(`(function(){var s=document.querySelector('[data-filter=kind]'); s.value=''; s.dispatchEvent(new Event('change',{bubbles:true})); return true})()`, new(bool))
	b.setField(`[data-filter=func]`, "")
	hostile := `<img src=x onerror=alert(1)>`
	b.typeInto(`[data-filter=text]`, hostile)
	if c := b.text(`[data-s~=log-count]`); c != "0 of "+strconv.Itoa(n)+" events" {
		t.Errorf("hostile filter: count %q", c)
	}
	var imgs int
	b.eval(`document.querySelectorAll('#app img').length`, &imgs)
	if imgs != 0 {
		t.Errorf("the filter's text became markup: %d img", imgs)
	}
	b.noDialog()
	// clearing it lists every event again
	b.setField(`[data-filter=text]`, "")
	if c := b.text(`[data-s~=log-count]`); c != strconv.Itoa(n)+" events" {
		t.Errorf("cleared: count %q", c)
	}
	// live as you type: one key at a time narrows the list
	b.typeInto(`[data-filter=text]`, "keep_aliv")
	k1 := len(b.listedSeqs())
	b.run(chromedp.SendKeys(`[data-filter=text]`, "e: Busy", chromedp.ByQuery))
	if k2 := len(b.listedSeqs()); k2 == 0 || k2 >= k1 {
		t.Errorf("typing more did not narrow the log: %d then %d rows", k1, k2)
	}
}

// setField sets a text field's value as an edit would (an input event).
func (b *browser) setField(sel, v string) {
	b.t.Helper()
	b.eval(`(function(){var e=document.querySelector(`+jsonString(sel)+`); e.value=`+jsonString(v)+`; e.dispatchEvent(new Event('input',{bubbles:true})); return true})()`, new(bool))
}

func intsText(a []int) string {
	var s []string
	for _, v := range a {
		s = append(s, strconv.Itoa(v))
	}
	return strings.Join(s, " ")
}

// TestBrowserRunBackTo: ◀ Back to and Shift+Enter run the breakpoint
// backwards to the last event before the cursor where it holds.
func TestBrowserRunBackTo(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/?scenario=keep-alive&step=0")
	tl := scenarioTimeline(t, "keep-alive")
	const expr = "kind == io && n > 0"
	end := tl.Len() - 1
	w1, err := tl.FindBack(expr, end)
	if err != nil || w1 < 0 {
		t.Fatalf("FindBack: %d %v", w1, err)
	}
	w2, _ := tl.FindBack(expr, w1)
	if w2 < 0 {
		t.Fatal("the scenario has one io event: pick another")
	}
	b.key("End", false)
	if s := b.step(); s != end {
		t.Fatalf("End: event %d", s)
	}
	b.typeInto(`#bp`, expr)
	b.click(`[data-action=run-back-to]`)
	if s := b.step(); s != w1 {
		t.Errorf("◀ Back to: event %d, want %d", s, w1)
	}
	if m := b.text(`[data-s~=bp-error]`); m != "stopped at event "+strconv.Itoa(w1) {
		t.Errorf("message %q", m)
	}
	b.focus(`#bp`)
	b.run(chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(input.ModifierShift)))
	time.Sleep(100 * time.Millisecond)
	if s := b.step(); s != w2 {
		t.Errorf("Shift+Enter: event %d, want %d", s, w2)
	}
	// and forward again with Enter
	b.press(kb.Enter)
	if s := b.step(); s != w1 {
		t.Errorf("Enter: event %d, want %d", s, w1)
	}
	// nothing before the first hit: the cursor stays and the message says so
	first, _ := tl.Find(expr, -1)
	b.eval(`(function(){var r=document.querySelector('[data-input=scrub]'); r.value='`+strconv.Itoa(first)+`'; r.dispatchEvent(new Event('input',{bubbles:true})); return true})()`, new(bool))
	b.click(`[data-action=run-back-to]`)
	if s := b.step(); s != first {
		t.Errorf("no earlier hit: cursor moved to %d, want it to stay at %d", s, first)
	}
	if m := b.text(`[data-s~=bp-error]`); m != "not hit before this event" {
		t.Errorf("no earlier hit: message %q", m)
	}
}

// TestBrowserExport: Export downloads the session as a Go test, the same
// bytes `connlab export --go --name SCENARIO` writes, as
// replay_SCENARIO_test.go.
func TestBrowserExport(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	dir := t.TempDir()
	b.run(cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dir).WithEventsEnabled(true))
	b.open("/?scenario=keep-alive&step=5")
	b.click(`[data-action=export]`)
	const file = "replay_keep_alive_test.go"
	var got []byte
	deadline := time.Now().Add(15 * time.Second)
	for {
		var err error
		if got, err = os.ReadFile(filepath.Join(dir, file)); err == nil && len(got) > 0 {
			break
		}
		if time.Now().After(deadline) {
			ents, _ := os.ReadDir(dir)
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			t.Fatalf("no %s downloaded (the folder holds %v)", file, names)
		}
		time.Sleep(100 * time.Millisecond)
	}
	tl := scenarioTimeline(t, "keep-alive")
	want, err := timeline.ExportGoTest(tl.File(), "keep-alive")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("the download differs from connlab export --go (%d bytes, want %d):\n%.400s", len(got), len(want), got)
	}
	if !strings.Contains(string(got), "func TestReplayKeepAlive(t *testing.T)") {
		t.Errorf("no TestReplayKeepAlive in the download")
	}
	if m := b.text(`[data-s~=banner]`); !strings.Contains(m, "Downloaded "+file) {
		t.Errorf("banner %q", m)
	}
}

// TestBrowserHelpReference: the help dialog explains the five step units
// and the breakpoint language (wasm/ui's TestHelpListsTheBreakpointLanguage
// checks it against the parser), shows them in the page, and keeps the
// dialogs' focus rules.
func TestBrowserHelpReference(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/?scenario=keep-alive&step=3")
	b.focus(`[data-action=help]`)
	b.press(kb.Enter)
	b.waitFor(`document.getElementById('app').getAttribute('data-overlay') === 'help'`, 5*time.Second)
	if a := b.active(); !strings.HasSuffix(a, " in help") {
		t.Errorf("help open: focus on %s", a)
	}
	var units, visible int
	b.eval(`document.querySelectorAll('[data-for=help] [data-help=units] tr').length`, &units)
	if units != 5 {
		t.Errorf("%d step units explained, want 5", units)
	}
	b.eval(`document.querySelector('[data-for=help] [data-help=breakpoints]').getClientRects().length`, &visible)
	if visible == 0 {
		t.Errorf("the breakpoint reference is not shown")
	}
	for i := 0; i < 60; i++ {
		b.run(chromedp.KeyEvent(kb.Tab))
	}
	if a := b.active(); !strings.HasSuffix(a, " in help") {
		t.Errorf("after 60 Tabs focus is on %s, outside the help", a)
	}
	b.screenshot("help-reference.png")
	b.press(kb.Escape)
	b.waitFor(`!document.getElementById('app').getAttribute('data-overlay')`, 5*time.Second)
	if a := b.active(); a != "button[data-action=help]" {
		t.Errorf("help closed: focus on %s, want the help button", a)
	}
}

// TestBrowserToolsScreens: the tools at desktop and phone width, light
// and dark, for a person to look at (screenshots/tools-*.png); nothing in
// the header or the filter row overflows.
func TestBrowserToolsScreens(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	for _, c := range []struct {
		name, scheme string
		w, h         int
	}{{"desktop-light", "light", 1440, 1000}, {"desktop-dark", "dark", 1440, 1000}, {"phone-light", "light", 390, 844}, {"phone-dark", "dark", 390, 844}} {
		b.colorScheme(c.scheme)
		b.viewport(c.w, c.h)
		b.open("/?scenario=keep-alive&step=20")
		b.typeInto(`[data-filter=func]`, "poll_read")
		var over string
		b.eval(`(function(){var out=[]; document.querySelectorAll('.log-filter > *, header.top > *, .bp-row > *').forEach(function(e){var r=e.getBoundingClientRect(); if(r.width && (r.right > document.documentElement.clientWidth + 0.5 || r.left < -0.5)) out.push(e.outerHTML.slice(0,60))}); return out.join('\n')})()`, &over)
		if over != "" {
			t.Errorf("%s: past the window's edge:\n%s", c.name, over)
		}
		b.screenshot("tools-" + c.name + ".png")
		b.elementShot(`[data-panel=diagram]`, "tools-diagram-"+c.name+".png")
		b.scrollTo(`.log-panel`)
		b.viewShot("tools-log-" + c.name + ".png")
		b.key("?", false)
		b.viewShot("tools-help-" + c.name + ".png")
		b.key("Escape", false)
	}
}

// scrollTo scrolls the page so sel is at the top of the window.
func (b *browser) scrollTo(sel string) {
	b.t.Helper()
	b.eval(`(function(){var e=document.querySelector(`+jsonString(sel)+`); if(e) e.scrollIntoView(); return true})()`, new(bool))
}

// viewShot saves what the window shows (not the whole page).
func (b *browser) viewShot(name string) {
	b.t.Helper()
	var buf []byte
	b.run(chromedp.CaptureScreenshot(&buf))
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	p := filepath.Join(screenshotDir, name)
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", p)
}

// elementShot saves one element, at twice the pixels (the diagram's
// labels are small).
func (b *browser) elementShot(sel, name string) {
	b.t.Helper()
	var buf []byte
	b.run(chromedp.ScreenshotScale(sel, 2, &buf, chromedp.ByQuery))
	if err := os.WriteFile(filepath.Join(screenshotDir, name), buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", filepath.Join(screenshotDir, name))
}
