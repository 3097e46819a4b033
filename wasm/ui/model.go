// Package ui is the browser sandbox's model: the state of the page as plain
// Go values, the actions a person can take (plain structs), Update, which
// applies one, and Render, which turns the model into values for the
// page's named slots. It has no build tags and never touches the DOM: the
// adapter in package main (wasm/) turns DOM events into actions and
// Render's batch into one call to the page's helper, so everything here is
// tested natively (model_test.go steps it like a person would).
package ui

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
)

// Model is the whole state of the page.
type Model struct {
	// TL is the recorded session; never nil after New.
	TL *timeline.Timeline
	// ver counts changes of TL's events (sends, forks, loads, and a long
	// run's slices), for caches.
	ver int
	// rewrites counts the changes that are not a long run's slices adding
	// events after the others (sends, forks, loads): caches that read on
	// from where they were when only that happened (the log's filter)
	// start again when it moves.
	rewrites int
	// Scenario is the library scenario the session came from ("" for one
	// built by hand); Modified says the session was changed since (sends,
	// options): the scenario's text stays, its links do not apply.
	Scenario string
	Modified bool

	Draft    string // the editor's text
	Caret    int    // the editor's caret, in UTF-16 units (for send-to-cursor)
	CRLF     bool   // a line break in the editor is sent as CR LF
	InputHex bool
	WireHex  bool
	FragN    int   // bytes per piece for "send in pieces"
	ClockMS  int64 // how far "advance clock" moves the virtual clock

	Unit    timeline.Unit // what Step moves by
	BP      string        // the breakpoint expression
	bpMsg   string
	bpErr   bool
	bpCol   int
	Overlay string // "", "help", "library", "share", "embed"
	Embed   bool   // compact layout for iframes
	Panels  string // the embed's panels (panels=, checked): names of PanelNames, space-separated; "" all

	Banner Banner

	// Picked is a byte range chosen by clicking an event or a byte; it is
	// highlighted until the cursor moves.
	Picked Pick

	// The event log's viewport: the first visible row and how many fit.
	LogScroll int // pixels, as the page reports or as following sets it
	LogRows   int
	// Filter is what the event log lists (logfilter.go).
	Filter LogFilter
	// from is the cursor the page last showed: fields that changed since
	// are marked.
	from int
	// clockFrom is the clock before "advance clock" moved it, or -1: it may
	// move with no event, so from does not show it.
	clockFrom int64

	// BaseURL is the app's address (its directory: the page at /, or the
	// embed view at /embed, both give https://host/), for share and embed
	// links.
	BaseURL string

	run *longRun // a session still running in slices (progress.go)

	// undo is the session before the last change made from the past (a
	// replaced input, a send while the cursor was back in time).
	undo *undoState
	// editK is 1 + the input the editor holds for replacing (EditInput),
	// 0 when Send appends.
	editK int

	// Navs counts the person's moves to another session (a scenario from
	// the library, Reset): the adapter makes each a new history entry, and
	// records every other change in the current one (see Address).
	Navs  int
	theme string // ?theme= as the page was opened with, kept in the address

	copied string // what was last copied ("!" prefix: the copy failed)

	// LibQ is the library's search box: scenarios whose title,
	// explanation, symptoms or name contain it (any case) are listed.
	LibQ    string
	libHay  []string // each scenario's searchable text, lower-case
	idx     *index
	memo    memo
	rend    Renderer
	library []ScenarioInfo
	prog    progState // the program editors and their Rust (programs.go)
}

// Banner is the message bar at the top. Error banners offer "copy session".
type Banner struct {
	Text   string // plain text
	Detail string // plain text shown in a <pre> (a stack, an error chain)
	Error  bool
	Undo   bool // offer "undo" (after a fork)
}

// Pick is a byte range of one stream.
type Pick struct {
	Stream string // "to_server" or "to_client"; "" = none
	Lo, Hi int64
	Event  int // the event whose bytes these are
}

type undoState struct {
	file     *session.File
	cursor   int
	scenario string
	modified bool
}

// LogRowHeight is the event log's row height in pixels (see .ev in
// connlab.css): the list lays out only visible rows.
const LogRowHeight = 20

// New returns a model with the default scenario loaded.
func New() *Model {
	m := &Model{CRLF: true, FragN: 8, ClockMS: 100, LogRows: 30, from: -1, clockFrom: -1}
	// the page starts with the log scrolled to the top; setting scrollTop
	// would force a layout before the page is even ready
	m.rend.Assume(SlotLog, "0")
	m.library = scenarioInfos()
	m.loadDefault()
	m.Draft = m.scenarioDraft()
	return m
}

// The editor's text on a fresh page, and in mode client (where the person
// answers).
const (
	defaultDraft       = "GET / HTTP/1.1\nHost: x\n\n"
	defaultClientDraft = "HTTP/1.1 200 OK\nContent-Length: 2\n\nok"
)

