package h1

import (
	"strconv"

	"github.com/connlab/connlab/engine/trace"
)

// This file renders engine values the way hyper's trace messages print
// them (Rust's Debug and Display formatting), for the note events that
// reproduce hyper's own trace!/debug! messages (issue 15, item 7). Every
// function here runs only when a recorder is attached.

// Refs of the notes that name hyper functions not named elsewhere.
const (
	refTimeCheck       = "common/time.rs Time::check (server::conn::http1::Builder::serve_connection)"
	refParseHeaders    = "io.rs Buffered::parse"
	refReadFromIO      = "io.rs Buffered::poll_read_from_io"
	refIOFlush         = "io.rs Buffered::poll_flush"
	refBufferFlatten   = "io.rs WriteBuf::buffer"
	refServerParse     = "role.rs Server::parse"
	refServerEncode    = "role.rs Server::encode"
	refServerOnError   = "role.rs Server::on_error"
	refClientParse     = "role.rs Client::parse"
	refClientDecoder   = "role.rs Client::decoder"
	refClientEncode    = "role.rs Client::encode"
	refClientSetLength = "role.rs Client::set_length"
	refHandshake       = "client/conn/http1.rs Builder::handshake"
	refSendRequest     = "client/conn/http1.rs SendRequest::send_request"
	refManualUpgrade   = "upgrade.rs Pending::manual (client/conn/http1.rs Connection::poll)"
	refConnFlush       = "conn.rs Conn::poll_flush"
	refConnShutdown    = "conn.rs Conn::poll_shutdown"
	refStateClose      = "conn.rs State::close"
	refDisableKA       = "conn.rs Conn::disable_keep_alive"
	refOnUpgrade       = "conn.rs Conn::on_upgrade"
	refDecode          = "decode.rs Decoder::decode"
	refChunked         = "decode.rs ChunkedState::step"
	refEncode          = "encode.rs Encoder::encode"
)

// The notes a request records on every message, beyond noteNum's shape,
// are stored as numbers and formatted when read (trace.NoteFmt): each
// Format below rebuilds what the note's append functions would have
// written, from the numbers alone. Values they cannot pack (an extension
// method, a state with a decoder or an error) are written at once.
var (
	fmtIncomingBody = trace.RegisterFormat(refPollReadHead, formatIncomingBody)
	fmtServerEncode = trace.RegisterFormat(refServerEncode, formatServerEncode)
	fmtFlushed      = trace.RegisterFormat(refConnFlush, formatFlushed)
	fmtFlatten      = trace.RegisterFormat(refBufferFlatten, formatFlatten)
)

// noteIncomingBody: "incoming body is empty" (Conn::poll_read_head).
func noteIncomingBody(rec *trace.Recorder, d DecodedLength) {
	rec.NoteFmt(fmtIncomingBody, int64(d), 0)
}

func formatIncomingBody(b []byte, d, _ int64) []byte {
	return appendDecodedLength(append(b, "incoming body is "...), DecodedLength(d))
}

// standardMethods numbers the methods Server::encode's note can pack (0 is
// no method).
var standardMethods = [...]string{"", MethodGet, MethodHead, MethodPost, MethodPut, MethodDelete,
	MethodConnect, MethodOptions, MethodTrace, MethodPatch}

// methodCode is m's index in standardMethods. A switch, not a search of
// the table: it runs on every traced response, and a switch compares
// lengths and words where the loop called the runtime's string compare.
func methodCode(m string) (int64, bool) {
	switch m {
	case "":
		return 0, true
	case MethodGet:
		return 1, true
	case MethodHead:
		return 2, true
	case MethodPost:
		return 3, true
	case MethodPut:
		return 4, true
	case MethodDelete:
		return 5, true
	case MethodConnect:
		return 6, true
	case MethodOptions:
		return 7, true
	case MethodTrace:
		return 8, true
	case MethodPatch:
		return 9, true
	}
	return 0, false
}

