package ui

import (
	"strings"

	"github.com/connlab/connlab/engine/timeline"
)

// Export (issue 16, item 9): the session as a Go test, the file `connlab
// export --go` writes (timeline.ExportGoTest), for the page to download.
// The test is named after the scenario, as the command names it after
// the session file: pipelining-2 gives TestReplayPipelining2 in
// replay_pipelining_2_test.go; a session of your own is "session".

// Exported reports the download: the file's name, or why there is none.
type Exported struct {
	File string
	Err  string
	Rust bool // the Rust test (Export Rust, rust.go)
}

func (Exported) isAction() {}

// ExportName is the name the exported test is given.
func (m *Model) ExportName() string {
	if m.Scenario != "" {
		return m.Scenario
	}
	return "session"
}

// ExportGo returns the exported test's file name and source.
func (m *Model) ExportGo() (file string, src []byte, err error) {
	name := m.ExportName()
	src, err = timeline.ExportGoTest(m.TL.File(), name)
	if err != nil {
		return "", nil, err
	}
	return exportFileName(name), src, nil
}

// exportFileName is replay_NAME_test.go with NAME in lower snake case
// (a _test.go file, so go test picks it up where it is saved).
func exportFileName(name string) string {
	var b strings.Builder
	b.WriteString("replay_")
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
			fallthrough
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			if sep && b.Len() > len("replay_") {
				b.WriteByte('_')
			}
			sep = false
			b.WriteByte(c)
		default:
			sep = true
		}
	}
	if b.Len() == len("replay_") {
		b.WriteString("session")
	}
	return b.String() + "_test.go"
}

func (m *Model) exported(a Exported) {
	if a.Err != "" {
		m.errorBanner("Nothing exported: " + a.Err)
		return
	}
	if a.Rust {
		m.infoBanner("Downloaded " + a.File + ": a Rust test (tokio + hyper 1.x) that replays this session against real hyper and checks the bytes and the outcome (what connlab export --rust writes). Put it in a crate's tests/ with the dependencies its header lists and run cargo test.")
		return
	}
	m.infoBanner("Downloaded " + a.File + ": a Go test that replays this session and checks the bytes, the result and the final state (what connlab export --go writes). Save it in a package of a module that requires github.com/connlab/connlab and run go test.")
}
