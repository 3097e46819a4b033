package timeline

// The user code's executing lines: at every event the capture reads which
// line of the client program and of the service program is running or
// waiting (session.ClientLine, ServiceLine) and keeps only the events
// where either changes, so the lines cost nothing for a session without
// programs and a few entries per operation for one with them.

// lineMark says that from event seq on the lines are client and service
// (0: none).
type lineMark struct {
	seq             int32
	client, service int32
}

// noteLines records the lines at event seq if they changed.
func (c *capture) noteLines(seq int) {
	cl, sv := int32(c.s.ClientLine()), int32(c.s.ServiceLine())
	if n := len(c.lines); n > 0 && c.lines[n-1].client == cl && c.lines[n-1].service == sv {
		return
	}
	if n := len(c.lines); n == 0 && cl == 0 && sv == 0 {
		return
	}
	c.lines = append(c.lines, lineMark{seq: int32(seq), client: cl, service: sv})
}

// cutLines keeps the marks of the first n events.
func cutLines(marks []lineMark, n int) []lineMark {
	lo, hi := 0, len(marks)
	for lo < hi {
		m := (lo + hi) / 2
		if marks[m].seq < int32(n) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return marks[:lo]
}

// ProgramLines is the line of the client program and of the service
// program executing at event i (0 where there is none): the operation
// each had reached when the event was recorded.
func (t *Timeline) ProgramLines(i int) (client, service int) {
	marks := cutLines(t.c.lines, i+1) // the marks of events 0..i: the last one holds
	if len(marks) == 0 {
		return 0, 0
	}
	last := marks[len(marks)-1]
	return int(last.client), int(last.service)
}
