//go:build !js

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/connlab/connlab/site/api"
)

// writeSite writes a small built site into a temporary directory.
func writeSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":                      "<!doctype html><title>connlab</title>",
		"assets/connlab.0123abcd.wasm":    "\x00asm\x01\x00\x00\x00",
		"assets/connlab.0123abcd.wasm.br": "br",
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(Handler(writeSite(t), nil, true))
	defer srv.Close()
	// http.Client would add Accept-Encoding: gzip itself; be explicit
	tr := &http.Transport{DisableCompression: true}
	c := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()

	req, _ := http.NewRequest("GET", srv.URL+"/assets/connlab.0123abcd.wasm", nil)
	req.Header.Set("Accept-Encoding", "br")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "br" || res.Header.Get("Content-Type") != "application/wasm" ||
		res.Header.Get("Content-Encoding") != "br" || res.Header.Get("Cache-Control") != api.CacheImmutable {
		t.Errorf("wasm: %d %q %v", res.StatusCode, body, res.Header)
	}

	res, err = c.Post(srv.URL+"/api/run?text=1", "application/json",
		strings.NewReader(`{"version": 1, "handler": "hello", "input": [{"send": "GET / HTTP/1.1\r\nHost: x\r\n\r\n"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "HTTP/1.1 200 OK") {
		t.Errorf("/api/run?text=1: %d %s", res.StatusCode, body)
	}

	res, err = c.Get(srv.URL + "/api/health")
	if err != nil {
		t.Fatal(err)
	}
	var h api.Health
	err = json.NewDecoder(res.Body).Decode(&h)
	res.Body.Close()
	if err != nil || h.Status != "ok" {
		t.Errorf("/api/health: %v %+v", err, h)
	}

	res, err = c.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Content-Security-Policy") != api.CSP || res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("/: %v", res.Header)
	}
}

func TestPrintHeaders(t *testing.T) {
	var out, errb bytes.Buffer
	dir := writeSite(t)
	want, err := api.HeadersFile(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"-dir", dir, "-print-headers"}, &out, &errb); code != 0 || out.String() != want {
		t.Errorf("-print-headers: exit %d, %q %q", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run([]string{"-dir", dir, "-print-redirects"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "\n/embed / 200\n") {
		t.Errorf("-print-redirects: exit %d, %q %q", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run([]string{"-print-assetsignore"}, &out, &errb); code != 0 || out.String() != api.AssetsIgnoreFile() {
		t.Errorf("-print-assetsignore: exit %d, %q", code, out.String())
	}
	if code := run([]string{"-dir", t.TempDir(), "-addr", "127.0.0.1:0"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "make site") {
		t.Errorf("no index.html: exit %d, %q", code, errb.String())
	}
}

// TestServeAndShutdown runs the command, waits for its URL, fetches the
// page and stops it with SIGTERM: it exits 0.
func TestServeAndShutdown(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "serve")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-dir", writeSite(t))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var url string
	select {
	case line := <-lines:
		var ok bool
		if url, ok = strings.CutPrefix(line, "connlab: serving "); !ok {
			t.Fatalf("first line %q", line)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("no URL printed; stderr: %s", stderr.String())
	}
	res, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("GET /: %d", res.StatusCode)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; stderr: %s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after SIGTERM")
	}
	if !strings.Contains(stderr.String(), "GET / 200") {
		t.Errorf("request log missing: %s", stderr.String())
	}
}

// TestMaxRun: -max-run reaches the API: a run over it is cut with a 503.
func TestMaxRun(t *testing.T) {
	srv := httptest.NewServer(handler(writeSite(t), nil, true, api.Options{Limits: api.Limits{MaxWallTime: time.Nanosecond}}))
	defer srv.Close()
	long := `{"version": 1, "handler": "echo", "transport": {"read_chunk": 1}, "input": [{"send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n` + strings.Repeat("x", 3000) + `"}]}`
	res, err := http.Post(srv.URL+"/api/run", "application/json", strings.NewReader(long))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 503 || !strings.Contains(string(body), api.CodeTimeBudget) {
		t.Errorf("%d %s", res.StatusCode, body)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-max-run", "soon"}, &out, &errb); code != 2 {
		t.Errorf("-max-run soon: exit %d", code)
	}
}
