package h1

import (
	"bytes"
	"math"
	"strconv"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// chunkedExtensionsLimit caps the bytes of chunk extensions a decoder
// accepts. Like hyper, the budget covers the whole body, not one chunk, so a
// peer cannot stream unbounded extension bytes by splitting them up.
const chunkedExtensionsLimit = 16 * 1024

// trailerLimit caps the bytes of the trailer section (hyper's TRAILER_LIMIT,
// used because the engine has no separate max-header-size knob).
const trailerLimit = 16 * 1024

// decoderDefaultMaxHeaders is the trailer-field count used when the
// connection sets no limit (hyper's role::DEFAULT_MAX_HEADERS).
const decoderDefaultMaxHeaders = 100

// decoderKind says how the incoming body is framed.
type decoderKind uint8

// Length comes first so that the zero Decoder is Length(0), an empty body.
const (
	decoderLength  decoderKind = iota // Content-Length: count down remaining
	decoderChunked                    // Transfer-Encoding: chunked
	decoderEOF                        // read until the peer closes
)

// chunkedState is the position of a chunked decoder in the grammar. Every
// state consumes at most one read from the transport before moving on, so a
// Pending can interrupt the body at any byte and resume exactly there.
type chunkedState uint8

const (
	chunkedStart chunkedState = iota
	chunkedSize
	chunkedSizeLws
	chunkedExtension
	chunkedSizeLf
	chunkedBody
	chunkedBodyCr
	chunkedBodyLf
	chunkedTrailer
	chunkedTrailerLf
	chunkedEndCr
	chunkedEndLf
	chunkedEnd
)

// The state names are hyper's ChunkedState variants, as its Debug prints
// them. Decoder.String shows them wrapped ("Chunked(Size)"); both forms are
// precomputed because the UI renders the decoder after every poll.
var (
	chunkedStateNames = [...]string{
		chunkedStart: "Start", chunkedSize: "Size", chunkedSizeLws: "SizeLws",
		chunkedExtension: "Extension", chunkedSizeLf: "SizeLf", chunkedBody: "Body",
		chunkedBodyCr: "BodyCr", chunkedBodyLf: "BodyLf", chunkedTrailer: "Trailer",
		chunkedTrailerLf: "TrailerLf", chunkedEndCr: "EndCr", chunkedEndLf: "EndLf",
		chunkedEnd: "End",
	}
	chunkedDecoderNames = func() (n [len(chunkedStateNames)]string) {
		for i, s := range chunkedStateNames {
			n[i] = "Chunked(" + s + ")"
		}
		return n
	}()
)

func (s chunkedState) String() string { return chunkedStateNames[s] }

// Decoder frames an incoming body: hyper's proto::h1::Decoder.
//
// The trailer buffers are owned by the Decoder and kept across reset, so a
// connection that reuses its Decoder parses trailers without allocating once
// warmed up. A trailers frame therefore stays valid only until the Decoder
// parses trailers again.
type Decoder struct {
	kind decoderKind

	// Length: bytes still expected.
	remaining uint64
	// Eof: whether the transport has reported end of file.
	sawEOF bool

	// Chunked.
	state         chunkedState
	chunkLen      uint64 // size being parsed, then bytes left in the chunk
	extensionsCnt uint64
	trailersCnt   int
	maxHeaders    int
	// hasTrailers is hyper's trailers_buf.is_some(): a trailer section has
	// begun and has not been handed out yet.
	hasTrailers bool
	trailersBuf []byte
	trailers    []Header

	// rec receives hyper's decode.rs trace messages as notes (nil: none);
	// cfgMaxHeaders is the configured h1_max_headers they print (0: None).
	rec           *trace.Recorder
	cfgMaxHeaders int
}

// decodeResult is what a ready decode yields: a frame, or an error.
type decodeResult struct {
	frame body.Frame
	err   error
}

// decodeErrorKind mirrors the io::ErrorKind hyper attaches to each decode
// failure, so tests can check the class as hyper's tests do.
type decodeErrorKind uint8

const (
	decodeInvalidInput decodeErrorKind = iota + 1
	decodeInvalidData
	decodeUnexpectedEOF
)

// decodeError is a malformed or truncated body. The Conn wraps it into a
// KindBody *Error.
type decodeError struct {
	kind decodeErrorKind
	msg  string
}

func (e *decodeError) Error() string { return e.msg }

func newDecodeError(kind decodeErrorKind, msg string) *decodeError {
	return &decodeError{kind: kind, msg: msg}
}

// incompleteBodyMessage is hyper's IncompleteBody text: the transport ended
// while body bytes were still owed.
const incompleteBodyMessage = "end of file before message length reached"

// newDecoder returns the decoder for a message framed by length. maxHeaders
// bounds the number of trailer fields; zero or less means hyper's default.
func newDecoder(length DecodedLength, maxHeaders int) Decoder {
	var d Decoder
	d.reset(length, maxHeaders)
	return d
}

// reset turns d into a fresh decoder for the next message, keeping the
// trailer buffers it already owns so steady state does not allocate.
func (d *Decoder) reset(length DecodedLength, maxHeaders int) {
	if maxHeaders <= 0 {
		maxHeaders = decoderDefaultMaxHeaders
	}
	*d = Decoder{
		maxHeaders:  maxHeaders,
		trailersBuf: d.trailersBuf[:0],
		trailers:    d.trailers[:0],
	}
	switch length {
	case LengthChunked:
		d.kind = decoderChunked
	case LengthCloseDelimited:
		d.kind = decoderEOF
	default:
		d.kind = decoderLength
		d.remaining = uint64(length)
	}
}

// clone mirrors hyper's decoder.clone() (used when Reading::Continue turns
// into Reading::Body). A value copy suffices: the original is dropped.
func (d Decoder) clone() Decoder { return d }

// isEOF reports whether the whole body has been read.
func (d *Decoder) isEOF() bool {
	switch d.kind {
	case decoderLength:
		return d.remaining == 0
	case decoderChunked:
		return d.state == chunkedEnd
	default:
		return d.sawEOF
	}
}

// String renders the decoder as the UI shows it in Reading::Body(...):
// hyper's Debug of the kind, with a chunked decoder reduced to its state.
func (d Decoder) String() string {
	switch d.kind {
	case decoderLength:
		return "Length(" + strconv.FormatUint(d.remaining, 10) + ")"
	case decoderChunked:
		return chunkedDecoderNames[d.state]
	case decoderEOF:
		if d.sawEOF {
			return "Eof(true)"
		}
	}
	return "Eof(false)"
}

// decode pulls the next frame of the body from r.
func (d *Decoder) decode(cx *poll.Context, r memReader) poll.Poll[decodeResult] {
	if d.rec != nil {
		d.rec.NoteBytes(appendDecoderDebug(append(d.rec.NoteBuf(), "decode; state="...), d, d.cfgMaxHeaders), refDecode)
	}
	switch d.kind {
	case decoderLength:
		return d.decodeLength(cx, r)
	case decoderChunked:
		return d.decodeChunked(cx, r)
	default:
		return d.decodeEOF(cx, r)
	}
}

func decReadyData(b []byte) poll.Poll[decodeResult] {
	return poll.Ready(decodeResult{frame: body.Frame{Kind: body.FrameData, Data: b}})
}

func readyDecodeErr(err error) poll.Poll[decodeResult] {
	return poll.Ready(decodeResult{err: err})
}

// decCapToInt bounds a 64-bit byte count to what one read can ask for.
func decCapToInt(n uint64) int {
	if n > math.MaxInt {
		return math.MaxInt
	}
	return int(n)
}

func (d *Decoder) decodeLength(cx *poll.Context, r memReader) poll.Poll[decodeResult] {
	if d.remaining == 0 {
		return decReadyData(nil)
	}
	p := r.readMem(cx, decCapToInt(d.remaining))
	if !p.Ready {
		return poll.Pending[decodeResult]()
	}
	if p.Value.err != nil {
		return readyDecodeErr(p.Value.err)
	}
	n := uint64(len(p.Value.b))
	switch {
	case n > d.remaining:
		// A reader never hands out more than asked; stay safe regardless.
		d.remaining = 0
	case n == 0:
		return readyDecodeErr(newDecodeError(decodeUnexpectedEOF, incompleteBodyMessage))
	default:
		d.remaining -= n
	}
	return decReadyData(p.Value.b)
}

// decoderEOFReadSize is how much a close-delimited body asks for per read: about
// two packets, as hyper chooses, since more is rarely available at once.
const decoderEOFReadSize = 8192

func (d *Decoder) decodeEOF(cx *poll.Context, r memReader) poll.Poll[decodeResult] {
	if d.sawEOF {
		return decReadyData(nil)
	}
	p := r.readMem(cx, decoderEOFReadSize)
	if !p.Ready {
		return poll.Pending[decodeResult]()
	}
	if p.Value.err != nil {
		return readyDecodeErr(p.Value.err)
	}
	d.sawEOF = len(p.Value.b) == 0
	return decReadyData(p.Value.b)
}

// chunkedStep is the outcome of one state of the chunked machine: the next
// state, or an error (the state is then left where it was).
type chunkedStep struct {
	next chunkedState
	err  error
}

func chunkedStepTo(s chunkedState) poll.Poll[chunkedStep] {
	return poll.Ready(chunkedStep{next: s})
}

func chunkedStepErr(kind decodeErrorKind, msg string) poll.Poll[chunkedStep] {
	return poll.Ready(chunkedStep{err: newDecodeError(kind, msg)})
}

func (d *Decoder) decodeChunked(cx *poll.Context, r memReader) poll.Poll[decodeResult] {
	for {
		var chunk []byte
		p := d.step(cx, r, &chunk)
		if !p.Ready {
			return poll.Pending[decodeResult]()
		}
		if p.Value.err != nil {
			return readyDecodeErr(p.Value.err)
		}
		d.state = p.Value.next
		if d.state == chunkedEnd {
			if d.rec != nil {
				d.rec.Note("end of chunked", refDecode)
			}
			return d.finishChunked()
		}
		if chunk != nil {
			return decReadyData(chunk)
		}
	}
}

// finishChunked yields what follows the last chunk: the trailers, once, if
// a trailer section was read; otherwise (and on every later call) the empty
// end-of-body frame.
func (d *Decoder) finishChunked() poll.Poll[decodeResult] {
	if !d.hasTrailers {
		return decReadyData(nil)
	}
	d.hasTrailers = false
	if d.rec != nil {
		d.rec.Note("found possible trailers", refDecode)
	}
	trailers, err := d.decodeTrailers()
	if err != nil {
		return readyDecodeErr(err)
	}
	return poll.Ready(decodeResult{frame: body.Frame{Kind: body.FrameTrailers, Trailers: trailers}})
}

// step runs the current state once. chunk receives body bytes when the
// state read some.
func (d *Decoder) step(cx *poll.Context, r memReader, chunk *[]byte) poll.Poll[chunkedStep] {
	switch d.state {
	case chunkedStart:
		return d.readStart(cx, r)
	case chunkedSize:
		return d.readSize(cx, r)
	case chunkedSizeLws:
		return d.readSizeLws(cx, r)
	case chunkedExtension:
		return d.readExtension(cx, r)
	case chunkedSizeLf:
		return d.readSizeLf(cx, r)
	case chunkedBody:
		return d.readBody(cx, r, chunk)
	case chunkedBodyCr:
		return d.readBodyCr(cx, r)
	case chunkedBodyLf:
		return d.readBodyLf(cx, r)
	case chunkedTrailer:
		return d.readTrailer(cx, r)
	case chunkedTrailerLf:
		return d.readTrailerLf(cx, r)
	case chunkedEndCr:
		return d.readEndCr(cx, r)
	case chunkedEndLf:
		return d.readEndLf(cx, r)
	default:
		return chunkedStepTo(chunkedEnd)
	}
}

// readChunkByte pulls one framing byte. When ok is false, early is what the
// state must return: Pending, the transport's error, or hyper's error for an
// EOF inside the framing (hyper uses the same text in every state).
func readChunkByte(cx *poll.Context, r memReader) (b byte, early poll.Poll[chunkedStep], ok bool) {
	p := r.readMem(cx, 1)
	if !p.Ready {
		return 0, poll.Pending[chunkedStep](), false
	}
	if p.Value.err != nil {
		return 0, poll.Ready(chunkedStep{err: p.Value.err}), false
	}
	if len(p.Value.b) == 0 {
		return 0, chunkedStepErr(decodeUnexpectedEOF, "unexpected EOF during chunk size line"), false
	}
	return p.Value.b[0], early, true
}

// chunkedHexValue decodes one HEXDIG (either case).
func chunkedHexValue(b byte) (uint64, bool) {
	switch {
	case b >= '0' && b <= '9':
		return uint64(b - '0'), true
	case b >= 'a' && b <= 'f':
		return uint64(b-'a') + 10, true
	case b >= 'A' && b <= 'F':
		return uint64(b-'A') + 10, true
	}
	return 0, false
}

// addSizeDigit shifts one hex digit into the chunk size.
//
// RFC 9112 §7.1: "Recipients MUST anticipate potentially large hexadecimal
// numerals and prevent parsing errors due to integer conversion overflows
// or precision loss due to integer representation."
func (d *Decoder) addSizeDigit(v uint64) bool {
	if d.chunkLen > (math.MaxUint64-v)/16 {
		return false
	}
	d.chunkLen = d.chunkLen*16 + v
	return true
}

func chunkedSizeOverflow() poll.Poll[chunkedStep] {
	return chunkedStepErr(decodeInvalidData, "invalid chunk size: overflow")
}

// readStart reads the first digit of a chunk size.
//
// RFC 9112 §7.1: chunk-size = 1*HEXDIG — at least one digit is required.
func (d *Decoder) readStart(cx *poll.Context, r memReader) poll.Poll[chunkedStep] {
	if d.rec != nil {
		d.rec.Note("Read chunk start", refChunked)
	}
	b, early, ok := readChunkByte(cx, r)
	if !ok {
		return early
	}
	v, isHex := chunkedHexValue(b)
	if !isHex {
		return chunkedStepErr(decodeInvalidInput, "Invalid chunk size line: missing size digit")
	}
	if !d.addSizeDigit(v) {
		return chunkedSizeOverflow()
	}
	return chunkedStepTo(chunkedSize)
}

// readSize reads further size digits, or what may end them.
//
// RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF.
// Like hyper, whitespace is tolerated after the digits (BWS before a
// chunk-ext), and a bare LF is not accepted as the line end.
func (d *Decoder) readSize(cx *poll.Context, r memReader) poll.Poll[chunkedStep] {
	if d.rec != nil {
		d.rec.Note("Read chunk hex size", refChunked)
	}
	b, early, ok := readChunkByte(cx, r)
	if !ok {
		return early
	}
	if v, isHex := chunkedHexValue(b); isHex {
		if !d.addSizeDigit(v) {
			return chunkedSizeOverflow()
		}
		return chunkedStepTo(chunkedSize)
	}
	switch b {
	case '\t', ' ':
		return chunkedStepTo(chunkedSizeLws)
	case ';':
		return chunkedStepTo(chunkedExtension)
	case '\r':
		return chunkedStepTo(chunkedSizeLf)
	}
	return chunkedStepErr(decodeInvalidInput, "Invalid chunk size line: Invalid Size")
}

// readSizeLws skips whitespace after the size; no digit may follow it.
//
// RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name
// [ BWS "=" BWS chunk-ext-val ] )
func (d *Decoder) readSizeLws(cx *poll.Context, r memReader) poll.Poll[chunkedStep] {
	if d.rec != nil {
		d.rec.Note("read_size_lws", refChunked)
	}
	b, early, ok := readChunkByte(cx, r)
	if !ok {
		return early
	}
	switch b {
	case '\t', ' ':
		return chunkedStepTo(chunkedSizeLws)
	case ';':
		return chunkedStepTo(chunkedExtension)
	case '\r':
		return chunkedStepTo(chunkedSizeLf)
	}
	return chunkedStepErr(decodeInvalidInput, "Invalid chunk size linear white space")
}

// readExtension skips a chunk extension up to the CR that ends the line.
// Extensions carry no meaning here; they are only counted against a limit.
// A bare LF is refused so that a peer which does not check for the CR
// cannot be made to see a different line end than we do.
//
// RFC 9112 §7.1.1: "A recipient MUST ignore unrecognized chunk extensions.
// A server ought to limit the total length of chunk extensions received in
// a request to an amount reasonable for the services provided".
func (d *Decoder) readExtension(cx *poll.Context, r memReader) poll.Poll[chunkedStep] {
	if d.rec != nil {
		d.rec.Note("read_extension", refChunked)
	}
	b, early, ok := readChunkByte(cx, r)
	if !ok {
		return early
	}
	switch b {
	case '\r':
		return chunkedStepTo(chunkedSizeLf)
	case '\n':
		return chunkedStepErr(decodeInvalidData, "invalid chunk extension contains newline")
	}
	d.extensionsCnt++
	if d.extensionsCnt >= chunkedExtensionsLimit {
		return chunkedStepErr(decodeInvalidData, "chunk extensions over limit")
	}
	return chunkedStepTo(chunkedExtension)
}

// readSizeLf ends the size line; a zero size is the last chunk.
//
// RFC 9112 §7.1: last-chunk = 1*("0") [ chunk-ext ] CRLF
func (d *Decoder) readSizeLf(cx *poll.Context, r memReader) poll.Poll[chunkedStep] {
	if d.rec != nil {
		d.rec.NoteNum(numChunkSize, int64(d.chunkLen))
	}
	b, early, ok := readChunkByte(cx, r)
	if !ok {
		return early
	}
	if b != '\n' {
		return chunkedStepErr(decodeInvalidInput, "Invalid chunk size LF")
	}
	if d.chunkLen == 0 {
		return chunkedStepTo(chunkedEndCr)
	}
	if d.rec != nil {
		b := appendUpperHex(append(d.rec.NoteBuf(), "incoming chunked header: 0x"...), d.chunkLen) // {:#X}
		b = strconv.AppendUint(append(b, " ("...), d.chunkLen, 10)
		d.rec.NoteBytes(append(b, " bytes)"...), refChunked)
	}
	return chunkedStepTo(chunkedBody)
}

// readBody hands out up to the rest of the chunk's data.
//
// RFC 9112 §7.1: chunk-data = 1*OCTET ; a sequence of chunk-size octets
func (d *Decoder) readBody(cx *poll.Context, r memReader, chunk *[]byte) poll.Poll[chunkedStep] {
	if d.rec != nil {
		d.rec.NoteNum(numChunkedRead, int64(d.chunkLen))
	}
	p := r.readMem(cx, decCapToInt(d.chunkLen))
	if !p.Ready {
		return poll.Pending[chunkedStep]()
	}
	if p.Value.err != nil {
		return poll.Ready(chunkedStep{err: p.Value.err})
	}
	n := uint64(len(p.Value.b))
	if n == 0 {
		d.chunkLen = 0
		return chunkedStepErr(decodeUnexpectedEOF, incompleteBodyMessage)
	}
	*chunk = p.Value.b
	if n >= d.chunkLen {
		d.chunkLen = 0
		return chunkedStepTo(chunkedBodyCr)
	}
	d.chunkLen -= n
	return chunkedStepTo(chunkedBody)
}

// readBodyCr and readBodyLf require the CRLF after chunk-data.
//
// RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
func (d *Decoder) readBodyCr(cx *poll.Context, r memReader) poll.Poll[chunkedStep] {
	b, early, ok := readChunkByte(cx, r)
	if !ok {
		return early
	}
	if b != '\r' {
		return chunkedStepErr(decodeInvalidInput, "Invalid chunk body CR")
	}
	return chunkedStepTo(chunkedBodyLf)
}

func (d *Decoder) readBodyLf(cx *poll.Context, r memReader) poll.Poll[chunkedStep] {
	b, early, ok := readChunkByte(cx, r)
	if !ok {
		return early
	}
	if b != '\n' {
		return chunkedStepErr(decodeInvalidInput, "Invalid chunk body LF")
	}
	return chunkedStepTo(chunkedStart)
}

// putTrailerByte keeps one byte of the trailer section, failing once the
// section reaches trailerLimit.
func (d *Decoder) putTrailerByte(b byte) bool {
	d.trailersBuf = append(d.trailersBuf, b)
	return len(d.trailersBuf) < trailerLimit
}

func chunkedTrailersOverLimit() poll.Poll[chunkedStep] {
	return chunkedStepErr(decodeInvalidData, "chunk trailers bytes over limit")
}

// readTrailer collects a trailer field line up to its CR.
//
// RFC 9112 §7.1.2: trailer-section = *( field-line CRLF )
func (d *Decoder) readTrailer(cx *poll.Context, r memReader) poll.Poll[chunkedStep] {
	if d.rec != nil {
		d.rec.Note("read_trailer", refChunked)
	}
	b, early, ok := readChunkByte(cx, r)
	if !ok {
		return early
	}
	if !d.putTrailerByte(b) {
		return chunkedTrailersOverLimit()
	}
	if b == '\r' {
		return chunkedStepTo(chunkedTrailerLf)
	}
	return chunkedStepTo(chunkedTrailer)
}

// readTrailerLf ends a trailer field line and counts it.
func (d *Decoder) readTrailerLf(cx *poll.Context, r memReader) poll.Poll[chunkedStep] {
	b, early, ok := readChunkByte(cx, r)
	if !ok {
		return early
	}
	if b != '\n' {
		return chunkedStepErr(decodeInvalidInput, "Invalid trailer end LF")
	}
	if d.trailersCnt >= d.maxHeaders {
		return chunkedStepErr(decodeInvalidData, "chunk trailers count overflow")
	}
	d.trailersCnt++
	if !d.putTrailerByte(b) {
		return chunkedTrailersOverLimit()
	}
	return chunkedStepTo(chunkedEndCr)
}

// readEndCr is after the last chunk or a trailer line: either the CR of
// the final CRLF, or the first byte of another trailer field line.
//
// RFC 9112 §7.1: chunked-body = *chunk last-chunk trailer-section CRLF
func (d *Decoder) readEndCr(cx *poll.Context, r memReader) poll.Poll[chunkedStep] {
	b, early, ok := readChunkByte(cx, r)
	if !ok {
		return early
	}
	if b == '\r' {
		if d.hasTrailers && !d.putTrailerByte(b) {
			return chunkedTrailersOverLimit()
		}
		return chunkedStepTo(chunkedEndLf)
	}
	if !d.hasTrailers {
		// The first byte of the section starts the buffer unchecked, as in
		// hyper; the limit applies from the second byte on.
		d.hasTrailers = true
		d.trailersBuf = append(d.trailersBuf[:0], b)
		return chunkedStepTo(chunkedTrailer)
	}
	if !d.putTrailerByte(b) {
		return chunkedTrailersOverLimit()
	}
	return chunkedStepTo(chunkedTrailer)
}

// readEndLf requires the LF of the final CRLF.
func (d *Decoder) readEndLf(cx *poll.Context, r memReader) poll.Poll[chunkedStep] {
	b, early, ok := readChunkByte(cx, r)
	if !ok {
		return early
	}
	if b != '\n' {
		return chunkedStepErr(decodeInvalidInput, "Invalid chunk end LF")
	}
	if d.hasTrailers && !d.putTrailerByte(b) {
		return chunkedTrailersOverLimit()
	}
	return chunkedStepTo(chunkedEnd)
}

// decodeTrailers parses the buffered trailer section into fields, as hyper
// does with httparse::parse_headers sized to the counted lines, then
// normalizes them as building an http::HeaderMap would: names lowercased,
// values of one name adjacent in order of the name's first appearance.
// The fields point into d.trailersBuf.
func (d *Decoder) decodeTrailers() ([]Header, error) {
	hs, err := parseTrailerFields(d.trailersBuf, d.trailers[:0], d.trailersCnt)
	d.trailers = hs[:0]
	if err != nil {
		return nil, err
	}
	// httparse only admits token names and field-value bytes, which
	// HeaderName and HeaderValue both accept, so hyper's conversion errors
	// cannot happen here.
	for i := range hs {
		trailerLowerInPlace(hs[i].Name)
	}
	groupTrailersByName(hs)
	return hs, nil
}

// trailerTokenChars are the tchar bytes of a field name (RFC 9110 §5.6.2),
// the set httparse accepts.
var trailerTokenChars = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range []byte("!#$%&'*+-.^_`|~") {
		t[c] = true
	}
	return t
}()

