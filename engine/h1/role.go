package h1

import (
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/connlab/connlab/engine/trace"
)

// This file is the server role of hyper's proto/h1 role.rs: parsing a
// request head (httparse's request grammar, then hyper's Server::parse),
// encoding a response head (Server::encode) and the automatic response for
// a parse error (Server::on_error).

const defaultMaxHeaders = 100

// maxURILen is the longest request-target accepted (u16::MAX - 1); longer
// gets 414.
const maxURILen = 65534

// maxHeaderNameLen: hyper refuses header names of 64 KiB or more as a
// too-large head.
const maxHeaderNameLen = 1<<16 - 1

// h2ConnectionPreface is the HTTP/2 connection preface. A server reading
// it where a request line should be reports VersionH2 instead of answering
// 400.
const h2ConnectionPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// parseContext is what parseRequest reuses from one head to the next.
type parseContext struct {
	rec *trace.Recorder // nil: no notes
	// split is how many bytes hyper's Server::parse had split off the
	// read buffer when the last parse failed (0: the error came first).
	split      int
	maxHeaders int      // 0 means defaultMaxHeaders
	arena      []byte   // the last head's bytes, once copied; RequestHead slices point here
	headers    []Header // backing array of RequestHead.Headers
	reqMethod  string   // the method of the last parsed request
	// lent is the last head's bytes while its slices still point into the
	// caller's buffer (parseRequestLent), lentMsg the message holding them;
	// detach copies them into the arena before that buffer is written.
	lent    []byte
	lentMsg *ParsedRequest
}

// parseRequest parses one request head from the start of buf (hyper's
// Server::parse over httparse's Request::parse).
//
// It returns ok=false with a nil err when buf holds only part of a head,
// ok=true with n bytes consumed (leading empty lines included) when it holds
// a whole one, or a parse error. A parsed head lives in ctx.arena and
// ctx.headers, so it stays valid when the caller's buffer moves, and until
// the next call.
func parseRequest(buf []byte, ctx *parseContext) (msg ParsedRequest, n int, ok bool, err *Error) {
	n, ok, err = parseRequestInto(buf, ctx, &msg)
	return msg, n, ok, err
}

// parseRequestInto is parseRequest writing the message into *msg (the
// Conn's, reused for every request: nothing is copied out and back).
// *msg is left zero unless ok.
func parseRequestInto(buf []byte, ctx *parseContext, msg *ParsedRequest) (n int, ok bool, err *Error) {
	n, ok, err = parseRequestAt(buf, ctx, msg)
	if ok {
		ctx.copyHead(buf[:n], msg)
	}
	return n, ok, err
}

// parseRequestLent is parseRequestInto leaving the head's slices in buf
// (hyper's Server::parse splits the head off its read buffer and freezes
// it: no copy). The caller must call ctx.detach before it writes into
// buf's array again, while the head is still in use; the Conn does so
// before every read from the transport (buffered.pollReadFromIO). Until
// then, and when no read comes before the next head, nothing is copied.
func parseRequestLent(buf []byte, ctx *parseContext, msg *ParsedRequest) (n int, ok bool, err *Error) {
	n, ok, err = parseRequestAt(buf, ctx, msg)
	if ok {
		ctx.lent, ctx.lentMsg = buf[:n:n], msg
	}
	return n, ok, err
}

// parseRequestAt parses the head, its slices left in buf.
func parseRequestAt(buf []byte, ctx *parseContext, msg *ParsedRequest) (n int, ok bool, err *Error) {
	ctx.lent, ctx.lentMsg = nil, nil // the last head is no longer in use
	if len(buf) == 0 {
		*msg = ParsedRequest{}
		return 0, false, nil
	}
	maxHeaders := ctx.maxHeaders
	if maxHeaders <= 0 {
		maxHeaders = defaultMaxHeaders
	}
	ctx.headers = ctx.headers[:0]
	ctx.split = 0
	var line requestLine
	n, kind := scanRequest(buf, maxHeaders, &ctx.headers, &line)
	if kind == ParseVersion && hasH2Preface(buf) {
		kind = ParseVersionH2
	}
	if kind != 0 {
		ctx.headers = ctx.headers[:0]
		*msg = ParsedRequest{}
		return 0, false, newParse(kind)
	}
	if n == 0 {
		ctx.headers = ctx.headers[:0]
		*msg = ParsedRequest{}
		return 0, false, nil
	}
	if ctx.rec != nil {
		ctx.rec.NoteNum(numRequestParseComplete, int64(n))
	}
	if kind = parseHeaders(&line, n, ctx, msg); kind != 0 {
		ctx.headers = ctx.headers[:0]
		*msg = ParsedRequest{}
		return 0, false, newParse(kind)
	}
	ctx.reqMethod = msg.Head.Method
	return n, true, nil
}

// requestLine is the request line as the grammar pass sees it: slices of
// the buffer being parsed.
type requestLine struct {
	method []byte
	uri    []byte
	http11 bool
}

// hasH2Preface reports whether buf, past any leading CR/LF bytes (which
// hyper drops before checking), starts with the whole HTTP/2 preface.
func hasH2Preface(buf []byte) bool {
	i := 0
	for i < len(buf) && (buf[i] == '\r' || buf[i] == '\n') {
		i++
	}
	return len(buf)-i >= len(h2ConnectionPreface) && string(buf[i:i+len(h2ConnectionPreface)]) == h2ConnectionPreface
}

// detach copies a lent head (parseRequestLent) into the arena and
// re-points the message's target and the headers there: the caller is
// about to write into the buffer the head was parsed from. The message
// and whoever holds a pointer to it (the in-flight request) see the copy;
// nothing else keeps the head's slices.
func (ctx *parseContext) detach() {
	buf, msg := ctx.lent, ctx.lentMsg
	if buf == nil {
		return
	}
	ctx.lent, ctx.lentMsg = nil, nil
	ctx.copyHead(buf, msg)
}

