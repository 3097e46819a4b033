package main

// Deferred markup. An embed never shows the app's input column (the CSS
// hides it in embed mode) nor, until the reader opens one, its overlays
// (help, library, share, embed), yet they are half the app's markup
// (about 1 000 of a sandbox's 2 200 nodes), and a docs page parses and
// lays out five sandboxes on its one main thread. So a pre-rendered
// sandbox holds an empty <template data-restore="N"> in each one's place,
// and the parts themselves are written once, for every sandbox, in
// PartsFile; sandbox.js fetches that file while the engine compiles and
// puts every part back in its place before the engine takes the page
// over. The engine always finds the app's whole DOM.

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/connlab/connlab/wasm/prerender"
)

// PartsFile is the deferred parts' page, beside the sandboxes (a name no
// sandbox can have: theirs end in -N).
const PartsFile = "app-parts.html"

// deferredParts are the start tags of the elements a pre-rendered sandbox
// defers: the input column, and every overlay.
var deferredParts = []string{`<section class="col col-input">`, `<div class="overlay" `}

// deferHidden puts an empty <template data-restore="N"> in the place of
// every element that starts with one of deferredParts, and returns those
// elements, N-th at N. A template stands for exactly one element (no
// whitespace is taken with it), so putting it back leaves every sibling
// at its index.
func deferHidden(page string) (string, []string, error) {
	var b strings.Builder
	var parts []string
	for i := 0; ; {
		at, tag := -1, ""
		for _, p := range deferredParts {
			if j := strings.Index(page[i:], p); j >= 0 && (at < 0 || i+j < at) {
				at, tag = i+j, p
			}
		}
		if at < 0 {
			b.WriteString(page[i:])
			break
		}
		name := tag[1:strings.IndexAny(tag, " >")]
		end, err := elementEnd(page, at, name)
		if err != nil {
			return "", nil, err
		}
		b.WriteString(page[i:at])
		b.WriteString(`<template data-restore="` + strconv.Itoa(len(parts)) + `"></template>`)
		parts = append(parts, page[at:end])
		i = end
	}
	if len(parts) < len(deferredParts) {
		return "", nil, fmt.Errorf("%d deferred parts found, want at least %d (%s)", len(parts), len(deferredParts), strings.Join(deferredParts, ", "))
	}
	return b.String(), parts, nil
}

// partsPage is PartsFile: part N in <template data-part="N">. It is never
// shown: sandbox.js reads it with DOMParser.
func partsPage(parts []string) string {
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>connlab: the app's parts a pre-rendered sandbox loads with the engine</title>\n</head>\n<body>\n")
	for i, p := range parts {
		b.WriteString(`<template data-part="` + strconv.Itoa(i) + `">` + p + "</template>\n")
	}
	b.WriteString("</body>\n</html>\n")
	return b.String()
}

var tagRe = map[string]*regexp.Regexp{}

// elementEnd is the index just past the end tag that closes the <name>
// element starting at start, counting nested <name> elements. The page is
// the app's own static markup, which writes every end tag.
func elementEnd(page string, start int, name string) (int, error) {
	re, ok := tagRe[name]
	if !ok {
		re = regexp.MustCompile(`</?` + name + `[\s>]`)
		tagRe[name] = re
	}
	depth := 0
	for _, m := range re.FindAllStringIndex(page[start:], -1) {
		if page[start+m[0]+1] == '/' {
			depth--
			if depth == 0 {
				end := start + m[1]
				if page[end-1] != '>' {
					return 0, fmt.Errorf("the app's page: a malformed </%s> at byte %d", name, start+m[0])
				}
				return end, nil
			}
		} else {
			depth++
		}
	}
	return 0, fmt.Errorf("the app's page: the <%s> at byte %d is never closed", name, start)
}

var slotAttrRe = regexp.MustCompile(`data-s="([^"]*)"`)

// shownSlots is the slot names the page binds before the engine comes:
// those of its [data-s] elements (the deferred parts are not in it).
func shownSlots(page string) map[string]bool {
	names := map[string]bool{}
	for _, m := range slotAttrRe.FindAllStringSubmatch(page, -1) {
		for _, n := range strings.Fields(html.UnescapeString(m[1])) {
			names[n] = true
		}
	}
	return names
}

// shownBatch is a render's batch without the values of slots that have
// no element until the deferred parts are back (connlab.bind finds none
// for them, and the engine renders them anew when it takes over): spec
// is the bind spec (frames of name, kind), batch the frames of index,
// value.
func shownBatch(spec, batch string, shown map[string]bool) (string, error) {
	slots, err := prerender.Slots(spec, batch)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, sv := range slots {
		if !strings.HasPrefix(sv.Name, "#app") && !shown[sv.Name] {
			continue
		}
		writeFrame(&b, sv.Index)
		writeFrame(&b, sv.Value)
	}
	return b.String(), nil
}

// writeFrame writes s as a frame: its length in UTF-16 units, a colon, s
// (wasm/ui/batch.go).
func writeFrame(b *strings.Builder, s string) {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	b.WriteString(strconv.Itoa(n))
	b.WriteByte(':')
	b.WriteString(s)
}
