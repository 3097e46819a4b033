package scenarios

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/timeline"
)

// TestChapterMatchesTheBook: Chapter is the book's own list of sections,
// number and title, in its order (read from the chapter when this machine
// has it: /work/shared/seeds/004_*.txt, or $CONNLAB_CHAPTER).
func TestChapterMatchesTheBook(t *testing.T) {
	path := os.Getenv("CONNLAB_CHAPTER")
	if path == "" {
		m, _ := filepath.Glob("/work/shared/seeds/004_*.txt")
		if len(m) == 0 {
			t.Skip("the chapter's text is not on this machine")
		}
		path = m[0]
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	heading := regexp.MustCompile(`^(12(?:\.\d+)+) (.+)$`)
	var got []Section
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := heading.FindStringSubmatch(sc.Text()); m != nil {
			got = append(got, Section{Number: m[1], Title: strings.TrimSpace(m[2])})
		}
	}
	if len(got) != len(Chapter) {
		t.Fatalf("the chapter has %d sections, Chapter %d", len(got), len(Chapter))
	}
	for i, s := range got {
		if Chapter[i].Number != s.Number || Chapter[i].Title != s.Title {
			t.Errorf("section %d: the book says %s %q, Chapter %s %q", i+1, s.Number, s.Title, Chapter[i].Number, Chapter[i].Title)
		}
		if strings.TrimSpace(Chapter[i].English) == "" {
			t.Errorf("section %s has no English title", s.Number)
		}
	}
}

func TestCheckCitations(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"as §12.6.1 says", ""},
		{"the chapter's sections (§12.x)", ""},
		{"(§12.10.2.7, §12.2.4)", ""},
		{"RFC 9112 §6.3 and RFC 9110 §8.6", ""},
		{"§12.8.1 (poll_catch)", ""},
		{"§12.8.1 (try_keep_alive's four paths)", ""},
		{"§12.8.1 (错误:poll_catch)", ""},
		{"§12.7.1 (body_rx)", ""},
		{"§12.7.1 (poll_write's three chunk branches), §12.5", ""},
		{"(§12.8.1)", "§12.8.1: the book numbers 2 sections 12.8.1 (“errors: poll_catch”, “source check: try_keep_alive's four paths and the client's special path”): cite one with words of its title"},
		{"§12.8.1 (see below)", "§12.8.1 (see below): the book numbers 2 sections 12.8.1"},
		{"§12.7.1", "§12.7.1: the book numbers 2 sections 12.7.1"},
		{"§12.13", "§12.13: chapter 12 has no section 12.13"},
		{"§12.10.2.1", "§12.10.2.1: chapter 12 has no section 12.10.2.1"},
		{"RFC 9112 §6.3 says so, and §6.1 adds", "§6.1: not a section of chapter 12; a section of an RFC names it (RFC 9112 §6.1)"},
	} {
		got := CheckCitations(tc.text)
		switch {
		case tc.want == "" && len(got) != 0:
			t.Errorf("%q: %q, want no problem", tc.text, got)
		case tc.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], tc.want)):
			t.Errorf("%q: %q, want one starting %q", tc.text, got, tc.want)
		}
	}
}

// TestScenarioCitations: each scenario's section and every § in its text
// is a section of the chapter, by number and, where the book gives the
// number twice, title.
func TestScenarioCitations(t *testing.T) {
	for _, s := range Library() {
		texts := map[string]string{"section": s.Section}
		for k, v := range scenarioTexts(s) {
			texts[k] = v
		}
		texts["title"] = s.Title
		for _, name := range sortedKeys(texts) {
			for _, p := range CheckCitations(texts[name]) {
				t.Errorf("%s: %s: %s", s.Name, name, p)
			}
		}
		if s.Section != "" && len(citations(s.Section)) != 1 {
			t.Errorf("%s: section %q is not one citation", s.Name, s.Section)
		}
	}
}

// TestEventRefCitations: every event's ref (hyper's function and the
// chapter section) in every scenario's run cites the chapter correctly.
func TestEventRefCitations(t *testing.T) {
	bad := map[string]string{}
	for _, sc := range Library() {
		f, err := sc.File()
		if err != nil {
			t.Fatal(err)
		}
		tl, err := timeline.New(f)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < tl.Len(); i++ {
			ref := tl.Event(i).Ref
			if _, seen := bad[ref]; seen || ref == "" {
				continue
			}
			bad[ref] = ""
			if p := CheckCitations(ref); len(p) > 0 {
				bad[ref] = sc.Name + " event " + strconv.Itoa(i) + ": ref " + strconv.Quote(ref) + ": " + strings.Join(p, "; ")
			}
		}
	}
	for _, msg := range bad {
		if msg != "" {
			t.Error(msg)
		}
	}
}

// TestSourceCitations: every string of the engine, the sandbox's UI and
// the site's Go (the refs events carry, the texts the panels show) cites
// the chapter correctly. Comments are not read.
func TestSourceCitations(t *testing.T) {
	for _, root := range []string{"..", "../../wasm", "../../site"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() && (d.Name() == "node_modules" || d.Name() == "dist" || d.Name() == "build") {
				return filepath.SkipDir
			}
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			ast.Inspect(file, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING || !strings.Contains(lit.Value, "§") {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					s = lit.Value
				}
				for _, p := range CheckCitations(s) {
					t.Errorf("%s: %s", fset.Position(lit.Pos()), p)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