// copyHead copies the head (buf, all of it) into the arena and re-points
// msg's target and the headers there, so they outlive buf.
func (ctx *parseContext) copyHead(buf []byte, msg *ParsedRequest) {
	ctx.arena = append(ctx.arena[:0], buf...)
	msg.Head.URI = rebase(ctx.arena, buf, msg.Head.URI)
	for i := range ctx.headers {
		h := &ctx.headers[i]
		h.Name, h.Value = rebase(ctx.arena, buf, h.Name), rebase(ctx.arena, buf, h.Value)
	}
}

// rebase is s, a slice of buf, at the same offset in arena (a copy of
// buf), its capacity ending with it. The scanners cap every slice they
// take (buf[a:b:b]), so a service appending to one never writes over the
// bytes after it; the offset comes from the addresses.
func rebase(arena, buf, s []byte) []byte {
	if len(s) == 0 {
		return arena[:0:0]
	}
	off := int(uintptr(unsafe.Pointer(unsafe.SliceData(s))) - uintptr(unsafe.Pointer(unsafe.SliceData(buf))))
	return arena[off : off+len(s) : off+len(s)]
}

// parseHeaders is the semantic half of Server::parse: validate what the
// grammar allowed but hyper refuses, then derive the body framing,
// keep-alive, expect-continue and upgrade from the fields. It writes all
// of *msg (the caller zeroes it on an error).
func parseHeaders(line *requestLine, n int, ctx *parseContext, msg *ParsedRequest) ParseKind {
	if len(line.uri) > maxURILen {
		return ParseURITooLong
	}
	method := methodString(line.method)
	// Every name is inside the head's n bytes: a shorter head has none too
	// long, and its fields need not be walked for it.
	for k := 0; n > maxHeaderNameLen && k < len(ctx.headers); k++ {
		if h := ctx.headers[k]; len(h.Name) > maxHeaderNameLen {
			if ctx.rec != nil {
				ctx.rec.Note("header name larger than 64kb: "+strconv.Quote(string(h.Name)), "role.rs role::record_header_indices")
			}
			return ParseTooLarge
		}
	}
	// hyper splits the head off the read buffer here: later errors leave
	// only what follows it.
	ctx.split = n
	if !validURI(line.uri) {
		return ParseURI
	}
	version := HTTP10
	if line.http11 {
		version = HTTP11
	}
	// The whole message at once, what frameRequest starts from: keep-alive
	// by the version, no body, and (hyper) a CONNECT asks for an upgrade by
	// its method alone.
	*msg = ParsedRequest{
		Head:         RequestHead{Method: method, URI: line.uri, Version: version},
		KeepAlive:    line.http11,
		Decode:       LengthZero,
		WantsUpgrade: method == MethodConnect,
	}
	if kind := frameRequest(msg, ctx); kind != 0 {
		return kind
	}
	msg.Head.Headers = ctx.headers
	return 0
}

// requestFraming is the state Server::parse carries over the fields.
type requestFraming struct {
	conLen    uint64
	hasConLen bool // a Content-Length was accepted (hyper's con_len)
	isCL      bool // a Content-Length field was seen
	isTE      bool
	teChunked bool
	rec       *trace.Recorder
}

// frameRequest walks the fields in order, as hyper does, deciding Decode,
// KeepAlive, ExpectContinue and WantsUpgrade, and dropping the
// Content-Length fields hyper leaves out of the head.
//
// msg comes with the defaults (keep-alive by the version, no body). The
// kept fields are compacted in place: until a field is dropped, each one
// is already where it stays.
func frameRequest(msg *ParsedRequest, ctx *parseContext) ParseKind {
	http11 := msg.Head.Version == HTTP11
	f := requestFraming{rec: ctx.rec}
	hs := ctx.headers
	kept := hs[:0]
	for i := range hs {
		h := &hs[i]
		if !framingNameLen(len(h.Name)) {
			// not one of the names field looks at (most fields): kept as is
			if len(kept) == i {
				kept = kept[:i+1] // already in place
			} else {
				kept = append(kept, *h)
			}
			continue
		}
		keep, kind := f.field(msg, *h, http11, &kept)
		if kind != 0 {
			return kind
		}
		if keep {
			kept = append(kept, *h)
		}
	}
	ctx.headers = kept
	if f.isTE && !f.teChunked {
		if f.rec != nil {
			f.rec.Note("request with transfer-encoding header, but not chunked, bad request", refServerParse)
		}
		// RFC 9112 §6.3: "If a Transfer-Encoding header field is present in
		// a request and the chunked transfer coding is not the final
		// encoding, the message body length cannot be determined reliably;
		// the server MUST respond with the 400 (Bad Request) status code and
		// then close the connection."
		return ParseTransferEncodingInvalid
	}
	if f.isTE && f.isCL {
		// RFC 9112 §6.1: "A server MAY reject a request that contains both
		// Content-Length and Transfer-Encoding or process such a request in
		// accordance with the Transfer-Encoding alone. Regardless, the
		// server MUST close the connection after responding to such a
		// request to avoid the potential attacks."
		msg.KeepAlive = false
	}
	return 0
}

// framingNameLen reports whether a name of n bytes could be one that field
// looks at: transfer-encoding (17), content-length (14), connection (10),
// expect (6) or upgrade (7).
func framingNameLen(n int) bool {
	return n == 17 || n == 14 || n == 10 || n == 6 || n == 7
}

// field applies one header field. keep=false leaves it out of the head, as
// hyper's HeaderMap never receives it.
func (f *requestFraming) field(msg *ParsedRequest, h Header, http11 bool, kept *[]Header) (keep bool, kind ParseKind) {
	switch {
	case nameIs(h.Name, "transfer-encoding"):
		return true, f.transferEncoding(msg, h, http11, kept)
	case nameIs(h.Name, "content-length"):
		return f.contentLength(msg, h)
	case nameIs(h.Name, "connection"):
		// The default came from the version; each Connection field then
		// moves it: a close turns keep-alive off, a keep-alive turns it
		// back on. hyper chooses by the current value, not the version.
		if msg.KeepAlive {
			msg.KeepAlive = !connectionClose(h.Value)
		} else {
			msg.KeepAlive = connectionKeepAlive(h.Value)
		}
	case nameIs(h.Name, "expect"):
		// The last Expect field decides.
		msg.ExpectContinue = expectContinue(h.Value)
	case nameIs(h.Name, "upgrade"):
		// Upgrades are an HTTP/1.1 feature; on 1.0 the field cancels even
		// a CONNECT's upgrade, as in hyper.
		msg.WantsUpgrade = http11
	}
	return true, 0
}

