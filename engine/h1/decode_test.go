package h1

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
)

// decTestReader is a memReader over bytes the test delivers. It hands out
// at most maxRead bytes per read (0 = no cap), returns Pending (registering
// nothing: the test driver is the waker) when it has nothing but is not at
// EOF, and EOF once told. Each read is copied into one scratch buffer that
// the next read overwrites, so a decoder keeping a slice past the next
// readMem is caught.
type decTestReader struct {
	avail   []byte
	maxRead int
	eof     bool
	err     error // returned once avail is exhausted, instead of EOF/Pending
	scratch []byte
	reads   int
}

func (r *decTestReader) readMem(_ *poll.Context, n int) poll.Poll[memRead] {
	r.reads++
	if len(r.avail) == 0 {
		switch {
		case r.err != nil:
			return poll.Ready(memRead{err: r.err})
		case r.eof:
			return poll.Ready(memRead{})
		}
		return poll.Pending[memRead]()
	}
	k := min(n, len(r.avail))
	if r.maxRead > 0 {
		k = min(k, r.maxRead)
	}
	r.scratch = append(r.scratch[:0], r.avail[:k]...)
	r.avail = r.avail[k:]
	return poll.Ready(memRead{b: r.scratch})
}

// decOutcome is everything observable about decoding one body.
type decOutcome struct {
	data     string
	trailers string // "name: value\n" per field; "<none>" when no trailers frame
	err      string
	errKind  decodeErrorKind
	state    string // Decoder.String() when decoding stopped
	eof      bool   // isEOF() when decoding stopped
	rest     string // bytes left unread (delivered or not)
}

func (o decOutcome) String() string {
	return fmt.Sprintf("data=%q trailers=%q err=%q kind=%d state=%s eof=%v rest=%q",
		o.data, o.trailers, o.err, o.errKind, o.state, o.eof, o.rest)
}

// decRun describes how bytes reach the decoder.
type decRun struct {
	name    string
	maxRead int // cap per readMem, 0 = none
	feed    int // bytes delivered per Pending, 0 = all up front
}

var decRuns = []decRun{
	{"whole", 0, 0},
	{"max1", 1, 0},
	{"max7", 7, 0},
	{"feed1", 0, 1},
	{"feed7", 0, 7},
	{"max7feed1", 7, 1},
	{"max1feed7", 1, 7},
}

func formatTrailers(hs []Header) string {
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "%s: %s\n", h.Name, h.Value)
	}
	return b.String()
}

// runDecoder decodes input until the body ends, fails, or stalls with no
// more input, and reports what was seen. At the end of input it signals
// EOF when eofAtEnd.
func runDecoder(t testing.TB, d *Decoder, input []byte, eofAtEnd bool, run decRun) decOutcome {
	t.Helper()
	r := &decTestReader{maxRead: run.maxRead}
	src := input
	deliver := func() bool {
		if len(src) == 0 {
			if eofAtEnd && !r.eof {
				r.eof = true
				return true
			}
			return false
		}
		k := len(src)
		if run.feed > 0 {
			k = min(k, run.feed)
		}
		r.avail = append(r.avail, src[:k]...)
		src = src[k:]
		return true
	}
	if run.feed == 0 {
		deliver()
	}
	cx := poll.NewContext()
	out := decOutcome{trailers: "<none>"}
	var data []byte
	// Every ready decode consumes input or ends; Pending is followed by a
	// delivery. So this bound is generous and catches a spinning decoder.
	limit := 4*len(input) + 16
	for i := 0; ; i++ {
		if i > limit {
			t.Fatalf("%s: decoder did not finish within %d polls", run.name, limit)
		}
		p := d.decode(cx, r)
		if !p.Ready {
			if deliver() {
				continue
			}
			break
		}
		if p.Value.err != nil {
			out.err = p.Value.err.Error()
			var de *decodeError
			if errors.As(p.Value.err, &de) {
				out.errKind = de.kind
			}
			break
		}
		f := p.Value.frame
		if f.Kind == body.FrameTrailers {
			out.trailers = formatTrailers(f.Trailers)
			checkEndIsSticky(t, d, cx, r, run)
			break
		}
		if f.Kind != body.FrameData {
			t.Fatalf("%s: unexpected frame kind %d", run.name, f.Kind)
		}
		if len(f.Data) == 0 {
			if !d.isEOF() {
				t.Fatalf("%s: empty data frame before end of body (%s)", run.name, d)
			}
			checkEndIsSticky(t, d, cx, r, run)
			break
		}
		data = append(data, f.Data...)
	}
	out.data = string(data)
	out.state = d.String()
	out.eof = d.isEOF()
	out.rest = string(r.avail) + string(src)
	return out
}

