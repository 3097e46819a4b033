package ui

// growingDissect keeps Dissect's reading of both streams while they grow:
// a long session's run appends to them slice by slice, and each update
// reads on from the last settled message (mark) rather than from the
// start, so the panels' index costs what a slice added, not the whole
// wire again. The reading is the one Dissect gives the streams at once
// (TestGrowingDissectIsDissect).
type growingDissect struct {
	in, out         dissector
	inMark, outMark mark
	reqs            []message
	up              int // the request whose response switched protocols; -1: none
}

func newGrowingDissect() *growingDissect { return &growingDissect{up: -1} }

// update reads the streams as they are now (each the same bytes as
// before, maybe more) and returns their segments.
func (g *growingDissect) update(toServer, toClient []byte) (in, out []Segment) {
	if len(toServer) == len(g.in.b) && len(toClient) == len(g.out.b) {
		return g.in.segs, g.out.segs
	}
	g.in.b, g.in.pos, g.in.segs = toServer, g.inMark.pos, g.in.segs[:g.inMark.segs]
	g.reqs = g.in.requests(g.reqs[:g.inMark.msgs], g.up, &g.inMark)
	g.out.b, g.out.pos, g.out.segs = toClient, g.outMark.pos, g.out.segs[:g.outMark.segs]
	if _, up := g.out.responses(g.reqs, g.outMark.k, &g.outMark); up >= 0 && g.up < 0 {
		// the requests after the upgraded one are not HTTP: read them
		// again, as Dissect does
		g.up = up
		g.in, g.inMark = dissector{b: toServer}, mark{}
		g.reqs = g.in.requests(nil, up, &g.inMark)
	}
	return g.in.segs, g.out.segs
}
