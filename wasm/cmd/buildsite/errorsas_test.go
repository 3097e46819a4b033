package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestWasmNoErrorsAs fails if connlab's code that the browser's wasm
// builds calls errors.As. Package errors always imports
// internal/reflectlite, so TestWasmDeps cannot see it, but only errors.As
// links it: about 9 KB of the wasm with brotli (795 875 B at 095ed57,
// 803 004 with one call left). connlab's errors come back unwrapped, or
// wrapped once: a type assertion or switch reads them (with errors.Unwrap
// for a chain).
func TestWasmNoErrorsAs(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("os/exec is not available under js/wasm; the native run covers this")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("cannot find the go command: %v", err)
	}
	cmd := exec.Command(gobin, "list", "-deps", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{join .GoFiles \" \"}}", wasmRoot)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("GOOS=js GOARCH=wasm go list -deps %s: %v\n%s", wasmRoot, err, stderr.String())
	}
	const module = "github.com/connlab/connlab/"
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 || !strings.HasPrefix(f[0]+"/", module) {
			continue
		}
		for _, name := range strings.Fields(f[2]) {
			checked++
			for _, pos := range errorsAsCalls(t, filepath.Join(f[1], name)) {
				t.Errorf("%s: errors.As links internal/reflectlite into the browser's wasm; use a type assertion", pos)
			}
		}
	}
	if checked == 0 {
		t.Fatalf("go list named none of connlab's files:\n%s", out)
	}
}

// errorsAsCalls lists where the file calls As of the standard errors
// package (under whatever name it is imported).
func errorsAsCalls(t *testing.T, path string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	name := ""
	for _, imp := range f.Imports {
		if v, _ := strconv.Unquote(imp.Path.Value); v == "errors" {
			name = "errors"
			if imp.Name != nil {
				name = imp.Name.Name
			}
		}
	}
	if name == "" {
		return nil
	}
	var at []string
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "As" {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == name {
				at = append(at, fset.Position(sel.Pos()).String())
			}
		}
		return true
	})
	return at
}
