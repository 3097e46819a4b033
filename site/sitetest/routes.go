//go:build !(js && wasm)

// Package sitetest holds the one route table both servers are held to: the
// native server of `make run` (site/cmd/serve, tested in its package) and the
// Worker in workerd with Cloudflare's static assets (site/cmd/worker's
// end-to-end test). Each row is a method and a path and what must come
// back: the status, the Content-Type and the key headers. The fixtures are
// a small built site laid out as `make site` lays out site/dist, with the
// files `make worker` adds (_headers, _redirects, .assetsignore).
//
// Only tests import it, and only natively (it uses the native file
// server's api.ContentType, which the Worker's js/wasm build leaves out).
package sitetest

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connlab/connlab/site/api"
)

// Fixtures are the site's files, as make site lays them out: a page, hashed
// files at the top with a pre-compressed sibling, docs, and a hashed file
// under /assets/. There is no embed.html: /embed is a rewrite to the page.
var Fixtures = map[string]string{
	"index.html":                   "<!doctype html><title>connlab e2e</title>\n",
	"connlab.a81e173493c8.wasm":    "\x00asm\x01\x00\x00\x00",
	"connlab.a81e173493c8.wasm.br": "not served at the edge",
	"connlab.48762e4955ba.js":      "console.log('connlab')\n",
	"manifest.json":                "{}\n",
	"docs/index.html":              "<!doctype html><title>docs</title>\n",
	"assets/worker.0123abcd.css":   "body{}\n",
}

