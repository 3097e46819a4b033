package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/connlab/connlab/engine/rustgen"
	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
)

// stepOutput is what `connlab step` prints as JSON.
type stepOutput struct {
	Event  int               `json:"event"`  // the event index
	Events int               `json:"events"` // how many the session recorded
	Trace  session.EventJSON `json:"trace"`  // the event itself
	View   timeline.View     `json:"view"`   // what the sandbox shows there
	Break  string            `json:"break,omitempty"`
}

// parseArgs parses flags that may come before or after positional
// arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// readSessionFile reads FILE (- = stdin, scenario:NAME = a library
// scenario) as a session file; the error is already printed (exit 2).
func readSessionFile(cmd, path string, stdin io.Reader, stderr io.Writer) (*session.File, bool) {
	if name, ok := strings.CutPrefix(path, "scenario:"); ok {
		sc, found := scenarios.Lookup(name)
		if !found {
			fmt.Fprintf(stderr, "connlab %s: no scenario named %q in the library (connlab run scenario:NAME; the names are in the sandbox's scenario list and GET /api/scenarios)\n", cmd, name)
			return nil, false
		}
		file, err := sc.File()
		if err != nil {
			fmt.Fprintf(stderr, "connlab %s: scenario %s: %v\n", cmd, name, err)
			return nil, false
		}
		return file, true
	}
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(stderr, "connlab %s: %v\n", cmd, err)
			return nil, false
		}
		defer f.Close()
		r = f
	}
	file, err := session.Parse(r)
	if err != nil {
		fmt.Fprintf(stderr, "connlab %s: %s: %v\n", cmd, path, err)
		return nil, false
	}
	return file, true
}

// cmdStep: connlab step FILE --to N [--text] | --break EXPR [--text].
func cmdStep(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("step", flag.ContinueOnError)
	fs.SetOutput(stderr)
	to := fs.String("to", "", "the event to show (0-based; negative counts from the end, -1 = last)")
	brk := fs.String("break", "", "a breakpoint expression: show the first event where it hits")
	text := fs.Bool("text", false, "print a readable block instead of JSON")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 || (*to == "") == (*brk == "") {
		fmt.Fprintf(stderr, "connlab step: expected one session file and exactly one of --to N or --break EXPR\n%s", usage)
		return 2
	}
	file, ok := readSessionFile("step", pos[0], stdin, stderr)
	if !ok {
		return 2
	}
	tl, err := timeline.New(file)
	if err != nil {
		fmt.Fprintf(stderr, "connlab step: %s: %v\n", pos[0], err)
		return 2
	}
	if err := tl.Err(); err != nil {
		fmt.Fprintf(stderr, "connlab step: note: the run stopped early: %v\n", err)
	}
	n := tl.Len()
	var at int
	if *to != "" {
		i, err := strconv.Atoi(*to)
		if err != nil {
			fmt.Fprintf(stderr, "connlab step: --to %q: expected an event number\n", *to)
			return 2
		}
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			fmt.Fprintf(stderr, "connlab step: --to %s: out of range: the session recorded %d events (0..%d, or -1 for the last)\n", *to, n, n-1)
			return 2
		}
		at = i
	} else {
		i, err := tl.Find(*brk, -1)
		var be *timeline.BreakpointError
		if errors.As(err, &be) {
			fmt.Fprintf(stderr, "connlab step: bad breakpoint:\n  %s\n  %s^ column %d: %s\n", *brk, strings.Repeat(" ", caretIndent(*brk, be.Pos)), be.Pos, be.Msg)
			return 2
		} else if err != nil {
			fmt.Fprintf(stderr, "connlab step: %v\n", err)
			return 2
		}
		if i < 0 {
			fmt.Fprintf(stderr, "connlab step: the breakpoint never hits in the %d events of %s: %s\n", n, pos[0], *brk)
			return 1
		}
		at = i
	}
	tl.JumpTo(at)
	if *text {
		if *brk != "" {
			fmt.Fprintf(stdout, "breakpoint %s hits at event %d\n", *brk, at)
		}
		fmt.Fprint(stdout, tl.Text(at))
		return 0
	}
	ev := tl.Event(at)
	out := stepOutput{
		Event: at, Events: n, View: tl.View(), Break: *brk,
		Trace: session.EventJSON{
			Seq: ev.Seq, Step: ev.Step, Task: ev.Task, Span: tl.SpanString(ev.Span), Kind: ev.Kind.String(),
			Field: ev.Field, From: ev.From, To: ev.To, Name: ev.Name, Detail: ev.Detail, N: ev.N, Off: ev.Off, Ref: ev.Ref,
		},
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(stderr, "connlab step: %v\n", err)
		return 1
	}
	return 0
}

// caretIndent is how many columns precede 1-based character column pos of s
// (tabs kept as one column each).
func caretIndent(s string, pos int) int {
	return max(0, min(pos-1, utf8.RuneCountInString(s)))
}

// cmdExport: connlab export --go|--rust FILE [--name NAME].
func cmdExport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	goTest := fs.Bool("go", false, "print a Go test file that replays the session and asserts its transcript")
	rustTest := fs.Bool("rust", false, "print a Rust test (tokio + hyper 1.x) that replays the session against real hyper")
	name := fs.String("name", "", "the test's name: TestReplay<NAME> or replay_<name> (default: from the file name)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	if *goTest == *rustTest || len(pos) != 1 {
		fmt.Fprintf(stderr, "connlab export: expected --go or --rust and one session file (- reads stdin)\n%s", usage)
		return 2
	}
	file, ok := readSessionFile("export", pos[0], stdin, stderr)
	if !ok {
		return 2
	}
	n := *name
	if n == "" {
		n = strings.TrimSuffix(filepath.Base(pos[0]), filepath.Ext(pos[0]))
		if pos[0] == "-" {
			n = "session"
		}
	}
	var src []byte
	if *rustTest {
		var code string
		code, err = rustgen.Export(file, n)
		src = []byte(code)
	} else {
		src, err = timeline.ExportGoTest(file, timeline.ExportTestName(n))
	}
	if err != nil {
		fmt.Fprintf(stderr, "connlab export: %v\n", err)
		return 1
	}
	stdout.Write(src)
	return 0
}
