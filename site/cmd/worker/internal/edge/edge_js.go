//go:build js && wasm

package edge

import (
	"strings"
	"syscall/js"

	"github.com/connlab/connlab/site/internal/httpx"
)

// Config is what Serve serves.
type Config struct {
	Handler httpx.Handler
	// ErrHeaders sets the headers of an error response (api.APIHeaders).
	ErrHeaders func(httpx.Header)
	// BodyLimit is the most of a request body the handler ever reads; the
	// shim reads no more than that before calling Go.
	BodyLimit int64
	// Timing, when set, returns the Server-Timing entries of the request
	// just served (make bench-worker's breakdown); nil sends none.
	Timing func() string
}

// Serve hands the shim a function that serves one request, then blocks
// forever: the instance lives as long as the shim keeps it. The shim
// defines globalThis.__connlabEdge(serve, info) just before it starts the
// instance and takes it away right after.
//
// serve(method, url, headers, body, bodyError) takes the method and URL,
// the header fields as one string "name\nvalue\nname\nvalue..." (neither a
// name nor a value of the Fetch API's Headers can hold a newline), the body
// (a Uint8Array, or null) and, when reading it failed, why (a string; the
// handler reads what came, then that error), and returns {status, statusText, headers (the same
// form), body (Uint8Array), retire (bool), timing (string)}. One string
// each way, not an array: every JavaScript value Go holds costs a
// reference and a finalizer.
//
// info is {bodyLimit, crash}: crash is the response for a request whose
// call into Go threw (the instance stopped: exit, fatal error, trap).
func Serve(cfg Config) {
	serve := js.FuncOf(func(_ js.Value, args []js.Value) any {
		req := Request{Method: args[0].String(), URL: args[1].String()}
		if hs := args[2].String(); hs != "" {
			req.Header = strings.Split(hs, "\n")
		}
		if b := args[3]; !b.IsNull() && !b.IsUndefined() {
			req.Body = make([]byte, b.Length())
			js.CopyBytesToGo(req.Body, b)
		}
		if e := args[4]; e.Type() == js.TypeString {
			req.BodyError = e.String()
		}
		res := Do(cfg.Handler, cfg.ErrHeaders, req)
		out := toJS(res)
		if cfg.Timing != nil {
			out.Set("timing", cfg.Timing())
		}
		return out
	})
	crash := Crash(cfg.ErrHeaders, httpx.StatusInternalServerError, "internal",
		"internal error: the Worker's Go instance stopped during this request; the next request starts a new one")
	info := js.Global().Get("Object").New()
	info.Set("bodyLimit", cfg.BodyLimit)
	info.Set("crash", toJS(crash))
	register := js.Global().Get("__connlabEdge")
	if register.Type() != js.TypeFunction {
		panic("edge: globalThis.__connlabEdge is not a function: start this program with site/cmd/worker/js/edge.mjs")
	}
	register.Invoke(serve, info)
	select {}
}

// toJS is res as the object serve returns.
func toJS(res Response) js.Value {
	out := js.Global().Get("Object").New()
	out.Set("status", res.Status)
	out.Set("statusText", httpx.StatusText(res.Status))
	out.Set("headers", joinHeader(res.Header))
	body := js.Global().Get("Uint8Array").New(len(res.Body))
	js.CopyBytesToJS(body, res.Body)
	out.Set("body", body)
	out.Set("retire", res.Retire)
	return out
}
