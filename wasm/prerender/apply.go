package prerender

// Apply is connlab.apply (site/static/connlab.js, setSlot) at build
// time, on the element tree of the app's #app: the engine's first render
// written into the markup. Each kind does what setSlot does; "scroll"
// cannot be markup, so it is kept in data-scroll-top for the page's script
// (docsgen's inline.js). The browser tests compare the result with what
// connlab.apply makes of the same batch (docsgen's in a sandbox's frame,
// wasm/browser's on the app's page).

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/connlab/connlab/wasm/ui"
)

// ScrollAttr holds a "scroll" slot's value for inline.js.
const ScrollAttr = "data-scroll-top"

// SlotValue is one slot a batch sets: its index in the bind spec (as the
// batch writes it), its name and kind from the spec, and its value.
type SlotValue struct{ Index, Name, Kind, Value string }

// Slots reads a render's batch against its bind spec (frames of
// name, kind; the batch's, of index, value).
func Slots(spec, batch string) ([]SlotValue, error) {
	s, err := ui.DecodeFrames(spec)
	if err != nil {
		return nil, fmt.Errorf("the bind spec: %v", err)
	}
	f, err := ui.DecodeFrames(batch)
	if err != nil {
		return nil, fmt.Errorf("the batch: %v", err)
	}
	if len(f)%2 != 0 {
		return nil, fmt.Errorf("the batch has %d frames", len(f))
	}
	out := make([]SlotValue, 0, len(f)/2)
	for i := 0; i < len(f); i += 2 {
		k, err := strconv.Atoi(f[i])
		if err != nil || k < 0 || 2*k+1 >= len(s) {
			return nil, fmt.Errorf("the batch names slot %q, the spec has %d", f[i], len(s)/2)
		}
		out = append(out, SlotValue{Index: f[i], Name: s[2*k], Kind: s[2*k+1], Value: f[i+1]})
	}
	return out, nil
}

// Apply applies a render's batch (frames of slot index, value) read
// against its bind spec (frames of name, kind) to app, the page's #app.
func Apply(app *Node, spec, batch string) error {
	slots, err := Slots(spec, batch)
	if err != nil {
		return err
	}
	return ApplySlots(app, slots)
}

// SlotElements is connlab.bind on app: each slot name's elements, in
// document order ("#app…" names are app itself).
func SlotElements(app *Node) map[string][]*Node {
	byName := map[string][]*Node{}
	for _, k := range app.Kids {
		k.Walk(func(n *Node) {
			v, ok := n.Get("data-s")
			if !ok {
				return
			}
			for _, name := range strings.Fields(v) {
				byName[name] = append(byName[name], n)
			}
		})
	}
	return byName
}

// ApplySlots applies slots (a batch as Slots reads it) to app.
func ApplySlots(app *Node, slots []SlotValue) error {
	byName := SlotElements(app)
	for _, sv := range slots {
		els := byName[sv.Name]
		if strings.HasPrefix(sv.Name, "#app") {
			els = []*Node{app}
		}
		for _, el := range els {
			if err := setSlot(el, sv.Kind, sv.Value); err != nil {
				return fmt.Errorf("slot %s (%s): %v", sv.Name, sv.Kind, err)
			}
		}
	}
	// connlab.apply: once the engine is ready, the buttons that wait for
	// it can act
	if v, _ := app.Get("data-ready"); v == "true" {
		app.Walk(func(n *Node) {
			if _, ok := n.Get("data-until-ready"); ok {
				n.Del("disabled")
			}
		})
	}
	return nil
}

func setSlot(el *Node, kind, v string) error {
	switch kind {
	case "text":
		el.Kids = []*Node{textNode(v)}
	case "html", "wire", "rows":
		if (kind == "wire" && strings.HasPrefix(v, "=")) || (kind == "rows" && strings.HasPrefix(v, "~")) {
			return fmt.Errorf("a delta in a first render")
		}
		kids, err := Parse(v)
		if err != nil {
			return err
		}
		el.Kids = kids
	case "value":
		switch el.Tag {
		case "textarea":
			el.Kids = []*Node{textNode(v)}
		case "select":
			for _, o := range selectOptions(el) {
				ov, ok := o.Get("value")
				if !ok {
					var b strings.Builder
					Render(&b, o.Kids, nil)
					ov = b.String()
				}
				o.flag("selected", ov == v)
			}
		default:
			el.Set("value", v)
		}
	case "checked", "hidden", "disabled":
		el.flag(kind, v == "1")
	case "height":
		el.setStyle("height", v+"px")
	case "top":
		el.setStyle("transform", "translateY("+v+"px)")
	case "width":
		el.setStyle("width", v)
	case "scroll":
		el.Set(ScrollAttr, v)
	case "range":
		max, val, ok := strings.Cut(v, ",")
		if !ok {
			return fmt.Errorf("a range without a comma: %q", v)
		}
		el.Set("max", max)
		el.Set("value", val)
	case "cursor":
		hid := strings.HasSuffix(v, "-")
		k, err := strconv.Atoi(strings.TrimSuffix(v, "-"))
		if err != nil {
			return fmt.Errorf("a cursor %q", v)
		}
		for j, c := range el.elements() {
			c.toggleClass("cur", !hid && j == k)
			c.toggleClass("fut", (hid && j >= k) || (!hid && j > k))
		}
	case "title":
		el.Set("title", v)
	case "why":
		t0, ok := el.Get("data-title0")
		if !ok {
			t0, _ = el.Get("title")
			el.Set("data-title0", t0)
		}
		el.flag("disabled", v != "")
		switch {
		case v != "":
			el.Set("title", v)
		case t0 != "":
			el.Set("title", t0)
		default:
			el.Del("title")
		}
	case "class":
		el.Set("class", v)
		if _, ok := el.Get("data-role-by-class"); ok {
			role := "alert"
			if el.HasClass("info") {
				role = "status"
			}
			el.Set("role", role)
		}
	default:
		if a, ok := strings.CutPrefix(kind, "attr:"); ok {
			if v == "" {
				el.Del(a)
			} else {
				el.Set(a, v)
			}
		} else if p, ok := strings.CutPrefix(kind, "var:"); ok {
			el.setStyle(p, v)
		} else {
			return fmt.Errorf("an unknown kind")
		}
	}
	return nil
}

func selectOptions(el *Node) []*Node {
	var out []*Node
	for _, k := range el.Kids {
		k.Walk(func(n *Node) {
			if n.Tag == "option" {
				out = append(out, n)
			}
		})
	}
	return out
}
