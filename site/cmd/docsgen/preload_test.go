package main

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/connlab/connlab/wasm/prerender"
)

// builtAppIndex is the app's source page as make site writes it: every
// {{asset NAME.EXT}} as NAME.0123456789ab.EXT, and the default page's
// first render in its panels (wasm/prerender.Page).
func builtAppIndex(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(appSource)
	if err != nil {
		t.Fatal(err)
	}
	page := regexp.MustCompile(`\{\{asset ([a-z_]+)\.([a-z]+)\}\}`).ReplaceAllString(string(b), "$1.0123456789ab.$2")
	if page, err = prerender.Page(page); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "index.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// appBeside writes the app's page as make site does (builtAppIndex) into
// root, with an empty file for each of its content-addressed files, so
// the docs written in root/docs link to files that are there.
func appBeside(t *testing.T, root string) string {
	t.Helper()
	b, err := os.ReadFile(builtAppIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`"([a-z_]+\.0123456789ab\.[a-z]+)"`).FindAllStringSubmatch(string(b), -1) {
		if err := os.WriteFile(filepath.Join(root, m[1]), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(root, "index.html")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPreloads: a docs page with sandboxes preloads exactly the
// stylesheet and scripts its pre-rendered sandboxes load (the same
// addresses, resolved from each page), all content-addressed: the
// stylesheet, which its inline sandboxes use at once, with a preload,
// the scripts, which only a reader's first use loads, with a prefetch
// (a preload of them warns in every reader's console); a page without
// sandboxes preloads nothing.
func TestPreloads(t *testing.T) {
	s := builtSite(t)
	app := builtAppIndex(t)
	dir := filepath.Join(t.TempDir(), "docs")
	if err := s.Write(srcDir, dir); err != nil {
		t.Fatal(err)
	}
	sandboxes := filepath.Join(t.TempDir(), "embed", "docs")
	if err := s.WriteSandboxes(app, sandboxes); err != nil {
		t.Fatal(err)
	}
	if err := s.WritePreloads(app, dir); err != nil {
		t.Fatal(err)
	}
	site, _ := url.Parse("https://connlab.test/")
	resolve := func(page string, refs [][]string) []string {
		base := site.ResolveReference(&url.URL{Path: page})
		var out []string
		for _, r := range refs {
			out = append(out, base.ResolveReference(&url.URL{Path: r[1]}).Path)
		}
		slices.Sort(out)
		return out
	}
	preloadRe := regexp.MustCompile(`<link rel="(?:preload|prefetch)" href="([^"]+)"[^>]*>`)
	styleRe := regexp.MustCompile(`<link rel="preload" href="[^"]+\.css" as="style">`)
	scriptRe := regexp.MustCompile(`<link rel="prefetch" href="[^"]+\.js">`)
	loadsRe := regexp.MustCompile(`<(?:link rel="stylesheet" href|script src)="([^"]+)"`)
	with := 0
	for _, p := range s.TOC.Pages {
		b, err := os.ReadFile(filepath.Join(dir, p.File))
		if err != nil {
			t.Fatal(err)
		}
		pre := resolve("docs/"+p.File, preloadRe.FindAllStringSubmatch(string(b), -1))
		es := s.Embeds[p.File]
		if len(es) == 0 {
			if len(pre) != 0 {
				t.Errorf("%s has no sandbox, yet preloads %v", p.File, pre)
			}
			continue
		}
		with++
		sb, err := os.ReadFile(filepath.Join(sandboxes, es[0].SandboxName()))
		if err != nil {
			t.Fatal(err)
		}
		// the sandbox page's own addresses resolve against its <base>
		loads := resolve("embed/docs/"+sandboxBase, loadsRe.FindAllStringSubmatch(string(sb), -1))
		if len(pre) != 3 || !slices.Equal(pre, loads) {
			t.Errorf("%s preloads %v; its sandboxes load %v", p.File, pre, loads)
		}
		if len(styleRe.FindAllString(string(b), -1)) != 1 || len(scriptRe.FindAllString(string(b), -1)) != 2 {
			t.Errorf("%s: want the stylesheet preloaded and the two scripts prefetched:\n%s", p.File, strings.Join(preloadRe.FindAllString(string(b), -1), "\n"))
		}
		for _, u := range pre {
			if !strings.Contains(u, ".0123456789ab.") && !strings.Contains(u, s.SandboxJS) {
				t.Errorf("%s preloads %s, which is not content-addressed", p.File, u)
			}
		}
	}
	if with < 10 {
		t.Errorf("only %d pages with sandboxes", with)
	}
	if !regexp.MustCompile(`^sandbox\.[0-9a-f]{12}\.js$`).MatchString(s.SandboxJS) {
		t.Errorf("SandboxJS %q", s.SandboxJS)
	}
	if _, err := os.Stat(filepath.Join(dir, s.SandboxJS)); err != nil {
		t.Error(err)
	}
}
