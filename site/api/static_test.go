//go:build !(js && wasm)

// These tests drive the handler through net/http; the js build of this
// package (the Worker's, on site/internal/httpx's own types) is driven
// through workerd by site/cmd/worker's tests.

package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// site is a small built site: index, an embed view, a hashed wasm with its
// pre-compressed siblings, and the edge's metadata files.
func site() fstest.MapFS {
	return fstest.MapFS{
		"index.html":                       {Data: []byte("<!doctype html><title>connlab</title>")},
		"embed.html":                       {Data: []byte("<!doctype html><title>embed</title>")},
		"docs/index.html":                  {Data: []byte("<!doctype html><title>docs</title>")},
		"icon.svg":                         {Data: []byte("<svg/>")},
		"assets/connlab.0123abcd.wasm":     {Data: []byte("\x00asm\x01\x00\x00\x00plain")},
		"assets/connlab.0123abcd.wasm.br":  {Data: []byte("brotli")},
		"assets/connlab.0123abcd.wasm.gz":  {Data: []byte("gzip")},
		"assets/connlab.0123abcd.js":       {Data: []byte("console.log(1)")},
		"assets/wasm_exec.0123abcd.js.gz":  {Data: []byte("gz only")},
		"assets/wasm_exec.0123abcd.js":     {Data: []byte("wasm_exec")},
		"_headers":                         {Data: []byte("# make worker writes it")},
		".assetsignore":                    {Data: []byte(AssetsIgnoreFile())},
		".secret/x":                        {Data: []byte("no")},
		"assets/.hidden.js":                {Data: []byte("no")},
		"assets/connlab.0123abcd.wasm.map": {Data: []byte("{}")},
		// make site's layout: hashed names at the top
		"connlab.48762e4955ba.js":    {Data: []byte("app")},
		"connlab.48762e4955ba.js.br": {Data: []byte("app br")},
		"manifest.json":              {Data: []byte("{}")},
	}
}

func get(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestStaticFiles(t *testing.T) {
	h := Static(site())
	tests := []struct {
		target, acceptEncoding string
		status                 int
		body, contentType      string
		encoding, cache        string
		embed                  bool
		location               string
	}{
		{target: "/", status: 200, body: "<!doctype html><title>connlab</title>", contentType: "text/html; charset=utf-8", cache: "no-cache"},
		{target: "/index.html", status: 307, location: "/"},
		{target: "/docs/", status: 200, body: "<!doctype html><title>docs</title>", contentType: "text/html; charset=utf-8", cache: "no-cache"},
		{target: "/docs", status: 307, location: "/docs/"},
		{target: "/docs/index.html?a=b", status: 307, location: "/docs/?a=b"},
		{target: "/embed", status: 200, body: "<!doctype html><title>embed</title>", contentType: "text/html; charset=utf-8", cache: "no-cache", embed: true},
		{target: "/embed.html?x=1", status: 307, location: "/embed?x=1"},
		{target: "/icon.svg", status: 200, body: "<svg/>", contentType: "image/svg+xml", cache: "no-cache"},
		{target: "/assets/connlab.0123abcd.wasm", status: 200, body: "\x00asm\x01\x00\x00\x00plain", contentType: "application/wasm", cache: CacheImmutable},
		{target: "/assets/connlab.0123abcd.wasm", acceptEncoding: "gzip, deflate, br, zstd", status: 200, body: "brotli", contentType: "application/wasm", encoding: "br", cache: CacheImmutable},
		{target: "/assets/connlab.0123abcd.wasm", acceptEncoding: "gzip", status: 200, body: "gzip", contentType: "application/wasm", encoding: "gzip", cache: CacheImmutable},
		{target: "/assets/connlab.0123abcd.wasm", acceptEncoding: "br;q=0, gzip;q=0.5", status: 200, body: "gzip", contentType: "application/wasm", encoding: "gzip", cache: CacheImmutable},
		{target: "/assets/connlab.0123abcd.wasm", acceptEncoding: "*", status: 200, body: "brotli", contentType: "application/wasm", encoding: "br", cache: CacheImmutable},
		{target: "/assets/connlab.0123abcd.wasm", acceptEncoding: "identity", status: 200, body: "\x00asm\x01\x00\x00\x00plain", contentType: "application/wasm", cache: CacheImmutable},
		{target: "/assets/wasm_exec.0123abcd.js", acceptEncoding: "br, gzip", status: 200, body: "gz only", contentType: "text/javascript; charset=utf-8", encoding: "gzip", cache: CacheImmutable},
		{target: "/assets/connlab.0123abcd.js", acceptEncoding: "br, gzip", status: 200, body: "console.log(1)", contentType: "text/javascript; charset=utf-8", cache: CacheImmutable},
		{target: "/connlab.48762e4955ba.js", acceptEncoding: "br", status: 200, body: "app br", contentType: "text/javascript; charset=utf-8", encoding: "br", cache: CacheImmutable},
		{target: "/manifest.json", status: 200, body: "{}", contentType: "application/json", cache: "no-cache"},
		{target: "/app/route", status: 404},
		{target: "/connlab.js", status: 404},
		{target: "/assets/missing.0123abcd.js", status: 404},
		{target: "/_headers", status: 404},
		{target: "/.assetsignore", status: 404},
		{target: "/.secret/x", status: 404},
		{target: "/assets/.hidden.js", status: 404},
		{target: "/../../etc/passwd", status: 404},
		{target: "/../../etc/os-release.txt", status: 404},
		{target: "/assets/..%2f..%2fgo.mod", status: 404},
		{target: "/assets/../index.html", status: 307, location: "/"},
	}
	for _, tc := range tests {
		t.Run(tc.target+" "+tc.acceptEncoding, func(t *testing.T) {
			hdr := map[string]string{}
			if tc.acceptEncoding != "" {
				hdr["Accept-Encoding"] = tc.acceptEncoding
			}
			rec := get(t, h, "GET", tc.target, hdr)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d (%q)", rec.Code, tc.status, rec.Body)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("no nosniff")
			}
			if got := rec.Header().Get("Location"); got != tc.location {
				t.Errorf("Location %q, want %q", got, tc.location)
			}
			if tc.status != 200 {
				return
			}
			if got := rec.Body.String(); got != tc.body {
				t.Errorf("body %q, want %q", got, tc.body)
			}
			for k, want := range map[string]string{"Content-Type": tc.contentType, "Content-Encoding": tc.encoding, "Cache-Control": tc.cache} {
				if got := rec.Header().Get(k); got != want {
					t.Errorf("%s %q, want %q", k, got, want)
				}
			}
			csp := rec.Header().Get("Content-Security-Policy")
			if want := map[bool]string{false: CSP, true: EmbedCSP}[tc.embed]; csp != want {
				t.Errorf("CSP %q, want %q", csp, want)
			}
			if strings.Contains(tc.target, "connlab.0123abcd.wasm") && rec.Header().Get("Vary") != "Accept-Encoding" {
				t.Errorf("Vary %q, want Accept-Encoding", rec.Header().Get("Vary"))
			}
		})
	}
}

