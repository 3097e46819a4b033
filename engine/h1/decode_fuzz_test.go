package h1

import (
	"strings"
	"testing"
)

// FuzzChunkedDecoder feeds arbitrary bytes to a chunked decoder, whole and
// one byte per read. The decoder must not panic or spin, must never hand
// out more bytes than it was given, and must reach the same outcome however
// the bytes are split.
func FuzzChunkedDecoder(f *testing.F) {
	for _, seed := range []string{
		"0\r\n\r\n",
		"5\r\nhello\r\n0\r\n\r\n",
		"3\r\nfoo\r\n3\r\nbar\r\n0\r\n\r\n",
		"A\r\n0123456789\r\n0\r\n\r\n",
		"5;foo=bar\r\nhello\r\n0;x\r\n\r\n",
		"5 \t\r\nhello\r\n0\r\n\r\n",
		"5\r\nhello\r\n0\r\nExpires: Wed, 21 Oct 2015 07:28:00 GMT\r\nX-A: b\r\n\r\n",
		"10\r\n1234567890abcdef\r\n0\r\nbad\r\r\n",
		"ffffffffffffffffff\r\n",
		"1\r\nZ\r\n\r\n\r\n",
		"0\r\n\n\r\n\r\n",
		"0\r\na: b\nc: d\r\n\r\n",
		"1;" + strings.Repeat("x", 100) + "\r\nA\r\n0\r\n\r\n",
	} {
		f.Add([]byte(seed), uint8(0))
		f.Add([]byte(seed+nextRequest), uint8(3))
	}
	f.Fuzz(func(t *testing.T, input []byte, maxHeaders uint8) {
		var first decOutcome
		for i, run := range []decRun{{"whole", 0, 0}, {"max1", 1, 0}, {"feed7", 0, 7}} {
			d := newDecoder(LengthChunked, int(maxHeaders))
			// runDecoder fails the test if the decoder needs more polls
			// than the input can justify.
			got := runDecoder(t, &d, input, true, run)
			if len(got.data) > len(input) {
				t.Fatalf("%s: decoded %d bytes from %d", run.name, len(got.data), len(input))
			}
			if len(got.data)+len(got.rest) > len(input) {
				t.Fatalf("%s: decoded plus unread exceeds input", run.name)
			}
			if i == 0 {
				first = got
			} else if got != first {
				t.Fatalf("%s differs from whole:\n got %v\nwant %v", run.name, got, first)
			}
		}
	})
}
