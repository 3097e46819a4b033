//go:build !(js && wasm)

// These tests drive the handler through net/http; the js build of this
// package (the Worker's, on site/internal/httpx's own types) is driven
// through workerd by site/cmd/worker's tests.

package api

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// longRun is a session that takes some thousands of steps: a 4 000-byte
// body read byte by byte.
func longRun() string {
	return `{"version": 1, "handler": "echo", "transport": {"read_chunk": 1}, "input": [{"send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\n` +
		strings.Repeat("x", 4000) + `"}]}`
}

// fakeClock advances by step every time it is read.
func fakeClock(step time.Duration) func() time.Time {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(step)
		return t
	}
}

// TestWallTimeBudget: a run over Limits.MaxWallTime is cut and answered
// with a 503 that names the limit; the clock is read in site/api, every
// session.InterruptEvery steps.
func TestWallTimeBudget(t *testing.T) {
	h := New(Options{Limits: Limits{MaxWallTime: 50 * time.Millisecond}, Now: fakeClock(10 * time.Millisecond)})
	rec := do(t, h, "POST", "/api/run", strings.NewReader(longRun()))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503: %s", rec.Code, rec.Body)
	}
	e := decodeError(t, rec)
	if e.Code != CodeTimeBudget || !strings.Contains(e.Message, "run cut after 60 ms") || !strings.Contains(e.Message, "limit is 50 ms") {
		t.Errorf("error %+v", e)
	}
	checkAPIHeaders(t, rec.Header(), "application/json")

	// the same session with a clock that stands still runs to the end
	h = New(Options{Limits: Limits{MaxWallTime: 50 * time.Millisecond}, Now: fakeClock(0)})
	if rec := do(t, h, "POST", "/api/run", strings.NewReader(longRun())); rec.Code != 200 {
		t.Errorf("a run within the wall time: %d %s", rec.Code, rec.Body)
	}

	// the real clock and the default limit: a 1 ns budget cuts any run at
	// its first check
	h = New(Options{Limits: Limits{MaxWallTime: time.Nanosecond}})
	rec = do(t, h, "POST", "/api/run", strings.NewReader(longRun()))
	if rec.Code != http.StatusServiceUnavailable || decodeError(t, rec).Code != CodeTimeBudget {
		t.Errorf("1 ns budget: %d %s", rec.Code, rec.Body)
	}
	if DefaultLimits.MaxWallTime != time.Second {
		t.Errorf("default wall time %v", DefaultLimits.MaxWallTime)
	}
}

// TestStepBudgetMessage: the total step limit says where it cut the run.
func TestStepBudgetMessage(t *testing.T) {
	h := New(Options{Limits: Limits{MaxSteps: 1000}})
	rec := do(t, h, "POST", "/api/run", strings.NewReader(longRun()))
	e := decodeError(t, rec)
	if rec.Code != 422 || e.Code != CodeBudgetExceeded || !strings.Contains(e.Message, "run cut after 100") || !strings.Contains(e.Message, "more than 1000 steps") {
		t.Errorf("%d %+v", rec.Code, e)
	}
}

// TestCORS: every API answer allows any origin; OPTIONS on a route is the
// preflight (204, the route's methods, content-type, a max age); on no
// route it is the JSON 404.
func TestCORS(t *testing.T) {
	h := New(Options{})
	for path, methods := range map[string]string{
		"/api/run":                  "POST, OPTIONS",
		"/api/health":               "GET, HEAD, OPTIONS",
		"/api/scenarios":            "GET, HEAD, OPTIONS",
		"/api/scenarios/keep-alive": "GET, HEAD, OPTIONS",
	} {
		rec := do(t, h, "OPTIONS", path, nil)
		if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
			t.Errorf("OPTIONS %s: %d %q", path, rec.Code, rec.Body)
		}
		for k, want := range map[string]string{
			"Access-Control-Allow-Origin":  "*",
			"Access-Control-Allow-Methods": methods,
			"Access-Control-Allow-Headers": "content-type",
			"Access-Control-Max-Age":       "86400",
			"Allow":                        methods,
			"Referrer-Policy":              ReferrerPolicy,
		} {
			if got := rec.Header().Get(k); got != want {
				t.Errorf("OPTIONS %s %s: %q, want %q", path, k, got, want)
			}
		}
		if rec.Header().Get("Content-Type") != "" {
			t.Errorf("OPTIONS %s: a 204 with Content-Type %q", path, rec.Header().Get("Content-Type"))
		}
	}
	for _, tc := range []struct{ method, path, body string }{
		{"POST", "/api/run", `{"version": 1, "handler": "hello"}`},
		{"POST", "/api/run", `{`},
		{"GET", "/api/health", ""},
		{"GET", "/api/nope", ""},
		{"PUT", "/api/run", ""},
		{"OPTIONS", "/api/nope", ""},
	} {
		rec := do(t, h, tc.method, tc.path, strings.NewReader(tc.body))
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s %s (%d): Access-Control-Allow-Origin %q", tc.method, tc.path, rec.Code, got)
		}
	}
	if rec := do(t, h, "OPTIONS", "/api/nope", nil); rec.Code != 404 {
		t.Errorf("OPTIONS /api/nope: %d", rec.Code)
	}
}