func TestStaticConditionalAndMethods(t *testing.T) {
	h := Static(site())
	rec := get(t, h, "GET", "/assets/connlab.0123abcd.wasm", map[string]string{"Accept-Encoding": "br"})
	tag := rec.Header().Get("ETag")
	if tag == "" {
		t.Fatal("no ETag")
	}
	plainTag := get(t, h, "GET", "/assets/connlab.0123abcd.wasm", nil).Header().Get("ETag")
	if plainTag == tag {
		t.Errorf("br and identity share the ETag %s", tag)
	}
	rec = get(t, h, "GET", "/assets/connlab.0123abcd.wasm", map[string]string{"Accept-Encoding": "br", "If-None-Match": tag})
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d with %d bytes, want 304", rec.Code, rec.Body.Len())
	}
	rec = get(t, h, "GET", "/assets/connlab.0123abcd.wasm", map[string]string{"Accept-Encoding": "br", "Range": "bytes=0-1"})
	if rec.Code != 200 || rec.Body.String() != "brotli" || rec.Header().Get("Content-Length") != "6" {
		t.Errorf("br with Range: %d %q, Content-Length %q; want the whole encoded file", rec.Code, rec.Body, rec.Header().Get("Content-Length"))
	}
	rec = get(t, h, "GET", "/assets/connlab.0123abcd.wasm", map[string]string{"Range": "bytes=0-3"})
	if rec.Code != http.StatusPartialContent || rec.Body.String() != "\x00asm" {
		t.Errorf("identity with Range: %d %q, want 206", rec.Code, rec.Body)
	}
	rec = get(t, h, "HEAD", "/", nil)
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
	}
	rec = get(t, h, "POST", "/", nil)
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestAccepts(t *testing.T) {
	tests := []struct {
		header, token string
		want          bool
	}{
		{"", "br", false},
		{"br", "br", true},
		{"BR", "br", true},
		{"gzip, br;q=0.1", "br", true},
		{"gzip, br;q=0", "br", false},
		{"gzip, br; q=0.0", "br", false},
		{"*", "gzip", true},
		{"*;q=0", "gzip", false},
		{"*, gzip;q=0", "gzip", false},
		{"deflate", "gzip", false},
		{"x-gzip", "gzip", false},
	}
	for _, tc := range tests {
		if got := accepts(tc.header, tc.token); got != tc.want {
			t.Errorf("accepts(%q, %q) = %v", tc.header, tc.token, got)
		}
	}
}

func TestContentType(t *testing.T) {
	for name, want := range map[string]string{
		"a.wasm": "application/wasm", "a.html": "text/html; charset=utf-8", "a.js": "text/javascript; charset=utf-8",
		"a.css": "text/css; charset=utf-8", "a.svg": "image/svg+xml", "a.json": "application/json", "a.unknownext": "application/octet-stream",
	} {
		if got := ContentType(name); got != want {
			t.Errorf("ContentType(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestRedirectsFile: the edge's _redirects makes /embed the app's page,
// unless the site has an embed page of its own.
func TestRedirectsFile(t *testing.T) {
	fsys := site()
	if got := RedirectsFile(fsys); strings.Contains(got, "/embed") {
		t.Errorf("with embed.html: %q", got)
	}
	delete(fsys, "embed.html")
	got := RedirectsFile(fsys)
	if !strings.Contains(got, "\n/embed / 200\n") {
		t.Errorf("without embed.html: %q", got)
	}
	rec := get(t, Static(fsys), "GET", "/embed?embed=1", nil)
	if rec.Code != 200 || rec.Body.String() != "<!doctype html><title>connlab</title>" || rec.Header().Get("Content-Security-Policy") != EmbedCSP {
		t.Errorf("/embed natively: %d %q", rec.Code, rec.Body)
	}
}

// TestSiteRoutes: /api and /api/... go to the API as written (no cleaning,
// no redirect), the rest to the files.
func TestSiteRoutes(t *testing.T) {
	h := Site(New(Options{}), Static(site()))
	for target, want := range map[string]int{"/api//run": 404, "/api": 404, "/api/health": 200, "/": 200, "/nope": 404} {
		rec := get(t, h, "GET", target, nil)
		if rec.Code != want {
			t.Errorf("%s: %d, want %d", target, rec.Code, want)
		}
		if strings.HasPrefix(target, "/api/") && rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s: %q, want the API's JSON", target, rec.Header().Get("Content-Type"))
		}
	}
}
