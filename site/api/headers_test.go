//go:build !(js && wasm)

// These tests drive the handler through net/http; the js build of this
// package (the Worker's, on site/internal/httpx's own types) is driven
// through workerd by site/cmd/worker's tests.

package api

import (
	"fmt"
	"net/http"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// cfRule is one rule of a _headers file.
type cfRule struct {
	path  *regexp.Regexp
	set   [][2]string
	unset []string
}

// parseCF parses a _headers file as Cloudflare's static assets do
// (workers-shared parseHeaders): a line starting with / opens a rule,
// "Name: value" adds a header, "! Name" removes one; # starts a comment.
func parseCF(t *testing.T, file string) []cfRule {
	t.Helper()
	var rules []cfRule
	for i, line := range strings.Split(file, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "/"):
			if len(line) > 2000 {
				t.Fatalf("line %d is longer than Cloudflare's 2000", i+1)
			}
			re := "^" + strings.ReplaceAll(regexp.QuoteMeta(line), `\*`, ".*") + "$"
			rules = append(rules, cfRule{path: regexp.MustCompile(re)})
		case len(rules) == 0:
			t.Fatalf("line %d: header before any path: %q", i+1, line)
		case strings.HasPrefix(line, "! "):
			r := &rules[len(rules)-1]
			r.unset = append(r.unset, strings.TrimPrefix(line, "! "))
		default:
			name, value, ok := strings.Cut(line, ":")
			if !ok || strings.Contains(strings.TrimSpace(name), " ") || strings.TrimSpace(value) == "" {
				t.Fatalf("line %d: not a header: %q", i+1, line)
			}
			r := &rules[len(rules)-1]
			r.set = append(r.set, [2]string{strings.TrimSpace(name), strings.TrimSpace(value)})
		}
	}
	if len(rules) > 100 {
		t.Fatalf("%d rules, Cloudflare's limit is 100", len(rules))
	}
	return rules
}

// applyCF applies the rules to a response as the asset worker does
// (attachCustomHeaders): matching rules in file order; each first removes its
// "!" headers, then sets its own, appending to a value an earlier rule set.
func applyCF(rules []cfRule, p string, h http.Header) {
	setBy := map[string]bool{}
	for _, r := range rules {
		if !r.path.MatchString(p) {
			continue
		}
		for _, name := range r.unset {
			h.Del(name)
		}
		for _, kv := range r.set {
			key := http.CanonicalHeaderKey(kv[0])
			if setBy[key] {
				h.Add(key, kv[1])
			} else {
				h.Set(key, kv[1])
				setBy[key] = true
			}
		}
	}
}

// TestHeadersFileMatchesStaticHeaders: the edge (the _headers file, as
// Cloudflare applies it) and the native server (StaticHeaders) send the
// same headers for every kind of path.
func TestHeadersFileMatchesStaticHeaders(t *testing.T) {
	fsys := site()
	file, err := HeadersFile(fsys)
	if err != nil {
		t.Fatal(err)
	}
	rules := parseCF(t, file)
	paths := []string{
		"/", "/docs/", "/docs/poll-loop", "/embed", "/embed/", "/embed/x", "/embedded",
		"/assets", "/assets/x/y.css", "/some/app/route", "/connlab.js",
	}
	for name := range fsys {
		if ext := path.Ext(name); ext != ".br" && ext != ".gz" { // not at the edge
			paths = append(paths, "/"+name)
		}
	}
	for _, p := range paths {
		edge := http.Header{}
		// what the asset worker sets before the custom headers
		edge.Set("Cache-Control", "public, max-age=0, must-revalidate")
		applyCF(rules, p, edge)
		native := http.Header{}
		StaticHeaders(native, p)
		for _, k := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Allow", "Cache-Control"} {
			if e, n := edge.Values(k), native.Values(k); strings.Join(e, "\n") != strings.Join(n, "\n") {
				t.Errorf("%s %s: edge %q, native %q", p, k, e, n)
			}
		}
	}
}

func TestStaticHeadersPolicy(t *testing.T) {
	tests := []struct {
		path, cache, frame string
	}{
		{"/", "no-cache", "frame-ancestors 'none'"},
		{"/docs/", "no-cache", "frame-ancestors 'none'"},
		{"/a", "no-cache", "frame-ancestors 'none'"},
		{"/index.html", "no-cache", "frame-ancestors 'none'"},
		{"/assets/connlab.0123abcd.wasm", "public, max-age=31536000, immutable", "frame-ancestors 'none'"},
		{"/connlab.48762e4955ba.js", "public, max-age=31536000, immutable", "frame-ancestors 'none'"},
		{"/connlab.a81e173493c8.wasm.br", "public, max-age=31536000, immutable", "frame-ancestors 'none'"},
		{"/docs/connlab.48762e49.css", "public, max-age=31536000, immutable", "frame-ancestors 'none'"},
		{"/connlab.js", "no-cache", "frame-ancestors 'none'"},
		{"/48762e4955ba.js", "no-cache", "frame-ancestors 'none'"},
		{"/connlab.4876.js", "no-cache", "frame-ancestors 'none'"},
		{"/connlab.48762e4955bg.js", "no-cache", "frame-ancestors 'none'"},
		{"/manifest.json", "no-cache", "frame-ancestors 'none'"},
		{"/embed", "no-cache", "frame-ancestors *"},
		{"/embed.html", "no-cache", "frame-ancestors *"},
		{"/embed/x", "no-cache", "frame-ancestors *"},
		{"/embedded", "no-cache", "frame-ancestors 'none'"},
	}
	for _, tc := range tests {
		h := http.Header{}
		StaticHeaders(h, tc.path)
		if got := h.Get("Cache-Control"); got != tc.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tc.path, got, tc.cache)
		}
		csp := h.Get("Content-Security-Policy")
		if !strings.HasSuffix(csp, tc.frame) {
			t.Errorf("%s: CSP %q, want it to end %q", tc.path, csp, tc.frame)
		}
		for _, d := range []string{"default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "connect-src 'self'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: CSP %q lacks %q", tc.path, csp, d)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "'unsafe-eval'") {
			t.Errorf("%s: CSP %q is not strict", tc.path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", tc.path)
		}
		if got := h.Get("Referrer-Policy"); got != "strict-origin-when-cross-origin" {
			t.Errorf("%s: Referrer-Policy %q", tc.path, got)
		}
	}
}

func TestAPIHeadersPolicy(t *testing.T) {
	h := http.Header{}
	APIHeaders(h)
	for k, want := range map[string]string{
		"X-Content-Type-Options":      "nosniff",
		"Content-Security-Policy":     "default-src 'none'; frame-ancestors 'none'",
		"Referrer-Policy":             "strict-origin-when-cross-origin",
		"Access-Control-Allow-Origin": "*",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
}

func TestHeadersFileRuleLimit(t *testing.T) {
	fsys := fstest.MapFS{}
	for i := range 120 {
		fsys[fmt.Sprintf("f%d.%08x.js", i, i)] = &fstest.MapFile{}
	}
	if _, err := HeadersFile(fsys); err == nil || !strings.Contains(err.Error(), "over Cloudflare's 100") {
		t.Errorf("120 hashed files: %v, want an error", err)
	}
}
