// Command docsgen renders connlab's documentation (site/docs) into the
// built site (site/dist/docs):
//
//	go run ./site/cmd/docsgen [-src site/docs] [-out site/dist/docs]
//	go run ./site/cmd/docsgen -dump SCENARIO [-from N] [-to M]
//
// Pages are html/template sources laid out by site/docs/_layout.html in
// the order of site/docs/toc.json. Each live sandbox is declared as
// {{embed "SCENARIO" "BREAKPOINT" "field=value"...}} (see embed.go): the
// generator runs the scenario in the engine, finds the step where the
// breakpoint hits, checks the paragraph's claims about the state there and
// writes the sandbox at exactly that step: the engine's render, inline in
// the page (inline.go), which its pre-rendered frame (prerender.go) takes
// over on first use. A false claim fails the build, naming the page and
// the figure.
//
// -dump prints every event of a scenario with the state after it, to
// choose breakpoints and claims while writing a page.
//
// `make docs` runs it after `make site` (which rebuilds site/dist from
// scratch); `make test-docs` runs its tests, including the browser test.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/timeline"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("docsgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("src", "site/docs", "the page sources")
	out := fs.String("out", "site/dist/docs", "where to write the pages (replaced)")
	app := fs.String("app", "", "the app's built page, for the pre-rendered sandboxes (default: index.html beside -out)")
	sandboxes := fs.String("sandboxes", "", "where to write the pre-rendered sandboxes (replaced; default: embed/docs beside -out)")
	dump := fs.String("dump", "", "print every event of this scenario with its state, then exit")
	from := fs.Int("from", 0, "with -dump: the first event")
	to := fs.Int("to", -1, "with -dump: the last event (-1: the end)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "docsgen: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *dump != "" {
		if err := dumpScenario(stdout, *dump, *from, *to); err != nil {
			fmt.Fprintln(stderr, "docsgen:", err)
			return 1
		}
		return 0
	}
	site, err := Build(*src)
	if err != nil {
		fmt.Fprintln(stderr, "docsgen:", err)
		return 1
	}
	if err := site.Write(*src, *out); err != nil {
		fmt.Fprintln(stderr, "docsgen:", err)
		return 1
	}
	if *app == "" {
		*app = filepath.Join(filepath.Dir(filepath.Clean(*out)), "index.html")
	}
	if *sandboxes == "" {
		*sandboxes = filepath.Join(filepath.Dir(filepath.Clean(*out)), "embed", "docs")
	}
	if err := site.WriteSandboxes(*app, *sandboxes); err != nil {
		fmt.Fprintln(stderr, "docsgen:", err)
		return 1
	}
	if err := site.WriteInline(*app, *out); err != nil {
		fmt.Fprintln(stderr, "docsgen:", err)
		return 1
	}
	if err := site.WritePreloads(*app, *out); err != nil {
		fmt.Fprintln(stderr, "docsgen:", err)
		return 1
	}
	if err := CheckLinks(*out, *sandboxes); err != nil {
		fmt.Fprintln(stderr, "docsgen:", err)
		return 1
	}
	n := 0
	for _, es := range site.Embeds {
		n += len(es)
	}
	fmt.Fprintf(stdout, "docs: %s  (%d pages, %d live sandboxes, every claim checked against the engine; pre-rendered in %s)\n", *out, len(site.TOC.Pages), n, *sandboxes)
	return 0
}

// dumpScenario prints events from..to of a scenario, one line each, with
// the state after the event.
func dumpScenario(w io.Writer, name string, from, to int) error {
	sc, ok := scenarios.Lookup(name)
	if !ok {
		return fmt.Errorf("no scenario %q", name)
	}
	f, err := sc.File()
	if err != nil {
		return err
	}
	tl, err := timeline.New(f)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %s (%s, mode %s, %d events)\n", sc.Name, sc.Title, sc.Section, f.Mode, tl.Len())
	for i, m := range sc.Steps {
		at, _ := tl.Find(m.Expr, -1)
		fmt.Fprintf(w, "  mark %d at %d: %s  [%s]\n", i+1, at, m.Label, m.Expr)
	}
	if to < 0 || to >= tl.Len() {
		to = tl.Len() - 1
	}
	for i := max(from, 0); i <= to; i++ {
		e := tl.Event(i)
		v := tl.ViewAt(i)
		what := e.Kind.String()
		for _, s := range []string{e.Field, e.From, e.To, e.Name, e.Detail} {
			if s != "" {
				what += " " + s
			}
		}
		if e.Kind.String() == "transition" {
			what = "transition " + e.Field + " " + e.From + " -> " + e.To
		}
		if e.N != 0 {
			what += fmt.Sprintf(" n=%d", e.N)
		}
		state := fmt.Sprintf("R=%s W=%s KA=%s it=%d nr=%v tx=%s rx=%v inf=%q req=%d clk=%d", v.Reading, v.Writing, v.KeepAlive, v.Iter, v.NotifyRead, v.BodyTx, v.BodyRx, v.InFlight, v.Requests, v.ClockMS)
		if v.Client != nil {
			c := v.Client
			state += fmt.Sprintf(" | client R=%s W=%s KA=%s it=%d q=%d want=%v", c.Reading, c.Writing, c.KeepAlive, c.Iter, c.Queue, c.Wanting)
		}
		fmt.Fprintf(w, "%4d s%-3d t%d %-60s %s\n", i, v.Step, v.Task, strings.ReplaceAll(what, "\n", `\n`), state)
	}
	return nil
}
