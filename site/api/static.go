//go:build !(js && wasm)

package api

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Static serves the built site (site/dist) from fsys as Cloudflare's static
// assets serve it at the edge, with the headers of StaticHeaders; the table
// in site/sitetest holds both to the same answers:
//
//   - / is index.html, /dir/ is dir/index.html, /name is name.html when
//     that exists; /dir, /name.html and /dir/index.html are 307 redirects
//     to those canonical forms, with the query kept (html_handling
//     "auto-trailing-slash");
//   - the app's routes (Rewrites: /embed) are index.html, as the _redirects
//     file RedirectsFile writes makes them at the edge;
//   - anything else is a 404 (NotFound), never the app's page: a missing
//     script must not come back as HTML (wrangler.toml's not_found_handling
//     is "none", so at the edge the Worker answers it with NotFound);
//   - methods other than GET and HEAD get an empty 405 with Allow on a path
//     that exists (as the edge's asset server answers them);
//   - _headers, _redirects, dot-files (.assetsignore) and the .br and .gz
//     siblings are not served by their names: they are as missing as at
//     the edge;
//   - a file with a pre-compressed sibling (name.br, name.gz) is served
//     from the sibling, with Content-Encoding, when the request accepts it:
//     the site ships connlab.<hash>.wasm with .br and .gz beside it.
func Static(fsys fs.FS) http.Handler {
	return &static{fsys: fsys}
}

type static struct {
	fsys fs.FS
}

// contentTypes fixes the types the site uses, whatever the machine's
// mime.types says; others fall back to mime.TypeByExtension.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".wasm":        "application/wasm",
	".json":        "application/json",
	".map":         "application/json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".webmanifest": "application/manifest+json",
	".woff2":       "font/woff2",
}

// ContentType is the Content-Type of a file name.
func ContentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// encodings are the pre-compressed siblings Static looks for, best first.
var encodings = []struct{ token, ext string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// Rewrites are the app's routes: request paths served with another path's
// file (at the edge, through _redirects rules with status 200) unless a file
// of their own exists. The docs frame the embed view as /embed?embed=1&….
var Rewrites = map[string]string{"/embed": "/"}

func (s *static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := path.Clean("/" + r.URL.Path)
	name, redirect, ok := s.resolve(p, strings.HasSuffix(r.URL.Path, "/") && p != "/")
	if !ok {
		NotFound(w, r)
		return
	}
	h := w.Header()
	StaticHeaders(h, p)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", StaticMethods)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if redirect != "" {
		if r.URL.RawQuery != "" {
			redirect += "?" + r.URL.RawQuery
		}
		h.Set("Location", redirect)
		w.WriteHeader(http.StatusTemporaryRedirect)
		return
	}
	h.Set("Content-Type", ContentType(name))

	// Content negotiation between the file and its pre-compressed siblings.
	serve, encoding := name, ""
	var variants bool
	for _, e := range encodings {
		if !s.isFile(name + e.ext) {
			continue
		}
		variants = true
		if encoding == "" && accepts(r.Header.Get("Accept-Encoding"), e.token) {
			serve, encoding = name+e.ext, e.token
		}
	}
	if variants {
		h.Add("Vary", "Accept-Encoding")
	}
	if encoding != "" {
		h.Set("Content-Encoding", encoding)
	}

	f, err := s.fsys.Open(serve)
	if err != nil {
		plain(w, http.StatusInternalServerError, "500 cannot open "+serve)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		plain(w, http.StatusInternalServerError, "500 cannot stat "+serve)
		return
	}
	tag := fmt.Sprintf(`"%x-%x`, info.ModTime().UnixNano(), info.Size())
	if encoding != "" {
		tag += "-" + encoding
	}
	h.Set("ETag", tag+`"`)
	content, ok := f.(io.ReadSeeker)
	if !ok {
		b, err := io.ReadAll(f)
		if err != nil {
			plain(w, http.StatusInternalServerError, "500 cannot read "+serve)
			return
		}
		content = bytes.NewReader(b)
	}
	if encoding != "" {
		// ServeContent leaves out Content-Length when there is a
		// Content-Encoding, and its ranges would be ranges of the encoded
		// bytes: send the whole encoded file, with its length.
		r.Header.Del("Range")
		h.Set("Content-Length", strconv.FormatInt(info.Size(), 10))
	}
	// ServeContent answers conditional and range requests; the ETag above
	// is what If-None-Match is checked against. A zero time keeps it from
	// adding Last-Modified, which the edge does not send either.
	http.ServeContent(w, r, name, time.Time{}, content)
}

