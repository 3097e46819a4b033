//go:build unix

package main

// The end-to-end test of the Worker: build it (GOOS=js GOARCH=wasm, as
// `make worker` does), start it in workerd through wrangler dev with the
// project's own wrangler.toml, and check it over HTTP against the CLI.
//
// It needs Node.js and site/node_modules (npm ci --prefix site); it runs
// npm ci itself when node_modules is missing or older than the lockfile.
// CONNLAB_SKIP_WORKERD=1 skips it. Without node it is skipped too, unless
// CONNLAB_REQUIRE_WORKERD=1 (set by `make test-worker`, after node-check).

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/connlab/connlab/site/api"
	"github.com/connlab/connlab/site/sitetest"
)

// maxWorkerGzip is the free plan's limit on a Worker's compressed size.
const maxWorkerGzip = 3 << 20

// repoRoot is the module root, seen from this package's directory.
const repoRoot = "../../.."

// worker is a Worker running in workerd.
type worker struct {
	url      string // http://127.0.0.1:PORT
	dir      string // the temporary project: wrangler.toml, build/worker, dist
	wasm     string // the built app.wasm
	cli      string // the connlab CLI
	wrangler string
	env      []string
	pgid     int // wrangler's process group: wrangler, its node children, workerd
	// ready, when set, is the path start polls for a 200 (the leak
	// reproduction's workers, which have no /api/health)
	ready string
	// args are more wrangler dev arguments (--var NAME:VALUE)
	args []string
}

