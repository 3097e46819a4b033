package timeline

import (
	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/trace"
)

// View is what the sandbox shows at one event: the event itself and the
// state of the connection right after it. Views are rebuilt from compact
// snapshots (see capture), so moving the cursor backwards never re-runs
// anything.
type View struct {
	Seq  int    `json:"seq"`
	Step int    `json:"step"`
	Task int    `json:"task"`
	Span string `json:"span"`
	Kind string `json:"kind"`

	// Reading and Writing are variant names; Continue and Body carry the
	// codec, e.g. "Body(Length(5))", "Body(Chunked(Size))".
	Reading    string `json:"reading"`
	Writing    string `json:"writing"`
	KeepAlive  string `json:"keep_alive"`
	NotifyRead bool   `json:"notify_read"`
	IsClosing  bool   `json:"is_closing"`
	// Iter is the poll_loop iteration (1..16) while the event happens inside
	// the dispatcher's poll, 0 outside.
	Iter int `json:"iter"`
	// BodyTx is the incoming body channel's want state ("Pending", "Ready",
	// "Closed"), "" when no body is being received.
	BodyTx string `json:"body_tx"`
	// BodyRx is true while an outgoing body is being written.
	BodyRx bool `json:"body_rx"`
	// InFlight is the request in flight, e.g. "GET /", or "".
	InFlight string `json:"in_flight"`
	// Queue and Wanting are the client dispatch queue and its want signal
	// (modes client and both).
	Queue   int  `json:"queue"`
	Wanting bool `json:"wanting"`
	// ReadBuf and WriteBuf are the bytes in the Conn's read and write
	// buffers. The unread bytes are always the last ReadBuf bytes the
	// connection read from its stream.
	ReadBuf  int `json:"read_buf"`
	WriteBuf int `json:"write_buf"`
	// WireIn and WireOut are how many bytes of the recorded streams
	// (to_server, to_client) had been written when the event happened.
	WireIn  int64 `json:"wire_in"`
	WireOut int64 `json:"wire_out"`
	// ClockMS is the virtual clock, in ms since the session's epoch.
	ClockMS  int64 `json:"clock_ms"`
	Requests int   `json:"requests"`
	Upgraded bool  `json:"upgraded"`
	Done     bool  `json:"done"`
	// Input is the index of the last input applied when the event happened
	// (-1 before the first).
	Input int `json:"input"`

	// Client holds, in mode both, the client connection's fields (Reading
	// to Done; the event and wire fields are left zero). nil otherwise.
	Client *View `json:"client,omitempty"`
}

// connSnap is one connection's part of a snapshot: strings as ids into the
// capture's name table, so a snapshot is pointer-free and comparable.
type connSnap struct {
	reading, writing, inFlight uint32
	readBuf, writeBuf          int32
	requests, queue            int32
	ka, bodyTx, iter, flags    uint8
}

const (
	flagNotifyRead = 1 << iota
	flagIsClosing
	flagBodyRx
	flagWanting
	flagUpgraded
	flagDone
	flagPresent // the connection exists (a client before its handshake has none)
)

// snap is the state after one event (88 bytes; stored as differences, see
// snapStore).
type snap struct {
	main, client           connSnap
	wireIn, wireOut, clock int64
}

// spanInfo is what a span says about the poll loop: whether it lies inside
// a Dispatcher's poll, and the pollLoop iteration it lies in (0 = none).
type spanInfo struct {
	known    bool
	inPoll   bool
	loopIter uint8
}

// stateIDs caches the rendering of a Conn's StateKey.
type stateIDs struct{ reading, writing uint32 }

// connCache remembers the last strings of one connection, so capturing a
// snapshot allocates nothing while they do not change.
type connCache struct {
	key    h1.StateKey
	ids    stateIDs
	ok     bool
	method string
	uri    []byte
	flight uint32
	// gen and uriAt say which request's URI flight names: the server's
	// request count and where the URI's bytes lie, so that the events of one
	// request (a body read byte by byte records thousands) need not compare
	// a URI of up to 64 KiB again each time.
	gen   int
	uriAt *byte
	// txOpen: the dispatcher's body sender is open, even while poll_read
	// has it out (see h1.Dispatcher.BodyTxHeld)
	txOpen bool
}

// capture takes a snapshot at every event the recorder adds (through its
// OnEvent hook) and keeps the unit boundaries the cursor moves by. Its
// storage is pointer-free: the snaps as differences (snapStore).
type capture struct {
	s   *session.Session
	rec *trace.Recorder

	names   []string
	nameIDs map[string]uint32
	states  map[h1.StateKey]stateIDs
	scratch []byte
	main    connCache
	client  connCache
	spans   []spanInfo

	n     int // events captured
	snaps snapStore
	// recorded counts the snapshots taken (a fork takes none for the
	// events it keeps)
	recorded int

	// unit boundaries: event indices, ascending
	calls, polls, iters, reqs []int32
	lastReqs                  int32
	lines                     []lineMark // where the programs' lines change (lines.go)
}

