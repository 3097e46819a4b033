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

// progressHTML is the bar and Cancel, put at the end of the banner while a
// session runs (constant markup: the numbers go in as properties).
const progressHTML = `<span data-role="run-progress"> <progress aria-label="session run progress"></progress> <button type="button" data-role="cancel-run">Cancel</button></span>`

// showProgress puts the bar and Cancel into the banner (once) and sets the
// bar to the model's progress.
func (a *app) showProgress() {
	if !running.box.Truthy() {
		banner := js.Global().Get("document").Call("querySelector", `[data-s~="banner-box"] .banner-text`)
		if banner.IsNull() {
			return
		}
		banner.Call("insertAdjacentHTML", "beforeend", progressHTML)
		running.box = banner.Get("lastElementChild")
		running.bar = running.box.Get("firstElementChild")
		fn := js.FuncOf(func(js.Value, []js.Value) any {
			a.guard(func() {
				a.m.CancelRun()
				a.render()
			})
			return nil
		})
		a.funcs = append(a.funcs, fn)
		running.bar.Get("nextElementSibling").Call("addEventListener", "click", fn)
	}
	done, total, _ := a.m.RunProgress()
	running.bar.Set("max", total)
	running.bar.Set("value", done)
}