// checkEndIsSticky asserts that a finished decoder keeps answering with the
// empty end frame and reads nothing more (hyper's test_read_chunked_after_eof).
func checkEndIsSticky(t testing.TB, d *Decoder, cx *poll.Context, r *decTestReader, run decRun) {
	t.Helper()
	if !d.isEOF() {
		t.Fatalf("%s: body ended but isEOF is false (%s)", run.name, d)
	}
	before, reads := len(r.avail), r.reads
	for i := 0; i < 2; i++ {
		p := d.decode(cx, r)
		if !p.Ready || p.Value.err != nil || p.Value.frame.Kind != body.FrameData || len(p.Value.frame.Data) != 0 {
			t.Fatalf("%s: decode after end = %+v, want empty data frame", run.name, p)
		}
	}
	// An Eof decoder has seen EOF, a Length(0) or Chunked(End) one needs
	// nothing: none of them may touch the reader again.
	if len(r.avail) != before || r.reads != reads {
		t.Fatalf("%s: decode after end read from the transport", run.name)
	}
}

type decCase struct {
	name       string
	length     DecodedLength
	maxHeaders int
	input      string
	eof        bool // signal EOF after input
	want       decOutcome
}

// done is the outcome of a body decoded in full.
func done(data, state string) decOutcome {
	return decOutcome{data: data, trailers: "<none>", state: state, eof: true}
}

func doneTrailers(data, trailers string) decOutcome {
	return decOutcome{data: data, trailers: trailers, state: "Chunked(End)", eof: true}
}

func failed(data, state string, kind decodeErrorKind, msg string) decOutcome {
	return decOutcome{data: data, trailers: "<none>", state: state, err: msg, errKind: kind}
}

// failedTrailers is a body whose framing ended but whose trailer section
// did not parse: hyper reports the error from Chunked(End).
func failedTrailers(msg string) decOutcome {
	o := failed("", "Chunked(End)", decodeInvalidInput, msg)
	o.eof = true
	return o
}

func stalled(data, state string) decOutcome {
	return decOutcome{data: data, trailers: "<none>", state: state}
}

const eofInFraming = "unexpected EOF during chunk size line"

