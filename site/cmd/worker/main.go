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
	"strconv"
	"time"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"

	"github.com/connlab/connlab/site/api"
)

func main() {
	var opts api.Options
	// CONNLAB_MAX_RUN_MS (a wrangler var) sets the wall-time budget of one
	// /api/run; the end-to-end test lowers it to see a run cut in workerd.
	if ms, err := strconv.Atoi(cloudflare.Getenv("CONNLAB_MAX_RUN_MS")); err == nil && ms > 0 {
		opts.Limits.MaxWallTime = time.Duration(ms) * time.Millisecond
	}
	workers.Serve(api.Site(api.New(opts), http.HandlerFunc(api.NotFound)))
}
