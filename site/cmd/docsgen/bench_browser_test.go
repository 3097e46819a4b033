//go:build !js

package main

// make bench-browser's docs figures (issue 19, item 3): a docs page with
// five sandboxes, as built (inline, in shadow roots: inline.go), as it
// was (the same pre-renders in five frames) and as it was before that
// (five live /embed frames, all loading), against the app page alone, in
// one run:
//
//   - navigation to every sandbox showing its state and steppable, in ms,
//     and its ratio to the app page's navigation to ready (median of
//     interleaved rounds, as TestBrowserBudgets pairs its runs);
//   - the page's memory with all its frames: V8's heap, Blink's heap and
//     the ArrayBuffers (the engines' wasm memories) of the renderer's
//     isolate (Runtime.getHeapUsage; same-origin frames share it), and the
//     renderer processes' PSS, against one sandbox's (/embed alone);
//   - the first step: a click on step in a sandbox as soon as all are
//     ready, until its position has moved on (the engine loaded, took
//     over and stepped), from the click and from the navigation.
//
// Budgets: all ready within 500 ms and within 1.5× the app page; memory
// below one sandbox's plus 50 %.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const (
	budgetDocsReadyMS    = 500.0
	budgetDocsReadyRatio = 1.5
	budgetDocsMemory     = 1.5
)

// allReadyJS is the ms from the docs page's navigation to the last of its
// sandboxes showing its state and answering its controls (inline ones:
// inline.js's connlabInlineShownAt, once all five have their scroll
// positions, in the page's first frame; in frames, a pre-rendered one's
// connlabShownAt, a live one's connlabReadyAt), on the page's clock; null
// until all are.
const allReadyJS = `(() => {
  if (document.querySelector('.sandbox-inline')) return window.connlabInlineShownAt || null;
  const fs = [...document.querySelectorAll('figure.sandbox iframe')];
  if (!fs.length) return null;
  let last = 0;
  for (const f of fs) {
    const w = f.contentWindow;
    const at = w && (w.connlabShownAt || w.connlabReadyAt);
    if (!at) return null;
    last = Math.max(last, w.performance.timeOrigin + at - performance.timeOrigin);
  }
  return last;
})()`

// firstStepJS clicks step in inline sandbox %d, noting when
// (benchClickAt) and when its position text changes (benchStepAt), on the
// page's clock: the click puts the sandbox's frame in its place, whose
// engine takes over and steps; the position watched is the frame's. It
// returns the position before.
const firstStepJS = `((k) => {
  const fig = document.querySelectorAll('figure.sandbox')[k], r = fig.querySelector('.sandbox-inline').shadowRoot;
  const before = r.querySelector('[data-s~="pos"]').textContent.trim();
  window.benchStepAt = 0;
  window.benchClickAt = performance.now();
  r.querySelector('[data-action=step]').click();
  const fr = fig.querySelector('iframe');
  fr.addEventListener('load', () => {
    const pos = fr.contentDocument.querySelector('[data-s~="pos"]');
    const moved = () => { if (!window.benchStepAt && pos.textContent.trim() !== before) window.benchStepAt = performance.now(); };
    new fr.contentWindow.MutationObserver(moved).observe(pos, { childList: true, characterData: true, subtree: true });
    moved();
  });
  return before;
})(%d)`

// inlineHostRe is an inline sandbox in a built page, up to its note.
var inlineHostRe = regexp.MustCompile(`(?s)<div class="sandbox-inline" [^>]*data-sandbox="([^"]*)" data-title="([^"]*)" data-height="([0-9]+)"><template shadowrootmode="open">.*?</template></div>\n<p class="sandbox-why" data-why hidden></p>`)

