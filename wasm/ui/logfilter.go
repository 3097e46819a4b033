package ui

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/connlab/connlab/engine/timeline"
	"github.com/connlab/connlab/engine/trace"
)

// The event log's filter (issue 16, item 9): by kind, by function (the
// call path the event happened in, or the function it names) and by
// text (what the row says), all three at once, live as the person types.
// The log then lists only the matching events; clicking one still
// travels there, ↓ / ↑ in the log move to the next or previous match,
// and the other controls step through every event as before.

// LogFilter is what the event log shows. The zero value shows everything.
type LogFilter struct {
	Kind string // a trace kind's name ("io", "transition", …); "" any
	Func string // contained in the event's call path, function name or ref (any case)
	Text string // contained in the row's text (any case)
}

// On says the filter hides something.
func (f LogFilter) On() bool { return f.Kind != "" || f.Func != "" || f.Text != "" }

type (
	// FilterLog sets the event log's filter.
	FilterLog struct{ Filter LogFilter }
	// LogStep moves to the next (Back: previous) event the log lists:
	// ↓ / ↑ in the event log.
	LogStep struct{ Back bool }
)

func (FilterLog) isAction() {}
func (LogStep) isAction()   {}

// logMatches lists the events the filter keeps, ascending, or nil when
// the filter is off (every event). It is computed once per filter and
// change of the events: a step re-renders the log without scanning it,
// and while a long session runs, each slice's events are filtered as
// they arrive (the events before them stay as they were), not the whole
// log again after every slice (TestLogFilterGrowsWithTheRun).
func (m *Model) logMatches() []int32 {
	f := m.Filter
	if !f.On() {
		return nil
	}
	tl := m.TL
	key := itoa(m.rewrites) + "\x00" + f.Kind + "\x00" + f.Func + "\x00" + f.Text
	mm := &m.memo
	if key != mm.filterKey || mm.filteredN > tl.Len() {
		mm.filterKey, mm.filtered, mm.filteredN, mm.filterSpans = key, []int32{}, 0, map[int32]string{}
	}
	if mm.filteredN == tl.Len() {
		return mm.filtered
	}
	fn, text := strings.ToLower(f.Func), strings.ToLower(f.Text)
	out := mm.filtered
	// event by event, the kind read first without building the event: a
	// slice of a long run is filtered between two frames
	var low []byte
	for i := mm.filteredN; i < tl.Len(); i++ {
		if f.Kind != "" && tl.KindAt(i).String() != f.Kind {
			continue
		}
		e := tl.Event(i)
		if fn != "" && !funcMatches(tl, mm.filterSpans, e, fn, &low) {
			continue
		}
		if text != "" && !containsLower(&low, eventText(e, m.eventClock(e)), text) {
			continue
		}
		out = append(out, e.Seq)
	}
	mm.filterRead += tl.Len() - mm.filteredN
	mm.filtered, mm.filteredN = out, tl.Len()
	return out
}

// funcMatches says the event happened inside a function whose name
// contains fn (lower case), or names one: its call path, its name (the
// function of a call, ret or poll) or its ref into hyper's source.
func funcMatches(tl *timeline.Timeline, spans map[int32]string, e trace.Event, fn string, low *[]byte) bool {
	path, ok := spans[e.Span]
	if !ok {
		path = strings.ToLower(tl.SpanString(e.Span))
		spans[e.Span] = path
	}
	return strings.Contains(path, fn) || containsLower(low, e.Name, fn) || containsLower(low, e.Ref, fn)
}

// containsLower says s in lower case contains sub (lower case), as
// strings.Contains(strings.ToLower(s), sub) does, in the buffer *low
// rather than a new string per event.
func containsLower(low *[]byte, s, sub string) bool {
	b := (*low)[:0]
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			// ToLower writes an invalid byte as U+FFFD
			b = utf8.AppendRune(b, r)
		} else {
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
		i += n
	}
	*low = b
	return bytes.Contains(b, []byte(sub))
}

// logRowOf is the row the log shows event c at, or, when the filter hides
// it, the row of the first listed event after it; and whether c is
// listed.
func (m *Model) logRowOf(c int) (int, bool) {
	list := m.logMatches()
	if list == nil {
		return c, true
	}
	return slices.BinarySearch(list, int32(c))
}

// logStep moves to the next or previous listed event.
func (m *Model) logStep(back bool) {
	list := m.logMatches()
	if list == nil {
		m.Update(Step{Unit: timeline.UnitEvent, Back: back})
		return
	}
	c := m.TL.Cursor()
	i, found := slices.BinarySearch(list, int32(c))
	switch {
	case back:
		i--
	case found:
		i++
	}
	if i < 0 || i >= len(list) {
		return
	}
	m.moveFrom()
	m.TL.JumpTo(int(list[i]))
	m.follow()
}
