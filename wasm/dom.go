//go:build js && wasm

package main

import (
	"strconv"
	"strings"
	"syscall/js"

	"github.com/connlab/connlab/engine/timeline"
	"github.com/connlab/connlab/wasm/ui"
)

// The DOM adapter: the only code that touches the page. It finds the
// elements once and keeps them as syscall/js values, turns DOM events into
// ui actions, and after each action hands the model's batch of slot
// changes to the page's helper in one call (connlab.apply).
//
// It uses syscall/js directly, not a DOM binding: honnef.co/go/js/dom/v2
// served only as thin wrappers here and linked time and image/color with
// it (about 21 KB of the brotli download; DESIGN.md, UI).

type app struct {
	m      *ui.Model
	root   js.Value // #app
	draft  js.Value // the raw-input textarea
	helper js.Value // window.connlab
	perf   js.Value
	funcs  []js.Func
	broken bool // rendering itself panicked: stop rendering

	// the address follows the session (see writeAddress)
	addrTimer js.Value // the pending debounce, or undefined
	addrFn    js.Func
	addrWait  bool // the permalink was still being compressed
	nav       int  // the model's Navs the address last showed

	codec *browserCodec
	first string // the batch the page applied without a model (ui/resume.go)

	boundAt, renderedAt, modelAt float64 // start-up timings (make bench-browser)
	started                      bool    // start is done: renders may ask for the Rust
}

func newApp() *app {
	doc := js.Global().Get("document")
	root := doc.Call("getElementById", "app")
	if root.IsNull() {
		panic("connlab: the page has no #app element")
	}
	draft := doc.Call("querySelector", "textarea[data-role=raw-input]")
	if draft.IsNull() {
		panic("connlab: the page has no raw-input textarea")
	}
	helper := js.Global().Get("connlab")
	if !helper.Truthy() {
		panic("connlab: the page's helper (connlab.js) is missing")
	}
	return &app{
		root:   root,
		draft:  draft,
		helper: helper,
		perf:   js.Global().Get("performance"),
	}
}