func TestDocsSandboxBench(t *testing.T) {
	if os.Getenv("CONNLAB_BENCH") != "1" {
		t.Skip("the docs' bench runs with CONNLAB_BENCH=1 (make bench-browser)")
	}
	requireBrowser(t)
	s := builtSite(t)
	const page = "state.html"
	es := s.Embeds[page]
	if len(es) != 5 {
		t.Fatalf("%s has %d sandboxes; the bench is for five", page, len(es))
	}
	// the site as built, plus the same page as it was: five live frames
	docs := filepath.Join(t.TempDir(), "docs")
	if err := os.CopyFS(docs, os.DirFS(filepath.Join(distDir, "docs"))); err != nil {
		t.Fatal(err)
	}
	built, err := os.ReadFile(filepath.Join(docs, page))
	if err != nil {
		t.Fatal(err)
	}
	// the page as it was: its sandboxes in pre-rendered frames (the
	// design before the inline one), and as five live frames
	if n := len(inlineHostRe.FindAll(built, -1)); n != len(es) {
		t.Fatalf("%s (built) has %d inline sandboxes, want %d: run make site", page, n, len(es))
	}
	framed := inlineHostRe.ReplaceAll(built, []byte(`<iframe src="$1" title="$2" height="$3"></iframe>`))
	framed = regexp.MustCompile(`<script src="inline\.[0-9a-f]+\.js"[^>]*></script>\n`).ReplaceAll(framed, nil)
	before := framed
	for _, e := range es {
		from := []byte(`src="` + html.EscapeString(e.SandboxURL()) + `"`)
		if !bytes.Contains(before, from) {
			t.Fatalf("%s (framed) has no frame %s", page, from)
		}
		before = bytes.Replace(before, from, []byte(`src="`+html.EscapeString(e.EmbedURL())+`"`), 1)
	}
	const framesPage, beforePage, blankPage = "state-frames.html", "state-live.html", "blank.html"
	if err := os.WriteFile(filepath.Join(docs, framesPage), framed, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(docs, beforePage), before, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(docs, blankPage), []byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body><p>blank</p></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := siteServer(t, overlayFS{app: os.DirFS(distDir), docs: os.DirFS(docs), sandboxes: os.DirFS(filepath.Join(distDir, "embed", "docs"))})
	report := func(v map[string]any) {
		j, _ := json.Marshal(v)
		fmt.Println(string(j))
	}

	// 1. time to ready, interleaved rounds
	b := newBrowser(t)
	blank := func() {
		b.run(t, 30*time.Second, chromedp.Navigate("about:blank"))
		time.Sleep(700 * time.Millisecond) // the last page's background work settles
	}
	waitNum := func(expr string) float64 {
		deadline := time.Now().Add(pageTimeout)
		for {
			var v *float64
			b.run(t, 30*time.Second, chromedp.Evaluate(expr, &v))
			if v != nil {
				return *v
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: never ready", expr)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	rounds := 10
	if n, err := strconv.Atoi(os.Getenv("CONNLAB_BENCH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	// (each round: the app, then the three designs, in an order that
	// turns, so none always follows the app page)
	var app, after, framesReady, was, ratioAfter, ratioFrames, ratioWas []float64
	for i := 0; i < rounds; i++ {
		blank()
		b.run(t, 60*time.Second, chromedp.Navigate(fmt.Sprintf("%s/?run=%d", srv.URL, i)))
		a := waitNum(`window.connlabReadyAt || null`)
		got := map[string]float64{}
		order := []string{page, framesPage, beforePage}
		for j := range order {
			p := order[(i+j)%len(order)]
			blank()
			b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+"/docs/"+p))
			got[p] = waitNum(allReadyJS)
		}
		d, f, w := got[page], got[framesPage], got[beforePage]
		app, after, framesReady, was = append(app, a), append(after, d), append(framesReady, f), append(was, w)
		ratioAfter, ratioFrames, ratioWas = append(ratioAfter, d/a), append(ratioFrames, f/a), append(ratioWas, w/a)
	}
	ma, md, mf, mw, ra, rf, rw := median(app), median(after), median(framesReady), median(was), median(ratioAfter), median(ratioFrames), median(ratioWas)
	ok := md <= budgetDocsReadyMS && ra <= budgetDocsReadyRatio
	report(map[string]any{"measurement": "docs_five_sandboxes_ready_ms", "page": page, "rounds": rounds,
		"app_page": round(ma), "inline": round(md), "ratio": round(ra), "prerendered_frames": round(mf), "frames_ratio": round(rf), "live_frames": round(mw), "live_ratio": round(rw),
		"budget_ms": budgetDocsReadyMS, "budget_ratio": budgetDocsReadyRatio, "ok": ok,
		"note": "inline: the sandboxes in the page's shadow roots (inline.go); prerendered_frames: the same pre-renders in five frames (the design before); live_frames: five /embed frames"})
	if !ok {
		t.Errorf("five inline sandboxes ready in %.0f ms (median), %.2f× the app page's %.0f ms; budget %.0f ms and %.1f×", md, ra, ma, budgetDocsReadyMS, budgetDocsReadyRatio)
	}

	// 2. the first step: a click on step as soon as the page is ready
	// (all five shown), in a different sandbox each run, until the
	// sandbox's position has moved one event on (the engine loaded,
	// took over and stepped; a MutationObserver on the position notes
	// the moment). Ready means the click is taken: this is what it costs.
	var clickToStep, navToStep, stepRatio []float64
	for i := 0; i < rounds; i++ {
		blank()
		b.run(t, 60*time.Second, chromedp.Navigate(srv.URL+"/docs/"+page))
		waitNum(allReadyJS)
		k := i % len(es)
		var before string
		b.run(t, 10*time.Second, chromedp.Evaluate(fmt.Sprintf(firstStepJS, k), &before))
		step := waitNum(`window.benchStepAt || null`)
		var click float64
		var after string
		b.run(t, 10*time.Second, chromedp.Evaluate(`window.benchClickAt`, &click), chromedp.Evaluate(fmt.Sprintf(posJS, k), &after))
		if want := fmt.Sprintf("event %d / %d", es[k].Event+1, es[k].Events-1); after != want || before != fmt.Sprintf("event %d / %d", es[k].Event, es[k].Events-1) {
			t.Fatalf("sandbox %d: the first step went from %q to %q, want to %q", k+1, before, after, want)
		}
		clickToStep, navToStep, stepRatio = append(clickToStep, step-click), append(navToStep, step), append(stepRatio, step/app[i%len(app)])
	}
	report(map[string]any{"measurement": "docs_first_step_ms", "page": page, "runs": rounds,
		"click_to_step": round(median(clickToStep)), "navigation_to_step": round(median(navToStep)), "navigation_to_step_ratio": round(median(stepRatio)),
		"note": "a click on step as soon as all five are ready (each run another sandbox) until its position has moved on: the engine loads, takes over and steps; navigation_to_step is from the page's navigation, its ratio to the app page's ready in the same round"})

	// 3. memory, each page in a fresh browser, less a blank page's (the
	// renderer's own)
	type mem struct{ js, blink, buffers, pss float64 }
	measure := func(path string, wait string, wake bool) mem {
		mb := newBrowser(t)
		mb.run(t, 60*time.Second, chromedp.Navigate(srv.URL+path))
		for {
			var v *float64
			mb.run(t, 30*time.Second, chromedp.Evaluate(wait, &v))
			if v != nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if wake {
			mb.run(t, 30*time.Second, chromedp.Evaluate(`connlabInline(0)`, nil))
			deadline := time.Now().Add(pageTimeout)
			for {
				var live bool
				mb.run(t, 10*time.Second, chromedp.Evaluate(`(() => { const f = document.querySelector('figure.sandbox iframe'); return !!(f && f.contentWindow.connlabLiveAt); })()`, &live))
				if live {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the woken sandbox never went live")
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
		time.Sleep(1500 * time.Millisecond)
		var m mem
		mb.run(t, 60*time.Second, heapprofiler.CollectGarbage(), chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			m.js, _, m.blink, m.buffers, err = runtime.GetHeapUsage().Do(ctx)
			return err
		}))
		m.pss = rendererPSS(t, mb.ctx)
		return m
	}
	blankMem := measure("/docs/"+blankPage, `1`, false)
	one := measure("/embed?embed=1&scenario="+es[0].Scenario.Name+"&step="+strconv.Itoa(es[0].Event), `window.connlabReadyAt || null`, false)
	appMem := measure("/", `window.connlabReadyAt || null`, false)
	pre := measure("/docs/"+page, allReadyJS, false)
	touched := measure("/docs/"+page, allReadyJS, true)
	framesMem := measure("/docs/"+framesPage, allReadyJS, false)
	live := measure("/docs/"+beforePage, allReadyJS, false)
	mib := func(x float64) float64 { return round(x / (1 << 20)) }
	net := func(m mem) float64 { return m.pss - blankMem.pss }
	row := func(m mem) map[string]any {
		return map[string]any{"renderer_pss": mib(m.pss), "above_blank": mib(net(m)), "v8_heap": mib(m.js), "blink_heap": mib(m.blink), "array_buffers": mib(m.buffers)}
	}
	memOK := net(pre) <= budgetDocsMemory*net(one)
	report(map[string]any{"measurement": "docs_five_sandboxes_memory_mib", "page": page,
		"blank_page": row(blankMem), "one_sandbox": row(one), "app_page": row(appMem), "inline": row(pre), "inline_one_used": row(touched), "prerendered_frames": row(framesMem), "live_frames": row(live),
		"ratio": round(net(pre) / net(one)), "one_used_ratio": round(net(touched) / net(one)), "frames_ratio": round(net(framesMem) / net(one)), "live_ratio": round(net(live) / net(one)),
		"budget_ratio": budgetDocsMemory, "ok": memOK,
		"note": "renderer_pss: the proportional set size of every renderer process of a fresh browser showing the page (/proc/PID/smaps_rollup); above_blank: less a blank page's, the page's own; the ratios are of above_blank to one sandbox's (/embed alone); the heaps are the page isolate's (Runtime.getHeapUsage)"})
	if !memOK {
		t.Errorf("five inline sandboxes use %.1f MiB above a blank page; one sandbox %.1f MiB (budget %.1f×)", mib(net(pre)), mib(net(one)), budgetDocsMemory)
	}
}

// rendererPSS sums the proportional set size of the browser's renderer
// processes (its descendants started with --type=renderer), in bytes.
func rendererPSS(t *testing.T, ctx context.Context) float64 {
	t.Helper()
	c := chromedp.FromContext(ctx)
	if c == nil || c.Browser == nil || c.Browser.Process() == nil {
		t.Fatal("no browser process")
	}
	root := c.Browser.Process().Pid
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	parent := map[int]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses
		rest := stat[bytes.LastIndexByte(stat, ')')+1:]
		f := strings.Fields(string(rest))
		if len(f) > 1 {
			parent[pid], _ = strconv.Atoi(f[1])
		}
	}
	descends := func(pid int) bool {
		for i := 0; i < 64 && pid > 1; i++ {
			if pid = parent[pid]; pid == root {
				return true
			}
		}
		return false
	}
	var total float64
	var pids []int
	for pid := range parent {
		if !descends(pid) {
			continue
		}
		cmd, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
		if !bytes.Contains(cmd, []byte("--type=renderer")) {
			continue
		}
		rollup, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "smaps_rollup"))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(rollup), "\n") {
			if v, ok := strings.CutPrefix(line, "Pss:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
				total += kb * 1024
				pids = append(pids, pid)
			}
		}
	}
	if len(pids) == 0 {
		t.Fatal("no renderer process found")
	}
	sort.Ints(pids)
	return total
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func round(x float64) float64 { return float64(int(x*100+0.5)) / 100 }
