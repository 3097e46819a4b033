//go:build !js

package browser

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/connlab/connlab/wasm/ui"
)

// plainIndex is the dist's page without the build's pre-render: the
// site's source index.html with the dist's hashed asset names, as
// buildsite wrote it before it pre-rendered the panels. (The dist must be
// built from this tree's site/static.)
func plainIndex(t *testing.T, dist string) []byte {
	t.Helper()
	src, err := os.ReadFile("../../site/static/index.html")
	if err != nil {
		t.Fatal(err)
	}
	mj, err := os.ReadFile(filepath.Join(dist, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest map[string]struct{ Name string }
	if err := json.Unmarshal(mj, &manifest); err != nil {
		t.Fatal(err)
	}
	var missing []string
	out := regexp.MustCompile(`\{\{asset ([A-Za-z0-9._-]+)\}\}`).ReplaceAllStringFunc(string(src), func(m string) string {
		name := m[len("{{asset ") : len(m)-2]
		a, ok := manifest[name]
		if !ok {
			missing = append(missing, name)
		}
		return a.Name
	})
	if len(missing) > 0 {
		t.Fatalf("the dist has no %v", missing)
	}
	return []byte(out)
}

// plainSite serves dist with the plain page in place of its index.html.
func plainSite(dist string, plain []byte) http.Handler {
	site := siteHandler(dist)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; strings.HasSuffix(p, "/") || path.Ext(p) == "" || p == "/index.html" {
			w.Header().Set("Content-Security-Policy", csp)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Write(plain)
			return
		}
		site.ServeHTTP(w, r)
	})
}

// countApplies makes the page record how many slots each connlab.apply
// sets (window.__applies), from its first.
func (b *browser) countApplies() {
	b.run(chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`(function () {
  var v;
  Object.defineProperty(window, 'connlab', { configurable: true, get: function () { return v; }, set: function (x) {
    var apply = x.apply;
    window.__applies = [];
    x.apply = function (batch) { window.__applies.push(x.frames(batch).length / 2); return apply.apply(x, arguments); };
    v = x;
  } });
})();`).Do(ctx)
		return err
	}))
}

// appState is #app as the person meets it: every element's attributes
// (the style as the element's style declares it), the state of its form
// controls (value, checked, selected, disabled: properties, which the
// markup's attributes only start from), scroll offsets, and text; not
// the build's note of what the page shows. Markup and properties that make
// the same page compare equal; any difference a person could see or a
// script could read does not. The page's origin reads as ORIGIN.
// (Not the build's notes either: what the page shows, and the rest of its
// first render.)
const appState = `(function () {
  function ser(n) {
    if (n.nodeType === 3) return JSON.stringify(n.data);
    if (n.nodeType === 8) return '<!--' + n.data + '-->';
    if (n.nodeType !== 1) return '';
    var tag = n.tagName.toLowerCase(), as = [];
    for (var i = 0; i < n.attributes.length; i++) {
      var a = n.attributes[i];
      if (a.name === 'style' || a.name === '` + ui.ShownAttrName + `' || a.name === '` + ui.FirstAttrName + `' || ((tag === 'input' || tag === 'option' || tag === 'textarea') && (a.name === 'value' || a.name === 'checked' || a.name === 'selected'))) continue;
      as.push(a.name + '=' + JSON.stringify(a.value));
    }
    as.sort();
    if (n.style && n.style.cssText) as.push('style=' + JSON.stringify(n.style.cssText));
    if (tag === 'input' || tag === 'textarea' || tag === 'select') as.push('.value=' + JSON.stringify(n.value));
    if (tag === 'input') as.push('.checked=' + n.checked);
    if (tag === 'option') as.push('.selected=' + n.selected);
    if ('disabled' in n) as.push('.disabled=' + n.disabled);
    if (n.scrollTop) as.push('.scrollTop=' + n.scrollTop);
    var s = '<' + tag + ' ' + as.join(' ') + '>\n';
    if (tag !== 'textarea') for (var k = n.firstChild; k; k = k.nextSibling) s += ser(k);
    return s + '</' + tag + '>\n';
  }
  // the two pages are served from two origins: links name the page's own
  return ser(document.getElementById('app')).split(location.origin).join('ORIGIN');
})()`

// settled waits for the page's start to be done: ready, its first frame
// (the log's rows measured), and the Rust panel's answer (none here: no
// /api) in.
func (b *browser) settled() {
	b.waitFor(`window.connlabFirstFrameAt !== undefined && !/generating/.test((document.querySelector('[data-s~="rust-status"]')||{}).textContent||'')`, 30*time.Second)
	time.Sleep(300 * time.Millisecond)
}

// TestBrowserPrerenderedPage: the page the build pre-rendered ends, once
// the engine is ready, exactly as the plain page does on which the engine
// applies its whole first batch: at a desktop's and a phone's width, for
// the default page, scenario links, an embed and a session's link; and on the
// default page at both widths (the window of log rows the build
// pre-rendered holds both) the first apply sets only the slots the page
// could not carry: the page's own batch of them (wasm/ui/resume.go).
func TestBrowserPrerenderedPage(t *testing.T) {
	requireBrowser(t)
	plain := plainIndex(t, distDir)
	idx, err := os.ReadFile(filepath.Join(distDir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(idx), ui.ShownAttrName+`="`) {
		t.Fatalf("the dist's index.html has no %s: not pre-rendered", ui.ShownAttrName)
	}
	m := ui.New()
	m.Update(ui.Init{BaseURL: "./", Query: "scenario=keep-alive&step=3"})
	frag, err := ui.EncodeFragment(m.ShareState())
	if err != nil {
		t.Fatal(err)
	}
	pre := newBrowser(t, distDir)
	pre.countApplies()
	ref := newBrowserWith(t, plainSite(distDir, plain))
	ref.countApplies()
	for _, vp := range []struct {
		name string
		w, h int
	}{{"desktop", 1440, 1000}, {"phone", 390, 844}} {
		pre.viewport(vp.w, vp.h)
		ref.viewport(vp.w, vp.h)
		for _, addr := range []string{"/", "/?scenario=pipelining-2&step=5", "/?scenario=expect-continue-echo", "/embed?scenario=keep-alive&step=2&panels=conn,wire", "/#" + frag} {
			name := addr
			if len(name) > 40 {
				name = name[:40] + "…"
			}
			var got, want string
			var gotN, wantN []int
			pre.open(addr)
			pre.settled()
			pre.eval(appState, &got)
			pre.eval(`window.__applies`, &gotN)
			ref.open(addr)
			ref.settled()
			ref.eval(appState, &want)
			ref.eval(`window.__applies`, &wantN)
			if got != want {
				t.Errorf("%s %s: the pre-rendered page differs from the plain one after ready:\n%s", vp.name, name, firstDiff(got, want))
			}
			if len(gotN) == 0 || len(wantN) == 0 {
				t.Fatalf("%s %s: no apply recorded (%v, %v)", vp.name, name, gotN, wantN)
			}
			t.Logf("%s %s: first apply sets %d slots (the plain page's: %d)", vp.name, name, gotN[0], wantN[0])
			if addr == "/" && (gotN[0] > 15 || wantN[0] < 100) {
				t.Errorf("%s %s: the first apply sets %d slots (the plain page's %d), want at most 15 (not the log's rows: the build pre-renders enough for this window)", vp.name, name, gotN[0], wantN[0])
			}
		}
	}
}

// firstDiff is the first line where two states differ, with the next.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + itoa(i) + ":\n got  " + clip(a) + "\n want " + clip(b)
		}
	}
	return ""
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}
