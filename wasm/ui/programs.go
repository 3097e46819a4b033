package ui

import (
	"strings"

	"github.com/connlab/connlab/engine/program"
	"github.com/connlab/connlab/engine/services"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
)

// Programs (issue 17, item 2): the mode switch and the two program
// editors. The session file holds the programs ("service_program",
// "client_program"), so permalinks, embeds and /api/run carry them; the
// editors hold what the person is typing, checked as they type (errors
// inline at line and column) and run when they leave the editor (the
// change event), replaying the input log as an option change does.

// progState is the editors' state beside the session.
type progState struct {
	// an editor's text while the person changes it, and the session's
	// program it started from: when the session's program is no longer
	// that (a scenario loaded, undo), the draft is dropped
	svc, cli         draftProg
	keepSvc, keepCli []string // the programs a mode switch set aside
	keepHandler      string
	rust             rustState
}

type draftProg struct {
	text, base string
	on         bool
	err        *program.Error // the draft's parse error (nil: it parses)
	// the line numbers of the text shown, made when it changes
	gutterOf, gutter string
}

// defaultClientProgram is the client program a first switch to mode client
// or both starts with.
var defaultClientProgram = []string{"handshake", "spawn conn", "send GET / header \"Host: x\"", "await response", "read-body"}

type (
	// SetMode switches the session to mode server, client or both: a new
	// session with the same options and the programs the mode runs, and
	// no input (bytes typed as one side mean nothing as the other).
	SetMode struct{ Mode string }
	// EditProgram is an editor's text as the person types ("service" or
	// "client"): checked, not run.
	EditProgram struct{ Which, Text string }
	// ApplyProgram runs the editor's text (the person left the editor):
	// if it parses, the session replays with it.
	ApplyProgram struct{ Which, Text string }
)

func (SetMode) isAction()      {}
func (EditProgram) isAction()  {}
func (ApplyProgram) isAction() {}

// updatePrograms handles the actions of this file and rust.go.
func (m *Model) updatePrograms(a Action) {
	switch a := a.(type) {
	case SetMode:
		m.setMode(a.Mode)
	case EditProgram:
		d := m.progDraft(a.Which)
		if d == nil {
			return
		}
		d.text, d.base, d.on = a.Text, m.sessionProgram(a.Which), true
		d.err = progParseErr(a.Which, a.Text)
	case ApplyProgram:
		m.applyProgram(a.Which, a.Text)
	case RustArrived:
		m.rustArrived(a)
	}
}

func (m *Model) progDraft(which string) *draftProg {
	switch which {
	case "service":
		return &m.prog.svc
	case "client":
		return &m.prog.cli
	}
	return nil
}

// programLines splits an editor's text into a session file's lines,
// keeping comments and blank lines so the lines are the editor's, less
// the blank lines at the end.
func programLines(text string) []string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func progParseErr(which, text string) *program.Error {
	var err error
	if which == "service" {
		_, err = program.ParseServiceLines(programLines(text))
	} else {
		_, err = program.Parse(programLines(text))
	}
	// the parsers return a *program.Error as it is: a type assertion, not
	// errors.As (which links internal/reflectlite, about 9 KB of brotli)
	pe, _ := err.(*program.Error)
	return pe
}

// sessionProgram is the session's program of one side as the editor
// shows it: a catalog service shows its program (the same behaviour;
// the session runs the Go service by name until the program is edited).
func (m *Model) sessionProgram(which string) string {
	f := m.TL.File()
	if which == "client" {
		return strings.Join(f.ClientProgram, "\n")
	}
	if f.ServiceProgram != nil {
		return strings.Join(f.ServiceProgram, "\n")
	}
	if h, ok := services.LookupHandler(f.Handler); ok {
		return h.Program
	}
	return ""
}

