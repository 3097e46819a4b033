package ui

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/timeline"
)

// Links made by the encoding/json version of EncodeFragment, before the
// Share's JSON was written by hand: they must keep opening as they did,
// and the same page state must give the same link.
const (
	// a typed request with <, &, > and U+2028 in it, a draft, CRLF off,
	// unit poll, a breakpoint, the cursor at event 7
	oldLinkTyped = "v1=q1YqTi0uzszPU7KqVipLLYIwDXWUcvNTUpWsgLJFQFElHaWMxLyUHCDLSikjNScnHygCkYrPLygB6ikG6c9OTS2IT8zJLAPqzCvNyQHpykmLT87JLwaKpCXmFKfqKJVkluSkxicnFqfGZ6QmpgCthEvlJlbEJ5WmxRdnViFMAKuJLwJS8SWZuan5pSXxuUAtINlaoGlFiXnFBflFJSD7kxMLEpMzSyqVrAx0lMA6kjNK87KBXKDKzLyCUqCqaJCP81KA_gjwDw5R0FfwCAkJ0DfUM4wpislzzs8rSc0r0fVJzUsvybBSMAYJgnBiUkypgYFxMog0MgOzU2NKjQyMLA6vVKqNBRqfXFpUnA8MHnNw0GWmZaYC7SgpKgV6K6UoMQ1oM4RWiFEqjFECBl9yUU4a3OeleZkgFQX5OTlAqaQCILsotbA0tbikWMHWVsFQqRYA"
	// the pipelining-2 scenario at event 5
	oldLinkScenario = "v1=q1YqTi0uzszPU7KqVipLLYIwDXWUcvNTUpWsgLJFQFElHaWMxLyUHCDLSikjNScnHygCkYrPLygB6ikG6c9OTS2IT8zJLAPqzCvNyQHpykmLT87JLwaKpCXmFKfqKJVkluSkxicnFqfGZ6QmpgCthEvlJlbEJ5WmxRdnViFMAKuJLwJS8SWZuan5pSXxuUAtINlaoGlFiXnFBflFJSD7kxMLEpMzSyqVrAx0lMA6kjNK87KBXKDKzLyCUqCqaJCP81KA_nB3DVHQV_AICQnQN9QzjCmKyfPILy6xUqgAMUGYoAKlWh2gaRmlJSn55cBQUyovyixJVaqNBdqWXFpUnA8MLVNgOCWn5iUWZeYDFRRkFqTmZOZl5qXrGgFDMKUoMQ3oJHSXwK3JA1oBNKooJ03JqqSoFBhCpXmZIA2pZal5JUq1AA"
)

func TestOldPermalinksOpen(t *testing.T) {
	p := newPage(t)
	p.do(Init{BaseURL: "https://connlab.test/", Fragment: oldLinkTyped})
	if p.m.Banner.Text != "" {
		t.Fatalf("banner %q", p.m.Banner.Text)
	}
	f := p.m.TL.File()
	if p.cursor() != 7 || p.m.Draft != "draft \"q\"" || p.m.CRLF || p.m.Unit != timeline.UnitPoll || p.m.BP != "requests == 1" ||
		len(f.Input) != 1 || *f.Input[0].Send != "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nab<&>\u2028é" {
		t.Errorf("restored: cursor %d, draft %q, crlf %v, unit %v, bp %q, input %+v", p.cursor(), p.m.Draft, p.m.CRLF, p.m.Unit, p.m.BP, f.Input)
	}
	if frag, err := EncodeFragment(p.m.ShareState()); err != nil || !sameLinkJSON(t, frag, oldLinkTyped) {
		t.Errorf("the same state gives another link (%v):\n got %s\nwant %s", err, frag, oldLinkTyped)
	}

	q := newPage(t)
	q.do(Init{BaseURL: "https://connlab.test/", Fragment: oldLinkScenario})
	if q.m.Banner.Text != "" || q.cursor() != 5 || q.m.Scenario != "pipelining-2" || q.m.Modified {
		t.Errorf("restored: banner %q, cursor %d, scenario %q, modified %v", q.m.Banner.Text, q.cursor(), q.m.Scenario, q.m.Modified)
	}
	if frag, err := EncodeFragment(q.m.ShareState()); err != nil || !sameLinkJSON(t, frag, oldLinkScenario) {
		t.Errorf("the same state gives another link (%v):\n got %s\nwant %s", err, frag, oldLinkScenario)
	}
}