// DefaultScenario is what the page shows first: two pipelined requests on
// one keep-alive connection.
const DefaultScenario = "pipelining-2"

func (m *Model) loadDefault() {
	for _, name := range []string{DefaultScenario, "keep-alive"} {
		if m.loadScenario(name, 0) == nil {
			return
		}
	}
	tl, err := timeline.New(session.Demo())
	if err != nil {
		panic("connlab: the built-in demo does not load: " + err.Error())
	}
	m.setTimeline(tl, "")
}

func (m *Model) setTimeline(tl *timeline.Timeline, scenario string) {
	m.TL = tl
	m.Scenario = scenario
	m.Modified = false
	m.ver++
	m.rewrites++
	m.idx = nil
	m.Picked = Pick{}
	m.from = -1
	m.clockFrom = -1
	m.bpMsg, m.bpErr = "", false
}

// changed records that TL's events changed (an append or a fork).
func (m *Model) changed() {
	m.ver++
	m.rewrites++
	m.idx = nil
	m.Picked = Pick{}
}

// Action is something a person does. Each is a plain struct.
type Action interface{ isAction() }

type (
	// Init starts the page from its address: the fragment (#v1=…) wins,
	// then ?scenario=NAME&step=N, then the default scenario. Embed is
	// ?embed=1 or the path /embed (EmbedRoute), the one path other sites
	// may frame.
	Init struct {
		BaseURL  string // the page's address without query or fragment
		Query    string // without '?'
		Fragment string // without '#'
	}
	// LoadScenario loads a library scenario at its first event.
	LoadScenario struct{ Name string }
	// SetDraft is the editor's text after the person typed.
	SetDraft struct {
		Text  string
		Caret int
	}
	// Toggle flips "crlf", "input-hex" or "wire-hex".
	Toggle struct {
		What string
		On   bool
	}
	SetFragN   struct{ N int }
	Preset     struct{ Name string }
	Send       struct{ How SendHow }
	Shutdown   struct{}
	Fault      struct{ Name string }
	AdvanceClk struct{}
	// Step moves the cursor by one Unit (Default: the model's), or back.
	Step struct {
		Unit    timeline.Unit
		Default bool
		Back    bool
	}
	RunToEnd struct{}
	Rewind   struct{}
	// RunTo runs to the breakpoint (Expr, or the model's when empty).
	RunTo struct {
		Expr string
		Back bool
	}
	SetBP  struct{ Expr string }
	JumpTo struct{ Event int }
	// JumpInput moves to the first event recorded after input K.
	JumpInput struct{ K int }
	// EditInput puts send input K into the editor and moves to just
	// before it, so the next Send replaces it (the session forks there).
	EditInput struct{ K int }
	// Copied says the page copied something ("link", "json", "snippet",
	// "report") to the clipboard, or failed to (OK false).
	Copied struct {
		What string
		OK   bool
	}
	JumpMark struct{ Index int }
	// SearchLibrary filters the library as the person types; Go loads
	// the first scenario listed (Enter in the search box).
	SearchLibrary struct {
		Q  string
		Go bool
	}
	// ClickWire: a byte of a stream ("in": toward the server, "out":
	// toward the client) was clicked.
	ClickWire struct {
		Dir string
		Off int64
	}
	// ClickEvent: an event log row was clicked.
	ClickEvent struct{ Seq int }
	// ScrollLog: the event log was scrolled to Top pixels.
	ScrollLog  struct{ Top int }
	SetLogRows struct{ N int }
	SetUnit    struct{ Unit timeline.Unit }
	// SetOption changes a server option and replays the input log.
	SetOption struct{ Key, Value string }
	Reset     struct{}
	Open      struct{ Overlay string }
	Dismiss   struct{}
	Undo      struct{}
	// Crash reports a panic the adapter caught.
	Crash struct{ Msg, Stack string }
)

// SendHow says how Send cuts the editor's bytes.
type SendHow uint8

const (
	SendAll     SendHow = iota // everything, one input
	SendToCaret                // the bytes before the caret; the rest stays
	SendPieces                 // everything, as inputs of FragN bytes
)

func (Init) isAction()          {}
func (LoadScenario) isAction()  {}
func (SetDraft) isAction()      {}
func (Toggle) isAction()        {}
func (SetFragN) isAction()      {}
func (Preset) isAction()        {}
func (Send) isAction()          {}
func (Shutdown) isAction()      {}
func (Fault) isAction()         {}
func (AdvanceClk) isAction()    {}
func (Step) isAction()          {}
func (RunToEnd) isAction()      {}
func (Rewind) isAction()        {}
func (RunTo) isAction()         {}
func (SetBP) isAction()         {}
func (JumpTo) isAction()        {}
func (JumpMark) isAction()      {}
func (SearchLibrary) isAction() {}
func (JumpInput) isAction()     {}
func (EditInput) isAction()     {}
func (Copied) isAction()        {}
func (ClickWire) isAction()     {}
func (ClickEvent) isAction()    {}
func (ScrollLog) isAction()     {}
func (SetLogRows) isAction()    {}
func (SetUnit) isAction()       {}
func (SetOption) isAction()     {}
func (Reset) isAction()         {}
func (Open) isAction()          {}
func (Dismiss) isAction()       {}
func (Undo) isAction()          {}
func (Crash) isAction()         {}

