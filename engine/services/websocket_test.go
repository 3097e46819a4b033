package services

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/trace"
)

const wsSampleKey = "dGhlIHNhbXBsZSBub25jZQ=="

var wsTestMask = [4]byte{0x37, 0xfa, 0x21, 0x3d}

// cf is a masked client frame.
func cf(fin bool, op byte, payload []byte) []byte {
	return wsAppendFrame(nil, fin, op, payload, &wsTestMask)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func closePayload(code int, reason string) []byte {
	return append([]byte{byte(code >> 8), byte(code)}, reason...)
}

// gotFrame is a frame as the tests compare it (fields exported for
// websocket_session_test.go, through export_test.go).
type gotFrame struct {
	Fin     bool
	Op      byte
	Payload string
}

func (g gotFrame) String() string {
	return fmt.Sprintf("%s fin=%v %q", wsOpName(g.Op), g.Fin, g.Payload)
}

func decodeAll(t *testing.T, b []byte) []gotFrame {
	t.Helper()
	var d wsDecoder
	var fs []gotFrame
	for len(b) > 0 {
		n, f, fail := d.decode(b)
		b = b[n:]
		if fail.failed() {
			t.Fatalf("server sent a bad frame: %d %s", fail.code, fail.why)
		}
		if f != nil {
			if f.masked {
				t.Fatalf("server frame is masked")
			}
			fs = append(fs, gotFrame{f.fin, f.op, string(f.payload)})
		} else if len(b) > 0 {
			t.Fatal("decoder stalled")
		}
	}
	if d.have || d.hn > 0 {
		t.Fatalf("server output ends inside a frame")
	}
	return fs
}

func closeFrame(code int) gotFrame {
	return gotFrame{true, wsOpClose, string(closePayload(code, ""))}
}

func TestWSAccept(t *testing.T) {
	if got := wsAccept([]byte(wsSampleKey)); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("accept for the RFC sample key = %q", got)
	}
}

// Frames from RFC 6455 §5.7, and the extended lengths.
var wsCodecCases = []struct {
	name   string
	wire   []byte
	masked bool
	fin    bool
	op     byte
	data   []byte
}{
	{"unmasked text", []byte{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}, false, true, wsOpText, []byte("Hello")},
	{"masked text", []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}, true, true, wsOpText, []byte("Hello")},
	{"first fragment", []byte{0x01, 0x03, 0x48, 0x65, 0x6c}, false, false, wsOpText, []byte("Hel")},
	{"last fragment", []byte{0x80, 0x02, 0x6c, 0x6f}, false, true, wsOpContinuation, []byte("lo")},
	{"ping", []byte{0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}, false, true, wsOpPing, []byte("Hello")},
	{"masked pong", []byte{0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}, true, true, wsOpPong, []byte("Hello")},
	{"empty close", []byte{0x88, 0x00}, false, true, wsOpClose, []byte{}},
	{"125 bytes", append([]byte{0x82, 0x7d}, pattern(125)...), false, true, wsOpBinary, pattern(125)},
	{"126 bytes, 16-bit length", append([]byte{0x82, 0x7e, 0x00, 0x7e}, pattern(126)...), false, true, wsOpBinary, pattern(126)},
	{"256 bytes, 16-bit length", append([]byte{0x82, 0x7e, 0x01, 0x00}, pattern(256)...), false, true, wsOpBinary, pattern(256)},
	{"65535 bytes, 16-bit length", append([]byte{0x82, 0x7e, 0xff, 0xff}, pattern(65535)...), false, true, wsOpBinary, pattern(65535)},
	{"64 KiB, 64-bit length", append([]byte{0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0}, pattern(65536)...), false, true, wsOpBinary, pattern(65536)},
	{"masked 64 KiB", cf(true, wsOpBinary, pattern(65536)), true, true, wsOpBinary, pattern(65536)},
	{"masked 300, 16-bit length", cf(false, wsOpBinary, pattern(300)), true, false, wsOpBinary, pattern(300)},
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