// editorText is what an editor shows: the person's draft, or the
// session's program (a draft of another session's program is dropped).
func (m *Model) editorText(which string) (string, *program.Error) {
	d := m.progDraft(which)
	cur := m.sessionProgram(which)
	if d.on && d.base == cur {
		return d.text, d.err
	}
	d.on, d.err = false, nil
	if which == "client" && cur == "" {
		// mode server: the program a switch to client or both would run
		return strings.Join(m.clientToKeep(), "\n"), nil
	}
	if which == "service" && cur == "" && m.prog.keepSvc != nil {
		return strings.Join(m.prog.keepSvc, "\n"), nil
	}
	return cur, nil
}

func (m *Model) clientToKeep() []string {
	if m.prog.keepCli != nil {
		return m.prog.keepCli
	}
	return defaultClientProgram
}

// applyProgram runs text as one side's program.
func (m *Model) applyProgram(which, text string) {
	d := m.progDraft(which)
	if d == nil {
		return
	}
	d.text, d.base, d.on = text, m.sessionProgram(which), true
	if d.err = progParseErr(which, text); d.err != nil {
		return // the editor shows where
	}
	f := *m.TL.File()
	mode := f.RunMode()
	lines := programLines(text)
	switch {
	case which == "client" && mode.HasClient():
		f.ClientProgram = lines
	case which == "service" && mode.HasServer():
		if text == m.sessionProgram("service") {
			return // a catalog service's program, unchanged
		}
		f.ServiceProgram, f.Handler = lines, ""
	case which == "client":
		m.prog.keepCli = lines // run when the mode has a client
		d.on = false
		return
	default:
		m.prog.keepSvc = lines
		d.on = false
		return
	}
	if m.replayWith(&f) {
		d.on = false
	}
}

// replayWith replays the input log on f (a changed program or mode),
// keeping the cursor where it was as far as it goes.
func (m *Model) replayWith(f *session.File) bool {
	f.Input = append([]session.Input(nil), f.Input...)
	cur := m.TL.Cursor()
	tl, err := timeline.New(f)
	if err != nil {
		m.errorBanner(errText(err))
		return false
	}
	m.setTimeline(tl, m.Scenario)
	m.Modified = true
	tl.JumpTo(cur)
	m.follow()
	m.Banner = Banner{}
	return true
}

// setMode starts a session in another mode.
func (m *Model) setMode(name string) {
	mode, ok := session.ParseMode(name)
	old := m.TL.File()
	if !ok || name == "" || mode == old.RunMode() {
		return
	}
	f := *old
	f.Input = nil
	// set aside what the new mode does not run, take what it does
	if old.RunMode().HasClient() {
		m.prog.keepCli = old.ClientProgram
	}
	if old.RunMode().HasServer() {
		m.prog.keepSvc, m.prog.keepHandler = old.ServiceProgram, old.Handler
	}
	f.Mode = mode.String()
	f.ClientProgram, f.ServiceProgram, f.Handler = nil, nil, ""
	if mode.HasClient() {
		f.ClientProgram = m.clientToKeep()
	}
	if mode.HasServer() {
		f.ServiceProgram, f.Handler = m.prog.keepSvc, m.prog.keepHandler
		if f.ServiceProgram == nil && f.Handler == "" {
			f.Handler = "hello"
		}
	}
	tl, err := timeline.New(&f)
	if err != nil {
		m.errorBanner(errText(err))
		return
	}
	m.setTimeline(tl, "")
	m.Navs++
	m.LogScroll = 0
	m.undo, m.editK = nil, 0
	m.Draft, m.Caret, m.CRLF = m.scenarioDraft(), 0, true
	m.prog.svc.on, m.prog.cli.on = false, false
	m.Banner = Banner{}
	m.infoBanner(modeNews[mode])
}

var modeNews = [...]string{
	session.ModeServer: "Mode server: the engine serves with the service program (or catalog service) under Programs; you are the client and type the request bytes.",
	session.ModeClient: "Mode client: the client program under Programs runs hyper's client connection; you are the server and type the response bytes.",
	session.ModeBoth:   "Mode both: the client program runs against the service program on one in-memory connection; step through both. Add waits or faults to the input log.",
}
