package timeline

import (
	"errors"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/trace"
)

// hits lists every event where expr hits, walking with RunTo from the start.
func hits(t *testing.T, tl *Timeline, expr string) []int {
	t.Helper()
	var out []int
	i := -1
	for {
		j, err := tl.Find(expr, i)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if j < 0 {
			return out
		}
		if j <= i {
			t.Fatalf("%s: Find went back from %d to %d", expr, i, j)
		}
		out = append(out, j)
		i = j
	}
}

func TestRunToForms(t *testing.T) {
	p17 := newTimeline(t, scenarioPath("pipeline-17"))
	ce := newTimeline(t, scenarioPath("continue-echo"))
	drain := newTimeline(t, scenarioPath("drain"))
	reset := newTimeline(t, scenarioPath("reset-mid-body"))
	both := newTimeline(t, scenarioPath("seed001-fixed"))

	type check func(tl *Timeline, i int) bool
	ev := func(tl *Timeline, i int) trace.Event { return tl.Event(i) }
	cases := []struct {
		tl    *Timeline
		expr  string
		count int // -1: at least one
		ok    check
	}{
		{p17, "kind == yield", 1, func(tl *Timeline, i int) bool { return ev(tl, i).Kind == trace.KindYield && tl.ViewAt(i).Iter == 16 }},
		{p17, "kind==iter&&iter==16", 1, func(tl *Timeline, i int) bool { return ev(tl, i).N == 16 }},
		{p17, "kind == iter", 19, func(tl *Timeline, i int) bool { return ev(tl, i).Kind == trace.KindIter }},
		// a state condition hits where it becomes true
		{p17, "reading == KeepAlive", 17, func(tl *Timeline, i int) bool {
			return tl.ViewAt(i).Reading == "KeepAlive" && tl.ViewAt(i-1).Reading != "KeepAlive"
		}},
		{p17, "requests >= 16", 1, func(tl *Timeline, i int) bool { return tl.ViewAt(i).Requests == 16 }},
		{p17, "requests == 3 || requests == 5", 2, func(tl *Timeline, i int) bool { r := tl.ViewAt(i).Requests; return r == 3 || r == 5 }},
		{p17, "transition keep_alive -> Disabled", 1, func(tl *Timeline, i int) bool {
			e := ev(tl, i)
			return e.Kind == trace.KindTransition && e.Field == "keep_alive" && e.To == "Disabled"
		}},
		{p17, "transition keep-alive Busy -> Idle", 17, func(tl *Timeline, i int) bool { e := ev(tl, i); return e.From == "Busy" && e.To == "Idle" }},
		{p17, "transition reading -> Closed", 1, func(tl *Timeline, i int) bool { return ev(tl, i).To == "Closed" && ev(tl, i).Field == "reading" }},
		{p17, "transition reading * -> *", -1, func(tl *Timeline, i int) bool { return ev(tl, i).Field == "reading" }},
		{p17, "transition is_closing", 1, func(tl *Timeline, i int) bool { return ev(tl, i).Field == "is_closing" }},
		{p17, `wire-out contains "HTTP/1.1 200 OK"`, 1, func(tl *Timeline, i int) bool {
			return tl.ViewAt(i).WireOut >= 17 && tl.ViewAt(i-1).WireOut < 17 && ev(tl, i).Name == "write"
		}},
		{p17, `wire-out contains "never sent"`, 0, nil},
		{p17, `is_closing && done`, 1, func(tl *Timeline, i int) bool { return tl.ViewAt(i).Done }},
		{p17, `!(kind != yield)`, 1, func(tl *Timeline, i int) bool { return ev(tl, i).Kind == trace.KindYield }},
		{p17, `span contains "pollLoop#16" && kind == iter`, 1, func(tl *Timeline, i int) bool { return ev(tl, i).N == 16 }},
		{p17, `kind == poll && detail == ready`, 1, func(tl *Timeline, i int) bool { return tl.ViewAt(i).Done }},
		{ce, `wire-out contains "HTTP/1.1 100"`, 1, func(tl *Timeline, i int) bool { return ev(tl, i).Kind == trace.KindIO && tl.ViewAt(i).WireOut == 25 }},
		{ce, `wire-in contains "hello"`, 1, func(tl *Timeline, i int) bool { return tl.InputIndexAt(i) == 1 && tl.ViewAt(i).WireIn == 74 }},
		{ce, `reading == Body`, 1, func(tl *Timeline, i int) bool { return strings.HasPrefix(tl.ViewAt(i).Reading, "Body(") }},
		{ce, `reading == "Body(Length(0))"`, 1, func(tl *Timeline, i int) bool { return tl.ViewAt(i).Reading == "Body(Length(0))" }},
		{ce, `body_tx == Ready && in_flight == "POST /"`, 1, func(tl *Timeline, i int) bool { return tl.ViewAt(i).BodyTx == "Ready" }},
		// true at the first event (nothing before it), then again once the
		// body's sender is closed
		{ce, `body_tx == none`, 2, func(tl *Timeline, i int) bool {
			return tl.ViewAt(i).BodyTx == "" && (i == 0 || tl.ViewAt(i-1).BodyTx != "")
		}},
		{ce, `input == 2`, 1, func(tl *Timeline, i int) bool { return tl.InputIndexAt(i) == 2 && tl.InputIndexAt(i-1) == 1 }},
		// "... dropped before eof, draining or closing", then "body drained"
		{drain, `note contains "drain"`, 2, func(tl *Timeline, i int) bool {
			return ev(tl, i).Kind == trace.KindNote && strings.Contains(ev(tl, i).Detail, "drain")
		}},
		{drain, `kind == note && detail contains "drain"`, 2, nil},
		{drain, `note contains "body drained"`, 1, nil},
		{reset, `error contains "ECONNRESET"`, 1, func(tl *Timeline, i int) bool { return ev(tl, i).Kind == trace.KindError }},
		{reset, `error contains "user"`, 1, nil},
		{both, `client.reading == Closed`, 1, func(tl *Timeline, i int) bool { return tl.ViewAt(i).Client.Reading == "Closed" }},
		{both, `reading == Closed`, 1, func(tl *Timeline, i int) bool { return tl.ViewAt(i).Reading == "Closed" }},
		{both, `client.requests == 1 && requests == 0`, 1, nil},
	}
	for _, c := range cases {
		got := hits(t, c.tl, c.expr)
		if (c.count >= 0 && len(got) != c.count) || (c.count < 0 && len(got) == 0) {
			t.Errorf("%s: %d hits %v, want %d", c.expr, len(got), got, c.count)
			continue
		}
		for _, i := range got {
			if c.ok != nil && !c.ok(c.tl, i) {
				t.Errorf("%s: hit at %d does not match: %+v / %+v", c.expr, i, c.tl.Event(i), c.tl.ViewAt(i))
			}
		}
		// RunTo from the start goes to the first hit; RunBackTo from the
		// end to the last
		c.tl.JumpTo(0)
		c.tl.cursor = -1
		hit, err := c.tl.RunTo(c.expr)
		if err != nil || hit != (len(got) > 0) || (hit && c.tl.Cursor() != got[0]) {
			t.Errorf("%s: RunTo from the start: %v %v at %d", c.expr, hit, err, c.tl.Cursor())
		}
		c.tl.JumpTo(c.tl.Len() - 1)
		c.tl.cursor = c.tl.Len()
		hit, err = c.tl.RunBackTo(c.expr)
		if err != nil || hit != (len(got) > 0) || (hit && c.tl.Cursor() != got[len(got)-1]) {
			t.Errorf("%s: RunBackTo from the end: %v %v at %d, want %v", c.expr, hit, err, c.tl.Cursor(), got)
		}
	}
}

