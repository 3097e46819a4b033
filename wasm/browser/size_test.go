//go:build !js

package browser

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestWasmSizeBudget holds the browser's wasm to its download budget in
// every `make test`, not only in `make bench-browser`: its size is
// deterministic for a given tree, unlike the timings TestBrowserBudgets
// measures, so a feature that pushes it over fails the build that adds it.
func TestWasmSizeBudget(t *testing.T) {
	requireBrowser(t) // the site is built by `make test-browser`
	mj, err := os.ReadFile(filepath.Join(distDir, "manifest.json"))
	if err != nil {
		t.Fatalf("no built site (make site): %v", err)
	}
	var manifest map[string]struct {
		Brotli int `json:"brotli"`
	}
	if err := json.Unmarshal(mj, &manifest); err != nil {
		t.Fatal(err)
	}
	w, ok := manifest["connlab.wasm"]
	if !ok || w.Brotli == 0 {
		t.Fatalf("manifest.json has no brotli size for connlab.wasm")
	}
	if w.Brotli > budgetBrotli {
		t.Errorf("the browser's wasm is %d B with brotli, over its budget of %d B (800 KiB) by %d B: cut before adding (see README, wasm size)", w.Brotli, budgetBrotli, w.Brotli-budgetBrotli)
	}
	t.Logf("wasm: %d B brotli, %d B under the budget", w.Brotli, budgetBrotli-w.Brotli)
}
