//go:build unix

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestWorkerdLeakRepro measures workerd's RSS under wrangler dev for the
// two workers of testdata/leakrepro (a plain JavaScript Worker, and the
// smallest Go Worker on github.com/syumai/workers), the same way
// TestWorkerdMemory measures connlab's: 8 clients, RSS every 1 000
// requests, bounded by CONNLAB_MEM_REQUESTS and CONNLAB_MEM_SECONDS.
// CONNLAB_LEAKREPRO=1 runs it (make leakrepro-worker); see
// testdata/leakrepro/README.md.
func TestWorkerdLeakRepro(t *testing.T) {
	if os.Getenv("CONNLAB_LEAKREPRO") != "1" {
		t.Skip("CONNLAB_LEAKREPRO=1 runs the leak reproduction (make leakrepro-worker)")
	}
	total, limit := memLimits()
	for _, variant := range []string{"js", "go"} {
		t.Run(variant, func(t *testing.T) {
			src := filepath.Join("testdata", "leakrepro", variant)
			dir := t.TempDir()
			ents, err := os.ReadDir(src)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range ents {
				data, err := os.ReadFile(filepath.Join(src, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if variant == "go" {
				build := filepath.Join(dir, "build")
				run(t, ".", nil, "go", "tool", "workers-assets-gen", "-mode=go", "-o", build)
				run(t, ".", []string{"GOOS=js", "GOARCH=wasm"}, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(build, "app.wasm"), "./"+filepath.ToSlash(src))
			}
			w := &worker{dir: dir, ready: "/"}
			w.start(t)
			res := measureRSS(t, w, "GET", "/", nil, total, limit)
			line, _ := json.Marshal(map[string]any{"worker": "leakrepro/" + variant, "memory": res})
			fmt.Printf("%s\n", line)
		})
	}
}