// lockedBuffer collects a process's output from two pipes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// run runs a command, failing the test with its output if it fails.
func run(t testing.TB, dir string, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// nodeModules makes sure site/node_modules matches site/package-lock.json
// and returns the wrangler executable.
func nodeModules(t testing.TB) string {
	t.Helper()
	site, err := filepath.Abs(filepath.Join(repoRoot, "site"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := fmt.Sprintf("%s not found: the workerd test needs Node.js (20 or later); `make test-worker` installs it", tool)
			if os.Getenv("CONNLAB_REQUIRE_WORKERD") == "1" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	wrangler := filepath.Join(site, "node_modules", ".bin", "wrangler")
	lock, err := os.Stat(filepath.Join(site, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	installed, err := os.Stat(filepath.Join(site, "node_modules", ".package-lock.json"))
	if _, werr := os.Stat(wrangler); err != nil || werr != nil || installed.ModTime().Before(lock.ModTime()) {
		t.Logf("site/node_modules is missing or older than package-lock.json: npm ci --prefix site")
		run(t, repoRoot, nil, "npm", "ci", "--prefix", "site", "--no-audit", "--no-fund")
	}
	return wrangler
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// buildWorker builds the Worker and a project directory for wrangler: the
// repository's wrangler.toml, build/worker as `make worker` makes it, and
// dist with the fixtures and the generated _headers and .assetsignore.
func buildWorker(t testing.TB) *worker {
	t.Helper()
	dir := t.TempDir()
	w := &worker{dir: dir, wasm: filepath.Join(dir, "build", "worker", "app.wasm"), cli: filepath.Join(dir, "connlab")}
	toml, err := os.ReadFile(filepath.Join(repoRoot, "site", "wrangler.toml"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, data string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("wrangler.toml", string(toml))
	// the site's fixtures and what make worker adds to them (worker-assets):
	// never site/dist, which make site owns
	sitetest.WriteSite(t, filepath.Join(dir, "dist"))
	// the same commands as the Makefile's worker target
	copyShim(t, filepath.Join(dir, "build", "worker"))
	run(t, ".", []string{"GOOS=js", "GOARCH=wasm"}, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", w.wasm, ".")
	run(t, repoRoot, nil, "go", "build", "-o", w.cli, "./engine/cmd/connlab")
	return w
}

// copyShim copies the Worker's JavaScript into dir, as the Makefile's
// worker-wasm target does: js/worker.mjs, js/edge.mjs and the Go
// toolchain's wasm_exec.js.
func copyShim(t testing.TB, dir string) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	goroot := strings.TrimSpace(string(out))
	for _, src := range []string{"js/worker.mjs", "js/edge.mjs", filepath.Join(goroot, "lib", "wasm", "wasm_exec.js")} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// wasmSize is the Worker wasm's size, raw and gzipped.
func wasmSize(t testing.TB, path string) (raw, gz int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	return len(data), buf.Len()
}

// start runs wrangler dev in its own process group and waits until the
// Worker answers /api/health. Cleanup stops the whole group.
func (w *worker) start(t testing.TB) {
	t.Helper()
	w.wrangler = nodeModules(t)
	port := freePort(t)
	w.url = fmt.Sprintf("http://127.0.0.1:%d", port)
	w.env = []string{
		"WRANGLER_SEND_METRICS=false",
		"CLOUDFLARE_CF_FETCH_ENABLED=false",
		"WRANGLER_LOG_PATH=" + filepath.Join(w.dir, "logs"),
		"XDG_CONFIG_HOME=" + filepath.Join(w.dir, "config"),
		"NO_COLOR=1",
	}
	args := []string{"dev", "--local", "--ip", "127.0.0.1", "--port", fmt.Sprint(port),
		"--inspector-port", fmt.Sprint(freePort(t)), "--show-interactive-dev-session=false", "--live-reload=false"}
	cmd := exec.Command(w.wrangler, append(args, w.args...)...)
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(), w.env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	w.pgid = pgid
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		// wrangler, its node children and workerd share the group
		syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Logf("wrangler still running 10 s after SIGTERM: killing its process group")
		}
		syscall.Kill(-pgid, syscall.SIGKILL) // whatever is left of the group
		<-exited
		if t.Failed() {
			t.Logf("wrangler output:\n%s", out.String())
		}
	})

	deadline := time.Now().Add(90 * time.Second)
	c := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case <-exited:
			t.Fatalf("wrangler dev exited before the Worker answered:\n%s", out.String())
		default:
		}
		if w.ready != "" {
			res, err := c.Get(w.url + w.ready)
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					return
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("the Worker did not answer %s within 90 s (last error %v):\n%s", w.ready, err, out.String())
			}
			time.Sleep(200 * time.Millisecond)
			continue
		}
		res, err := c.Get(w.url + "/api/health")
		if err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			var h api.Health
			if res.StatusCode == 200 && json.Unmarshal(body, &h) == nil {
				if h.Platform != "js/wasm" {
					t.Fatalf("/api/health answered by %q, not the js/wasm Worker: %s", h.Platform, body)
				}
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Worker did not answer /api/health within 90 s (last error %v):\n%s", err, out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func startWorker(t *testing.T) *worker {
	t.Helper()
	if os.Getenv("CONNLAB_SKIP_WORKERD") == "1" {
		t.Skip("CONNLAB_SKIP_WORKERD=1: not running the Worker in workerd")
	}
	w := buildWorker(t)
	raw, gz := wasmSize(t, w.wasm)
	t.Logf("worker wasm: %d bytes, %d gzipped (limit %d)", raw, gz, maxWorkerGzip)
	if gz > maxWorkerGzip {
		t.Errorf("the Worker's wasm is %d bytes gzipped, over the free plan's %d", gz, maxWorkerGzip)
	}
	w.start(t)
	return w
}

// client never waits long: a hang is a failure.
var client = &http.Client{Timeout: 30 * time.Second}

func (w *worker) do(t *testing.T, method, path string, body io.Reader, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, w.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return res, data
}

// cliRun runs `connlab run FILE args...` and returns its standard output.
func (w *worker) cliRun(t *testing.T, file string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(w.cli, append([]string{"run", file}, args...)...)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		// 1 is a session that ended in a runtime error; it still prints
		t.Fatalf("connlab run %s: %v", file, err)
	}
	return out
}

func sameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: the Worker's answer is not JSON: %v\n%s", what, err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: the CLI's output is not JSON: %v\n%s", what, err, want)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: the Worker's transcript differs from the CLI's\nworker: %.2000s\ncli:    %.2000s", what, got, want)
	}
}

func apiError(t *testing.T, what string, res *http.Response, body []byte, status int, code, key string) {
	t.Helper()
	if res.StatusCode != status {
		t.Errorf("%s: status %d, want %d: %s", what, res.StatusCode, status, body)
		return
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	var e struct{ Error api.Error }
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != code || e.Error.Key != key || e.Error.Message == "" {
		t.Errorf("%s: error %s, want code %q key %q", what, body, code, key)
	}
}

func TestWorkerd(t *testing.T) {
	w := startWorker(t)
	scenarios, err := filepath.Glob(filepath.Join(repoRoot, "engine/session/testdata/scenarios/*.json"))
	if err != nil || len(scenarios) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	sort.Strings(scenarios)

	t.Run("run matches the CLI", func(t *testing.T) {
		n := 0
		for _, file := range scenarios {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if len(data) > 64<<10 {
				continue // over the API's limit: see "bad input"
			}
			res, body := w.do(t, "POST", "/api/run", bytes.NewReader(data), nil)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
				t.Errorf("%s: %d %s: %s", file, res.StatusCode, res.Header.Get("Content-Type"), body)
				continue
			}
			sameJSON(t, filepath.Base(file), body, w.cliRun(t, file))
			n++
		}
		t.Logf("%d scenario transcripts match the CLI's", n)
	})

	t.Run("events and text match the CLI", func(t *testing.T) {
		for _, name := range []string{"chunked-echo", "pipeline-17", "client-typed", "ws-echo"} {
			file := filepath.Join(repoRoot, "engine/session/testdata/scenarios", name+".json")
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			_, body := w.do(t, "POST", "/api/run?events=1", bytes.NewReader(data), nil)
			sameJSON(t, name+" ?events=1", body, w.cliRun(t, file, "--events"))
			res, text := w.do(t, "POST", "/api/run?text=1", bytes.NewReader(data), nil)
			if res.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Errorf("%s ?text=1: Content-Type %q", name, res.Header.Get("Content-Type"))
			}
			if want := w.cliRun(t, file, "--text"); !bytes.Equal(text, want) {
				t.Errorf("%s ?text=1 differs from connlab run --text\nworker: %s\ncli:    %s", name, text, want)
			}
		}
	})

	t.Run("api headers and routes", func(t *testing.T) {
		res, body := w.do(t, "GET", "/api/scenarios", nil, nil)
		var sc api.Scenarios
		if res.StatusCode != 200 || json.Unmarshal(body, &sc) != nil || len(sc.Scenarios) == 0 {
			t.Errorf("/api/scenarios: %d %.300s", res.StatusCode, body)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Content-Security-Policy": api.APICSP} {
			if got := res.Header.Get(k); got != want {
				t.Errorf("/api/scenarios %s: %q, want %q", k, got, want)
			}
		}
		res, body = w.do(t, "GET", "/api/nope", nil, nil)
		apiError(t, "unknown API route", res, body, 404, api.CodeNotFound, "")
	})

	// the table the native server is held to as well (site/cmd/serve)
	t.Run("route table", func(t *testing.T) { sitetest.Check(t, w.url) })

	t.Run("bad input", func(t *testing.T) {
		post := func(path, body string) (*http.Response, []byte) {
			return w.do(t, "POST", path, strings.NewReader(body), nil)
		}
		res, body := post("/api/run", `{"version": 1, "handler": "hello",`)
		apiError(t, "invalid JSON", res, body, 400, api.CodeInvalidJSON, "")
		res, body = post("/api/run", `{"version": 1, "handler": "hello", "server_options": {"keepalive": true}}`)
		apiError(t, "unknown key", res, body, 400, api.CodeUnknownKey, "keepalive")
		res, body = post("/api/run", `{"version": 1, "handler": "nope"}`)
		apiError(t, "unknown handler", res, body, 400, api.CodeInvalidSession, "handler")
		big := `{"version": 1, "handler": "hello", "input": [{"send": "` + strings.Repeat("x", 70000) + `"}]}`
		res, body = post("/api/run", big)
		apiError(t, "oversize", res, body, 413, api.CodeBodyTooLarge, "")
		// the same without Content-Length (chunked)
		res, body = w.do(t, "POST", "/api/run", io.MultiReader(strings.NewReader(big)), nil)
		apiError(t, "oversize, chunked", res, body, 413, api.CodeBodyTooLarge, "")
		uri, err := os.ReadFile(filepath.Join(repoRoot, "engine/session/testdata/scenarios/uri-too-long.json"))
		if err != nil {
			t.Fatal(err)
		}
		res, body = post("/api/run", string(uri))
		apiError(t, "uri-too-long scenario (over 64 KiB)", res, body, 413, api.CodeBodyTooLarge, "")
		res, body = w.do(t, "GET", "/api/run", nil, nil)
		apiError(t, "wrong method", res, body, 405, api.CodeMethodNotAllowed, "")
		if res.Header.Get("Allow") != "POST, OPTIONS" {
			t.Errorf("405 Allow %q, want POST, OPTIONS", res.Header.Get("Allow"))
		}
		res, body = post("/api/health", ``)
		apiError(t, "POST health", res, body, 405, api.CodeMethodNotAllowed, "")
		res, body = post("/api/run", `{"version": 1, "handler": "hello", "step_budget": 1000000000}`)
		apiError(t, "step budget over the maximum", res, body, 422, api.CodeStepBudget, "step_budget")
		slow := fmt.Sprintf(`{"version": 1, "handler": "echo", "step_budget": 20, "transport": {"read_chunk": 1}, "input": [{"send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 200\r\n\r\n%s"}]}`, strings.Repeat("x", 200))
		res, body = post("/api/run", slow)
		apiError(t, "session over its step budget", res, body, 422, api.CodeBudgetExceeded, "step_budget")
		res, body = post("/api/run?events=maybe", `{"version": 1, "handler": "hello"}`)
		apiError(t, "bad query", res, body, 400, api.CodeBadQuery, "events")
	})

	t.Run("one Go instance", func(t *testing.T) {
		// the same build with Server-Timing, which names the instance that
		// served each request and its count of requests
		tw := &worker{dir: w.dir, args: []string{"--var", "CONNLAB_SERVER_TIMING:1"}}
		tw.start(t)
		desc := regexp.MustCompile(`instance;desc="([0-9]+) ([0-9]+)"`)
		first := ""
		for i := range 10 {
			res, body := tw.do(t, "POST", "/api/run", strings.NewReader(sitetest.RunSession), nil)
			m := desc.FindStringSubmatch(res.Header.Get("Server-Timing"))
			if res.StatusCode != 200 || m == nil {
				t.Fatalf("%d, Server-Timing %q: %.200s", res.StatusCode, res.Header.Get("Server-Timing"), body)
			}
			if i == 0 {
				first = m[1]
			}
			if m[1] != first {
				t.Errorf("request %d was served by instance %s, the first by %s: the Worker does not keep its Go instance", i, m[1], first)
			}
		}
	})

	t.Run("wall time", func(t *testing.T) {
		// a run of some 30 000 steps (a body read byte by byte) takes tens
		// of milliseconds in workerd: within the default budget of 1 s ...
		long := `{"version": 1, "handler": "echo", "transport": {"read_chunk": 1}, "input": [{"send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 30000\r\n\r\n` + strings.Repeat("x", 30000) + `"}]}`
		start := time.Now()
		res, body := w.do(t, "POST", "/api/run", strings.NewReader(long), nil)
		if res.StatusCode != 200 {
			t.Fatalf("the long run with the default budget: %d %.300s", res.StatusCode, body)
		}
		t.Logf("30 000 steps in workerd: %v from request to last byte", time.Since(start).Round(time.Millisecond))
		// ... and cut in a Worker whose budget is 1 ms (the same build and
		// project, started again with CONNLAB_MAX_RUN_MS=1)
		cut := &worker{dir: w.dir, args: []string{"--var", "CONNLAB_MAX_RUN_MS:1"}}
		cut.start(t)
		res, body = cut.do(t, "POST", "/api/run", strings.NewReader(long), nil)
		apiError(t, "a run over the wall time", res, body, 503, api.CodeTimeBudget, "")
		if !strings.Contains(string(body), "run cut after") || !strings.Contains(string(body), "limit is 1 ms") {
			t.Errorf("the 503 does not name the limit: %s", body)
		}
		res, body = cut.do(t, "POST", "/api/run", strings.NewReader(sitetest.RunSession), nil)
		if res.StatusCode != 200 {
			t.Errorf("a short run in the 1 ms Worker: %d %s", res.StatusCode, body)
		}
	})
}

