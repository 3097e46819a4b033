package ui

import (
	"math"
	"math/rand"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/rustgen"
	"github.com/connlab/connlab/engine/session"
)

// TestStartRenderMakesNoRustKey: the first render of a fresh page says the
// Rust is coming without making the session's JSON (the page asks
// /api/rust just after it is ready: wasm/dom.go), and once asked and
// answered the panel shows the Rust as before (issue 19, item 5).
func TestStartRenderMakesNoRustKey(t *testing.T) {
	p := newPage(t)
	if p.m.prog.rust.keyTL != nil {
		t.Error("the start-up render made the Rust key (the session's JSON)")
	}
	if got := p.v[SlotRustStatus]; got != "generating the Rust…" {
		t.Errorf("Rust status at start %q", got)
	}
	key, body, ok := p.m.RustRequest()
	if !ok || key == "" {
		t.Fatal("no Rust asked for after start")
	}
	f, err := session.ParseBytes([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	server, client := rustgen.Beside(f)
	p.do(RustArrived{Key: key, Status: 200, Body: rustJSON(t, server, client)})
	if !strings.Contains(p.text(SlotRustServer), "async fn") || p.v[SlotRustServerBox] != "" {
		t.Fatalf("Rust panel after the answer: %q (box hidden %q)", p.text(SlotRustServer), p.v[SlotRustServerBox])
	}
	if got := p.v[SlotRustStatus]; got == "generating the Rust…" || got == "" {
		t.Errorf("Rust status after the answer %q", got)
	}
	// an error answer is said, not taken for "still generating"
	p2 := newPage(t)
	key2, _, _ := p2.m.RustRequest()
	p2.do(RustArrived{Key: key2, Status: 500, Body: `{"error":"boom"}`})
	if got := p2.v[SlotRustStatus]; got == "generating the Rust…" || got == "" {
		t.Errorf("Rust status after an error answer %q", got)
	}
}

// crossedBySampling is crossedBy without its bounding-box test: the 201
// samples alone.
func crossedBySampling(a dgBox, x1, y1, qx, qy, x2, y2 float64) bool {
	for s := 0; s <= 200; s++ {
		u := float64(s) / 200
		px := (1-u)*(1-u)*x1 + 2*u*(1-u)*qx + u*u*x2
		py := (1-u)*(1-u)*y1 + 2*u*(1-u)*qy + u*u*y2
		if px > a.x0 && px < a.x1 && py > a.y0+1 && py < a.y1-1 {
			return true
		}
	}
	return false
}

// TestCrossedByBoundingBox: the bounding-box shortcut never changes
// crossedBy's answer, for boxes that touch the curve's extremes exactly
// (flat and vertical curves) as well as random ones.
func TestCrossedByBoundingBox(t *testing.T) {
	rng := rand.New(rand.NewSource(19))
	grid := func() float64 { return float64(rng.Intn(40)) * 7.5 }
	for i := 0; i < 200000; i++ {
		x1, y1, qx, qy, x2, y2 := grid(), grid(), grid(), grid(), grid(), grid()
		switch i % 4 {
		case 1: // flat: y is one value all along
			qy, y2 = y1, y1
		case 2: // vertical
			qx, x2 = x1, x1
		}
		b := dgBox{grid(), grid(), grid(), grid()}
		if i%3 == 0 { // an edge on one of the control points' extremes
			b.x0 = max(x1, qx, x2) - float64(rng.Intn(2))*0.5
			b.y1 = min(y1, qy, y2) + 1 + float64(rng.Intn(2))
		}
		if b.x1 < b.x0 {
			b.x0, b.x1 = b.x1, b.x0
		}
		if b.y1 < b.y0 {
			b.y0, b.y1 = b.y1, b.y0
		}
		if got, want := b.crossedBy(x1, y1, qx, qy, x2, y2), crossedBySampling(b, x1, y1, qx, qy, x2, y2); got != want {
			t.Fatalf("box %v, curve (%v,%v) (%v,%v) (%v,%v): crossedBy %v, the samples say %v", b, x1, y1, qx, qy, x2, y2, got, want)
		}
	}
}

// TestFnumIsFormatFloat: fnum writes what strconv.FormatFloat writes for
// the value rounded to tenths, signs, zeros and halves included.
func TestFnumIsFormatFloat(t *testing.T) {
	ref := func(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
	vals := []float64{0, math.Copysign(0, -1), -0.04, 0.04, 0.05, -0.05, 0.95, -0.95, 1, -1, 12.25, 12.35, 999.99, -1234.56, 1e14, -1e14, 1e16, math.Inf(1), math.Inf(-1), math.NaN()}
	rng := rand.New(rand.NewSource(5))
	for i := 0; i < 100000; i++ {
		vals = append(vals, (rng.Float64()-0.5)*4000, float64(rng.Intn(20001)-10000)/20)
	}
	for _, v := range vals {
		if got, want := fnum(v), ref(v); got != want {
			t.Fatalf("fnum(%v) = %q, FormatFloat says %q", v, got, want)
		}
	}
}

// TestNewAllocatesLittle: the model the page starts with (the default
// scenario run, the library's listing) allocates about 120 KB natively;
// listing the library with its sessions, whose long runs are written out
// (engine/scenarios: runs.go), added 90 KB to it on the start-up path.
func TestNewAllocatesLittle(t *testing.T) {
	New() // the packages' one-time work out of the way
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	New()
	runtime.ReadMemStats(&b)
	if n := b.TotalAlloc - a.TotalAlloc; n > 160<<10 {
		t.Errorf("New allocates %d bytes, want at most %d", n, 160<<10)
	} else {
		t.Logf("New allocates %d bytes", n)
	}
}