func (a *app) start() {
	if missing := a.helper.Call("bind", ui.BindSpec()).String(); missing != "" {
		js.Global().Get("console").Call("warn", "connlab: slots missing from the page: "+missing)
	}
	a.boundAt = a.perf.Call("now").Float()
	a.codec = newBrowserCodec(a.helper, func() { a.guard(a.render) })
	ui.LinkCodec = a.codec
	// the default page as built: apply the rest of its first render and
	// make the model later (ui/resume.go); any other address, or a window
	// needing more log rows than the page holds, makes it now
	loc := js.Global().Get("location")
	first := attr(a.root, ui.FirstAttrName)
	if first != "" && attr(a.root, ui.ShownAttrName) != "" &&
		ui.DefaultAddress(loc.Get("pathname").String(), strings.TrimPrefix(loc.Get("search").String(), "?"), strings.TrimPrefix(loc.Get("hash").String(), "#")) &&
		a.helper.Call("logRows").Int() <= ui.PrerenderedLogRows {
		a.helper.Call("apply", first)
		a.first = first
	} else {
		a.ensureModel()
	}
	a.renderedAt = a.perf.Call("now").Float()
	root := a.root
	a.listen(root, "click", false, a.onClick)
	a.listen(root, "change", false, a.onChange)
	a.listen(root, "input", false, a.onInput)
	a.listen(root, "scroll", true, a.onScroll) // scroll does not bubble: capture it
	a.listen(js.Global().Get("document"), "keydown", false, a.onKey)
	a.listen(js.Global(), "resize", false, func(js.Value) {
		a.dispatch(ui.SetLogRows{N: a.helper.Call("logRows").Int()})
	})
	// back, forward, or a fragment typed into the address bar: restore
	// what the address holds (popstate fires for all three; a hashchange
	// would repeat it for the last)
	a.listen(js.Global(), "popstate", false, func(js.Value) {
		loc := js.Global().Get("location")
		frag := strings.TrimPrefix(loc.Get("hash").String(), "#")
		a.codec.inflate(frag, func() {
			a.guard(a.initFromAddress)
		})
	})
	a.addrFn = js.FuncOf(func(js.Value, []js.Value) any {
		a.addrTimer = js.Undefined()
		a.guard(a.writeAddress)
		return nil
	})
	// selfTestPanic lets the end-to-end tests check that a panic becomes a
	// banner and leaves the page usable.
	a.helper.Set("selfTestPanic", js.FuncOf(func(js.Value, []js.Value) any {
		a.guard(func() {
			a.ensureModel()
			panic("self-test panic (connlab.selfTestPanic)")
		})
		return nil
	}))
	js.Global().Set("connlabReadyAt", a.perf.Call("now"))
	a.started = true
	if a.m != nil {
		// The Rust panel (below the first screen) says "generating the
		// Rust…" until /api/rust answers; the question goes out in the
		// task after ready, so making the session's JSON and the fetch
		// stay off the start-up path (issue 19, item 5). A model made
		// later asks when it renders.
		var askFn js.Func
		askFn = js.FuncOf(func(js.Value, []js.Value) any {
			askFn.Release()
			a.guard(a.askRust)
			return nil
		})
		js.Global().Call("setTimeout", askFn, 0)
	}
	// The panels get their first layout in the next frame (they are not
	// laid out while the engine loads): size the log's window to the
	// panel it now has, before that frame paints. Without a model yet,
	// the page holds enough rows unless the log is taller: then the
	// model is made now; else once that frame has painted.
	var firstFrame js.Func
	firstFrame = js.FuncOf(func(js.Value, []js.Value) any {
		firstFrame.Release()
		a.guard(func() {
			if rows := a.helper.Call("logRows").Int(); a.m != nil || rows > ui.PrerenderedLogRows {
				a.ensureModel()
				a.dispatch(ui.SetLogRows{N: rows})
			} else {
				a.afterPaint(func() { a.guard(a.ensureModel) })
			}
		})
		js.Global().Set("connlabFirstFrameAt", a.perf.Call("now"))
		return nil
	})
	js.Global().Call("requestAnimationFrame", firstFrame)
}

// makeModel makes the model for the page's address: the default scenario
// run through the engine, in the log's window, knowing what the page
// shows. The first render (the caller's Init) sends only what differs.
func (a *app) makeModel() {
	if a.m != nil {
		return
	}
	a.m = ui.New()
	a.m.Update(ui.SetLogRows{N: a.helper.Call("logRows").Int()})
	// the page's panels hold the default page's first render (the build
	// pre-renders it): the first batch sends only the slots that differ
	a.m.Shown(attr(a.root, ui.ShownAttrName))
	if a.first != "" {
		if err := a.m.Applied(a.first); err != nil {
			panic("connlab: " + err.Error())
		}
	}
	// a link is decompressed by the browser before the model reads it
	a.codec.inflateNow(strings.TrimPrefix(js.Global().Get("location").Get("hash").String(), "#"))
	a.modelAt = a.perf.Call("now").Float()
	js.Global().Set("connlabModelAt", a.modelAt)
}

// ensureModel makes the model of the page as resumed (see start) and
// gives it the address: its render sends what the built page does not
// show (in another window of log rows, the log).
func (a *app) ensureModel() {
	if a.m != nil {
		return
	}
	a.makeModel()
	a.initFromAddress()
}

// initFromAddress shows what the page's address holds.
func (a *app) initFromAddress() {
	loc := js.Global().Get("location")
	a.dispatch(ui.Init{
		BaseURL:  loc.Get("origin").String() + loc.Get("pathname").String(),
		Query:    strings.TrimPrefix(loc.Get("search").String(), "?"),
		Fragment: strings.TrimPrefix(loc.Get("hash").String(), "#"),
	})
	a.nav = a.m.Navs
}

