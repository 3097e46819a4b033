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