// trailerValueByte is httparse's header-value byte set: HTAB, SP, VCHAR and
// obs-text.
func trailerValueByte(b byte) bool {
	return b == '\t' || (b >= ' ' && b != 0x7f)
}

const (
	httparseHeaderName    = "invalid header name"
	httparseHeaderValue   = "invalid header value"
	httparseNewLine       = "invalid new line"
	httparseTooManyFields = "too many headers"
	httparsePartial       = "Partial header"
)

// parseTrailerFields reads field lines from buf until the empty line,
// appending at most limit fields to dst. It follows httparse's default
// parser: a bare LF ends a line, no whitespace before the colon, no
// obs-fold, trailing whitespace trimmed from values.
func parseTrailerFields(buf []byte, dst []Header, limit int) ([]Header, error) {
	pos := 0
	for {
		if pos >= len(buf) {
			return dst, newDecodeError(decodeInvalidInput, httparsePartial)
		}
		switch buf[pos] {
		case '\n':
			return dst, nil
		case '\r':
			if pos+1 >= len(buf) {
				return dst, newDecodeError(decodeInvalidInput, httparsePartial)
			}
			if buf[pos+1] != '\n' {
				return dst, newDecodeError(decodeInvalidInput, httparseNewLine)
			}
			return dst, nil
		}
		h, next, msg := parseTrailerField(buf, pos)
		if msg != "" {
			return dst, newDecodeError(decodeInvalidInput, msg)
		}
		// httparse notices the missing slot only after the whole line.
		if len(dst) >= limit {
			return dst, newDecodeError(decodeInvalidInput, httparseTooManyFields)
		}
		dst = append(dst, h)
		pos = next
	}
}

