//go:build !js

package browser

import (
	"fmt"
	"testing"
)

// TestLogRowsBeforeLayout: before the page is ready the event log has no
// layout, and connlab.logRows bounds its height from connlab.css (the
// first render draws that many rows): never fewer rows than the laid-out
// log shows, and, where the app is at most 1380 px wide, none beyond them
// (the window's height used to be the bound: 32 rows for the 19 a 600 px
// window shows, built and applied before ready for nothing).
func TestLogRowsBeforeLayout(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	for _, c := range []struct {
		w, h  int
		query string
	}{{1440, 1000, ""}, {1920, 1080, ""}, {1100, 800, ""}, {800, 600, ""}, {390, 844, ""}, {800, 600, "?embed=1"}} {
		b.viewport(c.w, c.h)
		b.open("/" + c.query)
		var got struct{ Est, Exact, Win int }
		b.eval(`(function () {
			var root = document.getElementById("app"), el = root.querySelector('[data-s~="log"]');
			var exact = Math.max(8, Math.ceil(el.clientHeight / 20) + 2);
			root.removeAttribute("data-ready");
			var est = connlab.logRows();
			root.setAttribute("data-ready", "true");
			return {Est: est, Exact: exact, Win: window.innerWidth};
		})()`, &got)
		name := fmt.Sprintf("%dx%d%s", c.w, c.h, c.query)
		t.Logf("%s: %d rows before layout, %d after (window %d px wide)", name, got.Est, got.Exact, got.Win)
		if got.Est < got.Exact {
			t.Errorf("%s: %d rows before layout, but the log shows %d", name, got.Est, got.Exact)
		}
		if c.query == "" && got.Win <= 1380 && got.Est > got.Exact {
			t.Errorf("%s: %d rows before layout, the log shows %d", name, got.Est, got.Exact)
		}
	}
}
