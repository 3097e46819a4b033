//go:build !(js && wasm)

// These tests drive the handler through net/http; the js build of this
// package (the Worker's, on site/internal/httpx's own types) is driven
// through workerd by site/cmd/worker's tests.

package api

import (
	"bytes"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestBodyReadLimit: the handler never reads more of a body than
// BodyReadLimit, which the Worker's shim relies on (it reads the body
// before calling Go, and no further than that): a body cut there gets the
// answer the whole body gets.
func TestBodyReadLimit(t *testing.T) {
	for _, opts := range []Options{{}, {Limits: Limits{MaxBodyBytes: 1000}}} {
		lim := opts.BodyReadLimit()
		if want := opts.Limits.withDefaults().MaxBodyBytes + 1 + drainMax; lim != want {
			t.Fatalf("BodyReadLimit %d, want %d", lim, want)
		}
		r := &endless{}
		req := httptest.NewRequest("POST", "/api/run", r)
		req.ContentLength = -1
		whole := httptest.NewRecorder()
		New(opts).ServeHTTP(whole, req)
		if int64(r.n) > lim {
			t.Errorf("read %d bytes of an endless body, over BodyReadLimit %d", r.n, lim)
		}
		req = httptest.NewRequest("POST", "/api/run", bytes.NewReader(bytes.Repeat([]byte(" "), int(lim))))
		req.ContentLength = -1
		cut := httptest.NewRecorder()
		New(opts).ServeHTTP(cut, req)
		if whole.Code != 413 || cut.Code != whole.Code || cut.Body.String() != whole.Body.String() {
			t.Errorf("endless body: %d %s; cut at BodyReadLimit: %d %s", whole.Code, whole.Body, cut.Code, cut.Body)
		}
	}
}

// TestObserve: Options.Observe hears the phases of a /api/run that
// answers 200, in order, and of one that fails only the phases it
// finished; the answers are the same with it and without.
func TestObserve(t *testing.T) {
	var phases []string
	observe := func(name string, d time.Duration) {
		if d < 0 {
			t.Errorf("%s took %v", name, d)
		}
		phases = append(phases, name)
	}
	for _, target := range []string{"/api/run", "/api/run?events=1", "/api/run?text=1"} {
		phases = nil
		got := do(t, New(Options{Observe: observe}), "POST", target, strings.NewReader(hello(2, "")))
		want := do(t, New(Options{}), "POST", target, strings.NewReader(hello(2, "")))
		if got.Code != 200 || got.Body.String() != want.Body.String() {
			t.Errorf("%s: %d, differs from the answer without Observe:\n%s\n%s", target, got.Code, got.Body, want.Body)
		}
		if !slices.Equal(phases, []string{"read", "parse", "engine", "json"}) {
			t.Errorf("%s: phases %q", target, phases)
		}
	}
	phases = nil
	if rec := do(t, New(Options{Observe: observe}), "POST", "/api/run", strings.NewReader(`{"version": 1, "handler": "nope"}`)); rec.Code != 400 {
		t.Errorf("status %d", rec.Code)
	}
	if !slices.Equal(phases, []string{"read"}) {
		t.Errorf("a session that does not parse: phases %q, want only read", phases)
	}
}
