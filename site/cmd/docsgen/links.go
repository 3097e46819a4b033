package main

import (
	"errors"
	"fmt"
	"html"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/connlab/connlab/site/api"
)

// Links found in the generated pages: docsgen writes every attribute
// double-quoted, so a regexp is enough (no HTML parser needed).
var (
	linkAttr = regexp.MustCompile(`\s(href|src|data-sandbox)="([^"]*)"`)
	idAttr   = regexp.MustCompile(`\sid="([^"]*)"`)
	// preBlock is preformatted text: code shown to the reader, whose
	// attributes are text, not links.
	preBlock = regexp.MustCompile(`(?s)<pre[ >].*?</pre>`)
)

// External links may only go to these places (they are not fetched: the
// docs build offline).
var externalPrefixes = []string{
	HyperBlob,
	"https://www.rfc-editor.org/rfc/",
	"https://github.com/connlab/connlab",
}

// appRoutes are paths outside the docs folder that the app serves (its
// index.html answers every path without an extension).
var appRoutes = map[string]bool{"/": true, EmbedRoute: true, "/api/scenarios": true}

// IsAppFile says whether a path under the site's root names one of the
// app's content-addressed files (connlab.HASH.css, connlab.HASH.js), the
// only app files a docs page links to.
func IsAppFile(p string) bool {
	return !strings.Contains(p, "/") && strings.HasPrefix(p, "connlab.") && api.IsHashedPath("/"+p)
}

// Link is one href or src of a generated page.
type Link struct {
	Page string // the page file it is on
	Attr string // href or src
	URL  string // as written (unescaped)
}

// PageLinks lists the href and src values of a generated page.
func PageLinks(page string, body []byte) []Link {
	var out []Link
	body = preBlock.ReplaceAll(body, nil)
	for _, m := range linkAttr.FindAllSubmatch(body, -1) {
		out = append(out, Link{Page: page, Attr: string(m[1]), URL: html.UnescapeString(string(m[2]))})
	}
	return out
}

// CheckLinks checks every link of the pages in dir (site/dist/docs): a
// link to a page or file of the docs must name an existing file (and an
// existing id for a #fragment); a link out of the docs must be one of the
// app's routes (the browser test follows those over HTTP) or a
// pre-rendered sandbox written into sandboxes (prerender.go); an external
// link must be on the allow list.
func CheckLinks(dir, sandboxes string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	ids := map[string]map[string]bool{}
	bodies := map[string][]byte{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".html") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		bodies[e.Name()] = b
		ids[e.Name()] = map[string]bool{}
		for _, m := range idAttr.FindAllSubmatch(b, -1) {
			ids[e.Name()][string(m[1])] = true
		}
	}
	var problems []string
	names := make([]string, 0, len(bodies))
	for n := range bodies {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, l := range PageLinks(n, bodies[n]) {
			if msg := checkLink(dir, sandboxes, l, ids); msg != "" {
				problems = append(problems, fmt.Sprintf("%s: %s=%q: %s", n, l.Attr, l.URL, msg))
			}
		}
	}
	if len(problems) > 0 {
		return errors.New("broken links:\n  " + strings.Join(problems, "\n  "))
	}
	return nil
}

func checkLink(dir, sandboxes string, l Link, ids map[string]map[string]bool) string {
	u, err := url.Parse(l.URL)
	if err != nil {
		return err.Error()
	}
	if u.Scheme != "" || u.Host != "" {
		for _, p := range externalPrefixes {
			if strings.HasPrefix(l.URL, p) {
				return ""
			}
		}
		return "an external link to a place not on the allow list (site/cmd/docsgen/links.go)"
	}
	if u.Path == "" {
		if u.Fragment != "" && !ids[l.Page][u.Fragment] {
			return "no element with id " + u.Fragment + " on this page"
		}
		return ""
	}
	if strings.HasPrefix(u.Path, "/") {
		return "an absolute path: docs links are relative, so the site works under any prefix"
	}
	// Resolve against /docs/<page>.
	p := path.Join("/docs", u.Path)
	if strings.HasSuffix(u.Path, "/") && p != "/" {
		p += "/"
	}
	if rest, ok := strings.CutPrefix(p, "/docs/"); ok {
		if rest == "" || strings.HasSuffix(rest, "/") {
			rest += "index.html"
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rest))); err != nil {
			return "no such file in the docs"
		}
		if u.Fragment != "" {
			if m, ok := ids[rest]; ok && !m[u.Fragment] {
				return "no element with id " + u.Fragment + " on " + rest
			}
		}
		return ""
	}
	if rest, ok := strings.CutPrefix(p, SandboxRoute); ok {
		if _, err := os.Stat(filepath.Join(sandboxes, filepath.FromSlash(rest)+".html")); rest == "" || strings.Contains(rest, "/") || err != nil {
			return "no such pre-rendered sandbox in " + sandboxes
		}
		return ""
	}
	// a file of the app beside the docs (a page's preloads: preload.go)
	if rest := strings.TrimPrefix(p, "/"); IsAppFile(rest) {
		if _, err := os.Stat(filepath.Join(filepath.Dir(filepath.Clean(dir)), rest)); err != nil {
			return "no such file of the app beside the docs"
		}
		return ""
	}
	if !appRoutes[p] {
		return "a path outside the docs that is not one of the app's routes (/, /embed, /api/scenarios)"
	}
	return ""
}