// Update applies one action.
func (m *Model) Update(a Action) {
	tl := m.TL
	switch a := a.(type) {
	case Init:
		m.init(a)
	case LoadScenario:
		if err := m.loadScenario(a.Name, 0); err != nil {
			m.errorBanner(err.Error())
		} else {
			m.Navs++
			m.Overlay = ""
			m.Banner = Banner{}
		}
	case SetDraft:
		m.Draft, m.Caret = a.Text, a.Caret
	case Toggle:
		switch a.What {
		case "crlf":
			m.CRLF = a.On
		case "input-hex":
			m.InputHex = a.On
		case "wire-hex":
			m.WireHex = a.On
		}
	case SetFragN:
		m.FragN = max(1, min(a.N, 1<<16))
	case Preset:
		for _, p := range Presets {
			if p.Name == a.Name {
				m.Draft = p.Text
				m.Caret = len(p.Text)
				m.CRLF = true
			}
		}
	case Send:
		m.send(a.How)
	case Shutdown:
		w := "write"
		m.apply([]session.Input{{Shutdown: &w}})
	case Fault:
		if a.Name != "" {
			f := a.Name
			m.apply([]session.Input{{Fault: &f}})
		}
	case AdvanceClk:
		m.advanceClock()
	case Step:
		u := a.Unit
		if a.Default {
			u = m.Unit
		}
		m.moveFrom()
		if a.Back {
			tl.StepBack(u)
		} else {
			tl.StepForward(u)
		}
		m.follow()
	case RunToEnd:
		m.moveFrom()
		tl.JumpTo(tl.Len() - 1)
		m.follow()
	case Rewind:
		m.moveFrom()
		tl.JumpTo(0)
		m.follow()
	case SetBP:
		m.BP = a.Expr
		m.bpMsg, m.bpErr = "", false
	case RunTo:
		if a.Expr != "" {
			m.BP = a.Expr
		}
		m.runTo(a.Back)
	case JumpTo:
		m.moveFrom()
		tl.JumpTo(a.Event)
		m.follow()
	case JumpMark:
		m.jumpMark(a.Index)
	case SearchLibrary:
		m.LibQ = a.Q
		if first := m.libraryMatches(); a.Go && len(first) > 0 {
			m.Update(LoadScenario{Name: m.library[first[0]].Name})
		}
	case JumpInput:
		if i := tl.InputStart(a.K); i >= 0 {
			m.moveFrom()
			tl.JumpTo(i)
			m.follow()
		}
	case EditInput:
		m.editInput(a.K)
	case Copied:
		m.copied = a.What
		if !a.OK {
			m.copied = "!" + a.What
		}
	case ClickWire:
		stream := "to_server"
		if a.Dir == "out" {
			stream = "to_client"
		}
		if ev := tl.EventAtWire(stream, a.Off); ev >= 0 {
			m.moveFrom()
			tl.JumpTo(ev)
			m.follow()
			m.Picked = m.pickOf(ev)
		}
	case ClickEvent:
		m.moveFrom()
		tl.JumpTo(a.Seq)
		m.Picked = m.pickOf(a.Seq)
	case ScrollLog:
		m.LogScroll = max(0, a.Top)
	case SetLogRows:
		m.LogRows = max(8, min(a.N, 200))
	case SetUnit:
		m.Unit = a.Unit
	case FilterLog:
		m.Filter = a.Filter
		m.follow()
	case LogStep:
		m.logStep(a.Back)
	case Exported:
		m.exported(a)
	case SetOption:
		m.setOption(a.Key, a.Value)
	case Reset:
		m.reset()
		m.Navs++
	case Open:
		m.Overlay = a.Overlay
		m.copied = ""
	case Dismiss:
		m.Banner = Banner{}
		m.editK = 0
	case Undo:
		if u := m.undo; u != nil {
			m.undo, m.editK = nil, 0
			if t, err := timeline.New(u.file); err == nil {
				m.setTimeline(t, u.scenario)
				m.Modified = u.modified
				t.JumpTo(u.cursor)
				m.follow()
			}
			m.Banner = Banner{}
		}
	case Crash:
		m.Banner = Banner{Text: "Something went wrong inside connlab: " + a.Msg + ". The page still works; copy the session to report it.", Detail: a.Stack, Error: true}
	default:
		m.updatePrograms(a)
	}
}

