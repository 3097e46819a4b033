package api

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/connlab/connlab/site/internal/httpx"
)

// The site's header policy. The native server applies it to every static
// file (StaticHeaders, through Static); at the edge Cloudflare's static
// assets apply it from the _headers file HeadersFile writes; the API's own
// responses get APIHeaders. One policy, three places, so a test of one is a
// test of all.
const (
	// CSP lets the page load its own scripts, styles and images, fetch its
	// own API and compile WebAssembly ('wasm-unsafe-eval' allows
	// WebAssembly.instantiate without allowing eval), and nothing else. No
	// inline scripts or style attributes; no framing.
	CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	// EmbedCSP is CSP for the embed view, which any page may frame.
	EmbedCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors *"
	// APICSP is for the API's JSON and text: nothing to load, nothing to frame.
	APICSP = "default-src 'none'; frame-ancestors 'none'"

	// ReferrerPolicy is sent with every response, static or API: another
	// origin learns at most our origin, never a path or a query (an embed's
	// scenario, a permalink's session).
	ReferrerPolicy = "strict-origin-when-cross-origin"

	// CacheImmutable is for hashed file names (under /assets/): the name
	// changes when the content does, so caches may keep them for a year.
	CacheImmutable = "public, max-age=31536000, immutable"
	// CacheRevalidate is for everything else, index.html first: caches must
	// ask (cheaply, with the ETag) before reusing it, so a deploy shows at once.
	CacheRevalidate = "no-cache"
)

// AssetsPrefix is a directory of content-addressed files.
const AssetsPrefix = "/assets/"

// StaticMethods are the methods the static site answers.
const StaticMethods = "GET, HEAD"

// EmbedPaths are the paths of the embed view, the only pages other sites
// may frame (the docs frame /embed?embed=1&scenario=…). Cloudflare's
// _headers rules match paths, not query strings, so the embed view is a
// path: /embed (index.html, as a single-page route, or embed.html) and
// anything under /embed/.
var EmbedPaths = []string{"/embed", "/embed.html", "/embed/*"}

// IsEmbedPath reports whether a request path is the embed view.
func IsEmbedPath(p string) bool {
	for _, e := range EmbedPaths {
		if prefix, ok := strings.CutSuffix(e, "*"); ok {
			if strings.HasPrefix(p, prefix) {
				return true
			}
		} else if p == e {
			return true
		}
	}
	return false
}

// IsHashedPath reports whether a request path names a content-addressed
// file: anything under /assets/, or a name with a hash of at least 8 hex
// digits between dots, as make site names them (connlab.48762e4955ba.js,
// connlab.a81e173493c8.wasm.br).
func IsHashedPath(p string) bool {
	if strings.HasPrefix(p, AssetsPrefix) {
		return true
	}
	parts := strings.Split(path.Base(p), ".")
	if len(parts) < 3 {
		return false // name.hash.ext at least
	}
	for _, part := range parts[1 : len(parts)-1] {
		if isHash(part) {
			return true
		}
	}
	return false
}

func isHash(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// StaticHeaders sets the security and caching headers of a static file
// served at request path p.
func StaticHeaders(h httpx.Header, p string) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", ReferrerPolicy)
	// on every answer, so that the edge's 405 for a file (which its asset
	// server sends bare) says what is allowed: _headers cannot match a status
	h.Set("Allow", StaticMethods)
	if IsEmbedPath(p) {
		h.Set("Content-Security-Policy", EmbedCSP)
	} else {
		h.Set("Content-Security-Policy", CSP)
	}
	if IsHashedPath(p) {
		h.Set("Cache-Control", CacheImmutable)
	} else {
		h.Set("Cache-Control", CacheRevalidate)
	}
}

// CORS for /api/*: the API is public and read-only (a run changes nothing
// and needs no credentials), so any origin may call it. Every API response
// carries Access-Control-Allow-Origin: *, and an OPTIONS preflight gets a 204
// that allows the route's methods and the content-type header (a POST of
// application/json is not a "simple" request, so browsers ask first).
// Without credentials "*" exposes nothing a server-side client could not
// fetch anyway.
const (
	CORSAllowOrigin  = "*"
	CORSAllowHeaders = "content-type"
	CORSMaxAge       = "86400" // a day: browsers cap it lower anyway
)

// APIHeaders sets the security and CORS headers of an API response.
func APIHeaders(h httpx.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", APICSP)
	h.Set("Referrer-Policy", ReferrerPolicy)
	h.Set("Access-Control-Allow-Origin", CORSAllowOrigin)
}

// maxHeaderRules is Cloudflare's limit on _headers rules.
const maxHeaderRules = 100

// HeadersFile is Cloudflare's _headers file for the built site in fsys
// (site/dist): the policy of StaticHeaders, for the files that are there.
// _headers matches paths with splats, not patterns, so each hashed file
// outside /assets/ gets a rule of its own. Rules apply in order; when
// several match, a later rule's "! Name" line removes what an earlier one
// set, so the specific rule has the last word.
func HeadersFile(fsys fs.FS) (string, error) {
	var hashed []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		p := "/" + name
		if d.IsDir() {
			if p+"/" == AssetsPrefix {
				return fs.SkipDir // one rule covers it
			}
			return nil
		}
		if ext := path.Ext(name); ext == ".br" || ext == ".gz" {
			return nil // not uploaded (AssetsIgnoreFile)
		}
		if IsHashedPath(p) {
			hashed = append(hashed, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("# Cloudflare Workers static assets: the headers of the built site.\n")
	b.WriteString("# Generated from site/api/headers.go by `go run ./site/cmd/serve -dir site/dist -print-headers`\n")
	b.WriteString("# (make worker); do not edit.\n")
	n := 0
	rule := func(path string, unset []string, set ...[2]string) {
		n++
		fmt.Fprintf(&b, "%s\n", path)
		for _, u := range unset {
			fmt.Fprintf(&b, "  ! %s\n", u)
		}
		for _, kv := range set {
			fmt.Fprintf(&b, "  %s: %s\n", kv[0], kv[1])
		}
	}
	rule("/*", nil,
		[2]string{"Content-Security-Policy", CSP},
		[2]string{"X-Content-Type-Options", "nosniff"},
		[2]string{"Referrer-Policy", ReferrerPolicy},
		[2]string{"Allow", StaticMethods},
		[2]string{"Cache-Control", CacheRevalidate})
	rule(AssetsPrefix+"*", []string{"Cache-Control"},
		[2]string{"Cache-Control", CacheImmutable})
	for _, p := range hashed {
		rule(p, []string{"Cache-Control"},
			[2]string{"Cache-Control", CacheImmutable})
	}
	for _, p := range EmbedPaths {
		rule(p, []string{"Content-Security-Policy"},
			[2]string{"Content-Security-Policy", EmbedCSP})
	}
	if n > maxHeaderRules {
		return "", fmt.Errorf("_headers: %d rules, over Cloudflare's %d: put the hashed files under %s", n, maxHeaderRules, AssetsPrefix)
	}
	return b.String(), nil
}

// AssetsIgnoreFile is the .assetsignore for the built site: the
// pre-compressed siblings (.br, .gz) are for the native server's content
// negotiation; Cloudflare compresses at the edge itself.
func AssetsIgnoreFile() string {
	return "# Generated from site/api/headers.go; do not edit.\n*.br\n*.gz\n"
}
