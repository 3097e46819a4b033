//go:build !js

package browser

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserMemoryDoesNotGrowAtStart: the module starts with room for the
// heap the default page needs (buildsite's startHeapPages), so from
// instantiation to ready Go's runtime never grows the memory: each growth
// is a memory.grow and a call to wasm_exec.js's
// runtime.resetMemoryDataView, which the page records here by wrapping
// the import when the module is instantiated.
func TestBrowserMemoryDoesNotGrowAtStart(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.run(chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`(function () {
  var inst = WebAssembly.instantiate, grows = window.__memGrows = [];
  WebAssembly.instantiate = function (m, imports) {
    var g = imports && imports.gojs, reset = g && g["runtime.resetMemoryDataView"];
    if (reset) g["runtime.resetMemoryDataView"] = function (sp) { grows.push(performance.now()); return reset(sp); };
    return inst.call(WebAssembly, m, imports).then(function (r) {
      window.__mem0 = (r.instance || r).exports.mem.buffer.byteLength;
      window.__memInst = r.instance || r;
      return r;
    });
  };
})();`).Do(ctx)
		return err
	}))
	for _, path := range []string{"/", "/?scenario=uri-too-long-414"} {
		b.open(path)
		var got struct {
			Grows       []float64
			Mem0, Ready float64
			MemNow      float64
		}
		b.eval(`({Grows: window.__memGrows, Mem0: window.__mem0 || 0, Ready: window.connlabReadyAt, MemNow: window.__memInst ? window.__memInst.exports.mem.buffer.byteLength : 0})`, &got)
		if got.Mem0 == 0 {
			t.Fatalf("%s: the page's instantiation was not seen (has connlab.js stopped using WebAssembly.instantiate?)", path)
		}
		early := 0
		for _, at := range got.Grows {
			if at <= got.Ready {
				early++
			}
		}
		if early > 0 {
			t.Errorf("%s: the memory grew %d times before ready (from %.0f KiB at instantiation; %.0f KiB now)", path, early, got.Mem0/1024, got.MemNow/1024)
		}
		t.Logf("%s: memory %.0f KiB at instantiation, %.0f KiB now, %d growths (%d before ready)", path, got.Mem0/1024, got.MemNow/1024, len(got.Grows), early)
	}
}
