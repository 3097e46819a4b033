package ui

import (
	"reflect"
	"strings"
	"testing"
)

// The log's filter, while a long session runs, filters each slice's
// events as they arrive; what it lists is a full rescan's at every slice.
func TestLogFilterGrowsWithTheRun(t *testing.T) {
	frag, _ := longLink(t, 2000, 0)
	for _, f := range []LogFilter{{Kind: "io"}, {Func: "poll_read"}, {Text: "keep_alive"}, {Kind: "transition", Text: "idle"}} {
		p := newPage(t)
		p.do(Init{BaseURL: "https://connlab.test/", Fragment: frag})
		p.do(FilterLog{Filter: f})
		for slice := 0; ; slice++ {
			got := p.m.logMatches()
			// a full rescan: the same filter on a page with nothing cached
			want := (&Model{TL: p.m.TL, Filter: f}).logMatches()
			if !reflect.DeepEqual(got, want) || p.m.memo.filteredN != p.m.TL.Len() {
				t.Fatalf("filter %+v, slice %d: %d listed of %d filtered, a rescan lists %d of %d", f, slice, len(got), p.m.memo.filteredN, len(want), p.m.TL.Len())
			}
			if !p.m.Running() {
				break
			}
			p.m.ContinueRun()
			p.render()
		}
		// each event was read once, not once a slice
		if p.m.memo.filterRead != p.m.TL.Len() {
			t.Fatalf("filter %+v: %d events read to filter %d", f, p.m.memo.filterRead, p.m.TL.Len())
		}
		if len(p.m.logMatches()) == 0 || !strings.Contains(p.v[SlotLogCount], " of ") {
			t.Fatalf("filter %+v lists nothing: %q", f, p.v[SlotLogCount])
		}
	}
}
