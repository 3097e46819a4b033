package ui

import (
	"math"
	"strconv"

	"github.com/connlab/connlab/engine/h1"
)

// The state diagram is drawn from the engine's own transition tables
// (h1.Transitions): the same tables the engine checks every change of
// state against, so the picture cannot drift from the code (h11 generates
// its diagrams from its tables the same way).

// Machine is one of Conn's three state enums as a graph.
type Machine struct {
	Field  string   // the transition field in trace events
	Title  string   // hyper's name
	States []string // in declaration order
	Edges  [][2]int // from, to (indices into States)
}

// Machines returns the three machines of Conn's State (reading, writing,
// keep_alive), read from the engine's tables; the Dispatcher's flags are
// not drawn.
func Machines() []Machine {
	var ms []Machine
	for _, t := range h1.Transitions() {
		switch t.Field {
		case h1.FieldReading, h1.FieldWriting, h1.FieldKeepAlive:
		default:
			continue
		}
		m := Machine{Field: t.Field.String(), Title: t.Title, States: t.States}
		for _, e := range t.Edges {
			m.Edges = append(m.Edges, [2]int{int(e[0]), int(e[1])})
		}
		ms = append(ms, m)
	}
	return ms
}

// variant is a state's variant name: "Body(Length(5))" → "Body".
func variant(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '(' {
			return s[:i]
		}
	}
	return s
}

const (
	dgNodeW = 96
	dgNodeH = 26
	dgStep  = 124
	dgPad   = 14
	dgTop   = 44 // node top: room for the title and the forward arcs
)

// SVG draws m with cur lit and the transition last (from→to, either may be
// "") highlighted.
func (m *Machine) SVG(cur, lastFrom, lastTo string) string {
	n := len(m.States)
	w := dgPad*2 + (n-1)*dgStep + dgNodeW
	maxBack := 0
	for _, e := range m.Edges {
		if e[1] < e[0] {
			maxBack = max(maxBack, e[0]-e[1])
		}
	}
	ht := dgTop + dgNodeH + 8
	if maxBack > 0 {
		ht += 14 + 8*maxBack
	}
	cur = variant(cur)
	lastFrom, lastTo = variant(lastFrom), variant(lastTo)

	h := &hb{b: make([]byte, 0, 4096)}
	h.s(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `).n(w).s(" ").n(ht).s(`" width="`).n(w)
	h.s(`" role="img" aria-label="`).t(m.Title).s(" state machine, now ").t(cur)
	h.s(`"><text class="m-title" x="2" y="12">`).t(m.Title).s(" (").t(m.Field).s(")</text>")

	// edges first, the highlighted one last so it draws on top
	lastEdge := -1
	for k, e := range m.Edges {
		if m.States[e[0]] == lastFrom && m.States[e[1]] == lastTo {
			lastEdge = k
			continue
		}
		m.edge(h, e, false)
	}
	if lastEdge >= 0 {
		m.edge(h, m.Edges[lastEdge], true)
	}
	for i, st := range m.States {
		cls := `<g class="n`
		switch {
		case st == cur:
			cls = `<g class="n cur`
		case st == lastFrom && lastEdge >= 0:
			cls = `<g class="n was`
		}
		h.s(cls).s(`" data-state="`).t(st).s(`"><rect x="`).n(dgX(i) - dgNodeW/2).s(`" y="`).n(dgTop)
		h.s(`" width="`).n(dgNodeW).s(`" height="`).n(dgNodeH).s(`" rx="6"/><text x="`).n(dgX(i)).s(`" y="`).n(dgTop + dgNodeH/2).s(`">`).t(st).s(`</text></g>`)
	}
	h.s(`</svg>`)
	return h.String()
}

// dgX is the centre of state i.
func dgX(i int) int { return dgPad + dgNodeW/2 + i*dgStep }

// edge draws one transition: forward edges arc above the row of states,
// backward ones below, higher the further they reach. An edge leaves and
// enters a state further from its centre the further it reaches, so the
// edges of one state never share an end (nor their arrowheads a point).
func (m *Machine) edge(h *hb, e [2]int, last bool) {
	from, to := e[0], e[1]
	span := to - from
	off := 4 + 9*min(max(span, -span), 4)
	var x1, y1, x2, y2, qy float64
	if span > 0 {
		x1, x2 = float64(dgX(from)+off), float64(dgX(to)-off)
		y1, y2 = dgTop, dgTop
		qy = float64(dgTop - 10 - 9*span)
	} else {
		x1, x2 = float64(dgX(from)-off), float64(dgX(to)+off)
		y1, y2 = dgTop+dgNodeH, dgTop+dgNodeH
		qy = float64(dgTop + dgNodeH + 10 + 9*(-span))
	}
	qx := (x1 + x2) / 2
	h.s(pick(last, `<path class="e last" data-edge="`, `<path class="e" data-edge="`)).t(m.States[from]).s("→").t(m.States[to])
	h.s(`" d="M`).s(fxy(x1, y1)).s(" Q").s(fxy(qx, qy)).s(" ").s(fxy(x2, y2))
	h.s(`"><title>`).t(m.States[from]).s(" → ").t(m.States[to]).s(`</title></path>`)
	// the arrowhead, along the curve's end tangent
	dx, dy := x2-qx, y2-qy
	l := math.Hypot(dx, dy)
	dx, dy = dx/l, dy/l
	const al, aw = 7.0, 3.6
	bx, by := x2-dx*al, y2-dy*al
	h.s(pick(last, `<path class="ah last" d="M`, `<path class="ah" d="M`)).s(fxy(x2, y2)).s(" L").s(fxy(bx-dy*aw, by+dx*aw)).s(" L").s(fxy(bx+dy*aw, by-dx*aw)).s(`Z"/>`)
}

func fxy(x, y float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64) + "," + strconv.FormatFloat(math.Round(y*10)/10, 'f', -1, 64)
}
