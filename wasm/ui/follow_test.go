package ui

import "testing"

// TestFollowStopsAtTheLastRow: at an event near the end of the log, the
// log is scrolled no further than its last row allows (the rows it shows,
// LogRows less two, end at the last event), as the browser would clamp
// it; further up, the cursor's row sits a third of the way down.
func TestFollowStopsAtTheLastRow(t *testing.T) {
	m := New()
	m.Update(SetLogRows{N: 18})
	m.Update(LoadScenario{Name: "keep-alive"})
	n := m.TL.Len()
	if n < 40 {
		t.Fatalf("keep-alive has %d events", n)
	}
	for _, c := range []int{n - 1, n - 4, n - 10, n / 2, 3} {
		m.Update(JumpTo{Event: c})
		top := m.LogScroll / LogRowHeight
		last := n - 16
		want := min(max(0, c-6), last)
		if top != want {
			t.Errorf("cursor at %d of %d: the log's top row is %d, want %d", c, n, top, want)
		}
		if top > last {
			t.Errorf("cursor at %d of %d: scrolled to row %d, past the last full window's %d", c, n, top, last)
		}
	}
}