// afterPaint runs fn once the frame being made has painted and the page
// is idle (or after a moment, where there is no requestIdleCallback).
func (a *app) afterPaint(fn func()) {
	var f js.Func
	f = js.FuncOf(func(js.Value, []js.Value) any {
		f.Release()
		fn()
		return nil
	})
	if ric := js.Global().Get("requestIdleCallback"); ric.Truthy() {
		js.Global().Call("requestIdleCallback", f, map[string]any{"timeout": 200})
	} else {
		js.Global().Call("setTimeout", f, 0)
	}
}

// listen adds a plain syscall/js listener.
func (a *app) listen(target js.Value, typ string, capture bool, fn func(ev js.Value)) {
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		a.guard(func() {
			a.ensureModel() // the page as resumed: its model first
			fn(args[0])
		})
		return nil
	})
	a.funcs = append(a.funcs, f)
	target.Call("addEventListener", typ, f, capture)
}

// guard runs fn; a panic becomes an error banner with "copy session", and
// the page stays usable.
func (a *app) guard(fn func()) {
	defer func() {
		if p := recover(); p != nil {
			a.crash(p)
		}
	}()
	fn()
}

func (a *app) crash(p any) {
	stack := string(stackTrace())
	js.Global().Get("console").Call("error", "connlab: "+panicText(p)+"\n"+stack)
	if a.broken {
		return
	}
	if a.m == nil { // making the model failed: no banner without one
		a.broken = true
		fatal("connlab hit an internal error.", panicText(p)+"\n"+stack)
		return
	}
	defer func() {
		if q := recover(); q != nil {
			// rendering the banner failed too: fall back to the static one
			a.broken = true
			fatal("connlab hit an internal error.", panicText(p)+"\n"+panicText(q)+"\n"+stack)
		}
	}()
	a.m.Update(ui.Crash{Msg: panicText(p), Stack: stack})
	a.render()
}

// dispatch applies an action and renders.
func (a *app) dispatch(act ui.Action) {
	a.m.Update(act)
	a.render()
	switch act.(type) {
	case ui.Init, ui.SetLogRows, ui.ScrollLog, ui.Open, ui.Copied, ui.Dismiss, ui.FilterLog, ui.Exported, ui.RustArrived:
		// the address stays as it was given (a bad link stays readable
		// until the person acts) or as it is: nothing it holds changed
	default:
		a.addressSoon()
	}
}

func (a *app) render() {
	if a.broken || a.m == nil {
		return
	}
	batch, n := a.m.Render()
	if n > 0 {
		a.helper.Call("apply", batch)
	}
	a.runSoon() // a long session runs on in slices (progress.go)
	if a.started {
		a.askRust() // the Rust panel's code for changed programs (rust.go)
	}
	if a.addrWait {
		a.addressSoon() // the permalink's compression may be done
	}
}

// addressDelay is how long the address waits for the person to pause:
// stepping or typing fast rewrites it once, not per key (a permalink is
// compressed each time).
const addressDelay = 400 // ms

// addressSoon (re)starts the address's debounce.
func (a *app) addressSoon() {
	if a.addrFn.IsUndefined() || a.m.Embed {
		return
	}
	if !a.addrTimer.IsUndefined() {
		js.Global().Call("clearTimeout", a.addrTimer)
	}
	a.addrTimer = js.Global().Call("setTimeout", a.addrFn, addressDelay)
}

// writeAddress puts the session into the page's address (ui.Model.Address):
// a move to another session is a new history entry, anything else
// rewrites the current one, so reload, back and forward, and a copied
// address all restore what the person saw. A permalink still being
// compressed comes back here: the codec renders again when it is done.
func (a *app) writeAddress() {
	a.addrWait = false
	addr, err := a.m.Address()
	switch err {
	case nil:
	case ui.ErrLinkPending:
		a.addrWait = true
		return
	case ui.ErrNoAddress:
		return
	default:
		addr = "" // too large for a link: the bare page rather than a stale one
	}
	loc := js.Global().Get("location")
	path := loc.Get("pathname").String()
	target := path + addr
	push := a.m.Navs != a.nav
	a.nav = a.m.Navs
	if target == path+loc.Get("search").String()+loc.Get("hash").String() {
		return
	}
	js.Global().Get("history").Call(pick(push, "pushState", "replaceState"), js.Null(), "", target)
}