func newCapture(s *session.Session) *capture {
	return &capture{
		s: s, rec: s.Rec,
		names:   []string{""},
		nameIDs: map[string]uint32{"": 0},
		states:  map[h1.StateKey]stateIDs{},
	}
}

// name interns s.
func (c *capture) name(s string) uint32 {
	if id, ok := c.nameIDs[s]; ok {
		return id
	}
	id := uint32(len(c.names))
	c.names = append(c.names, s)
	c.nameIDs[s] = id
	return id
}

// nameBytes interns b without allocating when it is already known.
func (c *capture) nameBytes(b []byte) uint32 {
	if id, ok := c.nameIDs[string(b)]; ok {
		return id
	}
	return c.name(string(b))
}

func (c *capture) span(id int32) spanInfo {
	for int(id) >= len(c.spans) {
		c.spans = append(c.spans, spanInfo{})
	}
	si := &c.spans[id]
	if si.known {
		return *si
	}
	si.known = true
	for n := id; n > 0; {
		parent, name, iter, ok := c.rec.SpanNode(n)
		if !ok {
			break
		}
		switch name {
		case "Dispatcher.pollLoop":
			if si.loopIter == 0 && iter > 0 && iter < 256 {
				si.loopIter = uint8(iter)
			}
		case "Dispatcher.poll":
			si.inPoll = true
		}
		n = parent
	}
	return *si
}

// onEvent is the recorder's OnEvent hook.
func (c *capture) onEvent(seq int) {
	for c.n < seq {
		// events recorded before the hook was set: the state now is the
		// best there is
		c.record(c.n)
	}
	c.record(seq)
}

// catchUp captures any events recorded without the hook.
func (c *capture) catchUp() {
	for c.n < c.rec.Len() {
		c.record(c.n)
	}
}

func (c *capture) record(seq int) {
	rec := c.rec
	kind := rec.KindAt(seq)
	task := rec.TaskAt(seq)
	si := c.span(rec.SpanAt(seq))
	s := c.s

	// A transition is recorded once its field has changed (h1's setters
	// assign, then record), so the state read now is the event's.
	var ev trace.Event
	if kind == trace.KindIO || kind == trace.KindBody {
		ev = rec.At(seq)
	}
	// a body sender closing inside a dispatcher's poll is that
	// dispatcher's
	txEOF := kind == trace.KindBody && ev.Name == "eof" && si.inPoll

	var sn snap
	sn.wireIn = s.Duplex.ToServer.Written()
	sn.wireOut = s.Duplex.ToClient.Written()
	sn.clock = s.Ex.Clock().Now() - session.EpochMillis

	cc := s.ClientConn()
	mainIsServer := s.Server != nil
	// which connection the event belongs to: in mode both, everything not
	// in the server's own task is the client's
	ownerMain := !mainIsServer || s.Mode != session.ModeBoth || task == int32(s.ServerTask())

	if mainIsServer {
		srv := s.Server
		c.conn(&sn.main, &c.main, srv.Dispatcher(), srv.RequestsSeen(), ownerMain, si, txEOF)
		sn.main.requests = int32(srv.RequestsSeen())
		if srv.Done() {
			sn.main.flags |= flagDone
		}
		if srv.Upgraded() {
			sn.main.flags |= flagUpgraded
		}
		if cc != nil {
			sn.main.queue = int32(cc.QueueLen())
			if cc.Wanting() {
				sn.main.flags |= flagWanting
			}
		}
	}
	if s.Client != nil {
		dst, cache, owner := &sn.client, &c.client, !ownerMain
		if !mainIsServer {
			dst, cache, owner = &sn.main, &c.main, true
		}
		if cc != nil {
			c.conn(dst, cache, cc.Dispatcher(), s.RequestsSent(), owner, si, txEOF)
			dst.queue = int32(cc.QueueLen())
			if cc.Wanting() {
				dst.flags |= flagWanting
			}
			if cc.Done() {
				dst.flags |= flagDone
			}
			if cc.Upgraded() {
				dst.flags |= flagUpgraded
			}
		}
		dst.requests = int32(s.RequestsSent())
	}

	if kind == trace.KindIO && ev.N > 0 {
		// an io event is recorded between the transport call and the
		// buffer's bookkeeping: show the bytes already moved
		mainEnd := "server"
		if !mainIsServer {
			mainEnd = "client"
		}
		switch {
		case ev.Field == mainEnd:
			ioPatch(&sn.main, &ev)
		case ev.Field == "client" && s.Mode == session.ModeBoth:
			ioPatch(&sn.client, &ev)
		}
	}

	c.snaps.add(&sn)
	c.noteLines(seq)
	c.n++
	c.recorded++

	switch kind {
	case trace.KindCall, trace.KindRet:
		c.calls = append(c.calls, int32(seq))
	case trace.KindPoll:
		c.polls = append(c.polls, int32(seq))
	case trace.KindIter:
		c.iters = append(c.iters, int32(seq))
	}
	if r := sn.main.requests; r != c.lastReqs {
		c.lastReqs = r
		c.reqs = append(c.reqs, int32(seq))
	}
}