// noteServerEncode: "Server::encode status=200, body=Some(Known(5)),
// req_method=Some(GET)". The body length goes in a; the status, whether
// there is a body and whether its length is known, and the method go in b.
func noteServerEncode(rec *trace.Recorder, status int, body *BodyLength, method string) {
	code, ok := methodCode(method)
	if !ok || status < 0 || status > 1<<31-1 {
		b := strconv.AppendInt(append(rec.NoteBuf(), "Server::encode status="...), int64(status), 10)
		b = appendBodyLengthDebug(append(b, ", body="...), body)
		rec.NoteBytes(appendMethodDebug(append(b, ", req_method="...), method), refServerEncode)
		return
	}
	packed, n := int64(status)|code<<40, int64(0)
	if body != nil {
		packed |= 1 << 32
		if body.Known {
			packed |= 1 << 33
			n = int64(body.N)
		}
	}
	rec.NoteFmt(fmtServerEncode, n, packed)
}

func formatServerEncode(b []byte, n, packed int64) []byte {
	b = strconv.AppendInt(append(b, "Server::encode status="...), packed&(1<<32-1), 10)
	var body *BodyLength
	if packed&(1<<32) != 0 {
		body = &BodyLength{Known: packed&(1<<33) != 0, N: uint64(n)}
	}
	b = appendBodyLengthDebug(append(b, ", body="...), body)
	return appendMethodDebug(append(b, ", req_method="...), standardMethods[packed>>40&15])
}

// noteFlushed: "flushed({role=server}): State { reading: Init, writing:
// Init, keep_alive: Idle }" (Conn::poll_flush).
func (s *State) noteFlushed(rec *trace.Recorder) {
	if s.reading == ReadingContinue || s.reading == ReadingBody || s.writing == WritingBody || s.err != nil ||
		s.reading > ReadingClosed || s.writing > WritingClosed || s.keepAlive > KADisabled || s.role > RoleClient {
		b := append(append(append(rec.NoteBuf(), "flushed("...), s.roleLog()...), "): "...)
		rec.NoteBytes(s.appendStateDebug(b), refConnFlush)
		return
	}
	packed := int64(s.reading) | int64(s.writing)<<4 | int64(s.keepAlive)<<8 | int64(s.role)<<12
	if s.allowHalfClose {
		packed |= 1 << 16
	}
	rec.NoteFmt(fmtFlushed, packed, 0)
}

func formatFlushed(b []byte, packed, _ int64) []byte {
	s := State{
		reading: ReadingKind(packed & 15), writing: WritingKind(packed >> 4 & 15), keepAlive: KA(packed >> 8 & 15),
		role: Role(packed >> 12 & 15), allowHalfClose: packed&(1<<16) != 0,
	}
	b = append(append(append(b, "flushed("...), s.roleLog()...), "): "...)
	return s.appendStateDebug(b)
}

// noteFlatten: "buffer.flatten self.len=75 buf.len=5" (WriteBuf::buffer).
func noteFlatten(rec *trace.Recorder, before, n int) {
	rec.NoteFmt(fmtFlatten, int64(before), int64(n))
}

func formatFlatten(b []byte, before, n int64) []byte {
	b = strconv.AppendInt(append(b, "buffer.flatten self.len="...), before, 10)
	return strconv.AppendInt(append(b, " buf.len="...), n, 10)
}

// appendDecodedLength is DecodedLength's Display.
func appendDecodedLength(b []byte, d DecodedLength) []byte {
	switch d {
	case LengthCloseDelimited:
		return append(b, "close-delimited"...)
	case LengthChunked:
		return append(b, "chunked encoding"...)
	case LengthZero:
		return append(b, "empty"...)
	}
	b = append(b, "content-length ("...)
	b = strconv.AppendUint(b, uint64(d), 10)
	return append(b, " bytes)"...)
}

