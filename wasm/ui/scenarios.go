package ui

import (
	"strings"
	"unicode/utf8"

	b64enc "github.com/connlab/connlab/engine/b64"
	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/timeline"
)

// ScenarioInfo is a library scenario as the page lists it.
type ScenarioInfo = scenarios.Scenario

func scenarioInfos() []ScenarioInfo { return scenarios.Listing() }

// scenario returns the loaded scenario's entry.
func (m *Model) scenario() (ScenarioInfo, bool) {
	if m.Scenario == "" {
		return ScenarioInfo{}, false
	}
	for _, s := range m.library {
		if s.Name == m.Scenario {
			return s, true
		}
	}
	return ScenarioInfo{}, false
}

// ScenarioError is a scenario name the library does not have.
type ScenarioError struct{ Name string }

func (e *ScenarioError) Error() string {
	return "There is no scenario named \u201c" + e.Name + "\u201d."
}

// loadScenario loads a library scenario with the cursor at event step.
func (m *Model) loadScenario(name string, step int) error {
	sc, ok := scenarios.Lookup(name)
	if !ok {
		return &ScenarioError{Name: name}
	}
	f, err := sc.File()
	if err != nil {
		return err
	}
	tl, err := timeline.New(f)
	if err != nil {
		return err
	}
	m.setTimeline(tl, name)
	tl.JumpTo(step)
	m.LogScroll = 0
	m.follow()
	m.undo, m.editK = nil, 0
	m.Draft, m.Caret, m.CRLF = m.scenarioDraft(), 0, true
	return nil
}

// jumpMark moves to the scenario's k-th mark: marks are met in order, so
// each is searched for after the one before it.
func (m *Model) jumpMark(k int) {
	sc, ok := m.scenario()
	if !ok || k < 0 || k >= len(sc.Steps) {
		return
	}
	pos := -1
	for j := 0; j <= k; j++ {
		i, err := m.TL.Find(sc.Steps[j].Expr, pos)
		if err != nil {
			m.bpErr, m.bpMsg = true, err.Error()
			return
		}
		if i < 0 && pos >= 0 {
			i, _ = m.TL.Find(sc.Steps[j].Expr, -1)
		}
		if i >= 0 {
			pos = i
		}
	}
	if pos < 0 {
		m.bpErr, m.bpMsg = false, "this mark is not reached in the session as it stands"
		return
	}
	m.moveFrom()
	m.TL.JumpTo(pos)
	m.BP = sc.Steps[k].Expr
	m.bpErr, m.bpMsg = false, "mark "+itoa(k+1)+": "+sc.Steps[k].Label
	m.follow()
}

// PresetDef is a ready-made request for the editor (line breaks become CRLF).
type PresetDef struct {
	Name, Label, Text string
}

// Presets are the editor's ready-made requests.
var Presets = []PresetDef{
	{"get", "GET /", "GET / HTTP/1.1\nHost: x\n\n"},
	{"pipelined", "two pipelined GETs", "GET /a HTTP/1.1\nHost: x\n\nGET /b HTTP/1.1\nHost: x\n\n"},
	{"post", "POST with a body (Content-Length)", "POST /echo HTTP/1.1\nHost: x\nContent-Length: 5\n\nhello"},
	{"chunked", "POST, chunked body", "POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n5\nhello\n0\n\n"},
	{"expect", "Expect: 100-continue (head only)", "POST /echo HTTP/1.1\nHost: x\nContent-Length: 5\nExpect: 100-continue\n\n"},
	{"head", "HEAD /", "HEAD / HTTP/1.1\nHost: x\n\n"},
	{"close", "Connection: close", "GET / HTTP/1.1\nHost: x\nConnection: close\n\n"},
	{"http10", "HTTP/1.0, no keep-alive", "GET / HTTP/1.0\n\n"},
	{"upgrade", "Upgrade: echo (with upgrade-echo)", "GET / HTTP/1.1\nHost: x\nConnection: upgrade\nUpgrade: echo\n\nhello"},
	{"partial", "an incomplete head", "GET / HTTP/1.1\nHost: x\n"},
	{"bad", "a malformed header (400)", "GET / HTTP/1.1\nHost x\n\n"},
	{"smuggle", "Content-Length and chunked together", "POST / HTTP/1.1\nHost: x\nContent-Length: 4\nTransfer-Encoding: chunked\n\n0\n\n"},
}

func validUTF8(p []byte) bool { return utf8.Valid(p) }

func b64(p []byte) string { return b64enc.Std.EncodeToString(p) }

// libraryMatches lists the scenarios the library shows for LibQ, as
// indices into the library, in its order: those whose title, summary,
// explanation, symptoms or name contain the query, in any case (all of
// them for an empty query).
func (m *Model) libraryMatches() []int {
	q := strings.ToLower(strings.TrimSpace(m.LibQ))
	if m.libHay == nil {
		m.libHay = make([]string, len(m.library))
		for i, s := range m.library {
			m.libHay[i] = strings.ToLower(s.Title + "\n" + s.Summary + "\n" + s.Explain[0] + "\n" + s.Explain[1] + "\n" + s.Symptoms + "\n" + s.Name + "\n" + s.Group)
		}
	}
	var out []int
	for i, h := range m.libHay {
		if strings.Contains(h, q) {
			out = append(out, i)
		}
	}
	return out
}
