// Command connlab runs connlab sessions headlessly.
//
//	connlab run FILE [--events] [--text]   run a session file (- = stdin), print the transcript
//	connlab demo [--events] [--text]       run the built-in demo (pipelined keep-alive)
//	connlab bench --requests N --pipeline P [--trace]
//	connlab handlers                       list the handler catalog
//	connlab step FILE --to N [--text]      the view at event N (time travel)
//	connlab step FILE --break EXPR [--text] where a breakpoint first hits
//	connlab export --go FILE [--name NAME] a Go test replaying the session
//	connlab export --rust FILE [--name NAME] a Rust test replaying it against real hyper 1.x
//
// Exit codes: 0 ok, 1 failure while running, 2 bad usage or a bad session file.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/connlab/connlab/engine/services"
	"github.com/connlab/connlab/engine/session"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage:
  connlab run FILE [--events] [--text]   run a session file (- reads stdin)
  connlab demo [--events] [--text]       run the built-in demo session
  connlab bench --requests N --pipeline P [--trace]
  connlab handlers                       list the handler catalog
  connlab step FILE --to N [--text]      the view at event N (-1 = the last)
  connlab step FILE --break EXPR [--text]
                                         the first event where a breakpoint hits
                                         (exit 1: never; 2: a bad expression)
  connlab export --go FILE [--name NAME] print a Go test that replays the session
                                         and asserts its transcript
  connlab export --rust FILE [--name NAME] print a Rust test (tokio + hyper 1.x over
                                         tokio::io::duplex) that replays the session
                                         and checks hyper does what the engine did
FILE is a session file, - for stdin, or scenario:NAME for a scenario of the
sandbox's library (connlab run scenario:keep-alive).
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "run":
		return cmdRun(args[1:], stdin, stdout, stderr)
	case "demo":
		return cmdDemo(args[1:], stdout, stderr)
	case "bench":
		return cmdBench(args[1:], stdout, stderr)
	case "step":
		return cmdStep(args[1:], stdin, stdout, stderr)
	case "export":
		return cmdExport(args[1:], stdin, stdout, stderr)
	case "handlers":
		for _, h := range services.Handlers() {
			fmt.Fprintf(stdout, "%-14s %s\n", h.Name, h.Description)
		}
		return 0
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "connlab: unknown command %q\n%s", args[0], usage)
	return 2
}

type outputFlags struct {
	events, text bool
}

func parseOutputFlags(name string, args []string, stderr io.Writer) (outputFlags, []string, bool) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o outputFlags
	fs.BoolVar(&o.events, "events", false, "include the trace events")
	fs.BoolVar(&o.text, "text", false, "print the human transcript")
	// allow flags after the positional FILE too
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return o, nil, false
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return o, pos, true
}

func cmdRun(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, pos, ok := parseOutputFlags("run", args, stderr)
	if !ok {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "connlab run: expected one session file (or - for stdin)\n%s", usage)
		return 2
	}
	file, ok := readSessionFile("run", pos[0], stdin, stderr)
	if !ok {
		return 2
	}
	return runFile(file, o, stdout, stderr)
}

func cmdDemo(args []string, stdout, stderr io.Writer) int {
	o, pos, ok := parseOutputFlags("demo", args, stderr)
	if !ok || len(pos) != 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	return runFile(session.Demo(), o, stdout, stderr)
}

func runFile(file *session.File, o outputFlags, stdout, stderr io.Writer) int {
	s := session.New(file, session.Options{Trace: o.events || o.text})
	runErr := s.Run()
	if o.text {
		fmt.Fprint(stdout, s.Text())
	} else {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(s.Transcript(o.events)); err != nil {
			fmt.Fprintf(stderr, "connlab: %v\n", err)
			return 1
		}
	}
	if runErr != nil {
		fmt.Fprintf(stderr, "connlab: %v\n", runErr)
		return 1
	}
	return 0
}
