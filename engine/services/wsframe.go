package services

// The WebSocket frame codec (RFC 6455 §5.2): a decoder that can be fed any
// split of the byte stream, one byte at a time if need be, and an encoder.
//
//	 0               1               2               3
//	+-+-+-+-+-------+-+-------------+-------------------------------+
//	|F|R|R|R| opcode|M| Payload len |    Extended payload length    |
//	|I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
//	|N|V|V|V|       |S|             |   (if payload len==126/127)   |
//	| |1|2|3|       |K|             |                               |
//	+-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
//	|     Extended payload length continued, if payload len == 127  |
//	+ - - - - - - - - - - - - - - - +-------------------------------+
//	|                               |Masking-key, if MASK set to 1  |
//	+-------------------------------+-------------------------------+
//	| Masking-key (continued)       |          Payload Data         |
//	+-------------------------------- - - - - - - - - - - - - - - - +

// Opcodes (§5.2, §11.8).
const (
	wsOpContinuation byte = 0x0
	wsOpText         byte = 0x1
	wsOpBinary       byte = 0x2
	wsOpClose        byte = 0x8
	wsOpPing         byte = 0x9
	wsOpPong         byte = 0xA
)

// wsOpNames are the opcode names the trace shows (constant strings).
var wsOpNames = [16]string{
	"continuation", "text", "binary", "reserved-3", "reserved-4", "reserved-5", "reserved-6", "reserved-7",
	"close", "ping", "pong", "reserved-b", "reserved-c", "reserved-d", "reserved-e", "reserved-f",
}

func wsOpName(op byte) string { return wsOpNames[op&0xF] }

// wsIsControl: opcodes with the high bit set are control frames (§5.5).
func wsIsControl(op byte) bool { return op&0x8 != 0 }

func wsOpKnown(op byte) bool {
	switch op {
	case wsOpContinuation, wsOpText, wsOpBinary, wsOpClose, wsOpPing, wsOpPong:
		return true
	}
	return false
}

// Close status codes (§7.4.1).
const (
	wsCloseNormal      = 1000
	wsCloseProtocol    = 1002
	wsCloseInvalidData = 1007
	wsCloseTooBig      = 1009
)

// wsMaxControl is the largest control frame payload (§5.5).
const wsMaxControl = 125

// wsMaxFrame bounds any one frame's payload the decoder will buffer. A
// message is capped at the same size, so a single frame can never need more.
const wsMaxFrame = 1 << 20

// wsFail is a reason to fail the WebSocket connection: the close code to
// send and a short reason (a constant string). The zero value is no failure.
type wsFail struct {
	code uint16
	why  string
}

func (f wsFail) failed() bool { return f.code != 0 }

// wsHeader is a frame header.
type wsHeader struct {
	fin    bool
	rsv    byte // RSV1..3 as the bits 0b100, 0b010, 0b001
	op     byte
	masked bool
	mask   [4]byte
	length uint64
}

// wsFrame is a decoded frame: its header and its unmasked payload.
type wsFrame struct {
	wsHeader
	payload []byte
}

// wsDecoder decodes frames from a byte stream fed in pieces of any size. It
// keeps at most one frame's header and payload, and refuses (with a close
// code) any frame whose payload would exceed wsMaxFrame before buffering
// a byte of it.
type wsDecoder struct {
	// requireMask makes an unmasked frame a protocol error, as a server
	// must (§5.1).
	requireMask bool
	// check, if set, vets each header once it is complete (before its
	// payload): the connection's sequencing and message-size rules.
	check func(h *wsHeader) wsFail

	hdr  [14]byte // header bytes so far
	hn   int      // how many
	need int      // the header's full length, once the first two bytes are in (0 before)
	have bool     // the header is complete; payload follows
	f    wsFrame
	err  wsFail // sticky: once failed, the decoder consumes nothing
}

