//go:build js && wasm

// The smallest Go Worker with github.com/syumai/workers: every request
// gets a 12-byte JSON body. Build it as the Makefile builds connlab's:
//
//	go tool workers-assets-gen -mode=go -o build
//	GOOS=js GOARCH=wasm go build -o build/app.wasm .
package main

import (
	"net/http"

	"github.com/syumai/workers"
)

func main() {
	workers.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "12")
		w.Write([]byte("{\"ok\":true}\n"))
	}))
}