func (f *requestFraming) transferEncoding(msg *ParsedRequest, h Header, http11 bool, kept *[]Header) ParseKind {
	if !http11 {
		if f.rec != nil {
			f.rec.Note("HTTP/1.0 cannot have Transfer-Encoding header", refServerParse)
		}
		// RFC 9112 §6.1: "A server or client that receives an HTTP/1.0
		// message containing a Transfer-Encoding header field MUST treat
		// the message as if the framing is faulty, even if a
		// Content-Length is present, and close the connection after
		// processing the message."
		return ParseTransferEncodingUnexpected
	}
	f.isTE = true
	if f.isCL && f.hasConLen {
		// RFC 9112 §6.3: "If a message is received with both a
		// Transfer-Encoding and a Content-Length header field, the
		// Transfer-Encoding overrides the Content-Length." hyper also
		// removes the Content-Length it had kept from the head.
		f.hasConLen = false
		*kept = dropNamed(*kept, "content-length")
	}
	// RFC 9112 §6.3: "If a Transfer-Encoding header field is present and the
	// chunked transfer coding (Section 7.1) is the final encoding, the
	// message body length is determined by reading and decoding the chunked
	// data until the transfer coding indicates the data is complete."
	f.teChunked = isChunkedValue(h.Value)
	if f.teChunked {
		msg.Decode = LengthChunked
	}
	return 0
}

func (f *requestFraming) contentLength(msg *ParsedRequest, h Header) (keep bool, kind ParseKind) {
	f.isCL = true
	if f.isTE {
		// Transfer-Encoding already won (RFC 9112 §6.3, above).
		return false, 0
	}
	// RFC 9112 §6.3: "If a message is received without Transfer-Encoding
	// and with an invalid Content-Length header field, then the message
	// framing is invalid and the recipient MUST treat it as an unrecoverable
	// error [...] If the unrecoverable error is in a request message, the
	// server MUST respond with a 400 (Bad Request) status code and then
	// close the connection." hyper parses each field whole: the RFC's
	// "5, 5" list exception is not taken, so such a field is invalid.
	n, ok := contentLengthParse(h.Value)
	if !ok {
		return false, ParseContentLengthInvalid
	}
	if f.hasConLen {
		if n != f.conLen {
			if f.rec != nil {
				f.rec.Note("multiple Content-Length headers with different values: ["+strconv.FormatUint(f.conLen, 10)+", "+strconv.FormatUint(n, 10)+"]", refServerParse)
			}
			// RFC 9110 §8.6: "a recipient MUST reject a message that
			// contains multiple Content-Length field values with differing
			// numeric values"
			return false, ParseContentLengthInvalid
		}
		// An identical repeat is accepted but not kept.
		return false, 0
	}
	if DecodedLength(n) > LengthMax {
		// DecodedLength::checked_new: the top two values are reserved.
		return false, ParseTooLarge
	}
	msg.Decode = DecodedLength(n)
	f.conLen, f.hasConLen = n, true
	return true, 0
}

// dropNamed removes every field of the (lowercase) name, in place.
func dropNamed(headers []Header, lower string) []Header {
	out := headers[:0]
	for _, h := range headers {
		if !nameIs(h.Name, lower) {
			out = append(out, h)
		}
	}
	return out
}

// methodString returns the method's name: a constant for the standard
// methods (http's Method::from_bytes, case-sensitive), a new string for an
// extension (the grammar pass already checked it is a token).
func methodString(m []byte) string {
	switch string(m) {
	case MethodGet:
		return MethodGet
	case MethodPost:
		return MethodPost
	case MethodPut:
		return MethodPut
	case MethodDelete:
		return MethodDelete
	case MethodHead:
		return MethodHead
	case MethodOptions:
		return MethodOptions
	case MethodConnect:
		return MethodConnect
	case MethodPatch:
		return MethodPatch
	case MethodTrace:
		return MethodTrace
	}
	return string(m)
}

// ---- the request grammar (httparse's Request::parse) ----

// byteClass marks what each byte may be in a request head.
const (
	classToken byte = 1 << iota // tchar: method and header name
	classURI                    // what httparse lets into a request-target
	classValue                  // field-value: HTAB, SP, VCHAR, obs-text
)

var byteClasses = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		if isTchar(b) {
			t[c] |= classToken
		}
		// httparse: any byte from '!' up, but DEL.
		if b >= '!' && b != 0x7f {
			t[c] |= classURI
		}
		if b == '\t' || (b >= ' ' && b != 0x7f) {
			t[c] |= classValue
		}
	}
	return t
}()

