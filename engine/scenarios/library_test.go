package scenarios

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
)

// libraryExpect is what each library scenario must end in. The
// explanations describe these outcomes, so a change in the engine that
// moves one fails here and the text gets another look.
type libraryExpect struct {
	State    string // result.state
	Kind     string // result.error.kind, "" when there is no error
	Parse    string // result.error.parse
	Errno    string // result.error.errno
	Benign   bool
	Requests int // requests_seen (mode both: requests sent)
	PeerEOF  bool
}

var libraryExpectations = map[string]libraryExpect{
	"keep-alive":                   {State: "closed", Requests: 2, PeerEOF: true},
	"http10-keep-alive":            {State: "closed", Requests: 2, PeerEOF: true},
	"connection-close":             {State: "closed", Requests: 1, PeerEOF: true},
	"head-request":                 {State: "closed", Requests: 1, PeerEOF: true},
	"pipelining-2":                 {State: "closed", Requests: 2, PeerEOF: true},
	"pipelining-17-yield":          {State: "closed", Requests: 17, PeerEOF: true},
	"chunked-echo-trailers":        {State: "closed", Requests: 1, PeerEOF: true},
	"stream-chunked-response":      {State: "closed", Requests: 2, PeerEOF: true},
	"expect-continue-echo":         {State: "closed", Requests: 1, PeerEOF: true},
	"expect-continue-ignored":      {State: "closed", Requests: 1, PeerEOF: true},
	"dropped-body-drain":           {State: "closed", Requests: 2, PeerEOF: true},
	"dropped-body-close":           {State: "closed", Requests: 1, PeerEOF: true},
	"dropped-body-unsent":          {State: "closed", Requests: 1, PeerEOF: true},
	"service-error":                {State: "error", Kind: "user", Requests: 1, PeerEOF: true},
	"smuggling-cl-te":              {State: "closed", Requests: 1, PeerEOF: true},
	"conflicting-content-length":   {State: "error", Kind: "parse", Parse: "content-length-invalid", PeerEOF: true},
	"bad-request-400":              {State: "error", Kind: "parse", Parse: "header-token", PeerEOF: true},
	"uri-too-long-414":             {State: "error", Kind: "parse", Parse: "uri-too-long", PeerEOF: true},
	"header-fields-too-large-431":  {State: "error", Kind: "parse", Parse: "too-large", PeerEOF: true},
	"upgrade-echo-leftover":        {State: "upgraded", Requests: 1, PeerEOF: true},
	"websocket-echo":               {State: "upgraded", Requests: 1, PeerEOF: true},
	"connect-tunnel":               {State: "upgraded", Requests: 1, PeerEOF: true},
	"slowloris-header-timeout":     {State: "error", Kind: "header-timeout", PeerEOF: true},
	"header-timeout-rearmed":       {State: "error", Kind: "header-timeout", Requests: 1, PeerEOF: true},
	"half-close-allowed":           {State: "closed", Requests: 1, PeerEOF: true},
	"half-close-not-allowed":       {State: "error", Kind: "incomplete", Requests: 1, PeerEOF: true},
	"fault-reset-mid-body":         {State: "error", Kind: "user", Errno: "ECONNRESET", Requests: 1, PeerEOF: true},
	"fault-stall-and-release":      {State: "closed", Requests: 1, PeerEOF: true},
	"bug-keep-alive-disabled":      {State: "closed", Requests: 1, PeerEOF: true},
	"bug-big-upload-unread":        {State: "closed", Requests: 1, PeerEOF: true},
	"bug-big-upload-held":          {State: "running", Requests: 1},
	"bug-client-gone-mid-response": {State: "error", Kind: "incomplete", Requests: 1, PeerEOF: true},
	"bug-reset-on-keep-alive":      {State: "error", Kind: "shutdown", Errno: "ENOTCONN", Benign: true, Requests: 1, PeerEOF: true},
	"seed003-enotconn":             {State: "error", Kind: "shutdown", Errno: "ENOTCONN", Benign: true, Requests: 12, PeerEOF: true},
	"client-http10-request":        {State: "closed", Requests: 1, PeerEOF: true},
	"client-ready":                 {State: "error", Kind: "closed", Requests: 1, PeerEOF: true},
	"client-try-send":              {State: "closed", Requests: 2, PeerEOF: true},
	"client-with-upgrades":         {State: "upgraded", Requests: 1, PeerEOF: true},
	"client-request-trailers":      {State: "closed", Requests: 1, PeerEOF: true},
	"client-fault-reset":           {State: "error", Kind: "body", Errno: "ECONNRESET", Requests: 1, PeerEOF: true},
	"seed001-deadlock":             {State: "deadlock"},
	"seed001-fixed":                {State: "closed", Requests: 1, PeerEOF: true},
	"seed000-graceful-close":       {State: "closed", Requests: 1, PeerEOF: true},
	"seed002-deadlock":             {State: "deadlock", Requests: 1},
	"seed002-fixed":                {State: "closed", Requests: 1, PeerEOF: true},
}