// ioPatch applies an io event of a live connection's end to its buffers:
// bytes read are in the read buffer, bytes written have left the write
// buffer.
func ioPatch(cs *connSnap, ev *trace.Event) {
	if cs.flags&flagPresent == 0 || cs.flags&(flagDone|flagUpgraded) != 0 {
		return
	}
	switch ev.Name {
	case "read":
		cs.readBuf += int32(ev.N)
	case "write":
		cs.writeBuf = max(0, cs.writeBuf-int32(ev.N))
	}
}

// conn fills one connection's snapshot from its dispatcher's View. owner
// says the event belongs to this connection (for the iteration); gen
// counts the requests it has started.
func (c *capture) conn(dst *connSnap, cache *connCache, d *h1.Dispatcher, gen int, owner bool, si spanInfo, txEOF bool) {
	v := d.View()
	key := v.State
	isClosing := v.IsClosing
	if !cache.ok || key != cache.key {
		ids, ok := c.states[key]
		if !ok {
			ids = stateIDs{reading: c.name(key.ReadingString()), writing: c.name(key.WritingString())}
			c.states[key] = ids
		}
		cache.key, cache.ids, cache.ok = key, ids, true
	}
	dst.reading, dst.writing = cache.ids.reading, cache.ids.writing
	dst.ka = uint8(key.KeepAlive)
	dst.flags |= flagPresent
	if key.NotifyRead {
		dst.flags |= flagNotifyRead
	}
	if isClosing {
		dst.flags |= flagIsClosing
	}
	if v.BodyRx {
		dst.flags |= flagBodyRx
	}
	switch {
	case v.BodyTx != body.WantNone:
		dst.bodyTx = uint8(v.BodyTx)
		cache.txOpen = !(owner && txEOF)
	case owner && txEOF:
		cache.txOpen = false
	case cache.txOpen:
		dst.bodyTx = uint8(v.BodyTxHeld)
	}
	if owner && si.inPoll {
		if si.loopIter > 0 {
			dst.iter = si.loopIter
		} else {
			dst.iter = uint8(v.Iter)
		}
	}
	method, uri, ok := v.Method, v.URI, v.InFlight
	var uriAt *byte
	if len(uri) > 0 {
		uriAt = &uri[0]
	}
	switch {
	case !ok:
		dst.inFlight = 0
	case cache.flight != 0 && gen == cache.gen && uriAt == cache.uriAt && len(uri) == len(cache.uri) && method == cache.method:
		// the same request as at the last event: its head does not change
		// while it is in flight
		dst.inFlight = cache.flight
	case method == cache.method && string(uri) == string(cache.uri) && cache.flight != 0:
		dst.inFlight = cache.flight
		cache.gen, cache.uriAt = gen, uriAt
	default:
		if uri == nil {
			cache.flight = c.name(method)
		} else {
			c.scratch = append(append(append(c.scratch[:0], method...), ' '), uri...)
			cache.flight = c.nameBytes(c.scratch)
		}
		cache.method = method
		cache.uri = append(cache.uri[:0], uri...)
		cache.gen, cache.uriAt = gen, uriAt
		dst.inFlight = cache.flight
	}
	dst.readBuf = int32(v.ReadBuf)
	dst.writeBuf = int32(v.WriteBuf)
}

// snapAt is event i's snap, valid until the next snapAt or record.
func (c *capture) snapAt(i int) *snap { return c.snaps.at(i) }

// fillConn renders one connection's part of a snapshot into v.
func (c *capture) fillConn(v *View, cs *connSnap) {
	if cs.flags&flagPresent != 0 {
		v.Reading = c.names[cs.reading]
		v.Writing = c.names[cs.writing]
		v.KeepAlive = h1.KA(cs.ka).String()
	}
	v.NotifyRead = cs.flags&flagNotifyRead != 0
	v.IsClosing = cs.flags&flagIsClosing != 0
	v.Iter = int(cs.iter)
	v.BodyTx = body.Want(cs.bodyTx).String()
	v.BodyRx = cs.flags&flagBodyRx != 0
	v.InFlight = c.names[cs.inFlight]
	v.Queue = int(cs.queue)
	v.Wanting = cs.flags&flagWanting != 0
	v.ReadBuf = int(cs.readBuf)
	v.WriteBuf = int(cs.writeBuf)
	v.Requests = int(cs.requests)
	v.Upgraded = cs.flags&flagUpgraded != 0
	v.Done = cs.flags&flagDone != 0
}

// bytes estimates the capture's memory: snaps, boundaries, names.
func (c *capture) bytes() int {
	n := c.snaps.bytes()
	n += (cap(c.calls) + cap(c.polls) + cap(c.iters) + cap(c.reqs)) * 4
	for _, s := range c.names {
		n += len(s) + 16
	}
	return n
}
