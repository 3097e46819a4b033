//go:build !js

package browser

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// brokenWordsJS lists the words of the values (state fields, the current
// event, the dispatch queue) that are laid out over more than one line.
const brokenWordsJS = `(() => {
  const out = [];
  const els = document.querySelectorAll('.fields dd, .now .t, .now .sp, .now .rf, .queue-list li');
  for (const el of els) {
    if (!el.getClientRects().length) continue;
    const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const re = /[^\s\-\/]+/g; let m; // a break after - or / is a line break, not a broken word
      while ((m = re.exec(n.data))) {
        const r = document.createRange();
        r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (tops.size > 1) out.push(m[0] + ' in ' + (el.getAttribute('data-field') || el.className || el.tagName));
      }
    }
  }
  return out;
})()`

// TestBrowserValuesDoNotBreak: at every width from a phone to a wide
// screen, no value breaks inside a word (Continue(Length(5)), false), and
// at phone width the columns stack with the step controls right above the
// current event and the state.
func TestBrowserValuesDoNotBreak(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	for _, sc := range []string{"expect-continue-echo", "pipelining-2"} {
		for _, w := range []int{390, 600, 760, 900, 1000, 1180, 1300, 1440, 1920} {
			b.viewport(w, 900)
			b.open("/?scenario=" + sc + "&step=0")
			// walk forward until reading is Continue (or 40 steps)
			for i := 0; i < 40; i++ {
				var broken []string
				b.eval(brokenWordsJS, &broken)
				if len(broken) > 0 {
					t.Errorf("%s at %d px, event %d: values broken inside a word: %v", sc, w, i, broken)
					break
				}
				b.key("ArrowRight", false)
			}
		}
	}

	b.viewport(390, 844)
	b.open("/?scenario=expect-continue-echo&step=5")
	time.Sleep(100 * time.Millisecond)
	var order []string
	b.eval(`[...document.querySelectorAll('.layout .panel, .layout .state-grid')].filter(e => e.getClientRects().length && !e.closest('.state-grid .panel') ).map(e => [e.getBoundingClientRect().top + scrollY, e.getAttribute('data-panel') || e.className]).sort((a, b) => a[0] - b[0]).map(x => x[1])`, &order)
	want := []string{"controls", "now", "state-grid"}
	got := fmt.Sprint(order)
	if len(order) < 3 || fmt.Sprint(order[:3]) != fmt.Sprint(want) {
		t.Errorf("at phone width the panels run %s; want the controls, the current event and the state first", got)
	}
	var x []float64
	b.eval(`[...document.querySelectorAll('[data-panel=controls], [data-panel=conn], [data-panel=input]')].map(e => e.getBoundingClientRect().left)`, &x)
	if len(x) == 3 && (x[0] != x[1] || x[1] != x[2]) {
		t.Errorf("at phone width the columns do not stack: lefts %v", x)
	}
	var banner string
	b.eval(`(document.querySelector('[data-s~=banner-box]:not([hidden])')||{}).textContent||''`, &banner)
	if banner != "" {
		t.Errorf("banner: %s", banner)
	}
	b.screenshot("layout-phone.png")
}

// TestBrowserDiagramLegend: the state diagram's legend explains every
// style its SVG uses (current, left, other states; last and allowed
// transitions).
func TestBrowserDiagramLegend(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/?scenario=keep-alive&step=19")
	var missing []string
	b.eval(`(() => {
  const d = document.querySelector('[data-s=diagram]');
  const used = new Set();
  d.querySelectorAll('g.n, path.e, text.fn').forEach(e => used.add([...e.classList].join(' ')));
  return [...used].filter(k => !document.querySelector('[data-panel=diagram] [data-legend="' + k + '"]'));
})()`, &missing)
	if len(missing) > 0 {
		t.Errorf("the diagram uses styles its legend does not explain: %v", missing)
	}
	var used int
	b.eval(`document.querySelectorAll('[data-s=diagram] g.n.was, [data-s=diagram] path.e.last, [data-s=diagram] text.fn.last').length`, &used)
	if used < 3 {
		t.Errorf("at this step the diagram should show a last transition, its function and the state it left (%d found)", used)
	}
}

// TestBrowserBannerKinds: news is not styled or announced as an error (a
// send that moved the cursor, a copied link), and an error still is.
func TestBrowserBannerKinds(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	banner := func() (role, border, errColor string) {
		var s []string
		b.eval(`(function(){var e=document.querySelector('[data-s~=banner-box]'); if(e.hidden) return ['hidden','','']; var p=document.createElement('span'); p.style.color='var(--err)'; e.appendChild(p); var c=getComputedStyle(p).color; p.remove(); return [e.getAttribute('role'), getComputedStyle(e).borderTopColor, c]})()`, &s)
		return s[0], s[1], s[2]
	}
	b.open("/?scenario=keep-alive&step=5")
	b.typeInto(`textarea[data-role=raw-input]`, "GET /x HTTP/1.1\nHost: y\n\n")
	b.click(`[data-action=send]`)
	if role, border, errc := banner(); role != "status" || border == errc {
		t.Errorf("a send's news: role %q, border %s (the error colour is %s); want status, not the error colour", role, border, errc)
	}
	b.open("/?scenario=no-such-scenario")
	if role, border, errc := banner(); role != "alert" || border != errc {
		t.Errorf("an unknown scenario: role %q, border %s; want alert in the error colour %s", role, border, errc)
	}
	b.click(`[data-action=share]`)
	b.click(`[data-action=copy-share]`)
	var c []string
	b.eval(`(function(){var e=document.querySelector('[data-s=share-note]'); var p=document.createElement('span'); p.style.color='var(--err)'; document.body.appendChild(p); var r=[e.textContent, getComputedStyle(e).color, getComputedStyle(p).color]; p.remove(); return r})()`, &c)
	if c[1] == c[2] {
		t.Errorf("the share note %q is in the error colour", c[0])
	}
}

