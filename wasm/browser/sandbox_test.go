//go:build !js

package browser

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/wasm/ui"
)

const rawInput = "textarea[data-role=raw-input]"

// TestBrowserLoads: the page loads, becomes ready with the default
// scenario, binds every slot, shows no error, and looks right in light and
// dark.
func TestBrowserLoads(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/")
	var missing string
	b.eval(`window.connlabMissingSlots`, &missing)
	if missing != "" {
		t.Errorf("slots missing from index.html: %s", missing)
	}
	// the panels were moved out of their loading-time template
	var tmpl bool
	b.eval(`document.getElementById('panels') !== null || document.querySelector('template') !== null`, &tmpl)
	if tmpl {
		t.Errorf("the panels' template is still in the page after ready")
	}
	// the wasm is downloaded once, by the head's preload: it starts before
	// boot.js has arrived, and boot.js's compileStreaming takes its response
	var wasm []string
	b.eval(`performance.getEntriesByType('resource').filter(r => /\.wasm([?#]|$)/.test(r.name)).map(r => r.initiatorType)`, &wasm)
	if len(wasm) != 1 || wasm[0] != "link" {
		t.Errorf("the wasm's downloads, by initiator: %v; want one, the preload's (link)", wasm)
	}
	if got := b.text("[data-field=reading]"); !strings.HasPrefix(got, "Init") {
		t.Errorf("reading = %q, want Init…", got)
	}
	if got := b.text("[data-field=step]"); got == "" || got[0] < '0' || got[0] > '9' {
		t.Errorf("step field = %q, want a number first", got)
	}
	for _, p := range []string{"conn", "dispatcher", "dispatch-queue", "upgrade", "wire-in", "wire-out", "events"} {
		var n int
		b.eval(fmt.Sprintf(`document.querySelectorAll('[data-panel=%s]').length`, p), &n)
		if n != 1 {
			t.Errorf("panel %s: %d elements, want 1", p, n)
		}
	}
	for _, a := range []string{"send", "step", "step-call", "step-back", "run", "reset"} {
		var n int
		b.eval(fmt.Sprintf(`document.querySelectorAll('button[data-action=%s]').length`, a), &n)
		if n != 1 {
			t.Errorf("button %s: %d elements, want 1", a, n)
		}
	}
	if !b.bannerHidden() {
		t.Errorf("banner shown on a clean load: %q", b.text(`[data-s~="banner"]`))
	}
	if got := b.text(`[data-s~="sc-name"]`); !strings.Contains(got, "ipelin") {
		t.Errorf("default scenario = %q, want the pipelining one", got)
	}
	var rows int
	b.eval(`document.querySelectorAll('[data-panel=events] .ev').length`, &rows)
	if rows < 10 || rows > 120 {
		t.Errorf("event log renders %d rows; want only the visible ones (10..120)", rows)
	}
	// The panels are not laid out while the engine loads, so the log's
	// window is sized again in the first frame after ready: it must cover
	// the panel it got (plus a few rows of overscan), without rendering
	// the whole log.
	b.waitFor(`window.connlabFirstFrameAt > 0`, 5*time.Second)
	var fit struct{ Rows, Visible, Events int }
	b.eval(`(function(){
		var log = document.querySelector('[data-s~="log"]');
		return {Rows: document.querySelectorAll('[data-panel=events] .ev').length,
			Visible: Math.ceil(log.clientHeight / 20),
			Events: parseInt(document.querySelector('[data-s~="log-count"]').textContent)};
	})()`, &fit)
	if fit.Visible < 10 || fit.Rows < min(fit.Visible, fit.Events) || fit.Rows > fit.Visible+10 {
		t.Errorf("after the first frame the log renders %d rows for a panel %d rows high (%d events)", fit.Rows, fit.Visible, fit.Events)
	}
	b.colorScheme("light")
	b.screenshot("light.png")
	b.colorScheme("dark")
	b.screenshot("dark.png")
	b.colorScheme("light")
	b.viewport(1100, 900)
	b.screenshot("laptop.png")
}

