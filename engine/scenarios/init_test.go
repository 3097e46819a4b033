//go:build !(js && wasm)

// These tests build and run a program, which js/wasm cannot (make
// test-wasm runs the engine's tests there too).

package scenarios

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestInitAllocatesLittle: loading the package builds no session text (the
// library is laid out by the compiler; its init only orders the entries),
// so the browser sandbox's start does not pay for scenarios it does not
// show. It builds testdata/initprobe (a program that only loads the
// package: the test binary's init would include the tests' own tables),
// runs it with GODEBUG=inittrace=1 and reads the package's line.
func TestInitAllocatesLittle(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	probe := buildProbe(t)
	cmd := exec.Command(probe)
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	m := regexp.MustCompile(`init github.com/connlab/connlab/engine/scenarios @\S+ ms, \S+ ms clock, (\d+) bytes, (\d+) allocs`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no inittrace line for the package in:\n%s", out)
	}
	bytes, _ := strconv.Atoi(string(m[1]))
	// one slice of the entries in Library's order (about 50 entries of
	// 240 bytes: 12 KB); building the session texts at init was 230 KB
	if limit := 32 << 10; bytes > limit {
		t.Errorf("the package's init allocates %d bytes (%s allocs), want at most %d", bytes, m[2], limit)
	}
	t.Logf("init: %s bytes, %s allocs", m[1], m[2])
}

// buildProbe builds testdata/initprobe with the environment env added.
func buildProbe(t *testing.T, env ...string) string {
	t.Helper()
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	probe := filepath.Join(t.TempDir(), "initprobe")
	cmd := exec.Command(gobin, "build", "-o", probe, "./testdata/initprobe")
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return probe
}

// TestRunsLeaveTheData: the long runs are not in the program's data (the
// browser decodes every byte of the wasm before the page starts; as
// constants they were 81 KB of it): initprobe, built for js/wasm, holds no
// run of a thousand of their bytes. The entries hold marks (runs.go).
func TestRunsLeaveTheData(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	wasm, err := os.ReadFile(buildProbe(t, "GOOS=js", "GOARCH=wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(wasm), "Content-Length: 8000") {
		t.Fatal("the probe does not hold the library's session texts: the test would prove nothing")
	}
	for _, r := range longRuns {
		if run := strings.Repeat(string(r.b), 1000); strings.Contains(string(wasm), run) {
			t.Errorf("the wasm holds a run of 1000 %q (of the %d a session needs)", r.b, r.n)
		}
	}
	t.Logf("initprobe.wasm: %d bytes", len(wasm))
}
