package h1

import (
	"strconv"

	"github.com/connlab/connlab/engine/trace"
)

// This file is the client role of hyper's proto/h1 role.rs: parsing a
// response head (httparse's response grammar, then hyper's Client::parse
// and Client::decoder) and encoding a request head (Client::encode with
// Client::set_length). A client never answers a parse error
// (Client::on_error is always None), so there is no onError here.

// ParsedResponse is what parsing a response head yields (hyper's
// ParsedMessage<StatusCode>).
type ParsedResponse struct {
	// Head holds the status line and every header field as received. Its
	// Reason is the reason phrase exactly as received ("" when the line had
	// none, or when it held obs-text, which httparse reports as ""); hyper
	// keeps only a non-canonical one, as a ReasonPhrase extension. Headers
	// point into the parse context and stay valid until the next parse.
	Head         ResponseHead
	Decode       DecodedLength
	KeepAlive    bool
	WantsUpgrade bool
}

// responseParseContext is what parseResponse reuses from one head to the
// next.
type responseParseContext struct {
	maxHeaders int      // 0 means defaultMaxHeaders
	arena      []byte   // the last head's bytes; ParsedResponse slices point here
	headers    []Header // backing array of ParsedResponse.Head.Headers
	// reqMethod is the method of the request being answered ("" when
	// unknown): a HEAD answer has no body, a 2xx to CONNECT is an upgrade.
	reqMethod string
	rec       *trace.Recorder // hyper's trace messages as notes (nil: off)
	// split is how many bytes Client::parse had split off the read buffer
	// when Client::decoder failed (the head's length), else 0: the
	// "parse error" message counts the bytes after it.
	split int
}

// parseResponse parses one response head from the start of buf (hyper's
// Client::parse over httparse's Response::parse, then Client::decoder).
//
//   - buf holds only part of a head: n=0, ok=false, informational=false,
//     err=nil;
//   - a 1xx head other than 101, which hyper skips ("ignoring informational
//     response"): n is its length, ok=false, informational=true, and msg.Head
//     describes it; the caller consumes n bytes and parses again;
//   - a final head: ok=true, n is its length (leading empty lines included);
//   - a malformed head: err, a parse error classified as hyper does.
//
// Checks hyper makes on a whole head (a status code below 100, a header
// name of 64 KiB or more, the framing fields) report nothing until the head
// is whole, as in hyper.
func parseResponse(buf []byte, ctx *responseParseContext) (msg ParsedResponse, n int, ok bool, informational bool, err *Error) {
	ctx.headers = ctx.headers[:0]
	ctx.split = 0
	if len(buf) == 0 {
		return ParsedResponse{}, 0, false, false, nil
	}
	maxHeaders := ctx.maxHeaders
	if maxHeaders <= 0 {
		maxHeaders = defaultMaxHeaders
	}
	line, n, kind := scanResponse(buf, maxHeaders, &ctx.headers)
	if kind == 0 && n > 0 {
		if ctx.rec != nil {
			ctx.rec.NoteNum(numResponseParseComplete, int64(n))
		}
		kind = checkResponseHead(line, ctx.headers)
	}
	if kind != 0 {
		ctx.headers = ctx.headers[:0]
		return ParsedResponse{}, 0, false, false, newParse(kind)
	}
	if n == 0 {
		ctx.headers = ctx.headers[:0]
		return ParsedResponse{}, 0, false, false, nil
	}
	msg.Head = ResponseHead{Version: HTTP10, Status: line.status, Reason: reasonText(line)}
	if line.http11 {
		msg.Head.Version = HTTP11
	}
	ctx.adopt(buf, n)
	msg.Head.Headers = ctx.headers
	keepAlive := responseKeepAlive(msg.Head.Version, ctx.headers)
	decode, upgrade, skip, kind := responseDecoder(&msg.Head, ctx.reqMethod, ctx.rec)
	if kind != 0 {
		ctx.split = n // buf.split_to(len) came before Client::decoder
		ctx.headers = ctx.headers[:0]
		return ParsedResponse{}, 0, false, false, newParse(kind)
	}
	if skip {
		return msg, n, false, true, nil
	}
	msg.Decode = decode
	msg.WantsUpgrade = upgrade
	// A client upgrade means the connection cannot be used again.
	msg.KeepAlive = keepAlive && !upgrade
	return msg, n, true, false, nil
}

