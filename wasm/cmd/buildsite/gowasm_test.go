package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// buildGoWasm builds a one-file Go program (main.go's text) for js/wasm
// with this toolchain's linker, with the go build flags given, and
// returns the module: the tests that check what buildsite does to a real
// Go module (merged data, the findfunctab fill, the memory minimum).
func buildGoWasm(t *testing.T, mainGo string, flags ...string) []byte {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module m\n\ngo 1.21\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(mainGo), 0o644)
	gobin, err := exec.LookPath("go") // go test puts $GOROOT/bin first in PATH
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gobin, append(append([]string{"build"}, flags...), "-o", "m.wasm", ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=")
	if o, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, o)
	}
	m, err := os.ReadFile(filepath.Join(dir, "m.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}