// editInput loads send input k into the editor and moves the cursor to the
// last event before it was applied.
func (m *Model) editInput(k int) {
	tl := m.TL
	ins := tl.File().Input
	if k < 0 || k >= len(ins) || (ins[k].Send == nil && ins[k].SendB64 == nil) {
		return
	}
	b := ins[k].Bytes()
	// keep the editor's line breaks as the bytes have them
	crlf := strings.Count(string(b), "\r\n") >= strings.Count(string(b), "\n") && strings.Contains(string(b), "\r\n")
	m.CRLF = crlf
	m.Draft = EncodeInput(b, crlf)
	m.Caret = len(m.Draft)
	m.editK = k + 1
	if i := tl.InputStart(k); i > 0 {
		m.moveFrom()
		tl.JumpTo(i - 1)
		m.follow()
	}
	m.infoBanner("Editing input " + itoa(k+1) + ": change its bytes in the editor and press Replace input " + itoa(k+1) + ". Only that input is replaced" + pick(k+1 < len(ins), pick(k+2 < len(ins), "; the "+itoa(len(ins)-k-1)+" inputs after it are", "; the input after it is")+" kept and re-applied.", ".") + " Close this message to send at the end instead.")
}

// replaceInput puts ins in place of input k and replays the session: the
// inputs after k are kept and re-applied, unless the run stops before
// them (then they are dropped, and the banner says why). Undo restores
// the session as it was.
func (m *Model) replaceInput(k int, ins []session.Input) bool {
	old := m.TL.File()
	f := *old
	f.Input = append(append(append([]session.Input(nil), old.Input[:k]...), ins...), old.Input[k+1:]...)
	tl, err := timeline.New(&f)
	if err != nil {
		m.errorBanner("Nothing replaced: " + errText(err))
		return false
	}
	later := len(old.Input) - k - 1
	applied := tl.Applied()
	if applied < k+len(ins) {
		m.errorBanner("Nothing replaced: " + errText(tl.Err()))
		return false
	}
	m.moveFrom()
	undo := &undoState{file: old, cursor: m.TL.Cursor(), scenario: m.Scenario, modified: m.Modified}
	m.setTimeline(tl, m.Scenario)
	m.Modified = true
	m.undo, m.editK = undo, 0
	text := "Input " + itoa(k+1) + " replaced"
	if len(ins) > 1 {
		text += " by " + inputsNamed(k+1, k+len(ins))
	}
	kept := applied - k - len(ins)
	if kept > 0 {
		text += "; " + inputsNamed(k+len(ins)+1, k+len(ins)+kept) + " re-applied"
	}
	if kept < later {
		// the run stopped: the rest never applied, so they leave the log
		tl.File().Input = tl.File().Input[:applied]
		text += "; " + inputsNamed(applied+1, k+len(ins)+later) + " dropped because the run stopped first: " + strings.TrimPrefix(tl.Err().Error(), "session: ")
	}
	tl.JumpTo(tl.InputStart(k))
	m.follow()
	m.Banner = Banner{Text: text + ".", Undo: true}
	return true
}

// inputsNamed is "input a" or "inputs a–b".
func inputsNamed(a, b int) string {
	if a == b {
		return "input " + itoa(a)
	}
	return "inputs " + itoa(a) + "–" + itoa(b)
}

// moveFrom remembers where the cursor was before a move, so Render can
// mark what changed.
func (m *Model) moveFrom() {
	m.from = m.TL.Cursor()
	m.clockFrom = -1
	m.Picked = Pick{}
}

// advanceClock moves the virtual clock by ClockMS. With no timer due
// nothing runs and no event is recorded: the clock field moves anyway,
// and the banner says why nothing else did.
func (m *Model) advanceClock() {
	tl := m.TL
	before, _ := m.clockAt(tl.Cursor(), tl.View())
	n := tl.Len()
	ms := m.ClockMS
	if !m.apply([]session.Input{{WaitMS: &ms}}) {
		return
	}
	m.clockFrom = before
	if tl.Len() > n || m.Banner.Undo {
		return
	}
	now, _ := m.clockAt(tl.Cursor(), tl.View())
	text := "The clock advanced " + msText(ms) + " ms, to t=" + msText(now) + " ms. "
	if armed := m.index().armedAt(tl, tl.Cursor()); len(armed) > 0 {
		t := armed[0]
		text += "Nothing was due: timer " + t.name + " fires at t=" + msText(t.deadline) + " ms, in " + msText(t.deadline-now) + " ms."
	} else {
		text += "No timer armed: nothing waits for the clock, so nothing ran and no event was recorded."
	}
	m.infoBanner(text)
}

