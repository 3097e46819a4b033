package session_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/services"
	"github.com/connlab/connlab/engine/session"
)

// asProgram is f with its catalog handler replaced by that handler's
// service program (nil if f runs no catalog handler).
func asProgram(t *testing.T, f *session.File) *session.File {
	t.Helper()
	if f.Handler == "" {
		return nil
	}
	h, ok := services.LookupHandler(f.Handler)
	if !ok || h.Program == "" {
		t.Fatalf("handler %q has no program", f.Handler)
	}
	cp := *f
	cp.Handler = ""
	cp.ServiceProgram = strings.Split(h.Program, "\n")
	if err := cp.Validate(); err != nil {
		t.Fatalf("%s's program: %v", f.Handler, err)
	}
	return &cp
}

// runBoth runs f as written and with its handler's program, both traced,
// and reports every difference: the bytes each side saw, the human
// transcript, the JSON transcript and the trace, event by event.
func runBoth(t *testing.T, f *session.File) {
	t.Helper()
	p := asProgram(t, f)
	if p == nil {
		return
	}
	a := session.New(f, session.Options{Trace: true})
	b := session.New(p, session.Options{Trace: true})
	errA, errB := a.Run(), b.Run()
	if (errA == nil) != (errB == nil) {
		t.Fatalf("run: handler %v, program %v", errA, errB)
	}
	if !bytes.Equal(a.ToClient(), b.ToClient()) {
		t.Errorf("bytes to the client differ:\nhandler %q\nprogram %q", a.ToClient(), b.ToClient())
	}
	if at, bt := a.Text(), b.Text(); at != bt {
		t.Errorf("human transcripts differ:\n%s", diffLine(at, bt))
	}
	ja, _ := json.Marshal(a.Transcript(true))
	jb, _ := json.Marshal(b.Transcript(true))
	if !bytes.Equal(ja, jb) {
		t.Errorf("JSON transcripts differ:\n%s", diffLine(string(ja), string(jb)))
	}
	ea, eb := a.Rec.Events(), b.Rec.Events()
	for i := 0; i < len(ea) || i < len(eb); i++ {
		if i >= len(ea) || i >= len(eb) {
			t.Errorf("traces differ in length: handler %d events, program %d", len(ea), len(eb))
			break
		}
		if !reflect.DeepEqual(ea[i], eb[i]) {
			t.Errorf("trace event %d differs:\nhandler %+v\nprogram %+v", i, ea[i], eb[i])
			break
		}
	}
}

func diffLine(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n  handler: " + x + "\n  program: " + y
		}
	}
	return "(same lines)"
}

// TestCatalogProgramsMatchGoldens: every golden session file and every
// scenario of the library, run with its handler's program in place of the
// Go service, gives the same bytes, transcripts and trace (issue 17, item 1).
func TestCatalogProgramsMatchGoldens(t *testing.T) {
	files, _ := filepath.Glob("testdata/scenarios/*.json")
	if len(files) == 0 {
		t.Fatal("no goldens")
	}
	seen := map[string]bool{}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := session.ParseBytes(data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		seen[f.Handler] = true
		t.Run(filepath.Base(path), func(t *testing.T) { runBoth(t, f) })
	}
	for _, sc := range scenarios.Library() {
		f, err := sc.File()
		if err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
		seen[f.Handler] = true
		t.Run("scenario/"+sc.Name, func(t *testing.T) { runBoth(t, f) })
	}
	for _, h := range services.Handlers() {
		if !seen[h.Name] {
			t.Logf("no golden or scenario runs %s (see the services package's own comparison)", h.Name)
		}
	}
}
