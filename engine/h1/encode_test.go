package h1

import (
	"errors"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/body"
)

func TestEncoderChunked(t *testing.T) {
	e := newChunkedEncoder()
	var dst []byte
	e.encode(&dst, []byte("foo bar"))
	if string(dst) != "7\r\nfoo bar\r\n" {
		t.Fatalf("got %q", dst)
	}
	e.encode(&dst, []byte("baz quux herp"))
	if string(dst) != "7\r\nfoo bar\r\nD\r\nbaz quux herp\r\n" {
		t.Fatalf("got %q", dst)
	}
	if err := e.end(&dst); err != nil {
		t.Fatal(err)
	}
	if string(dst) != "7\r\nfoo bar\r\nD\r\nbaz quux herp\r\n0\r\n\r\n" {
		t.Fatalf("got %q", dst)
	}
	if e.isEOF() || !e.isChunked() || e.isCloseDelimited() {
		t.Fatalf("flags of %s", e)
	}
}

func TestEncoderChunkSizeHex(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{1, "1"}, {15, "F"}, {16, "10"}, {255, "FF"}, {4096, "1000"}, {0xABCDE, "ABCDE"}} {
		e := newChunkedEncoder()
		var dst []byte
		e.encode(&dst, make([]byte, c.n))
		if got := string(dst[:len(c.want)+2]); got != c.want+"\r\n" {
			t.Errorf("%d: got %q, want %q", c.n, got, c.want+"\r\n")
		}
		if len(dst) != len(c.want)+2+c.n+2 {
			t.Errorf("%d: encoded length %d", c.n, len(dst))
		}
	}
}

func TestEncoderLength(t *testing.T) {
	e := newLengthEncoder(8)
	var dst []byte
	e.encode(&dst, []byte("foo bar"))
	if string(dst) != "foo bar" || e.isEOF() {
		t.Fatalf("got %q eof=%v", dst, e.isEOF())
	}
	err := e.end(&dst)
	var ne *notEOFError
	if !errors.As(err, &ne) || ne.remaining != 1 || err.Error() != "early end, expected 1 more bytes" {
		t.Fatalf("end = %v", err)
	}
	if string(dst) != "foo bar" {
		t.Fatalf("failed end wrote %q", dst)
	}
	// The excess is cut at the declared length.
	e.encode(&dst, []byte("baz"))
	if string(dst) != "foo barb" || !e.isEOF() {
		t.Fatalf("got %q eof=%v", dst, e.isEOF())
	}
	if err := e.end(&dst); err != nil || string(dst) != "foo barb" {
		t.Fatalf("end = %v, %q", err, dst)
	}
}

func TestEncoderCloseDelimited(t *testing.T) {
	e := newCloseDelimitedEncoder()
	var dst []byte
	e.encode(&dst, []byte("foo bar"))
	if err := e.end(&dst); err != nil || e.isEOF() {
		t.Fatalf("end = %v, eof=%v", err, e.isEOF())
	}
	e.encode(&dst, []byte("baz"))
	if err := e.end(&dst); err != nil || string(dst) != "foo barbaz" || e.isEOF() {
		t.Fatalf("got %q, %v, eof=%v", dst, err, e.isEOF())
	}
	if !e.isCloseDelimited() || e.isChunked() {
		t.Fatal("flags")
	}
}

func TestEncoderEmptyChunkWritesNothing(t *testing.T) {
	for _, e := range []Encoder{newChunkedEncoder(), newLengthEncoder(3), newCloseDelimitedEncoder()} {
		var dst []byte
		e.encode(&dst, nil)
		if len(dst) != 0 {
			t.Errorf("%s: empty chunk wrote %q", e, dst)
		}
	}
}