func pick(c bool, yes, no string) string {
	if c {
		return yes
	}
	return no
}

func attr(el js.Value, name string) string {
	v := el.Call("getAttribute", name)
	if v.IsNull() {
		return ""
	}
	return v.String()
}

func closest(el js.Value, sel string) js.Value {
	if el.IsNull() || el.IsUndefined() || el.Get("closest").IsUndefined() {
		return js.Null()
	}
	return el.Call("closest", sel)
}

func (a *app) onClick(ev js.Value) {
	t := ev.Get("target")
	if t.Get("classList").Truthy() && t.Get("classList").Call("contains", "overlay").Bool() {
		a.dispatch(ui.Open{}) // a click on the dimmed backdrop closes
		return
	}
	if el := closest(t, "[data-action]"); !el.IsNull() {
		if el.Get("tagName").String() == "A" {
			ev.Call("preventDefault")
		}
		i, _ := strconv.Atoi(attr(el, "data-i"))
		a.action(attr(el, "data-action"), i)
		return
	}
	box := closest(t, "[data-click]")
	if box.IsNull() {
		return
	}
	switch attr(box, "data-click") {
	case "wire":
		if el := closest(t, "[data-o]"); !el.IsNull() {
			off, _ := strconv.ParseInt(attr(el, "data-o"), 10, 64)
			a.dispatch(ui.ClickWire{Dir: attr(box, "data-dir"), Off: off})
		}
	case "event":
		if el := closest(t, "[data-seq]"); !el.IsNull() {
			seq, _ := strconv.Atoi(attr(el, "data-seq"))
			a.dispatch(ui.ClickEvent{Seq: seq})
		}
	case "scenario":
		if el := closest(t, "[data-sc]"); !el.IsNull() {
			a.dispatch(ui.LoadScenario{Name: attr(el, "data-sc")})
		}
	}
}

// action handles a [data-action] button.
func (a *app) action(name string, i int) {
	switch name {
	case "send":
		a.syncDraft()
		a.dispatch(ui.Send{How: ui.SendAll})
	case "send-caret":
		a.syncDraft()
		a.dispatch(ui.Send{How: ui.SendToCaret})
	case "send-pieces":
		a.syncDraft()
		a.dispatch(ui.Send{How: ui.SendPieces})
	case "shutdown":
		a.dispatch(ui.Shutdown{})
	case "clock":
		a.dispatch(ui.AdvanceClk{})
	case "step":
		a.dispatch(ui.Step{Default: true})
	case "step-back":
		a.dispatch(ui.Step{Default: true, Back: true})
	case "step-call":
		a.dispatch(ui.Step{Unit: timeline.UnitCall})
	case "step-poll":
		a.dispatch(ui.Step{Unit: timeline.UnitPoll})
	case "run":
		a.dispatch(ui.RunToEnd{})
	case "rewind":
		a.dispatch(ui.Rewind{})
	case "run-to":
		a.dispatch(ui.RunTo{})
	case "run-back-to":
		a.dispatch(ui.RunTo{Back: true})
	case "export":
		a.export()
	case "export-rust":
		a.exportRust()
	case "reset":
		a.dispatch(ui.Reset{})
	case "mark":
		a.dispatch(ui.JumpMark{Index: i})
	case "jump-input":
		a.dispatch(ui.JumpInput{K: i})
	case "edit-input":
		a.dispatch(ui.EditInput{K: i})
		a.draft.Call("focus")
	case "library", "help", "share", "embed":
		a.dispatch(ui.Open{Overlay: name})
	case "close":
		a.dispatch(ui.Open{})
	case "dismiss":
		a.dispatch(ui.Dismiss{})
	case "undo":
		a.dispatch(ui.Undo{})
	case "copy-session":
		a.copy("report", a.m.Report())
	case "copy-json":
		a.copy("json", a.m.SessionJSON())
	case "copy-share":
		a.copy("link", a.slotValue("share-url"))
	case "copy-embed":
		a.copy("snippet", a.slotValue("embed-snippet"))
	}
}

