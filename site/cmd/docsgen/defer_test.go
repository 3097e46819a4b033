package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestDeferHidden: the input column and every overlay leave the page,
// each for an empty template that names it, exactly (each template
// replaced by its part gives the page back byte for byte), nested
// elements of the same name included; a page without them, or with one
// never closed, is an error. The parts' page holds each part as written.
func TestDeferHidden(t *testing.T) {
	page := "<div id=\"app\">\n<main>\n" +
		"<section class=\"col col-input\"><section>inner</section><div data-s=\"draft\">x</div></section>\n" +
		"<section class=\"col col-main\"><div data-s=\"pos now\"></div></section>\n</main>\n" +
		"<div class=\"overlay\" data-for=\"help\"><div class=\"sheet\"><div>a</div></div><p data-s=\"help\">h</p></div>\n" +
		"<div class=\"overlay\" data-for=\"share\"><div\nclass=\"sheet\"></div></div>\n</div>\n"
	got, parts, err := deferHidden(page)
	if err != nil {
		t.Fatal(err)
	}
	want := "<div id=\"app\">\n<main>\n<template data-restore=\"0\"></template>\n" +
		"<section class=\"col col-main\"><div data-s=\"pos now\"></div></section>\n</main>\n" +
		"<template data-restore=\"1\"></template>\n<template data-restore=\"2\"></template>\n</div>\n"
	if got != want {
		t.Errorf("the page:\n%s\nwant\n%s", got, want)
	}
	wantParts := []string{
		"<section class=\"col col-input\"><section>inner</section><div data-s=\"draft\">x</div></section>",
		"<div class=\"overlay\" data-for=\"help\"><div class=\"sheet\"><div>a</div></div><p data-s=\"help\">h</p></div>",
		"<div class=\"overlay\" data-for=\"share\"><div\nclass=\"sheet\"></div></div>",
	}
	if strings.Join(parts, "|") != strings.Join(wantParts, "|") {
		t.Errorf("the parts:\n%q\nwant\n%q", parts, wantParts)
	}
	back := got
	for i, p := range parts {
		back = strings.Replace(back, "<template data-restore=\""+strconv.Itoa(i)+"\"></template>", p, 1)
	}
	if back != page {
		t.Errorf("the parts put back do not give the page:\n%s", back)
	}
	pp := partsPage(parts)
	for i, p := range parts {
		if !strings.Contains(pp, "<template data-part=\""+strconv.Itoa(i)+"\">"+p+"</template>") {
			t.Errorf("the parts' page has no part %d as written", i)
		}
	}
	if s := shownSlots(got); !s["pos"] || !s["now"] || s["help"] || s["draft"] {
		t.Errorf("shown slots %v, want pos and now, not help or draft", s)
	}
	for _, bad := range []string{
		"<div id=\"app\"><section class=\"col col-main\"></section></div>",
		"<section class=\"col col-input\"><div>x</div></section><div class=\"overlay\" data-for=\"help\"><div></div>",
	} {
		if _, _, err := deferHidden(bad); err == nil {
			t.Errorf("deferHidden(%q): no error", bad)
		}
	}
}

// TestShownBatch: a batch keeps the values of the root's slots and of the
// slots the page shows, in order and exactly (NUL, CR, a character
// outside the BMP), and drops the rest; a batch naming a slot the spec
// does not have is an error.
func TestShownBatch(t *testing.T) {
	spec := "8:#app-rdy6:attr:x3:pos4:text4:help4:text3:log4:html"
	batch := "1:04:true1:23:a\x00b1:14:\r\n😀1:34:<b>x"
	got, err := shownBatch(spec, batch, map[string]bool{"pos": true, "log": true})
	if err != nil {
		t.Fatal(err)
	}
	if want := "1:04:true1:14:\r\n😀1:34:<b>x"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := shownBatch(spec, "1:91:x", nil); err == nil {
		t.Error("slot 9 of 4: no error")
	}
}
