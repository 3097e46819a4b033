//go:build js && wasm

// Command wasm is connlab's browser sandbox: the engine, the ui model and
// one thin DOM adapter (dom.go), compiled with GOOS=js GOARCH=wasm and
// loaded by site/static/index.html. `make site` builds it into site/dist.
package main

import (
	"fmt"
	"runtime/debug"
	"syscall/js"

	"github.com/connlab/connlab/wasm/ui"
)

func main() {
	defer func() {
		// a panic before the page is wired: say so on the page, which
		// keeps its static layout
		if p := recover(); p != nil {
			fatal("connlab failed to start.", fmt.Sprint(p)+"\n"+string(debug.Stack()))
		}
	}()
	perf := js.Global().Get("performance")
	goStart := perf.Call("now").Float()
	m := ui.New()
	modelReady := perf.Call("now").Float()
	a := newApp(m)
	a.start()
	// where start-up time goes, for make bench-browser
	js.Global().Set("connlabTimings", map[string]any{
		"goStart": goStart, "modelReady": modelReady, "bound": a.boundAt, "rendered": a.renderedAt, "ready": perf.Call("now").Float(),
	})
	select {} // keep the Go program alive for the page's callbacks
}

func fatal(title, detail string) {
	if c := js.Global().Get("connlab"); c.Truthy() {
		c.Call("fatal", title, detail)
	}
}