// statusLine is the status line as the grammar pass sees it.
type statusLine struct {
	http11  bool
	status  int
	reason  []byte // a slice of the buffer being parsed
	obsText bool   // the reason held obs-text: httparse reports it as ""
}

// scanResponse runs httparse's response grammar over buf (default parser
// config: no spaces before a colon, no obs-fold, no multiple spaces in the
// status line). It returns the status line and the head's length, n=0 when
// buf ends first, or the kind of the first syntax error.
func scanResponse(buf []byte, maxHeaders int, headers *[]Header) (line statusLine, n int, kind ParseKind) {
	i, kind := skipEmptyLines(buf)
	if i == incomplete || kind != 0 {
		return line, 0, kind
	}
	var version requestLine
	if i, kind = scanVersion(buf, i, &version); i == incomplete || kind != 0 {
		return line, 0, kind
	}
	line.http11 = version.http11
	// The version must be followed by one SP, or it is a version error.
	if i >= len(buf) {
		return line, 0, 0
	}
	if buf[i] != ' ' {
		return line, 0, ParseVersion
	}
	i++
	if i, kind = scanStatusCode(buf, i, &line); i == incomplete || kind != 0 {
		return line, 0, kind
	}
	if i, kind = scanReason(buf, i, &line); i == incomplete || kind != 0 {
		return line, 0, kind
	}
	i, kind = scanFields(buf, i, maxHeaders, headers)
	if i == incomplete || kind != 0 {
		return line, 0, kind
	}
	return line, i, 0
}

// scanStatusCode reads exactly three digits; each byte is checked as it
// arrives, so "2x" fails before the code is whole.
func scanStatusCode(buf []byte, i int, line *statusLine) (int, ParseKind) {
	code := 0
	for k := 0; k < 3; k++ {
		if i >= len(buf) {
			return incomplete, 0
		}
		b := buf[i]
		if b < '0' || b > '9' {
			return i, ParseStatus
		}
		code = code*10 + int(b-'0')
		i++
	}
	line.status = code
	return i, 0
}

// scanReason reads what follows the code: SP and a reason phrase up to the
// line end, or the line end at once (RFC 9112 §4: "A client SHOULD ignore
// the reason-phrase content"; httparse accepts its absence). A CR must be
// followed by LF; anything else is a status error.
func scanReason(buf []byte, i int, line *statusLine) (int, ParseKind) {
	if i >= len(buf) {
		return incomplete, 0
	}
	switch buf[i] {
	case ' ':
		i++
	case '\n':
		return i + 1, 0
	case '\r':
		if i+1 >= len(buf) {
			return incomplete, 0
		}
		if buf[i+1] != '\n' {
			return i, ParseStatus
		}
		return i + 2, 0
	default:
		return i, ParseStatus
	}
	start := i
	for ; i < len(buf); i++ {
		b := buf[i]
		switch {
		case b == '\n':
			line.reason = buf[start:i]
			return i + 1, 0
		case b == '\r':
			if i+1 >= len(buf) {
				return incomplete, 0
			}
			if buf[i+1] != '\n' {
				return i, ParseStatus
			}
			line.reason = buf[start:i]
			return i + 2, 0
		case b >= 0x80:
			line.obsText = true
		case b != '\t' && (b < ' ' || b == 0x7f):
			// reason-phrase = *( HTAB / SP / VCHAR / obs-text )
			return i, ParseStatus
		}
	}
	return incomplete, 0
}

