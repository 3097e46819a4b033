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
//     slices is done, the longest task meanwhile (the page answers
//     between two), and a step plus re-render (p95 ≤ 16 ms).
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
	requests := 30100 // 1 000 000 events and more
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
	// while it runs, the page's longest task (the main thread busy, no
	// click or key answered) and how many took over 50 ms
	page.waitFor(`document.querySelector('[data-role=run-progress]')`, time.Minute)
	page.eval(`(function(){ window.__long = []; new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) { window.__long.push(e.duration) }) }).observe({type: 'longtask'}); return true })()`, new(bool))
	page.waitFor(`!document.querySelector('[data-role=run-progress]') && parseInt(document.querySelector('[data-s~="log-count"]').textContent) >= 1000000`, 5*time.Minute)
	loaded := time.Since(start)
	var long []float64
	page.eval(`window.__long`, &long)
	sort.Float64s(long)
	longest := 0.0
	if len(long) > 0 {
		longest = long[len(long)-1]
	}
	var evs int
	page.eval(`parseInt(document.querySelector('[data-s~="log-count"]').textContent)`, &evs)
	var times []float64
	page.eval(stepScript, &times)
	sort.Float64s(times)
	p50, p95 := pct(times, 50), pct(times, 95)
	report(map[string]any{"measurement": "step_render_ms", "events": evs, "requests": requests, "run_s": round(loaded.Seconds()),
		"longest_task_while_running_ms": round(longest), "tasks_over_50ms": len(long), "steps": len(times),
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