// follow scrolls the event log so the cursor's row is visible, a third
// of the way down, but never past the log's last row: the browser would
// clamp such a scroll and report it back (a scroll event), and the
// window would move after the render that asked for it (a docs sandbox's
// log shifted so when its frame took over at an event near the end).
func (m *Model) follow() {
	c, _ := m.logRowOf(m.TL.Cursor())
	top := m.LogScroll / LogRowHeight
	if c < top+1 || c >= top+m.LogRows-3 {
		rows := m.TL.Len()
		if list := m.logMatches(); list != nil {
			rows = len(list)
		}
		// LogRows is the rows the log shows plus two (connlab.logRows)
		last := max(0, rows-(m.LogRows-2))
		m.LogScroll = min(max(0, c-m.LogRows/3), last) * LogRowHeight
	}
}

func (m *Model) errorBanner(text string) {
	m.Banner = Banner{Text: text, Error: true}
}

func (m *Model) infoBanner(text string) {
	m.Banner = Banner{Text: text}
}

// send turns the editor's bytes into inputs.
func (m *Model) send(how SendHow) {
	b, err := DecodeInput(m.Draft, m.CRLF)
	if err != nil {
		m.errorBanner("Nothing sent: " + err.Error())
		return
	}
	rest := ""
	switch how {
	case SendToCaret:
		n, err := CaretByteOffset(m.Draft, m.Caret, m.CRLF)
		if err != nil {
			m.errorBanner("Nothing sent: " + err.Error())
			return
		}
		b = b[:n]
		rest = restAfterCaret(m.Draft, m.Caret)
	}
	if len(b) == 0 {
		m.errorBanner("Nothing to send: the editor is empty" + pick(how == SendToCaret, " before the cursor", "") + ".")
		return
	}
	if m.TL.File().RunMode() == session.ModeBoth {
		m.errorBanner("In this scenario both ends are engine code (mode both): there is no person on the wire to send bytes. Use Reset for a session you type into.")
		return
	}
	pieces := [][]byte{b}
	if how == SendPieces {
		pieces = Fragments(b, m.FragN)
	}
	ins := make([]session.Input, len(pieces))
	for i, p := range pieces {
		ins[i] = inputFor(p)
	}
	if k := m.editK - 1; k >= 0 && k < len(m.TL.File().Input) {
		if m.replaceInput(k, ins) && how == SendToCaret {
			m.Draft, m.Caret = rest, 0
		}
		return
	}
	n := m.TL.Len()
	if !m.apply(ins) {
		return
	}
	if how == SendToCaret {
		m.Draft, m.Caret = rest, 0
	}
	if m.TL.Len() == n && m.TL.View().Done {
		// say why nothing moved: the bytes went to a finished connection
		m.Banner.Text += " Nothing happened: the connection had already ended, so no one reads these bytes. Press edit on an input to change what was sent, or Reset for a fresh connection."
	}
}

// inputFor is a send input: text when the bytes are valid UTF-8 (readable
// in a session file), base64 otherwise.
func inputFor(p []byte) session.Input {
	if validUTF8(p) {
		s := string(p)
		return session.Input{Send: &s}
	}
	s := b64(p)
	return session.Input{SendB64: &s}
}

func restAfterCaret(text string, caret int) string {
	units := 0
	for i, r := range text {
		if units >= caret {
			return text[i:]
		}
		units++
		if r >= 0x10000 {
			units++
		}
	}
	return ""
}

// apply adds inputs at the end of the session, wherever the cursor is
// (replacing an earlier input is EditInput's Send); the cursor moves to
// the first new event. Sent while the cursor was back in time, the
// banner says where they went, and Undo takes them back.
func (m *Model) apply(ins []session.Input) bool {
	tl := m.TL
	m.moveFrom()
	before := tl.File().Input
	var undo *undoState
	if k := tl.InputIndexAt(tl.Cursor()) + 1; k < len(before) && tl.InputStart(k) >= 0 && tl.InputStart(k) < tl.Len() {
		// events of later inputs after the cursor: it is back in time
		cp := *tl.File()
		cp.Input = append([]session.Input(nil), before...)
		undo = &undoState{file: &cp, cursor: tl.Cursor(), scenario: m.Scenario, modified: m.Modified}
	}
	first := -1
	for i, in := range ins {
		err := tl.Append(in)
		if i == 0 {
			first = tl.Cursor()
		}
		if err != nil {
			m.changed()
			m.errorBanner(errText(err))
			return false
		}
	}
	m.changed()
	m.Modified = true
	tl.JumpTo(first)
	m.follow()
	m.Banner = Banner{}
	if undo != nil {
		m.undo = undo
		n := len(before)
		m.Banner = Banner{Text: "Sent as " + inputsNamed(n+1, n+len(ins)) + ", at the end of the session; the cursor was back at event " + itoa(undo.cursor) + " and moved to the new events. To change an earlier input instead, press its edit button.", Undo: true}
	}
	return true
}

func errText(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "session: ")
	return "The engine stopped: " + s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return itoa(n) + " " + word + "s"
}