// checkResponseHead is what hyper checks once httparse has a whole head,
// in its order: the code must be a StatusCode (100..=999), and no header
// name may reach 64 KiB.
func checkResponseHead(line statusLine, headers []Header) ParseKind {
	if line.status < 100 {
		return ParseStatus
	}
	for _, h := range headers {
		if len(h.Name) > maxHeaderNameLen {
			return ParseTooLarge
		}
	}
	return 0
}

// reasonText returns the received reason phrase as a string: the canonical
// constant when it is the canonical one (no allocation on the usual path),
// a copy otherwise.
func reasonText(line statusLine) string {
	if line.obsText || len(line.reason) == 0 {
		return ""
	}
	if canonical := reasonPhrase(line.status); canonical == string(line.reason) {
		return canonical
	}
	return string(line.reason)
}

// adopt copies the head (buf[:n]) into the arena and re-points the headers
// there, so they outlive the read buffer (as parseContext.copyHead does a request's).
func (ctx *responseParseContext) adopt(buf []byte, n int) {
	ctx.arena = append(ctx.arena[:0], buf[:n]...)
	for i := range ctx.headers {
		h := &ctx.headers[i]
		h.Name, h.Value = rebase(ctx.arena, buf, h.Name), rebase(ctx.arena, buf, h.Value)
	}
}

// responseKeepAlive starts from the version's default and lets each
// Connection field move it, as hyper's Client::parse does: while the
// connection would be kept, a close ends that; once it would not, a
// keep-alive brings it back.
func responseKeepAlive(version Version, headers []Header) bool {
	keepAlive := version == HTTP11
	for _, h := range headers {
		if !nameIs(h.Name, "connection") {
			continue
		}
		if keepAlive {
			keepAlive = !connectionClose(h.Value)
		} else {
			keepAlive = connectionKeepAlive(h.Value)
		}
	}
	return keepAlive
}

// responseDecoder is hyper's Client::decoder: how the body of this response
// is framed, whether it is an upgrade, or skip=true for an informational
// head. RFC 9112 §6.3, in order:
//  1. "Any response to a HEAD request and any response with a 1xx
//     (Informational), 204 (No Content), or 304 (Not Modified) status code
//     is always terminated by the first empty line after the header fields"
//  2. "Any 2xx (Successful) response to a CONNECT request implies that the
//     connection will become a tunnel immediately after the empty line"
//  3. Transfer-Encoding with chunked last: chunked; without it, the body
//     runs to the close of the connection.
//  4. An invalid Content-Length is "an unrecoverable error".
//  5. A valid Content-Length gives the length.
//  6. Otherwise "the message body length is determined by the number of
//     octets received prior to the server closing the connection".
//
// rec, when not nil, gets hyper's trace messages of Client::decoder.
func responseDecoder(head *ResponseHead, method string, rec *trace.Recorder) (decode DecodedLength, upgrade, skip bool, kind ParseKind) {
	switch status := head.Status; {
	case status == 101:
		return LengthZero, true, false, 0
	case isInformational(status):
		if rec != nil {
			rec.NoteNum(numIgnoringInformational, int64(status))
		}
		return 0, false, true, 0
	case status == 204 || status == 304:
		return LengthZero, false, false, 0
	}
	switch method {
	case MethodHead:
		return LengthZero, false, false, 0
	case MethodConnect:
		if isSuccess(head.Status) {
			return LengthZero, true, false, 0
		}
	case "":
		if rec != nil {
			rec.Note("Client::decoder is missing the Method", refClientDecoder)
		}
	}
	if hasHeader(head.Headers, "transfer-encoding") {
		switch {
		case head.Version == HTTP10:
			// RFC 9112 §6.1: "A server or client that receives an HTTP/1.0
			// message containing a Transfer-Encoding header field MUST treat
			// the message as if the framing is faulty".
			if rec != nil {
				rec.Note("HTTP/1.0 cannot have Transfer-Encoding header", refClientDecoder)
			}
			return 0, false, false, ParseTransferEncodingUnexpected
		case transferEncodingIsChunked(head.Headers):
			return LengthChunked, false, false, 0
		}
		if rec != nil {
			rec.Note("not chunked, read till eof", refClientDecoder)
		}
		return LengthCloseDelimited, false, false, 0
	}
	if n, ok := contentLengthParseAll(head.Headers); ok {
		if DecodedLength(n) > LengthMax {
			// DecodedLength::checked_new: the top two values are reserved.
			return 0, false, false, ParseTooLarge
		}
		return DecodedLength(n), false, false, 0
	}
	if hasHeader(head.Headers, "content-length") {
		if rec != nil {
			rec.Note("illegal Content-Length header", refClientDecoder)
		}
		return 0, false, false, ParseContentLengthInvalid
	}
	if rec != nil {
		rec.Note("neither Transfer-Encoding nor Content-Length", refClientDecoder)
	}
	return LengthCloseDelimited, false, false, 0
}