func TestEncoderEncodeAndEnd(t *testing.T) {
	cases := []struct {
		name      string
		enc       Encoder
		last      bool
		chunk     string
		want      string
		keepAlive bool
	}{
		{"chunked", newChunkedEncoder(), false, "foo", "3\r\nfoo\r\n0\r\n\r\n", true},
		{"chunked last", newChunkedEncoder(), true, "foo", "3\r\nfoo\r\n0\r\n\r\n", false},
		{"chunked empty", newChunkedEncoder(), false, "", "0\r\n\r\n", true},
		{"length equal", newLengthEncoder(3), false, "foo", "foo", true},
		{"length equal last", newLengthEncoder(3), true, "foo", "foo", false},
		{"length greater", newLengthEncoder(2), false, "foo", "fo", true},
		{"length greater last", newLengthEncoder(2), true, "foo", "fo", false},
		{"length less", newLengthEncoder(5), false, "foo", "foo", false},
		{"close delimited", newCloseDelimitedEncoder(), false, "foo", "foo", false},
	}
	for _, c := range cases {
		e := c.enc
		e.setLast(c.last)
		dst := []byte("HEAD|")
		ka := e.encodeAndEnd(&dst, []byte(c.chunk))
		if string(dst) != "HEAD|"+c.want || ka != c.keepAlive {
			t.Errorf("%s: got %q keepAlive=%v, want %q %v", c.name, dst, ka, "HEAD|"+c.want, c.keepAlive)
		}
		// Like hyper's encode_and_end, the encoder itself is left as it was.
		if e.String() != c.enc.String() {
			t.Errorf("%s: encodeAndEnd changed the encoder", c.name)
		}
	}
}

