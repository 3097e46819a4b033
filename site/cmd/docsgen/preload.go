package main

// Preloads. A docs page's sandboxes are inline (inline.go): each links
// the app's stylesheet from its shadow root as the page is parsed, so
// the page preloads it from its head. When a reader first uses a
// sandbox, its pre-rendered frame (prerender.go) loads connlab.js and
// sandbox.js: the page prefetches those two, at the browser's idle
// priority, so that the first use finds them in the HTTP cache (all are
// content-addressed, so a cached copy is used without asking the server
// again) without their competing with the page's own loading; a preload
// of them would also warn in the console of every reader who only reads
// ("preloaded but not used within a few seconds").

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"path/filepath"
	"strings"
)

// hashedName is name with the first 12 hex digits of content's SHA-256
// before its extension (sandbox.js → sandbox.1a2b3c4d5e6f.js), as make
// site names the app's files, so the site serves it as immutable
// (site/api.IsHashedPath).
func hashedName(name string, content []byte) string {
	sum := sha256.Sum256(content)
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
}

// preloadLinks is the <link rel="preload"> and <link rel="prefetch">
// lines for a docs page with sandboxes: the content-addressed files
// every pre-rendered sandbox loads, relative to the docs folder. (The
// app's source page, which the tests may build from, names its files
// without hashes: those are left out, as a cached copy of them would be
// asked for again anyway.)
func (a *appShell) preloadLinks() (string, error) {
	css, err := a.stylesheet()
	if err != nil {
		return "", err
	}
	if a.script == "" {
		return "", fmt.Errorf("no sandbox script: load the app's page with Site.appShell")
	}
	var b strings.Builder
	link := func(rel, path, as string) {
		b.WriteString(`<link rel="` + rel + `" href="../` + html.EscapeString(path) + `"` + as + `>` + "\n")
	}
	if IsAppFile(css) {
		link("preload", css, ` as="style"`)
	}
	if IsAppFile(a.helper) {
		link("prefetch", a.helper, "")
	}
	link("prefetch", a.script, "")
	return b.String(), nil
}

// docsStylesheet is the line of _layout.html the preloads follow.
const docsStylesheet = `<link rel="stylesheet" href="docs.css">` + "\n"

// WritePreloads adds the preloads to every page of dir (the written docs)
// that has sandboxes, from the app's built index.html.
func (s *Site) WritePreloads(appIndex, dir string) error {
	shell, err := s.appShell(appIndex)
	if err != nil {
		return err
	}
	links, err := shell.preloadLinks()
	if err != nil {
		return err
	}
	return s.rewriteSandboxPages(dir, func(file string, _ []*Embed, page string) (string, error) {
		if strings.Count(page, docsStylesheet) != 1 {
			return "", fmt.Errorf("%s: no single %q to put the preloads after", file, strings.TrimSpace(docsStylesheet))
		}
		return strings.Replace(page, docsStylesheet, docsStylesheet+links, 1), nil
	})
}
