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

// Static serves the built site (site/dist) from fsys as Cloudflare's static
// assets serve it at the edge, with the headers of StaticHeaders:
//
//   - / is index.html, a directory is its index.html, /name is name.html
//     when that exists (html_handling "auto-trailing-slash");
//   - a path that matches no file and has no extension is index.html with
//     200 (not_found_handling "single-page-application"); with an extension
//     it is a 404;
//   - _headers, _redirects and dot-files (.assetsignore) are not served:
//     they are as missing as at the edge;
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

func (s *static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		plain(w, http.StatusMethodNotAllowed, "405 method not allowed: the site answers GET and HEAD")
		return
	}
	p := path.Clean("/" + r.URL.Path)
	name, ok := s.resolve(p, strings.HasSuffix(r.URL.Path, "/"))
	if !ok {
		StaticHeaders(w.Header(), p)
		w.Header().Set("Cache-Control", "no-store")
		plain(w, http.StatusNotFound, "404 page not found")
		return
	}
	h := w.Header()
	StaticHeaders(h, p)
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

// resolve maps a clean request path to a file name in fsys.
func (s *static) resolve(p string, dirSlash bool) (string, bool) {
	name := strings.TrimPrefix(p, "/")
	if name == "" {
		name = "."
	}
	if !dirSlash && name != "." && s.isFile(name) {
		return name, true
	}
	if index := path.Join(name, "index.html"); s.isFile(index) {
		return index, true
	}
	if name != "." && !dirSlash && s.isFile(name+".html") {
		return name + ".html", true
	}
	if path.Ext(name) == "" && s.isFile("index.html") {
		return "index.html", true // a single-page application's route
	}
	return "", false
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

func plain(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Del("Content-Encoding")
	h.Del("ETag")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}
