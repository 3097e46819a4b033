package ui

import (
	"math"
	"strconv"
	"strings"

	"github.com/connlab/connlab/engine/h1"
)

// The state diagram is drawn from the engine's own transition tables
// (h1.Transitions): the same tables the engine checks every change of
// state against, so the picture cannot drift from the code (h11 generates
// its diagrams from its tables the same way).

// Machine is one of Conn's three state enums as a graph.
type Machine struct {
	Field  string     // the transition field in trace events
	Title  string     // hyper's name
	States []string   // in declaration order
	Edges  [][2]int   // from, to (indices into States)
	Funcs  [][]string // per edge: hyper's functions that take it (h1.TransitionFuncs), most usual first

	at [][2]float64 // per edge: its label's centre (placeLabels)
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
			m.Funcs = append(m.Funcs, h1.TransitionFuncs(h1.Transition{Field: t.Field, From: e[0], To: e[1]}))
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
	dgRise  = 32 // how much higher a forward arc's control point is per state it spans
	dgSink  = 14 // how much lower a backward arc's (each machine has one)
	dgTitle = 16 // the machine's title line
	// an arrow's label: 9 px monospace (connlab.css .diagram .fn), whose
	// characters are 0.6 em wide; the box the geometry test checks
	dgFnSize  = 9
	dgFnCharW = 5.4
)

// dgTop is the nodes' top: room for the title and the highest forward
// arc with its label.
func (m *Machine) dgTop() int {
	span := 0
	for _, e := range m.Edges {
		span = max(span, e[1]-e[0])
	}
	return dgTitle + 2*dgFnSize + 4 + (10+dgRise*span)/2
}

// label is the text on edge k's arrow: the function that usually takes
// it, and how many more can.
func (m *Machine) label(k int) string {
	f := m.Funcs[k]
	switch len(f) {
	case 0:
		return ""
	case 1:
		return f[0]
	}
	return f[0] + " +" + itoa(len(f)-1)
}

// labelBox is where edge k's label is drawn (diagram_labels.go places
// it): its centre and its size.
func (m *Machine) labelBox(k int) (cx, cy, w, h float64) {
	if m.at == nil {
		m.at = tabledLabels(m)
	}
	if m.at == nil {
		m.placeLabels()
	}
	return m.at[k][0], m.at[k][1], dgFnCharW * float64(len([]rune(m.label(k)))), dgFnSize + 2
}

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
	dgTop := m.dgTop()
	ht := dgTop + dgNodeH + 8
	if maxBack > 0 {
		ht += (10+dgSink*maxBack)/2 + 2*dgFnSize + 4
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
		m.edge(h, k, false)
	}
	if lastEdge >= 0 {
		m.edge(h, lastEdge, true)
	}
	// the labels over the arrows, the last transition's lit
	for k := range m.Edges {
		cx, cy, lw, lh := m.labelBox(k)
		h.s(`<rect class="fnb" x="`).s(fnum(cx - lw/2)).s(`" y="`).s(fnum(cy - lh/2)).s(`" width="`).s(fnum(lw)).s(`" height="`).s(fnum(lh)).s(`" rx="2"/>`)
		h.s(pick(k == lastEdge, `<text class="fn last" x="`, `<text class="fn" x="`)).s(fnum(cx)).s(`" y="`).s(fnum(cy)).s(`">`).t(m.label(k)).s(`<title>`)
		h.t(m.States[m.Edges[k][0]]).s(" → ").t(m.States[m.Edges[k][1]]).s(": ").t(strings.Join(m.Funcs[k], ", ")).s(`</title></text>`)
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

// curve is edge e's quadratic curve: forward edges arc above the row of
// states, backward ones below, higher the further they reach. An edge
// leaves and enters a state nearer its centre the further it reaches, so
// the edges of one state never share an end (nor their arrowheads a
// point), and the arcs leaving (entering) one state nest: the longer
// passes over the shorter rather than through it.
func (m *Machine) curve(e [2]int) (x1, y1, qx, qy, x2, y2 float64) {
	top := m.dgTop()
	from, to := e[0], e[1]
	span := to - from
	off := 4 + 9*(4-min(max(span, -span), 4))
	if span > 0 {
		x1, x2 = float64(dgX(from)+off), float64(dgX(to)-off)
		y1, y2 = float64(top), float64(top)
		qy = float64(top - 10 - dgRise*span)
	} else {
		x1, x2 = float64(dgX(from)-off), float64(dgX(to)+off)
		y1, y2 = float64(top+dgNodeH), float64(top+dgNodeH)
		qy = float64(top + dgNodeH + 10 + dgSink*(-span))
	}
	return x1, y1, (x1 + x2) / 2, qy, x2, y2
}

// edge draws transition k, with hyper's functions that take it as its
// tooltip.
func (m *Machine) edge(h *hb, k int, last bool) {
	from, to := m.Edges[k][0], m.Edges[k][1]
	x1, y1, qx, qy, x2, y2 := m.curve(m.Edges[k])
	h.s(pick(last, `<path class="e last" data-edge="`, `<path class="e" data-edge="`)).t(m.States[from]).s("→").t(m.States[to])
	h.s(`" d="M`).s(fxy(x1, y1)).s(" Q").s(fxy(qx, qy)).s(" ").s(fxy(x2, y2))
	h.s(`"><title>`).t(m.States[from]).s(" → ").t(m.States[to]).s(": ").t(strings.Join(m.Funcs[k], ", ")).s(`</title></path>`)
	// the arrowhead, along the curve's end tangent
	dx, dy := x2-qx, y2-qy
	l := math.Hypot(dx, dy)
	dx, dy = dx/l, dy/l
	const al, aw = 7.0, 3.6
	bx, by := x2-dx*al, y2-dy*al
	h.s(pick(last, `<path class="ah last" d="M`, `<path class="ah" d="M`)).s(fxy(x2, y2)).s(" L").s(fxy(bx-dy*aw, by+dx*aw)).s(" L").s(fxy(bx+dy*aw, by-dx*aw)).s(`Z"/>`)
}

// fnum is v to one decimal, as strconv.FormatFloat(math.Round(v*10)/10,
// 'f', -1, 64) writes it ("12", "12.5", "-0.5", "-0"), from the integer
// tenths: the shortest-form float formatting is otherwise not run on the
// page's start-up path, and the diagram is (TestFnumIsFormatFloat).
func fnum(v float64) string {
	n := math.Round(v * 10)
	if !(math.Abs(n) < 1e15) { // NaN, ±Inf, or too large for int64 tenths
		return strconv.FormatFloat(n/10, 'f', -1, 64)
	}
	t := int64(n)
	neg := t < 0 || t == 0 && math.Signbit(n)
	if t < 0 {
		t = -t
	}
	s := strconv.FormatInt(t/10, 10)
	if d := t % 10; d != 0 {
		s += "." + string(rune('0'+d))
	}
	if neg {
		s = "-" + s
	}
	return s
}

func fxy(x, y float64) string { return fnum(x) + "," + fnum(y) }