func TestRunToMovesOnlyOnAHit(t *testing.T) {
	tl := newTimeline(t, scenarioPath("pipeline-17"))
	tl.JumpTo(10)
	if hit, err := tl.RunTo("kind == error"); hit || err != nil || tl.Cursor() != 10 {
		t.Fatalf("no error events: %v %v, cursor %d", hit, err, tl.Cursor())
	}
	if hit, err := tl.RunTo("kind == iter"); !hit || err != nil || tl.Cursor() <= 10 || tl.Event(tl.Cursor()).Kind != trace.KindIter {
		t.Fatalf("next iter: %v %v at %d", hit, err, tl.Cursor())
	}
	at := tl.Cursor()
	if hit, _ := tl.RunTo("kind == iter"); !hit || tl.Cursor() <= at {
		t.Fatal("RunTo does not move past the current hit")
	}
	if hit, _ := tl.RunBackTo("kind == iter"); !hit || tl.Cursor() != at {
		t.Fatalf("RunBackTo: back at %d, want %d", tl.Cursor(), at)
	}
	if _, err := tl.RunTo("kind =="); err == nil || tl.Cursor() != at {
		t.Fatal("a bad expression moved the cursor")
	}
}

func TestBreakpointErrors(t *testing.T) {
	tl := newTimeline(t, scenarioPath("pipeline-2"))
	cases := []struct {
		expr string
		pos  int
		msg  string
	}{
		{"", 1, "empty expression"},
		{"   ", 1, "empty expression"},
		{"reading = KeepAlive", 9, "use =="},
		{"readin == Init", 1, `unknown field "readin"`},
		{"kind == yeild", 9, `unknown kind "yeild": expected one of poll, iter`},
		{"iter == x", 9, "iter is a number"},
		{"reading < Init", 9, "compare it with == or !="},
		{"reading == Bdy", 12, "unknown reading state"},
		{"keep_alive == busy", 15, "expected one of Idle, Busy, Disabled"},
		{"(kind == yield", 15, `expected ")" to close the "(" at column 1`},
		{"kind == yield)", 14, `unexpected ")"`},
		{"transition keep_alive -> Disbled", 26, "unknown keep_alive state"},
		{"transition foo -> Closed", 12, `unknown transition field "foo"`},
		{"transition reading Init Body", 25, "expected -> after transition reading Init"},
		{"transition", 11, "expected a field after transition"},
		{"transition reading ->", 22, "expected a reading state after"},
		{"wire-out contains hello", 19, "expected a quoted string"},
		{`note contains "abc`, 15, "unterminated string"},
		{`note has "abc"`, 6, "expected contains after note"},
		{"kind ==", 8, "expected a value after"},
		{"kind == yield &&", 17, "expected a condition"},
		{"kind == yield & x", 15, "use &&"},
		{"kind == yield | x", 15, "use ||"},
		{"reading == KeepAlive junk", 22, "expected && or ||"},
		{"client.reading == Init", 1, "only mode both"},
		{`detail contains "\q"`, 18, `unknown escape \q`},
		{`detail contains "\x4"`, 18, `\x needs two hex digits`},
		{"iter == 12abc", 9, "bad number"},
		{"iter contains \"1\"", 6, "iter is not text"},
		{"done == maybe", 9, "done is true or false"},
		{"queue", 6, "expected ==, !=, <, >, <=, >= or contains after queue"},
		{"kind == yield @", 15, `unexpected character '@'`},
		// columns count characters, not bytes
		{`detail == "é" ?`, 15, `unexpected character '?'`},
		{"== 3", 1, "expected a condition"},
	}
	for _, c := range cases {
		_, err := tl.Find(c.expr, -1)
		var be *BreakpointError
		if !errors.As(err, &be) {
			t.Errorf("%q: error %v, want a *BreakpointError", c.expr, err)
			continue
		}
		if be.Pos != c.pos || !strings.Contains(be.Msg, c.msg) {
			t.Errorf("%q: column %d %q, want column %d containing %q", c.expr, be.Pos, be.Msg, c.pos, c.msg)
		}
		if !strings.HasPrefix(be.Error(), "breakpoint: column ") {
			t.Errorf("%q: Error() = %q", c.expr, be.Error())
		}
		if tl.CheckBreakpoint(c.expr) == nil {
			t.Errorf("%q: CheckBreakpoint accepts it", c.expr)
		}
	}
	for _, ok := range []string{
		`kind == yield`, `reading == KeepAlive`, `transition keep_alive -> Disabled`, `wire-out contains "HTTP/1.1 100"`,
		`note contains "drain"`, `(kind == yield || kind == error) && requests > 0`, `clock >= 1000`, `n != -1`,
		`detail contains "\"q\" \\ \r\n\t\x41"`, `read-buf > 0 && write_buf <= 10`, `!is_closing`, `upgraded == false`,
		`span == "Dispatcher.poll"`, `name == Conn.pollReadHead`, `to == Closed`, `body_tx != Pending`,
	} {
		if err := tl.CheckBreakpoint(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}

func TestBreakpointStringEscapes(t *testing.T) {
	tl := newTimeline(t, scenarioPath("pipeline-2"))
	for _, expr := range []string{`wire-in contains "\r\n\r\nGET"`, `wire-in contains "Host: x\x0d\x0a"`} {
		if i, err := tl.Find(expr, -1); err != nil || i < 0 {
			t.Errorf("%s: %d %v", expr, i, err)
		}
	}
	if i, _ := tl.Find(`wire-in contains "\\r"`, -1); i >= 0 {
		t.Error(`"\\r" is a backslash and an r, not a CR`)
	}
}