var (
	kebabCase = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	htmlTag   = regexp.MustCompile(`<[A-Za-z/!?][^>]*>`)
)

func TestLibraryEntries(t *testing.T) {
	lib := Library()
	if len(lib) == 0 {
		t.Fatal("empty library")
	}
	seen := map[string]bool{}
	seeds := map[string]bool{}
	for _, s := range lib {
		if !kebabCase.MatchString(s.Name) {
			t.Errorf("%q: name is not kebab-case", s.Name)
		}
		if seen[s.Name] {
			t.Errorf("%q: duplicate name", s.Name)
		}
		seen[s.Name] = true
		if strings.TrimSpace(s.Title) == "" {
			t.Errorf("%s: no title", s.Name)
		}
		if !strings.HasPrefix(s.Section, "§") && !strings.HasPrefix(s.Section, "RFC") {
			t.Errorf("%s: section %q starts with neither § nor RFC", s.Name, s.Section)
		}
		if sum := strings.TrimSpace(s.Summary); sum == "" || !strings.HasSuffix(sum, ".") || strings.Contains(sum, ". ") {
			t.Errorf("%s: the summary must be one sentence: %q", s.Name, s.Summary)
		}
		for i, p := range s.Explain {
			if strings.TrimSpace(p) == "" {
				t.Errorf("%s: explanation paragraph %d is empty", s.Name, i+1)
			}
		}
		if strings.TrimSpace(s.Goal) == "" {
			t.Errorf("%s: no goal", s.Name)
		}
		if len(s.Hyper) == 0 {
			t.Errorf("%s: no hyper functions", s.Name)
		}
		if len(s.Steps) == 0 {
			t.Errorf("%s: no marks", s.Name)
		}
		for _, m := range s.Steps {
			if strings.TrimSpace(m.Label) == "" || strings.TrimSpace(m.Expr) == "" {
				t.Errorf("%s: a mark without label or expression: %+v", s.Name, m)
			}
		}
		texts := append([]string{s.Title, s.Summary, s.Goal}, s.Explain[:]...)
		for _, m := range s.Steps {
			texts = append(texts, m.Label)
		}
		for _, text := range texts {
			if tag := htmlTag.FindString(text); tag != "" {
				t.Errorf("%s: HTML tag %q in %q", s.Name, tag, text)
			}
		}
		explain := s.Explain[0] + " " + s.Explain[1]
		if !strings.Contains(explain, s.Section) {
			t.Errorf("%s: the explanation never mentions its section %s", s.Name, s.Section)
		}
		named := false
		for _, h := range s.Hyper {
			short := h[strings.LastIndex(h, ":")+1:]
			if i := strings.IndexByte(short, ' '); i >= 0 {
				short = short[:i]
			}
			if strings.Contains(explain, short) {
				named = true
			}
		}
		if !named {
			t.Errorf("%s: the explanation names none of its hyper functions %v", s.Name, s.Hyper)
		}
		switch s.Seed {
		case "":
		case "000", "001", "002", "003":
			seeds[s.Seed] = true
			if !strings.HasPrefix(s.Name, "seed"+s.Seed) {
				t.Errorf("%s: seed %s but the name does not say so", s.Name, s.Seed)
			}
		default:
			t.Errorf("%s: unknown seed %q", s.Name, s.Seed)
		}
	}
	for _, want := range []string{"000", "001", "002", "003"} {
		if !seeds[want] {
			t.Errorf("seed %s has no scenario", want)
		}
	}
}