// hasHeader reports whether any field has the (lowercase) name.
func hasHeader(headers []Header, lower string) bool {
	for _, h := range headers {
		if nameIs(h.Name, lower) {
			return true
		}
	}
	return false
}

// ---- the request head (Client::encode) ----

// requestEncodeContext is what encoding a request head needs (hyper's
// Encode for the client).
type requestEncodeContext struct {
	// head: Method ("" is GET, hyper's default), URI, Version (0 is
	// HTTP/1.1) and the user's Headers, in the order they were appended to
	// the HeaderMap. It is not modified.
	head *RequestHead
	// body: nil when there is no body at all (hyper's None); Known(n); or
	// unknown (Known=false), chunked on HTTP/1.1.
	body      *BodyLength
	titleCase bool
	rec       *trace.Recorder // hyper's trace messages as notes (nil: off)
}

// encodeRequest appends the request line and header fields of ctx.head to
// *dst exactly as hyper's Client::encode writes them, after
// Client::set_length has chosen the framing and added, kept or removed
// Content-Length and Transfer-Encoding fields; it returns the body's
// Encoder. Requests carry no Date. hyper's Client::encode never fails, so
// neither does this; the error is always nil.
//
// The caller records head.Method as the request method the response will
// answer (hyper's `*msg.req_method = Some(method)`).
func encodeRequest(ctx *requestEncodeContext, dst *[]byte) (Encoder, *Error) {
	head := ctx.head
	method := head.Method
	if method == "" {
		method = MethodGet
	}
	if ctx.rec != nil {
		noteClientEncode(ctx.rec, method, ctx.body)
	}
	edit, enc := requestLength(head, method, ctx.body)
	if ctx.rec != nil {
		// Client::set_length's messages
		switch {
		case edit.remove == "transfer-encoding" && ctx.body != nil && hasHeader(head.Headers, "transfer-encoding"):
			ctx.rec.Note("removing illegal transfer-encoding header", refClientSetLength)
		case edit.addChunked:
			ctx.rec.Note("user provided transfer-encoding does not end in 'chunked'", refClientSetLength)
		}
	}
	out := append(*dst, method...)
	out = append(out, ' ')
	out = appendRequestTarget(out, head.URI)
	if head.Version == HTTP10 {
		out = append(out, " HTTP/1.0\r\n"...)
	} else {
		out = append(out, " HTTP/1.1\r\n"...)
	}
	out = edit.writeHeaders(out, head.Headers, ctx.titleCase)
	*dst = append(out, "\r\n"...)
	if enc.isChunked() {
		// Only the fields a Trailer header declares may follow a chunked
		// body (hyper's into_chunked_with_trailing_fields).
		for _, h := range head.Headers {
			if nameIs(h.Name, "trailer") {
				enc.addTrailerFields(h.Value)
			}
		}
	}
	return enc, nil
}

