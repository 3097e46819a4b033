//go:build js && wasm

// Command worker is connlab's Cloudflare Worker: the API of site/api
// (POST /api/run, GET /api/health, GET /api/scenarios) compiled with the
// standard Go compiler to js/wasm and served by github.com/syumai/workers.
// Static assets (site/dist) are served by Cloudflare before this code runs:
// wrangler.toml routes /api/* to the Worker first (run_worker_first), and
// any other path only when no asset matches it (not_found_handling "none"),
// which the Worker answers with api.NotFound, the native server's 404.
//
// Build it with `make worker`; run it in workerd with `make dev-worker`.
package main

import (
	"net/http"

	"github.com/syumai/workers"

	"github.com/connlab/connlab/site/api"
)

func main() {
	workers.Serve(api.Site(api.New(api.Options{}), http.HandlerFunc(api.NotFound)))
}
