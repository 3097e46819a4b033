package h1

import "strconv"

// This file renders engine values the way hyper's trace messages print
// them (Rust's Debug and Display formatting), for the note events that
// reproduce hyper's own trace!/debug! messages (issue 15, item 7). Every
// function here runs only when a recorder is attached.

// Refs of the notes that name hyper functions not named elsewhere.
const (
	refTimeCheck     = "common/time.rs Time::check (server::conn::http1::Builder::serve_connection)"
	refParseHeaders  = "io.rs Buffered::parse"
	refReadFromIO    = "io.rs Buffered::poll_read_from_io"
	refIOFlush       = "io.rs Buffered::poll_flush"
	refBufferFlatten = "io.rs WriteBuf::buffer"
	refServerParse   = "role.rs Server::parse"
	refServerEncode  = "role.rs Server::encode"
	refServerOnError = "role.rs Server::on_error"
	refConnFlush     = "conn.rs Conn::poll_flush"
	refConnShutdown  = "conn.rs Conn::poll_shutdown"
	refStateClose    = "conn.rs State::close"
	refDisableKA     = "conn.rs Conn::disable_keep_alive"
	refOnUpgrade     = "conn.rs Conn::on_upgrade"
	refDecode        = "decode.rs Decoder::decode"
	refChunked       = "decode.rs ChunkedState::step"
	refEncode        = "encode.rs Encoder::encode"
)

// decodedLengthText is DecodedLength's Display.
func decodedLengthText(d DecodedLength) string {
	switch d {
	case LengthCloseDelimited:
		return "close-delimited"
	case LengthChunked:
		return "chunked encoding"
	case LengthZero:
		return "empty"
	}
	return "content-length (" + strconv.FormatUint(uint64(d), 10) + " bytes)"
}

// bytesDebug is the bytes crate's Debug of a byte string: b"..." with
// \r, \n, \t, \\, \" and \0 escaped and other non-printable bytes as \xNN.
func bytesDebug(b []byte) string {
	out := []byte(`b"`)
	for _, c := range b {
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
	return string(append(out, '"'))
}

func optUsize(n int) string {
	if n <= 0 {
		return "None"
	}
	return "Some(" + strconv.Itoa(n) + ")"
}

// decoderDebug is hyper's Decoder Debug (its Kind's derived Debug);
// maxHeaders is the configured h1_max_headers (0: None).
func decoderDebug(d *Decoder, maxHeaders int) string {
	switch d.kind {
	case decoderLength:
		return "Length(" + strconv.FormatUint(d.remaining, 10) + ")"
	case decoderChunked:
		tb := "None"
		if d.hasTrailers {
			tb = "Some(" + bytesDebug(d.trailersBuf) + ")"
		}
		return "Chunked { state: " + d.state.String() +
			", chunk_len: " + strconv.FormatUint(d.chunkLen, 10) +
			", extensions_cnt: " + strconv.FormatUint(d.extensionsCnt, 10) +
			", trailers_buf: " + tb +
			", trailers_cnt: " + strconv.Itoa(d.trailersCnt) +
			", h1_max_headers: " + optUsize(maxHeaders) +
			", h1_max_header_size: None }"
	}
	if d.sawEOF {
		return "Eof(true)"
	}
	return "Eof(false)"
}

// encoderDebug is hyper's derived Debug of Encoder.
func encoderDebug(e *Encoder) string {
	var k string
	switch e.kind {
	case encoderLength:
		k = "Length(" + strconv.FormatUint(e.remaining, 10) + ")"
	case encoderChunked:
		if len(e.trailerFields) == 0 {
			k = "Chunked(None)"
		} else {
			k = "Chunked(Some(["
			first, start := true, 0
			for i, c := range e.trailerFields {
				if c == ',' {
					if !first {
						k += ", "
					}
					k += strconv.Quote(string(e.trailerFields[start:i]))
					first, start = false, i+1
				}
			}
			k += "]))"
		}
	default:
		k = "CloseDelimited"
	}
	return "Encoder { kind: " + k + ", is_last: " + strconv.FormatBool(e.last) + " }"
}

var parseDebugNames = [...]string{
	ParseMethod: "Method", ParseVersion: "Version", ParseVersionH2: "VersionH2", ParseURI: "Uri",
	ParseURITooLong: "UriTooLong", ParseHeaderToken: "Header(Token)",
	ParseContentLengthInvalid: "Header(ContentLengthInvalid)", ParseTransferEncodingInvalid: "Header(TransferEncodingInvalid)",
	ParseTransferEncodingUnexpected: "Header(TransferEncodingUnexpected)", ParseTooLarge: "TooLarge",
	ParseStatus: "Status", ParseInternal: "Internal",
}

// errorDebug is hyper::Error's Debug for the errors a State keeps (the
// parse error behind an automatic response).
func errorDebug(e *Error) string {
	if e.Kind == KindParse && int(e.Parse) < len(parseDebugNames) {
		return "hyper::Error(Parse(" + parseDebugNames[e.Parse] + "))"
	}
	return "hyper::Error(" + e.Error() + ")"
}

// stateDebug is hyper's State Debug: reading, writing, keep_alive, then
// error and allow_half_close when they are interesting.
func (s *State) stateDebug() string {
	r := s.reading.String()
	switch s.reading {
	case ReadingContinue, ReadingBody:
		r += "(" + decoderDebug(&s.decoder, s.maxHeaders) + ")"
	}
	w := s.writing.String()
	if s.writing == WritingBody {
		w += "(" + encoderDebug(&s.encoder) + ")"
	}
	out := "State { reading: " + r + ", writing: " + w + ", keep_alive: " + s.keepAlive.String()
	if s.err != nil {
		out += ", error: " + errorDebug(s.err)
	}
	if s.allowHalfClose {
		out += ", allow_half_close: true"
	}
	return out + " }"
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

// methodDebug is Option<Method>'s Debug.
func methodDebug(m string) string {
	if m == "" {
		return "None"
	}
	return "Some(" + m + ")"
}

// bodyLengthDebug is Option<BodyLength>'s Debug.
func bodyLengthDebug(b *BodyLength) string {
	switch {
	case b == nil:
		return "None"
	case b.Known:
		return "Some(Known(" + strconv.FormatUint(b.N, 10) + "))"
	}
	return "Some(Unknown)"
}
