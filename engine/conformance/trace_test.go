package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/session"
)

// A recorded trace row: [level, "file:line", message] or with a count.
type traceRow []json.RawMessage

type recordedTrace struct {
	Name  string     `json:"name"`
	Trace []traceRow `json:"hyper_trace"`
}

var digitsRE = regexp.MustCompile(`[0-9]+`)

// normMsg makes messages that differ only in numbers equal.
func normMsg(s string) string { return digitsRE.ReplaceAllString(s, "N") }

// readTraces reads testdata/{server,client}/*.trace.json: per case, hyper's
// messages (location, normalised message) in order.
func readTraces(t *testing.T, cf *caseFile) map[string][][2]string {
	t.Helper()
	data, err := os.ReadFile(tracePath("testdata", cf))
	if err != nil {
		t.Fatalf("%v (re-record with record.sh and HYPER1_ORACLE_TRACED)", err)
	}
	var list []recordedTrace
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatalf("%s: %v", tracePath("testdata", cf), err)
	}
	out := map[string][][2]string{}
	for _, rt := range list {
		var msgs [][2]string
		for _, row := range rt.Trace {
			if len(row) < 3 {
				t.Fatalf("%s/%s: bad trace row", cf.Group, rt.Name)
			}
			var level, loc, msg string
			_ = json.Unmarshal(row[0], &level)
			_ = json.Unmarshal(row[1], &loc)
			_ = json.Unmarshal(row[2], &msg)
			if level == "omitted" {
				continue
			}
			msgs = append(msgs, [2]string{loc, normMsg(msg)})
		}
		out[rt.Name] = msgs
	}
	return out
}

// TestHyperTraceCoverage checks that every server and client case has hyper's trace
// recorded and that each of hyper's distinct trace messages (digits
// normalised) is reproduced by an engine note in at least one case that
// logs it (issue 15 item 7). CONNLAB_TRACE_REPORT=FILE writes the table.
func TestHyperTraceCoverage(t *testing.T) {
	files, err := loadCases()
	if err != nil {
		t.Fatal(err)
	}
	type stat struct {
		side, loc, msg string
		cases, found   int
	}
	stats := map[string]*stat{} // by side and normalised message
	notesSeen := map[string]int{}
	for _, cf := range files {
		traces := readTraces(t, cf)
		for _, tc := range traceCases(cf) {
			msgs, ok := traces[tc.name]
			if !ok {
				t.Errorf("%s/%s: no hyper trace recorded (re-record with record.sh and HYPER1_ORACLE_TRACED)", cf.Group, tc.name)
				continue
			}
			f, err := tc.sessionFile()
			if err != nil {
				t.Fatal(err)
			}
			s := session.New(f, session.Options{Trace: true})
			if err := s.Run(); err != nil {
				t.Fatalf("%s/%s: %v", cf.Group, tc.name, err)
			}
			notes := map[string]bool{}
			for _, e := range session.EventsJSON(s.Rec) {
				if e.Kind == "note" && e.Ref != clientProgramRef {
					notes[normMsg(e.Detail)] = true
				}
			}
			for n := range notes {
				notesSeen[n]++
			}
			seen := map[string]bool{}
			for _, m := range msgs {
				if seen[m[1]] {
					continue
				}
				seen[m[1]] = true
				st := stats[tc.side+m[1]]
				if st == nil {
					st = &stat{side: tc.side, loc: m[0], msg: m[1]}
					stats[tc.side+m[1]] = st
				}
				st.cases++
				if notes[m[1]] {
					st.found++
				}
			}
		}
	}
	var list []*stat
	for _, st := range stats {
		list = append(list, st)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].side != list[j].side {
			return list[i].side > list[j].side // server first
		}
		if list[i].loc != list[j].loc {
			return list[i].loc < list[j].loc
		}
		return list[i].msg < list[j].msg
	})
	for _, side := range []string{"server", "client"} {
		n, reproduced := 0, 0
		locs := map[string]bool{}
		locsFound := map[string]bool{}
		for _, st := range list {
			if st.side != side {
				continue
			}
			n++
			locs[st.loc] = true
			if st.found > 0 {
				reproduced++
				locsFound[st.loc] = true
			}
		}
		t.Logf("hyper trace, %s cases: %d distinct messages (digits normalised) from %d source locations; the engine's notes reproduce %d of them (from %d locations) in at least one case",
			side, n, len(locs), reproduced, len(locsFound))
	}
	for _, st := range list {
		if st.found == 0 {
			t.Errorf("hyper's %s %q (in %d %s cases) is in no case's notes", st.loc, st.msg, st.cases, st.side)
		}
	}
	if p := os.Getenv("CONNLAB_TRACE_REPORT"); p != "" {
		var b strings.Builder
		b.WriteString("side\thyper location\tcases with it\tcases where a connlab note says the same\tmessage\n")
		for _, st := range list {
			fmt.Fprintf(&b, "%s\t%s\t%d\t%d\t%s\n", st.side, st.loc, st.cases, st.found, st.msg)
		}
		b.WriteString("\nconnlab notes (digits normalised)\tcases\n")
		var ns []string
		for n := range notesSeen {
			ns = append(ns, n)
		}
		sort.Strings(ns)
		for _, n := range ns {
			fmt.Fprintf(&b, "%s\t%d\n", n, notesSeen[n])
		}
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}

