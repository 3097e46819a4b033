package prerender

// The app's page (site/static/index.html, as wasm/cmd/buildsite writes
// it) carries the engine's own first render of the default page.
// Applying the first batch (105 slots, 25 KB of markup: the diagram, the
// log's rows, the handler's options…) took ~5 ms of the ~15 ms from
// instantiation to ready, all of it markup the browser could have parsed
// with the page while the wasm was still downloading. So the build runs
// the model natively (wasm/ui) on the default page, as the wasm does on
// load, applies that render to index.html's markup (Apply), and writes in
// #app's data-shown which value each slot now shows (ui.ShownAttr). The
// engine's first render then sends only what differs (ui.Model.Shown): on
// another origin, a scenario link, a restored session or another window
// of log rows, those slots are simply sent. And #app's data-first holds
// what that render sends on the default address (the slots listed below):
// there the wasm applies it and is ready before it makes its model
// (ui/resume.go).
//
// What the pre-render leaves as the static page has it:
//   - the root's attributes ("#app…" slots: data-ready among them, which
//     is the engine's to say, and the mode, embed and panels the loading
//     page is styled by), and every slot outside the panels' template
//     that the loading page shows (the boot box, the scenario's name in
//     the header); outside the template only slots in a hidden box that
//     stays hidden are pre-rendered (the banner);
//   - the buttons that wait for the engine (data-until-ready);
//   - the kinds markup cannot carry under the site's CSP (style-src
//     'self' ignores style attributes: height, top, width, var:) or at
//     all (scroll);
//   - a box connlab.apply scrolls to its highlighted run (data-reveal)
//     when the value has one: applying it is what scrolls.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/connlab/connlab/wasm/ui"
)

// LogRows is the event log's rows the page is pre-rendered for (see
// ui.PrerenderedLogRows: a window needing up to this many shows the page
// as built).
const LogRows = ui.PrerenderedLogRows

// pageBase is the address the pre-render is made for. The default
// page's render does not depend on it (TestPageMatchesModel checks
// that an origin changes no slot); a slot that did would be sent.
const pageBase = "./"

// appStart is how index.html's root starts.
const appStart = `<div id="app" `

// Page writes the default page's first render into page's #app.
func Page(page string) (string, error) {
	i := strings.Index(page, appStart)
	if i < 0 || strings.Count(page, appStart) != 1 {
		return "", fmt.Errorf("index.html: no single %s…>", appStart)
	}
	app, end, err := ParseElement(page, i)
	if err != nil {
		return "", fmt.Errorf("index.html's #app: %v", err)
	}
	for _, a := range []string{ui.ShownAttrName, ui.FirstAttrName} {
		if _, ok := app.Get(a); ok {
			return "", fmt.Errorf("index.html's #app already has %s", a)
		}
	}
	slots, err := defaultRender()
	if err != nil {
		return "", err
	}
	chosen, err := prerenderable(app, slots)
	if err != nil {
		return "", err
	}
	if err := ApplySlots(app, chosen); err != nil {
		return "", fmt.Errorf("pre-rendering index.html: %v", err)
	}
	shown := map[ui.Slot]string{}
	for _, sv := range chosen {
		k, err := strconv.Atoi(sv.Index)
		if err != nil {
			return "", err
		}
		shown[ui.Slot(k)] = sv.Value
	}
	note := ui.ShownAttr(shown)
	app.Set(ui.ShownAttrName, note)
	// and the rest of the first render, which the wasm applies on the
	// default address without making the model first (ui/resume.go)
	app.Set(ui.FirstAttrName, restBatch(note))
	var b strings.Builder
	Render(&b, []*Node{app}, nil)
	return page[:i] + b.String() + page[end:], nil
}

// defaultRender is the model's first render of the default page, as the
// wasm makes it on load (wasm/dom.go, start) in a window of
// LogRows.
func defaultRender() ([]SlotValue, error) {
	batch, banner := firstRender("")
	if banner != "" {
		return nil, fmt.Errorf("the default page's render has a banner: %s", banner)
	}
	return Slots(ui.BindSpec(), batch)
}

// restBatch is what the engine's first render sends on the page the note
// describes, on the default address in a window of LogRows: the slots the
// markup could not carry.
func restBatch(note string) string {
	batch, _ := firstRender(note)
	return batch
}

// firstRender is the engine's first batch on the default address in a
// window of LogRows, on a page that shows what note says ("": nothing),
// and the banner it shows.
func firstRender(note string) (batch, banner string) {
	m := ui.New()
	m.Update(ui.SetLogRows{N: LogRows})
	m.Shown(note)
	m.Update(ui.Init{BaseURL: pageBase})
	batch, _ = m.Render()
	return batch, m.Banner.Text
}

// prerenderable is the slots of a render the page can show before the
// engine comes, and show exactly as connlab.apply would make them (see
// the file's comment for what stays static, and why).
func prerenderable(app *Node, slots []SlotValue) ([]SlotValue, error) {
	var tmpl *Node
	app.Walk(func(n *Node) {
		if id, _ := n.Get("id"); n.Tag == "template" && id == "panels" {
			tmpl = n
		}
	})
	if tmpl == nil {
		return nil, fmt.Errorf(`index.html's #app has no <template id="panels">`)
	}
	inTemplate := map[*Node]bool{}
	tmpl.Walk(func(n *Node) { inTemplate[n] = true })
	hidden := map[*Node]bool{} // in a hidden box outside the template
	var mark func(n *Node, under bool)
	mark = func(n *Node, under bool) {
		if _, ok := n.Get("hidden"); ok {
			under = true
		}
		hidden[n] = under
		for _, k := range n.Kids {
			if k.Tag != "" && k != tmpl {
				mark(k, under)
			}
		}
	}
	mark(app, false)
	byName := SlotElements(app)
	var out []SlotValue
	for _, sv := range slots {
		els := byName[sv.Name]
		if strings.HasPrefix(sv.Name, "#app") || len(els) == 0 || !markupKind(sv.Kind) {
			continue
		}
		ok := true
		for _, el := range els {
			_, waits := el.Get("data-until-ready")
			switch {
			case waits:
				ok = false
			case inTemplate[el]:
			case hidden[el] && (sv.Kind != "hidden" || sv.Value == "1"):
			default:
				ok = false
			}
			if _, reveals := el.Get("data-reveal"); reveals && ok {
				lit, err := hasLitRun(sv.Value)
				if err != nil {
					return nil, fmt.Errorf("slot %s: %v", sv.Name, err)
				}
				ok = !lit
			}
		}
		if ok {
			out = append(out, sv)
		}
	}
	return out, nil
}

// markupKind reports whether a slot kind's value can be written into the
// page's markup as connlab.apply would set it.
func markupKind(kind string) bool {
	switch kind {
	case "scroll", "height", "top", "width":
		return false
	}
	return !strings.HasPrefix(kind, "var:")
}

// hasLitRun reports whether markup holds an element of class h, which
// connlab.apply's reveal scrolls into view.
func hasLitRun(markup string) (bool, error) {
	nodes, err := Parse(markup)
	if err != nil {
		return false, err
	}
	lit := false
	for _, n := range nodes {
		n.Walk(func(e *Node) { lit = lit || e.HasClass("h") })
	}
	return lit, nil
}
