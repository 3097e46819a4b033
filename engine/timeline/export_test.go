package timeline

import (
	"bytes"
	"go/format"
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

// exportScenarios cover the modes, an error result, binary bytes and an
// upgrade.
var exportScenarios = []string{"pipeline-2", "continue-echo", "bad-request", "reset-mid-body", "client-typed", "seed001-deadlock", "upgrade-echo-leftover", "ws-echo"}

func TestExportGoTestSource(t *testing.T) {
	for _, name := range exportScenarios {
		f := loadScenario(t, scenarioPath(name))
		src, err := ExportGoTest(f, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, name+"_test.go", src, 0)
		if err != nil {
			t.Fatalf("%s: exported source does not parse: %v\n%s", name, err, src)
		}
		if file.Name.Name != ExportPackage || !bytes.Contains(src, []byte("func TestReplay"+exportName(name)+"(t *testing.T)")) {
			t.Fatalf("%s: package %s", name, file.Name.Name)
		}
		// gofmt-clean as generated (session does not link go/format, to
		// keep the browser build small)
		if formatted, err := format.Source(src); err != nil || !bytes.Equal(formatted, src) {
			t.Fatalf("%s: exported source is not gofmt-clean (%v)", name, err)
		}
		// the embedded byte literals are exactly the transcript's bytes
		s := runScenario(t, loadScenario(t, scenarioPath(name)), false)
		for _, want := range [][]byte{s.ToServer(), s.ToClient()} {
			lit := goStringLiteral(string(want), false)
			if !bytes.Contains(src, []byte(lit)) {
				t.Fatalf("%s: the literal for %q is missing", name, want)
			}
			if got := unquoteConcat(t, lit); got != string(want) {
				t.Fatalf("%s: literal decodes to %q, want %q", name, got, want)
			}
		}
	}
	if exportName("seed001-deadlock") != "Seed001Deadlock" || exportName("--") != "Session" || exportName("a b.json") != "ABJson" {
		t.Fatal("exportName")
	}
}

// TestExportNames: ExportGoTest's ASCII exportName names a test as
// ExportTestName (Unicode letters and digits, what connlab export --go
// passes) does for every ASCII name, and keeps ExportTestName's result of
// any name as it is.
func TestExportNames(t *testing.T) {
	for _, c := range [][2]string{
		{"seed001-deadlock", "Seed001Deadlock"}, {"--", "Session"}, {"", "Session"}, {"a b.json", "ABJson"},
		{"café-crème", "CaféCrème"}, {"éa", "Éa"}, {"ß→x", "ßX"}, {"日本-語", "日本語"}, {"x٣y", "X٣y"}, {"→", "Session"},
	} {
		if got := ExportTestName(c[0]); got != c[1] {
			t.Errorf("ExportTestName(%q) = %q, want %q", c[0], got, c[1])
		}
		if got := exportName(c[1]); got != c[1] {
			t.Errorf("exportName(%q) = %q: it changed ExportTestName's result", c[1], got)
		}
	}
	for c := 0; c < 0x80; c++ {
		for _, name := range []string{string(rune(c)), "a" + string(rune(c)) + "b", string(rune(c)) + "z9"} {
			if got, want := exportName(name), ExportTestName(name); got != want {
				t.Errorf("exportName(%q) = %q, ExportTestName %q", name, got, want)
			}
		}
	}
}

// unquoteConcat evaluates "a" +\n\t\t"b" as goStringLiteral writes it.
func unquoteConcat(t *testing.T, lit string) string {
	t.Helper()
	var b strings.Builder
	for _, part := range strings.Split(lit, " +\n\t\t") {
		s, err := strconv.Unquote(part)
		if err != nil {
			t.Fatalf("%s: %v", part, err)
		}
		b.WriteString(s)
	}
	return b.String()
}

// repoRoot is the module root (two levels up from engine/session).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !bytes.Contains(data, []byte("module github.com/connlab/connlab\n")) {
		t.Fatalf("%s is not the connlab module root: %v", root, err)
	}
	return root
}

// goVersion is the go line of the repository's go.mod.
func goVersion(t *testing.T, root string) string {
	data, _ := os.ReadFile(filepath.Join(root, "go.mod"))
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "go "); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatal("no go line in go.mod")
	return ""
}

// TestExportedTestsCompileAndPass writes exported tests into a module of
// their own that requires this repository (replaced by the working tree),
// runs go test on them offline, then tampers with one expected byte and
// shows the test fails naming the stream.
func TestExportedTestsCompileAndPass(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("no go command under js/wasm; the native run covers this")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	root := repoRoot(t)
	dir := t.TempDir()
	gomod := "module connlab.test/export\n\ngo " + goVersion(t, root) + "\n\n" +
		"require github.com/connlab/connlab v0.0.0\n\n" +
		"replace github.com/connlab/connlab => " + filepath.ToSlash(root) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	// the repository's go.sum vouches for its dependencies (the JSON
	// tokenizer), which are in the module cache already
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, name := range exportScenarios {
		src, err := ExportGoTest(loadScenario(t, scenarioPath(name)), name)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, strings.ReplaceAll(name, "-", "_")+"_test.go")
		files[name] = p
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goTest := func() (string, error) {
		cmd := exec.Command(gobin, "test", "-count=1", "-v", ".")
		cmd.Dir = dir
		// offline: the dependencies come from the module cache
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := goTest()
	if err != nil {
		t.Fatalf("exported tests fail: %v\n%s", err, out)
	}
	for _, name := range exportScenarios {
		if !strings.Contains(out, "--- PASS: TestReplay"+exportName(name)) {
			t.Fatalf("TestReplay%s did not run:\n%s", exportName(name), out)
		}
	}

	// the engine's output "changes": one byte of an expected response
	p := files["pipeline-2"]
	src, _ := os.ReadFile(p)
	tampered := bytes.Replace(src, []byte(`"HTTP/1.1 200 OK\r\n"`), []byte(`"HTTP/1.1 201 OK\r\n"`), 1)
	if bytes.Equal(tampered, src) {
		t.Fatal("nothing to tamper with in the exported pipeline-2 test")
	}
	if err := os.WriteFile(p, tampered, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = goTest()
	if err == nil {
		t.Fatalf("a tampered expectation passed:\n%s", out)
	}
	if !strings.Contains(out, "--- FAIL: TestReplayPipeline2") || !strings.Contains(out, "to_client differs at byte 11") {
		t.Fatalf("the failure does not name the stream and byte:\n%s", out)
	}
	if strings.Contains(out, "--- FAIL: TestReplayContinueEcho") {
		t.Fatalf("an untouched export failed:\n%s", out)
	}
}
