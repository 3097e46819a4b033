package main

import (
	"html"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/rustgen"
	"github.com/connlab/connlab/engine/scenarios"
)

// TestSeedPagesShowTheRust: each real-problem page shows the hyper 1.x
// Rust of its scenarios' programs, generated now (rustgen.Beside), and a
// page with a fix marks the lines the fix changes (issue 17, item 3).
func TestSeedPagesShowTheRust(t *testing.T) {
	s := builtSite(t)
	for _, c := range []struct {
		page  string
		sides [][2]string // scenario, side
		marks int         // lines marked as the fix's change
	}{
		{"seed-000.html", [][2]string{{"seed000-graceful-close", "client"}}, 0},
		{"seed-001.html", [][2]string{{"seed001-deadlock", "client"}, {"seed001-fixed", "client"}}, 2},
		{"seed-002.html", [][2]string{{"seed002-deadlock", "server"}, {"seed002-deadlock", "client"}, {"seed002-fixed", "client"}}, 2},
		{"seed-003.html", [][2]string{{"seed003-enotconn", "server"}}, 0},
	} {
		page := string(s.HTML[c.page])
		if !strings.Contains(page, `<h2 id="rust">`) {
			t.Errorf("%s has no Rust section", c.page)
			continue
		}
		text := stripNumbers(html.UnescapeString(strings.NewReplacer(`<mark class="rust-diff">`, "", "</mark>", "", "<code>", "", "</code>", "").Replace(page)))
		for _, sd := range c.sides {
			sc, _ := scenarios.Lookup(sd[0])
			f, err := sc.File()
			if err != nil {
				t.Fatal(err)
			}
			server, client := rustgen.Beside(f)
			want := client.Text
			if sd[1] == "server" {
				want = server.Text
			}
			if want == "" || !strings.Contains(text, strings.TrimSuffix(want, "\n")) {
				t.Errorf("%s does not show the %s Rust of %s", c.page, sd[1], sd[0])
			}
		}
		if n := strings.Count(page, `class="rust-diff"`); n != c.marks {
			t.Errorf("%s marks %d changed lines, want %d", c.page, n, c.marks)
		}
	}
}

// stripNumbers drops the "NNN  " line numbers rustPre puts before each
// line of a <pre class="rust">.
func stripNumbers(page string) string {
	var out []string
	for _, l := range strings.Split(page, "\n") {
		if len(l) >= 5 && l[3] == ' ' && l[4] == ' ' && strings.Trim(l[:3], " 0123456789") == "" && strings.TrimSpace(l[:3]) != "" {
			l = l[5:]
		} else if i := strings.Index(l, `<pre class="rust"`); i >= 0 {
			// the first line follows the opening tag
			if j := strings.Index(l, ">"); j >= 0 && len(l) >= j+6 {
				l = l[j+6:]
			}
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// TestChangedLines: the line diff marks a moved line and leaves the
// common lines alone.
func TestChangedLines(t *testing.T) {
	got := changedLines([]string{"a", "b", "c", "d"}, []string{"a", "c", "b", "d"})
	marked := 0
	for _, c := range got {
		if c {
			marked++
		}
	}
	if marked != 1 || got[0] || got[3] {
		t.Errorf("changedLines = %v", got)
	}
}

// TestBadRustFailsTheBuild: a side the scenario does not have, an unknown
// scenario, and a "fix" with the same Rust fail the build naming the page.
func TestBadRustFailsTheBuild(t *testing.T) {
	for _, c := range []struct{ page, want string }{
		{`{{rust "keep-alive" "client"}}`, `p.html: {{rust "keep-alive" "client"}}: scenario "keep-alive" has no client code`},
		{`{{rust "nope" "server"}}`, `no such scenario`},
		{`{{rust "keep-alive" "nowhere"}}`, `side "nowhere"`},
		{`{{rust "seed001-deadlock" "server" "seed001-fixed"}}`, `have the same server Rust`},
	} {
		_, err := Build(writeSite(t, c.page))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.page, err, c.want)
		}
	}
}
