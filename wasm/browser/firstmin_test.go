//go:build !js

package browser

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/session"
)

// The first two minutes (issue 16): what a person meets on a first visit.

// pageState is what the address must bring back.
type pageState struct {
	Pos, Draft, Unit, Search string
	Hash                     bool
}

func (b *browser) pageState() pageState {
	b.t.Helper()
	var s pageState
	b.eval(`({Pos: document.querySelector('[data-s~="pos"]').textContent,
		Draft: document.querySelector('`+rawInput+`').value,
		Unit: document.querySelector('[data-s~="unit"]').value,
		Search: location.search, Hash: location.hash.indexOf('#v1=') === 0})`, &s)
	return s
}

// TestBrowserAddressKeepsSession (issue 16, item 1): the address follows
// the session as the person works, so a reload restores input, cursor and
// unit, back and forward move between the sessions opened, and the embed
// view leaves its address alone.
func TestBrowserAddressKeepsSession(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/")
	b.key("ArrowRight", false)
	b.key("ArrowRight", false)
	b.eval(`(function(){var s=document.querySelector('[data-s~="unit"]'); s.value='poll'; s.dispatchEvent(new Event('change', {bubbles: true})); return true})()`, new(bool))
	b.waitFor(`location.search === '?scenario=pipelining-2&step=2&unit=poll'`, 5*time.Second)
	b.key("ArrowRight", false) // a poll further
	b.typeInto(rawInput, "GET /kept HTTP/1.1\nHost: k\n\n")
	b.waitFor(`location.hash.indexOf('#v1=') === 0 && location.search === ''`, 5*time.Second)
	typed := b.pageState()
	if !strings.Contains(typed.Draft, "/kept") || typed.Unit != "poll" {
		t.Fatalf("before the reload: %+v", typed)
	}
	b.run(chromedp.Reload())
	b.waitFor(`document.querySelector('[data-ready=true]') !== null`, 30*time.Second)
	if got := b.pageState(); got != typed {
		t.Errorf("after a reload: %+v, want %+v", got, typed)
	}
	if !b.bannerHidden() {
		t.Errorf("banner after the reload: %q", b.text(`[data-s~="banner"]`))
	}

	// another scenario is a new history entry; back and forward restore
	// (picking it puts its first input in the editor, item 2, so its
	// address is the short one)
	var typedHref string
	b.eval(`location.href`, &typedHref)
	b.click("[data-action=library]")
	b.click(`[data-sc="keep-alive"]`)
	b.key("ArrowRight", false)
	b.key("ArrowRight", false)
	b.waitFor(`location.href !== `+jsonString(typedHref), 5*time.Second)
	time.Sleep(600 * time.Millisecond)
	var entries int
	b.eval(`history.length`, &entries)
	other := b.pageState()
	if other.Pos == typed.Pos || other.Hash || !strings.HasPrefix(other.Search, "?scenario=keep-alive&step=") {
		t.Fatalf("keep-alive after two polls: %+v", other)
	}
	b.eval(`history.back(), true`, new(bool))
	b.waitFor(`document.querySelector('`+rawInput+`').value.indexOf('/kept') > 0`, 10*time.Second)
	if got := b.pageState(); got != typed {
		t.Errorf("after back: %+v, want %+v", got, typed)
	}
	b.eval(`history.forward(), true`, new(bool))
	b.waitFor(`document.querySelector('[data-s~="pos"]').textContent === `+jsonString(other.Pos), 10*time.Second)
	time.Sleep(600 * time.Millisecond) // past the address's debounce: nothing rewrites it
	if got := b.pageState(); got != other {
		t.Errorf("after forward: %+v, want %+v", got, other)
	}
	var after int
	b.eval(`history.length`, &after)
	if after != entries {
		t.Errorf("history has %d entries after back and forward, %d before", after, entries)
	}
	// a library scenario only stepped through has the short address
	b.click("[data-action=reset]")
	b.click("[data-action=library]")
	b.click(`[data-sc="keep-alive"]`)
	b.eval(`(function(){var e=document.querySelector('`+rawInput+`'); e.value='GET / HTTP/1.1\nHost: x\n\n'; e.dispatchEvent(new Event('input', {bubbles: true})); return true})()`, new(bool))
	b.key("ArrowRight", false)
	b.waitFor(`/^[?]scenario=keep-alive&step=[1-9][0-9]*&unit=poll$/.test(location.search) && location.hash === ''`, 5*time.Second)

	// the embed view keeps the address its page gave it
	b.open("/embed?embed=1&scenario=keep-alive&step=3")
	b.key("ArrowRight", false)
	time.Sleep(700 * time.Millisecond)
	var href string
	b.eval(`location.pathname + location.search + location.hash`, &href)
	if href != "/embed?embed=1&scenario=keep-alive&step=3" {
		t.Errorf("the embed rewrote its address: %q", href)
	}
}

