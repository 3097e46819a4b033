//go:build !js

// Package browser holds the sandbox's end-to-end tests: they serve the
// built site (site/dist, from `make site`) with a small net/http server
// inside the test, drive Debian's headless Chromium with chromedp, and save
// screenshots under screenshots/ (git-ignored). `make test-browser` runs
// them (it installs chromium and builds the site first); plain `go test
// ./...` skips them unless CONNLAB_BROWSER=1.
package browser

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"github.com/connlab/connlab/wasm/browser/headless"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const chromiumPath = headless.ChromiumPath

// distDir is the built site, relative to this package; CONNLAB_SITE_DIST
// names another (a private build, made with go run ./wasm/cmd/buildsite
// -out DIR, leaves site/dist to the others using it).
var distDir = cmp.Or(os.Getenv("CONNLAB_SITE_DIST"), "../../site/dist")

// screenshotDir is where screenshots go (git-ignored).
const screenshotDir = "../../screenshots"

func requireBrowser(t *testing.T) {
	t.Helper()
	if os.Getenv("CONNLAB_BROWSER") != "1" {
		t.Skip("browser tests run with CONNLAB_BROWSER=1 (make test-browser installs chromium, builds the site and sets it)")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("%s not found: make test-browser installs it (apt-get install -y chromium)", chromiumPath)
	}
	if _, err := os.Stat(filepath.Join(distDir, "index.html")); err != nil {
		t.Fatalf("the site is not built (%v): run make site", err)
	}
}

// csp is the site's Content-Security-Policy (as site/api sets it in
// production): the tests run under it, so an inline script or style in
// the page would show up as a violation.
const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'self'; form-action 'self'"

// siteHandler serves a folder the way production does: index.html for /
// and for paths without an extension (the app's routes, like /embed), the
// pre-compressed .br or .gz beside a file when the browser accepts it,
// application/wasm for .wasm, the site's CSP; and nothing is cached, so
// each navigation loads everything again (a first visit: measurements
// compare like with like).
func siteHandler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasSuffix(p, "/") || path.Ext(p) == "" {
			p = "/index.html"
		}
		p = filepath.Join(dir, filepath.FromSlash(filepath.Clean("/"+p)))
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", csp)
		ctype := mime.TypeByExtension(filepath.Ext(p))
		if filepath.Ext(p) == ".wasm" {
			ctype = "application/wasm"
		}
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Vary", "Accept-Encoding")
		ae := r.Header.Get("Accept-Encoding")
		for _, enc := range []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if strings.Contains(ae, enc.name) {
				if _, err := os.Stat(p + enc.ext); err == nil {
					w.Header().Set("Content-Encoding", enc.name)
					http.ServeFile(w, r, p+enc.ext)
					return
				}
			}
		}
		http.ServeFile(w, r, p)
	})
}

// browser is one headless Chromium with a fresh profile.
type browser struct {
	t      *testing.T
	ctx    context.Context
	base   string
	dialog chan string
}

func newBrowser(t *testing.T, dir string) *browser {
	t.Helper()
	return newBrowserWith(t, siteHandler(dir))
}

func newBrowserWith(t *testing.T, h http.Handler) *browser {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ctx := headless.Start(t, 1440, 1000, chromedp.Flag("hide-scrollbars", true))
	b := &browser{t: t, ctx: ctx, base: srv.URL, dialog: make(chan string, 8)}
	chromedp.ListenTarget(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			b.dialog <- d.Message
			go chromedp.Run(ctx, page.HandleJavaScriptDialog(false))
		}
	})
	// record CSP violations and uncaught errors from the first script on
	if err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`window.__problems = [];
document.addEventListener('securitypolicyviolation', function (e) { window.__problems.push('CSP ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber); });
window.addEventListener('error', function (e) { window.__problems.push('error ' + e.message); });
window.addEventListener('unhandledrejection', function (e) { window.__problems.push('rejection ' + e.reason); });`).Do(ctx)
		return err
	})); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	t.Cleanup(func() { b.noProblems() })
	return b
}

