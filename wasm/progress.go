//go:build js && wasm

package main

import "syscall/js"

// A long session runs in slices between frames (ui.Model.ContinueRun), so
// the page never freezes: after each render, while the model is running,
// the next slice is scheduled with setTimeout (the engine itself never
// waits or reads a clock). The banner says how far the run has come (the
// model's text); a <progress> and a Cancel button are put into the banner
// while it runs and taken out when it is done.
var running struct {
	scheduled bool
	next      js.Func // runs one slice, then renders
	box       js.Value
	bar       js.Value // the <progress>
}

// runSoon schedules the next slice while the model runs, and shows or
// hides the progress bar and Cancel.
func (a *app) runSoon() {
	if !a.m.Running() {
		if running.box.Truthy() {
			running.box.Call("remove")
			running.box = js.Undefined()
		}
		return
	}
	a.showProgress()
	if running.scheduled {
		return
	}
	if running.next.IsUndefined() {
		running.next = js.FuncOf(func(js.Value, []js.Value) any {
			running.scheduled = false
			a.guard(func() {
				a.m.ContinueRun()
				a.render()
			})
			return nil
		})
	}
	running.scheduled = true
	js.Global().Call("setTimeout", running.next, 0)
}

// showProgress puts the bar and Cancel into the banner (once) and sets the
// bar to the model's progress.
func (a *app) showProgress() {
	doc := js.Global().Get("document")
	if !running.box.Truthy() {
		banner := doc.Call("querySelector", `[data-s~="banner-box"] .banner-text`)
		if banner.IsNull() {
			return
		}
		box := doc.Call("createElement", "span")
		box.Call("setAttribute", "data-role", "run-progress")
		bar := doc.Call("createElement", "progress")
		bar.Call("setAttribute", "aria-label", "session run progress")
		cancel := doc.Call("createElement", "button")
		cancel.Call("setAttribute", "type", "button")
		cancel.Call("setAttribute", "data-role", "cancel-run")
		cancel.Set("textContent", "Cancel")
		fn := js.FuncOf(func(this js.Value, args []js.Value) any {
			args[0].Call("stopPropagation")
			a.guard(func() {
				a.m.CancelRun()
				a.render()
			})
			return nil
		})
		a.funcs = append(a.funcs, fn)
		cancel.Call("addEventListener", "click", fn)
		box.Call("append", " ", bar, " ", cancel)
		banner.Call("append", box)
		running.box, running.bar = box, bar
	}
	done, total, _ := a.m.RunProgress()
	if total > 0 {
		running.bar.Set("max", float64(total))
		running.bar.Set("value", float64(done))
	}
}