func (m *Model) runTo(back bool) {
	tl := m.TL
	expr := strings.TrimSpace(m.BP)
	if expr == "" {
		m.bpMsg, m.bpErr = "type an expression, e.g. reading == Body", true
		return
	}
	m.moveFrom()
	var hit bool
	var err error
	if back {
		hit, err = tl.RunBackTo(expr)
	} else {
		hit, err = tl.RunTo(expr)
	}
	if err != nil {
		m.bpErr = true
		m.bpMsg = err.Error()
		m.bpCol = 0
		if be, ok := err.(*timeline.BreakpointError); ok {
			m.bpCol = be.Pos
			m.bpMsg = be.Msg
		}
		return
	}
	m.bpErr = false
	if hit {
		m.bpMsg = "stopped at event " + itoa(tl.Cursor())
	} else if back {
		m.bpMsg = "not hit before this event"
	} else {
		m.bpMsg = "not hit after this event (the cursor stays)"
	}
	m.follow()
}

// pickOf is the byte range event i moved, if it is an io event.
// The spans are in event order, one per event at most: a binary search,
// not a scan (a step at a million events would read 60 000 spans).
func (m *Model) pickOf(i int) Pick {
	spans := m.TL.WireSpans()
	j, found := slices.BinarySearchFunc(spans, i, func(sp timeline.WireSpan, i int) int { return cmp.Compare(sp.Event, i) })
	if !found {
		return Pick{}
	}
	sp := spans[j]
	return Pick{Stream: sp.Stream, Lo: sp.Lo, Hi: sp.Hi, Event: i}
}

func (m *Model) reset() {
	f := *m.TL.File()
	f.Input = nil
	if f.RunMode() == session.ModeBoth {
		// a fresh session you type into: the engine serves, you are the client
		f.Mode = session.ModeServer.String()
		f.ClientProgram = nil
		if f.Handler == "" && f.ServiceProgram == nil {
			f.Handler = "hello"
		}
	}
	if f.RunMode() == session.ModeClient {
		f.Input = nil
	}
	tl, err := timeline.New(&f)
	if err != nil {
		m.errorBanner(errText(err))
		return
	}
	m.setTimeline(tl, "")
	m.LogScroll = 0
	m.undo, m.editK = nil, 0
	m.Banner = Banner{}
}

