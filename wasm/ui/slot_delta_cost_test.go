package ui

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
)

// stepFrames renders after a, applies the batch to the page, and returns
// what it sent each slot.
func (p *page) stepFrames(a Action) map[Slot]string {
	p.t.Helper()
	p.m.Update(a)
	batch, _ := p.m.Render()
	f, err := DecodeFrames(batch)
	if err != nil {
		p.t.Fatal(err)
	}
	sent := map[Slot]string{}
	for i := 0; i+1 < len(f); i += 2 {
		sent[Slot(atoiT(p.t, f[i]))] = f[i+1]
	}
	decodePage(p.t, p.v, batch)
	return sent
}

func atoiT(t *testing.T, s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("%q is not a slot index", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// TestStepSendsOnlyWhatChanged: stepping through a long pipelined
// session, a step that changes only which bytes are written, read or lit
// sends the wire panel's changed classes, not its markup (tens of KB the
// page would parse again), and a step that moves the event log's window
// sends the rows that came, not all of them; and after every step the
// page, updated so, shows exactly what a whole render would (the
// renderer's value is the whole markup).
func TestStepSendsOnlyWhatChanged(t *testing.T) {
	for _, hex := range []bool{false, true} {
		p := newPage(t)
		req := strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 300)
		f := &session.File{Version: 1, Mode: "server", Handler: "hello", Input: []session.Input{{Send: &req}}}
		tl, err := timeline.New(f)
		if err != nil {
			t.Fatal(err)
		}
		p.m.setTimeline(tl, "")
		p.do(SetLogRows{N: 30}, Toggle{What: "wire-hex", On: hex}, JumpTo{Event: 2000})
		deltas, wholes, rowDeltas, rowWholes := 0, 0, 0, 0
		for i := 0; i < 1200; i++ {
			sent := p.stepFrames(Step{Back: i >= 900})
			for _, s := range []Slot{SlotWireIn, SlotWireOut} {
				v, ok := sent[s]
				if !ok {
					continue
				}
				full := p.m.rend.Value(s)
				if strings.HasPrefix(v, "=") {
					deltas++
					if len(v) > len(full)/8 {
						t.Errorf("hex %v, step %d: a %d B update of %s's %d B", hex, i, len(v), s.Name(), len(full))
					}
				} else {
					wholes++
				}
				if p.v[s] != full {
					t.Fatalf("hex %v, step %d: %s after the update\n%.400q\nwant\n%.400q", hex, i, s.Name(), p.v[s], full)
				}
			}
			if v, ok := sent[SlotLogRows]; ok {
				if strings.HasPrefix(v, "~") {
					rowDeltas++
				} else {
					rowWholes++
				}
				if p.v[SlotLogRows] != p.m.rend.Value(SlotLogRows) {
					t.Fatalf("hex %v, step %d: the log's rows after the update differ from a whole render", hex, i)
				}
			}
		}
		// the window of bytes moves by a quarter of itself now and then:
		// then, and only then, the whole markup
		if wholes*4 > deltas || deltas < 50 {
			t.Errorf("hex %v: %d class updates, %d whole renders", hex, deltas, wholes)
		}
		t.Logf("hex %v: wire: %d class updates, %d whole renders; log: %d rows updates, %d whole renders", hex, deltas, wholes, rowDeltas, rowWholes)
		if rowDeltas < 20 || rowWholes > 1 {
			t.Errorf("hex %v: %d rows updates, %d whole renders", hex, rowDeltas, rowWholes)
		}
	}
}

// TestDeltaNeedsTheSameRuns: the class-only update is only made between
// two layouts of the same window and runs, and says only the runs whose
// classes changed.
func TestDeltaNeedsTheSameRuns(t *testing.T) {
	data := []byte(strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 10))
	segs, _ := dissectRequests(data, -1)
	cuts := []int64{0, 27, 54, 81, 108}
	var a, b, c wireLayout
	layWire(wireView{data: data, segs: segs, cuts: cuts, written: 54, read: 27, hlLo: 27, hlHi: 54}, &a)
	layWire(wireView{data: data, segs: segs, cuts: cuts, written: 81, read: 27, hlLo: 54, hlHi: 81}, &b)
	d, ok := wireDelta(&a, &b)
	if !ok {
		t.Fatal("the same runs, no delta")
	}
	f, _ := DecodeFrames(d[1:])
	if len(f) == 0 || len(f) > 2*len(a.offs)/2 {
		t.Errorf("%d frames of %d runs: %q", len(f), len(a.offs), d)
	}
	// a cut the other has not (read at 40): other runs, no delta
	layWire(wireView{data: data, segs: segs, cuts: cuts, written: 81, read: 40}, &c)
	if _, ok := wireDelta(&b, &c); ok {
		t.Error("a delta between different runs")
	}
}

// TestWireWindowStaysAfterIO: on a stream longer than the window, an io
// event (its bytes lit) and the step after it (none lit, the same last
// moved bytes) lay out the same window and runs, so the step after sends
// classes only; and before any io event the window is at the engine's
// read edge, not at the end of what the person sent.
func TestWireWindowStaysAfterIO(t *testing.T) {
	data := []byte(strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400))
	segs, _ := dissectRequests(data, -1)
	var cuts []int64
	for o := int64(0); o <= int64(len(data)); o += 27 {
		cuts = append(cuts, o)
	}
	n := int64(len(data))
	for _, hex := range []bool{false, true} {
		for r0 := int64(0); r0+27 <= n; r0 += 27 * 37 {
			var at, after wireLayout
			layWire(wireView{data: data, segs: segs, cuts: cuts, written: n, read: r0 + 27, hlLo: r0, hlHi: r0 + 27, moved: r0, anyIO: true, hex: hex}, &at)
			layWire(wireView{data: data, segs: segs, cuts: cuts, written: n, read: r0 + 27, moved: r0, anyIO: true, hex: hex}, &after)
			if _, ok := wireDelta(&at, &after); !ok {
				t.Errorf("hex %v, read at %d: window %d-%d at the io event, %d-%d after it", hex, r0, at.lo, at.hi, after.lo, after.hi)
			}
		}
		var first wireLayout
		layWire(wireView{data: data, segs: segs, cuts: cuts, written: n, read: 0, hex: hex}, &first)
		if first.lo != 0 {
			t.Errorf("hex %v: before any io the window starts at %d, not at the read edge 0", hex, first.lo)
		}
	}
}
