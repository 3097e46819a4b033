package rustgen_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/rustgen"
	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/services"
	"github.com/connlab/connlab/engine/session"
)

// vendored are the crates the oracle's build.sh extracts into vendor-src/
// (patched in for crates.io, which is not reachable).
var vendored = []string{"hyper", "http", "http-body", "http-body-util", "httparse", "smallvec", "atomic-waker", "futures-core", "futures-channel", "futures-sink"}

// replayCargo is the Cargo.toml of the project that runs exported tests:
// the dependencies an exported test names, resolved offline as the
// oracle's are (its .cargo/config.toml; @SRC@ is the oracle's folder).
const replayCargo = `[package]
name = "connlab-replay"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
hyper = { version = "1", default-features = false, features = ["server", "client", "http1"] }
http-body-util = "0.1"
bytes = "1"
futures-channel = "0.3"
futures-util = { version = "0.3", default-features = false }
tokio = { version = "1", default-features = false, features = ["rt", "time", "io-util", "sync", "test-util"] }

[patch.crates-io]
`

// TestHyper1Replay exports every scenario session as a Rust test and runs
// them all against real hyper 1.x: set HYPER1_ORACLE_SRC to the oracle's
// folder once its build.sh has run (vendor-src/ and .cargo/config.toml;
// `make test-hyper1-export` does). Without it the test skips, so CI needs
// no Rust. HYPER1_REPLAY_ONLY (a regular expression) keeps the sessions
// whose names match. The Cargo project lives in HYPER1_REPLAY_DIR (default: a folder
// under the temporary directory, kept, so rebuilds are incremental).
// Sessions Export refuses are listed, not failed; an exported test that
// fails is an error naming what hyper did differently.
func TestHyper1Replay(t *testing.T) {
	src := os.Getenv("HYPER1_ORACLE_SRC")
	if src == "" {
		t.Skip("HYPER1_ORACLE_SRC is not set (the hyper1-oracle folder with vendor-src/, built by its build.sh)")
	}
	if runtime.GOOS == "js" {
		t.Skip("no cargo under js/wasm")
	}
	src, err := filepath.Abs(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range vendored {
		if _, err := os.Stat(filepath.Join(src, "vendor-src", c, "Cargo.toml")); err != nil {
			t.Fatalf("HYPER1_ORACLE_SRC=%s lacks vendor-src/%s (run its build.sh): %v", src, c, err)
		}
	}
	cargo, err := exec.LookPath("cargo")
	if err != nil {
		t.Fatalf("cargo: %v", err)
	}
	dir := os.Getenv("HYPER1_REPLAY_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "connlab-hyper1-replay")
	}
	gen := filepath.Join(dir, "tests", "gen")
	if err := os.RemoveAll(gen); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{gen, filepath.Join(dir, "src"), filepath.Join(dir, ".cargo")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	manifest := replayCargo
	for _, c := range vendored {
		manifest += c + ` = { path = "` + filepath.Join(src, "vendor-src", c) + `" }` + "\n"
	}
	config, err := os.ReadFile(filepath.Join(src, ".cargo", "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, path), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Cargo.toml", manifest)
	write(".cargo/config.toml", string(config))
	write("src/lib.rs", "// the exported tests are under tests/\n")

	var mods []string
	refused := map[string]string{}
	for _, c := range replayCases(t) {
		code, err := rustgen.Export(c.file, c.name)
		if err != nil {
			refused[c.name] = err.Error()
			continue
		}
		mod := strings.ReplaceAll(c.name, "-", "_")
		write(filepath.Join("tests", "gen", mod+".rs"), code)
		mods = append(mods, mod)
	}
	var all strings.Builder
	all.WriteString("// every exported session, each in a module of its own\n")
	for _, m := range mods {
		all.WriteString("mod " + m + " {\n    include!(\"gen/" + m + ".rs\");\n}\n")
	}
	write(filepath.Join("tests", "replay.rs"), all.String())

	cmd := exec.Command(cargo, "test", "--offline", "--test", "replay")
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	text := out.String()
	if strings.Contains(text, "error: could not compile") || strings.Contains(text, "error[E") {
		t.Fatalf("the exported tests do not compile (%v):\n%s", runErr, text)
	}

	passed, failed := 0, []string{}
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "test ") {
			continue
		}
		switch {
		case strings.HasSuffix(line, " ... ok"):
			passed++
		case strings.HasSuffix(line, " ... FAILED"):
			failed = append(failed, strings.TrimSuffix(strings.TrimPrefix(line, "test "), " ... FAILED"))
		}
	}
	names := make([]string, 0, len(refused))
	for n := range refused {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("not exported: %s: %s", n, refused[n])
	}
	t.Logf("real hyper 1.x: %d of %d exported sessions pass, %d fail, %d not exported", passed, len(mods), len(failed), len(refused))
	if passed+len(failed) != len(mods) {
		t.Fatalf("cargo ran %d tests for %d exported sessions (%v):\n%s", passed+len(failed), len(mods), runErr, text)
	}
	var unexpected []string
	for _, f := range failed {
		mod := f[:strings.Index(f+"::", "::")]
		if why, ok := knownDifferences[strings.ReplaceAll(mod, "_", "-")]; ok {
			t.Logf("known difference: %s: %s", mod, why)
			continue
		}
		unexpected = append(unexpected, f)
	}
	for name := range knownDifferences {
		mod := strings.ReplaceAll(name, "-", "_")
		ran := false
		for _, m := range mods {
			ran = ran || m == mod
		}
		if ran && !strings.Contains(text, "test "+mod+"::replay_"+mod+" ... FAILED") {
			t.Errorf("%s is listed in knownDifferences but hyper now agrees with connlab: remove it", name)
		}
	}
	if len(unexpected) > 0 {
		t.Errorf("hyper differs from connlab in %d sessions: %s\n%s", len(unexpected), strings.Join(unexpected, ", "), failures(text))
	}
}

// knownDifferences are sessions where real hyper does something else than
// connlab's engine, each with why; the test lists them and fails when one
// stops differing.
var knownDifferences = map[string]string{}

type replayCase struct {
	name string
	file *session.File
}

// replayCases are the sessions TestHyper1Replay runs: every scenario
// session of sessionDir; each of those with a catalog handler again with
// the handler's service program in its place (NAME-program), so both the
// hand-written Rust of the catalog and the Rust rendered from its program
// meet real hyper; and every library scenario with a service program of
// its own (library-NAME).
func replayCases(t *testing.T) []replayCase {
	t.Helper()
	var out []replayCase
	for _, name := range allScenarios(t) {
		f := scenario(t, name)
		out = append(out, replayCase{name, f})
		if f.Handler == "" {
			continue
		}
		h, ok := services.LookupHandler(f.Handler)
		if !ok || h.Program == "" {
			t.Fatalf("%s: handler %q has no program", name, f.Handler)
		}
		cp := *f
		cp.Handler = ""
		cp.ServiceProgram = strings.Split(h.Program, "\n")
		if err := cp.Validate(); err != nil {
			t.Fatalf("%s with the program of %s: %v", name, f.Handler, err)
		}
		out = append(out, replayCase{name + "-program", &cp})
	}
	for _, sc := range scenarios.Library() {
		f, err := sc.File()
		if err != nil {
			t.Fatal(err)
		}
		if f.ServiceProgram != nil {
			out = append(out, replayCase{"library-" + sc.Name, f})
		}
	}
	for name, text := range extraWebSocket {
		extraSessions[name] = text
	}
	for _, name := range sortedKeys(extraSessions) {
		f, err := session.ParseBytes([]byte(extraSessions[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, replayCase{name, f})
	}
	if only := os.Getenv("HYPER1_REPLAY_ONLY"); only != "" {
		re, err := regexp.Compile(only)
		if err != nil {
			t.Fatalf("HYPER1_REPLAY_ONLY: %v", err)
		}
		kept := out[:0]
		for _, c := range out {
			if re.MatchString(c.name) {
				kept = append(kept, c)
			}
		}
		out = kept
	}
	return out
}

// extraSessions are sessions no scenario has, for renderings the
// scenarios do not reach.
var extraSessions = map[string]string{
	// body request: the request body streamed back, whole and chunked
	"extra-body-request": `{"version":1,"mode":"server","service_program":["on POST /pipe","  respond 200 header \"X-Pipe: 1\" body request","default","  respond 404"],
		"input":[{"send":"POST /pipe HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"},{"send":"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"}]}`,
	"extra-body-request-chunked": `{"version":1,"mode":"server","service_program":["respond 200 body request"],
		"input":[{"send":"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"},{"wait_ms":10},{"send":"2\r\nde\r\n0\r\n\r\n"},{"shutdown":"write"}]}`,
}

// extraWebSocket are the WebSocket port's failure paths: frames (each
// closes with its code and reason) and handshakes (each a 400 saying why).
var extraWebSocket = map[string]string{
	"extra-ws-unmasked":           `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send_b64":"R0VUIC9jaGF0IEhUVFAvMS4xDQpIb3N0OiB4DQpVcGdyYWRlOiB3ZWJzb2NrZXQNCkNvbm5lY3Rpb246IFVwZ3JhZGUNClNlYy1XZWJTb2NrZXQtS2V5OiBkR2hsSUhOaGJYQnNaU0J1YjI1alpRPT0NClNlYy1XZWJTb2NrZXQtVmVyc2lvbjogMTMNCg0KgQJoaQ=="}]}`,
	"extra-ws-fragments":          `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send_b64":"R0VUIC9jaGF0IEhUVFAvMS4xDQpIb3N0OiB4DQpVcGdyYWRlOiB3ZWJzb2NrZXQNCkNvbm5lY3Rpb246IFVwZ3JhZGUNClNlYy1XZWJTb2NrZXQtS2V5OiBkR2hsSUhOaGJYQnNaU0J1YjI1alpRPT0NClNlYy1XZWJTb2NrZXQtVmVyc2lvbjogMTMNCg0KAYMBAgMEaWdv"},{"send_b64":"iYEBAgMEcYCCAQIDBG1t"},{"send_b64":"gv4AyAECAwQBAwEHBQcFAwkLCQ8NDw0LERMRFxUXFRMZGxkfHR8dGyEjISclJyUjKSspLy0vLSsxMzE3NTc1Mzk7OT89Pz07QUNBR0VHRUNJS0lPTU9NS1FTUVdVV1VTWVtZX11fXVthY2FnZWdlY2lraW9tb21rcXNxd3V3dXN5e3l/fX99e4GDgYeFh4WDiYuJj42PjYuRk5GXlZeVk5mbmZ+dn52boaOhp6WnpaOpq6mvra+tq7Gzsbe1t7Wzubu5v72/vbvBw8HHxcfFw4iFAQIDBALqYX1k"}]}`,
	"extra-ws-bad-utf8":           `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send_b64":"R0VUIC9jaGF0IEhUVFAvMS4xDQpIb3N0OiB4DQpVcGdyYWRlOiB3ZWJzb2NrZXQNCkNvbm5lY3Rpb246IFVwZ3JhZGUNClNlYy1XZWJTb2NrZXQtS2V5OiBkR2hsSUhOaGJYQnNaU0J1YjI1alpRPT0NClNlYy1XZWJTb2NrZXQtVmVyc2lvbjogMTMNCg0KgYIBAgME/vw="}]}`,
	"extra-ws-bad-close":          `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send_b64":"R0VUIC9jaGF0IEhUVFAvMS4xDQpIb3N0OiB4DQpVcGdyYWRlOiB3ZWJzb2NrZXQNCkNvbm5lY3Rpb246IFVwZ3JhZGUNClNlYy1XZWJTb2NrZXQtS2V5OiBkR2hsSUhOaGJYQnNaU0J1YjI1alpRPT0NClNlYy1XZWJTb2NrZXQtVmVyc2lvbjogMTMNCg0KiIIBAgMEAu8="}]}`,
	"extra-ws-reserved":           `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send_b64":"R0VUIC9jaGF0IEhUVFAvMS4xDQpIb3N0OiB4DQpVcGdyYWRlOiB3ZWJzb2NrZXQNCkNvbm5lY3Rpb246IFVwZ3JhZGUNClNlYy1XZWJTb2NrZXQtS2V5OiBkR2hsSUhOaGJYQnNaU0J1YjI1alpRPT0NClNlYy1XZWJTb2NrZXQtVmVyc2lvbjogMTMNCg0Kg4EBAgMEeQ=="},{"send_b64":"gYUBAgMEb2d1YXM="}]}`,
	"extra-ws-rsv":                `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send_b64":"R0VUIC9jaGF0IEhUVFAvMS4xDQpIb3N0OiB4DQpVcGdyYWRlOiB3ZWJzb2NrZXQNCkNvbm5lY3Rpb246IFVwZ3JhZGUNClNlYy1XZWJTb2NrZXQtS2V5OiBkR2hsSUhOaGJYQnNaU0J1YjI1alpRPT0NClNlYy1XZWJTb2NrZXQtVmVyc2lvbjogMTMNCg0KwYEBAgMEeQ=="}]}`,
	"extra-ws-continuation-first": `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send_b64":"R0VUIC9jaGF0IEhUVFAvMS4xDQpIb3N0OiB4DQpVcGdyYWRlOiB3ZWJzb2NrZXQNCkNvbm5lY3Rpb246IFVwZ3JhZGUNClNlYy1XZWJTb2NrZXQtS2V5OiBkR2hsSUhOaGJYQnNaU0J1YjI1alpRPT0NClNlYy1XZWJTb2NrZXQtVmVyc2lvbjogMTMNCg0KgIEBAgMEeQ=="}]}`,
	"extra-ws-eof":                `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send_b64":"R0VUIC9jaGF0IEhUVFAvMS4xDQpIb3N0OiB4DQpVcGdyYWRlOiB3ZWJzb2NrZXQNCkNvbm5lY3Rpb246IFVwZ3JhZGUNClNlYy1XZWJTb2NrZXQtS2V5OiBkR2hsSUhOaGJYQnNaU0J1YjI1alpRPT0NClNlYy1XZWJTb2NrZXQtVmVyc2lvbjogMTMNCg0KgYEBAgMEYA=="},{"shutdown":"write"}]}`,
	"extra-ws-post":               `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send":"POST /chat HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"}]}`,
	"extra-ws-no-key":             `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send":"GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n"}]}`,
	"extra-ws-two-keys":           `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send":"GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"}]}`,
	"extra-ws-short-key":          `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send":"GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: abcd\r\nSec-WebSocket-Version: 13\r\n\r\n"}]}`,
	"extra-ws-no-connection":      `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send":"GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"}]}`,
	"extra-ws-http10":             `{"version":1,"mode":"server","handler":"upgrade-ws","input":[{"send":"GET /chat HTTP/1.0\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"}]}`,
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// failures is the part of cargo's output that says why tests failed.
func failures(text string) string {
	i := strings.Index(text, "\nfailures:\n")
	if i < 0 {
		return text
	}
	return text[i:]
}
