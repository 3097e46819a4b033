package ui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A step at a million events costs what it costs at ten thousand
// (BenchmarkStepRender1M): nothing it reads scans the timeline. These
// check that the searches standing in for the scans find what a scan
// finds.

// pickOf finds an io event's bytes by a binary search over the wire
// spans: the span a scan finds, for every event.
func TestPickOfIsTheEventsSpan(t *testing.T) {
	m := pipelinedModel(t, 40)
	spans := m.TL.WireSpans()
	for i := -1; i <= m.TL.Len(); i++ {
		want := Pick{}
		for _, sp := range spans {
			if sp.Event == i {
				want = Pick{Stream: sp.Stream, Lo: sp.Lo, Hi: sp.Hi, Event: i}
			}
		}
		if got := m.pickOf(i); got != want {
			t.Fatalf("pickOf(%d) = %+v, want %+v", i, got, want)
		}
	}
}

// The wire panels read only the segments that reach into their window
// (a binary search for the first): each run they show is coloured as the
// segment a scan finds at its offset.
func TestWireWindowColoursBySegment(t *testing.T) {
	long := []byte(strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 300))
	segs, _ := dissectRequests(long, -1)
	run := regexp.MustCompile(`<span class="([^"]*)" data-o="([0-9]+)">`)
	for _, hex := range []bool{false, true} {
		for written := int64(0); written <= int64(len(long)); written += 997 {
			html := renderWire(wireView{data: long, segs: segs, written: written, read: written / 2, hlLo: written / 3, hlHi: written/3 + 27, hex: hex})
			runs := run.FindAllStringSubmatch(html, -1)
			if len(runs) < 100 {
				t.Fatalf("hex %v, written %d: %d runs", hex, written, len(runs))
			}
			for _, r := range runs {
				off, _ := strconv.Atoi(r[2])
				kind := ""
				for _, s := range segs {
					if s.Lo <= off && off < s.Hi {
						kind = segClasses[s.Kind]
					}
				}
				if got, _, _ := strings.Cut(r[1], " "); got != kind {
					t.Fatalf("hex %v, written %d: the run at %d is %q, its segment %q", hex, written, off, r[1], kind)
				}
			}
		}
	}
}