func TestWSCodec(t *testing.T) {
	trailing := []byte{0x81, 0x85, 0x37} // the start of another frame
	for _, c := range wsCodecCases {
		t.Run(c.name, func(t *testing.T) {
			// the encoder writes exactly these bytes
			var mask *[4]byte
			if c.masked {
				mask = &wsTestMask
			}
			if enc := wsAppendFrame([]byte("x"), c.fin, c.op, c.data, mask); !bytes.Equal(enc[1:], c.wire) {
				t.Fatalf("encoder: % x\nwant     % x", enc[1:min(len(enc), 24)], c.wire[:min(len(c.wire), 23)])
			}
			for _, step := range []int{0, 1, 2, 3, 7} {
				var d wsDecoder
				in := cat(c.wire, trailing)
				var got *wsFrame
				used := 0
				for got == nil {
					end := len(in)
					if step > 0 {
						end = min(used+step, len(in))
					}
					if used == end {
						t.Fatalf("step %d: no frame after %d bytes", step, used)
					}
					n, f, fail := d.decode(in[used:end])
					if fail.failed() {
						t.Fatalf("step %d: %d %s", step, fail.code, fail.why)
					}
					used += n
					got = f
				}
				if used != len(c.wire) {
					t.Fatalf("step %d: consumed %d bytes of a %d-byte frame", step, used, len(c.wire))
				}
				if got.fin != c.fin || got.op != c.op || got.masked != c.masked || got.length != uint64(len(c.data)) || !bytes.Equal(got.payload, c.data) {
					t.Fatalf("step %d: got fin=%v op=%d masked=%v len=%d", step, got.fin, got.op, got.masked, got.length)
				}
				// the trailing bytes start the next frame
				n, f, fail := d.decode(in[used:])
				if n != len(trailing) || f != nil || fail.failed() {
					t.Fatalf("step %d: trailing data: n=%d f=%v fail=%v", step, n, f, fail)
				}
			}
		})
	}
}

func TestWSDecoderRefusesEarly(t *testing.T) {
	for _, c := range []struct {
		name string
		wire []byte
		at   int // the byte count after which the failure shows
		code uint16
	}{
		{"rsv1", []byte{0xc1, 0x80, 0, 0, 0, 0}, 2, wsCloseProtocol},
		{"rsv3", []byte{0x91, 0x80, 0, 0, 0, 0}, 2, wsCloseProtocol},
		{"reserved opcode 3", []byte{0x83, 0x80, 0, 0, 0, 0}, 2, wsCloseProtocol},
		{"reserved opcode 0xb", []byte{0x8b, 0x80, 0, 0, 0, 0}, 2, wsCloseProtocol},
		{"fragmented ping", []byte{0x09, 0x80, 0, 0, 0, 0}, 2, wsCloseProtocol},
		{"ping of 126", []byte{0x89, 0xfe, 0, 126, 0, 0, 0, 0}, 2, wsCloseProtocol},
		{"unmasked", []byte{0x81, 0x05, 'h', 'e', 'l', 'l', 'o'}, 2, wsCloseProtocol},
		{"64-bit high bit", []byte{0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}, 14, wsCloseProtocol},
		{"frame over 1 MiB", []byte{0x82, 0xff, 0, 0, 0, 0, 0, 0x10, 0, 1, 0, 0, 0, 0}, 14, wsCloseTooBig},
		{"frame of 2^63-1", []byte{0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}, 14, wsCloseTooBig},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, step := range []int{1, 0} {
				d := wsDecoder{requireMask: true}
				used := 0
				var fail wsFail
				for !fail.failed() && used < len(c.wire) {
					end := len(c.wire)
					if step > 0 {
						end = used + step
					}
					var n int
					n, _, fail = d.decode(c.wire[used:end])
					used += n
				}
				if fail.code != c.code || used != c.at {
					t.Fatalf("step %d: failed %v after %d bytes, want code %d after %d", step, fail, used, c.code, c.at)
				}
				// sticky: nothing more is consumed
				if n, f, again := d.decode([]byte{0x81, 0x80, 0, 0, 0, 0}); n != 0 || f != nil || again != fail {
					t.Fatalf("after failing: n=%d f=%v fail=%v", n, f, again)
				}
			}
		})
	}
}

// feedConn runs a wsConn on input split every step bytes (0: whole) and
// returns the frames it sent.
func feedConn(t *testing.T, in []byte, step int) ([]gotFrame, *wsConn) {
	t.Helper()
	c := newWSConn(nil)
	for len(in) > 0 && !c.closing {
		k := len(in)
		if step > 0 && step < k {
			k = step
		}
		n := c.feed(in[:k])
		if n < k && !c.closing {
			t.Fatalf("feed consumed %d of %d bytes without closing", n, k)
		}
		in = in[k:]
	}
	return decodeAll(t, c.out), c
}