// appendBytesDebug is the bytes crate's Debug of a byte string: b"..."
// with \r, \n, \t, \\, \" and \0 escaped and other non-printable bytes
// as \xNN.
func appendBytesDebug(out []byte, data []byte) []byte {
	out = append(out, `b"`...)
	for _, c := range data {
		switch {
		case c == '\n':
			out = append(out, `\n`...)
		case c == '\r':
			out = append(out, `\r`...)
		case c == '\t':
			out = append(out, `\t`...)
		case c == '\\' || c == '"':
			out = append(out, '\\', c)
		case c == 0:
			out = append(out, `\0`...)
		case c >= 0x20 && c < 0x7f:
			out = append(out, c)
		default:
			const hex = "0123456789abcdef"
			out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
		}
	}
	return append(out, '"')
}

func appendOptUsize(b []byte, n int) []byte {
	if n <= 0 {
		return append(b, "None"...)
	}
	b = strconv.AppendInt(append(b, "Some("...), int64(n), 10)
	return append(b, ')')
}

// appendDecoderDebug is hyper's Decoder Debug (its Kind's derived Debug);
// maxHeaders is the configured h1_max_headers (0: None).
func appendDecoderDebug(b []byte, d *Decoder, maxHeaders int) []byte {
	switch d.kind {
	case decoderLength:
		b = strconv.AppendUint(append(b, "Length("...), d.remaining, 10)
		return append(b, ')')
	case decoderChunked:
		b = append(append(b, "Chunked { state: "...), d.state.String()...)
		b = strconv.AppendUint(append(b, ", chunk_len: "...), d.chunkLen, 10)
		b = strconv.AppendUint(append(b, ", extensions_cnt: "...), d.extensionsCnt, 10)
		b = append(b, ", trailers_buf: "...)
		if d.hasTrailers {
			b = append(appendBytesDebug(append(b, "Some("...), d.trailersBuf), ')')
		} else {
			b = append(b, "None"...)
		}
		b = strconv.AppendInt(append(b, ", trailers_cnt: "...), int64(d.trailersCnt), 10)
		b = appendOptUsize(append(b, ", h1_max_headers: "...), maxHeaders)
		return append(b, ", h1_max_header_size: None }"...)
	}
	if d.sawEOF {
		return append(b, "Eof(true)"...)
	}
	return append(b, "Eof(false)"...)
}

// appendEncoderDebug is hyper's derived Debug of Encoder.
func appendEncoderDebug(b []byte, e *Encoder) []byte {
	b = append(b, "Encoder { kind: "...)
	switch e.kind {
	case encoderLength:
		b = append(strconv.AppendUint(append(b, "Length("...), e.remaining, 10), ')')
	case encoderChunked:
		if len(e.trailerFields) == 0 {
			b = append(b, "Chunked(None)"...)
			break
		}
		b = append(b, "Chunked(Some(["...)
		first, start := true, 0
		for i, c := range e.trailerFields {
			if c == ',' {
				if !first {
					b = append(b, ", "...)
				}
				b = strconv.AppendQuote(b, string(e.trailerFields[start:i]))
				first, start = false, i+1
			}
		}
		b = append(b, "]))"...)
	default:
		b = append(b, "CloseDelimited"...)
	}
	b = strconv.AppendBool(append(b, ", is_last: "...), e.last)
	return append(b, " }"...)
}

var parseDebugNames = [...]string{
	ParseMethod: "Method", ParseVersion: "Version", ParseVersionH2: "VersionH2", ParseURI: "Uri",
	ParseURITooLong: "UriTooLong", ParseHeaderToken: "Header(Token)",
	ParseContentLengthInvalid: "Header(ContentLengthInvalid)", ParseTransferEncodingInvalid: "Header(TransferEncodingInvalid)",
	ParseTransferEncodingUnexpected: "Header(TransferEncodingUnexpected)", ParseTooLarge: "TooLarge",
	ParseStatus: "Status", ParseInternal: "Internal",
}

