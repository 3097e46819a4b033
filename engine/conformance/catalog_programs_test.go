package conformance

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/services"
	"github.com/connlab/connlab/engine/session"
)

// TestCatalogProgramsMatchCases: every server case, run with its catalog
// handler's service program in place of the Go service, gives the same
// bytes, transcript and trace as with the Go service (issue 17, item 1;
// the session goldens and the scenario library are checked in
// engine/session's TestCatalogProgramsMatchGoldens).
func TestCatalogProgramsMatchCases(t *testing.T) {
	files, err := loadCases()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, cf := range files {
		for i := range cf.Server {
			sc := &cf.Server[i]
			f, err := sc.sessionFile()
			if err != nil {
				t.Fatalf("%s: %v", sc.Name, err)
			}
			if f.Handler == "" {
				continue
			}
			h, _ := services.LookupHandler(f.Handler)
			p := *f
			p.Handler = ""
			p.ServiceProgram = strings.Split(h.Program, "\n")
			if err := p.Validate(); err != nil {
				t.Fatalf("%s: %s's program: %v", sc.Name, f.Handler, err)
			}
			n++
			a := session.New(f, session.Options{Trace: true})
			b := session.New(&p, session.Options{Trace: true})
			ea, eb := a.Run(), b.Run()
			if (ea == nil) != (eb == nil) {
				t.Errorf("%s/%s: run: handler %v, program %v", cf.Group, sc.Name, ea, eb)
				continue
			}
			if !bytes.Equal(a.ToClient(), b.ToClient()) {
				t.Errorf("%s/%s (%s): bytes differ:\nhandler %q\nprogram %q", cf.Group, sc.Name, f.Handler, a.ToClient(), b.ToClient())
			}
			ja, _ := json.Marshal(a.Transcript(true))
			jb, _ := json.Marshal(b.Transcript(true))
			if !bytes.Equal(ja, jb) {
				t.Errorf("%s/%s (%s): transcripts differ", cf.Group, sc.Name, f.Handler)
			}
			if !reflect.DeepEqual(a.Rec.Events(), b.Rec.Events()) {
				t.Errorf("%s/%s (%s): traces differ", cf.Group, sc.Name, f.Handler)
			}
		}
	}
	if n == 0 {
		t.Fatal("no server case names a handler")
	}
	t.Logf("%d server cases run both ways", n)
}

// TestProgramVariantsAgainstHyper: programs written differently from the
// catalog's, checked against real hyper's recorded answers to the cases of
// the catalog service they stand for. "drop body" before answering is the
// early drop hyper makes of a body the service lets go (ignore-body's
// cases), and a 413 that reads nothing gets from hyper exactly what
// ignore-body's 200 gets, but for the status line: hyper's draining or
// closing does not look at the status (issue 17, items 1 and 5).
func TestProgramVariantsAgainstHyper(t *testing.T) {
	variants := []struct {
		handler, program string
		status           [2]string // the status line in hyper's answer, and in the program's
	}{
		{"ignore-body", "drop body\nrespond 200 body \"ok\"", [2]string{}},
		{"ignore-body", "respond 413 body \"ok\"", [2]string{" 200 OK\r\n", " 413 Payload Too Large\r\n"}},
		{"echo", "read-body yielding\nrespond 200 body echo", [2]string{}},
	}
	files, err := loadCases()
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]int{}
	for _, cf := range files {
		if len(cf.Server) == 0 {
			continue
		}
		answers, err := readAnswers(answerPath("testdata", cf), func(a *serverAnswer) string { return a.Name })
		if err != nil {
			t.Fatal(err)
		}
		for i := range cf.Server {
			sc := &cf.Server[i]
			ans := answers[sc.Name]
			if ans == nil || ans.Error != "" || sc.KnownDifference != "" {
				continue
			}
			f, err := sc.sessionFile()
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range variants {
				if f.Handler != v.handler {
					continue
				}
				p := *f
				p.Handler, p.ServiceProgram = "", strings.Split(v.program, "\n")
				if err := p.Validate(); err != nil {
					t.Fatal(err)
				}
				s := session.New(&p, session.Options{})
				if err := s.Run(); err != nil {
					t.Fatal(err)
				}
				runs[v.program]++
				want := maskDate(ans.response())
				if v.status[0] != "" {
					want = bytes.ReplaceAll(want, []byte(v.status[0]), []byte(v.status[1]))
				}
				tr := s.Transcript(false)
				gotOut := engineOutcome(tr.Result) + " " + strconv.FormatBool(tr.PeerEOF) + " " + strconv.Itoa(tr.RequestsSeen)
				wantOut := hyperOutcome(ans.ServerResult) + " " + strconv.FormatBool(ans.EOF) + " " + strconv.Itoa(ans.RequestsSeen)
				if got := maskDate(s.ToClient()); !bytes.Equal(got, want) || gotOut != wantOut {
					t.Errorf("%s/%s with %q:\n got %q, %s\nwant %q, %s (hyper)", cf.Group, sc.Name, v.program, got, gotOut, want, wantOut)
				}
			}
		}
	}
	for _, v := range variants {
		if runs[v.program] == 0 {
			t.Errorf("no case of %s for %q", v.handler, v.program)
		}
	}
	t.Logf("cases run: %v", runs)
}
