package ui

import "strings"

// Placing the state diagram's arrow labels (issue 16, item 5): each label
// sits beside its own arrow and covers no other label, state or
// arrowhead, where the fewest other arrows run under it (in one row of
// states some arcs must cross: Init → Body and Continue → Closed do).
// The candidates are points along the arrow, from its apex outwards, with
// the label just outside the curve (above a forward arc, below a backward
// one) or just inside it; of those clear of labels, states and heads, the
// first with the fewest crossings wins. The label is drawn on a patch of
// the panel's colour, so an arrow under it never runs through the text.
// TestDiagramLabelsDoNotOverlap checks the result for every machine.

// dgBox is an axis-aligned rectangle.
type dgBox struct{ x0, y0, x1, y1 float64 }

func (a dgBox) meets(b dgBox) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

// crossedBy says a curve passes through the box's text (its inner part:
// an arrow may graze the top or bottom edge): whether one of 201 points
// evenly spaced in the curve's parameter falls inside.
//
// A quadratic curve between parameters ua and ub lies inside the
// bounding box of that piece's own control points (its ends and the
// meeting point of its end tangents), so a piece whose box misses the
// box's inner part has none of its points inside: the curve is checked
// in 8 pieces of 25 steps, and only a piece whose box meets is sampled
// (placeLabels runs in the page for a machine labelTable does not hold,
// before the wasm is optimised). The slack covers the samples' rounding,
// so the answer is the 201 samples' (TestCrossedByBoundingBox).
func (a dgBox) crossedBy(x1, y1, qx, qy, x2, y2 float64) bool {
	const slack = 1e-6
	clear := func(ax, ay, cx, cy, bx, by float64) bool {
		return max(ax, cx, bx)+slack <= a.x0 || min(ax, cx, bx)-slack >= a.x1 ||
			max(ay, cy, by)+slack <= a.y0+1 || min(ay, cy, by)-slack >= a.y1-1
	}
	if clear(x1, y1, qx, qy, x2, y2) {
		return false
	}
	at := func(u float64) (float64, float64) {
		return (1-u)*(1-u)*x1 + 2*u*(1-u)*qx + u*u*x2, (1-u)*(1-u)*y1 + 2*u*(1-u)*qy + u*u*y2
	}
	for s0 := 0; s0 < 200; s0 += 25 {
		s1 := s0 + 25
		ua, ub := float64(s0)/200, float64(s1)/200
		ax, ay := at(ua)
		bx, by := at(ub)
		// the piece's middle control point
		wa, wq, wb := (1-ua)*(1-ub), ua*(1-ub)+ub*(1-ua), ua*ub
		cx, cy := wa*x1+wq*qx+wb*x2, wa*y1+wq*qy+wb*y2
		if clear(ax, ay, cx, cy, bx, by) {
			continue
		}
		for s := s0; s <= s1; s++ {
			px, py := at(float64(s) / 200)
			if px > a.x0 && px < a.x1 && py > a.y0+1 && py < a.y1-1 {
				return true
			}
		}
	}
	return false
}

// placeLabels computes every label's centre, shorter arrows first (they
// have the least room).
func (m *Machine) placeLabels() {
	n := len(m.Edges)
	m.at = make([][2]float64, n)
	top := float64(m.dgTop())
	var blocked []dgBox
	for i := range m.States {
		x := float64(dgX(i))
		blocked = append(blocked, dgBox{x - dgNodeW/2, top, x + dgNodeW/2, top + dgNodeH})
	}
	for _, e := range m.Edges {
		_, _, _, _, x2, y2 := m.curve(e)
		blocked = append(blocked, dgBox{x2 - 8, y2 - 8, x2 + 8, y2 + 8})
	}
	order := make([]int, n)
	for k := range order {
		order[k] = k
	}
	reach := func(k int) int { return max(m.Edges[k][1]-m.Edges[k][0], m.Edges[k][0]-m.Edges[k][1]) }
	for i := 1; i < n; i++ { // insertion sort by reach: n is at most 10
		for j := i; j > 0 && reach(order[j]) < reach(order[j-1]); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	h := float64(dgFnSize + 2)
	for _, k := range order {
		w := dgFnCharW * float64(len([]rune(m.label(k))))
		x1, y1, qx, qy, x2, y2 := m.curve(m.Edges[k])
		out := -1.0 // outside the curve: up for a forward arc
		if qy > y1 {
			out = 1
		}
		at := func(u, side float64) (float64, float64) {
			px := (1-u)*(1-u)*x1 + 2*u*(1-u)*qx + u*u*x2
			py := (1-u)*(1-u)*y1 + 2*u*(1-u)*qy + u*u*y2
			return px, py + side*(h/2+0.5)
		}
		cx, cy := at(0.5, out)
		best := -1
		for d := 0; d <= 9 && best != 0; d++ {
			for _, u := range []float64{0.5 - 0.05*float64(d), 0.5 + 0.05*float64(d)} {
				for _, side := range []float64{out, -out} {
					x, y := at(u, side)
					b := dgBox{x - w/2, y - h/2, x + w/2, y + h/2}
					if b.x0 < 0 || b.y0 < dgTitle || b.meetsAny(blocked) {
						continue
					}
					if c := m.crossings(b, k); best < 0 || c < best {
						cx, cy, best = x, y, c
					}
				}
			}
		}
		m.at[k] = [2]float64{cx, cy}
		blocked = append(blocked, dgBox{cx - w/2, cy - h/2, cx + w/2, cy + h/2})
	}
}

func (a dgBox) meetsAny(bs []dgBox) bool {
	for _, b := range bs {
		if a.meets(b) {
			return true
		}
	}
	return false
}

// crossings counts the other arrows that run through box b (edge k's
// label).
func (m *Machine) crossings(b dgBox, k int) int {
	n := 0
	for j, e := range m.Edges {
		if j != k && b.crossedBy(m.curve(e)) {
			n++
		}
	}
	return n
}

// tabledLabels is placeLabels' answer for m from labelTable, or nil when
// the table has no machine with m's field, states, edges and labels. The
// placement depends on nothing else (but the geometry's constants, which
// are code), so the page finds the three machines it draws there instead
// of placing their labels on its start-up path (placeLabels' candidates
// and crossings were a fifth of the Go work of New, Init and the first
// Render, natively); a machine the table does not know (its tables
// changed in engine/h1 and the table was not rewritten) is placed as
// before. TestDiagramLabelTable checks the table against placeLabels, so
// a change to either fails it until -update rewrites the table.
func tabledLabels(m *Machine) [][2]float64 {
	key := m.labelKey()
	for _, t := range labelTable {
		if t.key == key {
			return append([][2]float64(nil), t.at...)
		}
	}
	return nil
}

// labelKey is everything placeLabels reads of m: its field (the table's
// name for it), states, edges and their labels.
func (m *Machine) labelKey() string {
	parts := append([]string{m.Field}, m.States...)
	for k, e := range m.Edges {
		parts = append(parts, itoa(e[0])+">"+itoa(e[1])+" "+m.label(k))
	}
	return strings.Join(parts, "|")
}