// requestHeaderEdit is what Client::set_length does to the HeaderMap,
// applied while writing instead of to a copy of the fields.
type requestHeaderEdit struct {
	// remove is the entry HeaderMap::remove takes out ("transfer-encoding"
	// or "content-length"), or "". HeaderMap removes with swap_remove: the
	// map's last entry takes the removed one's place.
	remove string
	// setLen: HeaderMap::insert of content-length: len, which replaces an
	// existing entry's values in place, or becomes the last entry.
	setLen bool
	len    uint64
	// appendChunked: "transfer-encoding: chunked" becomes the last entry.
	appendChunked bool
	// addChunked: ", chunked" is appended to the last transfer-encoding
	// value (headers::add_chunked).
	addChunked bool
}

// requestLength is hyper's Client::set_length: the body's Encoder and the
// edits to the user's fields. User-set framing fields are respected
// ("They set them for a reason"), repaired only where the message would
// otherwise be illegal.
func requestLength(head *RequestHead, method string, body *BodyLength) (requestHeaderEdit, Encoder) {
	var edit requestHeaderEdit
	if body == nil {
		// No body: a Transfer-Encoding would promise one.
		edit.remove = "transfer-encoding"
		return edit, newLengthEncoder(0)
	}
	headers := head.Headers
	existingLen, hasLen := contentLengthParseAll(headers)
	if head.Version == HTTP10 {
		// HTTP/1.0 does not know chunked: the field is illegal and removed.
		edit.remove = "transfer-encoding"
		switch {
		case hasLen:
			return edit, newLengthEncoder(existingLen)
		case body.Known:
			edit.setLen, edit.len = true, body.N
			return edit, newLengthEncoder(body.N)
		}
		// "HTTP/1.0 client requests without a content-length cannot have
		// any body at all."
		return edit, newLengthEncoder(0)
	}
	if hasHeader(headers, "transfer-encoding") {
		// RFC 9112 §6.1: "A sender MUST NOT send a Content-Length header
		// field in any message that contains a Transfer-Encoding header
		// field"; a valid one is removed (an invalid one is left, as in
		// hyper). RFC 9112 §6.3: a request whose Transfer-Encoding does not
		// end in chunked is illegal, so chunked is added.
		if !transferEncodingIsChunked(headers) {
			edit.addChunked = true
		}
		if hasLen {
			edit.remove = "content-length"
		}
		return edit, newChunkedEncoder()
	}
	switch {
	case hasLen:
		return edit, newLengthEncoder(existingLen)
	case !body.Known:
		switch method {
		case MethodGet, MethodHead, MethodConnect:
			// "GET, HEAD, and CONNECT almost never have bodies": assume
			// none rather than sending a chunked body with a 0-chunk.
			return edit, newLengthEncoder(0)
		}
		edit.appendChunked = true
		return edit, newChunkedEncoder()
	}
	edit.setLen, edit.len = true, body.N
	return edit, newLengthEncoder(body.N)
}

// writeHeaders writes the fields as hyper's write_headers walks the edited
// HeaderMap: entries (distinct names) in order of first insertion, all
// values of an entry together, names lowercase (or title case). Nothing is
// allocated: entries are found again by scanning the fields.
func (e *requestHeaderEdit) writeHeaders(dst []byte, headers []Header, titleCase bool) []byte {
	removed, last, lenEntry := -1, -1, -1
	for i := range headers {
		if seenBefore(headers, i) {
			continue
		}
		last = i
		if e.remove != "" && nameIs(headers[i].Name, e.remove) {
			removed = i
		}
		if nameIs(headers[i].Name, "content-length") {
			lenEntry = i
		}
	}
	if e.remove == "content-length" {
		lenEntry = -1
	}
	for i := range headers {
		if seenBefore(headers, i) {
			continue
		}
		entry := i
		switch {
		case i == removed && removed == last:
			continue // swap_remove of the last entry: it just goes
		case i == removed:
			entry = last // the last entry moves into the removed one's slot
		case i == last && removed >= 0:
			continue // already written in the removed entry's slot
		}
		if entry == lenEntry && e.setLen {
			dst = e.writeLength(dst, titleCase)
			continue
		}
		dst = e.writeEntry(dst, headers, entry, titleCase)
	}
	if e.setLen && lenEntry < 0 {
		dst = e.writeLength(dst, titleCase)
	}
	if e.appendChunked {
		dst = appendOwnName(dst, "transfer-encoding", titleCase)
		dst = append(dst, ": chunked\r\n"...)
	}
	return dst
}

