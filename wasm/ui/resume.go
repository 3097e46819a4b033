package ui

import (
	"errors"
	"strconv"
	"unicode/utf8"
)

// Resuming the default page. The app's page is built with the engine's
// first render of the default page in its markup (shown.go) and, in
// FirstAttrName, the rest of that render: the slots markup cannot carry
// (ready, the boot box, the buttons that wait, the style kinds). On the
// default address the wasm applies that batch and is ready at once; it
// builds the model (running the default scenario through the engine,
// then a first render that finds the page already showing it) after the
// panels' first paint, or at the first event, whichever comes first.
// Building it took 5-8 ms of the 8-10 from instantiation to ready, all
// spent working out what the page already showed (issue 19, item 5).

// FirstAttrName is the #app attribute that holds the rest of the default
// page's first render, as a batch (batch.go) for connlab.apply.
const FirstAttrName = "data-first"

// PrerenderedLogRows is the window of log rows the page is pre-rendered
// for. A window that needs at most this many shows the page as built:
// every phone, tablet and laptop up to 1380 px wide needs 19 (connlab.js,
// logRows), a wider window max(320, innerHeight-150)/20+2, which is at most
// this up to an inner height of 1010 px (a 1080p screen's browser). A
// window that needs fewer shows the same first rows, with more of them
// below its fold until the model sends its own window.
const PrerenderedLogRows = 45

// initQueryKeys are the query parameters Init reads (model.go, init):
// any other parameter leaves the page as the default address shows it.
// TestInitQueryKeys keeps the list and init in step.
var initQueryKeys = [...]string{"embed", "theme", "panels", "unit", "scenario", "step"}

// DefaultAddress reports whether Init on this address (the page's path,
// its query without the '?', its fragment without the '#') renders the
// default page: the app's route, no session in the fragment, no query
// parameter Init reads.
func DefaultAddress(path, query, fragment string) bool {
	page := path
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			page = path[i+1:]
			break
		}
	}
	if fragment != "" || page == EmbedRoute || page == EmbedRoute+".html" {
		return false
	}
	q := parseQuery(query)
	for _, k := range initQueryKeys {
		if _, ok := q[k]; ok {
			return false
		}
	}
	return true
}

// Applied tells the model that the page applied batch (the value of
// FirstAttrName) before the model was made: the first render sends none
// of those values again. A batch that is not slot and value frames of
// this build's slots is an error, and nothing is recorded.
func (m *Model) Applied(batch string) error {
	// read it through once to check it, and again to record it
	for record := false; ; record = true {
		for rest := batch; rest != ""; {
			k, v, tail, ok := twoFrames(rest)
			if !ok {
				return errors.New("the page's first batch is not slot and value frames")
			}
			s, ok := atoiSlot(k)
			if !ok {
				return errors.New("the page's first batch names no slot of this build: " + k)
			}
			if record {
				m.rend.Assume(s, v)
			}
			rest = tail
		}
		if record {
			return nil
		}
	}
}

// twoFrames reads two frames (batch.go) from the start of b: lengths in
// UTF-16 code units, as connlab.js reads them, counted over b's UTF-8
// (DecodeFrames, the tests' decoder, would link unicode/utf16 into the
// wasm).
func twoFrames(b string) (first, second, rest string, ok bool) {
	if first, b, ok = frame(b); !ok {
		return
	}
	second, rest, ok = frame(b)
	return
}

// frame reads one frame from the start of b.
func frame(b string) (v, rest string, ok bool) {
	n, i := 0, 0
	for ; i < len(b) && b[i] != ':'; i++ {
		if b[i] < '0' || b[i] > '9' || i > 8 {
			return "", "", false
		}
		n = n*10 + int(b[i]-'0')
	}
	if i == 0 || i == len(b) {
		return "", "", false
	}
	i++ // the colon
	j, units := i, 0
	for units < n {
		if j >= len(b) {
			return "", "", false
		}
		r, size := utf8.DecodeRuneInString(b[j:])
		if r == utf8.RuneError && size == 1 {
			return "", "", false
		}
		units++
		if size == 4 {
			units++ // a surrogate pair
		}
		j += size
	}
	if units != n {
		return "", "", false // the frame ends inside a surrogate pair
	}
	return b[i:j], b[j:], true
}

// atoiSlot is s as a slot index, if it is one.
func atoiSlot(s string) (Slot, bool) {
	n, err := strconv.Atoi(s)
	return Slot(n), err == nil && n >= 0 && n < int(slotCount)
}