// isTchar is RFC 9110's tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" /
// "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.
func isTchar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	switch b {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// incomplete is the position the scanners return when buf ends first.
const incomplete = -1

// scanRequest runs the grammar over buf. It returns the request line and
// the head's length, n=0 when buf ends before the head does, or the kind of
// the first syntax error (hyper's mapping of httparse's errors: a bad token
// before the method is known is a method error, after it a URI error; a bad
// line ending or field is a header error).
func scanRequest(buf []byte, maxHeaders int, headers *[]Header, line *requestLine) (n int, kind ParseKind) {
	i, kind := skipEmptyLines(buf)
	if i == incomplete || kind != 0 {
		return 0, kind
	}
	// Direct calls, not a table of steps.
	if i, kind = scanMethod(buf, i, line); i == incomplete || kind != 0 {
		return 0, kind
	}
	if i, kind = scanURI(buf, i, line); i == incomplete || kind != 0 {
		return 0, kind
	}
	if i, kind = scanVersion(buf, i, line); i == incomplete || kind != 0 {
		return 0, kind
	}
	if i, kind = scanNewline(buf, i); i == incomplete || kind != 0 {
		return 0, kind
	}
	i, kind = scanFields(buf, i, maxHeaders, headers)
	if i == incomplete || kind != 0 {
		return 0, kind
	}
	return i, 0
}

// skipEmptyLines skips CRLF and bare LF lines before the request line
// (RFC 9112 §2.2: "a server that is expecting to receive and parse a
// request-line SHOULD ignore at least one empty line (CRLF) received prior
// to the request-line"). A CR must be followed by LF.
func skipEmptyLines(buf []byte) (int, ParseKind) {
	i := 0
	for {
		if i >= len(buf) {
			return incomplete, 0
		}
		switch buf[i] {
		case '\r':
			if i+1 >= len(buf) {
				return incomplete, 0
			}
			if buf[i+1] != '\n' {
				return i, ParseHeaderToken
			}
			i += 2
		case '\n':
			i++
		default:
			return i, 0
		}
	}
}

// scanMethod reads a token ended by a single SP.
func scanMethod(buf []byte, i int, line *requestLine) (int, ParseKind) {
	start := i
	for ; i < len(buf); i++ {
		b := buf[i]
		if b == ' ' && i > start {
			line.method = buf[start:i:i]
			return i + 1, 0
		}
		if byteClasses[b]&classToken == 0 {
			return i, ParseMethod
		}
	}
	return incomplete, 0
}

// scanURI reads a non-empty run of request-target bytes ended by a single
// SP; the target must be UTF-8, as httparse hands it out as a str.
func scanURI(buf []byte, i int, line *requestLine) (int, ParseKind) {
	start := i
	var high byte // the OR of the bytes: UTF-8 is only in question with a byte >= 0x80
	for i < len(buf) && byteClasses[buf[i]]&classURI != 0 {
		high |= buf[i]
		i++
	}
	if i >= len(buf) {
		return incomplete, 0
	}
	if buf[i] != ' ' || i == start || (high >= 0x80 && !utf8.Valid(buf[start:i])) {
		return i, ParseURI
	}
	line.uri = buf[start:i:i]
	return i + 1, 0
}

// scanVersion accepts exactly HTTP/1.0 or HTTP/1.1. With fewer than eight
// bytes it fails early on anything that cannot become "HTTP/1.".
func scanVersion(buf []byte, i int, line *requestLine) (int, ParseKind) {
	rest := buf[i:]
	if len(rest) >= 8 {
		switch string(rest[:8]) {
		case "HTTP/1.1":
			line.http11 = true
			return i + 8, 0
		case "HTTP/1.0":
			return i + 8, 0
		}
		return i, ParseVersion
	}
	const prefix = "HTTP/1."
	for k, b := range rest {
		if k >= len(prefix) || b != prefix[k] {
			return i, ParseVersion
		}
	}
	return incomplete, 0
}

// scanNewline ends a line: CRLF or a bare LF.
func scanNewline(buf []byte, i int) (int, ParseKind) {
	if i >= len(buf) {
		return incomplete, 0
	}
	switch buf[i] {
	case '\n':
		return i + 1, 0
	case '\r':
		if i+1 >= len(buf) {
			return incomplete, 0
		}
		if buf[i+1] == '\n' {
			return i + 2, 0
		}
	}
	return i, ParseHeaderToken
}

// scanFields reads "name: value" lines up to the empty line that ends the
// head, appending them to headers. Values lose surrounding SP/HTAB. One
// field more than maxHeaders is a too-large head (once that field's line is
// whole, as httparse reports it).
func scanFields(buf []byte, i int, maxHeaders int, headers *[]Header) (int, ParseKind) {
	hs := *headers // appended to in a register, stored back once
	for {
		if i >= len(buf) {
			*headers = hs
			return incomplete, 0
		}
		if buf[i] == '\n' || buf[i] == '\r' {
			// the empty line that ends the head
			*headers = hs
			return scanNewline(buf, i)
		}
		nameEnd, valueStart, valueEnd, next, kind := scanField(buf, i)
		if next == incomplete || kind != 0 {
			*headers = hs
			return next, kind
		}
		if len(hs) >= maxHeaders {
			*headers = hs
			return next, ParseTooLarge
		}
		hs = append(hs, Header{Name: buf[i:nameEnd:nameEnd], Value: buf[valueStart:valueEnd:valueEnd]})
		i = next
	}
}

// scanField reads one field line starting at a non-empty line: the name
// is buf[i:nameEnd], the value buf[valueStart:valueEnd] (positions, not
// slices: they come back in registers).
func scanField(buf []byte, i int) (nameEnd, valueStart, valueEnd, next int, kind ParseKind) {
	start := i
	for i < len(buf) && byteClasses[buf[i]]&classToken != 0 {
		i++
	}
	if i >= len(buf) {
		return 0, 0, 0, incomplete, 0
	}
	if buf[i] != ':' || i == start {
		return 0, 0, 0, i, ParseHeaderToken
	}
	nameEnd = i
	i++
	for i < len(buf) && (buf[i] == ' ' || buf[i] == '\t') {
		i++
	}
	valueStart = i
	for i < len(buf) && byteClasses[buf[i]]&classValue != 0 {
		i++
	}
	end, next := lineEnd(buf, i)
	if next == incomplete {
		return 0, 0, 0, incomplete, 0
	}
	if end < 0 {
		return 0, 0, 0, i, ParseHeaderToken
	}
	// trailing SP and HTAB are not part of the value (the leading ones
	// were skipped above)
	for end > valueStart && (buf[end-1] == ' ' || buf[end-1] == '\t') {
		end--
	}
	return nameEnd, valueStart, end, next, 0
}

// lineEnd checks for CRLF or LF at i: it returns where the line's content
// ends and where the next line starts, next=incomplete when buf ends first,
// or end=-1 for any other byte.
func lineEnd(buf []byte, i int) (end, next int) {
	if i >= len(buf) {
		return 0, incomplete
	}
	switch buf[i] {
	case '\n':
		return i, i + 1
	case '\r':
		if i+1 >= len(buf) {
			return 0, incomplete
		}
		if buf[i+1] == '\n' {
			return i, i + 2
		}
	}
	return -1, i
}

// ---- the request-target (http's Uri::from_shared) ----

// hyper turns the target into an http::Uri, which is stricter than the
// grammar pass; whatever it refuses is a URI error (400). validURI follows
// its rules: "/" and "*" alone, origin-form (path and query), absolute-form
// (scheme://authority[path]) and authority-form (host:port).
func validURI(u []byte) bool {
	switch {
	case len(u) == 0:
		return false
	case len(u) == 1 && (u[0] == '/' || u[0] == '*'):
		return true
	case len(u) == 1:
		end, ok := authorityEnd(u)
		return ok && end == len(u)
	case u[0] == '/':
		return validPathAndQuery(u)
	}
	return validAbsoluteOrAuthority(u)
}

// validAbsoluteOrAuthority is http's parse_full.
func validAbsoluteOrAuthority(u []byte) bool {
	strip, hasScheme, ok := schemePrefix(u)
	if !ok {
		return false
	}
	u = u[strip:]
	end, ok := authorityEnd(u)
	if !ok {
		return false
	}
	if !hasScheme {
		// Authority-form: nothing may follow the authority.
		return end == len(u)
	}
	if end == 0 {
		return false // an absolute URI needs an authority
	}
	return end == len(u) || validPathAndQuery(u[end:])
}

// schemePrefix finds a leading "scheme://": strip is its length, or 0 with
// hasScheme=false when there is none. ok=false for a scheme over 64 bytes.
func schemePrefix(u []byte) (strip int, hasScheme, ok bool) {
	if len(u) >= 7 && asciiEqualFold(u[:7], "http://") {
		return 7, true, true
	}
	if len(u) >= 8 && asciiEqualFold(u[:8], "https://") {
		return 8, true, true
	}
	if len(u) <= 3 {
		return 0, false, true
	}
	for i, b := range u {
		if b == ':' {
			if len(u) < i+3 || string(u[i+1:i+3]) != "//" {
				break
			}
			if i > 64 {
				return 0, false, false
			}
			return i + 3, true, true
		}
		if !isSchemeChar(b) {
			break
		}
	}
	return 0, false, true
}

// isSchemeChar: ALPHA / DIGIT / "+" / "-" / "." (RFC 3986 §3.1).
func isSchemeChar(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '+' || b == '-' || b == '.'
}

// authorityEnd validates the authority at the start of s and returns where
// it ends (at the first '/', '?' or '#'). A '%' is only allowed in the
// userinfo or inside an IPv6 literal; at most one port colon outside
// brackets; brackets must pair; something must follow an '@'.
func authorityEnd(s []byte) (int, bool) {
	if len(s) == 0 {
		return 0, false
	}
	colons, openBracket, closeBracket, percent := 0, false, false, false
	end, at := len(s), len(s)
	for i, b := range s {
		if b == '/' || b == '?' || b == '#' {
			end = i
			break
		}
		switch {
		case !isURIChar(b):
			if b != '%' {
				return 0, false
			}
			percent = true
		case b == ':':
			if colons >= 8 {
				return 0, false
			}
			colons++
		case b == '[':
			if percent || openBracket {
				return 0, false
			}
			openBracket = true
		case b == ']':
			if !openBracket || closeBracket {
				return 0, false
			}
			closeBracket = true
			colons, percent = 0, false // they were the IPv6 address's
		case b == '@':
			at = i
			colons, percent = 0, false // they were the userinfo's
		}
	}
	if openBracket != closeBracket || colons > 1 || (end > 0 && at == end-1) || percent {
		return 0, false
	}
	return end, true
}

// isURIChar is http's URI_CHARS: RFC 3986 unreserved, sub-delims, gen-delims
// and nothing else (no '%', which callers treat apart).
func isURIChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	switch b {
	case '!', '#', '$', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', ':', ';', '=', '?', '@', '[', ']', '_', '~':
		return true
	}
	return false
}

