//go:build !js

package browser

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/wasm/ui"
)

// TestBrowserMillionBudgets measures issue 19, item 2 in headless
// Chromium and prints one JSON line each (make bench-browser, with
// CONNLAB_BENCH=1); the budgets are printed with ok, not asserted (a
// shared machine's timings are not a test's failure):
//   - wasm/cmd/tlbench, the engine's timeline alone in the browser's wasm,
//     on a session of about 1 000 000 events: memory per recorded event
//     (≤ 100 B), step back and jump with the view (≤ 1 ms), fork at 25, 50,
//     75, 99 and 100 % (≤ 500 ms), and the run in slices a page does;
//   - the sandbox page itself with a session of about 1 000 000 events
//     (30 100 pipelined requests) from a link: the time until the run in
//     slices is done, the longest task since the page started and the
//     task that ended the run (the page answers a click or a key only
//     between two; aim ≤ 100 ms), and a step plus re-render (p95 ≤ 16 ms).
func TestBrowserMillionBudgets(t *testing.T) {
	if os.Getenv("CONNLAB_BENCH") != "1" {
		t.Skip("budgets run with CONNLAB_BENCH=1 (make bench-browser)")
	}
	requireBrowser(t)
	report := func(v map[string]any) {
		j, _ := json.Marshal(v)
		os.Stdout.Write(append(j, '\n'))
	}

	// 1. the timeline alone, in the browser's wasm
	dir := buildTLBench(t)
	b := newBrowser(t, dir)
	b.open0("/?events=1000000")
	b.waitFor(`window.tlbenchResult || window.tlbenchError`, 5*time.Minute)
	var res, perr string
	b.eval(`window.tlbenchError || ''`, &perr)
	if perr != "" {
		t.Fatalf("tlbench: %s", perr)
	}
	b.eval(`window.tlbenchResult`, &res)
	var m map[string]any
	if err := json.Unmarshal([]byte(res), &m); err != nil {
		t.Fatalf("tlbench result %q: %v", res, err)
	}
	m["where"] = "chromium, wasm/cmd/tlbench"
	report(m)

	if os.Getenv("CONNLAB_TLBENCH_WASM") != "" {
		return
	}

	// 2. the page with a million events: load, then step and re-render
	millionPage(t, 30100, "", report) // 1 000 000 events and more
}

// TestBrowserMillionPage is part 2 of TestBrowserMillionBudgets alone,
// with the same on a 10 000-event page for comparison, and with the event
// log filtered by text while the million events run (CONNLAB_BENCH=1).
func TestBrowserMillionPage(t *testing.T) {
	if os.Getenv("CONNLAB_BENCH") != "1" {
		t.Skip("budgets run with CONNLAB_BENCH=1 (make bench-browser)")
	}
	requireBrowser(t)
	report := func(v map[string]any) {
		j, _ := json.Marshal(v)
		os.Stdout.Write(append(j, '\n'))
	}
	millionPage(t, 300, "", report)
	millionPage(t, 30100, "", report)
	millionPage(t, 30100, "keep_alive", report)
}

