package api

import (
	"fmt"

	"github.com/connlab/connlab/engine/rustgen"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/site/internal/httpx"
)

// POST /api/rust: the hyper 1.x Rust beside a session file (rustgen),
// for the page's Rust panel and its "Export Rust" button. The generator is
// here rather than in the browser's wasm: it would add 18 KiB of brotli
// (the Rust of the programs) and 29 KiB with the exported test to a wasm
// already at its size budget, and the Worker's wasm has room.
//
// Without a query it answers RustAnswer: each side's Rust with the lines
// every program operation became, so the page highlights the operation
// executing at the cursor without asking again. With ?test=NAME it
// answers the text `connlab export --rust FILE --name NAME` prints: a
// self-contained Rust test replaying the session against real hyper (the
// session is run first, within the API's limits, as /api/run runs it).

// RustCode is one side's Rust.
type RustCode struct {
	Text string `json:"text"`
	// Ops[i] is the first and last line (1-based) of the Rust the i-th
	// operation became, OpLines[i] that operation's program line.
	Ops     [][2]int `json:"ops"`
	OpLines []int    `json:"op_lines"`
	// Notes say where the Rust cannot do what the program does.
	Notes []string `json:"notes"`
}

// RustAnswer is /api/rust's answer: null for a side the session does not
// have (mode client has no server, mode server no client program).
type RustAnswer struct {
	Server *RustCode `json:"server"`
	Client *RustCode `json:"client"`
}

// CodeNotExportable: the session has no Rust test (an operation with no
// hyper 1.x equivalent); the message says which.
const CodeNotExportable = "not_exportable"

// maxTestName bounds ?test=NAME (it only names the test function).
const maxTestName = 100

func rustCode(c rustgen.Code) *RustCode {
	if c.Text == "" {
		return nil
	}
	rc := &RustCode{Text: c.Text, OpLines: c.OpLines, Notes: c.Notes}
	for _, r := range c.Ops {
		rc.Ops = append(rc.Ops, [2]int{r.First, r.Last})
	}
	if rc.Ops == nil {
		rc.Ops = [][2]int{}
	}
	if rc.OpLines == nil {
		rc.OpLines = []int{}
	}
	if rc.Notes == nil {
		rc.Notes = []string{}
	}
	return rc
}

func (h *handler) rust(w httpx.ResponseWriter, r *httpx.Request) {
	q := r.URL.Query()
	name, test := "", false
	if vs, ok := q["test"]; ok {
		name, test = vs[len(vs)-1], true
		if name == "" {
			name = "session"
		}
		if len(name) > maxTestName {
			writeError(w, r, httpx.StatusBadRequest, Error{Code: CodeBadQuery, Key: "test",
				Message: fmt.Sprintf("query parameter test names the test: at most %d bytes, got %d", maxTestName, len(name))})
			return
		}
	}
	body, status, e := readBody(r, h.limits.MaxBodyBytes)
	if e != nil {
		writeError(w, r, status, *e)
		return
	}
	f, e := parse(body)
	if e != nil {
		writeError(w, r, httpx.StatusBadRequest, *e)
		return
	}
	if !test {
		server, client := rustgen.Beside(f)
		writeJSON(w, r, httpx.StatusOK, "no-store", RustAnswer{Server: rustCode(server), Client: rustCode(client)})
		return
	}
	if status, e := checkSize(f, h.limits); e != nil {
		writeError(w, r, status, *e)
		return
	}
	// a session with no Rust test is refused before it runs; then it runs
	// once, within the limits, and the test is written from that run
	if err := rustgen.Exportable(f); err != nil {
		writeError(w, r, httpx.StatusUnprocessableEntity, Error{Code: CodeNotExportable, Message: err.Error()})
		return
	}
	s := session.New(f, session.Options{})
	if status, e := h.runWithin(s, false, "export it with the CLI (connlab export --rust FILE)"); e != nil {
		writeError(w, r, status, *e)
		return
	}
	src, err := rustgen.ExportRun(s, name)
	if err != nil {
		writeError(w, r, httpx.StatusUnprocessableEntity, Error{Code: CodeNotExportable, Message: err.Error()})
		return
	}
	writeBody(w, r, httpx.StatusOK, "text/plain; charset=utf-8", "no-store", []byte(src))
}
