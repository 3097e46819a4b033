package ui

import (
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
)

// A long session runs in slices (issue 19, item 2). A link can hold a
// session of a million events, several seconds of engine time in the
// browser: run at once, it would freeze the page. The model runs the first
// slice at once (a session of ordinary size is done within it, and nothing
// changes for it); a longer one stays running, and the page calls
// ContinueRun between frames until it is done, shows RunProgress, and
// offers CancelRun. While it runs, the events recorded so far can be
// stepped through; the timeline stays consistent whatever the page does
// (timeline.Start, Continue, Cancel).

const (
	// firstSliceEvents is what the first slice records, before the page
	// shows anything: about 50 ms of the browser's wasm.
	firstSliceEvents = 30000
	// SliceEvents is what each later slice records: about 15 to 30 ms, so
	// the page answers a click or a key between two.
	SliceEvents = 12000
)

// longRun is a timeline still being run, and what to do when it is done.
type longRun struct {
	tl     *timeline.Timeline
	cursor int // the event to show when done (a link's cursor)
	at     int // where the cursor is until then, unless the person moves it
}

// startTimeline runs f's first slice and returns its timeline: complete
// when the session is short, still running otherwise (Running). cursor
// is the event to move to once the run is done.
func (m *Model) startTimeline(f *session.File, cursor int) (*timeline.Timeline, error) {
	tl, err := timeline.Start(f)
	if err != nil {
		return nil, err
	}
	m.run = nil
	if !tl.Continue(firstSliceEvents) {
		m.run = &longRun{tl: tl, cursor: cursor, at: max(0, min(cursor, tl.Len()-1))}
		m.infoBanner(m.progressText())
	}
	return tl, nil
}

// Running reports whether the timeline is still being run in slices.
func (m *Model) Running() bool {
	return m.run != nil && m.run.tl == m.TL && m.TL.Running()
}

// RunProgress is how far the running session has come: done of total (a
// send by its bytes) and the events recorded so far.
func (m *Model) RunProgress() (done, total int64, events int) {
	if !m.Running() {
		return 0, 0, 0
	}
	done, total = m.TL.Progress()
	return done, total, m.TL.Len()
}

func (m *Model) progressText() string {
	done, total := m.run.tl.Progress()
	pct := int64(0)
	if total > 0 {
		pct = done * 100 / total
	}
	return "Running the session: " + itoa(int(pct)) + " % (" + itoa(m.run.tl.Len()) + " events so far). You can step through them while it runs, or cancel it."
}

// ContinueRun runs the next slice of a running session; the page calls it
// between frames while Running.
func (m *Model) ContinueRun() {
	if !m.Running() {
		m.run = nil
		return
	}
	tl := m.TL
	r := m.run
	done := tl.Continue(SliceEvents)
	// more events: the log and the timeline's marks change; the panels'
	// index and the log's filter read on from where they were (the events
	// so far stay as they are), each slice at the cost of what it added:
	// rebuilt after every slice, the run would cost the square of its
	// length, and rebuilt at its end, a pause of half a second at a
	// million events
	m.ver++
	if !done {
		m.infoBanner(m.progressText())
		return
	}
	m.run = nil
	m.Banner = Banner{}
	if tl.Cursor() == r.at {
		// the person did not move meanwhile: show the link's event
		tl.JumpTo(r.cursor)
		m.follow()
	}
	if tl.Err() != nil {
		m.errorBanner(errText(tl.Err()))
	}
}

// CancelRun stops a running session where it is: the timeline keeps the
// events recorded so far and says it was cancelled; no later input runs.
func (m *Model) CancelRun() {
	if !m.Running() {
		return
	}
	n := m.TL.Len()
	m.TL.Cancel()
	m.run = nil
	m.ver++
	if m.idx != nil {
		m.idx.result = nil // the session's outcome: cancelled
	}
	m.infoBanner("Cancelled: the timeline stops after " + itoa(n) + " events, where the run was. Fork from any of them, or load the session again to run it all.")
}
