package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestWorkerDeps: the Worker links neither net/http nor crypto/tls. They
// weighed 1.8 MB of its wasm (535 KB gzipped), compiled and initialised in
// every new isolate and never used; site/internal/httpx stands in for
// net/http's types in js/wasm. Nor mime (43 KB gzipped), which only the
// native file server needs.
func TestWorkerDeps(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "net/http" || pkg == "crypto/tls" || pkg == "mime" || pkg == "github.com/syumai/workers" {
			t.Errorf("the Worker (GOOS=js GOARCH=wasm) imports %s", pkg)
		}
	}
}