// TestBrowserTypeAndStep: reset, type a request with real key presses,
// send it, step forward until the head is read, check the state fields,
// the wire bytes and the event log, step back, use the keyboard, run to
// the end.
func TestBrowserTypeAndStep(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/")
	b.click("[data-action=reset]")
	b.waitFor(`document.querySelectorAll('[data-s~="inputs"] li').length === 0`, 5*time.Second)

	b.typeInto(rawInput, "GET /hello HTTP/1.1\nHost: example\n\n")
	if got := b.text(`[data-s~="preview"]`); !strings.Contains(got, `GET /hello HTTP/1.1\r\n`) {
		t.Fatalf("preview = %q: Enter should have become CR LF", got)
	}
	before := b.pos()
	b.click("[data-action=send]")
	after := b.pos()
	if after.last <= before.last {
		t.Fatalf("send recorded no events: %v -> %v", before, after)
	}
	if got := b.text(`[data-s~="inputs"]`); !strings.Contains(got, "send 38 B") {
		t.Errorf("input log = %q, want the 38-byte send", got)
	}
	// step until the head is read
	steps := 0
	for !strings.HasPrefix(b.text("[data-field=reading]"), "KeepAlive") {
		if steps++; steps > 200 {
			t.Fatalf("reading never became KeepAlive (at %v, reading %q)", b.pos(), b.text("[data-field=reading]"))
		}
		b.click("[data-action=step]")
	}
	at := b.pos()
	if got := b.text("[data-field=keep-alive]"); !strings.HasPrefix(got, "Busy") {
		t.Errorf("keep_alive = %q at the head, want Busy", got)
	}
	if got := b.text("[data-field=writing]"); !strings.HasPrefix(got, "Init") {
		t.Errorf("writing = %q at the head, want Init", got)
	}
	if got := b.text("[data-field=step]"); got == "" || got[0] < '1' || got[0] > '9' {
		t.Errorf("step field = %q, want a positive number first", got)
	}
	// (each LF mark is followed by a real line break)
	if got := strings.ReplaceAll(b.text("[data-panel=wire-in] .wire-body"), "\n", ""); !strings.Contains(got, `GET /hello HTTP/1.1\r\nHost: example\r\n\r\n`) {
		t.Errorf("wire-in = %q", got)
	}
	var cur string
	b.eval(`(document.querySelector('[data-panel=events] .ev.cur')||{}).textContent||''`, &cur)
	if !strings.Contains(cur, "reading: Init → KeepAlive") {
		t.Errorf("current event row = %q, want the reading transition", cur)
	}

	// step back: the transition is undone
	b.click("[data-action=step-back]")
	if got := b.text("[data-field=reading]"); !strings.HasPrefix(got, "Init") {
		t.Errorf("after step back reading = %q, want Init", got)
	}
	if p := b.pos(); p.cur != at.cur-1 {
		t.Errorf("step back moved to %d, want %d", p.cur, at.cur-1)
	}
	// the keyboard: → steps again
	b.key("ArrowRight", false)
	if got := b.text("[data-field=reading]"); !strings.HasPrefix(got, "KeepAlive") {
		t.Errorf("after → reading = %q, want KeepAlive", got)
	}
	b.click("[data-action=step-call]")
	if p := b.pos(); p.cur <= at.cur {
		t.Errorf("step call did not move: %v", p)
	}
	b.screenshot("stepping.png")

	// run to the end: the response is on the wire, the connection idle
	b.click("[data-action=run]")
	if p := b.pos(); p.cur != p.last {
		t.Errorf("run stopped at %v", p)
	}
	if got := strings.ReplaceAll(b.text("[data-panel=wire-out] .wire-body"), "\n", ""); !strings.Contains(got, `HTTP/1.1 200 OK\r\n`) || !strings.Contains(got, "hello") {
		t.Errorf("wire-out = %q", got)
	}
	if got := b.text("[data-field=keep-alive]"); !strings.HasPrefix(got, "Idle") {
		t.Errorf("keep_alive at the end = %q, want Idle", got)
	}

	// click a byte of the response: the cursor travels to the write
	b.click(`[data-panel=wire-out] [data-o="0"]`)
	var kind string
	b.eval(`document.querySelector('[data-panel=events] .ev.cur .kd').textContent`, &kind)
	if kind != "io" {
		t.Errorf("clicking a written byte moved to a %q event, want io", kind)
	}
	var hl int
	b.eval(`document.querySelectorAll('[data-panel=wire-out] .h').length`, &hl)
	if hl == 0 {
		t.Errorf("the write's bytes are not highlighted")
	}
	// Shift+← steps back a whole poll
	p0 := b.pos()
	b.key("ArrowLeft", true)
	if p := b.pos(); p.cur >= p0.cur {
		t.Errorf("Shift+← did not move back: %v -> %v", p0, p)
	}
	b.noDialog()
}