// wsHeaderLen is the header length the first two bytes announce.
func wsHeaderLen(b1 byte) int {
	n := 2
	switch b1 & 0x7F {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if b1&0x80 != 0 {
		n += 4
	}
	return n
}

// decode consumes bytes from p. It returns how many it consumed and, when a
// frame completed, that frame (valid until the next call); or a failure, after
// which it consumes nothing more. It stops after each complete frame, so a
// caller loops while bytes remain.
func (d *wsDecoder) decode(p []byte) (n int, f *wsFrame, fail wsFail) {
	if d.err.failed() {
		return 0, nil, d.err
	}
	for !d.have {
		if n == len(p) {
			return n, nil, wsFail{}
		}
		// take header bytes, at most up to what is known to be needed
		want := 2
		if d.need > 0 {
			want = d.need
		}
		k := copy(d.hdr[d.hn:want], p[n:])
		d.hn += k
		n += k
		if d.hn < want {
			return n, nil, wsFail{}
		}
		if d.need == 0 {
			// the first two bytes: everything but the lengths and mask
			if fail := d.first(); fail.failed() {
				d.err = fail
				return n, nil, fail
			}
			d.need = wsHeaderLen(d.hdr[1])
			if d.hn < d.need {
				continue
			}
		}
		if fail := d.rest(); fail.failed() {
			d.err = fail
			return n, nil, fail
		}
		d.have = true
		d.f.payload = d.f.payload[:0]
	}
	// payload
	rem := d.f.length - uint64(len(d.f.payload))
	k := len(p) - n
	if uint64(k) > rem {
		k = int(rem)
	}
	off := len(d.f.payload)
	d.f.payload = append(d.f.payload, p[n:n+k]...)
	n += k
	if d.f.masked {
		wsMask(d.f.payload[off:], d.f.mask, off)
	}
	if uint64(len(d.f.payload)) < d.f.length {
		return n, nil, wsFail{}
	}
	// complete: ready the decoder for the next header
	d.have, d.hn, d.need = false, 0, 0
	return n, &d.f, wsFail{}
}

// first checks the first two header bytes (§5.2, §5.5): the rules that do
// not need the length or mask, so a bad frame is refused at once.
func (d *wsDecoder) first() wsFail {
	b0, b1 := d.hdr[0], d.hdr[1]
	h := &d.f.wsHeader
	*h = wsHeader{fin: b0&0x80 != 0, rsv: (b0 >> 4) & 0x7, op: b0 & 0xF, masked: b1&0x80 != 0, length: uint64(b1 & 0x7F)}
	switch {
	case h.rsv != 0:
		return wsFail{wsCloseProtocol, "reserved bits set without a negotiated extension"}
	case !wsOpKnown(h.op):
		return wsFail{wsCloseProtocol, "reserved opcode"}
	case wsIsControl(h.op) && !h.fin:
		return wsFail{wsCloseProtocol, "fragmented control frame"}
	case wsIsControl(h.op) && h.length > wsMaxControl:
		return wsFail{wsCloseProtocol, "control frame payload over 125 bytes"}
	case d.requireMask && !h.masked:
		return wsFail{wsCloseProtocol, "client frame not masked"}
	}
	return wsFail{}
}

// rest decodes the extended length and the mask, then vets the header.
func (d *wsDecoder) rest() wsFail {
	h := &d.f.wsHeader
	i := 2
	switch d.hdr[1] & 0x7F {
	case 126:
		h.length = uint64(d.hdr[2])<<8 | uint64(d.hdr[3])
		i = 4
	case 127:
		var l uint64
		for _, b := range d.hdr[2:10] {
			l = l<<8 | uint64(b)
		}
		if l>>63 != 0 {
			return wsFail{wsCloseProtocol, "64-bit payload length with the high bit set"}
		}
		h.length = l
		i = 10
	}
	if h.masked {
		copy(h.mask[:], d.hdr[i:i+4])
	}
	if h.length > wsMaxFrame {
		return wsFail{wsCloseTooBig, "frame payload over 1 MiB"}
	}
	if d.check != nil {
		return d.check(h)
	}
	return wsFail{}
}

// wsMask XORs b with the masking key (§5.3); off is b's offset in the
// payload, so a payload can be unmasked piece by piece.
func wsMask(b []byte, key [4]byte, off int) {
	for i := range b {
		b[i] ^= key[(off+i)&3]
	}
}

// wsAppendFrame appends one frame to dst: a server's frames are unmasked
// (mask nil); a client's carry a masking key.
func wsAppendFrame(dst []byte, fin bool, op byte, payload []byte, mask *[4]byte) []byte {
	b0 := op & 0xF
	if fin {
		b0 |= 0x80
	}
	var mbit byte
	if mask != nil {
		mbit = 0x80
	}
	n := len(payload)
	switch {
	case n < 126:
		dst = append(dst, b0, mbit|byte(n))
	case n <= 0xFFFF:
		dst = append(dst, b0, mbit|126, byte(n>>8), byte(n))
	default:
		l := uint64(n)
		dst = append(dst, b0, mbit|127,
			byte(l>>56), byte(l>>48), byte(l>>40), byte(l>>32), byte(l>>24), byte(l>>16), byte(l>>8), byte(l))
	}
	if mask == nil {
		return append(dst, payload...)
	}
	dst = append(dst, mask[:]...)
	off := len(dst)
	dst = append(dst, payload...)
	wsMask(dst[off:], *mask, 0)
	return dst
}
