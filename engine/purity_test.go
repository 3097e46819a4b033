package engine

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// forbiddenImports would give the engine a source of randomness that does
// not come in from outside.
var forbiddenImports = map[string]string{
	"math/rand":    "global randomness",
	"math/rand/v2": "global randomness",
	"crypto/rand":  "global randomness",
}

// wallClock are the functions of package time that read the wall clock or
// start a runtime timer; the engine's only time is the virtual poll.Clock.
var wallClock = map[string]bool{
	"Now":       true,
	"Since":     true,
	"Until":     true,
	"Sleep":     true,
	"After":     true,
	"AfterFunc": true,
	"NewTimer":  true,
	"NewTicker": true,
	"Tick":      true,
}

// wallClockMark allows a wall-clock read on its line or the line below, for
// measurement whose result never reaches the engine's state.
const wallClockMark = "//connlab:wallclock"

// TestEnginePurity scans every non-test .go file under engine/ (whatever its
// build tags) and fails, naming file:line, on a goroutine launch, a wall-clock
// read or runtime timer, or an import of a random number package. See the
// package comment for the rules and their two exceptions.
func TestEnginePurity(t *testing.T) {
	var files []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking engine/: %v", err)
	}
	if len(files) == 0 {
		t.Fatal("found no .go files under engine/")
	}
	sort.Strings(files)

	fset := token.NewFileSet()
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			// A file that does not parse fails the build anyway; say so here
			// too rather than skip it silently.
			t.Errorf("engine/%s: %v", filepath.ToSlash(path), err)
			continue
		}
		for _, v := range checkPurity(fset, f) {
			t.Errorf("engine/%s", v)
		}
	}
}

// checkPurity returns one "file:line: problem" per violation in f.
func checkPurity(fset *token.FileSet, f *ast.File) []string {
	var out []string
	report := func(pos token.Pos, format string, args ...any) {
		p := fset.Position(pos)
		out = append(out, fmt.Sprintf("%s:%d: %s", filepath.ToSlash(p.Filename), p.Line, fmt.Sprintf(format, args...)))
	}

	// Names under which this file imports package time ("." for a dot import).
	timeNames := map[string]bool{}
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		if why, bad := forbiddenImports[path]; bad {
			report(imp.Pos(), "imports %s (%s); take a seed from outside instead", path, why)
		}
		if path == "time" {
			name := "time"
			if imp.Name != nil {
				name = imp.Name.Name
			}
			timeNames[name] = true
		}
	}

	// A command may time a benchmark with the wall clock.
	isCommand := f.Name.Name == "main"
	marked := map[int]bool{} // lines on which a wall-clock read is allowed
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, wallClockMark) {
				line := fset.Position(c.Slash).Line
				marked[line] = true
				marked[line+1] = true
			}
		}
	}
	wallClockOK := func(pos token.Pos) bool {
		return isCommand || marked[fset.Position(pos).Line]
	}

	notRefs := map[*ast.Ident]bool{} // x.Sel's Sel and field names: never a dot-imported name
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			report(n.Go, "go statement starts a goroutine; make it a task on the poll.Executor")
		case *ast.Field:
			for _, name := range n.Names {
				notRefs[name] = true
			}
		case *ast.SelectorExpr:
			notRefs[n.Sel] = true
			if x, ok := n.X.(*ast.Ident); ok && timeNames[x.Name] && wallClock[n.Sel.Name] && !wallClockOK(n.Pos()) {
				report(n.Pos(), "%s.%s reads the wall clock or starts a runtime timer; use the virtual poll.Clock", x.Name, n.Sel.Name)
			}
		case *ast.Ident:
			// With `import . "time"`, Now and friends appear bare.
			if timeNames["."] && !notRefs[n] && wallClock[n.Name] && !wallClockOK(n.Pos()) {
				report(n.Pos(), "%s (dot-imported from time) reads the wall clock or starts a runtime timer; use the virtual poll.Clock", n.Name)
			}
		}
		return true
	})
	return out
}

// TestCheckPurity shows that the scanner finds what it should, so a clean
// TestEnginePurity means something.
func TestCheckPurity(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // substrings, one per expected violation, in order
	}{
		{"clean", `package p
import "time"
func f(d time.Duration) time.Duration { return d * time.Millisecond }`, nil},
		{"goroutine", `package p
func f() {
	go func() {}()
}`, []string{"x.go:3: go statement"}},
		{"time.Now", `package p
import "time"
var start = time.Now()`, []string{"x.go:3: time.Now"}},
		{"renamed time", `package p
import tm "time"
func f() { tm.Sleep(1) }`, []string{"x.go:3: tm.Sleep"}},
		{"dot time", `package p
import . "time"
func f(c struct{ Now int }) (any, int) { return Since, c.Now }`, []string{"x.go:3: Since (dot-imported"}},
		{"method value", `package p
import "time"
var now = time.Now`, []string{"x.go:3: time.Now"}},
		{"marked", `package p
import "time"
func f() {
	//connlab:wallclock benchmark timing only
	_ = time.Now()
	_ = time.Now() //connlab:wallclock
}`, nil},
		{"command", `package main
import "time"
func main() { _ = time.Now() }`, nil},
		{"command goroutine", `package main
func main() { go main() }`, []string{"x.go:2: go statement"}},
		{"rand", `package p
import (
	"crypto/rand"
	mr "math/rand"
	"math/rand/v2"
)`, []string{"x.go:3: imports crypto/rand", "x.go:4: imports math/rand ", "x.go:5: imports math/rand/v2"}},
		{"local time variable is not package time", `package p
func f(time struct{ Now int }) int { return time.Now }`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "x.go", tt.src, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			got := checkPurity(fset, f)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d violations %q, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("violation %d = %q, want it to contain %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}
