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
	"strconv"
	"strings"
	"time"
)

// This file is the native file server's serving; it is not built for the
// Worker (js/wasm), where Cloudflare's static assets serve the files and
// net/http is not linked (site/internal/httpx).

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
