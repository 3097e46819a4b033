package scenarios

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/timeline"
	"github.com/connlab/connlab/engine/trace"
)

// engineDecls lists the engine's functions ("Name", "Recv.Name") and
// types, and every string literal that is a ref to hyper's source, with
// where it is.
func engineDecls(t *testing.T) (decls map[string]bool, refs map[string]string) {
	decls, refs = map[string]bool{}, map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		if filepath.Base(filepath.Dir(path)) == "scenarios" {
			return nil // the library's prose and the chapter's titles, not refs
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, dcl := range f.Decls {
			switch dcl := dcl.(type) {
			case *ast.FuncDecl:
				name := dcl.Name.Name
				if dcl.Recv != nil {
					typ := dcl.Recv.List[0].Type
					if s, ok := typ.(*ast.StarExpr); ok {
						typ = s.X
					}
					if ix, ok := typ.(*ast.IndexExpr); ok {
						typ = ix.X
					}
					if id, ok := typ.(*ast.Ident); ok {
						name = id.Name + "." + name
					}
				}
				decls[name] = true
			case *ast.GenDecl:
				for _, sp := range dcl.Specs {
					if ts, ok := sp.(*ast.TypeSpec); ok {
						decls[ts.Name.Name] = true
					}
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(s, ".rs ") {
					refs[s] = fset.Position(lit.Pos()).String()
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return decls, refs
}

// TestEventNames (issue 16, item 9): one naming scheme in events. Every
// ref to hyper's source is "FILE Type::function[ words][ §section]"; the
// Go name shown beside hyper's (trace.Func) is a function or type of the
// engine; a call or ret event's Go name is hyper's by the rule, so the two
// always name the same function.
func TestEventNames(t *testing.T) {
	decls, refs := engineDecls(t)
	for ref, where := range refs {
		if !strings.HasSuffix(strings.Fields(ref)[0], ".rs") {
			continue // prose that mentions a file, not a ref
		}
		r, ok := trace.ParseRef(ref)
		if !ok {
			t.Errorf("%s: ref %q does not name hyper's function as FILE Type::function", where, ref)
			continue
		}
		if g := trace.GoName(r); g != "" && !decls[g] {
			t.Errorf("%s: ref %q: the Go name beside it, %s, is no function or type of the engine", where, ref, g)
		}
	}
	kinds := map[trace.Kind]bool{}
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
			e := tl.Event(i)
			at := sc.Name + " event " + strconv.Itoa(i) + " (" + e.Kind.String() + ")"
			r, ok := trace.ParseRef(e.Ref)
			if e.Kind == trace.KindBody && e.Name != "eof" && e.Name != "cancel" && !ok {
				t.Errorf("%s: body %s has no ref to hyper's body/incoming.rs", at, e.Name)
			}
			switch {
			case e.Ref == "" && e.Kind != trace.KindCall && e.Kind != trace.KindRet:
				continue
			case !ok && e.Ref != "" && !strings.HasPrefix(e.Ref, "RFC ") && !strings.HasSuffix(e.Ref, " program"):
				t.Errorf("%s: ref %q names no hyper function as FILE Type::function", at, e.Ref)
				continue
			}
			fn := trace.Func(e)
			if e.Kind == trace.KindCall || e.Kind == trace.KindRet {
				h := trace.HyperName(e.Name)
				if h == "" || !decls[e.Name] {
					t.Errorf("%s: %q is not an engine method named by hyper's name (Type.hyperName)", at, e.Name)
				}
				if e.Kind == trace.KindCall && r.Hyper != h {
					t.Errorf("%s: the call's Go name %s is hyper's %s, but its ref names %s", at, e.Name, h, r.Hyper)
				}
				if want := h + " (" + e.Name + ")"; fn != want {
					t.Errorf("%s: Func = %q, want %q", at, fn, want)
				}
			}
			if ok && !strings.HasPrefix(fn, r.Hyper) {
				t.Errorf("%s: Func = %q does not show hyper's %s first", at, fn, r.Hyper)
			}
			if ok {
				kinds[e.Kind] = true
			}
		}
	}
	// the scheme holds across the kinds that name hyper's functions
	for _, k := range []trace.Kind{trace.KindCall, trace.KindRet, trace.KindTransition, trace.KindIter, trace.KindNote, trace.KindQueue, trace.KindError, trace.KindUpgrade, trace.KindYield, trace.KindBody} {
		if k != trace.KindRet && !kinds[k] {
			t.Errorf("no %s event in the library names a hyper function", k)
		}
	}
}