// TestLibrarySessionText: every entry's session file is one JSON object,
// laid out as the library writes them (two-space indentation, as
// json.Indent), so a literal cannot be mangled unnoticed; it is parsed only
// when File is called.
func TestLibrarySessionText(t *testing.T) {
	for _, s := range Library() {
		var compact, pretty bytes.Buffer
		if err := json.Compact(&compact, []byte(s.Session)); err != nil {
			t.Errorf("%s: the session is not JSON: %v", s.Name, err)
			continue
		}
		json.Indent(&pretty, compact.Bytes(), "", "  ")
		if pretty.String() != string(s.Session) {
			t.Errorf("%s: the session is not laid out as json.Indent(\"\", \"  \") would", s.Name)
		}
		if !strings.HasPrefix(string(s.Session), "{") {
			t.Errorf("%s: the session is not an object", s.Name)
		}
	}
}

// TestLibraryResults runs every scenario and checks its outcome against
// libraryExpectations.
func TestLibraryResults(t *testing.T) {
	lib := Library()
	inLib := map[string]bool{}
	for _, sc := range lib {
		inLib[sc.Name] = true
		t.Run(sc.Name, func(t *testing.T) {
			f, err := sc.File()
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			s := session.New(f, session.Options{})
			if err := s.Run(); err != nil {
				t.Fatalf("run: %v", err)
			}
			want, ok := libraryExpectations[sc.Name]
			if !ok {
				t.Fatalf("no expectation in libraryExpectations")
			}
			tr := s.Transcript(false)
			got := libraryExpect{
				State:    tr.Result.State,
				Benign:   tr.Result.Benign,
				Requests: tr.RequestsSeen,
				PeerEOF:  tr.PeerEOF,
			}
			if e := tr.Result.Error; e != nil {
				got.Kind, got.Parse, got.Errno = e.Kind, e.Parse, e.Errno
			}
			if got != want {
				t.Errorf("result %+v, want %+v (%s)", got, want, tr.Result.Explain)
			}
		})
	}
	for name := range libraryExpectations {
		if !inLib[name] {
			t.Errorf("expectation for %q, which is not in the library", name)
		}
	}
}

// TestLibraryMarks: every mark parses and hits, both from the start of the
// timeline and in order, each after the one before (as the UI's "run to
// breakpoint" meets them).
func TestLibraryMarks(t *testing.T) {
	for _, sc := range Library() {
		t.Run(sc.Name, func(t *testing.T) {
			f, err := sc.File()
			if err != nil {
				t.Fatal(err)
			}
			seq, err := timeline.New(f)
			if err != nil {
				t.Fatal(err)
			}
			if seq.Err() != nil {
				t.Fatalf("timeline: %v", seq.Err())
			}
			for _, m := range sc.Steps {
				if err := seq.CheckBreakpoint(m.Expr); err != nil {
					t.Errorf("%q: %v", m.Expr, err)
					continue
				}
				if i, err := seq.Find(m.Expr, -1); err != nil || i < 0 {
					t.Errorf("%q (%s) never hits (%v)", m.Expr, m.Label, err)
					continue
				}
				hit, err := seq.RunTo(m.Expr)
				if err != nil || !hit {
					t.Errorf("%q (%s) does not hit after the marks before it (%v)", m.Expr, m.Label, err)
				}
			}
		})
	}
}

func TestLookupScenario(t *testing.T) {
	s, ok := Lookup("pipelining-17-yield")
	if !ok || s.Name != "pipelining-17-yield" || s.Section != "§12.5.1" {
		t.Fatalf("Lookup(pipelining-17-yield) = %+v, %v", s.Name, ok)
	}
	if _, ok := Lookup("no-such-scenario"); ok {
		t.Error("found a scenario that does not exist")
	}
	// the caller owns what it gets
	s.Steps[0].Expr = "changed"
	s.Hyper[0] = "changed"
	again, _ := Lookup("pipelining-17-yield")
	if again.Steps[0].Expr == "changed" || again.Hyper[0] == "changed" {
		t.Error("Lookup shares its slices with the library")
	}
	lib := Library()
	for i, sc := range lib {
		got, ok := Lookup(sc.Name)
		if !ok || got.Name != sc.Name || string(got.Session) != string(sc.Session) {
			t.Errorf("Lookup(%q) differs from Library()[%d]", sc.Name, i)
		}
	}
}