// appendErrorDebug is hyper::Error's Debug for the errors a State keeps
// (the parse error behind an automatic response).
func appendErrorDebug(b []byte, e *Error) []byte {
	if e.Kind == KindParse && int(e.Parse) < len(parseDebugNames) {
		return append(append(append(b, "hyper::Error(Parse("...), parseDebugNames[e.Parse]...), "))"...)
	}
	return append(append(append(b, "hyper::Error("...), e.Error()...), ')')
}

// appendStateDebug is hyper's State Debug: reading, writing, keep_alive,
// then error and allow_half_close when they are interesting.
func (s *State) appendStateDebug(b []byte) []byte {
	b = append(append(b, "State { reading: "...), s.reading.String()...)
	switch s.reading {
	case ReadingContinue, ReadingBody:
		b = append(appendDecoderDebug(append(b, '('), &s.decoder, s.maxHeaders), ')')
	}
	b = append(append(b, ", writing: "...), s.writing.String()...)
	if s.writing == WritingBody {
		b = append(appendEncoderDebug(append(b, '('), &s.encoder), ')')
	}
	b = append(append(b, ", keep_alive: "...), s.keepAlive.String()...)
	if s.err != nil {
		b = appendErrorDebug(append(b, ", error: "...), s.err)
	}
	if s.allowHalfClose {
		b = append(b, ", allow_half_close: true"...)
	}
	return append(b, " }"...)
}

// roleLog is hyper's T::LOG.
func (s *State) roleLog() string {
	if s.role.IsClient() {
		return "{role=client}"
	}
	return "{role=server}"
}

// statusText is http::StatusCode's Display ("400 Bad Request").
func statusText(status int) string {
	return strconv.Itoa(status) + " " + reasonPhrase(status)
}

// appendMethodDebug is Option<Method>'s Debug.
func appendMethodDebug(b []byte, m string) []byte {
	if m == "" {
		return append(b, "None"...)
	}
	return append(append(append(b, "Some("...), m...), ')')
}

// appendBodyLengthDebug is Option<BodyLength>'s Debug.
func appendBodyLengthDebug(b []byte, l *BodyLength) []byte {
	switch {
	case l == nil:
		return append(b, "None"...)
	case l.Known:
		return append(strconv.AppendUint(append(b, "Some(Known("...), l.N, 10), "))"...)
	}
	return append(b, "Some(Unknown)"...)
}

// noteEncodeTrailers records what hyper's Encoder::encode_trailers logs for
// these trailers (the encoding itself is encodeTrailers').
func (c *Conn) noteEncodeTrailers(trailers []Header) {
	rec, e := c.rec, &c.state.encoder
	rec.Note("encoding trailers", refEncode)
	switch {
	case e.kind != encoderChunked:
		rec.Note("attempted to encode trailers for non-chunked response", refEncode)
		return
	case len(e.trailerFields) == 0:
		rec.Note("attempted to encode trailers, but the trailer header is not set", refEncode)
		return
	}
	for i, h := range trailers {
		if encNameSeenBefore(trailers[:i], h.Name) {
			continue
		}
		switch {
		case !e.trailerDeclared(h.Name):
			rec.NoteBytes(appendLowerName(append(rec.NoteBuf(), "trailer header name not found in trailer header: "...), h.Name), refEncode)
		case !isValidTrailerField(h.Name):
			rec.NoteBytes(appendLowerName(append(rec.NoteBuf(), "trailer field is not valid: "...), h.Name), refEncode)
		}
	}
}

// noteClientEncode is Client::encode's first message: the method's Debug
// (its text) and the Option<BodyLength>'s Debug.
func noteClientEncode(rec *trace.Recorder, method string, body *BodyLength) {
	b := append(rec.NoteBuf(), "Client::encode method="...)
	b = appendBodyLengthDebug(append(append(b, method...), ", body="...), body)
	rec.NoteBytes(b, refClientEncode)
}
