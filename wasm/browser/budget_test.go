//go:build !js

package browser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/chromedp/chromedp"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
	"github.com/connlab/connlab/wasm/ui"
)

// The budgets (DESIGN.md, UI; printed by make bench):
//   - the wasm's transfer size with brotli ≤ 800 KiB (issue 19, item 5);
//   - navigation-to-ready in headless Chromium ≤ 1.6× that of a minimal Go
//     wasm page built and measured in the same run (issue 19, item 5);
//   - a step plus re-render, with a 10 000-event timeline, p95 ≤ 16 ms.
const (
	budgetBrotli = 800 << 10
	budgetReady  = 1.6
	budgetStepMS = 16.0
)

// minimalMain is the smallest Go wasm page: it says it is ready.
const minimalMain = `package main

import "syscall/js"

func main() {
	js.Global().Get("document").Call("getElementById", "app").Call("setAttribute", "data-ready", "true")
	js.Global().Set("connlabReadyAt", js.Global().Get("performance").Call("now"))
	select {}
}
`

// TestBrowserBudgets measures the budgets and prints one JSON line each.
// It runs with CONNLAB_BENCH=1 (make bench-browser).
func TestBrowserBudgets(t *testing.T) {
	if os.Getenv("CONNLAB_BENCH") != "1" {
		t.Skip("budgets run with CONNLAB_BENCH=1 (make bench-browser)")
	}
	requireBrowser(t)
	report := func(v map[string]any) {
		j, _ := json.Marshal(v)
		fmt.Println(string(j))
	}

	// 1. transfer size
	var manifest map[string]struct {
		Name   string `json:"name"`
		Size   int    `json:"size"`
		Gzip   int    `json:"gzip"`
		Brotli int    `json:"brotli"`
	}
	mj, err := os.ReadFile(filepath.Join(distDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(mj, &manifest); err != nil {
		t.Fatal(err)
	}
	w := manifest["connlab.wasm"]
	report(map[string]any{"measurement": "wasm_size", "bytes": w.Size, "gzip": w.Gzip, "brotli": w.Brotli, "budget_brotli": budgetBrotli, "ok": w.Brotli <= budgetBrotli})
	if w.Brotli > budgetBrotli {
		t.Errorf("wasm brotli size %d > budget %d", w.Brotli, budgetBrotli)
	}

	// 2. navigation to ready, against a minimal Go wasm page
	minDir := buildMinimalPage(t)
	ours := newBrowser(t, distDir)
	mini := newBrowser(t, minDir)
	// The two pages load in pairs, back to back, and the ratio is the
	// median of the pairs' ratios: this machine's speed drifts by ±15%
	// over a run (a shared 2-core VM), and a pair sees the same drift.
	const runs = 15
	var oursMS, miniMS, ratios []float64
	oursPhases, miniPhases := map[string][]float64{}, map[string][]float64{}
	for i := 0; i < runs; i++ {
		m := readyTime(mini, miniPhases)
		o := readyTime(ours, oursPhases)
		miniMS, oursMS, ratios = append(miniMS, m), append(oursMS, o), append(ratios, o/m)
	}
	mo, mm, ratio := median(oursMS), median(miniMS), median(ratios)
	report(map[string]any{"measurement": "navigation_to_ready_ms", "cache": "none", "connlab": round(mo), "minimal_go_wasm": round(mm), "ratio": round(ratio), "ratio_of_medians": round(mo / mm), "runs": runs, "budget_ratio": budgetReady, "ok": ratio <= budgetReady,
		"connlab_phases": medians(oursPhases), "minimal_phases": medians(miniPhases)})
	if ratio > budgetReady {
		t.Errorf("navigation to ready %.0f ms vs the minimal page's %.0f ms: median ratio of %d pairs %.2f× (budget %.1f×)", mo, mm, runs, ratio, budgetReady)
	}

	// 3. step + re-render with a 10 000-event timeline
	f, n := bigSession(t)
	j, _ := json.Marshal(f)
	frag, err := ui.EncodeFragment(&ui.Share{Session: j, Cursor: n / 2})
	if err != nil {
		t.Fatal(err)
	}
	ours.open("/#" + frag)
	var evs int
	ours.eval(`parseInt(document.querySelector('[data-s~="log-count"]').textContent)`, &evs)
	var times []float64
	ours.eval(`(function(){
		var fwd = document.querySelector('[data-action=step]'), back = document.querySelector('[data-action=step-back]');
		var ts = [];
		for (var i = 0; i < 400; i++) {
			var b = (i % 100) < 50 ? fwd : back;
			var t0 = performance.now();
			b.click();
			void document.body.offsetHeight; // style and layout, as a frame would
			ts.push(performance.now() - t0);
		}
		return ts;
	})()`, &times)
	sort.Float64s(times)
	p50, p95, worst := pct(times, 50), pct(times, 95), times[len(times)-1]
	report(map[string]any{"measurement": "step_render_ms", "events": evs, "steps": len(times), "p50": round(p50), "p95": round(p95), "max": round(worst), "budget_p95": budgetStepMS, "ok": p95 <= budgetStepMS})
	if evs < 10000 {
		t.Errorf("the big session has %d events, want at least 10 000", evs)
	}
	if p95 > budgetStepMS {
		t.Errorf("step + re-render p95 %.1f ms > %.0f ms", p95, budgetStepMS)
	}
	// jumping across the timeline (the scrubber) too
	var jumps []float64
	ours.eval(`(function(){
		var s = document.querySelector('[data-s~="scrub"]');
		var ts = [], max = Number(s.max);
		for (var i = 0; i < 100; i++) {
			s.value = String(Math.floor((i * 7919) % max));
			var t0 = performance.now();
			s.dispatchEvent(new Event('input', {bubbles: true}));
			void document.body.offsetHeight;
			ts.push(performance.now() - t0);
		}
		return ts;
	})()`, &jumps)
	sort.Float64s(jumps)
	report(map[string]any{"measurement": "scrub_render_ms", "events": evs, "jumps": len(jumps), "p50": round(pct(jumps, 50)), "p95": round(pct(jumps, 95)), "max": round(jumps[len(jumps)-1])})
}

// readyTime navigates to the page and returns the ms from navigation
// start to ready (the page records performance.now() when it is ready).
// phases, if not nil, collects the page's start-up timings.
func readyTime(b *browser, phases map[string][]float64) float64 {
	b.t.Helper()
	// let the previous page's background work (tier-up compilation, GC)
	// finish, so runs do not slow each other down
	b.run(chromedp.Navigate("about:blank"))
	time.Sleep(700 * time.Millisecond)
	b.open(fmt.Sprintf("/?run=%d", time.Now().UnixNano()))
	var ms float64
	b.eval(`window.connlabReadyAt`, &ms)
	if phases != nil {
		var ph map[string]float64
		// firstFrame: the first animation frame after ready, where the
		// panels (not laid out while loading) get their style and layout
		b.waitFor(`window.connlabFirstFrameAt || !window.connlabTimings`, 5*time.Second)
		b.eval(`(function(){
			var n = performance.getEntriesByType('navigation')[0], t = window.connlabTimings || {};
			var w = performance.getEntriesByType('resource').filter(function(r){ return /\.wasm/.test(r.name) })[0];
			return {html: n.responseEnd, wasmStart: w ? w.startTime : 0, wasmFetched: w ? w.responseEnd : 0,
				instantiated: window.connlabInstantiatedAt || 0,
				goStart: t.goStart, modelReady: t.modelReady, bound: t.bound, rendered: t.rendered, ready: t.ready, firstFrame: window.connlabFirstFrameAt};
		})()`, &ph)
		for k, v := range ph {
			if v > 0 {
				phases[k] = append(phases[k], v)
			}
		}
	}
	return ms
}

// buildMinimalPage builds the minimal Go wasm page, served and loaded the
// same way as the site (brotli, the same loader script).
func buildMinimalPage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "go.mod"), []byte("module minimal\n\ngo 1.21\n"), 0o644)
	os.WriteFile(filepath.Join(src, "main.go"), []byte(minimalMain), 0o644)
	out := filepath.Join(dir, "site")
	os.MkdirAll(out, 0o755)
	cmd := exec.Command(goCmd(), "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(out, "min.wasm"), ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=")
	if o, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the minimal page: %v\n%s", err, o)
	}
	wasm, _ := os.ReadFile(filepath.Join(out, "min.wasm"))
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	bw.Write(wasm)
	bw.Close()
	os.WriteFile(filepath.Join(out, "min.wasm.br"), br.Bytes(), 0o644)
	// the same loader as the site: boot.js in the head starts compiling at
	// once, connlab.js instantiates and runs
	for _, f := range [][2]string{{"boot.*.js", "boot.js"}, {"wasm_exec.*.js", "wasm_exec.js"}, {"connlab.*.js", "loader.js"}} {
		m, _ := filepath.Glob(filepath.Join(distDir, f[0]))
		if len(m) != 1 {
			t.Fatalf("site/dist has no single %s", f[0])
		}
		copyFile(t, m[0], filepath.Join(out, f[1]))
	}
	html := `<!doctype html><html><head><meta charset="utf-8"><title>minimal</title>
<script src="boot.js" data-wasm="min.wasm"></script></head><body>
<div id="app" data-wasm="min.wasm"><div id="boot">loading…</div></div>
<script src="wasm_exec.js"></script><script src="loader.js"></script></body></html>`
	os.WriteFile(filepath.Join(out, "index.html"), []byte(html), 0o644)
	t.Logf("minimal page: wasm %d bytes, brotli %d", len(wasm), br.Len())
	return out
}

func goCmd() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return "go"
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// bigSession is a session whose timeline has at least 10 000 events: a
// long pipelined burst to hello.
func bigSession(t *testing.T) (*session.File, int) {
	t.Helper()
	for n := 200; ; n += 100 {
		req := strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", n)
		f, err := session.ParseBytes([]byte(`{"version":1,"mode":"server","handler":"hello","input":[{"send":` + jsonString(req) + `}]}`))
		if err != nil {
			t.Fatal(err)
		}
		tl, err := timeline.New(f)
		if err != nil {
			t.Fatal(err)
		}
		if tl.Len() >= 10000 {
			return f, tl.Len()
		}
	}
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func pct(sorted []float64, p int) float64 {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(i-1, len(sorted)-1))]
}

func round(x float64) float64 { return float64(int(x*100+0.5)) / 100 }

// medians reduces each phase's runs to its median, in ms since navigation
// start.
func medians(phases map[string][]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range phases {
		out[k] = round(median(v))
	}
	return out
}