// TestBrowserTimeReadsAsTime (issue 16, item 4): timers read in the
// session's time, and "." with no timer armed moves the clock field and
// says why nothing else moved; the input it added is not pending.
func TestBrowserTimeReadsAsTime(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/?scenario=slowloris-header-timeout")
	log := b.text(`[data-panel=events]`)
	if !strings.Contains(log, "deadline t=1\u00a0000 ms (in 1\u00a0000 ms)") || strings.Contains(log, "17672") {
		t.Errorf("the event log's timers: %q", log)
	}
	b.open("/")
	b.key("End", false)
	if got := b.text("[data-field=clock]"); !strings.HasPrefix(got, "0 ms") {
		t.Fatalf("clock at the end = %q", got)
	}
	p := b.pos()
	b.key(".", false)
	b.waitFor(`document.querySelector('[data-field=clock]').textContent.indexOf('100 ms') === 0`, 5*time.Second)
	if got := b.text("[data-field=clock]"); !strings.Contains(got, "+100 ms after the end") {
		t.Errorf("clock after '.' = %q", got)
	}
	var marked bool
	b.eval(`!!document.querySelector('[data-field=clock] .chg')`, &marked)
	if !marked {
		t.Errorf("the clock's change is not marked")
	}
	if b.bannerHidden() || !strings.Contains(b.text(`[data-s~="banner"]`), "No timer armed") {
		t.Errorf("banner after '.' = %q (hidden %v)", b.text(`[data-s~="banner"]`), b.bannerHidden())
	}
	if q := b.pos(); q != p {
		t.Errorf("the cursor moved with no event: %v -> %v", p, q)
	}
	var pending int
	b.eval(`document.querySelectorAll('[data-s~="inputs"] li.fut').length`, &pending)
	if pending != 0 {
		t.Errorf("%d applied inputs look pending", pending)
	}
	for _, s := range []string{"light", "dark"} {
		b.colorScheme(s)
		b.viewport(1440, 1000)
		b.screenshot("clock-no-timer-" + s + ".png")
		b.viewport(390, 844)
		b.screenshot("clock-no-timer-phone-" + s + ".png")
	}
}

