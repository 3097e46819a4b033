//go:build js && wasm

// Command wasm is connlab's browser sandbox: the engine, the ui model and
// one thin DOM adapter (dom.go), compiled with GOOS=js GOARCH=wasm and
// loaded by site/static/index.html. `make site` builds it into site/dist.
package main

import (
	"runtime"
	"strconv"
	"syscall/js"
)

func main() {
	defer func() {
		// a panic before the page is wired: say so in the page's boot box
		// (the header stays; the panels wait for a ready engine)
		if p := recover(); p != nil {
			fatal("connlab failed to start.", panicText(p)+"\n"+string(stackTrace()))
		}
	}()
	perf := js.Global().Get("performance")
	goStart := perf.Call("now").Float()
	a := newApp()
	a.start()
	// where start-up time goes, for make bench-browser (modelReady: 0
	// while the page as built waits for its model, ui/resume.go)
	js.Global().Set("connlabTimings", map[string]any{
		"goStart": goStart, "modelReady": a.modelAt, "bound": a.boundAt, "rendered": a.renderedAt, "ready": perf.Call("now").Float(),
	})
	select {} // keep the Go program alive for the page's callbacks
}

func fatal(title, detail string) {
	if c := js.Global().Get("connlab"); c.Truthy() {
		c.Call("fatal", title, detail)
	}
}

// panicText is a recovered panic value as text, as fmt.Sprint would print
// it for the values panics carry: runtime errors and other errors,
// Stringers, strings, numbers and booleans. fmt itself would link reflect
// and os into the wasm; any other value gets a fixed note instead.
func panicText(p any) string {
	switch v := p.(type) {
	case error:
		return v.Error()
	case interface{ String() string }:
		return v.String()
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case int8:
		return strconv.FormatInt(int64(v), 10)
	case int16:
		return strconv.FormatInt(int64(v), 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint:
		return strconv.FormatUint(uint64(v), 10)
	case uint8:
		return strconv.FormatUint(uint64(v), 10)
	case uint16:
		return strconv.FormatUint(uint64(v), 10)
	case uint32:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case uintptr:
		return strconv.FormatUint(uint64(v), 10)
	case float32:
		return strconv.FormatFloat(float64(v), 'g', -1, 32)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return "panic with a value that is not an error, a string or a number"
}

// stackTrace is the calling goroutine's stack trace, as runtime/debug.Stack
// gives it (which imports os): runtime.Stack into a buffer that doubles
// until the trace fits.
func stackTrace() []byte {
	buf := make([]byte, 1024)
	for {
		n := runtime.Stack(buf, false)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}
