package ui

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestDefaultAddress: only the app's route with no session in the
// fragment and no parameter Init reads is the default page; other
// parameters (a cache-buster, a tracking tag) leave it so.
func TestDefaultAddress(t *testing.T) {
	for _, c := range []struct {
		path, query, frag string
		want              bool
	}{
		{"/", "", "", true},
		{"/index.html", "", "", true},
		{"/", "run=12&utm_source=x", "", true},
		{"/app/", "", "", true},
		{"/", "", "v1=abc", false},
		{"/embed", "", "", false},
		{"/embed.html", "", "", false},
		{"/", "scenario=keep-alive", "", false},
		{"/", "step=3", "", false},
		{"/", "theme=dark", "", false},
		{"/", "embed=0", "", false},
		{"/", "panels=conn", "", false},
		{"/", "unit=poll", "", false},
		{"/", "x=1&sc%65nario=keep-alive", "", false}, // escaped, as Init reads it
	} {
		if got := DefaultAddress(c.path, c.query, c.frag); got != c.want {
			t.Errorf("DefaultAddress(%q, %q, %q) = %v, want %v", c.path, c.query, c.frag, got, c.want)
		}
	}
}

// TestInitQueryKeys: initQueryKeys names every query parameter init
// reads (a parameter missing from it would let a link open as the default
// page, briefly showing the default scenario).
func TestInitQueryKeys(t *testing.T) {
	src, err := os.ReadFile("model.go")
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]bool{}
	for _, m := range regexp.MustCompile(`\bq\["([a-z]+)"\]`).FindAllStringSubmatch(string(src), -1) {
		read[m[1]] = true
	}
	var got, want []string
	for k := range read {
		want = append(want, k)
	}
	for _, k := range initQueryKeys {
		got = append(got, k)
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") || len(want) < 6 {
		t.Errorf("initQueryKeys is %v; init reads %v", got, want)
	}
}

// resumed is a model made as the wasm makes it on the default page it
// resumed (wasm/dom.go, makeModel): told what the page shows and what it
// applied, in a window of rows.
func resumed(t *testing.T, shown, first string, rows int) *Model {
	t.Helper()
	m := New()
	m.Update(SetLogRows{N: rows})
	m.Shown(shown)
	if err := m.Applied(first); err != nil {
		t.Fatal(err)
	}
	m.Update(Init{BaseURL: "https://connlab.example/"})
	return m
}

// TestAppliedSendsNothingAgain: a model told the page applied the first
// render's batch sends none of it again (but the cursor's mark); in another window of log rows
// it sends the log's slots only.
func TestAppliedSendsNothingAgain(t *testing.T) {
	m := New()
	m.Update(SetLogRows{N: PrerenderedLogRows})
	m.Update(Init{BaseURL: "./"})
	first, n := m.Render()
	if n < 100 {
		t.Fatalf("the first render sets %d slots", n)
	}
	// nothing but the cursor's marks on the log's rows, which a new
	// model always sets again (view.go: its memo of the rows is new), the
	// same value
	if b, n := resumed(t, "", first, PrerenderedLogRows).Render(); n > 1 || n == 1 && !strings.HasPrefix(b, string(appendFrame(nil, itoa(int(SlotLogCur))))) {
		t.Errorf("after Applied the first render sends %d slots: %.200q", n, b)
	}
	b, n := resumed(t, "", first, 19).Render()
	frames, err := DecodeFrames(b)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for i := 0; i < len(frames); i += 2 {
		s, _ := atoiSlot(frames[i])
		names = append(names, slotDefs[s].name)
	}
	if n == 0 || !strings.Contains(strings.Join(names, " "), "log") {
		t.Errorf("in 19 rows the first render sends %v, want the log's slots", names)
	}
	for _, name := range names {
		if !strings.HasPrefix(name, "log") {
			t.Errorf("in 19 rows the first render sends %s too", name)
		}
	}
	// without Applied, everything goes
	m2 := New()
	m2.Update(SetLogRows{N: PrerenderedLogRows})
	m2.Update(Init{BaseURL: "./"})
	if _, n2 := m2.Render(); n2 != n0(first) {
		t.Errorf("a model not told sends %d slots, want all %d", n2, n0(first))
	}
}

func n0(batch string) int {
	f, _ := DecodeFrames(batch)
	return len(f) / 2
}

// TestAppliedRejectsMalformed: a batch that is not slot and value frames
// of this build is an error and records nothing; lengths count UTF-16
// units, as connlab.js reads them.
func TestAppliedRejectsMalformed(t *testing.T) {
	ok := "1:5" + "2:ab" + "1:7" + "2:é😀" // é is one unit, 😀 two: "é😀" is 3
	ok = strings.Replace(ok, "2:é😀", "3:é😀", 1)
	for _, bad := range []string{
		"x:5",
		"1:51:",            // a slot without a value
		"1:52:a",           // a value running past the end
		"3:9991:a",         // no such slot
		"1:52:ab" + "1:",   // a trailing frame without a length
		"1:5" + "1:😀",      // a one-unit frame splitting a surrogate pair
		"1:5" + "2:ab1:52", // a value frame whose length has no colon
	} {
		m := New()
		if err := m.Applied(bad); err == nil {
			t.Errorf("Applied(%q) accepted it", bad)
		}
		if m.rend.set[5] && m.rend.vals[5] != "" && m.rend.vals[5] == "ab" {
			t.Errorf("Applied(%q) recorded slot 5 despite the error", bad)
		}
	}
	m := New()
	if err := m.Applied(ok); err != nil {
		t.Fatalf("Applied(%q): %v", ok, err)
	}
	if m.rend.vals[5] != "ab" || m.rend.vals[7] != "é😀" || !m.rend.set[7] {
		t.Errorf("Applied recorded %q and %q", m.rend.vals[5], m.rend.vals[7])
	}
}
