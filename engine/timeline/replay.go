package timeline

import (
	"slices"

	"github.com/connlab/connlab/engine/session"
)

// Fork re-runs the input log up to the fork point on a fresh session. The
// events of that prefix are the ones the timeline already has (the engine
// is deterministic), so the re-run keeps them, and their snapshots, rather
// than recording them again: the new session's recorder resumes the old
// one's first events (trace.Recorder.Resume) and only checks the re-run's
// events against them, and the capture is cut back to the same event. A
// re-run that differs anywhere (it never should) is recorded afresh.

// captureMark is the capture's state between two inputs that the stored
// snapshots do not hold.
type captureMark struct {
	mainTx, clientTx bool // connCache.txOpen
}

func (c *capture) mark() captureMark {
	return captureMark{mainTx: c.main.txOpen, clientTx: c.client.txOpen}
}

// replay is start(f, n) for a fork whose first n inputs are the
// timeline's own first n: it keeps the events recorded before input n was
// applied (all of them when n is the number applied).
func (t *Timeline) replay(f *session.File, n int) {
	keep, mk := t.Len(), t.c.mark()
	if n < len(t.inputStart) {
		keep, mk = t.inputStart[n], t.inputMark[n]
	}
	old, c := t.s.Rec, t.c
	s := t.newSession(f)
	s.Rec.Resume(old, keep)
	c.cut(s, keep, mk)
	t.c = c
	s.Rec.OnEvent = c.onEvent
	t.wireSpans = cutWireSpans(t.wireSpans, keep)
	t.wireSpansN = min(t.wireSpansN, keep)
	t.run(n)
	if s.Rec.Replaying() || s.Rec.Diverged() >= 0 {
		// the re-run did not repeat the recording: record it all again
		t.start(f, n)
	}
}

// cut makes the capture the one of session s after its first n events;
// mk is its state there.
func (c *capture) cut(s *session.Session, n int, mk captureMark) {
	c.s, c.rec = s, s.Rec
	c.main = connCache{txOpen: mk.mainTx}
	c.client = connCache{txOpen: mk.clientTx}
	c.snaps.truncate(n)
	c.n = n
	c.calls = cutEvents(c.calls, n)
	c.polls = cutEvents(c.polls, n)
	c.iters = cutEvents(c.iters, n)
	c.reqs = cutEvents(c.reqs, n)
	c.lines = cutLines(c.lines, n)
	c.lastReqs = 0
	if n > 0 {
		c.lastReqs = c.snaps.at(n - 1).main.requests
	}
}

// cutEvents keeps the event indices below n of an ascending list.
func cutEvents(list []int32, n int) []int32 {
	j, _ := slices.BinarySearch(list, int32(n))
	return list[:j]
}

func cutWireSpans(spans []WireSpan, n int) []WireSpan {
	for i, sp := range spans {
		if sp.Event >= n {
			return spans[:i]
		}
	}
	return spans
}