// noProblems fails the test if the page hit a CSP violation or an
// uncaught error.
func (b *browser) noProblems() {
	b.t.Helper()
	var probs []string
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.__problems || []`, &probs)); err != nil {
		return // the page is gone (the test closed it)
	}
	for _, p := range probs {
		b.t.Errorf("the page reported: %s", p)
	}
}

// removeWithRetries deletes Chromium's profile; Chromium may still be
// writing to it for a moment after it exits.
func (b *browser) run(actions ...chromedp.Action) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		b.t.Fatalf("chromedp: %v", err)
	}
}

// open navigates to path (relative to the site) and waits until the page
// says it is ready and, on the default page the build pre-rendered, has
// made its model too (after the first paint, or at the first event:
// wasm/ui/resume.go), so what a test reads is the engine's render.
func (b *browser) open(path string) {
	b.t.Helper()
	b.noProblems() // before the navigation forgets them
	b.run(chromedp.Navigate(b.base + path))
	b.waitFor(`document.querySelector('[data-ready=true]') !== null && (window.connlabModelAt !== undefined || !window.connlabTimings)`, 30*time.Second)
}

// waitFor polls a JavaScript condition (busy pages make WaitVisible
// unreliable, so the tests poll flags).
func (b *browser) waitFor(cond string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var ok bool
		var boot string
		b.run(chromedp.Evaluate(`!!(`+cond+`)`, &ok))
		if ok {
			return
		}
		if time.Now().After(deadline) {
			b.run(chromedp.Evaluate(`(document.getElementById('boot')||{}).textContent||''`, &boot))
			b.t.Fatalf("timed out waiting for %s (boot box: %q)", cond, strings.TrimSpace(boot))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (b *browser) eval(expr string, out any) {
	b.t.Helper()
	b.run(chromedp.Evaluate(expr, out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	var s string
	b.eval(fmt.Sprintf(`(document.querySelector(%q)||{}).textContent||''`, sel), &s)
	return s
}

// click clicks an element through the DOM (a real click event, bubbling
// to the page's delegated listener).
func (b *browser) click(sel string) {
	b.t.Helper()
	var ok bool
	b.eval(fmt.Sprintf(`(function(){var e=document.querySelector(%q); if(!e) return false; e.click(); return true})()`, sel), &ok)
	if !ok {
		b.t.Fatalf("no element %s to click", sel)
	}
}

// key presses a key on the document (the shortcuts).
func (b *browser) key(key string, shift bool) {
	b.t.Helper()
	var ok bool
	b.eval(fmt.Sprintf(`document.dispatchEvent(new KeyboardEvent('keydown', {key: %q, shiftKey: %v, bubbles: true, cancelable: true}))`, key, shift), &ok)
}

// typeInto replaces the editor's text as if typed: it focuses the
// textarea and sends real key events (Enter included).
func (b *browser) typeInto(sel, text string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`(function(){var e=document.querySelector(%q); e.focus(); e.select(); return true})()`, sel), new(bool))
	b.run(chromedp.SendKeys(sel, text, chromedp.ByQuery))
}

// colorScheme switches prefers-color-scheme.
func (b *browser) colorScheme(s string) {
	b.run(emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: s}}))
}

func (b *browser) screenshot(name string) {
	b.t.Helper()
	var buf []byte
	b.run(chromedp.FullScreenshot(&buf, 100))
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	p := filepath.Join(screenshotDir, name)
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", p)
}

func (b *browser) viewport(w, h int) {
	b.run(emulation.SetDeviceMetricsOverride(int64(w), int64(h), 1, false))
}

// noDialog fails if the page opened an alert (the XSS test's tripwire).
func (b *browser) noDialog() {
	b.t.Helper()
	select {
	case msg := <-b.dialog:
		b.t.Fatalf("the page opened a JavaScript dialog: %q", msg)
	default:
	}
}

func jsonString(s string) string {
	j, _ := json.Marshal(s)
	return string(j)
}
