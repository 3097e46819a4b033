//go:build js && wasm

// Command worker is connlab's Cloudflare Worker: the API of site/api
// (POST /api/run, GET /api/health, GET /api/scenarios) compiled with the
// standard Go compiler to js/wasm. Static assets (site/dist) are served by
// Cloudflare before this code runs: wrangler.toml routes /api/* to the
// Worker first (run_worker_first), and any other path only when no asset
// matches it (not_found_handling "none"), which the Worker answers with
// api.NotFound, the native server's 404.
//
// The JavaScript side is ours, js/worker.mjs and js/edge.mjs: one Go
// instance serves request after request through internal/edge, and is
// replaced when it stops, panics or grows too large (see edge.mjs).
//
// Build it with `make worker`; run it in workerd with `make dev-worker`.
package main

import (
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/connlab/connlab/site/api"
	"github.com/connlab/connlab/site/cmd/worker/internal/edge"
	"github.com/connlab/connlab/site/internal/httpx"
)

func main() {
	var opts api.Options
	// CONNLAB_MAX_RUN_MS (a wrangler var; the shim passes the Worker's
	// CONNLAB_* vars as the environment) sets the wall-time budget of one
	// /api/run; the end-to-end test lowers it to see a run cut in workerd.
	if ms, err := strconv.Atoi(os.Getenv("CONNLAB_MAX_RUN_MS")); err == nil && ms > 0 {
		opts.Limits.MaxWallTime = time.Duration(ms) * time.Millisecond
	}
	cfg := edge.Config{ErrHeaders: api.APIHeaders, BodyLimit: opts.BodyReadLimit()}
	// CONNLAB_SERVER_TIMING=1 (make bench-worker) answers with the phases
	// of each /api/run in a Server-Timing header.
	if os.Getenv("CONNLAB_SERVER_TIMING") == "1" {
		var phases strings.Builder
		opts.Observe = func(name string, d time.Duration) {
			if phases.Len() > 0 {
				phases.WriteString(", ")
			}
			phases.WriteString(name + ";dur=" + strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 3, 64))
		}
		cfg.Timing = func() string {
			s := phases.String()
			phases.Reset()
			return s
		}
	}
	cfg.Handler = api.Site(api.New(opts), httpx.HandlerFunc(api.NotFound))
	edge.Serve(cfg)
}
