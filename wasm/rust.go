//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/connlab/connlab/wasm/ui"
)

// The Rust of the programs comes from the site's API (POST /api/rust):
// the generator stays out of this wasm (see wasm/ui/rust.go).

// askRust asks /api/rust for the Rust of the session's programs when they
// changed since the last question; the answer comes back as an action.
func (a *app) askRust() {
	key, body, ok := a.m.RustRequest()
	if !ok {
		return
	}
	var done js.Func
	done = js.FuncOf(func(_ js.Value, args []js.Value) any {
		done.Release()
		st, text := args[0].Int(), args[1].String()
		a.guard(func() { a.dispatch(ui.RustArrived{Key: key, Status: st, Body: text}) })
		return nil
	})
	a.helper.Call("post", a.m.BaseURL+"api/rust", body, done)
}

// exportRust downloads the session as a Rust test: what connlab export
// --rust prints, from /api/rust?test=NAME.
func (a *app) exportRust() {
	name := a.m.ExportName()
	var done js.Func
	done = js.FuncOf(func(_ js.Value, args []js.Value) any {
		done.Release()
		st, text := args[0].Int(), args[1].String()
		a.guard(func() {
			file, src, err := ui.RustExport(name, st, text)
			if err != "" {
				a.dispatch(ui.Exported{Err: err})
				return
			}
			a.helper.Call("download", file, src, "text/x-rust")
			a.dispatch(ui.Exported{File: file, Rust: true})
		})
		return nil
	})
	a.helper.Call("post", a.m.BaseURL+"api/rust?test="+ui.QueryEscape(name), a.m.SessionJSON(), done)
}
