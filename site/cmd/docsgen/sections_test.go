package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/scenarios"
)

// TestDocsCitations (issue 16, item 9): every chapter section the docs
// cite, in a page's text or toc.json's sections (and the app's page and
// scripts in site/static), is one of the chapter's
// own sections (engine/scenarios.Chapter), and a number the book gives two
// sections (12.7.1, 12.8.1) is cited with words of its title. Every
// section a scenario's figure links ("chapter §…") reaches the page that
// covers it by that very citation, not by a prefix of the number.
func TestDocsCitations(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(srcDir, "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no pages in %s (%v)", srcDir, err)
	}
	files = append(files, filepath.Join(srcDir, "toc.json"))
	// and the app's own page and script, whose tooltips cite sections
	static, _ := filepath.Glob(filepath.Join(srcDir, "..", "static", "*.html"))
	scripts, _ := filepath.Glob(filepath.Join(srcDir, "..", "static", "*.js"))
	files = append(append(files, static...), scripts...)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, p := range scenarios.CheckCitations(line) {
				t.Errorf("%s:%d: %s", filepath.Base(f), i+1, p)
			}
		}
	}
	raw, err := os.ReadFile(filepath.Join(srcDir, "toc.json"))
	if err != nil {
		t.Fatal(err)
	}
	var toc TOC
	if err := json.Unmarshal(raw, &toc); err != nil {
		t.Fatal(err)
	}
	l := &linker{toc: &toc}
	for _, sc := range scenarios.Library() {
		if !strings.HasPrefix(sc.Section, "§12") {
			continue
		}
		if _, ok := l.sectionPage(sc.Section); !ok {
			t.Errorf("scenario %s: no page covers %s", sc.Name, sc.Section)
		}
		if strings.Contains(sc.Section, " (") {
			found := false
			for _, p := range toc.Pages {
				for _, s := range p.Sections {
					found = found || s == sc.Section
				}
			}
			if !found {
				t.Errorf("scenario %s: %s, a section the book numbers twice, is not declared by that title in toc.json, so its link would go to the page of a shorter number", sc.Name, sc.Section)
			}
		}
	}
}