// TestBrowserPanelHeadsFit: a panel's heading controls (the Programs
// panel's mode select, the log's filters) stay inside the panel at every
// width: one too wide for the heading's line goes below the heading
// rather than past the panel's edge, where it was cut off at 1440 px.
func TestBrowserPanelHeadsFit(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	for _, w := range []int{390, 760, 1100, 1300, 1440, 1920} {
		b.viewport(w, 900)
		b.open("/")
		var out []string
		b.eval(`(() => {
  const out = [];
  for (const head of document.querySelectorAll('.panel .panel-head')) {
    const panel = head.closest('.panel'), pr = panel.getBoundingClientRect();
    if (!pr.width) continue;
    for (const c of head.querySelectorAll('select, button, input, label')) {
      const r = c.getBoundingClientRect();
      if (r.width && (r.right > pr.right - 1 || r.left < pr.left + 1)) out.push((panel.getAttribute('data-panel') || panel.className) + ': ' + c.tagName.toLowerCase() + ' ' + Math.round(r.left) + '..' + Math.round(r.right) + ' outside ' + Math.round(pr.left) + '..' + Math.round(pr.right));
    }
  }
  return out;
})()`, &out)
		if len(out) > 0 {
			t.Errorf("at %d px: %v", w, out)
		}
	}
}

// TestBrowserPhoneHeader: on a phone a long scenario name ends in an
// ellipsis inside its button, whose ▾ stays in view, on the first row
// with the brand and the Docs link (before, the name was cut off
// mid-word, the ▾ hidden past the button's edge).
func TestBrowserPhoneHeader(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.viewport(390, 844)
	b.open("/?scenario=expect-continue-echo")
	var got struct {
		ArrowIn, SameRow, Ellipsis, Overflows bool
		Name                                  string
	}
	b.eval(`(() => {
  const pick = document.querySelector('.scenario-pick'), name = pick.querySelector('strong'), arrow = pick.lastElementChild;
  const p = pick.getBoundingClientRect(), a = arrow.getBoundingClientRect();
  const row = [document.querySelector('.brand'), pick, document.querySelector('.docs-link')].map(e => e.getBoundingClientRect());
  return {ArrowIn: a.width > 0 && a.left >= p.left && a.right <= p.right,
    SameRow: row.every(r => Math.abs((r.top + r.bottom) / 2 - (row[0].top + row[0].bottom) / 2) < 8),
    Ellipsis: getComputedStyle(name).textOverflow === 'ellipsis',
    Overflows: name.scrollWidth > name.clientWidth, Name: name.textContent};
})()`, &got)
	if !got.ArrowIn {
		t.Errorf("the scenario button's ▾ is not inside the button")
	}
	if !got.SameRow {
		t.Errorf("the brand, the scenario button and the Docs link are not on one row")
	}
	if got.Overflows && !got.Ellipsis {
		t.Errorf("the scenario name %q is cut off without an ellipsis", got.Name)
	}
	if !got.Overflows {
		t.Errorf("the name %q fits at 390 px: pick a scenario whose name does not, or this test checks nothing", got.Name)
	}
}

// TestBrowserPhoneDiagramScrollHint: on a phone the state machines keep
// their size and scroll sideways; the diagram then shows a shadow at the
// edge more of them lies past (scroll-bound shadows under covers that
// scroll with the content).
func TestBrowserPhoneDiagramScrollHint(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.viewport(390, 844)
	b.open("/")
	var got struct {
		Scrolls           bool
		Image, Attachment string
	}
	b.eval(`(() => { const d = document.querySelector('.diagram'), cs = getComputedStyle(d);
  return {Scrolls: d.scrollWidth > d.clientWidth + 1, Image: cs.backgroundImage, Attachment: cs.backgroundAttachment}; })()`, &got)
	if !got.Scrolls {
		t.Fatalf("at 390 px the diagram does not scroll sideways: this test checks nothing")
	}
	if strings.Count(got.Image, "radial-gradient") != 2 || strings.Count(got.Attachment, "local") != 2 || strings.Count(got.Attachment, "scroll") != 2 {
		t.Errorf("the sideways-scrolling diagram has no edge shadows: background-image %q, attachment %q", got.Image, got.Attachment)
	}
}

// TestBrowserBuffersOnOneLine: the Conn card's buffers value ("read 0 B ·
// write 0 B") is on one line at every width, beside its label where the
// card has room and below it where it has not (at 1440 px it used to wrap
// with "· write 0 B" under the label).
func TestBrowserBuffersOnOneLine(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	for _, w := range []int{390, 760, 1100, 1300, 1440, 1920} {
		b.viewport(w, 900)
		b.open("/")
		var lines int
		b.eval(`(() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('[data-field=buffers]'));
  return new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size; })()`, &lines)
		if lines != 1 {
			t.Errorf("at %d px the buffers value is laid out on %d lines, want 1", w, lines)
		}
	}
}
