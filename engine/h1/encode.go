package h1

import "strconv"

// encoderKind says how an outgoing body is framed.
type encoderKind uint8

// Length comes first so that the zero Encoder is Length(0): a body that is
// already complete, the safe meaning for "no encoder".
const (
	encoderLength         encoderKind = iota // Content-Length: never exceed it
	encoderChunked                           // Transfer-Encoding: chunked
	encoderCloseDelimited                    // neither: the body ends when we close
)

// Encoder frames an outgoing body into the connection's flat write buffer:
// hyper's proto::h1::Encoder with the "flatten" write strategy, so each
// call appends bytes instead of queueing buffers.
type Encoder struct {
	kind      encoderKind
	remaining uint64 // Length: bytes the Content-Length still allows
	last      bool   // the connection closes after this message
	// trailerFields lists, lowercased and each followed by ',', the field
	// names the head's Trailer header declared: hyper's
	// Kind::Chunked(Some(names)). Empty means no trailer may be sent.
	trailerFields []byte
}

// notEOFError is hyper's NotEof: the body ended before its Content-Length.
type notEOFError struct{ remaining uint64 }

func (e *notEOFError) Error() string {
	return "early end, expected " + strconv.FormatUint(e.remaining, 10) + " more bytes"
}

func newLengthEncoder(n uint64) Encoder { return Encoder{kind: encoderLength, remaining: n} }
func newChunkedEncoder() Encoder        { return Encoder{kind: encoderChunked} }
func newCloseDelimitedEncoder() Encoder { return Encoder{kind: encoderCloseDelimited} }

// setLast marks the message as the connection's last.
func (e *Encoder) setLast(last bool) { e.last = last }

// isEOF reports whether a Content-Length body has been written in full.
func (e Encoder) isEOF() bool { return e.kind == encoderLength && e.remaining == 0 }

func (e Encoder) isLast() bool           { return e.last }
func (e Encoder) isCloseDelimited() bool { return e.kind == encoderCloseDelimited }
func (e Encoder) isChunked() bool        { return e.kind == encoderChunked }

// String renders the encoder's kind as hyper's Debug names it.
func (e Encoder) String() string {
	switch e.kind {
	case encoderChunked:
		return "Chunked"
	case encoderLength:
		return "Length(" + strconv.FormatUint(e.remaining, 10) + ")"
	default:
		return "CloseDelimited"
	}
}

// addTrailerFields records the names one Trailer header value declares,
// as hyper's role does before into_chunked_with_trailing_fields: only for a
// chunked encoder; a value that is not visible ASCII is ignored whole; each
// comma-separated item is trimmed and kept if it is a valid field name.
// Called once per Trailer header, in order.
func (e *Encoder) addTrailerFields(value []byte) {
	if e.kind != encoderChunked || !encIsVisibleASCII(value) {
		return
	}
	for len(value) > 0 {
		item := value
		rest := []byte(nil)
		for i, c := range value {
			if c == ',' {
				item, rest = value[:i], value[i+1:]
				break
			}
		}
		item = encTrimSpaceTab(item)
		if encIsFieldName(item) {
			for _, c := range item {
				e.trailerFields = append(e.trailerFields, encLowerByte(c))
			}
			e.trailerFields = append(e.trailerFields, ',')
		}
		value = rest
	}
}

// encode frames one non-empty chunk of body data.
func (e *Encoder) encode(dst *[]byte, chunk []byte) {
	if len(chunk) == 0 {
		// hyper asserts against empty chunks (the dispatcher drops them);
		// a chunked "0\r\n" here would end the body early, so write nothing.
		return
	}
	switch e.kind {
	case encoderChunked:
		*dst = encAppendChunkSize(*dst, len(chunk))
		*dst = append(*dst, chunk...)
		*dst = append(*dst, "\r\n"...)
	case encoderLength:
		// Never write past the declared length: the peer would read the
		// excess as the start of the next message.
		if uint64(len(chunk)) > e.remaining {
			chunk = chunk[:e.remaining]
			e.remaining = 0
		} else {
			e.remaining -= uint64(len(chunk))
		}
		*dst = append(*dst, chunk...)
	default:
		*dst = append(*dst, chunk...)
	}
}

// encodeAndEnd frames the body's final chunk together with whatever ends
// the body, and reports whether the connection may be kept alive. Like
// hyper's encode_and_end it does not update the encoder: the connection
// leaves the Body writing state right after.
func (e *Encoder) encodeAndEnd(dst *[]byte, chunk []byte) (keepAlive bool) {
	switch e.kind {
	case encoderChunked:
		if len(chunk) > 0 {
			*dst = encAppendChunkSize(*dst, len(chunk))
			*dst = append(*dst, chunk...)
			*dst = append(*dst, "\r\n"...)
		}
		*dst = append(*dst, "0\r\n\r\n"...)
		return !e.last
	case encoderLength:
		n := uint64(len(chunk))
		switch {
		case n == e.remaining:
			*dst = append(*dst, chunk...)
			return !e.last
		case n > e.remaining:
			*dst = append(*dst, chunk[:e.remaining]...)
			return !e.last
		default:
			// Short of the Content-Length: the peer will wait for bytes
			// that never come, so the connection must close.
			*dst = append(*dst, chunk...)
			return false
		}
	default:
		*dst = append(*dst, chunk...)
		return false
	}
}

