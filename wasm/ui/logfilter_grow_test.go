package ui

import (
	"math/rand"
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

// containsLower is strings.Contains of strings.ToLower, without a string
// per event: on ASCII, other scripts' capitals, arrows and invalid bytes.
func TestContainsLowerIsToLower(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	alphabet := []string{"a", "B", "z", "Z", "_", " ", "→", "←", "Ä", "ä", "Σ", "σ", "İ", "K", "\xff", "\xe2\x86", ":"}
	var low []byte
	for n := 0; n < 20000; n++ {
		var s, sub strings.Builder
		for k := rng.Intn(12); k > 0; k-- {
			s.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		for k := rng.Intn(3); k > 0; k-- {
			sub.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		needle := strings.ToLower(sub.String())
		if got, want := containsLower(&low, s.String(), needle), strings.Contains(strings.ToLower(s.String()), needle); got != want {
			t.Fatalf("containsLower(%q, %q) = %v, want %v", s.String(), needle, got, want)
		}
	}
}