// TestLibraryJSON: the library as GET /api/scenarios serves it.
func TestLibraryJSON(t *testing.T) {
	data, err := json.Marshal(Library())
	if err != nil {
		t.Fatal(err)
	}
	var back []map[string]json.RawMessage
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if len(back) != len(Library()) {
		t.Fatalf("%d entries after a round trip, want %d", len(back), len(Library()))
	}
	for _, e := range back {
		for _, key := range []string{"name", "title", "section", "hyper", "summary", "explain", "goal", "marks", "session"} {
			if _, ok := e[key]; !ok {
				t.Errorf("an entry has no %q: %s", key, e["name"])
			}
		}
		sess := e["session"]
		if len(sess) == 0 || sess[0] != '{' {
			t.Errorf("%s: session is not an object", e["name"])
			continue
		}
		if _, err := session.ParseBytes(sess); err != nil {
			t.Errorf("%s: session does not parse: %v", e["name"], err)
		}
	}
}

// TestLibraryGroups (issue 16, item 3): the library is listed group by
// group, in the order of Groups, each group non-empty; every scenario has
// a human title and a docs page; every production bug of §12.10.2.7 is
// there, in the group of real problems (or, for slowloris, the attacks).
func TestLibraryGroups(t *testing.T) {
	lib := Library()
	last, count := -1, make([]int, len(Groups))
	docPage := regexp.MustCompile(`^[a-z0-9-]+\.html#[a-z0-9-]+$`)
	for _, s := range lib {
		g := groupIndex(s.Group)
		if g == len(Groups) {
			t.Errorf("%s: group %q is not one of %q", s.Name, s.Group, Groups)
			continue
		}
		if g < last {
			t.Errorf("%s: group %q after %q: the library is not listed group by group", s.Name, s.Group, Groups[last])
		}
		last = g
		count[g]++
		if !docPage.MatchString(s.Docs) {
			t.Errorf("%s: docs %q is not PAGE.html#ANCHOR", s.Name, s.Docs)
		}
		if strings.HasPrefix(s.Title, "Seed") || strings.HasPrefix(s.Title, "Production bug") {
			t.Errorf("%s: title %q names a file, not what happens", s.Name, s.Title)
		}
	}
	for i, n := range count {
		if n == 0 {
			t.Errorf("group %q is empty", Groups[i])
		}
	}
	// §12.10.2.7's five production bugs
	bugs := map[string][]string{
		"1 keep-alive never works":             {"bug-keep-alive-disabled"},
		"2 a big upload hangs":                 {"bug-big-upload-held", "bug-big-upload-unread"},
		"3 slowloris":                          {"slowloris-header-timeout"},
		"4 client gone mid-response, CPU 100%": {"bug-client-gone-mid-response"},
		"5 connection reset by peer":           {"bug-reset-on-keep-alive"},
	}
	for bug, names := range bugs {
		for _, n := range names {
			s, ok := Lookup(n)
			if !ok {
				t.Errorf("production bug %s: no scenario %s", bug, n)
				continue
			}
			if !strings.Contains(s.Symptoms, "production bug "+bug[:1]) {
				t.Errorf("production bug %s: %s's symptoms do not say so: %q", bug, n, s.Symptoms)
			}
		}
	}
	// the order is stable: the same every call
	again := Library()
	for i := range lib {
		if lib[i].Name != again[i].Name {
			t.Fatalf("entry %d: %s, then %s", i, lib[i].Name, again[i].Name)
		}
	}
}

// TestListing: Listing is Library entry for entry without the sessions,
// and costs a fraction of it: the browser lists the library on its
// start-up path, and Library writes every long run out.
func TestListing(t *testing.T) {
	lib, list := Library(), Listing()
	if len(lib) != len(list) {
		t.Fatalf("Listing has %d entries, Library %d", len(list), len(lib))
	}
	for i := range lib {
		want := lib[i]
		want.Session = ""
		if !reflect.DeepEqual(list[i], want) {
			t.Errorf("entry %d (%s): Listing differs from Library beyond the session", i, lib[i].Name)
		}
	}
	// its own slices, as Library's
	list[0].Hyper = append(list[0].Hyper[:0], "changed")
	if Listing()[0].Hyper[0] == "changed" && len(lib[0].Hyper) > 0 {
		t.Errorf("Listing shares its entries' slices")
	}
	libBytes, listBytes := allocated(func() { Library() }), allocated(func() { Listing() })
	if listBytes*4 > libBytes {
		t.Errorf("Listing allocates %d bytes, Library %d: want a fraction", listBytes, libBytes)
	}
	t.Logf("Library %d bytes, Listing %d", libBytes, listBytes)
}

// allocated is the bytes f allocates.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}