// writeEntry writes every value of the entry whose first field is
// headers[first].
func (e *requestHeaderEdit) writeEntry(dst []byte, headers []Header, first int, titleCase bool) []byte {
	name := headers[first].Name
	lastTE := -1
	if e.addChunked && nameIs(name, "transfer-encoding") {
		for j := first; j < len(headers); j++ {
			if sameName(headers[j].Name, name) {
				lastTE = j
			}
		}
	}
	for j := first; j < len(headers); j++ {
		if j != first && !sameName(headers[j].Name, name) {
			continue
		}
		if titleCase {
			dst = appendTitleName(dst, name)
		} else {
			dst = appendLowerName(dst, name)
		}
		dst = append(dst, ": "...)
		dst = append(dst, headers[j].Value...)
		if j == lastTE {
			dst = append(dst, ", chunked"...)
		}
		dst = append(dst, "\r\n"...)
	}
	return dst
}

func (e *requestHeaderEdit) writeLength(dst []byte, titleCase bool) []byte {
	dst = appendOwnName(dst, "content-length", titleCase)
	dst = append(dst, ": "...)
	dst = strconv.AppendUint(dst, e.len, 10)
	return append(dst, "\r\n"...)
}

// appendOwnName writes one of the engine's own lowercase names.
func appendOwnName(dst []byte, name string, titleCase bool) []byte {
	if titleCase {
		return appendTitleString(dst, name)
	}
	return append(dst, name...)
}

// appendRequestTarget writes the URI as http::Uri's Display does for the
// forms a Uri can hold. Uri parsing drops a fragment, lowercases an http or
// https scheme, and an absolute URI without a path displays "/" as its
// path; an empty URI is hyper's default, "/". Anything else is written as
// given.
func appendRequestTarget(dst, uri []byte) []byte {
	if len(uri) == 0 {
		return append(dst, '/')
	}
	schemeEnd := 0 // length of "scheme://", 0 if none
	for i, b := range uri {
		if b == ':' {
			if i > 0 && len(uri) >= i+3 && uri[i+1] == '/' && uri[i+2] == '/' {
				schemeEnd = i + 3
			}
			break
		}
		if !isSchemeChar(b) {
			break
		}
	}
	if schemeEnd == 0 {
		// Origin-form, "*" or authority-form.
		if uri[0] == '/' {
			uri = cutFragment(uri)
		}
		return append(dst, uri...)
	}
	switch {
	case asciiEqualFold(uri[:schemeEnd], "http://"):
		dst = append(dst, "http://"...)
	case asciiEqualFold(uri[:schemeEnd], "https://"):
		dst = append(dst, "https://"...)
	default:
		dst = append(dst, uri[:schemeEnd]...)
	}
	rest := uri[schemeEnd:]
	authEnd := len(rest)
	for i, b := range rest {
		if b == '/' || b == '?' || b == '#' {
			authEnd = i
			break
		}
	}
	dst = append(dst, rest[:authEnd]...)
	pathAndQuery := cutFragment(rest[authEnd:])
	if len(pathAndQuery) == 0 || pathAndQuery[0] == '?' {
		dst = append(dst, '/')
	}
	return append(dst, pathAndQuery...)
}

// cutFragment drops "#fragment".
func cutFragment(s []byte) []byte {
	for i, b := range s {
		if b == '#' {
			return s[:i]
		}
	}
	return s
}
