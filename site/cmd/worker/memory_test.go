//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// workerdPIDs lists the workerd processes in wrangler's process group.
func workerdPIDs(t testing.TB, pgid int) []int {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	var pids []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...
		s := string(stat)
		i := strings.LastIndexByte(s, ')')
		if i < 0 || !strings.Contains(s[:i], "(workerd") {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 2 && f[2] == strconv.Itoa(pgid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// rssKiB is a process's resident set (VmRSS) in KiB.
func rssKiB(pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return -1
}

// memLimits are the measurement's bounds: CONNLAB_MEM_REQUESTS requests
// (default 20 000) and CONNLAB_MEM_SECONDS seconds (default 600), whichever
// comes first.
func memLimits() (total int, limit time.Duration) {
	total, limit = 20000, 600*time.Second
	if v, err := strconv.Atoi(os.Getenv("CONNLAB_MEM_REQUESTS")); err == nil && v > 0 {
		total = v
	}
	if v, err := strconv.Atoi(os.Getenv("CONNLAB_MEM_SECONDS")); err == nil && v > 0 {
		limit = time.Duration(v) * time.Second
	}
	return total, limit
}

// rssSample is workerd's resident memory after some requests. wrangler dev
// runs two workerd processes: the Worker's own runtime (started with an
// inspector address) and a proxy in front of it that takes the requests on
// the dev port.
type rssSample struct {
	Requests  int     `json:"requests"`
	RSSMiB    float64 `json:"rss_mib"`        // both
	WorkerMiB float64 `json:"worker_rss_mib"` // the Worker's runtime
	ProxyMiB  float64 `json:"proxy_rss_mib"`  // wrangler's proxy
	Seconds   float64 `json:"seconds"`
}

// memResult is one measurement.
type memResult struct {
	Samples  []rssSample `json:"workerd_rss"`
	Requests int64       `json:"requests"`
	Failed   int64       `json:"failed"`
	Clients  int         `json:"clients"`
	MedianMS float64     `json:"median_ms"`
}

// measureRSS sends total requests (method, path, body) to w from 8
// concurrent clients, at most for limit, and samples the RSS of the workerd
// processes in wrangler's group every 1 000 requests.
func measureRSS(t *testing.T, w *worker, method, path string, body []byte, total int, limit time.Duration) memResult {
	t.Helper()
	const clients, every = 8, 1000
	// wrangler starts workerd through a small launcher process: sum them
	pids := workerdPIDs(t, w.pgid)
	if len(pids) == 0 {
		t.Fatalf("no workerd process in wrangler's group %d", w.pgid)
	}
	runtime := map[int]bool{}
	for _, pid := range pids {
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		runtime[pid] = strings.Contains(string(cmdline), "--inspector-addr")
		t.Logf("workerd %d (runtime %v): %.300s", pid, runtime[pid], strings.ReplaceAll(string(cmdline), "\x00", " "))
	}
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	c := &http.Client{Timeout: 30 * time.Second, Transport: tr}
	send := func() error {
		req, err := http.NewRequest(method, w.url+path, bytes.NewReader(body))
		if err != nil {
			return err
		}
		res, err := c.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		return nil
	}
	for range 20 { // warm-up: compile the wasm, fill the caches
		if err := send(); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	snap := func(n int) rssSample {
		s := rssSample{Requests: n, Seconds: float64(time.Since(start).Milliseconds()/100) / 10}
		mib := func(kib int) float64 { return float64(kib*10/1024) / 10 }
		sum, worker, proxy := 0, 0, 0
		for _, pid := range pids {
			k := rssKiB(pid)
			sum += k
			if runtime[pid] {
				worker += k
			} else {
				proxy += k
			}
		}
		s.RSSMiB, s.WorkerMiB, s.ProxyMiB = mib(sum), mib(worker), mib(proxy)
		return s
	}
	deadline := start.Add(limit)
	res := memResult{Samples: []rssSample{snap(0)}, Clients: clients}
	var sent, failed atomic.Int64
	var mu sync.Mutex
	var times []time.Duration
	for done := 0; done < total && time.Now().Before(deadline); {
		batch := min(every, total-done)
		var next atomic.Int64
		var wg sync.WaitGroup
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for next.Add(1) <= int64(batch) && time.Now().Before(deadline) {
					t0 := time.Now()
					err := send()
					d := time.Since(t0)
					sent.Add(1)
					if err != nil {
						if failed.Add(1) <= 3 {
							t.Errorf("%s %s: %v", method, path, err)
						}
						continue
					}
					mu.Lock()
					times = append(times, d)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		done = int(sent.Load())
		res.Samples = append(res.Samples, snap(done))
		last := res.Samples[len(res.Samples)-1]
		t.Logf("%6d requests: workerd RSS %.1f MiB (the Worker's runtime %.1f, wrangler's proxy %.1f)", done, last.RSSMiB, last.WorkerMiB, last.ProxyMiB)
	}
	res.Requests, res.Failed = sent.Load(), failed.Load()
	if int(res.Requests) < total {
		t.Logf("stopped after %v: %d of %d requests sent", limit, res.Requests, total)
	}
	if len(times) > 0 {
		slices.Sort(times)
		res.MedianMS = float64(times[len(times)/2].Microseconds()) / 1000
	}
	return res
}

// TestWorkerdMemory sends 20 000 POST /api/run requests (keep-alive.json)
// to the Worker in workerd from 8 concurrent clients and prints workerd's
// RSS every 1 000 requests, as one JSON line (make bench-worker; bounded
// by memLimits).
func TestWorkerdMemory(t *testing.T) {
	if os.Getenv("CONNLAB_BENCH") != "1" {
		t.Skip("CONNLAB_BENCH=1 runs the Worker's memory measurement (make bench-worker)")
	}
	total, limit := memLimits()
	w := startWorker(t)
	data, err := os.ReadFile(filepath.Join(repoRoot, "engine/session/testdata/scenarios/keep-alive.json"))
	if err != nil {
		t.Fatal(err)
	}
	res := measureRSS(t, w, "POST", "/api/run", data, total, limit)
	line, _ := json.Marshal(map[string]any{"worker": "connlab /api/run keep-alive.json", "memory": res})
	fmt.Printf("%s\n", line)
}
