package h1

// A pipelined stream often repeats its request head byte for byte (a load
// generator, a health check, `make bench`'s sixteen GETs). Parsing is a
// function of the head's bytes alone: the grammar pass reads nothing past
// the blank line that ends a whole head, and Server::parse's checks and
// framing read only the request line and the fields. So when the bytes at
// the front of the buffer are the last head's, byte for byte, the parse
// is the last one's, its slices moved to the new place: requestMemo keeps
// a private copy of the last head's bytes (a service may write into the
// ones it was handed) and what parsing them gave, slices into that copy.
//
// It holds heads parsed whole and accepted (an error is parsed again, to
// report it afresh), and is used with the same field limit. Traced, a
// parse notes what it parsed: a traced hit writes the one note an
// accepted head's parse writes ("Request.parse Complete(n)"), then the
// message, and is only taken when the memo was stored by a traced parse
// that noted nothing else (an untraced parse cannot tell). TestRequestMemo*
// and FuzzRequestMemo parse heads after other heads with the memo and
// without it, and compare the results and the traces.

// requestMemo is the last head parsed and accepted.
type requestMemo struct {
	bytes      []byte        // a copy of the head, leading empty lines included
	msg        ParsedRequest // the message, its URI and fields in bytes
	headers    []Header      // msg.Head.Headers' own backing array
	maxHeaders int
	quiet      bool // stored by a traced parse that noted nothing but Complete
	lastLen    int  // the length of the last head accepted (offer)
}

// match reports whether buf starts with the memo's head, and the memo can
// stand for a parse (traced or not) of it.
func (m *requestMemo) match(buf []byte, maxHeaders int, traced bool) bool {
	n := len(m.bytes)
	return n != 0 && len(buf) >= n && m.maxHeaders == maxHeaders && (m.quiet || !traced) && string(buf[:n]) == string(m.bytes)
}

// replay is parseRequestAt for a head that matched: the memo's message,
// its slices moved into buf, and the context as the parse leaves it.
func (m *requestMemo) replay(buf []byte, ctx *parseContext, msg *ParsedRequest) int {
	n := len(m.bytes)
	hs := ctx.headers
	if cap(hs) < len(m.headers) {
		hs = make([]Header, len(m.headers)) // once: the array is reused
	}
	hs = hs[:len(m.headers)]
	for k := range hs {
		h := &m.headers[k]
		hs[k] = Header{Name: rebase(buf, m.bytes, h.Name), Value: rebase(buf, m.bytes, h.Value)}
	}
	ctx.headers = hs
	*msg = m.msg
	msg.Head.URI = rebase(buf, m.bytes, m.msg.Head.URI)
	msg.Head.Headers = hs
	ctx.split = n
	ctx.reqMethod = msg.Head.Method
	return n
}

// offer stores an accepted head when the one before it had the same
// length: a stream that repeats its head shows it at its second head, and
// a stream of different heads (mostly of different lengths) does not pay
// for copies it would not use (a store costs about a fifth of a parse).
func (m *requestMemo) offer(head []byte, msg *ParsedRequest, maxHeaders int, quiet bool) {
	if len(head) == m.lastLen {
		m.store(head, msg, maxHeaders, quiet)
	}
	m.lastLen = len(head)
}

// store remembers head (buf[:n] of an accepted parse) and its message.
func (m *requestMemo) store(head []byte, msg *ParsedRequest, maxHeaders int, quiet bool) {
	m.quiet = quiet
	m.bytes = append(m.bytes[:0], head...)
	m.headers = m.headers[:0]
	for _, h := range msg.Head.Headers {
		m.headers = append(m.headers, Header{Name: rebase(m.bytes, head, h.Name), Value: rebase(m.bytes, head, h.Value)})
	}
	m.msg = *msg
	m.msg.Head.URI = rebase(m.bytes, head, msg.Head.URI)
	m.msg.Head.Headers = m.headers
	m.maxHeaders = maxHeaders
}
