package conformance

import (
	"bytes"
	"encoding/json"
	"reflect"
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