// validPathAndQuery is http's PathAndQuery check: the path must start with
// '/', '?' or '#' and hold only bytes that need no percent-encoding (plus
// '"', '{' and '}', which real clients send raw); the query allows a wider
// set; nothing after '#' is looked at. Non-ASCII bytes were already checked
// to be UTF-8.
func validPathAndQuery(s []byte) bool {
	if len(s) == 1 && s[0] == '*' {
		return true
	}
	if len(s) == 0 || (s[0] != '/' && s[0] != '?' && s[0] != '#') {
		return false
	}
	i := 0
	for ; i < len(s); i++ {
		b := s[i]
		if b == '#' {
			return true
		}
		if b == '?' {
			i++
			break
		}
		if !isPathByte(b) {
			return false
		}
	}
	for ; i < len(s); i++ {
		b := s[i]
		if b == '#' {
			return true
		}
		if !isQueryByte(b) {
			return false
		}
	}
	return true
}

func isPathByte(b byte) bool {
	switch {
	case b == 0x21, 0x24 <= b && b <= 0x3b, b == 0x3d, 0x40 <= b && b <= 0x5f,
		0x61 <= b && b <= 0x7a, b == 0x7c, b == 0x7e, b >= 0x80:
		return true
	}
	return b == '"' || b == '{' || b == '}'
}

func isQueryByte(b byte) bool {
	return b == 0x21 || (0x24 <= b && b <= 0x3b) || b == 0x3d || (0x3f <= b && b <= 0x7e) || b >= 0x80
}

// ---- the response head (Server::encode) ----

// encodeContext is what encoding a response head needs (hyper's Encode).
type encodeContext struct {
	head       *ResponseHead
	body       *BodyLength // nil: no body at all
	keepAlive  bool        // the connection wants to stay open
	reqMethod  string      // method of the request answered; "" if none
	titleCase  bool
	dateHeader bool
	date       []byte // IMF-fixdate for the date field
	dateLine   []byte // "date: " + date + CRLF CRLF: the head's last line and its end
	rec        *trace.Recorder
	cache      *headCache // nil: encode every head afresh (headcache.go)
}

// encodeResponse appends the status line and fields of ctx.head to *dst as
// hyper's Server::encode writes them, and returns the body's Encoder.
//
// On a field error (a Content-Length or Transfer-Encoding the framing
// cannot honour) *dst is rewound and a user error returned. A 1xx status
// other than 101 is not supported: like hyper, a bare 500 head is written
// in its place and the error returned alongside it.
func encodeResponse(ctx *encodeContext, dst *[]byte) (Encoder, *Error) {
	if ctx.cache == nil {
		return encodeResponseFull(ctx, dst, headKey{}, false)
	}
	key, cacheable := cacheKey(ctx)
	if cacheable && ctx.cache.lookup(key) {
		*dst = append(*dst, ctx.cache.head...) // the same head as last time
		return ctx.cache.enc, nil
	}
	return encodeResponseFull(ctx, dst, key, cacheable)
}

