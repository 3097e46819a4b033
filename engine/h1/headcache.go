package h1

// A server answers a pipelined stream with the same response head again
// and again: the hello service's "HTTP/1.1 200 OK", "content-length: 5"
// and the date line. hyper caches only the rendered date; the rest it
// encodes each time. The engine also keeps the last head a service
// answered without fields of its own, with its body's encoder, and writes
// those bytes again when everything that head was encoded from is the
// same: one copy instead of a status line, the framing fields and a date.
//
// What keeps the copy equal to encoding afresh: with no user fields,
// Server::encode's output and encoder depend on nothing but the fields of
// headKey and the date (encodeResponse, encodeHeaders, encodeImplicitLength
// and appendHeadEnd read nothing else of the head, the body or the context),
// and on no state left from an earlier head. The date is not in the key:
// the cache's owner clears it when the date changes (Conn.setDate). A 1xx
// status, which writes a 500 and an error in its place, is never cached,
// nor a status outside 100..999 (the key packs it in ten bits).
// TestHeadCacheMatchesEncode and FuzzHeadCache encode heads with and
// without the cache and compare bytes, encoders and errors.

// headKey is everything but the date a response head without user fields
// is encoded from: the small fields packed in one word (compared at once),
// the known body length, and a reason phrase given by the service.
type headKey struct {
	bits   uint64 // status | version<<10 | body<<18 | method<<20 | keepAlive<<22 | titleCase<<23 | dateHeader<<24
	n      uint64 // the body's length when known
	reason string
}

// headCache is the last cacheable head: its bytes and its body's encoder.
type headCache struct {
	valid bool
	key   headKey
	head  []byte
	enc   Encoder
}

// cacheKey is the key of the head ctx would encode, ok=false when it is
// never cached (user fields, a 1xx status, a status beyond three digits).
func cacheKey(ctx *encodeContext) (k headKey, ok bool) {
	return keyOf(ctx.head, ctx.body, ctx.reqMethod, ctx.keepAlive, ctx.titleCase, ctx.dateHeader)
}

// keyOf is cacheKey from the fields of an encodeContext.
func keyOf(h *ResponseHead, body *BodyLength, reqMethod string, keepAlive, titleCase, dateHeader bool) (k headKey, ok bool) {
	if len(h.Headers) != 0 || h.Status < 200 || h.Status > 999 {
		return headKey{}, false
	}
	k.bits = uint64(h.Status) | uint64(h.Version)<<10
	if b := body; b != nil {
		body := uint64(2) // length unknown
		if b.Known {
			body, k.n = 1, b.N
		}
		k.bits |= body << 18
	}
	// The request's method matters to encoding only as HEAD or CONNECT.
	switch reqMethod {
	case MethodHead:
		k.bits |= 1 << 20
	case MethodConnect:
		k.bits |= 2 << 20
	}
	if keepAlive {
		k.bits |= 1 << 22
	}
	if titleCase {
		k.bits |= 1 << 23
	}
	if dateHeader {
		k.bits |= 1 << 24
	}
	k.reason = h.Reason
	return k, true
}

// lookup returns the cached head for k, if it is the one cached.
func (c *headCache) lookup(k headKey) bool {
	return c.valid && c.key.bits == k.bits && c.key.n == k.n && c.key.reason == k.reason
}

// store remembers a head just encoded and its encoder.
func (c *headCache) store(k headKey, head []byte, enc Encoder) {
	c.valid, c.key, c.enc = true, k, enc
	c.head = append(c.head[:0], head...)
}
