package ui

import (
	"strconv"
	"strings"

	"github.com/connlab/connlab/engine/timeline"
)

// What a link carries (the #v1= permalink, the query's scenario, step,
// theme, unit and embed) is checked against what each field can hold
// before the page uses it. A value it cannot hold is a note in the error
// banner that names the field and quotes the value, and the page goes on
// with the field's default: a bad link never keeps the page from becoming
// ready.

// linkNotes are a link's problems, one per field.
type linkNotes []string

// add notes "link: <what> <value quoted><rest>".
func (n *linkNotes) add(what, value, rest string) {
	*n = append(*n, "link: "+what+" "+quoteValue(value)+rest+".")
}

// String is the notes one a line (the banner keeps line breaks).
func (n linkNotes) String() string { return strings.Join(n, "\n") }

// maxQuoted is how much of a bad value the banner shows (in runes).
const maxQuoted = 60

// quoteValue is v as a Go-quoted string, so control characters, invalid
// UTF-8 and quotes show as escapes; a long value is cut, with an ellipsis.
func quoteValue(v string) string {
	cut := false
	runes := 0
	for i := range v {
		if runes == maxQuoted {
			v, cut = v[:i], true
			break
		}
		runes++
	}
	q := strconv.Quote(v)
	if cut {
		q = q[:len(q)-1] + "…\""
	}
	return q
}

// unitList names the step units ("event, call, …").
func unitList() string {
	var b strings.Builder
	for u := timeline.Unit(0); ; u++ {
		name := u.String()
		if _, err := timeline.ParseUnit(name); err != nil {
			break
		}
		if u > 0 {
			b.WriteString(", ")
		}
		b.WriteString(name)
	}
	return b.String()
}

// parseEventNumber reads a step: decimal digits only, at most 9 of them
// (no sign, no spaces, no +).
func parseEventNumber(s string) (int, bool) {
	if s == "" || len(s) > 9 || !allDigits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// PanelNames are what /embed's panels= can list (a comma list): each names
// panels of the page (connlab.css shows only the listed ones in an embed).
const PanelNames = "conn dispatcher queue diagram wire upgrade waits events"

// ParsePanels checks a panels= value: known names, comma-separated. It
// returns them space-separated (the root's data-panels), or ok false.
func ParsePanels(v string) (string, bool) {
	if v == "" {
		return "", false
	}
	out := ""
	for _, p := range strings.Split(v, ",") {
		if p == "" || strings.ContainsRune(p, ' ') || !strings.Contains(" "+PanelNames+" ", " "+p+" ") {
			return "", false
		}
		out += pick(out == "", "", " ") + p
	}
	return out, true
}
