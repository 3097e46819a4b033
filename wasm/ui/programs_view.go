package ui

import (
	"strings"

	"github.com/connlab/connlab/engine/program"
)

// progSlots are one editor's slots.
type progSlots struct {
	text, why, err, errKind, gutter, exec, errLine, status Slot
}

var (
	svcSlots = progSlots{SlotSvcText, SlotWhySvc, SlotSvcErr, SlotSvcErrKind, SlotSvcGutter, SlotSvcExec, SlotSvcErrLine, SlotSvcStatus}
	cliSlots = progSlots{SlotCliText, SlotWhyCli, SlotCliErr, SlotCliErrKind, SlotCliGutter, SlotCliExec, SlotCliErrLine, SlotCliStatus}
)

// noLine puts an editor's band far above its first line: no line is
// marked.
const noLine = "-99"

// renderPrograms renders the mode switch, the editors and the Rust panel.
func (m *Model) renderPrograms(r *Renderer) {
	f := m.TL.File()
	mode := f.RunMode()
	r.Set(SlotModeSel, mode.String())
	cl, sv := 0, 0
	if m.TL.Len() > 0 {
		cl, sv = m.TL.ProgramLines(max(0, m.TL.Cursor()))
	}
	if f.ServiceProgram == nil {
		sv = 0 // a catalog service runs as Go code: no line of it executes
	}
	m.renderEditor(r, "service", svcSlots, mode.HasServer(), sv,
		"Mode client has no engine server: you type the server's bytes. Switch to mode server or both to run a service program.")
	m.renderEditor(r, "client", cliSlots, mode.HasClient(), cl,
		"Mode server has no client program: you type the client's bytes. Switch to mode client or both to run a client program.")

	// the Rust of the programs, when the API has answered
	rs := &m.prog.rust
	fresh := rs.key != "" && rs.err == "" && rs.key == m.rustKey()
	r.Set(SlotRustStatus, m.rustStatus(mode))
	var server, client *RustCode
	if fresh {
		server, client = rs.server, rs.client
	}
	r.SetBool(SlotRustServerBox, server == nil)
	r.SetBool(SlotRustClientBox, client == nil)
	r.Set(SlotRustServer, m.rustHTML(server, sv))
	r.Set(SlotRustClient, m.rustHTML(client, cl))
}

func (m *Model) renderEditor(r *Renderer, which string, s progSlots, runs bool, line int, whyNot string) {
	text, perr := m.editorText(which)
	r.Set(s.text, text)
	r.Set(s.why, pick(runs, "", whyNot))
	if d := m.progDraft(which); d.gutter == "" || d.gutterOf != text {
		n := strings.Count(text, "\n") + 1
		g := make([]byte, 0, n*3)
		for i := 1; i <= n; i++ {
			if i > 1 {
				g = append(g, '\n')
			}
			g = append(g, itoa(i)...)
		}
		d.gutterOf, d.gutter = text, string(g)
	}
	r.Set(s.gutter, m.progDraft(which).gutter)
	if perr != nil {
		r.Set(s.err, progErrText(perr))
		r.Set(s.errKind, "ed-err err")
		r.Set(s.errLine, itoa(perr.Line))
	} else {
		r.Set(s.err, "")
		r.Set(s.errKind, "ed-err")
		r.Set(s.errLine, noLine)
	}
	if !runs || line <= 0 {
		r.Set(s.exec, noLine)
		r.Set(s.status, pick(runs && which == "service" && m.TL.File().ServiceProgram == nil,
			"The catalog service "+m.TL.File().Handler+" runs (its Go code does what this program says). Edit the program and leave the editor to run it instead.", ""))
		return
	}
	r.Set(s.exec, itoa(line))
	src := ""
	if lines := strings.Split(m.sessionProgram(which), "\n"); line <= len(lines) {
		src = strings.TrimSpace(lines[line-1])
	}
	r.Set(s.status, "At this event: line "+itoa(line)+", "+src)
}

// progErrText is a parse error as the editor shows it: line:column and
// the message (text, never markup).
func progErrText(e *program.Error) string {
	return "line " + itoa(e.Line) + ":" + itoa(e.Col) + ": " + e.Msg
}
