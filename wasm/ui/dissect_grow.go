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
	up              int   // the request whose response switched protocols; -1: none
	read            int64 // bytes read again, in all (the cost a test bounds)
}

func newGrowingDissect() *growingDissect { return &growingDissect{up: -1} }

// update reads the streams as they are now (each the same bytes as
// before, maybe more) and returns their segments. A message not settled
// yet is read again from its start: one that goes on for long (a chunked
// body of many chunks, streamed through a whole run) would cost the square
// of its length if read again at every slice. So until the run is over
// (final), a stream is read again only once it has grown by as much as
// its unsettled tail (the doubling rule the index used as a whole before),
// and its newest bytes may wait uncoloured until then.
func (g *growingDissect) update(toServer, toClient []byte, final bool) (in, out []Segment) {
	if n := len(g.in.b); len(toServer) > n && (final || len(toServer)-n >= n-g.inMark.pos) {
		g.read += int64(len(toServer) - g.inMark.pos)
		g.in.b, g.in.pos, g.in.segs = toServer, g.inMark.pos, g.in.segs[:g.inMark.segs]
		g.reqs = g.in.requests(g.reqs[:g.inMark.msgs], g.up, &g.inMark)
	}
	// the responses are read again when their stream has grown, or at the
	// end when the requests they answer have (a HEAD, a CONNECT)
	if n := len(g.out.b); len(toClient) > n && (final || len(toClient)-n >= n-g.outMark.pos) || final && len(toClient) > g.outMark.pos {
		g.read += int64(len(toClient) - g.outMark.pos)
		g.out.b, g.out.pos, g.out.segs = toClient, g.outMark.pos, g.out.segs[:g.outMark.segs]
		if _, up := g.out.responses(g.reqs, g.outMark.k, &g.outMark); up >= 0 && g.up < 0 {
			// the requests after the upgraded one are not HTTP: read
			// them again, as Dissect does
			g.up = up
			g.read += int64(len(g.in.b))
			g.in, g.inMark = dissector{b: g.in.b}, mark{}
			g.reqs = g.in.requests(nil, up, &g.inMark)
		}
	}
	return g.in.segs, g.out.segs
}