// export downloads the session as a Go test (connlab.download: a Blob
// and an a[download]) and says so in the banner.
func (a *app) export() {
	file, src, err := a.m.ExportGo()
	if err != nil {
		a.dispatch(ui.Exported{Err: err.Error()})
		return
	}
	a.helper.Call("download", file, string(src), "text/x-go")
	a.dispatch(ui.Exported{File: file})
}

// filterLog reads the event log's three filter fields.
func (a *app) filterLog() {
	get := func(name string) string {
		el := a.root.Call("querySelector", `[data-filter="`+name+`"]`)
		if el.IsNull() {
			return ""
		}
		return el.Get("value").String()
	}
	a.dispatch(ui.FilterLog{Filter: ui.LogFilter{Kind: get("kind"), Func: get("func"), Text: get("text")}})
}

// slotValue reads an input's value from the page (the share and embed
// boxes hold what Render put there).
func (a *app) slotValue(name string) string {
	el := a.root.Call("querySelector", `[data-s~="`+name+`"]`)
	if el.IsNull() {
		return ""
	}
	return el.Get("value").String()
}

// copy puts text on the clipboard and reports how it went.
func (a *app) copy(what, text string) {
	p := a.helper.Call("copy", text)
	var done js.Func
	done = js.FuncOf(func(_ js.Value, args []js.Value) any {
		ok := len(args) > 0 && args[0].Truthy()
		a.guard(func() { a.dispatch(ui.Copied{What: what, OK: ok}) })
		done.Release()
		return nil
	})
	p.Call("then", done)
}

// syncDraft reads the editor's text and caret (the input event keeps the
// text current; the caret moves without events).
func (a *app) syncDraft() {
	a.m.Update(ui.SetDraft{Text: a.draft.Get("value").String(), Caret: a.draft.Get("selectionStart").Int()})
}

func (a *app) onChange(ev js.Value) {
	t := ev.Get("target")
	what := attr(t, "data-change")
	val := func() string { return t.Get("value").String() }
	checked := func() bool { return t.Get("checked").Bool() }
	flag := func() string {
		if checked() {
			return "1"
		}
		return ""
	}
	switch what {
	case "preset":
		v := val()
		t.Set("value", "")
		if v != "" {
			a.dispatch(ui.Preset{Name: v})
			a.draft.Call("focus")
		}
	case "fault":
		v := val()
		t.Set("value", "")
		a.dispatch(ui.Fault{Name: v})
	case "crlf", "input-hex", "wire-hex":
		a.dispatch(ui.Toggle{What: what, On: checked()})
	case "frag-n":
		n, err := strconv.Atoi(val())
		if err == nil {
			a.dispatch(ui.SetFragN{N: n})
		}
	case "unit":
		if u, err := timeline.ParseUnit(val()); err == nil {
			a.dispatch(ui.SetUnit{Unit: u})
		}
	case "handler":
		a.dispatch(ui.SetOption{Key: "handler", Value: val()})
	case "opt-keep-alive", "opt-half-close", "opt-title-case":
		a.dispatch(ui.SetOption{Key: strings.TrimPrefix(what, "opt-"), Value: flag()})
	case "opt-read-chunk", "opt-timeout", "opt-program":
		a.dispatch(ui.SetOption{Key: strings.TrimPrefix(what, "opt-"), Value: val()})
	case "bp":
		a.dispatch(ui.SetBP{Expr: val()})
	case "mode":
		a.dispatch(ui.SetMode{Mode: val()})
	case "program":
		a.dispatch(ui.ApplyProgram{Which: attr(t, "data-which"), Text: val()})
	case "log-filter":
		a.filterLog()
	}
}

