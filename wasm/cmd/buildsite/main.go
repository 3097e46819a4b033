// Command buildsite builds the browser sandbox into a static folder:
//
//	go run ./wasm/cmd/buildsite [-out site/dist] [-static site/static]
//
// It compiles ./wasm for GOOS=js GOARCH=wasm (-trimpath -ldflags="-s -w"
// -gcflags=all=-l: see defaultGCFlags), takes runtime.findfunctab out of
// its data for a start function to write (see fillFindFuncTab), merges the
// module's data segments (see mergeDataSegments), copies wasm_exec.js from $(go env GOROOT)/lib/wasm, gives every asset a
// content-hashed name (connlab.<hash>.wasm, …) so it can be cached forever,
// writes index.html referencing them (with the default page's first render
// in its panels: wasm/prerender), stores gzip and brotli copies beside
// the compressible files (name.gz, name.br) and writes manifest.json (the
// logical name → hashed name table, with sizes). `make site` runs it; the
// output folder is git-ignored and rebuilt from scratch each time. Headers
// (caching, CSP) are the server's business: site/api.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"

	"github.com/connlab/connlab/wasm/prerender"
)

// Asset is one built file, as manifest.json lists it.
type Asset struct {
	Name   string `json:"name"`   // the hashed file name in the output folder
	Size   int    `json:"size"`   // bytes
	Gzip   int    `json:"gzip"`   // bytes of name.gz (0: not compressed)
	Brotli int    `json:"brotli"` // bytes of name.br (0: not compressed)
}

func main() {
	out := flag.String("out", "site/dist", "output folder (removed and rebuilt)")
	static := flag.String("static", "site/static", "the site's static sources")
	pkg := flag.String("pkg", "./wasm", "the js/wasm main package")
	goCmd := flag.String("go", envOr("GO", "go"), "the go command")
	flag.StringVar(&gcflags, "gcflags", defaultGCFlags, "-gcflags for the wasm build")
	flag.IntVar(&brotliLevel, "brotli", brotli.BestCompression, "brotli quality (0-11); lower builds faster")
	flag.Parse()
	if err := build(*goCmd, *pkg, *static, *out); err != nil {
		fmt.Fprintln(os.Stderr, "buildsite:", err)
		os.Exit(1)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func build(goCmd, pkg, static, out string) error {
	tmp, err := os.MkdirTemp("", "connlab-site-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	// 1. the wasm binary
	wasmPath := filepath.Join(tmp, "connlab.wasm")
	cmd := exec.Command(goCmd, "build", "-trimpath", "-gcflags="+gcflags, "-ldflags=-s -w", "-o", wasmPath, pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s for js/wasm: %w", pkg, err)
	}
	if err := mergeWasmData(wasmPath); err != nil {
		return err
	}

	// 2. wasm_exec.js from the same toolchain
	goroot, err := exec.Command(goCmd, "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	wasmExec := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")

	// 3. the sources: every file in static, plus the two built ones
	srcs := map[string]string{
		"connlab.wasm": wasmPath,
		"wasm_exec.js": wasmExec,
	}
	entries, err := os.ReadDir(static)
	if err != nil {
		return err
	}
	var index []byte
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(static, e.Name())
		if e.Name() == "index.html" {
			if index, err = os.ReadFile(p); err != nil {
				return err
			}
			continue
		}
		srcs[e.Name()] = p
	}
	if index == nil {
		return fmt.Errorf("%s has no index.html", static)
	}

	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	manifest := map[string]Asset{}
	names := make([]string, 0, len(srcs))
	for n := range srcs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		data, err := os.ReadFile(srcs[n])
		if err != nil {
			return err
		}
		a, err := writeAsset(out, n, data)
		if err != nil {
			return err
		}
		manifest[n] = a
	}

	// 4. index.html with the hashed names
	var missing []string
	html := assetRef.ReplaceAllFunc(index, func(m []byte) []byte {
		name := string(assetRef.FindSubmatch(m)[1])
		a, ok := manifest[name]
		if !ok {
			missing = append(missing, name)
			return m
		}
		return []byte(a.Name)
	})
	if len(missing) > 0 {
		return fmt.Errorf("index.html refers to unknown assets: %s", strings.Join(missing, ", "))
	}
	// the panels hold the engine's first render (wasm/prerender, page.go)
	page, err := prerender.Page(string(html))
	if err != nil {
		return err
	}
	html = []byte(page)
	if err := os.WriteFile(filepath.Join(out, "index.html"), html, 0o644); err != nil {
		return err
	}
	if err := compressBeside(filepath.Join(out, "index.html"), html, nil); err != nil {
		return err
	}
	mj, _ := json.MarshalIndent(manifest, "", "  ")
	if err := os.WriteFile(filepath.Join(out, "manifest.json"), append(mj, '\n'), 0o644); err != nil {
		return err
	}

	w := manifest["connlab.wasm"]
	fmt.Printf("site: %s  (wasm %s: %s, gzip %s, brotli %s)\n", out, w.Name, size(w.Size), size(w.Gzip), size(w.Brotli))
	return nil
}

var brotliLevel = brotli.BestCompression

// defaultGCFlags builds the wasm without inlining: the binary is about 4 %
// larger raw but 9 % smaller with brotli (inlined copies compress worse
// than calls), which is what the size budget counts (1 MiB with brotli;
// see make bench-browser). Stepping stays far inside its budget.
const defaultGCFlags = "all=-l"

var gcflags = defaultGCFlags

var assetRef = regexp.MustCompile(`\{\{asset ([A-Za-z0-9._-]+)\}\}`)

// writeAsset writes data under a content-hashed name and, for
// compressible types, gzip and brotli copies beside it.
func writeAsset(out, name string, data []byte) (Asset, error) {
	sum := sha256.Sum256(data)
	ext := filepath.Ext(name)
	hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
	p := filepath.Join(out, hashed)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return Asset{}, err
	}
	a := Asset{Name: hashed, Size: len(data)}
	switch ext {
	case ".wasm", ".js", ".css", ".svg", ".html", ".json":
		if err := compressBeside(p, data, &a); err != nil {
			return Asset{}, err
		}
	}
	return a, nil
}

// compressBeside writes p.gz and p.br.
func compressBeside(p string, data []byte, a *Asset) error {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return err
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotliLevel)
	if _, err := io.Copy(bw, bytes.NewReader(data)); err != nil {
		return err
	}
	if err := bw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(p+".gz", gz.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(p+".br", br.Bytes(), 0o644); err != nil {
		return err
	}
	if a != nil {
		a.Gzip, a.Brotli = gz.Len(), br.Len()
	}
	return nil
}

func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// dataGap is the longest run of zeros mergeDataSegments writes out rather
// than start a new segment: Go's linker splits at 8, and almost every gap
// in connlab's data is under 64 bytes; a bigger hole stays a hole.
const dataGap = 4096

func mergeWasmData(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	filled, run, err := fillFindFuncTab(b)
	if err != nil {
		return fmt.Errorf("taking runtime.findfunctab out of the wasm's data: %w", err)
	}
	if run.n == 0 {
		return errors.New("the wasm has no runtime.findfunctab run of buckets (has Go's linker changed? see findfunctab.go)")
	}
	merged, before, after, err := mergeDataSegments(filled, dataGap)
	if err != nil {
		return fmt.Errorf("merging the wasm's data segments: %w", err)
	}
	fmt.Printf("wasm: findfunctab's %d buckets (%d bytes) written by a start function; data segments: %d merged into %d (%d → %d bytes)\n", run.n, run.n*bucketSize, before, after, len(b), len(merged))
	return os.WriteFile(path, merged, 0o644)
}
