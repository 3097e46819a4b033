package ui

import (
	"regexp"
	"slices"
	"testing"
)

// TestLogFilterClearedListsEveryRow: clearing the event log's filter lists
// every event again, even when the log's window of rows is the same as
// the filtered one's (the rows' key kept the last filter's, so the
// filtered rows stayed on the page).
func TestLogFilterClearedListsEveryRow(t *testing.T) {
	p := newPage(t)
	seqs := func() []string {
		var s []string
		for _, m := range regexp.MustCompile(`data-seq="(\d+)"`).FindAllStringSubmatch(p.v[SlotLogRows], -1) {
			s = append(s, m[1])
		}
		return s
	}
	all := seqs()
	p.do(FilterLog{Filter: LogFilter{Text: "t"}})
	filtered := seqs()
	if len(filtered) != len(all) || slices.Equal(filtered, all) {
		t.Fatalf("the filter should drop some of the first rows and still fill the window: %d rows %v, unfiltered %d", len(filtered), filtered, len(all))
	}
	p.do(FilterLog{})
	if got := seqs(); !slices.Equal(got, all) {
		t.Errorf("cleared: rows %v, want %v", got, all)
	}
}
