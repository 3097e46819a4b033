package api

import (
	"bytes"
	"encoding/json"
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
