package engine

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// module is the import path of this module; engine packages are module +
// "/engine/" + their directory.
const module = "github.com/connlab/connlab"

// layer is one engine package (its directory under engine/) and the engine
// packages it may import.
type layer struct {
	pkg string
	// imports are what the package's code may import. Each must be listed
	// in an earlier layer, so the table itself points one way.
	imports []string
	// tests are what its tests may import besides: external tests
	// (package x_test) may reach up, since nothing imports a test.
	tests []string
}

// layers is the engine's dependency order, lowest first: the one table of
// allowed imports between engine packages. A request's bytes climb it:
// duplex carries them, h1 (Conn under the Dispatcher) reads them and calls
// a service, trace records each step, session runs it all from an input
// log, timeline turns the record into views. Adding a package or an import
// between packages is one edit here.
var layers = []layer{
	// trace's external tests record the scenario library with and without
	// the recorder's caches.
	{pkg: "trace", tests: []string{"scenarios", "session"}},
	{pkg: "poll", imports: []string{"trace"}},
	{pkg: "duplex", imports: []string{"poll", "trace"}},
	{pkg: "body", imports: []string{"poll", "trace"}},
	{pkg: "h1", imports: []string{"body", "poll", "trace"}, tests: []string{"duplex"}},
	{pkg: "b64"},
	{pkg: "jsontext/jsonoracle"},
	{pkg: "jsontext", tests: []string{"jsontext/jsonoracle"}},
	{pkg: "program"},
	// services' external tests run whole sessions with a service.
	// services runs service programs (program.go), parsed by program.
	{pkg: "services", imports: []string{"b64", "body", "h1", "poll", "program", "trace"}, tests: []string{"session"}},
	// session's external tests use the library's files as fuzz seeds and
	// measure the timeline's read cost.
	{pkg: "session", imports: []string{"b64", "body", "duplex", "h1", "jsontext", "poll", "program", "services", "trace"},
		tests: []string{"jsontext/jsonoracle", "scenarios", "timeline"}},
	{pkg: "timeline", imports: []string{"body", "h1", "poll", "session", "trace"}},
	// scenarios' tests check each scenario's marks on its timeline, and
	// that the events name hyper's functions as trace.Func shows them.
	{pkg: "scenarios", imports: []string{"session"}, tests: []string{"services", "timeline", "trace"}},
	// rustgen renders client programs, catalog services and whole
	// sessions as hyper 1.x Rust (connlab export --rust); Export runs the
	// session for the values its test checks.
	{pkg: "rustgen", imports: []string{"program", "session"}, tests: []string{"scenarios", "services"}},
	{pkg: "cmd/connlab", imports: []string{"rustgen", "scenarios", "services", "session", "timeline"}},
	// conformance has only tests.
	{pkg: "conformance", tests: []string{"program", "services", "session"}},
	// engine/ itself holds the rule tests (this file, purity, deps).
	{pkg: "."},
}

// engineImports is one package's imports of this module, by file.
type engineImports struct {
	code  map[string][]string // import path -> files (non-test)
	tests map[string][]string // import path -> test files
}

// readEngineImports parses the imports of every .go file under engine/
// (whatever its build tags: a file for js/wasm only counts too) and
// returns, by package directory, those that name this module.
func readEngineImports(t *testing.T) map[string]*engineImports {
	t.Helper()
	out := map[string]*engineImports{}
	fset := token.NewFileSet()
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
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		p := out[dir]
		if p == nil {
			p = &engineImports{code: map[string][]string{}, tests: map[string][]string{}}
			out[dir] = p
		}
		for _, imp := range f.Imports {
			ip, err := strconv.Unquote(imp.Path.Value)
			if err != nil || (ip != module && !strings.HasPrefix(ip, module+"/")) {
				continue
			}
			m := p.code
			if strings.HasSuffix(path, "_test.go") {
				m = p.tests
			}
			m[ip] = append(m[ip], filepath.ToSlash(path))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading engine/: %v", err)
	}
	return out
}

// TestLayering fails when an engine package imports another engine package
// that the table (layers) does not allow, when it imports anything of this
// module outside engine/ (wasm/, site/), when the table points upwards or
// names a package that does not exist, and when a package is missing from
// it.
func TestLayering(t *testing.T) {
	rank := map[string]int{}
	for i, l := range layers {
		if _, dup := rank[l.pkg]; dup {
			t.Errorf("layers lists %s twice", l.pkg)
		}
		for _, imp := range l.imports {
			if r, ok := rank[imp]; !ok || r >= i {
				t.Errorf("layers: %s may import %s, which is not listed before it: the table must point one way", l.pkg, imp)
			}
		}
		rank[l.pkg] = i
	}
	for _, l := range layers {
		for _, imp := range l.tests {
			if _, ok := rank[imp]; !ok {
				t.Errorf("layers: %s's tests may import %s, which is not in the table", l.pkg, imp)
			}
		}
	}

	got := readEngineImports(t)
	var dirs []string
	for dir := range got {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		if _, ok := rank[dir]; !ok {
			t.Errorf("engine/%s is not in layers (engine/layering_test.go): add it with the engine packages it may import", dir)
		}
	}
	for _, l := range layers {
		p := got[l.pkg]
		if p == nil {
			t.Errorf("layers lists %s, but engine/%s holds no Go files", l.pkg, l.pkg)
			continue
		}
		check := func(imports map[string][]string, allowed []string, what string) {
			var paths []string
			for ip := range imports {
				paths = append(paths, ip)
			}
			sort.Strings(paths)
			for _, ip := range paths {
				files := strings.Join(imports[ip], ", ")
				rel, inEngine := strings.CutPrefix(ip, module+"/engine/")
				switch {
				case !inEngine:
					t.Errorf("engine/%s imports %s (%s): nothing in engine/ imports wasm/ or site/", l.pkg, ip, files)
				case rel == l.pkg && what == "tests":
					// an external test imports the package it tests
				case !slices.Contains(allowed, rel):
					t.Errorf("engine/%s (%s) imports engine/%s (%s), which layers does not allow", l.pkg, what, rel, files)
				}
			}
		}
		check(p.code, l.imports, "code")
		check(p.tests, append(slices.Clone(l.imports), l.tests...), "tests")
	}
}
