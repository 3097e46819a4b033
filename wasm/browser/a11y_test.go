//go:build !js

package browser

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/wasm/browser/headless"
)

// TestBrowserAxe runs axe-core (pinned in site/package.json) on the app in
// both themes, at desktop and phone width, mid-scenario (so the log has
// future rows and the wire has bytes not yet read), and on an embed: no
// serious or critical WCAG 2 A/AA violation.
func TestBrowserAxe(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	for _, c := range []struct {
		name, path, scheme string
		w, h               int
	}{
		{"app light", "/?scenario=keep-alive&step=12", "light", 1440, 1000},
		{"app dark", "/?scenario=keep-alive&step=12", "dark", 1440, 1000},
		{"app phone dark", "/?scenario=pipelining-2&step=30", "dark", 390, 844},
		{"embed light", "/embed?embed=1&scenario=keep-alive&step=12&theme=light", "light", 820, 700},
		{"embed dark", "/embed?embed=1&scenario=keep-alive&step=12&theme=dark", "light", 820, 700},
	} {
		b.colorScheme(c.scheme)
		b.viewport(c.w, c.h)
		b.open(c.path)
		b.waitFor(`document.querySelector('.ev')`, 10e9)
		headless.AxeCheck(t, b.ctx, c.name)
		b.screenshot("axe-" + strings.ReplaceAll(c.name, " ", "-") + ".png")
	}
	// the dialogs, open
	b.colorScheme("light")
	b.viewport(1440, 1000)
	b.open("/?scenario=keep-alive&step=12")
	for _, d := range []string{"help", "library", "share"} {
		b.click(`[data-action=` + d + `]`)
		b.waitFor(`document.getElementById('app').getAttribute('data-overlay') === '`+d+`'`, 5e9)
		headless.AxeCheck(t, b.ctx, d+" dialog")
		b.key("Escape", false)
	}
}
