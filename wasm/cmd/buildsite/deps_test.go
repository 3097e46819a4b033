package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// wasmRoot is the browser sandbox's main package, the one buildsite builds.
const wasmRoot = "github.com/connlab/connlab/wasm"

// forbiddenInWasm are the packages the browser's wasm must not link: each
// is large, or drags in reflect, os or time zone loading, and the download
// grows with every one. fmt brings reflect, os and internal/fmtsort; sort
// brings internal/reflectlite; runtime/debug imports os; encoding/json and
// embed bring reflect and io/fs; compress/flate imports fmt and sort (links
// are compressed by the browser's own CompressionStream, wasm/codec.go, and
// compress/flate serves only the native build, wasm/ui/codec_flate.go);
// net and net/http bring everything; time brings its zone tables and
// formatting, image/color its colour models (both came with dom/v2).
// encoding/base64 (engine/b64 replaces it: 2 335 B brotli) and
// go-json-experiment's jsontext (engine/jsontext's own tokenizer replaces
// it: 28 077 B) went for the size budget too.
var forbiddenInWasm = []string{
	"fmt", "reflect", "time", "image/color", "os", "runtime/debug", "sort",
	"encoding/json", "embed", "compress/flate", "net", "net/http",
	"encoding/base64", "github.com/go-json-experiment/json/jsontext",
}

// allowedInWasm are the imports of a forbidden package the guard accepts,
// each with its reason. Only these edges are skipped: the same package
// imported by anything else still fails. It is empty: the one allowance
// it held, dom/v2's import of time, went with dom/v2 (wasm/dom.go uses
// syscall/js directly), which left 21 KB of brotli download behind.
var allowedInWasm = map[[2]string]string{}

// wasmPackage is one line of the `go list -deps` output this test reads.
type wasmPackage struct {
	dir     string
	files   []string
	imports []string
}

// TestWasmDeps fails if the browser's wasm (GOOS=js GOARCH=wasm, ./wasm)
// links a forbidden package, naming who imports it (with the files that
// do) and the shortest import chain from ./wasm.
func TestWasmDeps(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("os/exec is not available under js/wasm; the native run covers this")
	}
	gobin, err := exec.LookPath("go") // go test puts $GOROOT/bin first in PATH
	if err != nil {
		t.Fatalf("cannot find the go command: %v", err)
	}
	cmd := exec.Command(gobin, "list", "-deps",
		"-f", "{{.ImportPath}}\t{{.Dir}}\t{{join .GoFiles \" \"}}\t{{join .Imports \" \"}}", wasmRoot)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("GOOS=js GOARCH=wasm go list -deps %s: %v\n%s", wasmRoot, err, stderr.String())
	}
	pkgs := map[string]*wasmPackage{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			t.Fatalf("unexpected go list line %q", line)
		}
		pkgs[f[0]] = &wasmPackage{dir: f[1], files: strings.Fields(f[2]), imports: strings.Fields(f[3])}
	}
	if pkgs[wasmRoot] == nil || pkgs["syscall/js"] == nil {
		t.Fatalf("go list did not list %s for js/wasm:\n%s", wasmRoot, out)
	}

	// what ./wasm links once the allowed imports are left out, and through
	// which package each was first reached (breadth first: shortest chains)
	prev := map[string]string{wasmRoot: ""}
	queue := []string{wasmRoot}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, imp := range pkgs[cur].imports {
			if _, seen := prev[imp]; seen || allowedInWasm[[2]string{cur, imp}] != "" || pkgs[imp] == nil {
				continue
			}
			prev[imp] = cur
			queue = append(queue, imp)
		}
	}
	for _, bad := range forbiddenInWasm {
		if _, linked := prev[bad]; !linked {
			continue
		}
		var chain []string
		for p := bad; p != ""; p = prev[p] {
			chain = append(chain, p)
		}
		slices.Reverse(chain)
		var by []string
		for path, p := range pkgs {
			if _, linked := prev[path]; !linked || !slices.Contains(p.imports, bad) || allowedInWasm[[2]string{path, bad}] != "" {
				continue
			}
			by = append(by, path+" ("+strings.Join(filesImporting(t, p, bad), ", ")+")")
		}
		slices.Sort(by)
		t.Errorf("the browser's wasm links %s\n\tchain: %s\n\timported by: %s",
			bad, strings.Join(chain, " -> "), strings.Join(by, "; "))
	}
}

// filesImporting lists the files of p (base names) that import path.
func filesImporting(t *testing.T, p *wasmPackage, path string) []string {
	var names []string
	fset := token.NewFileSet()
	for _, name := range p.files {
		f, err := parser.ParseFile(fset, filepath.Join(p.dir, name), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if v, err := strconv.Unquote(imp.Path.Value); err == nil && v == path {
				names = append(names, name)
				break
			}
		}
	}
	return names
}