// encodeResponseFull is Server::encode itself; a cacheable head is kept
// in ctx.cache for next time.
func encodeResponseFull(ctx *encodeContext, dst *[]byte, key headKey, cacheable bool) (Encoder, *Error) {
	e := responseEncoding{ctx: ctx, head: ctx.head, body: ctx.body}
	var unsupported *Error
	switch status := ctx.head.Status; {
	case status == 101:
		e.isLast = true
	case ctx.reqMethod == MethodConnect && isSuccess(status):
		// RFC 9110 §9.3.6: "A server MUST NOT send any Transfer-Encoding or
		// Content-Length header fields in a 2xx (Successful) response to
		// CONNECT." Marking the length as written makes any such user
		// field an error.
		e.wroteLen = true
		e.isLast = true
	case isInformational(status):
		// A service answers with one response; an interim 1xx would leave
		// it no way to send the final one.
		if ctx.rec != nil {
			ctx.rec.Note("response with 1xx status code not supported", refServerEncode)
		}
		e.head = &ResponseHead{Version: HTTP11, Status: 500}
		e.body = nil
		e.isLast = true
		unsupported = &Error{Kind: KindUser, Detail: "response has 1xx status code, not supported by server"}
	default:
		e.isLast = !ctx.keepAlive
	}
	origLen := len(*dst)
	out := appendStatusLine(*dst, e.head)
	out, err := e.encodeHeaders(out)
	if err != nil {
		*dst = (*dst)[:origLen]
		return Encoder{}, err
	}
	out = e.encodeEnd(out)
	*dst = out
	if unsupported != nil {
		return Encoder{}, unsupported
	}
	if cacheable {
		ctx.cache.store(key, out[origLen:], e.encoder)
	}
	return e.encoder, nil
}

// appendStatusLine writes "HTTP/1.x NNN Reason\r\n". A reason is always
// written, "<none>" when the code has no canonical one, because many
// parsers expect it.
func appendStatusLine(dst []byte, head *ResponseHead) []byte {
	if head.Version != HTTP10 && head.Status == 200 && head.Reason == "" {
		return append(dst, "HTTP/1.1 200 OK\r\n"...)
	}
	if head.Version == HTTP10 {
		dst = append(dst, "HTTP/1.0 "...)
	} else {
		dst = append(dst, "HTTP/1.1 "...)
	}
	dst = appendStatusCode(dst, head.Status)
	dst = append(dst, ' ')
	switch reason := reasonPhrase(head.Status); {
	case head.Reason != "":
		dst = append(dst, head.Reason...)
	case reason != "":
		dst = append(dst, reason...)
	default:
		dst = append(dst, "<none>"...)
	}
	return append(dst, "\r\n"...)
}

// appendStatusCode writes the code as three digits (StatusCode::as_str).
func appendStatusCode(dst []byte, status int) []byte {
	if status >= 100 && status <= 999 {
		return append(dst, byte('0'+status/100), byte('0'+status/10%10), byte('0'+status%10))
	}
	return strconv.AppendInt(dst, int64(status), 10)
}

// responseEncoding is the state of one Server::encode.
type responseEncoding struct {
	ctx  *encodeContext
	head *ResponseHead
	body *BodyLength

	encoder          Encoder
	isLast           bool
	wroteLen         bool
	wroteDate        bool
	isNameWritten    bool // a joined line (name: v1, v2) is open
	mustWriteChunked bool
	declaresTrailers bool // a Trailer field was written
	hasPrevConLen    bool
	prevConLen       uint64
}

const errUnexpectedHeader = "user sent unexpected header"

func newUserHeaderError() *Error { return &Error{Kind: KindUser, Detail: errUnexpectedHeader} }

// encodeHeaders writes the fields, in HeaderMap order, then the framing
// fields hyper adds; encodeEnd then writes the date and the blank line.
func (e *responseEncoding) encodeHeaders(dst []byte) ([]byte, *Error) {
	e.encoder = newLengthEncoder(0)
	headers := e.head.Headers
	for i := range headers {
		if seenBefore(headers, i) {
			continue
		}
		// A new name closes the line the previous one left open.
		dst = e.closeJoinedLine(dst)
		for j := i; j < len(headers); j++ {
			if j != i && !sameName(headers[j].Name, headers[i].Name) {
				continue
			}
			var err *Error
			if dst, err = e.encodeField(dst, headers[j]); err != nil {
				return dst, err
			}
		}
	}
	dst = e.closeJoinedLine(dst)
	if !e.wroteLen {
		dst = e.encodeImplicitLength(dst)
	}
	if !canHaveBody(e.ctx.reqMethod, e.head.Status) {
		e.encoder = newLengthEncoder(0)
	}
	return dst, nil
}

// encodeEnd writes the date line and the blank line that end the head,
// and finishes the body's encoder.
func (e *responseEncoding) encodeEnd(dst []byte) []byte {
	dst = appendHeadEnd(dst, e.ctx, e.wroteDate)
	if e.declaresTrailers && e.encoder.isChunked() {
		// Only the fields the Trailer header declared may be sent as
		// trailers (hyper's into_chunked_with_trailing_fields).
		for _, h := range e.head.Headers {
			if nameIs(h.Name, "trailer") {
				e.encoder.addTrailerFields(h.Value)
			}
		}
	}
	e.encoder.setLast(e.isLast)
	return dst
}

// appendHeadEnd writes the cached date line, unless the user wrote a date
// or the date is off, and the blank line.
func appendHeadEnd(dst []byte, ctx *encodeContext, wroteDate bool) []byte {
	switch {
	case !wroteDate && ctx.dateHeader && !ctx.titleCase && len(ctx.dateLine) > 0:
		return append(dst, ctx.dateLine...)
	case !wroteDate && ctx.dateHeader:
		if ctx.titleCase {
			dst = appendTitleString(dst, "date")
			dst = append(dst, ": "...)
		} else {
			dst = append(dst, "date: "...)
		}
		dst = append(dst, ctx.date...)
		return append(dst, "\r\n\r\n"...)
	}
	return append(dst, "\r\n"...)
}

