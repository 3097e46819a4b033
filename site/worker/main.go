//go:build js && wasm

// Command worker is connlab's Cloudflare Worker: the API of site/api
// (POST /api/run, GET /api/health, GET /api/scenarios) compiled with the
// standard Go compiler to js/wasm and served by github.com/syumai/workers.
// Static assets (site/dist) are served by Cloudflare before this code runs:
// wrangler.toml routes only /api/* to the Worker (run_worker_first).
//
// Build it with `make worker`; run it in workerd with `make dev-worker`.
package main

import (
	"github.com/syumai/workers"

	"github.com/connlab/connlab/site/api"
)

func main() {
	workers.Serve(api.New(api.Options{}))
}