func TestEncoderStrings(t *testing.T) {
	cases := []struct {
		e    Encoder
		want string
	}{
		{newLengthEncoder(5), "Length(5)"},
		{newChunkedEncoder(), "Chunked"},
		{newCloseDelimitedEncoder(), "CloseDelimited"},
		{Encoder{}, "Length(0)"},
	}
	for _, c := range cases {
		if got := c.e.String(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	if !(Encoder{}).isEOF() {
		t.Error("zero Encoder should be Length(0), at EOF")
	}
	e := newChunkedEncoder()
	e.setLast(true)
	if !e.isLast() {
		t.Error("setLast")
	}
}

// encFields builds header fields from name, value pairs.
func encFields(kv ...string) []Header {
	var out []Header
	for i := 0; i < len(kv); i += 2 {
		out = append(out, body.H(kv[i], kv[i+1]))
	}
	return out
}

func TestEncoderTrailers(t *testing.T) {
	cases := []struct {
		name      string
		declared  []string // Trailer header values
		trailers  []Header
		titleCase bool
		want      string // "" = nothing written, ok false
	}{
		{"valid", []string{"chunky-trailer"},
			encFields("chunky-trailer", "header data", "should-not-be-included", "oops"), false,
			"0\r\nchunky-trailer: header data\r\n\r\n"},
		{"multiple", []string{"chunky-trailer, chunky-trailer-2"},
			encFields("chunky-trailer", "header data", "chunky-trailer-2", "more header data"), false,
			"0\r\nchunky-trailer: header data\r\nchunky-trailer-2: more header data\r\n\r\n"},
		{"multiple Trailer headers", []string{"a", "b"},
			encFields("b", "2", "a", "1"), false,
			"0\r\nb: 2\r\na: 1\r\n\r\n"},
		{"duplicate values", []string{"chunky-trailer"},
			encFields("chunky-trailer", "first", "chunky-trailer", "second"), false,
			"0\r\nchunky-trailer: first\r\nchunky-trailer: second\r\n\r\n"},
		{"grouped by first appearance", []string{"a, b"},
			encFields("a", "1", "b", "2", "A", "3"), false,
			"0\r\na: 1\r\na: 3\r\nb: 2\r\n\r\n"},
		{"no Trailer header", nil, encFields("chunky-trailer", "header data"), false, ""},
		{"empty Trailer header", []string{""}, encFields("chunky-trailer", "header data"), false, ""},
		{"none declared present", []string{"other"}, encFields("chunky-trailer", "header data"), false, ""},
		{"invalid fields", []string{"authorization, cache-control, content-encoding, content-length, " +
			"content-range, content-type, host, max-forwards, set-cookie, trailer, transfer-encoding, te"},
			encFields("authorization", "x", "cache-control", "x", "content-encoding", "x", "content-length", "x",
				"content-range", "x", "content-type", "x", "host", "x", "max-forwards", "x",
				"set-cookie", "x", "trailer", "x", "transfer-encoding", "x", "te", "x"), true, ""},
		{"invalid mixed with valid", []string{"Content-Length, X-Sum"},
			encFields("content-length", "3", "x-sum", "abc"), false, "0\r\nx-sum: abc\r\n\r\n"},
		{"title case", []string{"chunky-trailer"}, encFields("chunky-trailer", "header data"), true,
			"0\r\nChunky-Trailer: header data\r\n\r\n"},
		{"case-insensitive matching", []string{"Chunky-Trailer"}, encFields("chunky-trailer", "trailer value"), false,
			"0\r\nchunky-trailer: trailer value\r\n\r\n"},
		{"names lowercased", []string{"x-sum"}, encFields("X-SUM", "1"), false, "0\r\nx-sum: 1\r\n\r\n"},
		{"declared items trimmed, invalid skipped", []string{" \tx-a ,bad name,,\"q\", x-b\t"},
			encFields("x-b", "2", "bad name", "n", "x-a", "1"), false, "0\r\nx-b: 2\r\nx-a: 1\r\n\r\n"},
		{"non-visible Trailer value ignored", []string{"x-a\x01"}, encFields("x-a", "1"), false, ""},
	}
	for _, c := range cases {
		e := newChunkedEncoder()
		for _, v := range c.declared {
			e.addTrailerFields([]byte(v))
		}
		dst := []byte("7\r\nfoo bar\r\n")
		ok := e.encodeTrailers(&dst, c.trailers, c.titleCase)
		got := strings.TrimPrefix(string(dst), "7\r\nfoo bar\r\n")
		if ok != (c.want != "") || got != c.want {
			t.Errorf("%s: got %q ok=%v, want %q", c.name, got, ok, c.want)
		}
	}
}

func TestEncoderTrailersNotChunked(t *testing.T) {
	for _, e := range []Encoder{newLengthEncoder(3), newCloseDelimitedEncoder()} {
		e.addTrailerFields([]byte("x-a"))
		var dst []byte
		if e.encodeTrailers(&dst, encFields("x-a", "1"), false) || len(dst) != 0 {
			t.Errorf("%s: wrote trailers %q", e, dst)
		}
	}
}

func TestEncoderAllocs(t *testing.T) {
	chunk := []byte(strings.Repeat("q", 1000))
	trailers := encFields("x-checksum", "abc", "x-more", "1")
	dst := make([]byte, 0, 8192)
	declared := newChunkedEncoder()
	declared.addTrailerFields([]byte("x-checksum, x-more"))
	cases := []struct {
		name string
		fn   func()
	}{
		{"chunked", func() {
			e := newChunkedEncoder()
			dst = dst[:0]
			e.encode(&dst, chunk)
			e.encode(&dst, chunk)
			_ = e.end(&dst)
		}},
		{"chunked encodeAndEnd", func() {
			e := newChunkedEncoder()
			dst = dst[:0]
			e.encodeAndEnd(&dst, chunk)
		}},
		{"chunked trailers", func() {
			e := declared
			dst = dst[:0]
			e.encode(&dst, chunk)
			if !e.encodeTrailers(&dst, trailers, true) {
				t.Fatal("no trailers")
			}
		}},
		{"length", func() {
			e := newLengthEncoder(2000)
			dst = dst[:0]
			e.encode(&dst, chunk)
			e.encode(&dst, chunk)
			_ = e.end(&dst)
		}},
	}
	for _, c := range cases {
		if a := testing.AllocsPerRun(100, c.fn); a != 0 {
			t.Errorf("%s: %v allocations, want 0", c.name, a)
		}
	}
}