// parseTrailerField parses the field line at buf[pos:], returning the
// field, the offset after its line end, or an httparse error text.
func parseTrailerField(buf []byte, pos int) (h Header, next int, msg string) {
	start := pos
	for pos < len(buf) && trailerTokenChars[buf[pos]] {
		pos++
	}
	if pos >= len(buf) {
		return h, 0, httparsePartial
	}
	if pos == start || buf[pos] != ':' {
		return h, 0, httparseHeaderName
	}
	h.Name = buf[start:pos]
	pos++
	for pos < len(buf) && (buf[pos] == ' ' || buf[pos] == '\t') {
		pos++
	}
	valueStart := pos
	for pos < len(buf) && trailerValueByte(buf[pos]) {
		pos++
	}
	valueEnd := pos
	next, msg = parseFieldLineEnd(buf, pos)
	if msg != "" {
		return h, 0, msg
	}
	for valueEnd > valueStart && (buf[valueEnd-1] == ' ' || buf[valueEnd-1] == '\t') {
		valueEnd--
	}
	h.Value = buf[valueStart:valueEnd]
	return h, next, ""
}

// parseFieldLineEnd accepts CRLF or a bare LF at buf[pos:].
func parseFieldLineEnd(buf []byte, pos int) (next int, msg string) {
	if pos >= len(buf) {
		return 0, httparsePartial
	}
	switch buf[pos] {
	case '\n':
		return pos + 1, ""
	case '\r':
		if pos+1 >= len(buf) {
			return 0, httparsePartial
		}
		if buf[pos+1] == '\n' {
			return pos + 2, ""
		}
	}
	return 0, httparseHeaderValue
}

func trailerLowerInPlace(b []byte) {
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
}

// groupTrailersByName reorders hs in place, stably, so that fields sharing a
// name follow the first field of that name: the order an http::HeaderMap
// iterates in. Names must already be lowercase.
func groupTrailersByName(hs []Header) {
	for i := 0; i < len(hs); {
		end := i + 1
		for j := end; j < len(hs); j++ {
			if bytes.Equal(hs[j].Name, hs[i].Name) {
				h := hs[j]
				copy(hs[end+1:j+1], hs[end:j])
				hs[end] = h
				end++
			}
		}
		i = end
	}
}