// TestWorkerdBench measures what `make bench-worker` prints: the Worker's
// size (its wasm raw and gzipped, and the upload wrangler reports) and the
// wall time of /api/run for a small session in workerd: p50, p99 and
// requests per second from one client and from eight at once; where the
// time goes (the shim's and the API's phases, with the Go instance reused
// and with one per request); and the floor, a plain JavaScript Worker
// under the same wrangler dev. CONNLAB_BENCH=1 runs it.
func TestWorkerdBench(t *testing.T) {
	if os.Getenv("CONNLAB_BENCH") != "1" {
		t.Skip("CONNLAB_BENCH=1 runs the Worker benchmark (make bench-worker)")
	}
	w := startWorker(t)
	raw, gz := wasmSize(t, w.wasm)

	// wrangler's own figure for the upload: worker bundle plus wasm
	cmd := exec.Command(w.wrangler, "deploy", "--dry-run", "--outdir", filepath.Join(w.dir, "out"))
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(), w.env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("wrangler deploy --dry-run: %v\n%s", err, out)
	}
	upload := regexp.MustCompile(`Total Upload: ([0-9.]+ KiB) / gzip: ([0-9.]+ KiB)`).FindStringSubmatch(string(out))
	if upload == nil {
		t.Fatalf("no Total Upload line in wrangler's output:\n%s", out)
	}

	file := filepath.Join(repoRoot, "engine/session/testdata/scenarios/keep-alive.json")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 { // warm-up: workerd compiles the wasm on first use
		w.do(t, "POST", "/api/run", bytes.NewReader(data), nil)
	}
	// one client, one request at a time: the latency of an idle Worker
	seq := load(t, w, "/api/run", data, 1, 300, nil)
	// eight clients at once: the throughput, and the latency under load
	par := load(t, w, "/api/run", data, 8, 3000, nil)

	// Where the time goes: the same build started again with the phases in
	// Server-Timing, reusing its Go instance as always, and once more
	// starting an instance per request, as syumai/workers' shim did.
	phases := func(vars ...string) (*breakdown, loadResult, loadResult) {
		tw := &worker{dir: w.dir}
		for _, v := range vars {
			tw.args = append(tw.args, "--var", v)
		}
		tw.start(t)
		for range 20 {
			tw.do(t, "POST", "/api/run", bytes.NewReader(data), nil)
		}
		b := &breakdown{}
		one := load(t, tw, "/api/run", data, 1, 300, b.add)
		eight := load(t, tw, "/api/run", data, 8, 1000, nil)
		return b, one, eight
	}
	// The floor: wrangler dev's own cost, a plain JavaScript Worker
	// (testdata/leakrepro/js) answering a small JSON body, no Go.
	floor := &worker{dir: t.TempDir(), ready: "/"}
	for _, name := range []string{"worker.mjs", "wrangler.toml"} {
		src, err := os.ReadFile(filepath.Join("testdata", "leakrepro", "js", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(floor.dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	floor.start(t)
	for range 20 {
		floor.do(t, "POST", "/", bytes.NewReader(data), nil)
	}
	floorSeq := load(t, floor, "/", data, 1, 300, nil)
	floorPar := load(t, floor, "/", data, 8, 3000, nil)
	reused, _, _ := phases("CONNLAB_SERVER_TIMING:1")
	fresh, freshSeq, freshPar := phases("CONNLAB_SERVER_TIMING:1", "CONNLAB_EDGE_FRESH:1")
	line, _ := json.Marshal(map[string]any{
		"breakdown_reused_instance": reused.stats(),
		"breakdown_fresh_instance":  fresh.stats(),
		"fresh_instance_1_client":   freshSeq,
		"fresh_instance_8_clients":  freshPar,
		"floor_js_worker_1_client":  floorSeq,
		"floor_js_worker_8_clients": floorPar,
	})
	fmt.Printf("%s\n", line)
	for _, b := range []struct {
		name string
		b    *breakdown
	}{{"reused instance", reused}, {"instance per request", fresh}} {
		for _, p := range b.b.stats() {
			t.Logf("%-20s %-12s mean %7.3f ms  p50 %7.3f ms", b.name, p.Phase, p.MeanMS, p.P50MS)
		}
	}
	line, _ = json.Marshal(map[string]any{
		"worker_wasm_bytes":      raw,
		"worker_wasm_gzip_bytes": gz,
		"wrangler_upload":        upload[1],
		"wrangler_upload_gzip":   upload[2],
		"gzip_limit_bytes":       maxWorkerGzip,
		"api_run_session":        "keep-alive.json",
		"api_run_1_client":       seq,
		"api_run_8_clients":      par,
	})
	fmt.Printf("%s\n", line)
	if gz > maxWorkerGzip {
		t.Errorf("the Worker's wasm is %d bytes gzipped, over the free plan's %d", gz, maxWorkerGzip)
	}
}