// sameLinkJSON reports whether two links hold the same JSON. The
// compressed bytes depend on the compressor (the browser's
// CompressionStream, compress/flate natively, connlab's own encoder
// before): any raw DEFLATE stream opens.
func sameLinkJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var js [2][]byte
	for i, frag := range []string{a, b} {
		raw, ok := FragmentData(frag)
		if !ok {
			t.Fatalf("%s: no link data", frag)
		}
		j, err := inflateLink(raw, MaxInflated)
		if err != nil {
			t.Fatalf("%s: %v", frag, err)
		}
		js[i] = j
	}
	return bytes.Equal(js[0], js[1])
}

// legacyShare is Share as encoding/json wrote it.
type legacyShare struct {
	Session  json.RawMessage `json:"session"`
	Cursor   int             `json:"cursor"`
	Scenario string          `json:"scenario,omitempty"`
	Modified bool            `json:"modified,omitempty"`
	Draft    string          `json:"draft,omitempty"`
	CRLF     *bool           `json:"crlf,omitempty"`
	Unit     string          `json:"unit,omitempty"`
	BP       string          `json:"bp,omitempty"`
}

// TestShareJSONAsEncodingJSON: the hand-written JSON of a Share is
// json.Marshal's, and reads back as encoding/json reads it.
func TestShareJSONAsEncodingJSON(t *testing.T) {
	yes, no := true, false
	for _, s := range []Share{
		{},
		{Session: []byte(`{"version":1}`)},
		{Session: []byte(" { \"version\" : 1 ,\n \"handler\": \"<hello>\" } "), Cursor: -3, Scenario: "keep-alive", Modified: true, Draft: "a\x00<\u2028\xff", CRLF: &no, Unit: "poll", BP: "kind == yield"},
		{Session: []byte(`null`), CRLF: &yes},
	} {
		want, err := json.Marshal(legacyShare{Session: s.Session, Cursor: s.Cursor, Scenario: s.Scenario, Modified: s.Modified, Draft: s.Draft, CRLF: s.CRLF, Unit: s.Unit, BP: s.BP})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.appendJSON(nil)
		if err != nil || string(got) != string(want) {
			t.Errorf("%+v:\n got %s (%v)\nwant %s", s, got, err, want)
			continue
		}
		back, err := readShare(got)
		var old legacyShare
		json.Unmarshal(got, &old)
		if err != nil || string(back.Session) != string(old.Session) || back.Cursor != old.Cursor || back.Draft != old.Draft ||
			back.Scenario != old.Scenario || back.Modified != old.Modified || (back.CRLF == nil) != (old.CRLF == nil) || back.Unit != old.Unit || back.BP != old.BP {
			t.Errorf("%s reads back as %+v (%v), encoding/json reads %+v", got, back, err, old)
		}
	}
	if _, err := (&Share{Session: []byte(`{"version":`)}).appendJSON(nil); err == nil {
		t.Error("a session that is not JSON was written into a link")
	}
}

