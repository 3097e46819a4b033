package scenarios

import (
	"regexp"
	"testing"
)

// citationRE is the citation grammar as a regexp; citations is written by
// hand (regexp would grow the browser's wasm by about 80 KB), and this test
// holds it to the same matches.
var citationRE = regexp.MustCompile(`(RFC \d+ )?§(\d+(?:\.\d+)*)(?: \(([^()]*)\))?`)

func checkCitationsLikeRegexp(t *testing.T, text string) {
	t.Helper()
	want := citationRE.FindAllStringSubmatch(text, -1)
	got := citations(text)
	if len(got) != len(want) {
		t.Fatalf("%q: %d citations, the regexp finds %d (%q)", text, len(got), len(want), want)
	}
	for i, w := range want {
		g := got[i]
		if g.whole != w[0] || g.rfc != w[1] || g.num != w[2] || g.title != w[3] {
			t.Errorf("%q: citation %d is %+v, the regexp finds %q", text, i, g, w)
		}
	}
}

func TestCitationsMatchTheGrammar(t *testing.T) {
	for _, text := range []string{
		"", "§", "§.", "§12", "§12.", "§12.8.1 (errors: poll_catch)", "RFC 9112 §6.1 and §12.4.1",
		"see §12.7.1 (poll_write's (nested) x)", "§12.8.1 (unclosed", "§12.8.1 (a) §12.4 (b)",
		"RFC §6", "XRFC 12 §3", "RFC 12  §3", "§12.8.1 (see §12.7)", "§1..2", "a§9.x", "§12.8.1  (two spaces)",
		"RFC 9112 §6.1 (chunked)", "§§12", "§12.8.1 ()", "§\xff12", "12.4.1§",
	} {
		checkCitationsLikeRegexp(t, text)
	}
	for _, s := range Library() {
		for _, v := range scenarioTexts(s) {
			checkCitationsLikeRegexp(t, v)
		}
	}
}

func FuzzCitations(f *testing.F) {
	f.Add("RFC 9112 §6.1 (x) §12.8.1 (errors: poll_catch)")
	f.Fuzz(checkCitationsLikeRegexp)
}
