//go:build !js

package browser

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/connlab/connlab/engine/scenarios"
)

// The first two minutes (issue 16), items 2 and 3: the first action does
// what it says, and the guided path is findable.

// TestBrowserFirstActionDoesWhatItSays (item 2): the page opens on a
// scenario with its first input in the editor; Send appends to the end
// of the session (and says why nothing moved when the connection had
// ended); Edit on input k turns the button into "Replace input k", which
// replaces that input only and re-applies the later ones, with a banner
// saying so and Undo; each row has one primary button.
func TestBrowserFirstActionDoesWhatItSays(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/")
	first, _ := scenarios.Lookup("pipelining-2")
	f, err := first.File()
	if err != nil {
		t.Fatal(err)
	}
	var draft string
	b.eval(`document.querySelector('`+rawInput+`').value`, &draft)
	if want := strings.ReplaceAll(string(f.Input[0].Bytes()), "\r\n", "\n"); draft != want {
		t.Fatalf("the editor opens with %q, want the scenario's first input %q", draft, want)
	}
	var primaries []int
	b.eval(`Array.from(document.querySelectorAll('.btn-row')).map(r => r.querySelectorAll('button.primary').length)`, &primaries)
	for i, n := range primaries {
		if n > 1 {
			t.Errorf("button row %d has %d primary buttons", i+1, n)
		}
	}
	inputs := func() int {
		var n int
		b.eval(`document.querySelectorAll('[data-s~="inputs"] li').length`, &n)
		return n
	}
	b.click("[data-action=send]")
	b.waitFor(`document.querySelectorAll('[data-s~="inputs"] li').length === 3`, 5*time.Second)
	if got := b.text(`[data-s~="banner"]`); !strings.HasPrefix(got, "Sent as input 3, at the end of the session;") || !strings.Contains(got, "the connection had already ended") {
		t.Errorf("banner after the first Send: %q", got)
	}
	b.screenshot("first-send.png")

	// edit input 2 of keep-alive: only it is replaced
	b.open("/?scenario=keep-alive")
	b.click(`[data-action=edit-input][data-i="1"]`)
	if got := b.text(`[data-action=send]`); got != "Replace input 2" {
		t.Errorf("while editing, the button says %q", got)
	}
	b.eval(`(function(){ var e = document.querySelector('`+rawInput+`'); e.focus(); var at = e.value.indexOf('\n\n'); e.setSelectionRange(at, at); return true })()`, new(bool))
	b.run(chromedp.SendKeys(rawInput, "\nConnection: close", chromedp.ByQuery))
	b.click("[data-action=send]")
	if got := b.text(`[data-s~="banner"]`); got != "Input 2 replaced; input 3 re-applied." {
		t.Errorf("banner after replacing: %q", got)
	}
	if n := inputs(); n != 3 {
		t.Errorf("%d inputs after replacing input 2, want 3 (input 3 kept)", n)
	}
	if got := b.text(`[data-s~="inputs"] li:nth-child(3)`); !strings.Contains(got, "shut down write") {
		t.Errorf("input 3 is %q, want the shutdown kept", got)
	}
	if got := b.text(`[data-action=send]`); got != "Send" {
		t.Errorf("after the replace the button says %q", got)
	}
	b.screenshot("replace-input.png")
	b.click(`.banner [data-action=undo]`)
	if got := b.text(`[data-s~="inputs"] li:nth-child(2)`); strings.Contains(got, "close") || !strings.Contains(got, "/again") {
		t.Errorf("undo left input 2 as %q", got)
	}
	if got := b.text(`[data-s~="sc-name"]`); strings.Contains(got, "(modified)") {
		t.Errorf("after undo the scenario is %q", got)
	}
}

// TestBrowserGuidedPathFindable (item 3): the header links to the docs;
// the library is grouped and searchable as you type (Enter loads the
// first match); the scenario links its docs page, which links back.
func TestBrowserGuidedPathFindable(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/")
	var docs string
	b.eval(`(document.querySelector('header a[href="docs/"]')||{}).href||''`, &docs)
	if !strings.HasSuffix(docs, "/docs/") {
		t.Errorf("the header has no docs link (%q)", docs)
	}
	b.click("[data-action=library]")
	var groups []string
	b.eval(`Array.from(document.querySelectorAll('.library h3')).map(h => h.textContent)`, &groups)
	if strings.Join(groups, "|") != strings.Join(scenarios.Groups, "|") {
		t.Errorf("library groups %q, want %q", groups, scenarios.Groups)
	}
	search := `input[data-input="lib-search"]`
	for q, want := range map[string]string{
		"ENOTCONN":     "seed003-enotconn",
		"hang":         "seed001-deadlock",
		"deadlock":     "seed002-deadlock",
		"100-continue": "expect-continue-ignored",
		"smuggling":    "smuggling-cl-te",
	} {
		b.typeInto(search, q)
		var names []string
		b.eval(`Array.from(document.querySelectorAll('.library [data-sc]')).map(e => e.dataset.sc)`, &names)
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found || len(names) == len(scenarios.Library()) {
			t.Errorf("typing %q lists %q, want %s among fewer than all", q, names, want)
		}
		if got := b.text(`[data-s~="lib-count"]`); got != itoa(len(names))+" of "+itoa(len(scenarios.Library()))+" scenarios" {
			t.Errorf("typing %q: count %q", q, got)
		}
	}
	b.typeInto(search, "awaits its connection")
	b.screenshot("library-search.png")
	b.run(chromedp.SendKeys(search, kb.Enter, chromedp.ByQuery))
	b.waitFor(`(document.getElementById('app').getAttribute('data-overlay') || '') === ''`, 5*time.Second)
	if got := b.text(`[data-s~="sc-name"]`); got != "A client that awaits its connection before sending hangs" {
		t.Errorf("Enter loaded %q", got)
	}
	var href string
	b.eval(`(document.querySelector('[data-s~="sc-meta"] a.sc-docs')||{}).href||''`, &href)
	if !strings.HasSuffix(href, "/docs/seed-001.html#reproduction") {
		t.Fatalf("the scenario's docs link is %q", href)
	}
	b.run(chromedp.Navigate(href))
	b.waitFor(`document.readyState === 'complete'`, 10*time.Second)
	var back bool
	b.eval(`!!document.querySelector('#reproduction') && Array.from(document.querySelectorAll('a')).some(a => /\?scenario=seed001-deadlock(&|$)/.test(a.getAttribute('href')||''))`, &back)
	if !back {
		t.Errorf("%s does not link back to the scenario", href)
	}
}