// closeJoinedLine ends a line that collected several values. hyper never
// resets must_write_chunked, so after a Transfer-Encoding that did not end
// in chunked, every later joined line (Connection, Trailer) also gets
// ", chunked"; kept for byte-identical output.
func (e *responseEncoding) closeJoinedLine(dst []byte) []byte {
	if !e.isNameWritten {
		return dst
	}
	e.isNameWritten = false
	if e.mustWriteChunked {
		return append(dst, ", chunked\r\n"...)
	}
	return append(dst, "\r\n"...)
}

// encodeField writes one field value, or folds it into the framing.
func (e *responseEncoding) encodeField(dst []byte, h Header) ([]byte, *Error) {
	switch {
	case nameIs(h.Name, "content-length"):
		var written bool
		var err *Error
		if dst, written, err = e.contentLength(dst, h); err != nil || written {
			return dst, err
		}
	case nameIs(h.Name, "transfer-encoding"):
		return e.transferEncoding(dst, h)
	case nameIs(h.Name, "connection"):
		if !e.isLast && connectionClose(h.Value) {
			e.isLast = true
		}
		return e.joinValue(dst, "connection: ", h.Value), nil
	case nameIs(h.Name, "date"):
		e.wroteDate = true
	case nameIs(h.Name, "trailer"):
		if e.head.Version == HTTP10 || !canChunked(e.ctx.reqMethod, e.head.Status) {
			return dst, nil
		}
		e.declaresTrailers = true
		return e.joinValue(dst, "trailer: ", h.Value), nil
	}
	dst = e.writeName(dst, h.Name)
	dst = append(dst, ": "...)
	dst = append(dst, h.Value...)
	return append(dst, "\r\n"...), nil
}

// joinValue writes the first value of a joined line with its name (given
// with its ": ", as writeOwnName takes it), later ones after ", ".
func (e *responseEncoding) joinValue(dst []byte, nameColon string, value []byte) []byte {
	if e.isNameWritten {
		dst = append(dst, ", "...)
	} else {
		e.isNameWritten = true
		dst = e.writeOwnName(dst, nameColon)
	}
	return append(dst, value...)
}

// contentLength handles a user Content-Length value. done=true means the
// value was consumed (written or dropped); false lets it be written as a
// plain field, which hyper does only for a body-less answer to HEAD.
func (e *responseEncoding) contentLength(dst []byte, h Header) (out []byte, done bool, err *Error) {
	rec := e.ctx.rec
	if e.wroteLen && !e.isNameWritten {
		if rec != nil {
			rec.Note("unexpected content-length found, canceling", refServerEncode)
		}
		return dst, true, newUserHeaderError()
	}
	switch {
	case e.body != nil && e.body.Known:
		// The body knows its length and the field is set: trust the field
		// and the body agree, as hyper does (it only asserts in debug).
		if !e.isNameWritten {
			e.encoder = newLengthEncoder(e.body.N)
			dst = e.joinValue(dst, "content-length: ", h.Value)
			e.wroteLen = true
		}
		return dst, true, nil
	case e.body != nil:
		// Unknown body length: the field decides the framing.
		n, ok := contentLengthParse(h.Value)
		if !ok {
			if rec != nil {
				rec.Note("illegal Content-Length value: "+strconv.Quote(string(h.Value)), refServerEncode)
			}
			return dst, true, newUserHeaderError()
		}
		if e.hasPrevConLen {
			if n != e.prevConLen {
				if rec != nil {
					rec.Note("multiple Content-Length values found: ["+strconv.FormatUint(e.prevConLen, 10)+", "+strconv.FormatUint(n, 10)+"]", refServerEncode)
				}
				return dst, true, newUserHeaderError()
			}
			return dst, true, nil
		}
		e.encoder = newLengthEncoder(n)
		dst = e.joinValue(dst, "content-length: ", h.Value)
		e.wroteLen = true
		e.hasPrevConLen, e.prevConLen = true, n
		return dst, true, nil
	case e.ctx.reqMethod != MethodHead:
		// No body to send: a length field only makes sense for HEAD, so
		// it is dropped.
		if rec != nil && string(h.Value) != "0" {
			rec.Note("content-length value found, but empty body provided: "+strconv.Quote(string(h.Value)), refServerEncode)
		}
		return dst, true, nil
	}
	e.wroteLen = true
	return dst, false, nil
}

// transferEncoding handles a user Transfer-Encoding value: kept (with
// chunked appended if it is not last) where a chunked body is possible,
// dropped elsewhere.
func (e *responseEncoding) transferEncoding(dst []byte, h Header) ([]byte, *Error) {
	if e.wroteLen && !e.isNameWritten {
		return dst, newUserHeaderError()
	}
	// RFC 9112 §6.1: "A server MUST NOT send a response containing
	// Transfer-Encoding unless the corresponding request indicates HTTP/1.1
	// (or later minor revisions)."
	if e.head.Version == HTTP10 || !canChunked(e.ctx.reqMethod, e.head.Status) {
		return dst, nil
	}
	e.wroteLen = true
	e.mustWriteChunked = !isChunkedValue(h.Value)
	if !e.isNameWritten {
		e.encoder = newChunkedEncoder()
	}
	return e.joinValue(dst, "transfer-encoding: ", h.Value), nil
}

// encodeImplicitLength frames the body when the user set no length field.
func (e *responseEncoding) encodeImplicitLength(dst []byte) []byte {
	method, status := e.ctx.reqMethod, e.head.Status
	switch {
	case e.body != nil && !e.body.Known:
		if e.head.Version == HTTP10 || !canChunked(method, status) {
			// An HTTP/1.0 peer cannot read chunked: the body runs to the
			// close of the connection.
			e.encoder = newCloseDelimitedEncoder()
			return dst
		}
		dst = e.writeOwnName(dst, "transfer-encoding: ")
		e.encoder = newChunkedEncoder()
		return append(dst, "chunked\r\n"...)
	case e.body == nil || e.body.N == 0:
		if canHaveImplicitZeroContentLength(method, status) {
			dst = e.writeOwnName(dst, "content-length: ")
			dst = append(dst, "0\r\n"...)
		}
		e.encoder = newLengthEncoder(0)
		return dst
	}
	if !canHaveContentLength(method, status) {
		e.encoder = newLengthEncoder(0)
		return dst
	}
	dst = e.writeOwnName(dst, "content-length: ")
	dst = strconv.AppendUint(dst, e.body.N, 10)
	e.encoder = newLengthEncoder(e.body.N)
	return append(dst, "\r\n"...)
}