func TestWSProtocol(t *testing.T) {
	big := pattern(wsMaxMessage / 2)
	for _, c := range []struct {
		name string
		in   []byte
		want []gotFrame
	}{
		{"text echo", cf(true, wsOpText, []byte("hello")), []gotFrame{{true, wsOpText, "hello"}}},
		{"binary echo", cf(true, wsOpBinary, []byte{0, 1, 0xff}), []gotFrame{{true, wsOpBinary, "\x00\x01\xff"}}},
		{"empty text", cf(true, wsOpText, nil), []gotFrame{{true, wsOpText, ""}}},
		{"fragmented with ping between",
			cat(cf(false, wsOpText, []byte("hel")), cf(true, wsOpPing, []byte("p")), cf(false, wsOpContinuation, nil), cf(true, wsOpContinuation, []byte("lo"))),
			[]gotFrame{{true, wsOpPong, "p"}, {true, wsOpText, "hello"}}},
		{"UTF-8 split across fragments", cat(cf(false, wsOpText, []byte("h\xc3")), cf(true, wsOpContinuation, []byte("\xa9"))),
			[]gotFrame{{true, wsOpText, "hé"}}},
		{"unsolicited pong ignored", cat(cf(true, wsOpPong, []byte("x")), cf(true, wsOpText, []byte("a"))), []gotFrame{{true, wsOpText, "a"}}},
		{"ping 125", cf(true, wsOpPing, pattern(125)), []gotFrame{{true, wsOpPong, string(pattern(125))}}},
		{"close without code", cf(true, wsOpClose, nil), []gotFrame{closeFrame(1000)}},
		{"close 1000", cf(true, wsOpClose, closePayload(1000, "bye")), []gotFrame{closeFrame(1000)}},
		{"close 1001 echoed", cf(true, wsOpClose, closePayload(1001, "")), []gotFrame{closeFrame(1001)}},
		{"close 4000 echoed", cf(true, wsOpClose, closePayload(4000, "")), []gotFrame{closeFrame(4000)}},
		{"nothing read after close", cat(cf(true, wsOpClose, nil), cf(true, wsOpText, []byte("late"))), []gotFrame{closeFrame(1000)}},
		{"message of exactly 1 MiB", cat(cf(false, wsOpBinary, big), cf(true, wsOpContinuation, big)),
			[]gotFrame{{true, wsOpBinary, string(big) + string(big)}}},

		{"unmasked", []byte{0x81, 0x01, 'a'}, []gotFrame{{true, wsOpClose, string(closePayload(1002, "client frame not masked"))}}},
		{"rsv", cat([]byte{0xa1}, cf(true, wsOpText, []byte("a"))[1:]), []gotFrame{{true, wsOpClose, string(closePayload(1002, "reserved bits set without a negotiated extension"))}}},
		{"reserved opcode", cf(true, 0x3, nil), []gotFrame{{true, wsOpClose, string(closePayload(1002, "reserved opcode"))}}},
		{"ping over 125", cat([]byte{0x89, 0xfe, 0, 126}, wsTestMask[:], pattern(126)), []gotFrame{{true, wsOpClose, string(closePayload(1002, "control frame payload over 125 bytes"))}}},
		{"fragmented ping", cf(false, wsOpPing, nil), []gotFrame{{true, wsOpClose, string(closePayload(1002, "fragmented control frame"))}}},
		{"new message inside a fragmented one", cat(cf(false, wsOpText, []byte("a")), cf(true, wsOpBinary, []byte("b"))),
			[]gotFrame{{true, wsOpClose, string(closePayload(1002, "new data frame inside a fragmented message"))}}},
		{"continuation without a message", cf(true, wsOpContinuation, []byte("a")),
			[]gotFrame{{true, wsOpClose, string(closePayload(1002, "continuation frame without a message to continue"))}}},
		{"invalid UTF-8", cf(true, wsOpText, []byte("a\xff")), []gotFrame{{true, wsOpClose, string(closePayload(1007, "text message is not valid UTF-8"))}}},
		{"truncated UTF-8 at message end", cat(cf(false, wsOpText, []byte("a")), cf(true, wsOpContinuation, []byte("\xc3"))),
			[]gotFrame{{true, wsOpClose, string(closePayload(1007, "text message is not valid UTF-8"))}}},
		{"binary is not UTF-8 checked", cf(true, wsOpBinary, []byte{0xff}), []gotFrame{{true, wsOpBinary, "\xff"}}},
		{"frame over 1 MiB", cat([]byte{0x82, 0xff, 0, 0, 0, 0, 0, 0x10, 0, 1}, wsTestMask[:]),
			[]gotFrame{{true, wsOpClose, string(closePayload(1009, "frame payload over 1 MiB"))}}},
		{"message over 1 MiB", cat(cf(false, wsOpBinary, big), cf(false, wsOpContinuation, big), cf(true, wsOpContinuation, []byte{1})),
			[]gotFrame{{true, wsOpClose, string(closePayload(1009, "message over 1 MiB"))}}},
		{"close of 1 byte", cf(true, wsOpClose, []byte{3}), []gotFrame{{true, wsOpClose, string(closePayload(1002, "close payload of 1 byte"))}}},
		{"close 1005 is not for the wire", cf(true, wsOpClose, closePayload(1005, "")), []gotFrame{{true, wsOpClose, string(closePayload(1002, "invalid close status code"))}}},
		{"close 999", cf(true, wsOpClose, closePayload(999, "")), []gotFrame{{true, wsOpClose, string(closePayload(1002, "invalid close status code"))}}},
		{"close reason not UTF-8", cf(true, wsOpClose, closePayload(1000, "\xff")), []gotFrame{{true, wsOpClose, string(closePayload(1007, "close reason is not valid UTF-8"))}}},
		{"echo then violation", cat(cf(true, wsOpText, []byte("ok")), []byte{0x81, 0x00}),
			[]gotFrame{{true, wsOpText, "ok"}, {true, wsOpClose, string(closePayload(1002, "client frame not masked"))}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			steps := []int{0, 1, 5}
			if len(c.in) > 1<<16 {
				steps = []int{0, 4093}
			}
			for _, step := range steps {
				got, conn := feedConn(t, c.in, step)
				if fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Fatalf("step %d: sent %s\nwant %s", step, abbrev(got), abbrev(c.want))
				}
				last := c.want[len(c.want)-1]
				if wantClosing := last.Op == wsOpClose; conn.closing != wantClosing {
					t.Fatalf("step %d: closing %v", step, conn.closing)
				}
			}
		})
	}
}

