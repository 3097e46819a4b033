//go:build js && wasm

// Command faulty is a Go program for edge.mjs's tests (edge_test.go): it
// serves through internal/edge, as the Worker does, a handler that
// misbehaves on request, to see the shim replace an instance that
// panicked, stopped or grew, and keep one that did not.
//
//	/count       the number of requests this instance has served, 1 first:
//	             state that survives between requests, on purpose
//	/panic       panics (edge.Do recovers it: a 500, and the instance retires)
//	/exit        os.Exit(3) in the middle of the request
//	/fatal       a fatal error the runtime cannot recover (a stack overflow)
//	/grow?mb=N   keeps N MiB allocated, so the instance's memory grows
//	/echo        answers the request's body and its Content-Length as seen
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"

	"github.com/connlab/connlab/site/cmd/worker/internal/edge"
	"github.com/connlab/connlab/site/internal/httpx"
)

var (
	served int
	kept   [][]byte
)

func recurse(n int) int { return recurse(n+1) + 1 }

func main() {
	h := httpx.HandlerFunc(func(w httpx.ResponseWriter, r *httpx.Request) {
		served++
		switch r.URL.Path {
		case "/count":
			fmt.Fprint(w, served)
		case "/panic":
			panic("faulty: /panic")
		case "/exit":
			os.Exit(3)
		case "/fatal":
			debug.SetMaxStack(1 << 20)
			fmt.Fprint(w, recurse(0))
		case "/grow":
			mb, _ := strconv.Atoi(r.URL.Query().Get("mb"))
			kept = append(kept, make([]byte, mb<<20))
			fmt.Fprint(w, len(kept))
		case "/echo":
			body := make([]byte, 0)
			buf := make([]byte, 4096)
			for {
				n, err := r.Body.Read(buf)
				body = append(body, buf[:n]...)
				if err != nil {
					break
				}
			}
			w.Header().Set("X-Content-Length", strconv.FormatInt(r.ContentLength, 10))
			w.Write(body)
		default:
			w.WriteHeader(httpx.StatusNotFound)
		}
	})
	edge.Serve(edge.Config{Handler: h, BodyLimit: 1000, ErrHeaders: func(h httpx.Header) { h.Set("X-Faulty", "1") }})
}