// end writes what terminates the body. A Content-Length body that is not
// complete cannot be ended: that is a *notEOFError.
func (e *Encoder) end(dst *[]byte) error {
	switch e.kind {
	case encoderChunked:
		*dst = append(*dst, "0\r\n\r\n"...)
		return nil
	case encoderLength:
		if e.remaining > 0 {
			return &notEOFError{remaining: e.remaining}
		}
		return nil
	default:
		return nil
	}
}

// encodeTrailers ends a chunked body with a trailer section holding the
// trailers the head declared in its Trailer header, minus the fields that
// must not be trailers. ok is false, and nothing is written, when the
// encoder is not chunked or no field remains; the caller then still has to
// end the body.
//
// Fields are written as an http::HeaderMap iterates: values sharing a name
// together, in order of the name's first appearance.
func (e *Encoder) encodeTrailers(dst *[]byte, trailers []Header, titleCase bool) (ok bool) {
	if e.kind != encoderChunked || len(e.trailerFields) == 0 {
		return false
	}
	start := len(*dst)
	*dst = append(*dst, "0\r\n"...)
	for i, h := range trailers {
		if encNameSeenBefore(trailers[:i], h.Name) || !e.trailerDeclared(h.Name) || !isValidTrailerField(h.Name) {
			continue
		}
		for _, g := range trailers[i:] {
			if encEqualFold(g.Name, h.Name) {
				*dst = appendTrailerLine(*dst, g, titleCase)
				ok = true
			}
		}
	}
	if !ok {
		*dst = (*dst)[:start]
		return false
	}
	*dst = append(*dst, "\r\n"...)
	return true
}

// appendTrailerLine writes "name: value\r\n", the name lowercased as an
// http::HeaderName is, or title-cased when the connection asks for it.
func appendTrailerLine(dst []byte, h Header, titleCase bool) []byte {
	prev := byte('-')
	for _, c := range h.Name {
		c = encLowerByte(c)
		if titleCase && prev == '-' {
			c = encUpperByte(c)
		}
		dst = append(dst, c)
		prev = c
	}
	dst = append(dst, ": "...)
	dst = append(dst, h.Value...)
	return append(dst, "\r\n"...)
}

// trailerDeclared reports whether name is among the declared trailer fields.
func (e *Encoder) trailerDeclared(name []byte) bool {
	list := e.trailerFields
	for len(list) > 0 {
		i := 0
		for list[i] != ',' {
			i++
		}
		if encEqualFold(list[:i], name) {
			return true
		}
		list = list[i+1:]
	}
	return false
}

// disallowedTrailerFields are the fields hyper refuses to send as trailers:
// framing, routing, authentication and content metadata a recipient must
// have before the body (RFC 9110 §6.5.1).
var disallowedTrailerFields = [...]string{
	"authorization", "cache-control", "content-encoding", "content-length",
	"content-range", "content-type", "host", "max-forwards", "set-cookie",
	"trailer", "transfer-encoding", "te",
}

func isValidTrailerField(name []byte) bool {
	for _, f := range disallowedTrailerFields {
		if encEqualFold(name, []byte(f)) {
			return false
		}
	}
	return true
}

func encNameSeenBefore(hs []Header, name []byte) bool {
	for _, h := range hs {
		if encEqualFold(h.Name, name) {
			return true
		}
	}
	return false
}

// encAppendChunkSize writes a chunk-size line: uppercase hex, as hyper's
// ChunkSize formats it, then CRLF.
func encAppendChunkSize(dst []byte, n int) []byte {
	return append(appendUpperHex(dst, uint64(n)), "\r\n"...)
}

// appendUpperHex appends n in uppercase hex without a prefix (Rust's {:X}).
func appendUpperHex(dst []byte, n uint64) []byte {
	const hexDigits = "0123456789ABCDEF"
	var tmp [16]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = hexDigits[n&0xf]
		n >>= 4
		if n == 0 {
			break
		}
	}
	return append(dst, tmp[i:]...)
}

// encIsVisibleASCII is http's HeaderValue::to_str test: HTAB or 0x20..0x7e.
func encIsVisibleASCII(b []byte) bool {
	for _, c := range b {
		if c != '\t' && (c < ' ' || c >= 0x7f) {
			return false
		}
	}
	return true
}

func encTrimSpaceTab(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// encIsFieldName reports whether b is a non-empty token (RFC 9110 §5.1).
func encIsFieldName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !trailerTokenChars[c] {
			return false
		}
	}
	return true
}

func encLowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

func encUpperByte(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func encEqualFold(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if encLowerByte(a[i]) != encLowerByte(b[i]) {
			return false
		}
	}
	return true
}