// TestBrowserPermalink: a session shared as #v1=… is restored exactly,
// from a link made natively and from the page's own Share box; bad links
// give a message and a working page.
func TestBrowserPermalink(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)

	f, err := session.ParseBytes([]byte(`{"version":1,"mode":"server","handler":"echo",
		"input":[{"send":"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhe"},{"send":"llo"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(f)
	frag, err := ui.EncodeFragment(&ui.Share{Session: j, Cursor: 12, Draft: "typed but not sent"})
	if err != nil {
		t.Fatal(err)
	}
	b.open("/#" + frag)
	if p := b.pos(); p.cur != 12 {
		t.Errorf("restored cursor %d, want 12", p.cur)
	}
	if got := b.text(`[data-s~="inputs"]`); !strings.Contains(got, "send 3 B: llo") {
		t.Errorf("input log = %q", got)
	}
	var draft string
	b.eval(`document.querySelector('`+rawInput+`').value`, &draft)
	if draft != "typed but not sent" {
		t.Errorf("draft = %q", draft)
	}
	want := b.text("[data-field=reading]")

	// the Share box's link restores the same thing in a fresh page
	b.click("[data-action=run]")
	b.click("[data-action=step-back]")
	p := b.pos()
	b.click("[data-action=share]")
	// the browser compresses the link asynchronously (CompressionStream)
	b.waitFor(`document.querySelector('[data-s~="share-url"]').value.indexOf('#v1=') > 0`, 10*time.Second)
	var link string
	b.eval(`document.querySelector('[data-s~="share-url"]').value`, &link)
	if !strings.Contains(link, "#v1=") {
		t.Fatalf("share link = %q", link)
	}
	wantReading := b.text("[data-field=reading]")
	b.open("/")
	b.eval(`location.href = `+jsonString(link)+`, true`, new(bool)) // same document: a hashchange
	b.waitFor(`document.querySelector('[data-ready=true]') && document.querySelector('[data-s~="pos"]').textContent.indexOf('event `+strconv.Itoa(p.cur)+` ')===0`, 20*time.Second)
	if got := b.text("[data-field=reading]"); got != wantReading {
		t.Errorf("reading after the share link = %q, want %q", got, wantReading)
	}
	_ = want

	// bad links: a message, the default scenario, a working page
	for _, c := range []struct{ frag, want string }{
		{"v1=!!!not-base64!!!", "damaged"},
		{"v1=" + strings.Repeat("A", 40), "damaged"},
		{"v7=abc", "v7"},
		{"hello", "not a connlab session"},
		{"v1=" + strings.Repeat("A", ui.MaxFragment+10), "too long"},
	} {
		b.open("/")
		b.run(chromedp.Navigate(b.base + "/?x=" + strconv.Itoa(len(c.frag)) + "#" + c.frag))
		b.waitFor(`document.querySelector('[data-ready=true]') && !document.querySelector('[data-s~="banner-box"]').hidden`, 20*time.Second)
		got := b.text(`[data-s~="banner"]`)
		if !strings.Contains(got, c.want) {
			t.Errorf("fragment %.20q…: banner %q, want it to mention %q", c.frag, got, c.want)
		}
		before := b.pos()
		b.click("[data-action=step]")
		if after := b.pos(); after.cur != before.cur+1 {
			t.Errorf("after a bad link the page does not step: %v -> %v", before, after)
		}
	}
	b.screenshot("bad-link.png")
}

// TestBrowserEmbed: ?embed=1&scenario=NAME&step=N is the compact layout
// for iframes; the Embed button gives the snippet.
func TestBrowserEmbed(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/")
	b.click("[data-action=embed]")
	var snippet string
	b.eval(`document.querySelector('[data-s~="embed-snippet"]').value`, &snippet)
	if !strings.Contains(snippet, "<iframe") || !strings.Contains(snippet, "/embed?embed=1&amp;scenario=pipelining-2&amp;step=0") {
		t.Errorf("embed snippet = %q", snippet)
	}
	b.viewport(820, 700)
	b.open("/embed?embed=1&scenario=keep-alive&step=10")
	var embed string
	b.eval(`document.getElementById('app').getAttribute('data-embed')`, &embed)
	if embed != "1" {
		t.Errorf("data-embed = %q", embed)
	}
	if p := b.pos(); p.cur != 10 {
		t.Errorf("embed cursor %d, want 10", p.cur)
	}
	var inputShown bool
	b.eval(`getComputedStyle(document.querySelector('.col-input')).display !== 'none'`, &inputShown)
	if inputShown {
		t.Errorf("the input column is shown in embed mode")
	}
	if got := b.text(`[data-s~="sc-name"]`); !strings.Contains(got, "Keep-alive") {
		t.Errorf("embed scenario = %q", got)
	}
	b.click("[data-action=step]")
	if p := b.pos(); p.cur != 11 {
		t.Errorf("embed does not step: %v", p)
	}
	b.screenshot("embed.png")
	// an unknown scenario: a message, not a blank page
	b.open("/?embed=1&scenario=no-such-thing")
	if got := b.text(`[data-s~="banner"]`); !strings.Contains(got, "no-such-thing") {
		t.Errorf("unknown scenario banner = %q", got)
	}
}

// TestBrowserTypedBytesAreText: bytes that look like markup are shown as
// text everywhere and create no element; nothing runs.
func TestBrowserTypedBytesAreText(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/")
	const evil = `<img src=x onerror=alert(1)><script>alert(2)</script>`
	var imgs0 int
	b.eval(`document.images.length`, &imgs0)
	b.click("[data-action=reset]")
	b.typeInto(rawInput, evil)
	b.click("[data-action=send]")
	b.click("[data-action=run]")
	time.Sleep(200 * time.Millisecond)
	var imgs, scripts int
	b.eval(`document.images.length`, &imgs)
	b.eval(`document.querySelectorAll('#app script, img[src="x"]').length`, &scripts)
	if imgs != imgs0 || scripts != 0 {
		t.Errorf("typed bytes created elements: images %d -> %d, scripts/img[src=x] %d", imgs0, imgs, scripts)
	}
	for _, sel := range []string{"[data-panel=wire-in] .wire-body", `[data-s~="preview"]`, `[data-s~="inputs"]`} {
		if got := b.text(sel); !strings.Contains(got, "<img src=x onerror=alert(1)>") {
			t.Errorf("%s = %q: the bytes should show as text", sel, got)
		}
	}
	// the same through a link's draft and a scenario name
	j, _ := json.Marshal(session.Demo())
	frag, _ := ui.EncodeFragment(&ui.Share{Session: j, Draft: evil, BP: evil})
	b.open("/#" + frag)
	b.open("/?scenario=" + strings.ReplaceAll(evil, " ", "%20"))
	b.eval(`document.querySelectorAll('#app script, img[src="x"]').length`, &scripts)
	if scripts != 0 {
		t.Errorf("a scenario name created elements")
	}
	time.Sleep(200 * time.Millisecond)
	b.noDialog()
}

// TestBrowserPanicBanner: a Go panic becomes a banner with "copy session"
// and the page keeps working.
func TestBrowserPanicBanner(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/")
	b.eval(`connlab.selfTestPanic(), true`, new(bool))
	if b.bannerHidden() {
		t.Fatal("no banner after a panic")
	}
	if got := b.text(`[data-s~="banner"]`); !strings.Contains(got, "self-test panic") {
		t.Errorf("banner = %q", got)
	}
	var copyShown bool
	b.eval(`!document.querySelector('[data-action=copy-session]').hidden`, &copyShown)
	if !copyShown {
		t.Errorf("no copy-session button")
	}
	p := b.pos()
	b.click("[data-action=step]")
	if q := b.pos(); q.cur != p.cur+1 {
		t.Errorf("the page does not step after a panic: %v -> %v", p, q)
	}
	b.click("[data-action=dismiss]")
	if !b.bannerHidden() {
		t.Errorf("dismiss left the banner")
	}
}

// TestBrowserLibraryAndHelp: the scenario library loads a scenario; the
// help overlay opens with ? and closes with Escape.
func TestBrowserLibraryAndHelp(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/")
	b.key("?", false)
	var overlay string
	b.eval(`document.getElementById('app').getAttribute('data-overlay') || ''`, &overlay)
	if overlay != "help" {
		t.Errorf("? opened %q", overlay)
	}
	b.screenshot("help.png")
	b.key("Escape", false)
	b.eval(`document.getElementById('app').getAttribute('data-overlay') || ''`, &overlay)
	if overlay != "" {
		t.Errorf("Escape left overlay %q open", overlay)
	}
	b.click("[data-action=library]")
	var cards int
	b.eval(`document.querySelectorAll('[data-sc]').length`, &cards)
	if cards != len(scenarios.Library()) {
		t.Errorf("library shows %d scenarios, want %d", cards, len(scenarios.Library()))
	}
	b.screenshot("library.png")
	b.click(`[data-sc="websocket-echo"]`)
	b.eval(`document.getElementById('app').getAttribute('data-overlay') || ''`, &overlay)
	if overlay != "" {
		t.Errorf("overlay still %q after picking a scenario", overlay)
	}
	b.click("[data-action=run]")
	if got := b.text("[data-panel=upgrade]"); !strings.Contains(got, "leftover") {
		t.Errorf("upgrade panel = %q", got)
	}
	b.screenshot("websocket.png")
	b.click(`[data-action=library]`)
	b.click(`[data-sc="seed001-deadlock"]`)
	b.click("[data-action=run]")
	if got := b.text("[data-panel=stall]"); !strings.Contains(got, "Deadlock") {
		t.Errorf("stall panel = %q", got)
	}
	var svg int
	b.eval(`document.querySelectorAll('[data-panel=stall] svg').length`, &svg)
	if svg != 1 {
		t.Errorf("no wait-for graph")
	}
	b.screenshot("deadlock.png")
}

// pos is the cursor as the page shows it ("event C / L").
type pos struct{ cur, last int }

func (b *browser) pos() pos {
	b.t.Helper()
	s := b.text(`[data-s~="pos"]`)
	var p pos
	if _, err := fmt.Sscanf(s, "event %d / %d", &p.cur, &p.last); err != nil {
		b.t.Fatalf("position %q: %v", s, err)
	}
	return p
}

func (b *browser) bannerHidden() bool {
	var h bool
	b.eval(`document.querySelector('[data-s~="banner-box"]').hidden`, &h)
	return h
}

// TestBrowserWasmMissing: when the engine cannot load, the page says so
// (and keeps its layout) instead of going blank.
func TestBrowserWasmMissing(t *testing.T) {
	requireBrowser(t)
	site := siteHandler(distDir)
	b := newBrowserWith(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			http.NotFound(w, r)
			return
		}
		site.ServeHTTP(w, r)
	}))
	b.run(chromedp.Navigate(b.base + "/"))
	b.waitFor(`document.querySelector('.boot-error') !== null`, 20*time.Second)
	if got := b.text("#boot"); !strings.Contains(got, "could not load its engine") || !strings.Contains(got, "Reload") {
		t.Errorf("boot box = %q", got)
	}
	// not a blank page: the header and the message show (the panels wait
	// for the engine, which is not coming)
	var shown struct{ Header, Box bool }
	b.eval(`({Header: document.querySelector('header.top').offsetHeight > 0, Box: document.getElementById('boot').offsetHeight > 0})`, &shown)
	if !shown.Header || !shown.Box {
		t.Errorf("without its wasm the page shows header %v, message %v; want both", shown.Header, shown.Box)
	}
	// connlab.js moves the panels out of their template in the first idle
	// moment, engine or not (off the start-up path), and they stay
	// display: none until an engine is ready: nothing to style or lay out
	b.waitFor(`document.querySelector('.layout') !== null`, 5*time.Second)
	var live struct{ Laid, Template bool }
	b.eval(`({Laid: document.querySelector('.layout').getClientRects().length > 0, Template: document.getElementById('panels') !== null})`, &live)
	if live.Laid || live.Template {
		t.Errorf("without its wasm: panels laid out %v, template still there %v; want false, false", live.Laid, live.Template)
	}
	b.screenshot("wasm-missing.png")
}

// TestBrowserEditInput: take a scenario's request from the input log,
// change it in the editor, send it again from there.
func TestBrowserEditInput(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/?scenario=keep-alive")
	b.click(`[data-action=edit-input][data-i="1"]`)
	var draft string
	b.eval(`document.querySelector('`+rawInput+`').value`, &draft)
	if draft != "GET /again HTTP/1.1\nHost: x\n\n" {
		t.Fatalf("editor = %q", draft)
	}
	// add a header before the empty line, typing at the end of line 2
	b.eval(`(function(){ var e = document.querySelector('`+rawInput+`'); e.focus(); var at = e.value.indexOf('\n\n') ; e.setSelectionRange(at, at); return true })()`, new(bool))
	b.run(chromedp.SendKeys(rawInput, "\nConnection: close", chromedp.ByQuery))
	b.click("[data-action=send]")
	b.click("[data-action=run]")
	if got := b.text("[data-field=keep-alive]"); !strings.HasPrefix(got, "Disabled") {
		t.Errorf("keep_alive = %q after sending Connection: close", got)
	}
	if got := b.text(`[data-s~="sc-name"]`); !strings.Contains(got, "(modified)") {
		t.Errorf("scenario name = %q, want it marked modified", got)
	}
	var undo bool
	b.eval(`!document.querySelector('.banner [data-action=undo]').hidden`, &undo)
	if b.bannerHidden() || !undo {
		t.Errorf("no undo offered after replacing inputs: %q", b.text(`[data-s~="banner"]`))
	}
	b.screenshot("edit-input.png")
}

// TestBrowserEmbedPanels: /embed?panels= shows only the listed panels and
// is as tall as they are; an unknown name is a banner naming the field,
// the default panels show, and the page is still ready.
func TestBrowserEmbedPanels(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.viewport(820, 700)
	shown := func() string {
		var s string
		b.eval(`[...document.querySelectorAll('.col-main [data-panel], .col-log [data-panel]')].filter(e => e.getClientRects().length > 0).map(e => e.dataset.panel).join(' ')`, &s)
		return s
	}
	height := func() int {
		var h int
		b.eval(`Math.round(document.querySelector('.layout').getBoundingClientRect().bottom)`, &h)
		return h
	}
	b.open("/embed?embed=1&scenario=seed001-deadlock&step=1000000&panels=waits,conn")
	if got := shown(); got != "controls now conn stall" {
		t.Errorf("panels=waits,conn shows %q", got)
	}
	var inView bool
	b.eval(`(() => { const r = document.querySelector('[data-panel=stall]').getBoundingClientRect(); return r.height > 100 && r.bottom <= innerHeight + 400 })()`, &inView)
	if !inView {
		t.Errorf("the wait-for graph is not shown near the top")
	}
	b.screenshot("embed-panels-waits-conn.png")
	b.open("/embed?embed=1&scenario=keep-alive&step=10&panels=conn")
	if got := shown(); got != "controls now conn" {
		t.Errorf("panels=conn shows %q", got)
	}
	small := height()
	b.open("/embed?embed=1&scenario=keep-alive&step=10&panels=wire,events")
	if got := shown(); got != "controls now wire-in wire-out events" {
		t.Errorf("panels=wire,events shows %q", got)
	}
	b.open("/embed?embed=1&scenario=keep-alive&step=10")
	def := shown()
	if def != "controls now conn dispatcher diagram wire-in wire-out events" {
		t.Errorf("the default embed shows %q", def)
	}
	if full := height(); small >= full-300 {
		t.Errorf("panels=conn is %d px tall, the default view %d px", small, full)
	}
	b.open("/embed?embed=1&scenario=keep-alive&step=10&panels=conn,%3Cb%3Estall%3C/b%3E")
	if got := b.text(`[data-s~="banner"]`); !strings.Contains(got, `link: panels "conn,<b>stall</b>" is not a comma list of`) {
		t.Errorf("bad panels banner = %q", got)
	}
	if got := shown(); got != def {
		t.Errorf("bad panels= shows %q, want the default %q", got, def)
	}
	if p := b.pos(); p.cur != 10 {
		t.Errorf("bad panels=: cursor %d, want 10", p.cur)
	}
}
