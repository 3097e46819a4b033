//go:build !(js && wasm)

// Command worker is connlab's Cloudflare Worker; it only runs as js/wasm in
// workerd (make worker, make dev-worker). Natively, `make run` serves the
// same API with the site (site/cmd/serve).
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "worker: this is the Cloudflare Worker; build it with `make worker` (GOOS=js GOARCH=wasm) and run it with `make dev-worker`, or serve the site natively with `make run`")
	os.Exit(2)
}