var pointerRE = regexp.MustCompile(`0x[0-9a-f]+`)

// maskTrace masks what differs between runs (pointers) in a message.
func maskTrace(s string) string { return pointerRE.ReplaceAllString(s, "0xADDR") }

// readTraceSeqs reads testdata/{server,client}/*.trace.json: per case, hyper's
// messages in order (pointers masked) and whether the recorder cut the
// trace short (an "omitted" row: only that prefix was kept).
func readTraceSeqs(t *testing.T, cf *caseFile) (map[string][]string, map[string]bool) {
	t.Helper()
	data, err := os.ReadFile(tracePath("testdata", cf))
	if err != nil {
		t.Fatalf("%v (re-record with record.sh and HYPER1_ORACLE_TRACED)", err)
	}
	var list []recordedTrace
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatalf("%s: %v", tracePath("testdata", cf), err)
	}
	seqs, cut := map[string][]string{}, map[string]bool{}
	for _, rt := range list {
		var msgs []string
		for _, row := range rt.Trace {
			var level, msg string
			_ = json.Unmarshal(row[0], &level)
			_ = json.Unmarshal(row[2], &msg)
			if level == "omitted" {
				cut[rt.Name] = true
				continue
			}
			// A fourth element counts consecutive repeats of the message.
			n := 1
			if len(row) > 3 {
				_ = json.Unmarshal(row[3], &n)
			}
			for ; n > 0; n-- {
				msgs = append(msgs, maskTrace(msg))
			}
		}
		seqs[rt.Name] = msgs
	}
	return seqs, cut
}

// engineNotes runs a server case with tracing on and returns its note
// events' texts in order (every note stands for one of hyper's messages).
func engineNotes(t *testing.T, sc *serverCase) []string {
	t.Helper()
	f, err := sc.sessionFile()
	if err != nil {
		t.Fatal(err)
	}
	s := session.New(f, session.Options{Trace: true})
	// The session polls the server connection once before the first bytes
	// arrive; the oracle wrote them before hyper's first poll, so that
	// first poll read them. The notes of the engine's poll before any
	// input are left out, but for the header-read timer being armed, which
	// hyper logs in its first read_head too. (When the case starts with a
	// pause, hyper too polls before any bytes: nothing is left out.)
	made := len(session.EventsJSON(s.Rec))
	if err := s.RunUntilIdle(); err != nil {
		t.Fatalf("%s: %v", sc.Name, err)
	}
	polled := len(session.EventsJSON(s.Rec))
	if len(f.Input) == 0 || f.Input[0].WaitMS != nil {
		polled = made
	}
	if err := s.Run(); err != nil {
		t.Fatalf("%s: %v", sc.Name, err)
	}
	var notes, armed []string
	for i, e := range session.EventsJSON(s.Rec) {
		if e.Kind != "note" {
			continue
		}
		if i >= made && i < polled {
			if strings.Contains(e.Detail, "header read timeout timer") {
				armed = append(armed, e.Detail)
			}
			continue
		}
		notes = append(notes, maskTrace(e.Detail))
		if len(armed) > 0 && e.Detail == "Conn::read_head" {
			notes = append(notes, armed...)
			armed = nil
		}
	}
	return notes
}

