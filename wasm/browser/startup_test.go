//go:build !js

package browser

import (
	"testing"
	"time"
)

// TestBrowserRustAskedAfterReady: the page asks /api/rust for the Rust
// panel (below the first screen) in the task after it is ready, not on
// the start-up path (issue 19, item 5), and the panel then shows the
// default session's Rust as before.
func TestBrowserRustAskedAfterReady(t *testing.T) {
	requireBrowser(t)
	b := newBrowserWith(t, withAPI(distDir))
	b.open("/")
	b.waitFor(`(document.querySelector('[data-s~="rust-server"]')||{}).textContent.indexOf('async fn') >= 0`, 20*time.Second)
	var box bool
	b.eval(`document.querySelector('[data-s~="rust-server-box"]').hidden`, &box)
	if box {
		t.Error("the Rust panel's service box is hidden after the answer")
	}
	var at map[string]float64
	b.eval(`(function(){
		var r = performance.getEntriesByType('resource').filter(function(e){ return /\/api\/rust$/.test(e.name) });
		return {asks: r.length, start: r.length ? r[0].startTime : -1, ready: window.connlabReadyAt};
	})()`, &at)
	if at["asks"] != 1 {
		t.Fatalf("the page asked /api/rust %v times, want 1", at["asks"])
	}
	if at["start"] < at["ready"] {
		t.Errorf("/api/rust asked at %.1f ms, before ready at %.1f ms", at["start"], at["ready"])
	}
}