// TestBadShareJSON: what the page says about a link whose JSON is damaged.
func TestBadShareJSON(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{not json`, "this link is damaged: its session is not valid JSON (line 1, column 2: expected a key (a string in double quotes) or '}', found 'n')"},
		{`[1]`, "this link is damaged: it holds no session object (expected an object, got JSON array)"},
		{`{"session":{},"cursor":"7"}`, "this link is damaged: its cursor is not valid (expected an integer, got JSON string)"},
		{`{"session":{},"crlf":1}`, "this link is damaged: its crlf is not valid (expected true or false, got JSON number)"},
		{`{"session":{},"cursor":1,"cursor":2}`, "this link is damaged: its cursor is not valid (repeated key: each key may appear once in an object)"},
		{`{"session":{}} x`, "this link is damaged: its session is not valid JSON (line 1, column 16: unexpected 'x' after the end of the top-level value)"},
	} {
		_, err := readShare([]byte(c.in))
		if err == nil || errMsg(err) != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.in, err, c.want)
		}
	}
	// a key a later v1 may add is ignored
	s, err := readShare([]byte(`{"session":{"version":1},"cursor":2,"later":{"x":[1]}}`))
	if err != nil || s.Cursor != 2 || string(s.Session) != `{"version":1}` {
		t.Errorf("unknown key: %+v %v", s, err)
	}
}

// TestAddressFollowsSession: the page's address (Model.Address) is empty
// for the page as it opens, the short ?scenario=&step= form while the
// person only steps through a library scenario, and the whole session
// (#v1=…) once anything else changed; opening the page at that address
// restores it all. The embed view has none.
func TestAddressFollowsSession(t *testing.T) {
	p := newPage(t)
	addr := func(p *page) string {
		t.Helper()
		a, err := p.m.Address()
		if err != nil {
			t.Fatalf("Address: %v", err)
		}
		return a
	}
	if a := addr(p); a != "" {
		t.Errorf("fresh page: address %q, want none", a)
	}
	p.do(Step{Default: true}, Step{Default: true})
	if a := addr(p); a != "?scenario="+DefaultScenario+"&step=2" {
		t.Errorf("after two steps: %q", a)
	}
	p.do(SetUnit{Unit: timeline.UnitPoll})
	if a := addr(p); a != "?scenario="+DefaultScenario+"&step=2&unit=poll" {
		t.Errorf("unit poll: %q", a)
	}
	navs := p.m.Navs
	p.do(LoadScenario{Name: "keep-alive"}, Step{Default: true})
	if p.m.Navs != navs+1 {
		t.Errorf("loading a scenario is no navigation (Navs %d -> %d)", navs, p.m.Navs)
	}
	p.do(SetDraft{Text: "GET /typed HTTP/1.1\nHost: y\n\n", Caret: 5})
	a := addr(p)
	if !strings.HasPrefix(a, "#v1=") {
		t.Fatalf("an edited editor: %q, want the whole session", a)
	}
	q := newPage(t)
	q.do(Init{BaseURL: "https://connlab.test/", Fragment: a[1:]})
	if q.m.Scenario != "keep-alive" || q.cursor() != p.cursor() || q.m.Draft != p.m.Draft || q.m.Unit != timeline.UnitPoll || q.m.Banner.Text != "" {
		t.Errorf("restored: scenario %q cursor %d (want %d) draft %q unit %v banner %q", q.m.Scenario, q.cursor(), p.cursor(), q.m.Draft, q.m.Unit, q.m.Banner.Text)
	}
	// going back to a short address restores its defaults, not the editor's text
	q.do(Init{BaseURL: "https://connlab.test/", Query: "scenario=keep-alive&step=3&theme=dark"})
	if q.m.Draft != defaultDraft || q.m.Unit != timeline.UnitEvent || q.cursor() != 3 {
		t.Errorf("short address: draft %q unit %v cursor %d", q.m.Draft, q.m.Unit, q.cursor())
	}
	if a := addr(q); a != "?scenario=keep-alive&step=3&theme=dark" {
		t.Errorf("the theme is kept: %q", a)
	}
	e := newPage(t)
	e.do(Init{BaseURL: "https://connlab.test/embed", Query: "scenario=keep-alive"})
	if _, err := e.m.Address(); err != ErrNoAddress {
		t.Errorf("embed: %v, want ErrNoAddress", err)
	}
}
