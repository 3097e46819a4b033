//go:build !(js && wasm)

// This test builds and runs a program, which js/wasm cannot (make
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

// TestRuns: the constant runs are the runs the session files need.
func TestRuns(t *testing.T) {
	for _, c := range []struct {
		got, b string
		n      int
	}{{aRun65535, "a", 65535}, {xRun3000, "x", 3000}, {uRun8000, "u", 8000}} {
		if c.got != strings.Repeat(c.b, c.n) {
			t.Errorf("run of %q: %d bytes, want %d of %q only", c.b, len(c.got), c.n, c.b)
		}
	}
}

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
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	probe := filepath.Join(t.TempDir(), "initprobe")
	if out, err := exec.Command(gobin, "build", "-o", probe, "./testdata/initprobe").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
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
