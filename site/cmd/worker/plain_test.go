//go:build unix

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// startPlain runs the Worker of dir (worker.mjs and the modules it imports)
// in workerd itself, as `workerd serve` with a config of its own: no
// wrangler dev, so none of its proxy, entry and asset workers, which grow
// under load with any Worker (testdata/leakrepro/README.md). The runtime
// keeps an inspector address, as under wrangler, so measureRSS counts it as
// the Worker's runtime. modules maps a module's name to its type in the
// config ("esModule", "wasm").
func startPlain(t *testing.T, dir string, modules [][2]string, ready string) *worker {
	t.Helper()
	wrangler := nodeModules(t)
	bin := filepath.Join(filepath.Dir(wrangler), "workerd")
	port := freePort(t)
	config := "using Workerd = import \"/workerd/workerd.capnp\";\n" +
		"const config :Workerd.Config = (\n" +
		"  services = [ (name = \"main\", worker = .w) ],\n" +
		fmt.Sprintf("  sockets = [ (name = \"http\", address = \"127.0.0.1:%d\", http = (), service = \"main\") ],\n);\n", port) +
		"const w :Workerd.Worker = (\n  modules = [\n"
	for _, m := range modules {
		config += fmt.Sprintf("    (name = %q, %s = embed %q),\n", m[0], m[1], m[0])
	}
	config += "  ],\n  compatibilityDate = \"2026-04-01\",\n);\n"
	if err := os.WriteFile(filepath.Join(dir, "plain.capnp"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--inspector-addr=127.0.0.1:0", "plain.capnp")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &worker{dir: dir, url: fmt.Sprintf("http://127.0.0.1:%d", port), pgid: cmd.Process.Pid}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		syscall.Kill(-w.pgid, syscall.SIGKILL)
		<-exited
		if t.Failed() {
			t.Logf("workerd output:\n%s", out.String())
		}
	})
	c := &http.Client{Timeout: 5 * time.Second}
	for deadline := time.Now().Add(60 * time.Second); ; {
		select {
		case <-exited:
			t.Fatalf("workerd exited before the Worker answered:\n%s", out.String())
		default:
		}
		res, err := c.Get(w.url + ready)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return w
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Worker did not answer %s within 60 s (last error %v):\n%s", ready, err, out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestWorkerdPlainMemory is TestWorkerdMemory's measurement (POST /api/run
// keep-alive.json, 8 clients, RSS every 1 000 requests, memLimits) of
// connlab's Worker in workerd without wrangler dev, then of the plain
// JavaScript Worker of testdata/leakrepro/js, the floor (make bench-worker).
func TestWorkerdPlainMemory(t *testing.T) {
	if os.Getenv("CONNLAB_BENCH") != "1" {
		t.Skip("CONNLAB_BENCH=1 runs the Worker's memory measurement (make bench-worker)")
	}
	total, limit := memLimits()
	data, err := os.ReadFile(filepath.Join(repoRoot, "engine/session/testdata/scenarios/keep-alive.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("connlab", func(t *testing.T) {
		w := buildWorker(t)
		dir := filepath.Dir(w.wasm)
		mods := [][2]string{{"worker.mjs", "esModule"}, {"edge.mjs", "esModule"}, {"wasm_exec.js", "esModule"}, {"app.wasm", "wasm"}}
		p := startPlain(t, dir, mods, "/api/health")
		res := measureRSS(t, p, "POST", "/api/run", data, total, limit)
		line, _ := json.Marshal(map[string]any{"worker": "connlab /api/run keep-alive.json, workerd serve (no wrangler dev)", "memory": res})
		fmt.Printf("%s\n", line)
	})
	t.Run("js", func(t *testing.T) {
		dir := t.TempDir()
		src, err := os.ReadFile(filepath.Join("testdata", "leakrepro", "js", "worker.mjs"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "worker.mjs"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		p := startPlain(t, dir, [][2]string{{"worker.mjs", "esModule"}}, "/")
		res := measureRSS(t, p, "GET", "/", nil, total, limit)
		line, _ := json.Marshal(map[string]any{"worker": "leakrepro/js, workerd serve (no wrangler dev)", "memory": res})
		fmt.Printf("%s\n", line)
	})
}
