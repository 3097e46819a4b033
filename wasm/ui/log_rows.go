package ui

// logMemo is the event log's rows as last rendered. Following the cursor
// moves the log's window of rows by about two thirds of itself every so
// many steps; the rows both windows hold stay on the page, and the update
// (logDelta) removes the rows that left and adds the ones that came, not
// all of them again.
type logMemo struct {
	key         string // the timeline's version and the filter
	first, last int    // the rows [first, last) of the log
	html        string
	starts      []int  // where each row's markup starts in html
	from        string // the markup delta updates
	delta       string // "": none, send html
}

// next records the rows [first, last) of key as html (lm.starts holding
// where each starts), and the update from the rows before them when both
// windows share a row.
func (lm *logMemo) next(key string, first, last int, html string) {
	same := key == lm.key && lm.html != ""
	f0, l0 := lm.first, lm.last
	lm.from, lm.delta = lm.html, ""
	lm.key, lm.first, lm.last, lm.html = key, first, last, html
	if same && max(f0, first) < min(l0, last) {
		lm.delta = logDelta(f0, l0, first, last, html, lm.starts)
	}
}

// logDelta is the update from rows [f0, l0) to rows [f1, l1) (html, each
// row's start in starts), the two overlapping: "~" then frames (batch.go)
// of how many rows leave from the front and from the back, the markup of
// the rows that come before those kept and of those that come after
// (connlab.js, slot kind "rows").
func logDelta(f0, l0, f1, l1 int, html string, starts []int) string {
	at := func(row int) int { // where row's markup starts, or the end
		if row-f1 < len(starts) {
			return starts[row-f1]
		}
		return len(html)
	}
	var before, after string
	if f1 < f0 {
		before = html[:at(f0)]
	}
	if l1 > l0 {
		after = html[at(l0):]
	}
	b := []byte{'~'}
	b = appendFrame(b, itoa(max(0, f1-f0)))
	b = appendFrame(b, itoa(max(0, l0-l1)))
	b = appendFrame(b, before)
	b = appendFrame(b, after)
	return string(b)
}