func abbrev(fs []gotFrame) string {
	var parts []string
	for _, f := range fs {
		s := f.String()
		if len(s) > 80 {
			s = s[:80] + fmt.Sprintf("... (%d bytes)", len(f.Payload))
		}
		parts = append(parts, s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// FuzzWSFrames feeds arbitrary bytes to the protocol in pieces: it never
// panics, its output is independent of how the input is split, it never
// sends more than it was sent plus one close frame, and it buffers at most
// one message.
func FuzzWSFrames(f *testing.F) {
	for _, seed := range [][]byte{
		cf(true, wsOpText, []byte("hello")),
		cat(cf(false, wsOpBinary, []byte{1, 2}), cf(true, wsOpPing, []byte("p")), cf(true, wsOpContinuation, []byte{3})),
		cf(true, wsOpClose, closePayload(1000, "")),
		cf(true, wsOpClose, []byte{1}),
		{0x81, 0x05, 'h', 'e', 'l', 'l', 'o'},
		{0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4},
		cat([]byte{0x82, 0xfe, 0x01, 0x00}, wsTestMask[:], pattern(256)),
		cf(true, wsOpText, []byte("\xff")),
	} {
		f.Add(seed, uint8(0))
		f.Add(seed, uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		whole := newWSConn(nil)
		whole.feed(data)
		c := newWSConn(trace.New())
		step := int(split)%17 + 1
		for i := 0; i < len(data) && !c.closing; i += step {
			c.feed(data[i:min(i+step, len(data))])
			if len(c.msg) > wsMaxMessage || cap(c.dec.f.payload) > 2*wsMaxFrame {
				t.Fatalf("buffered %d message bytes, %d frame bytes", len(c.msg), cap(c.dec.f.payload))
			}
		}
		if !bytes.Equal(whole.out, c.out) || whole.closing != c.closing {
			t.Fatalf("split %d changes the output:\n% x\n% x", step, whole.out, c.out)
		}
		if len(c.out) > len(data)+2+wsMaxControl {
			t.Fatalf("sent %d bytes for %d received", len(c.out), len(data))
		}
		// what it sends is well-formed, unmasked, and a close comes last
		var d wsDecoder
		out := c.out
		for len(out) > 0 {
			n, fr, fail := d.decode(out)
			if fail.failed() || (n == 0 && fr == nil) {
				t.Fatalf("bad output frame: %v", fail)
			}
			out = out[n:]
			if fr != nil && fr.masked {
				t.Fatal("masked output")
			}
			if fr != nil && fr.op == wsOpClose && len(out) > 0 {
				t.Fatal("frames after close")
			}
		}
		if d.have || d.hn != 0 {
			t.Fatal("output ends inside a frame")
		}
	})
}
