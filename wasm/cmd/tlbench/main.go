//go:build js && wasm

// Command tlbench measures time travel in the browser's wasm (issue 19,
// item 2): it records a session of about a million events with
// engine/timeline and times what the sandbox does with it: memory per
// event, step back and jump with the view, fork at several points, and the
// run in slices a page does. TestBrowserBudgets (make bench-browser)
// builds it, loads it in headless Chromium and prints the figures; it is
// not part of the site.
//
// The page's address says the size: ?events=1000000. The result is one
// JSON object in window.tlbenchResult (or window.tlbenchError).
package main

import (
	"encoding/json"
	"runtime"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
)

func main() {
	defer func() {
		if p := recover(); p != nil {
			js.Global().Set("tlbenchError", toString(p))
		}
	}()
	events := 1_000_000
	q := ""
	if loc := js.Global().Get("location"); loc.Truthy() {
		q = loc.Get("search").String()
	}
	if i := strings.Index(q, "events="); i >= 0 {
		if n, err := strconv.Atoi(q[i+len("events="):]); err == nil && n > 0 {
			events = n
		}
	}
	out, _ := json.Marshal(measure(events))
	js.Global().Set("tlbenchResult", string(out))
	println(string(out)) // the console, and node's stderr
}

func toString(p any) string {
	if e, ok := p.(error); ok {
		return e.Error()
	}
	if s, ok := p.(string); ok {
		return s
	}
	return "panic"
}

// bigSession is TestTimelineBudgets' session: tiny pipelined GETs to
// hello, 16 a batch, about 33 events a request.
func bigSession(events int) *session.File {
	batch := strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 16)
	f := &session.File{Version: 1, Mode: "server", Handler: "hello"}
	for i := 0; i < events/32+16; i += 16 {
		b := batch
		f.Input = append(f.Input, session.Input{Send: &b})
	}
	return f
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func measure(events int) map[string]any {
	f := bigSession(events)
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	start := time.Now()
	tl, err := timeline.New(f)
	build := ms(time.Since(start))
	runtime.GC()
	runtime.ReadMemStats(&m1)
	if err != nil || tl.Err() != nil {
		panic("the session did not run: " + errString(err) + errString(tl.Err()))
	}
	n := tl.Len()
	perEvent := float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc)) / float64(n)

	// step back by every unit with the view, the worst unit's mean; the
	// browser's clock is coarse (0.1 ms), so many steps are timed at once
	stepBack := 0.0
	for u := timeline.UnitEvent; u <= timeline.UnitRequest; u++ {
		tl.JumpTo(n - 1)
		const k = 2000
		start := time.Now()
		for i := 0; i < k; i++ {
			if !tl.StepBack(u) {
				tl.JumpTo(n - 1)
			}
			_ = tl.View()
		}
		stepBack = max(stepBack, ms(time.Since(start))/k)
	}
	const jumps = 5000
	start = time.Now()
	for i := 0; i < jumps; i++ {
		tl.JumpTo((i * 7919) % n)
		_ = tl.View()
	}
	jump := ms(time.Since(start)) / jumps

	forks := map[string]float64{}
	worstFork := 0.0
	for _, pct := range []int{25, 50, 75, 99, 100} {
		tl, _ := timeline.New(f)
		tl.JumpTo((tl.Len() - 1) * pct / 100)
		start := time.Now()
		if err := tl.Fork(f.Input[0]); err != nil {
			panic("fork: " + err.Error())
		}
		d := ms(time.Since(start))
		forks[strconv.Itoa(pct)+"%"] = d
		worstFork = max(worstFork, d)
	}

	// the run in slices of 20 000 events, as the page runs a long session
	const slice = 20000
	tl, _ = timeline.Start(f)
	start = time.Now()
	worstSlice, slices := 0.0, 0
	for {
		s := time.Now()
		done := tl.Continue(slice)
		worstSlice = max(worstSlice, ms(time.Since(s)))
		slices++
		if done {
			break
		}
	}
	sliced := ms(time.Since(start))

	return map[string]any{
		"measurement":      "time travel in the browser's wasm (issue 19, item 2)",
		"events":           n,
		"build_ms":         build,
		"bytes_per_event":  perEvent,
		"step_back_ms":     stepBack,
		"jump_ms":          jump,
		"fork_ms":          forks,
		"fork_worst_ms":    worstFork,
		"sliced_run_ms":    sliced,
		"slice_events":     slice,
		"slices":           slices,
		"slice_worst_ms":   worstSlice,
		"budgets":          "<= 100 bytes per event, step back and jump <= 1 ms, fork <= 500 ms",
		"ok":               perEvent <= 100 && stepBack <= 1 && jump <= 1 && worstFork <= 500,
		"go_heap_after_mb": float64(m1.HeapAlloc) / (1 << 20),
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
