//go:build unix

package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadResult is what load measures: the wall time of each request from
// the client's side (request sent to last byte read), in order.
type loadResult struct {
	Clients  int     `json:"clients"`
	Requests int     `json:"requests"`
	P50MS    float64 `json:"p50_ms"`
	P99MS    float64 `json:"p99_ms"`
	MaxMS    float64 `json:"max_ms"`
	PerSec   float64 `json:"req_per_s"`
	Seconds  float64 `json:"seconds"`
}

// ms is a duration in milliseconds, to the microsecond.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// quantile is the q-quantile of sorted durations (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// load posts body to w's path total times from clients concurrent clients
// (each on its own kept-alive connection) and measures each request. A
// request that fails or answers other than 200 fails the test. each, when
// set, sees every response (its headers) after the body is read.
func load(t *testing.T, w *worker, path string, body []byte, clients, total int, each func(*http.Response)) loadResult {
	t.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	c := &http.Client{Timeout: 30 * time.Second, Transport: tr}
	var next, failed atomic.Int64
	var mu sync.Mutex
	times := make([]time.Duration, 0, total)
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(total) {
				t0 := time.Now()
				res, err := c.Post(w.url+path, "application/json", bytes.NewReader(body))
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err == nil && res.StatusCode != 200 {
						err = fmt.Errorf("status %d", res.StatusCode)
					}
				}
				d := time.Since(t0)
				if err != nil {
					if failed.Add(1) <= 3 {
						t.Errorf("POST %s: %v", path, err)
					}
					continue
				}
				mu.Lock()
				times = append(times, d)
				if each != nil {
					each(res)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(times)
	return loadResult{
		Clients:  clients,
		Requests: len(times),
		P50MS:    ms(quantile(times, 0.50)),
		P99MS:    ms(quantile(times, 0.99)),
		MaxMS:    ms(quantile(times, 1)),
		PerSec:   float64(int(float64(len(times))/elapsed.Seconds()*10)) / 10,
		Seconds:  float64(elapsed.Milliseconds()) / 1000,
	}
}

// breakdown collects the Server-Timing entries of responses (a Worker
// started with CONNLAB_SERVER_TIMING=1): where each request's time went.
// The shim's entries are body (reading the request body), instantiate and
// gostart (starting a Go instance, when the request did), go (the call
// into Go) and total (the shim's fetch, end to end); the API's are read,
// parse, engine and json (api.Options.Observe), inside go.
type breakdown struct {
	mu     sync.Mutex
	phases map[string][]float64
	order  []string
}

var serverTiming = regexp.MustCompile(`([a-z]+);dur=([0-9.]+)`)

// add is load's each: it records one response's entries.
func (b *breakdown) add(res *http.Response) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.phases == nil {
		b.phases = map[string][]float64{}
	}
	for _, m := range serverTiming.FindAllStringSubmatch(res.Header.Get("Server-Timing"), -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		if _, ok := b.phases[m[1]]; !ok {
			b.order = append(b.order, m[1])
		}
		b.phases[m[1]] = append(b.phases[m[1]], v)
	}
}

// phaseStat is one phase over all the requests: its mean and median (ms).
type phaseStat struct {
	Phase  string  `json:"phase"`
	MeanMS float64 `json:"mean_ms"`
	P50MS  float64 `json:"p50_ms"`
}

func (b *breakdown) stats() []phaseStat {
	var out []phaseStat
	round := func(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }
	for _, name := range b.order {
		vs := slices.Clone(b.phases[name])
		slices.Sort(vs)
		sum := 0.0
		for _, v := range vs {
			sum += v
		}
		out = append(out, phaseStat{Phase: name, MeanMS: round(sum / float64(len(vs))), P50MS: round(vs[len(vs)/2])})
	}
	return out
}