// WriteSite writes the fixtures into dir, with the _headers, _redirects and
// .assetsignore that make worker generates for them.
func WriteSite(t testing.TB, dir string) {
	t.Helper()
	write := func(name, data string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range Fixtures {
		write(name, data)
	}
	headers, err := api.HeadersFile(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	write("_headers", headers)
	write("_redirects", api.RedirectsFile(os.DirFS(dir)))
	write(".assetsignore", api.AssetsIgnoreFile())
}

// Absent is a Headers value that says the header must not be sent.
const Absent = "<absent>"

// Route is one row: a request and what both servers must answer.
type Route struct {
	Method, Path string
	Body         string // request body, sent as application/json
	Status       int
	ContentType  string            // "" when there must be none
	Headers      map[string]string // exact values, or Absent
	File         string            // a GET's body is this fixture's content
}

// RunSession is the small session the table posts to /api/run.
const RunSession = `{"version": 1, "handler": "hello", "input": [{"send": "GET / HTTP/1.1\r\nHost: x\r\n\r\n"}]}`

const (
	html = "text/html; charset=utf-8"
	text = "text/plain; charset=utf-8"
	js   = "text/javascript; charset=utf-8"
	json = "application/json"
)

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// static headers: the edge's _headers and the native StaticHeaders
func static(cache, csp string) map[string]string {
	return map[string]string{
		"Content-Security-Policy":     csp,
		"X-Content-Type-Options":      "nosniff",
		"Referrer-Policy":             api.ReferrerPolicy,
		"Cache-Control":               cache,
		"Access-Control-Allow-Origin": Absent,
	}
}

var apiHeaders = map[string]string{
	"Content-Security-Policy":     api.APICSP,
	"X-Content-Type-Options":      "nosniff",
	"Referrer-Policy":             api.ReferrerPolicy,
	"Access-Control-Allow-Origin": "*",
}

// Routes is the table. Decisions (README, "Routes"):
//   - a path that names no file is a text 404, never the app's page (at the
//     edge the Worker answers it: not_found_handling "none");
//   - /embed, the app's one route, is index.html (a _redirects rewrite at
//     the edge); /embed.html names no file, so it is a 404;
//   - /index.html and /docs redirect (307) to / and /docs/, the canonical
//     forms (html_handling "auto-trailing-slash");
//   - files answer GET and HEAD; other methods get an empty 405 with Allow;
//   - /api/* goes to the API exactly as written: /api//run is the API's JSON
//     404, not a redirect; OPTIONS on an API route is the CORS preflight.
func Routes() []Route {
	var rs []Route
	page := func(path, file, cache, csp string) {
		hdr := static(cache, csp)
		rs = append(rs,
			Route{Method: "GET", Path: path, Status: 200, ContentType: api.ContentType(file), Headers: hdr, File: file},
			Route{Method: "HEAD", Path: path, Status: 200, ContentType: api.ContentType(file), Headers: hdr})
		for _, m := range []string{"OPTIONS", "POST", "PUT"} {
			rs = append(rs, Route{Method: m, Path: path, Status: 405,
				Headers: merge(static(cache, csp), map[string]string{"Allow": api.StaticMethods})})
		}
	}
	page("/", "index.html", api.CacheRevalidate, api.CSP)
	page("/embed", "index.html", api.CacheRevalidate, api.EmbedCSP)
	page("/embed?embed=1&scenario=keep-alive", "index.html", api.CacheRevalidate, api.EmbedCSP)
	page("/docs/", "docs/index.html", api.CacheRevalidate, api.CSP)
	page("/connlab.48762e4955ba.js", "connlab.48762e4955ba.js", api.CacheImmutable, api.CSP)
	page("/connlab.a81e173493c8.wasm", "connlab.a81e173493c8.wasm", api.CacheImmutable, api.CSP)
	page("/assets/worker.0123abcd.css", "assets/worker.0123abcd.css", api.CacheImmutable, api.CSP)
	page("/manifest.json", "manifest.json", api.CacheRevalidate, api.CSP)

	redirect := func(path, to string) {
		for _, m := range []string{"GET", "HEAD"} {
			rs = append(rs, Route{Method: m, Path: path, Status: 307,
				Headers: merge(static(api.CacheRevalidate, api.CSP), map[string]string{"Location": to})})
		}
		for _, m := range []string{"OPTIONS", "POST", "PUT"} {
			rs = append(rs, Route{Method: m, Path: path, Status: 405,
				Headers: merge(static(api.CacheRevalidate, api.CSP), map[string]string{"Allow": api.StaticMethods})})
		}
	}
	redirect("/index.html", "/")
	redirect("/index.html?x=1", "/?x=1")
	redirect("/docs", "/docs/")
	redirect("/docs/index.html", "/docs/")

	notFound := func(path string) {
		csp := api.CSP
		if api.IsEmbedPath(path) {
			csp = api.EmbedCSP
		}
		for _, m := range []string{"GET", "HEAD", "OPTIONS", "POST", "PUT"} {
			rs = append(rs, Route{Method: m, Path: path, Status: 404, ContentType: text,
				Headers: static("no-store", csp)})
		}
	}
	notFound("/embed.html")
	notFound("/connlab.js")              // an unknown script
	notFound("/connlab.0123456789.wasm") // an unknown hashed name
	notFound("/assets/missing.0123abcd.js")
	notFound("/some/app/route")
	notFound("/connlab.a81e173493c8.wasm.br") // not uploaded (.assetsignore)
	notFound("/_headers")
	notFound("/.assetsignore")

	apiRoute := func(path string, methods string, ok map[string]int) {
		allow := methods + ", OPTIONS"
		for _, m := range []string{"GET", "HEAD", "OPTIONS", "POST", "PUT"} {
			r := Route{Method: m, Path: path}
			switch status, isOK := ok[m]; {
			case isOK:
				r.Status, r.ContentType = status, json
				if m == "POST" {
					r.Body = RunSession
				}
				r.Headers = merge(apiHeaders) // Cache-Control differs by route
			case m == "OPTIONS":
				r.Status = 204
				r.Headers = merge(apiHeaders, map[string]string{
					"Allow":                        allow,
					"Access-Control-Allow-Methods": allow,
					"Access-Control-Allow-Headers": api.CORSAllowHeaders,
					"Access-Control-Max-Age":       api.CORSMaxAge,
				})
			default:
				r.Status, r.ContentType = 405, json
				r.Headers = merge(apiHeaders, map[string]string{"Allow": allow, "Cache-Control": "no-store"})
			}
			rs = append(rs, r)
		}
	}
	apiRoute("/api/run", "POST", map[string]int{"POST": 200})
	apiRoute("/api/rust", "POST", map[string]int{"POST": 200})
	apiRoute("/api/health", "GET, HEAD", map[string]int{"GET": 200, "HEAD": 200})
	apiRoute("/api/scenarios", "GET, HEAD", map[string]int{"GET": 200, "HEAD": 200})
	apiRoute("/api/scenarios/keep-alive", "GET, HEAD", map[string]int{"GET": 200, "HEAD": 200})
	for _, p := range []string{"/api//run", "/api/nope", "/api/run/", "/api"} {
		for _, m := range []string{"GET", "HEAD", "OPTIONS", "POST", "PUT"} {
			rs = append(rs, Route{Method: m, Path: p, Status: 404, ContentType: json,
				Headers: merge(apiHeaders, map[string]string{"Cache-Control": "no-store"})})
		}
	}
	return rs
}

// Check sends every row of the table to the server at base
// (http://127.0.0.1:PORT), without following redirects or asking for
// compression, and reports each difference.
func Check(t *testing.T, base string) {
	t.Helper()
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, r := range Routes() {
		var body io.Reader
		if r.Body != "" {
			body = strings.NewReader(r.Body)
		}
		req, err := http.NewRequest(r.Method, base+r.Path, body)
		if err != nil {
			t.Fatal(err)
		}
		if r.Body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := c.Do(req)
		if err != nil {
			t.Errorf("%s %s: %v", r.Method, r.Path, err)
			continue
		}
		got, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Errorf("%s %s: reading the body: %v", r.Method, r.Path, err)
			continue
		}
		what := r.Method + " " + r.Path
		if res.StatusCode != r.Status {
			t.Errorf("%s: status %d, want %d (%.200q)", what, res.StatusCode, r.Status, got)
			continue
		}
		if ct := res.Header.Get("Content-Type"); ct != r.ContentType {
			t.Errorf("%s: Content-Type %q, want %q", what, ct, r.ContentType)
		}
		for k, want := range r.Headers {
			v, ok := res.Header[http.CanonicalHeaderKey(k)]
			switch {
			case want == Absent && ok:
				t.Errorf("%s: %s %q, want none", what, k, v)
			case want != Absent && strings.Join(v, ", ") != want:
				t.Errorf("%s: %s %q, want %q", what, k, strings.Join(v, ", "), want)
			}
		}
		if r.Method == "HEAD" && len(got) != 0 {
			t.Errorf("%s: %d body bytes", what, len(got))
		}
		if r.File != "" && string(got) != Fixtures[r.File] {
			t.Errorf("%s: body %.100q, want %s", what, got, r.File)
		}
	}
}