// firstTraceDiff returns the index where the two sequences first differ,
// or -1 when they are equal (prefix: only hyper's kept prefix counts).
func firstTraceDiff(hyper, engine []string, prefix bool) int {
	if prefix && len(engine) > len(hyper) {
		engine = engine[:len(hyper)]
	}
	for i := range hyper {
		if i >= len(engine) || hyper[i] != engine[i] {
			return i
		}
	}
	if len(engine) > len(hyper) {
		return len(hyper)
	}
	return -1
}

// TestHyperTraceSequence compares, per server and client case, the sequence of the
// engine's notes with hyper's recorded trace messages (issue 15 item 7).
// A case whose sequences differ for a known reason carries
// "known_trace_difference"; the test asserts the difference is still
// there, so making the trace exact forces removing the mark.
func TestHyperTraceSequence(t *testing.T) {
	files, err := loadCases()
	if err != nil {
		t.Fatal(err)
	}
	exact, total := map[string]int{}, map[string]int{}
	for _, cf := range files {
		seqs, cut := readTraceSeqs(t, cf)
		for _, tc := range traceCases(cf) {
			hyper, ok := seqs[tc.name]
			if !ok {
				t.Errorf("%s/%s: no hyper trace recorded", cf.Group, tc.name)
				continue
			}
			total[tc.side]++
			notes := tc.notes(t)
			d := firstTraceDiff(hyper, notes, cut[tc.name])
			if os.Getenv("CONNLAB_TRACE_CASE") == tc.name {
				for i := 0; i < max(len(hyper), len(notes)); i++ {
					var h, e string
					if i < len(hyper) {
						h = hyper[i]
					}
					if i < len(notes) {
						e = notes[i]
					}
					mark := " "
					if h != e {
						mark = "!"
					}
					t.Logf("%s %-60.60s | %.60s", mark, h, e)
				}
			}
			if d < 0 {
				exact[tc.side]++
				if tc.known != "" {
					t.Errorf("%s/%s: the notes now equal hyper's trace; remove known_trace_difference (%s)", cf.Group, tc.name, tc.known)
				}
				continue
			}
			if tc.known != "" {
				continue
			}
			var h, e string
			if d < len(hyper) {
				h = hyper[d]
			}
			if d < len(notes) {
				e = notes[d]
			}
			t.Errorf("%s/%s: notes differ from hyper's trace at message %d:\n  hyper:   %q\n  connlab: %q", cf.Group, tc.name, d, h, e)
		}
	}
	t.Logf("hyper trace: %d of %d server cases trace-exact, %d of %d client cases", exact["server"], total["server"], exact["client"], total["client"])
}

// traceCase is a server or client case as the trace tests see it.
type traceCase struct {
	side, name, known string
	sessionFile       func() (*session.File, error)
	notes             func(t *testing.T) []string
}

// traceCases lists a case file's cases, server or client.
func traceCases(cf *caseFile) []traceCase {
	var out []traceCase
	for i := range cf.Server {
		sc := &cf.Server[i]
		out = append(out, traceCase{"server", sc.Name, sc.KnownTraceDifference, sc.sessionFile,
			func(t *testing.T) []string { return engineNotes(t, sc) }})
	}
	for i := range cf.Client {
		cc := &cf.Client[i]
		out = append(out, traceCase{"client", cc.Name, cc.KnownTraceDifference, cc.sessionFile,
			func(t *testing.T) []string { return clientNotes(t, cc) }})
	}
	return out
}

// clientNotes runs a client case with tracing on and returns its note
// events' texts in order. The oracle applies each server step once the
// client is idle, as the session applies its inputs, so every note counts.
func clientNotes(t *testing.T, cc *clientCase) []string {
	t.Helper()
	f, err := cc.sessionFile()
	if err != nil {
		t.Fatal(err)
	}
	s := session.New(f, session.Options{Trace: true})
	if err := s.Run(); err != nil {
		t.Fatalf("%s: %v", cc.Name, err)
	}
	var notes []string
	for _, e := range session.EventsJSON(s.Rec) {
		// the runner's narration of the program's lines is not hyper's
		if e.Kind == "note" && e.Ref != clientProgramRef {
			notes = append(notes, maskTrace(e.Detail))
		}
	}
	return notes
}

// clientProgramRef is the ref of the session runner's notes that narrate
// the client program's lines (engine/session/client.go).
const clientProgramRef = "client program"