// setOption changes an option and replays the input log on a fresh
// connection, keeping the cursor where it was (as far as it goes).
func (m *Model) setOption(key, val string) {
	f := *m.TL.File()
	f.Input = append([]session.Input(nil), f.Input...)
	o := f.ServerOptions
	switch key {
	case "handler":
		if f.RunMode() == session.ModeClient {
			return
		}
		f.Handler, f.ServiceProgram = val, nil // a catalog service in place of the program
	case "keep-alive":
		b := val == "1"
		o.KeepAlive = &b
	case "half-close":
		o.HalfClose = val == "1"
	case "title-case":
		o.TitleCaseHeaders = val == "1"
	case "read-chunk":
		n, err := strconv.Atoi(strings.TrimSpace(val))
		if err != nil && val != "" {
			m.errorBanner("read chunk must be a number of bytes (0 = no cap)")
			return
		}
		f.Transport.ReadChunk = n
	case "timeout":
		val = strings.TrimSpace(val)
		if val == "" || val == "0" {
			o.HeaderReadTimeoutMS = nil
		} else {
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n <= 0 {
				m.errorBanner("the header timeout must be a positive number of milliseconds (empty = none)")
				return
			}
			o.HeaderReadTimeoutMS = &n
		}
	case "program":
		if f.RunMode() == session.ModeServer {
			return
		}
		var lines []string
		for _, l := range strings.Split(val, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		f.ClientProgram = lines
	default:
		return
	}
	f.ServerOptions = o
	cur := m.TL.Cursor()
	tl, err := timeline.New(&f)
	if err != nil {
		m.errorBanner(errText(err))
		return
	}
	m.setTimeline(tl, m.Scenario)
	m.Modified = true
	tl.JumpTo(cur)
	m.follow()
	m.Banner = Banner{}
}

// init starts from the page's address. Everything read from it is checked
// against what the field can hold (linkcheck.go); a value it cannot hold
// is named in the banner, shown as quoted text, and the page goes on with
// the field's default.
func (m *Model) init(a Init) {
	base, page := a.BaseURL, ""
	if i := strings.LastIndexByte(base, '/'); i >= 0 {
		base, page = base[:i+1], base[i+1:]
	}
	m.BaseURL = base
	// the address says everything (a back or forward restores it)
	m.Draft, m.Caret, m.CRLF, m.BP, m.Unit = m.scenarioDraft(), 0, true, "", timeline.UnitEvent
	m.Overlay, m.Banner, m.theme, m.editK = "", Banner{}, "", 0
	q := parseQuery(a.Query)
	// notes about what is shown come first, then those about how
	var notes, how linkNotes
	m.Embed = page == EmbedRoute || page == EmbedRoute+".html"
	if v, ok := q["embed"]; ok {
		switch v {
		case "1", "true":
			m.Embed = true
		case "", "0", "false":
		default:
			how.add("embed", v, " is not 1 or 0; ignoring it")
		}
	}
	// boot.js applies the theme before the first paint; here it is only
	// checked, so a wrong one is said rather than silently ignored
	if v := q["theme"]; v == "light" || v == "dark" {
		m.theme = v
	} else if v != "" {
		how.add("unknown theme", v, " (light or dark); using the system's colours")
	}
	m.Panels = ""
	if v, ok := q["panels"]; ok {
		if p, ok := ParsePanels(v); ok {
			m.Panels = p
		} else {
			how.add("panels", v, " is not a comma list of "+strings.ReplaceAll(PanelNames, " ", ", ")+"; showing the default panels")
		}
	}
	if v := q["unit"]; v != "" {
		if u, err := timeline.ParseUnit(v); err == nil {
			m.Unit = u
		} else {
			how.add("unknown unit", v, " ("+unitList()+"); stepping by "+m.Unit.String())
		}
	}
	defer func() {
		if notes = append(notes, how...); len(notes) > 0 {
			// the link's problems first, then whatever else went wrong
			text := notes.String()
			if m.Banner.Text != "" {
				text += " " + m.Banner.Text
			}
			m.errorBanner(text)
		}
	}()
	if a.Fragment != "" {
		sh, err := DecodeFragment(a.Fragment)
		if err == nil && sh != nil {
			err = m.restore(sh, &notes)
		}
		if err != nil {
			m.errorBanner("This link could not be restored: " + errMsg(err) + ". Showing the default scenario instead.")
		}
		if err == nil {
			return
		}
	}
	name := q["scenario"]
	if name == "" {
		if s, ok := q["step"]; ok {
			notes.add("step", s, " needs a scenario; ignoring it")
		}
		return
	}
	if _, ok := scenarios.Lookup(name); !ok {
		notes.add("unknown scenario", name, "; showing the default")
		return
	}
	step := 0
	if s, ok := q["step"]; ok {
		n, ok := parseEventNumber(s)
		if !ok {
			notes.add("step", s, " is not an event number; showing the start")
		} else {
			step = n
		}
	}
	if err := m.loadScenario(name, step); err != nil {
		m.errorBanner(err.Error() + " Showing the default scenario instead.")
	} else if step >= m.TL.Len() {
		notes.add("step", itoa(step), " is past the end of this scenario (events 0 to "+itoa(m.TL.Len()-1)+"); showing the last event")
	}
}

// restore loads a permalink. A field it cannot take is a note for the
// banner; the session itself must be valid.
func (m *Model) restore(sh *Share, notes *linkNotes) error {
	f, err := session.ParseBytes(sh.Session)
	if err != nil {
		return &LinkError{Msg: "its session is not valid (" + strings.TrimPrefix(err.Error(), "session: ") + ")"}
	}
	tl, err := m.startTimeline(f, sh.Cursor) // a long one runs on in slices (progress.go)
	if err != nil {
		return &LinkError{Msg: "its session does not run (" + err.Error() + ")"}
	}
	if _, ok := scenarios.Lookup(sh.Scenario); !ok && sh.Scenario != "" {
		notes.add("unknown scenario", sh.Scenario, "; treating the session as your own")
		sh.Scenario = ""
	}
	m.setTimeline(tl, sh.Scenario)
	m.Modified = sh.Modified
	if !m.Running() && (sh.Cursor < 0 || sh.Cursor >= max(1, tl.Len())) {
		notes.add("cursor", itoa(sh.Cursor), " is not an event of this session (0 to "+itoa(max(0, tl.Len()-1))+"); showing "+pick(sh.Cursor < 0, "the start", "the last event"))
	}
	tl.JumpTo(sh.Cursor)
	m.follow()
	m.Draft = sh.Draft // "" is an editor the person emptied
	if sh.CRLF != nil {
		m.CRLF = *sh.CRLF
	}
	if sh.Unit != "" {
		if u, err := timeline.ParseUnit(sh.Unit); err == nil {
			m.Unit = u
		} else {
			notes.add("unknown unit", sh.Unit, " ("+unitList()+"); stepping by "+m.Unit.String())
		}
	}
	m.BP = sh.BP
	if tl.Err() != nil {
		m.errorBanner(errText(tl.Err()))
	}
	return nil
}

// ShareState is the permalink of the session as it stands.
func (m *Model) ShareState() *Share {
	j := m.TL.File().AppendJSON(nil, false)
	crlf := m.CRLF
	return &Share{Session: j, Cursor: max(0, m.TL.Cursor()), Scenario: m.Scenario, Modified: m.Modified, Draft: m.Draft, CRLF: &crlf, Unit: m.Unit.String(), BP: m.BP}
}

// Address is where the page's address should point for the session as it
// stands, relative to the app's path: "" for the page as it opens (the
// default scenario at its start), ?scenario=NAME&step=N (and unit) for a
// library scenario the person only stepped through, and otherwise the
// whole session as a permalink (#v1=…, what Share copies), so a reload, a
// back or forward, or a copied address restores input, options, cursor,
// unit, editor and breakpoint. A ?theme= the page was opened with stays.
// The permalink is compressed asynchronously: ErrLinkPending means ask
// again once the codec has answered. The embed view has no address of its
// own to keep (ErrNoAddress): its page owns the frame's address.
func (m *Model) Address() (string, error) {
	if m.Embed {
		return "", ErrNoAddress
	}
	theme := ""
	if m.theme != "" {
		theme = "theme=" + m.theme
	}
	c := max(0, m.TL.Cursor())
	if m.Scenario != "" && !m.Modified && m.BP == "" && m.CRLF && m.Draft == m.scenarioDraft() {
		if m.Scenario == DefaultScenario && c == 0 && m.Unit == timeline.UnitEvent {
			return pick(theme != "", "?"+theme, ""), nil
		}
		q := "?scenario=" + queryEscape(m.Scenario) + "&step=" + itoa(c)
		if m.Unit != timeline.UnitEvent {
			q += "&unit=" + m.Unit.String()
		}
		if theme != "" {
			q += "&" + theme
		}
		return q, nil
	}
	frag, err := EncodeFragment(m.ShareState())
	if err != nil {
		return "", err
	}
	return pick(theme != "", "?"+theme, "") + "#" + frag, nil
}

// ErrNoAddress: the embed view leaves its address alone.
var ErrNoAddress = errors.New("the embed view keeps the address it was given")

// scenarioDraft is the editor's text when the session's scenario opens:
// its first send, so Send does what the scenario did once more (empty when
// the person sends nothing, as in mode both: the editor's hint says what
// to do).
func (m *Model) scenarioDraft() string {
	f := m.TL.File()
	if m.Scenario != "" {
		for _, in := range f.Input {
			if in.Send != nil || in.SendB64 != nil {
				return EncodeInput(in.Bytes(), true)
			}
		}
	}
	switch f.RunMode() {
	case session.ModeClient:
		return defaultClientDraft
	case session.ModeBoth:
		return ""
	}
	return defaultDraft
}

// SessionJSON is the session file, indented (what "copy session" copies).
func (m *Model) SessionJSON() string {
	return string(m.TL.File().AppendJSON(nil, true))
}

// Report is what "copy session" copies after an error: the session file,
// the cursor and the error.
func (m *Model) Report() string {
	var b strings.Builder
	b.WriteString("connlab session (cursor at event ")
	b.WriteString(itoa(m.TL.Cursor()))
	b.WriteString(" of ")
	b.WriteString(itoa(m.TL.Len()))
	b.WriteString(")\n")
	b.WriteString(m.SessionJSON())
	b.WriteString("\n")
	if m.Banner.Text != "" {
		b.WriteString("\nerror: ")
		b.WriteString(m.Banner.Text)
		b.WriteString("\n")
	}
	if m.Banner.Detail != "" {
		b.WriteString(m.Banner.Detail)
		b.WriteString("\n")
	}
	if frag, err := EncodeFragment(m.ShareState()); err == nil {
		b.WriteString("\nlink: ")
		b.WriteString(m.BaseURL)
		b.WriteString("#")
		b.WriteString(frag)
		b.WriteString("\n")
	}
	return b.String()
}

// EmbedRoute is the embed view's path under the app: the site's header
// policy (site/api/headers.go) lets other sites frame only it.
const EmbedRoute = "embed"

// EmbedURL is the address of this session in embed mode.
func (m *Model) EmbedURL() string {
	u, _ := m.embedURL()
	return u
}

// embedURL is EmbedURL, or why there is none (ErrLinkPending while the
// link is being compressed).
func (m *Model) embedURL() (string, error) {
	base := m.BaseURL + EmbedRoute
	if m.Scenario != "" && !m.Modified {
		return base + "?embed=1&scenario=" + queryEscape(m.Scenario) + "&step=" + itoa(max(0, m.TL.Cursor())), nil
	}
	frag, err := EncodeFragment(m.ShareState())
	if err != nil {
		return "", err
	}
	return base + "?embed=1#" + frag, nil
}

func parseQuery(q string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(q, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		out[queryUnescape(k)] = queryUnescape(v)
	}
	return out
}

func queryUnescape(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '+':
			b = append(b, ' ')
		case s[i] == '%' && i+2 < len(s):
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b = append(b, hi<<4|lo)
				i += 2
				continue
			}
			b = append(b, s[i])
		default:
			b = append(b, s[i])
		}
	}
	return string(b)
}

func queryEscape(s string) string {
	const digits = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c) || c == '-' || c == '_' || c == '.' || c == '~' {
			b = append(b, c)
		} else {
			b = append(b, '%', digits[c>>4], digits[c&15])
		}
	}
	return string(b)
}
