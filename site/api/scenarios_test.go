//go:build !(js && wasm)

// These tests drive the handler through net/http; the js build of this
// package (the Worker's, on site/internal/httpx's own types) is driven
// through workerd by site/cmd/worker's tests.

package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/connlab/connlab/engine/scenarios"
)

// TestScenarios: /api/scenarios is the engine's library, and every
// scenario's session runs through /api/run (but one too long for it).
func TestScenarios(t *testing.T) {
	h := New(Options{})
	rec := do(t, h, "GET", "/api/scenarios", nil)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got Scenarios
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	lib := scenarios.Library()
	if len(got.Scenarios) == 0 || len(got.Scenarios) != len(lib) {
		t.Fatalf("%d scenarios, the library has %d", len(got.Scenarios), len(lib))
	}
	for i, sc := range got.Scenarios {
		// the session is served as a JSON object: the library's session file
		var compact, want bytes.Buffer
		if err := json.Compact(&compact, []byte(sc.Session)); err != nil {
			t.Fatal(err)
		}
		if err := json.Compact(&want, []byte(lib[i].Session)); err != nil {
			t.Fatal(err)
		}
		body := compact.Bytes()
		if sc.Name != lib[i].Name || sc.Title == "" || !bytes.Equal(body, want.Bytes()) {
			t.Errorf("scenario %d: %q, want %q", i, sc.Name, lib[i].Name)
		}
		rec := do(t, h, "POST", "/api/run", bytes.NewReader(body))
		if len(body) > 64<<10 {
			if rec.Code != 413 {
				t.Errorf("%s (%d bytes): status %d, want 413", sc.Name, len(body), rec.Code)
			}
			continue
		}
		if rec.Code != 200 {
			t.Errorf("%s: /api/run status %d: %s", sc.Name, rec.Code, rec.Body)
		}
		one := do(t, h, "GET", "/api/scenarios/"+sc.Name, nil)
		var s scenarios.Scenario
		if err := json.Unmarshal(one.Body.Bytes(), &s); one.Code != 200 || err != nil || s.Name != sc.Name {
			t.Errorf("/api/scenarios/%s: %d %v", sc.Name, one.Code, err)
		}
	}
	rec = do(t, h, "GET", "/api/scenarios/no-such-thing", nil)
	if e := decodeError(t, rec); rec.Code != 404 || e.Code != CodeNotFound {
		t.Errorf("unknown scenario: %d %+v", rec.Code, e)
	}
	rec = do(t, h, "POST", "/api/scenarios/keep-alive", nil)
	if rec.Code != 405 {
		t.Errorf("POST one scenario: %d", rec.Code)
	}
}

// TestScenariosEncodedOnce: /api/scenarios' body is encoded once and
// kept (the library does not change while the program runs): every
// request gets the same bytes, which are the library's encoding, and
// GET and HEAD say the same length.
func TestScenariosEncodedOnce(t *testing.T) {
	a, err := scenarioListJSON()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := scenarioListJSON()
	if len(a) == 0 || &a[0] != &b[0] {
		t.Error("the body is encoded again for each request")
	}
	want, err := encodeJSON(scenarioList())
	if err != nil || !bytes.Equal(a, want) {
		t.Fatalf("the kept body is not the library's encoding (%v)", err)
	}
	h := New(Options{})
	for range 2 {
		if rec := do(t, h, "GET", "/api/scenarios", nil); rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), want) || rec.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("GET: status %d, cache %q, %d bytes, want %d", rec.Code, rec.Header().Get("Cache-Control"), rec.Body.Len(), len(want))
		}
	}
	if rec := do(t, h, "HEAD", "/api/scenarios", nil); rec.Header().Get("Content-Length") != strconv.Itoa(len(want)) {
		t.Errorf("HEAD: Content-Length %q, want %d", rec.Header().Get("Content-Length"), len(want))
	}
}
