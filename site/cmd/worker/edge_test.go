//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestEdgeShim runs js/edge_test.mjs in Node: the shim that keeps one Go
// instance across requests, with the Worker (requests on a reused
// instance answer as on a fresh one, consecutive and interleaved) and with
// testdata/faulty (an instance that panicked, exited, hit a fatal error or
// outgrew its memory is replaced; one that did not is kept). It needs
// node, as the workerd test does, and is skipped with it
// (CONNLAB_SKIP_WORKERD=1); make test-worker runs both.
func TestEdgeShim(t *testing.T) {
	if os.Getenv("CONNLAB_SKIP_WORKERD") == "1" {
		t.Skip("CONNLAB_SKIP_WORKERD=1: not running the Worker's shim tests")
	}
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("CONNLAB_REQUIRE_WORKERD") == "1" {
			t.Fatal("node not found: the shim's tests need Node.js (20 or later)")
		}
		t.Skip("node not found: the shim's tests need Node.js (20 or later)")
	}
	dir := t.TempDir()
	copyShim(t, dir)
	wasm := []string{"GOOS=js", "GOARCH=wasm"}
	run(t, ".", wasm, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "app.wasm"), ".")
	run(t, ".", wasm, "go", "build", "-o", filepath.Join(dir, "faulty.wasm"), "./testdata/faulty")
	scenarios, err := filepath.Abs(filepath.Join(repoRoot, "engine/session/testdata/scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "js/edge_test.mjs", dir, scenarios)
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.HasPrefix(line, "FAIL ") {
			t.Error(line)
		} else {
			t.Log(line)
		}
	}
	if err != nil {
		t.Fatalf("node js/edge_test.mjs: %v", err)
	}
}
