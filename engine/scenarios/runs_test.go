package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestLongRunEntries: the entries whose session holds a long run are, as
// Library and Lookup return them, byte for byte what they were when the
// runs were written out as string constants (sums taken from that build,
// at c3d30be), and so is every other entry's session.
func TestLongRunEntries(t *testing.T) {
	want := map[string]struct {
		n   int
		sum string
	}{
		"bug-big-upload-unread":        {3241, "98a6edb6d89f21c0601b5747c5efd520c92d5bf4b0e67ef58e7ca45c810a4dfd"},
		"bug-big-upload-held":          {8275, "30e664e25924364885c4f43295d9d2b24058da4c2df728024593062f73d28ff7"},
		"bug-client-gone-mid-response": {3308, "e05c24da52422dd2ca64b5768f27a3b270c30c6714136dd3531c26183f1cd9f3"},
		"uri-too-long-414":             {65741, "9a8b906c80440f428421582429434814a684968e387f8cf8e8820b2fda6827fb"},
		"fault-stall-and-release":      {3355, "08dbc9f89a89c0241c3fa2c4cb5d97295e2ac7446ea62a8347607348187809c2"},
	}
	marked := 0
	all := sha256.New()
	for _, s := range Library() {
		all.Write([]byte(s.Name + "\x00" + string(s.Session) + "\x00"))
		if strings.IndexByte(string(entrySession(t, s.Name)), 0) >= 0 {
			marked++
		}
		w, ok := want[s.Name]
		if !ok {
			continue
		}
		for _, got := range []SessionJSON{s.Session, lookupSession(t, s.Name)} {
			sum := sha256.Sum256([]byte(got))
			if len(got) != w.n || hex.EncodeToString(sum[:]) != w.sum {
				t.Errorf("%s: session of %d bytes, sha256 %x; want %d bytes, %s", s.Name, len(got), sum, w.n, w.sum)
			}
		}
	}
	if marked != len(want) {
		t.Errorf("%d entries hold a run's mark, want the %d above", marked, len(want))
	}
	// every entry's name and session, in Library's order, at c3d30be
	if got := hex.EncodeToString(all.Sum(nil)); got != "79b0528b9ef4e9ef3eab4c977aeda54d34b9fc086bdc69dc340049f1035c0b1f" {
		t.Errorf("the library's sessions changed: sha256 %s", got)
	}
}

// entrySession is the session as the entry holds it (marks not written
// out).
func entrySession(t *testing.T, name string) SessionJSON {
	for _, s := range libraryEntries {
		if s.Name == name {
			return s.Session
		}
	}
	t.Fatalf("no entry %q", name)
	return ""
}

func lookupSession(t *testing.T, name string) SessionJSON {
	s, ok := Lookup(name)
	if !ok {
		t.Fatalf("Lookup(%q) found nothing", name)
	}
	return s.Session
}

// TestWriteRuns: each mark becomes its run; a NUL that starts no mark
// stays (session.Parse then rejects it); text without a mark is returned
// as it is.
func TestWriteRuns(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{`{"a": 1}`, `{"a": 1}`},
		{"<" + runA65535 + ">", "<" + strings.Repeat("a", 65535) + ">"},
		{runX3000 + runX3000, strings.Repeat("x", 6000)},
		{"[" + runU8000 + "|" + runX3000 + "]", "[" + strings.Repeat("u", 8000) + "|" + strings.Repeat("x", 3000) + "]"},
		{"a\x00b\x00", "a\x00b\x00"},
		{"\x00" + runX3000, "\x00" + strings.Repeat("x", 3000)},
	} {
		if got := string(writeRuns(SessionJSON(c.in))); got != c.want {
			t.Errorf("writeRuns(%q): %d bytes %.40q…, want %d bytes %.40q…", c.in, len(got), got, len(c.want), c.want)
		}
	}
	for _, n := range []int{0, 1, 2, 3, 7, 8, 9, 65535} {
		var b strings.Builder
		b.WriteString("<")
		writeRun(&b, 'z', n)
		if got := b.String(); got != "<"+strings.Repeat("z", n) {
			t.Errorf("writeRun(%d): %d bytes %.20q", n, len(got), got)
		}
	}
}

// TestLongRunSessionsParse: the written-out sessions are session files
// (the marks' runs sit inside JSON strings).
func TestLongRunSessionsParse(t *testing.T) {
	for _, r := range longRuns {
		if len(r.mark) >= r.n {
			t.Errorf("mark %q is not shorter than its run", r.mark)
		}
	}
	for _, s := range Library() {
		if strings.IndexByte(string(entrySession(t, s.Name)), 0) < 0 {
			continue
		}
		if _, err := s.File(); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
	}
}
