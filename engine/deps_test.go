package engine

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// forbiddenDeps are the packages no engine package may depend on, directly or
// through another package: the engine runs in a browser and a Worker against
// an in-memory transport, and only wasm/ touches JavaScript.
var forbiddenDeps = []string{"syscall/js", "net", "net/http"}

// listedPackage is the part of `go list -json` output this test reads.
type listedPackage struct {
	ImportPath string
	Imports    []string
	DepOnly    bool
}

// TestEngineDeps fails if `go list -deps ./...`, run in engine/, contains a
// forbidden package, naming the engine package that pulls it in and the
// import chain that does.
func TestEngineDeps(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("os/exec is not available under js/wasm; the native run covers this")
	}
	gobin, err := exec.LookPath("go") // go test puts $GOROOT/bin first in PATH
	if err != nil {
		t.Fatalf("cannot find the go command: %v", err)
	}
	cmd := exec.Command(gobin, "list", "-e", "-deps", "-json=ImportPath,Imports,DepOnly", "./...")
	// List for the host platform: under GOOS=js the standard library's own
	// syscall package imports syscall/js, which says nothing about the engine.
	cmd.Env = append(os.Environ(), "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./... in engine/: %v\n%s", err, stderr.String())
	}

	pkgs := map[string]*listedPackage{}
	var roots []string // the engine's own packages, as ./... matched them
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		pkgs[p.ImportPath] = &p
		if !p.DepOnly {
			roots = append(roots, p.ImportPath)
		}
	}
	if len(roots) == 0 {
		t.Fatal("go list ./... in engine/ matched no packages")
	}
	sort.Strings(roots)

	for _, bad := range forbiddenDeps {
		if _, ok := pkgs[bad]; !ok {
			continue
		}
		for _, root := range roots {
			if chain := importChain(pkgs, root, bad); chain != nil {
				t.Errorf("engine package %s depends on %s: %s", root, bad, strings.Join(chain, " -> "))
			}
		}
	}
}

// importChain returns the shortest import path from one package to another
// (both ends included), or nil if from does not depend on to.
func importChain(pkgs map[string]*listedPackage, from, to string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == to {
			var chain []string
			for p := cur; p != ""; p = prev[p] {
				chain = append([]string{p}, chain...)
			}
			return chain
		}
		p := pkgs[cur]
		if p == nil {
			continue
		}
		for _, imp := range p.Imports {
			if _, seen := prev[imp]; !seen {
				prev[imp] = cur
				queue = append(queue, imp)
			}
		}
	}
	return nil
}