// writeName writes a user field name: lowercase, or title case when asked.
func (e *responseEncoding) writeName(dst, name []byte) []byte {
	if e.ctx.titleCase {
		return appendTitleName(dst, name)
	}
	return appendLowerName(dst, name)
}

// writeOwnName writes one of the engine's own (lowercase) names with its
// ": ", given as one constant ("content-length: "): one append, or the
// name in title case and then ": ".
func (e *responseEncoding) writeOwnName(dst []byte, nameColon string) []byte {
	if e.ctx.titleCase {
		return append(appendTitleString(dst, nameColon[:len(nameColon)-2]), ": "...)
	}
	return append(dst, nameColon...)
}

func isInformational(status int) bool { return status >= 100 && status < 200 }
func isSuccess(status int) bool       { return status >= 200 && status < 300 }

// canHaveBody: RFC 9112 §6.3: "Any response to a HEAD request and any
// response with a 1xx (Informational), 204 (No Content), or 304 (Not
// Modified) status code is always terminated by the first empty line after
// the header fields", and a 2xx to CONNECT becomes a tunnel.
func canHaveBody(method string, status int) bool {
	return canChunked(method, status)
}

func canChunked(method string, status int) bool {
	if method == MethodHead || (method == MethodConnect && isSuccess(status)) || isInformational(status) {
		return false
	}
	return status != 204 && status != 304
}

// canHaveContentLength: unlike a body, a Content-Length may describe the
// answer to HEAD.
func canHaveContentLength(method string, status int) bool {
	if isInformational(status) || (method == MethodConnect && isSuccess(status)) {
		return false
	}
	return status != 204 && status != 304
}

// canHaveImplicitZeroContentLength: a HEAD answer does not get an invented
// "content-length: 0", which would misstate the GET's length.
func canHaveImplicitZeroContentLength(method string, status int) bool {
	return canHaveContentLength(method, status) && method != MethodHead
}

// ---- parse errors (Server::on_error) ----

// onError returns the head of the automatic response to a parse error, or
// ok=false when the connection should just close (HTTP/2 preface, and
// errors that are not about a malformed request).
func onError(err *Error) (head ResponseHead, ok bool) {
	if err == nil || err.Kind != KindParse {
		return ResponseHead{}, false
	}
	var status int
	switch err.Parse {
	case ParseMethod, ParseHeaderToken, ParseContentLengthInvalid, ParseTransferEncodingInvalid,
		ParseTransferEncodingUnexpected, ParseURI, ParseVersion:
		status = 400
	case ParseTooLarge:
		status = 431
	case ParseURITooLong:
		status = 414
	default:
		return ResponseHead{}, false
	}
	return ResponseHead{Version: HTTP11, Status: status}, true
}

// reasonPhrase returns the canonical reason phrase of a status code, as the
// http crate spells it, or "".
func reasonPhrase(status int) string {
	if status >= 100 && status < 100+len(reasonPhrases) {
		return reasonPhrases[status-100]
	}
	return ""
}

// reasonPhrases is indexed by status-100, written out as constants: the
// linker lays it out as data (built from a map literal it was about 6 KB
// of the browser's wasm code at init).
var reasonPhrases = [412]string{
	100 - 100: "Continue", 101 - 100: "Switching Protocols", 102 - 100: "Processing",
	103 - 100: "Early Hints", 200 - 100: "OK", 201 - 100: "Created", 202 - 100: "Accepted",
	203 - 100: "Non Authoritative Information", 204 - 100: "No Content",
	205 - 100: "Reset Content", 206 - 100: "Partial Content", 207 - 100: "Multi-Status",
	208 - 100: "Already Reported", 226 - 100: "IM Used", 300 - 100: "Multiple Choices",
	301 - 100: "Moved Permanently", 302 - 100: "Found", 303 - 100: "See Other",
	304 - 100: "Not Modified", 305 - 100: "Use Proxy", 307 - 100: "Temporary Redirect",
	308 - 100: "Permanent Redirect", 400 - 100: "Bad Request", 401 - 100: "Unauthorized",
	402 - 100: "Payment Required", 403 - 100: "Forbidden", 404 - 100: "Not Found",
	405 - 100: "Method Not Allowed", 406 - 100: "Not Acceptable",
	407 - 100: "Proxy Authentication Required", 408 - 100: "Request Timeout",
	409 - 100: "Conflict", 410 - 100: "Gone", 411 - 100: "Length Required",
	412 - 100: "Precondition Failed", 413 - 100: "Payload Too Large", 414 - 100: "URI Too Long",
	415 - 100: "Unsupported Media Type", 416 - 100: "Range Not Satisfiable",
	417 - 100: "Expectation Failed", 418 - 100: "I'm a teapot", 421 - 100: "Misdirected Request",
	422 - 100: "Unprocessable Entity", 423 - 100: "Locked", 424 - 100: "Failed Dependency",
	425 - 100: "Too Early", 426 - 100: "Upgrade Required", 428 - 100: "Precondition Required",
	429 - 100: "Too Many Requests", 431 - 100: "Request Header Fields Too Large",
	451 - 100: "Unavailable For Legal Reasons", 500 - 100: "Internal Server Error",
	501 - 100: "Not Implemented", 502 - 100: "Bad Gateway", 503 - 100: "Service Unavailable",
	504 - 100: "Gateway Timeout", 505 - 100: "HTTP Version Not Supported",
	506 - 100: "Variant Also Negotiates", 507 - 100: "Insufficient Storage",
	508 - 100: "Loop Detected", 510 - 100: "Not Extended",
	511 - 100: "Network Authentication Required",
}