// TestBrowserControlsFitTheMode (issue 16, item 7): in mode both, where
// no person is on the wire, sending and "Shut down write" are disabled
// with a title saying why, and come back with their own titles in mode
// server; the event log says whose each note is.
func TestBrowserControlsFitTheMode(t *testing.T) {
	requireBrowser(t)
	both := ""
	for _, sc := range scenarios.Library() {
		if f, err := sc.File(); err == nil && f.RunMode() == session.ModeBoth {
			both = sc.Name
			break
		}
	}
	b := newBrowser(t, distDir)
	b.open("/?scenario=" + both)
	type control struct {
		Action   string
		Disabled bool
		Title    string
	}
	controls := func() []control {
		var cs []control
		b.eval(`Array.from(document.querySelectorAll('[data-action=send],[data-action=send-caret],[data-action=send-pieces],[data-action=shutdown],[data-change=preset],[data-change=frag-n]')).map(function(e){
			return {Action: e.getAttribute('data-action') || e.getAttribute('data-change'), Disabled: e.disabled, Title: e.title}})`, &cs)
		if len(cs) != 6 {
			t.Fatalf("%d wire controls, want 6", len(cs))
		}
		return cs
	}
	for _, c := range controls() {
		if !c.Disabled || !strings.HasPrefix(c.Title, "Mode both:") {
			t.Errorf("%s in mode both: %+v", c.Action, c)
		}
	}
	if log := b.text(`[data-panel=events]`); !strings.Contains(log, "program: line 1: handshake") {
		t.Errorf("the log does not say the program's notes are the program's: %q", log)
	}
	for _, s := range []string{"light", "dark"} {
		b.colorScheme(s)
		b.viewport(1440, 1000)
		b.screenshot("mode-both-controls-" + s + ".png")
		b.viewport(390, 844)
		b.screenshot("mode-both-controls-phone-" + s + ".png")
	}
	b.colorScheme("light")
	b.viewport(1440, 1000)
	b.click("[data-action=reset]") // mode server: the person types
	for _, c := range controls() {
		if c.Disabled || strings.HasPrefix(c.Title, "Mode both") {
			t.Errorf("%s in mode server: %+v", c.Action, c)
		}
		if c.Action == "shutdown" && !strings.Contains(c.Title, "TCP FIN") {
			t.Errorf("shutdown's own title is not back: %q", c.Title)
		}
	}
}

// TestBrowserLoadingFrames (issue 16, item 11): while the engine loads
// (here: held back by the server until the test lets it go), the page
// draws the layout's empty frames and the header's buttons are disabled;
// once ready the frames give way to the panels and the buttons work.
func TestBrowserLoadingFrames(t *testing.T) {
	requireBrowser(t)
	release := make(chan struct{})
	var once sync.Once
	let := func() { once.Do(func() { close(release) }) }
	site := siteHandler(distDir)
	b := newBrowserWith(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		site.ServeHTTP(w, r)
	}))
	t.Cleanup(let)
	b.run(chromedp.Navigate(b.base + "/"))
	type loading struct {
		Ready            string
		Frames, Buttons  int
		Disabled, Titled int
	}
	state := func() loading {
		var l loading
		b.eval(`(function(){
			var bs = document.querySelectorAll('header button');
			var l = {Ready: document.getElementById('app').getAttribute('data-ready') || '', Buttons: bs.length, Disabled: 0, Titled: 0, Frames: 0};
			bs.forEach(function(e){ if (e.disabled) l.Disabled++; if (e.title) l.Titled++; });
			document.querySelectorAll('.skeleton .sk').forEach(function(f){ if (f.offsetHeight >= 100 && f.offsetWidth >= 200) l.Frames++; });
			return l})()`, &l)
		return l
	}
	shots := func(name string, wide, phone int) {
		for _, s := range []string{"light", "dark"} {
			b.colorScheme(s)
			b.viewport(1440, 1000)
			b.screenshot(name + "-" + s + ".png")
			b.viewport(390, 844)
			b.screenshot(name + "-phone-" + s + ".png")
			if l := state(); l.Frames < phone {
				t.Errorf("%s, phone, %s: %d frames drawn, want %d", name, s, l.Frames, phone)
			}
		}
		b.colorScheme("light")
		b.viewport(1440, 1000)
		if l := state(); l.Frames < wide {
			t.Errorf("%s, wide: %d frames drawn, want %d", name, l.Frames, wide)
		}
	}
	l := state()
	if l.Ready == "true" || l.Buttons < 4 || l.Disabled != l.Buttons || l.Titled != l.Buttons {
		t.Errorf("while loading: %+v, want every header button disabled (and titled)", l)
	}
	shots("loading", 4, 2)
	let()
	b.waitFor(`document.querySelector('[data-ready=true]') !== null`, 30*time.Second)
	if l := state(); l.Disabled != 0 || l.Frames != 0 {
		t.Errorf("once ready: %+v, want the buttons enabled and the frames gone", l)
	}
	b.click("[data-action=help]")
	var overlay string
	b.eval(`document.getElementById('app').getAttribute('data-overlay')`, &overlay)
	if overlay != "help" {
		t.Errorf("the help button does nothing once ready (overlay %q)", overlay)
	}
}
