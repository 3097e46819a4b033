package main

// applyBatch is connlab.apply (site/static/connlab.js, setSlot) at build
// time, on the element tree of the app's #app: the engine's first render
// written into the markup, so an inline sandbox shows its step before any
// script runs, and without scripts at all. Each kind does what setSlot
// does; "scroll" cannot be markup, so it is kept in data-scroll-top for
// the page's script (inline.js). The browser test compares the result
// with what connlab.apply makes of the same batch in the sandbox's frame.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/connlab/connlab/wasm/ui"
)

// scrollAttr holds a "scroll" slot's value for inline.js.
const scrollAttr = "data-scroll-top"

// slotValue is one slot a batch sets: its index in the bind spec (as the
// batch writes it), its name and kind from the spec, and its value.
type slotValue struct{ index, name, kind, value string }

// batchSlots reads a render's batch against its bind spec (frames of
// name, kind; the batch's, of index, value).
func batchSlots(spec, batch string) ([]slotValue, error) {
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
	out := make([]slotValue, 0, len(f)/2)
	for i := 0; i < len(f); i += 2 {
		k, err := strconv.Atoi(f[i])
		if err != nil || k < 0 || 2*k+1 >= len(s) {
			return nil, fmt.Errorf("the batch names slot %q, the spec has %d", f[i], len(s)/2)
		}
		out = append(out, slotValue{index: f[i], name: s[2*k], kind: s[2*k+1], value: f[i+1]})
	}
	return out, nil
}

func applyBatch(app *node, spec, batch string) error {
	slots, err := batchSlots(spec, batch)
	if err != nil {
		return err
	}
	byName := map[string][]*node{}
	for _, k := range app.kids {
		k.walk(func(n *node) {
			v, ok := n.get("data-s")
			if !ok {
				return
			}
			for _, name := range strings.Fields(v) {
				byName[name] = append(byName[name], n)
			}
		})
	}
	for _, sv := range slots {
		els := byName[sv.name]
		if strings.HasPrefix(sv.name, "#app") {
			els = []*node{app}
		}
		for _, el := range els {
			if err := setSlot(el, sv.kind, sv.value); err != nil {
				return fmt.Errorf("slot %s (%s): %v", sv.name, sv.kind, err)
			}
		}
	}
	// connlab.apply: once the engine is ready, the buttons that wait for
	// it can act
	if v, _ := app.get("data-ready"); v == "true" {
		app.walk(func(n *node) {
			if _, ok := n.get("data-until-ready"); ok {
				n.del("disabled")
			}
		})
	}
	return nil
}

func setSlot(el *node, kind, v string) error {
	switch kind {
	case "text":
		el.kids = []*node{textNode(v)}
	case "html", "wire", "rows":
		if (kind == "wire" && strings.HasPrefix(v, "=")) || (kind == "rows" && strings.HasPrefix(v, "~")) {
			return fmt.Errorf("a delta in a first render")
		}
		kids, err := parseMarkup(v)
		if err != nil {
			return err
		}
		el.kids = kids
	case "value":
		switch el.tag {
		case "textarea":
			el.kids = []*node{textNode(v)}
		case "select":
			for _, o := range selectOptions(el) {
				ov, ok := o.get("value")
				if !ok {
					var b strings.Builder
					render(&b, o.kids, nil)
					ov = b.String()
				}
				o.flag("selected", ov == v)
			}
		default:
			el.set("value", v)
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
		el.set(scrollAttr, v)
	case "range":
		max, val, ok := strings.Cut(v, ",")
		if !ok {
			return fmt.Errorf("a range without a comma: %q", v)
		}
		el.set("max", max)
		el.set("value", val)
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
		el.set("title", v)
	case "why":
		t0, ok := el.get("data-title0")
		if !ok {
			t0, _ = el.get("title")
			el.set("data-title0", t0)
		}
		el.flag("disabled", v != "")
		switch {
		case v != "":
			el.set("title", v)
		case t0 != "":
			el.set("title", t0)
		default:
			el.del("title")
		}
	case "class":
		el.set("class", v)
		if _, ok := el.get("data-role-by-class"); ok {
			role := "alert"
			if el.hasClass("info") {
				role = "status"
			}
			el.set("role", role)
		}
	default:
		if a, ok := strings.CutPrefix(kind, "attr:"); ok {
			if v == "" {
				el.del(a)
			} else {
				el.set(a, v)
			}
		} else if p, ok := strings.CutPrefix(kind, "var:"); ok {
			el.setStyle(p, v)
		} else {
			return fmt.Errorf("an unknown kind")
		}
	}
	return nil
}

func selectOptions(el *node) []*node {
	var out []*node
	for _, k := range el.kids {
		k.walk(func(n *node) {
			if n.tag == "option" {
				out = append(out, n)
			}
		})
	}
	return out
}