func decodeCases() []decCase {
	large := strings.Repeat("0123456789abcdef", 4096) // 64 KiB
	extPerChunk := strings.Repeat("x", chunkedExtensionsLimit*2/3)
	var many, tooMany strings.Builder
	var manyWant strings.Builder
	for i := 0; i <= 10; i++ {
		line := fmt.Sprintf("trailer%d: %d\r\n", i, i)
		if i < 10 {
			many.WriteString(line)
			fmt.Fprintf(&manyWant, "trailer%d: %d\n", i, i)
		}
		tooMany.WriteString(line)
	}
	// The trailer section may reach trailerLimit-1 bytes, counted from its
	// first byte through the final CRLF: "a: " + value + "\r\n\r\n".
	fits := strings.Repeat("v", trailerLimit-1-7)
	overflows := fits + "v"

	return []decCase{
		// Content-Length.
		{name: "length 0", length: LengthZero, input: "", want: done("", "Length(0)")},
		{name: "length 5", length: 5, input: "hello", want: done("hello", "Length(0)")},
		{name: "length large", length: DecodedLength(len(large)), input: large, want: done(large, "Length(0)")},
		{name: "length early eof", length: 10, input: "foo bar", eof: true,
			want: failed("foo bar", "Length(3)", decodeUnexpectedEOF, incompleteBodyMessage)},
		{name: "length eof at once", length: 3, input: "", eof: true,
			want: failed("", "Length(3)", decodeUnexpectedEOF, incompleteBodyMessage)},
		{name: "length stalled", length: 10, input: "foo bar", want: stalled("foo bar", "Length(3)")},

		// Chunked, valid.
		{name: "chunked simple", length: LengthChunked, input: "5\r\nhello\r\n0\r\n\r\n",
			want: done("hello", "Chunked(End)")},
		{name: "chunked empty body", length: LengthChunked, input: "0\r\n\r\n", want: done("", "Chunked(End)")},
		{name: "chunked multiple", length: LengthChunked, input: "3\r\nfoo\r\n3\r\nbar\r\n0\r\n\r\n",
			want: done("foobar", "Chunked(End)")},
		{name: "chunked 16 bytes", length: LengthChunked, input: "10\r\n1234567890abcdef\r\n0\r\n\r\n",
			want: done("1234567890abcdef", "Chunked(End)")},
		{name: "chunked uppercase hex", length: LengthChunked, input: "A\r\n0123456789\r\nFf\r\n" + large[:255] + "\r\n0\r\n\r\n",
			want: done("0123456789"+large[:255], "Chunked(End)")},
		{name: "chunked leading zeros", length: LengthChunked, input: "01\r\nx\r\n000\r\n\r\n",
			want: done("x", "Chunked(End)")},
		{name: "chunked large chunk", length: LengthChunked, input: "10000\r\n" + large + "\r\n0\r\n\r\n",
			want: done(large, "Chunked(End)")},
		{name: "chunked extension", length: LengthChunked, input: "5;foo=bar\r\nhello\r\n0\r\n\r\n",
			want: done("hello", "Chunked(End)")},
		{name: "chunked odd extensions", length: LengthChunked,
			input: "1;;;  ;\r\na\r\n3   ; extension=123\r\nbcd\r\n2; ext name=value\r\nef\r\n0;last\r\n\r\n",
			want:  done("abcdef", "Chunked(End)")},
		{name: "chunked lws after size", length: LengthChunked, input: "5 \t \r\nhello\r\n0\t\r\n\r\n",
			want: done("hello", "Chunked(End)")},
		{name: "chunked max size then eof", length: LengthChunked, input: "ffffffffffffffff\r\nab", eof: true,
			want: failed("ab", "Chunked(Body)", decodeUnexpectedEOF, incompleteBodyMessage)},

		// Chunked, trailers.
		{name: "trailers", length: LengthChunked,
			input: "5\r\nhello\r\n0\r\nExpires: Wed, 21 Oct 2015 07:28:00 GMT\r\nX-Stream-Error: failed to decode\r\n\r\n",
			want:  doneTrailers("hello", "expires: Wed, 21 Oct 2015 07:28:00 GMT\nx-stream-error: failed to decode\n")},
		{name: "trailers duplicates grouped", length: LengthChunked,
			input: "0\r\nX-Trace: first\r\nOther: o\r\nx-trace: second\r\n\r\n",
			want:  doneTrailers("", "x-trace: first\nx-trace: second\nother: o\n")},
		{name: "trailers value trimmed", length: LengthChunked, input: "0\r\nA: \t b c \t\r\nB:\r\n\r\n",
			want: doneTrailers("", "a: b c\nb: \n")},
		{name: "trailers at count limit", length: LengthChunked, maxHeaders: 10,
			input: "10\r\n1234567890abcdef\r\n0\r\n" + many.String() + "\r\n",
			want:  doneTrailers("1234567890abcdef", manyWant.String())},
		{name: "trailers over count limit", length: LengthChunked, maxHeaders: 10,
			input: "10\r\n1234567890abcdef\r\n0\r\n" + tooMany.String() + "\r\n",
			want:  failed("1234567890abcdef", "Chunked(TrailerLf)", decodeInvalidData, "chunk trailers count overflow")},
		{name: "trailers just under byte limit", length: LengthChunked, input: "0\r\na: " + fits + "\r\n\r\n",
			want: doneTrailers("", "a: "+fits+"\n")},
		{name: "trailers over byte limit", length: LengthChunked, input: "0\r\na: " + overflows + "\r\n\r\n",
			want: failed("", "Chunked(EndLf)", decodeInvalidData, "chunk trailers bytes over limit")},
		{name: "trailer missing lf", length: LengthChunked, input: "10\r\n1234567890abcdef\r\n0\r\nbad\r\r\n",
			want: failed("1234567890abcdef", "Chunked(TrailerLf)", decodeInvalidInput, "Invalid trailer end LF")},
		{name: "trailer without colon", length: LengthChunked, input: "0\r\nbad\r\n\r\n",
			want: failedTrailers("invalid header name")},
		{name: "trailer space in name", length: LengthChunked, input: "0\r\nbad name: x\r\n\r\n",
			want: failedTrailers("invalid header name")},
		{name: "trailer control in value", length: LengthChunked, input: "0\r\na: b\x01c\r\n\r\n",
			want: failedTrailers("invalid header value")},
		// A bare LF inside a trailer line is not a line end to the chunked
		// state machine (one counted line) but is to httparse (two fields).
		{name: "trailer bare lf splits fields", length: LengthChunked, input: "0\r\na: b\nc: d\r\n\r\n",
			want: failedTrailers("too many headers")},
		// After the last chunk a bare LF starts a trailer section; hyper then
		// accepts an empty one.
		{name: "bare lf after last chunk", length: LengthChunked, input: "0\r\n\n\r\n\r\n",
			want: doneTrailers("", "")},

		// Chunked, malformed.
		{name: "size overflow", length: LengthChunked, input: "ffffffffffffffffff\r\n",
			want: failed("", "Chunked(Size)", decodeInvalidData, "invalid chunk size: overflow")},
		{name: "size overflow 17 digits", length: LengthChunked, input: "f0000000000000003\r\n",
			want: failed("", "Chunked(Size)", decodeInvalidData, "invalid chunk size: overflow")},
		{name: "missing size digit", length: LengthChunked, input: "X\r\n",
			want: failed("", "Chunked(Start)", decodeInvalidInput, "Invalid chunk size line: missing size digit")},
		{name: "negative size", length: LengthChunked, input: "-1\r\n",
			want: failed("", "Chunked(Start)", decodeInvalidInput, "Invalid chunk size line: missing size digit")},
		{name: "empty size line", length: LengthChunked, input: "\r\n",
			want: failed("", "Chunked(Start)", decodeInvalidInput, "Invalid chunk size line: missing size digit")},
		{name: "invalid size char", length: LengthChunked, input: "1X\r\n",
			want: failed("", "Chunked(Size)", decodeInvalidInput, "Invalid chunk size line: Invalid Size")},
		{name: "bare lf after size", length: LengthChunked, input: "5\nhello\r\n0\r\n\r\n",
			want: failed("", "Chunked(Size)", decodeInvalidInput, "Invalid chunk size line: Invalid Size")},
		{name: "digit after lws", length: LengthChunked, input: "1 A\r\n",
			want: failed("", "Chunked(SizeLws)", decodeInvalidInput, "Invalid chunk size linear white space")},
		{name: "lws then text", length: LengthChunked, input: "1 invalid extension\r\n",
			want: failed("", "Chunked(SizeLws)", decodeInvalidInput, "Invalid chunk size linear white space")},
		{name: "cr without lf after size", length: LengthChunked, input: "F\rF",
			want: failed("", "Chunked(SizeLf)", decodeInvalidInput, "Invalid chunk size LF")},
		{name: "extension newline", length: LengthChunked, input: "1;reject\nnewlines\r\n",
			want: failed("", "Chunked(Extension)", decodeInvalidData, "invalid chunk extension contains newline")},
		{name: "extensions over limit", length: LengthChunked,
			input: "1;" + extPerChunk + "\r\nA\r\n1;" + extPerChunk + "\r\nA\r\n0\r\n\r\n",
			want:  failed("A", "Chunked(Extension)", decodeInvalidData, "chunk extensions over limit")},
		{name: "missing crlf after data", length: LengthChunked, input: "5\r\nhelloX\r\n0\r\n\r\n",
			want: failed("hello", "Chunked(BodyCr)", decodeInvalidInput, "Invalid chunk body CR")},
		{name: "bare lf after data", length: LengthChunked, input: "5\r\nhello\n0\r\n\r\n",
			want: failed("hello", "Chunked(BodyCr)", decodeInvalidInput, "Invalid chunk body CR")},
		{name: "cr without lf after data", length: LengthChunked, input: "5\r\nhello\rX",
			want: failed("hello", "Chunked(BodyLf)", decodeInvalidInput, "Invalid chunk body LF")},
		{name: "missing zero digit", length: LengthChunked, input: "1\r\nZ\r\n\r\n\r\n",
			want: failed("Z", "Chunked(Start)", decodeInvalidInput, "Invalid chunk size line: missing size digit")},
		{name: "cr without lf at end", length: LengthChunked, input: "0\r\n\rX",
			want: failed("", "Chunked(EndLf)", decodeInvalidInput, "Invalid chunk end LF")},

		// Chunked, EOF in every state.
		{name: "eof in start", length: LengthChunked, input: "", eof: true,
			want: failed("", "Chunked(Start)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof in size", length: LengthChunked, input: "5", eof: true,
			want: failed("", "Chunked(Size)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof in size lws", length: LengthChunked, input: "5 ", eof: true,
			want: failed("", "Chunked(SizeLws)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof in extension", length: LengthChunked, input: "1;no CRLF", eof: true,
			want: failed("", "Chunked(Extension)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof in size lf", length: LengthChunked, input: "5\r", eof: true,
			want: failed("", "Chunked(SizeLf)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof in body", length: LengthChunked, input: "9\r\nfoo bar", eof: true,
			want: failed("foo bar", "Chunked(Body)", decodeUnexpectedEOF, incompleteBodyMessage)},
		{name: "eof in body cr", length: LengthChunked, input: "3\r\nfoo", eof: true,
			want: failed("foo", "Chunked(BodyCr)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof in body lf", length: LengthChunked, input: "3\r\nfoo\r", eof: true,
			want: failed("foo", "Chunked(BodyLf)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof in next start", length: LengthChunked, input: "3\r\nfoo\r\n", eof: true,
			want: failed("foo", "Chunked(Start)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof in end cr", length: LengthChunked, input: "10\r\n1234567890abcdef\r\n0\r\n", eof: true,
			want: failed("1234567890abcdef", "Chunked(EndCr)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof in end lf", length: LengthChunked, input: "0\r\n\r", eof: true,
			want: failed("", "Chunked(EndLf)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof in trailer", length: LengthChunked, input: "0\r\na: b", eof: true,
			want: failed("", "Chunked(Trailer)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof in trailer lf", length: LengthChunked, input: "0\r\na: b\r", eof: true,
			want: failed("", "Chunked(TrailerLf)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof after trailer line", length: LengthChunked, input: "0\r\na: b\r\n", eof: true,
			want: failed("", "Chunked(EndCr)", decodeUnexpectedEOF, eofInFraming)},
		{name: "eof after bare lf at end", length: LengthChunked, input: "0\r\n\n", eof: true,
			want: failed("", "Chunked(Trailer)", decodeUnexpectedEOF, eofInFraming)},

		// Chunked, stalled without EOF: the state waits at the right byte.
		{name: "stalled in body", length: LengthChunked, input: "5\r\nhel", want: stalled("hel", "Chunked(Body)")},
		{name: "stalled in size", length: LengthChunked, input: "1f", want: stalled("", "Chunked(Size)")},
		{name: "stalled in end lf", length: LengthChunked, input: "1\r\nx\r\n0\r\n\r", want: stalled("x", "Chunked(EndLf)")},

		// Close-delimited.
		{name: "eof body", length: LengthCloseDelimited, input: "foobar", eof: true, want: done("foobar", "Eof(true)")},
		{name: "eof body empty", length: LengthCloseDelimited, input: "", eof: true, want: done("", "Eof(true)")},
		{name: "eof body large", length: LengthCloseDelimited, input: large, eof: true, want: done(large, "Eof(true)")},
		{name: "eof body stalled", length: LengthCloseDelimited, input: "foobar", want: stalled("foobar", "Eof(false)")},
	}
}

// nextRequest is what follows a body on a keep-alive connection; a decoder
// must leave it unread.
const nextRequest = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n"

func TestDecoderTable(t *testing.T) {
	for _, tc := range decodeCases() {
		t.Run(tc.name, func(t *testing.T) {
			// Where a failing body stops is not in the table, but every way
			// of delivering the bytes must stop at the same byte.
			firstRest := ""
			for i, run := range decRuns {
				d := newDecoder(tc.length, tc.maxHeaders)
				got := runDecoder(t, &d, []byte(tc.input), tc.eof, run)
				if i == 0 {
					firstRest = got.rest
				} else if got.rest != firstRest {
					t.Errorf("%s: stopped with %q unread, %s with %q", run.name, got.rest, decRuns[0].name, firstRest)
				}
				if tc.want.err != "" {
					got.rest = ""
				}
				if got != tc.want {
					t.Errorf("%s:\n got %v\nwant %v", run.name, got, tc.want)
				}
			}
			// With the next message queued behind the body, a body that
			// completes must stop exactly at its end. (A close-delimited
			// body has no end but EOF, so it has no "after".)
			if !tc.want.eof || tc.want.err != "" || tc.length == LengthCloseDelimited {
				return
			}
			want := tc.want
			want.rest = nextRequest
			for _, run := range decRuns {
				d := newDecoder(tc.length, tc.maxHeaders)
				got := runDecoder(t, &d, []byte(tc.input+nextRequest), false, run)
				if got != want {
					t.Errorf("%s with trailing data:\n got %v\nwant %v", run.name, got, want)
				}
			}
		})
	}
}

// readChunkSize steps a chunked decoder over one size line, as hyper's
// test_read_chunk_size does with ChunkedState::step, until the state that
// follows the line. It returns the size or the error.
func readChunkSize(s string) (uint64, error) {
	d := newDecoder(LengthChunked, 0)
	r := &decTestReader{avail: []byte(s), eof: true}
	cx := poll.NewContext()
	for range len(s) + 2 {
		var chunk []byte
		p := d.step(cx, r, &chunk)
		if !p.Ready {
			return 0, errors.New("pending")
		}
		if p.Value.err != nil {
			return 0, p.Value.err
		}
		d.state = p.Value.next
		if d.state == chunkedBody || d.state == chunkedEndCr {
			return d.chunkLen, nil
		}
	}
	return 0, errors.New("no end of size line")
}

func TestChunkSizeLine(t *testing.T) {
	ok := []struct {
		line string
		size uint64
	}{
		{"1\r\n", 1}, {"01\r\n", 1}, {"0\r\n", 0}, {"00\r\n", 0}, {"A\r\n", 10}, {"a\r\n", 10},
		{"Ff\r\n", 255}, {"Ff   \r\n", 255}, {"ffffffffffffffff\r\n", 1<<64 - 1},
		// Acceptable (if not fully valid) extensions do not change the size.
		{"1;extension\r\n", 1}, {"a;ext name=value\r\n", 10}, {"1;extension;extension2\r\n", 1},
		{"1;;;  ;\r\n", 1}, {"2; extension...\r\n", 2}, {"3   ; extension=123\r\n", 3},
		{"3   ;\r\n", 3}, {"3   ;   \r\n", 3},
	}
	for _, c := range ok {
		got, err := readChunkSize(c.line)
		if err != nil || got != c.size {
			t.Errorf("%q: got %d, %v; want %d", c.line, got, err, c.size)
		}
	}
	bad := []struct {
		line string
		kind decodeErrorKind
	}{
		{"F\rF", decodeInvalidInput}, {"F", decodeUnexpectedEOF},
		{"\r\n\r\n", decodeInvalidInput}, {"\r\n", decodeInvalidInput},
		{"X\r\n", decodeInvalidInput}, {"1X\r\n", decodeInvalidInput},
		{"-\r\n", decodeInvalidInput}, {"-1\r\n", decodeInvalidInput},
		{"1 invalid extension\r\n", decodeInvalidInput}, {"1 A\r\n", decodeInvalidInput},
		{"1;no CRLF", decodeUnexpectedEOF}, {"1;reject\nnewlines\r\n", decodeInvalidData},
		{"f0000000000000003\r\n", decodeInvalidData},
	}
	for _, c := range bad {
		_, err := readChunkSize(c.line)
		var de *decodeError
		if !errors.As(err, &de) || de.kind != c.kind {
			t.Errorf("%q: got %v, want error of kind %d", c.line, err, c.kind)
		}
	}
}

func TestDecoderTransportError(t *testing.T) {
	boom := errors.New("connection reset")
	for _, length := range []DecodedLength{5, LengthChunked, LengthCloseDelimited} {
		d := newDecoder(length, 0)
		r := &decTestReader{err: boom}
		p := d.decode(poll.NewContext(), r)
		if !p.Ready || p.Value.err != boom {
			t.Errorf("%s: got %+v, want the transport's error", d, p)
		}
	}
	// Mid-framing too.
	d := newDecoder(LengthChunked, 0)
	r := &decTestReader{avail: []byte("3\r\nabc\r"), err: boom}
	cx := poll.NewContext()
	if p := d.decode(cx, r); string(p.Value.frame.Data) != "abc" {
		t.Fatalf("first frame = %+v", p)
	}
	if p := d.decode(cx, r); p.Value.err != boom || d.String() != "Chunked(BodyLf)" {
		t.Errorf("got %+v in %s, want the transport's error in Chunked(BodyLf)", p, d)
	}
}

func TestDecoderStrings(t *testing.T) {
	cases := []struct {
		d    Decoder
		want string
	}{
		{newDecoder(LengthZero, 0), "Length(0)"},
		{newDecoder(5, 0), "Length(5)"},
		{newDecoder(LengthChunked, 0), "Chunked(Start)"},
		{newDecoder(LengthCloseDelimited, 0), "Eof(false)"},
		{Decoder{}, "Length(0)"},
	}
	for _, c := range cases {
		if got := c.d.String(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	d := newDecoder(LengthZero, 0)
	if !d.isEOF() {
		t.Error("Length(0) decoder should be at EOF at once")
	}
	c := newDecoder(LengthChunked, 0)
	c.state = chunkedSize
	if got := c.clone().String(); got != "Chunked(Size)" {
		t.Errorf("clone = %q", got)
	}
}

// TestDecoderResetReusesTrailers checks that trailer storage survives
// reset, so a connection reusing its Decoder does not allocate per message.
func TestDecoderResetReusesTrailers(t *testing.T) {
	input := []byte("0\r\nA: 1\r\nB: 2\r\n\r\n")
	d := newDecoder(LengthChunked, 0)
	first := runDecoder(t, &d, input, false, decRuns[0])
	d.reset(LengthChunked, 0)
	if d.String() != "Chunked(Start)" || d.isEOF() {
		t.Fatalf("reset decoder = %s", d)
	}
	second := runDecoder(t, &d, input, false, decRuns[0])
	if first != second || first.trailers != "a: 1\nb: 2\n" {
		t.Fatalf("first %v, second %v", first, second)
	}
	d.reset(7, 0)
	if d.String() != "Length(7)" {
		t.Fatalf("reset to length = %s", d)
	}
}

// chunkedBodyForAllocs is a chunked body of several 1 KiB chunks.
func chunkedBodyForAllocs(trailers string) []byte {
	var b []byte
	for range 4 {
		b = append(b, "400\r\n"...)
		b = append(b, strings.Repeat("z", 1024)...)
		b = append(b, "\r\n"...)
	}
	b = append(b, "0\r\n"...)
	b = append(b, trailers...)
	return append(b, "\r\n"...)
}

// decodeAll drains d over r; it is the steady-state loop the allocation
// tests measure.
func decodeAll(t testing.TB, d *Decoder, cx *poll.Context, r memReader) (n int) {
	for range 1 << 16 {
		p := d.decode(cx, r)
		if !p.Ready || p.Value.err != nil {
			t.Fatalf("decode: %+v", p)
		}
		if p.Value.frame.Kind == body.FrameTrailers {
			return n
		}
		if len(p.Value.frame.Data) == 0 {
			return n
		}
		n += len(p.Value.frame.Data)
	}
	t.Fatal("decoder did not finish")
	return n
}

func TestDecoderAllocs(t *testing.T) {
	cx := poll.NewContext()
	cases := []struct {
		name   string
		length DecodedLength
		input  []byte
	}{
		{"chunked", LengthChunked, chunkedBodyForAllocs("")},
		{"chunked with trailers", LengthChunked, chunkedBodyForAllocs("Grpc-Status: 0\r\nX-A: b\r\n")},
		{"length", 4096, []byte(strings.Repeat("y", 4096))},
	}
	for _, c := range cases {
		r := &decTestReader{scratch: make([]byte, 0, 8192)}
		d := newDecoder(c.length, 0)
		allocs := testing.AllocsPerRun(50, func() {
			r.avail = c.input
			d.reset(c.length, 0)
			if n := decodeAll(t, &d, cx, r); n != 4096 {
				t.Fatalf("decoded %d bytes", n)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per body, want 0", c.name, allocs)
		}
	}
}

func BenchmarkDecodeChunked1KB(b *testing.B) {
	input := []byte("400\r\n" + strings.Repeat("z", 1024) + "\r\n")
	cx := poll.NewContext()
	r := &decTestReader{scratch: make([]byte, 0, 2048)}
	var d Decoder
	b.SetBytes(1024)
	b.ReportAllocs()
	for b.Loop() {
		r.avail = input
		d.reset(LengthChunked, 0)
		if p := d.decode(cx, r); len(p.Value.frame.Data) != 1024 {
			b.Fatalf("decode: %+v", p)
		}
	}
}
