//go:build !js

package browser

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserIdleMountAndIndex: while the engine streams in, connlab.js
// uses an idle moment to move the panels out of their template and to
// index the slots' elements, so from instantiation to ready the page
// neither adopts the panels nor walks the [data-s] elements again; every
// slot is still bound. The wasm is held back 400 ms here so the idle
// moment surely comes first.
func TestBrowserIdleMountAndIndex(t *testing.T) {
	requireBrowser(t)
	site := siteHandler(distDir)
	b := newBrowserWith(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			time.Sleep(400 * time.Millisecond)
		}
		site.ServeHTTP(w, r)
	}))
	// record when the page walks the slots ([data-s]) and when the panels
	// join the page
	b.run(chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`(function () {
  var walks = window.__slotWalks = [], qsa = Element.prototype.querySelectorAll;
  Element.prototype.querySelectorAll = function (sel) { if (sel === "[data-s]") walks.push(performance.now()); return qsa.call(this, sel); };
  document.addEventListener("DOMContentLoaded", function () {
    new MutationObserver(function () { if (document.querySelector(".layout") && !window.__mountedAt) window.__mountedAt = performance.now(); })
      .observe(document.getElementById("app"), {childList: true, subtree: true});
  });
})();`).Do(ctx)
		return err
	}))
	b.open("/")
	var got struct {
		Walks                []float64
		Mounted, Inst, Ready float64
		Missing              string
	}
	b.eval(`({Walks: window.__slotWalks, Mounted: window.__mountedAt || 0, Inst: window.connlabInstantiatedAt, Ready: window.connlabReadyAt, Missing: window.connlabMissingSlots})`, &got)
	if got.Missing != "" {
		t.Errorf("slots missing from the page: %s", got.Missing)
	}
	if got.Mounted == 0 || got.Mounted >= got.Inst {
		t.Errorf("the panels joined the page at %.1f ms, the engine was instantiated at %.1f: want the idle mount first", got.Mounted, got.Inst)
	}
	for _, w := range got.Walks {
		if w >= got.Inst && w <= got.Ready {
			t.Errorf("the slots were walked at %.1f ms, between instantiation (%.1f) and ready (%.1f); walks: %v", w, got.Inst, got.Ready, got.Walks)
		}
	}
	if len(got.Walks) == 0 {
		t.Errorf("no walk over the slots at all: the test's hook saw nothing")
	}
}

// TestBrowserResumesDefaultPage: on the default address, in a window
// needing no more log rows than the page was built with, the wasm applies
// the page's own rest of the first render and is ready without making
// its model (wasm/ui/resume.go): the model comes after the panels' first
// frame, or with the first event when no idle moment comes (here the
// page never gets one), and that event acts as on any page. On a scenario
// link, or in a window taller than the page's rows, the model is made
// before ready.
func TestBrowserResumesDefaultPage(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.countApplies()
	type times struct {
		Ready, Frame, Model, ModelReady float64
		Applies                         []int
		Pos                             string
	}
	read := func() times {
		var got times
		b.eval(`({Ready: window.connlabReadyAt, Frame: window.connlabFirstFrameAt || 0, Model: window.connlabModelAt || 0, ModelReady: window.connlabTimings.modelReady,
			Applies: window.__applies, Pos: document.querySelector('[data-s~="pos"]').textContent})`, &got)
		return got
	}
	for _, c := range []struct {
		w, h   int
		addr   string
		resume bool
	}{
		{1440, 1000, "/", true},
		{390, 844, "/", true},
		{1440, 1000, "/?utm_source=docs", true},
		{1920, 1400, "/", false}, // 64 rows: more than the page holds
		{390, 844, "/?scenario=keep-alive", false},
	} {
		b.viewport(c.w, c.h)
		b.open(c.addr)
		b.waitFor(`window.connlabFirstFrameAt`, 10*time.Second)
		got := read()
		if c.resume {
			if got.ModelReady != 0 || !(got.Ready < got.Frame && got.Frame <= got.Model) {
				t.Errorf("%dx%d %s: ready %.1f, first frame %.1f, model %.1f (made before ready: %.1f); want the model after the first frame", c.w, c.h, c.addr, got.Ready, got.Frame, got.Model, got.ModelReady)
			}
			if len(got.Applies) < 1 || got.Applies[0] > 15 {
				t.Errorf("%dx%d %s: the first apply sets %v slots, want the page's own batch (at most 15)", c.w, c.h, c.addr, got.Applies)
			}
		} else if got.ModelReady == 0 || got.Model > got.Ready {
			t.Errorf("%dx%d %s: the model was made at %.1f, ready at %.1f; want it made first", c.w, c.h, c.addr, got.Model, got.Ready)
		}
	}

	// a log measured taller at the first frame than the page's rows: the
	// model is made in that frame, for the rows measured
	c := newBrowser(t, distDir)
	c.run(chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`(function () {
  var v;
  Object.defineProperty(window, 'connlab', { configurable: true, get: function () { return v; }, set: function (x) {
    var rows = x.logRows;
    x.logRows = function () { return document.getElementById('app').getAttribute('data-ready') === 'true' ? 60 : rows.apply(x, arguments); };
    v = x;
  } });
})();`).Do(ctx)
		return err
	}))
	c.open("/")
	var tall struct {
		Frame, Model, ModelReady float64
		Rows                     int
		Fatal                    bool
	}
	c.eval(`({Frame: window.connlabFirstFrameAt || 0, Model: window.connlabModelAt || 0, ModelReady: window.connlabTimings.modelReady,
		Rows: document.querySelector('[data-s~="log-rows"]').children.length, Fatal: !!document.querySelector('.boot-error')})`, &tall)
	if tall.ModelReady != 0 || tall.Model == 0 || tall.Model > tall.Frame || tall.Rows <= 45 || tall.Fatal {
		t.Errorf("a log of 60 rows at the first frame: model made at %.1f (before ready: %.1f), first frame %.1f, %d rows, fatal %v; want the model made in that frame, more rows than the page's 45", tall.Model, tall.ModelReady, tall.Frame, tall.Rows, tall.Fatal)
	}

	// no idle moment: the first event makes the model, then acts
	b.viewport(1440, 1000)
	b.run(chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`window.requestIdleCallback = function () {};`).Do(ctx)
		return err
	}))
	b.run(chromedp.Navigate(b.base + "/"))
	b.waitFor(`document.querySelector('[data-ready=true]') && window.connlabFirstFrameAt`, 30*time.Second)
	time.Sleep(300 * time.Millisecond)
	before := read()
	if before.Model != 0 {
		t.Fatalf("the model was made at %.1f with no idle moment and no event", before.Model)
	}
	b.click(`[data-action=step]`)
	after := read()
	if after.Model == 0 || after.Pos == before.Pos {
		t.Errorf("the first click: model made at %.1f, position %q then %q; want the model made and the step taken", after.Model, before.Pos, after.Pos)
	}
}
