package api

import (
	"io"
	"path"
	"strings"

	"github.com/connlab/connlab/site/internal/httpx"
)

// This file is what the Worker needs of the site's handler besides the API
// (static.go, the native file server, is not built for js/wasm).

// NotFound is the answer for a path that is neither a file of the site nor
// an API route: a short text 404 with the site's headers, never cached. At
// the edge the Worker sends it (site/cmd/worker), natively Static does.
func NotFound(w httpx.ResponseWriter, r *httpx.Request) {
	p := path.Clean("/" + r.URL.Path)
	StaticHeaders(w.Header(), p)
	w.Header().Set("Cache-Control", "no-store")
	plain(w, httpx.StatusNotFound, "404 page not found: "+p)
}

func plain(w httpx.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Del("Content-Encoding")
	h.Del("ETag")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}

// Site is the whole site's handler, the same natively and in the Worker:
// /api and everything under /api/ goes to the API (exactly as sent: no
// cleaning of the path and no redirect, so /api//run is the API's 404 on
// both servers), the rest to files. Natively files is Static; in the
// Worker it is NotFound, since the edge's asset server answers every path
// that names a file before the Worker sees it.
func Site(api, files httpx.Handler) httpx.Handler {
	return httpx.HandlerFunc(func(w httpx.ResponseWriter, r *httpx.Request) {
		if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
			api.ServeHTTP(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}