func (a *app) onInput(ev js.Value) {
	t := ev.Get("target")
	switch {
	case t.Equal(a.draft):
		a.dispatch(ui.SetDraft{Text: a.draft.Get("value").String(), Caret: a.draft.Get("selectionStart").Int()})
	case attr(t, "data-input") == "lib-search":
		a.dispatch(ui.SearchLibrary{Q: t.Get("value").String()})
	case attr(t, "data-input") == "scrub":
		n, _ := strconv.Atoi(t.Get("value").String())
		a.dispatch(ui.JumpTo{Event: n})
	case attr(t, "data-change") == "log-filter":
		a.filterLog()
	case attr(t, "data-change") == "program":
		// checked as typed (errors inline), run on change
		a.m.Update(ui.EditProgram{Which: attr(t, "data-which"), Text: t.Get("value").String()})
		a.render()
	case attr(t, "data-change") == "bp":
		a.m.Update(ui.SetBP{Expr: t.Get("value").String()})
		a.addressSoon()
	}
}

func (a *app) onScroll(ev js.Value) {
	t := ev.Get("target")
	if t.Get("getAttribute").IsUndefined() || attr(t, "data-scroll") != "log" {
		return
	}
	a.dispatch(ui.ScrollLog{Top: t.Get("scrollTop").Int()})
}

// onKey: the keyboard shortcuts (listed in the help overlay).
func (a *app) onKey(ev js.Value) {
	key := ev.Get("key").String()
	shift, ctrl := ev.Get("shiftKey").Bool(), ev.Get("ctrlKey").Bool() || ev.Get("metaKey").Bool()
	t := ev.Get("target")
	tag := ""
	if t.Get("tagName").Truthy() {
		tag = t.Get("tagName").String()
	}
	// a text field keeps its keys; a menu, checkbox or the timeline's
	// slider does not: → / ← step right after using one
	if typ := t.Get("type"); tag == "TEXTAREA" || tag == "INPUT" && typ.Truthy() && !strings.Contains(" checkbox radio range button ", " "+typ.String()+" ") {
		switch {
		case key == "Enter" && ctrl && t.Equal(a.draft):
			ev.Call("preventDefault")
			a.action("send", 0)
		case key == "Enter" && attr(t, "data-input") == "lib-search":
			ev.Call("preventDefault")
			a.dispatch(ui.SearchLibrary{Q: t.Get("value").String(), Go: true})
		case key == "Enter" && attr(t, "data-enter") == "run-to":
			// Enter runs forward, Shift+Enter backwards
			ev.Call("preventDefault")
			a.m.Update(ui.SetBP{Expr: t.Get("value").String()})
			a.dispatch(ui.RunTo{Back: shift})
		case key == "Escape":
			t.Call("blur")
			if a.m.Overlay != "" {
				a.dispatch(ui.Open{})
			}
		}
		return
	}
	if ev.Get("altKey").Bool() || ctrl {
		return
	}
	var act ui.Action
	switch key {
	case "ArrowDown", "ArrowUp":
		// in the event log, ↓ / ↑ select the next or previous event
		if attr(t, "data-scroll") != "log" {
			return
		}
		act = ui.LogStep{Back: key == "ArrowUp"} // the next listed event: the filter applies
	case "ArrowRight":
		if shift {
			act = ui.Step{Unit: timeline.UnitPoll}
		} else {
			act = ui.Step{Default: true}
		}
	case "ArrowLeft":
		if shift {
			act = ui.Step{Unit: timeline.UnitPoll, Back: true}
		} else {
			act = ui.Step{Default: true, Back: true}
		}
	case "r":
		act = ui.RunToEnd{}
	case ".":
		act = ui.AdvanceClk{}
	case "Home":
		act = ui.Rewind{}
	case "End":
		act = ui.RunToEnd{}
	case "?":
		act = ui.Open{Overlay: "help"}
	case "/":
		// the event log's text filter, as a search key does elsewhere
		if el := a.root.Call("querySelector", `[data-filter="text"]`); !el.IsNull() && a.m.Overlay == "" {
			ev.Call("preventDefault")
			el.Call("focus")
		}
		return
	case "Escape":
		act = ui.Open{}
	default:
		return
	}
	ev.Call("preventDefault")
	a.dispatch(act)
}