// resolve maps a clean request path (slash: the request had a trailing
// slash) to a file name in fsys, or to the canonical path to redirect to,
// as html_handling "auto-trailing-slash" does at the edge.
func (s *static) resolve(p string, slash bool) (name, redirect string, ok bool) {
	if ext := path.Ext(p); ext == ".br" || ext == ".gz" {
		// the pre-compressed siblings are Content-Encodings of their file,
		// not files of the site (nor uploaded to the edge: .assetsignore)
		return "", "", false
	}
	if name, redirect, ok = s.resolveFile(p, slash); ok {
		return name, redirect, ok
	}
	if to, ok := Rewrites[p]; ok && !slash {
		return s.resolveFile(to, false)
	}
	return "", "", false
}

// resolveFile is resolve without the Rewrites.
func (s *static) resolveFile(p string, slash bool) (name, redirect string, ok bool) {
	if p == "/" {
		return "index.html", "", s.isFile("index.html")
	}
	name = strings.TrimPrefix(p, "/")
	switch {
	case path.Base(name) == "index.html" && s.isFile(name):
		return "", strings.TrimSuffix(p, "index.html"), true
	case strings.HasSuffix(name, ".html") && s.isFile(name):
		if strings.HasSuffix(name, "/index.html") || !slash && s.isFile(strings.TrimSuffix(name, ".html")) {
			break // the canonical form names another file
		}
		return "", strings.TrimSuffix(p, ".html"), true
	}
	if slash {
		if s.isFile(name + "/index.html") {
			return name + "/index.html", "", true
		}
		if s.isFile(name + ".html") {
			return "", p, true
		}
	} else {
		if s.isFile(name) {
			return name, "", true
		}
		if s.isFile(name + ".html") {
			return name + ".html", "", true
		}
		if s.isFile(name + "/index.html") {
			return "", p + "/", true
		}
	}
	return "", "", false
}

// isFile reports whether name is a file the site serves: a regular file,
// not a dot-file nor one of the edge's metadata files (which Cloudflare
// does not serve either).
func (s *static) isFile(name string) bool {
	if !fs.ValidPath(name) {
		return false
	}
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") || seg == "_headers" || seg == "_redirects" {
			return false
		}
	}
	info, err := fs.Stat(s.fsys, name)
	return err == nil && info.Mode().IsRegular()
}

// accepts reports whether an Accept-Encoding header value accepts the
// content coding token (RFC 9110 §12.5.3): listed, or covered by "*", with a
// q-value above zero.
func accepts(header, token string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		q := 1.0
		for _, param := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(param), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch coding {
		case token:
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}

// RedirectsFile is Cloudflare's _redirects file for the built site in fsys:
// the Rewrites (status 200, a rewrite, not a redirect) whose path has no
// file of its own (an embed.html would serve /embed itself).
func RedirectsFile(fsys fs.FS) string {
	var b strings.Builder
	b.WriteString("# Cloudflare Workers static assets: the app's routes (site/api/static.go, Rewrites).\n")
	b.WriteString("# Generated by `go run ./site/cmd/serve -dir site/dist -print-redirects` (make worker); do not edit.\n")
	st := &static{fsys: fsys}
	var from []string
	for p := range Rewrites {
		from = append(from, p)
	}
	sort.Strings(from)
	for _, p := range from {
		if _, _, ok := st.resolveFile(p, false); ok {
			continue // a file of its own
		}
		fmt.Fprintf(&b, "%s %s 200\n", p, Rewrites[p])
	}
	return b.String()
}
