package ui

import (
	"errors"
	"strconv"
	"strings"
)

// applySlot is the value a slot shows after the page's helper applied v
// to it, when it showed prev: connlab.js's setSlot for the kinds whose
// values are updates ("wire", "rows"), in Go, on the markup as text.
func applySlot(s Slot, prev, v string) (string, error) {
	switch s.Kind() {
	case "wire":
		if strings.HasPrefix(v, "=") {
			return applyWireDelta(prev, v[1:])
		}
	case "rows":
		if strings.HasPrefix(v, "~") {
			return applyRowsDelta(prev, v[1:])
		}
	}
	return v, nil
}

// applyWireDelta sets the class of the runs (the elements with a data-o)
// a wire update names, as connlab.js does.
func applyWireDelta(prev, d string) (string, error) {
	f, err := DecodeFrames(d)
	if err != nil || len(f)%2 != 0 {
		return "", errors.New("a wire update that is not pairs of frames")
	}
	// each run's class attribute's value: [start, end) in prev
	const cls, runMark = `class="`, `" data-o="`
	type span struct{ lo, hi int }
	var runs []span
	for at := 0; ; {
		i := strings.Index(prev[at:], runMark)
		if i < 0 {
			break
		}
		hi := at + i
		lo := strings.LastIndex(prev[:hi], cls) + len(cls)
		runs = append(runs, span{lo, hi})
		at = hi + len(runMark)
	}
	repl := map[int]string{}
	for i := 0; i < len(f); i += 2 {
		k, err := strconv.Atoi(f[i])
		if err != nil || k < 0 || k >= len(runs) {
			return "", errors.New("a wire update names no run " + strconv.Quote(f[i]))
		}
		repl[k] = f[i+1]
	}
	var b strings.Builder
	at := 0
	for k, r := range runs {
		if c, ok := repl[k]; ok {
			b.WriteString(prev[at:r.lo])
			b.WriteString(c)
			at = r.hi
		}
	}
	b.WriteString(prev[at:])
	return b.String(), nil
}

// applyRowsDelta removes and adds the event log's rows a rows update
// says, as connlab.js does (each row is one <div class="ev …">…</div>).
func applyRowsDelta(prev, d string) (string, error) {
	f, err := DecodeFrames(d)
	if err != nil || len(f) != 4 {
		return "", errors.New("a rows update that is not 4 frames")
	}
	front, err1 := strconv.Atoi(f[0])
	back, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || front < 0 || back < 0 {
		return "", errors.New("a rows update with bad counts")
	}
	const row = `<div class="ev `
	var rows []string
	for rest := prev; rest != ""; {
		if !strings.HasPrefix(rest, row) {
			return "", errors.New("rows that are not rows: " + rest[:min(40, len(rest))])
		}
		n := strings.Index(rest[len(row):], row)
		if n < 0 {
			rows, rest = append(rows, rest), ""
		} else {
			rows, rest = append(rows, rest[:len(row)+n]), rest[len(row)+n:]
		}
	}
	rows = rows[min(front, len(rows)):]
	rows = rows[:max(0, len(rows)-back)]
	return f[2] + strings.Join(rows, "") + f[3], nil
}

// isMarkup says whether a slot of this kind shows markup (an update of a
// "wire" or "rows" slot applied, applySlot).
func isMarkup(kind string) bool { return kind == "html" || kind == "wire" || kind == "rows" }
