package main

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/connlab/connlab/engine/rustgen"
	"github.com/connlab/connlab/engine/scenarios"
)

// The Rust beside a scenario, for the real-problem pages (issue 17, item
// 3): {{rust "SCENARIO" "client"|"server"}} is that side's hyper 1.x Rust,
// generated at build time from the scenario's program (engine/rustgen, as
// the app's Rust panel shows it); {{rust "BUG" "client" "FIX"}} shows the
// bug's and marks the lines the fix's Rust does not have, then the fix's
// with the lines the bug's does not have marked.

// rustSide is one side's Rust of a library scenario.
func rustSide(name, side string) (rustgen.Code, error) {
	sc, ok := scenarios.Lookup(name)
	if !ok {
		return rustgen.Code{}, fmt.Errorf("no such scenario in the library: %q", name)
	}
	f, err := sc.File()
	if err != nil {
		return rustgen.Code{}, err
	}
	server, client := rustgen.Beside(f)
	c := client
	switch side {
	case "server":
		c = server
	case "client":
	default:
		return rustgen.Code{}, fmt.Errorf("side %q: use \"client\" or \"server\"", side)
	}
	if c.Text == "" {
		return c, fmt.Errorf("scenario %q has no %s code (mode %s)", name, side, f.RunMode())
	}
	return c, nil
}

// rustPre is code as a numbered <pre class="rust">, the lines marked
// that a line diff against other (nil: none) does not keep.
func rustPre(c rustgen.Code, other *rustgen.Code, label string) string {
	lines := strings.Split(strings.TrimSuffix(c.Text, "\n"), "\n")
	var changed []bool
	if other != nil {
		changed = changedLines(lines, strings.Split(strings.TrimSuffix(other.Text, "\n"), "\n"))
	}
	var b strings.Builder
	b.WriteString(`<pre class="rust" tabindex="0" role="region" aria-label="` + template.HTMLEscapeString(label) + `"><code>`)
	for i, l := range lines {
		line := template.HTMLEscapeString(fmt.Sprintf("%3d  ", i+1) + l)
		if changed != nil && changed[i] {
			b.WriteString(`<mark class="rust-diff">` + line + "</mark>\n")
			continue
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("</code></pre>")
	return b.String()
}

// changedLines marks the lines of a outside a longest common subsequence
// with b (a line diff: a moved line counts as changed).
func changedLines(a, b []string) []bool {
	n, m := len(a), len(b)
	l := make([][]int, n+1)
	for i := range l {
		l[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	changed := make([]bool, n)
	for i := range changed {
		changed[i] = true
	}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			changed[i] = false
			i, j = i+1, j+1
		case l[i+1][j] >= l[i][j+1]:
			i++
		default:
			j++
		}
	}
	return changed
}

// rustFunc is the template function rust.
func rustFunc(page string) func(name, side string, fix ...string) (template.HTML, error) {
	return func(name, side string, fix ...string) (template.HTML, error) {
		fail := func(err error) (template.HTML, error) {
			return "", fmt.Errorf("%s: {{rust %q %q}}: %v", page, name, side, err)
		}
		bug, err := rustSide(name, side)
		if err != nil {
			return fail(err)
		}
		if len(bug.Notes) > 0 {
			return fail(fmt.Errorf("the Rust has notes (no hyper 1.x equivalent): %s", strings.Join(bug.Notes, "; ")))
		}
		if len(fix) == 0 {
			return template.HTML(rustPre(bug, nil, name+": the "+side+" as hyper 1.x Rust")), nil
		}
		good, err := rustSide(fix[0], side)
		if err != nil {
			return fail(err)
		}
		if bug.Text == good.Text {
			return fail(fmt.Errorf("%s and %s have the same %s Rust", name, fix[0], side))
		}
		return template.HTML(`<p class="rust-label">The bug (<code>` + template.HTMLEscapeString(name) + `</code>), the lines the fix changes marked:</p>` +
			rustPre(bug, &good, name+": the "+side+" as hyper 1.x Rust") +
			`<p class="rust-label">The fix (<code>` + template.HTMLEscapeString(fix[0]) + `</code>), the lines it changes marked:</p>` +
			rustPre(good, &bug, fix[0]+": the "+side+" as hyper 1.x Rust")), nil
	}
}