// millionPage loads a link to a session of so many pipelined requests,
// waits until its run in slices is done, and reports the run's time, its
// longest tasks (the page answers a click or a key only between two:
// every task of 50 ms or more, from the page's start, by a buffered
// PerformanceObserver), the task that ended the run, and a step plus
// re-render (p95 ≤ 16 ms). A filter (text) is set as soon as the first
// slice is shown.
func millionPage(t *testing.T, requests int, filter string, report func(map[string]any)) {
	req := strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", requests)
	f, err := session.ParseBytes([]byte(`{"version":1,"mode":"server","handler":"hello","input":[{"send":` + jsonString(req) + `}]}`))
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(f)
	frag, err := ui.EncodeFragment(&ui.Share{Session: j, Cursor: 0})
	if err != nil {
		t.Fatal(err)
	}
	page := newBrowser(t, distDir)
	start := time.Now()
	page.open0("/#" + frag)
	page.waitFor(`document.querySelector('[data-s~="log-count"]') && parseInt(document.querySelector('[data-s~="log-count"]').textContent) > 0`, time.Minute)
	if filter != "" {
		page.setField(`[data-filter=text]`, filter)
	}
	// every long task since the page started, and when the run's
	// progress went away (its last slice's task ended just before)
	page.eval(`(function(){ window.__long = []; new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) { window.__long.push([e.startTime, e.duration]) }) }).observe({type: 'longtask', buffered: true});
		window.__doneAt = 0;
		var done = function () { if (!window.__doneAt && !document.querySelector('[data-role=run-progress]')) window.__doneAt = performance.now(); };
		done(); new MutationObserver(done).observe(document.body, {subtree: true, childList: true});
		return true })()`, new(bool))
	page.waitFor(`window.__doneAt > 0 && !/^Running/.test(document.querySelector('[data-s~="banner"]').textContent)`, 5*time.Minute)
	loaded := time.Since(start)
	time.Sleep(300 * time.Millisecond) // the observer's last entries
	var long [][2]float64
	page.eval(`window.__long`, &long)
	var doneAt float64
	page.eval(`window.__doneAt`, &doneAt)
	longest, over50, over100, last := 0.0, 0, 0, 0.0
	for _, l := range long {
		longest = max(longest, l[1])
		over50++
		if l[1] > 100 {
			over100++
		}
		// the task that removed the progress: it began before and ended
		// (within the observer's rounding) after that moment
		if l[0] <= doneAt && l[0]+l[1] >= doneAt-1 {
			last = l[1]
		}
	}
	var evs int // "N events", or "n of N events" when filtered
	page.eval(`(function(){ var t = document.querySelector('[data-s~="log-count"]').textContent, m = / of ([0-9]+)/.exec(t); return parseInt(m ? m[1] : t) })()`, &evs)
	var times []float64
	page.eval(stepScript, &times)
	sort.Float64s(times)
	p50, p95 := pct(times, 50), pct(times, 95)
	report(map[string]any{"measurement": "step_render_ms", "events": evs, "requests": requests, "filter": filter, "run_s": round(loaded.Seconds()),
		"longest_task_ms": round(longest), "tasks_over_50ms": over50, "tasks_over_100ms": over100, "last_slice_task_ms": round(last), "steps": len(times),
		"p50": round(p50), "p95": round(p95), "max": round(times[len(times)-1]), "budget_p95": budgetStepMS, "ok": p95 <= budgetStepMS})
}

// stepScript clicks step and step back 400 times and returns each
// click's time to style and layout.
const stepScript = `(function(){
	var fwd = document.querySelector('[data-action=step]'), back = document.querySelector('[data-action=step-back]');
	var ts = [];
	for (var i = 0; i < 400; i++) {
		var b = (i % 100) < 50 ? fwd : back;
		var t0 = performance.now();
		b.click();
		void document.body.offsetHeight;
		ts.push(performance.now() - t0);
	}
	return ts;
})()`

// open0 navigates without waiting for the sandbox's ready flag.
func (b *browser) open0(path string) {
	b.t.Helper()
	b.noProblems()
	b.run(chromedp.Navigate(b.base + path))
}

// buildTLBench builds wasm/cmd/tlbench into a page of its own.
func buildTLBench(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if w := os.Getenv("CONNLAB_TLBENCH_WASM"); w != "" {
		// a tlbench built elsewhere (another commit's, for a before and
		// after)
		copyFile(t, w, filepath.Join(dir, "tlbench.wasm"))
	} else {
		cmd := exec.Command(goCmd(), "build", "-trimpath", "-o", filepath.Join(dir, "tlbench.wasm"), "./wasm/cmd/tlbench")
		cmd.Dir = "../.."
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if o, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building wasm/cmd/tlbench: %v\n%s", err, o)
		}
	}
	copyFile(t, filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"), filepath.Join(dir, "wasm_exec.js"))
	os.WriteFile(filepath.Join(dir, "run.js"), []byte(`var go = new Go();
WebAssembly.instantiateStreaming(fetch('tlbench.wasm'), go.importObject).then(function (r) { go.run(r.instance); });
`), 0o644)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(`<!doctype html><html><head><meta charset="utf-8"><title>tlbench</title></head>
<body><p>measuring…</p><script src="wasm_exec.js"></script><script src="run.js"></script></body></html>`), 0o644)
	return dir
}
