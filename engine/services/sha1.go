package services

import "math/bits"

// sha1Sum is SHA-1 (RFC 3174), used only for the WebSocket handshake's
// Sec-WebSocket-Accept, which is not a security function. It is written
// out here because crypto/sha1 pulls Go's whole FIPS module (AES, GCM, a
// DRBG, SHA-2/3) into the browser's wasm: several hundred kilobytes for
// forty lines of arithmetic. The big-endian loads and stores are written
// out too: encoding/binary imports reflect.
func sha1Sum(msg []byte) [20]byte {
	h := [5]uint32{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0}
	// pad: 0x80, zeros, then the bit length as a 64-bit big-endian number
	n := len(msg)
	padded := make([]byte, ((n+8)/64+1)*64)
	copy(padded, msg)
	padded[n] = 0x80
	for i, length := 0, uint64(n)*8; i < 8; i++ {
		padded[len(padded)-1-i] = byte(length >> (8 * i))
	}

	var w [80]uint32
	for off := 0; off < len(padded); off += 64 {
		for i := 0; i < 16; i++ {
			p := padded[off+4*i : off+4*i+4]
			w[i] = uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
		}
		for i := 16; i < 80; i++ {
			w[i] = bits.RotateLeft32(w[i-3]^w[i-8]^w[i-14]^w[i-16], 1)
		}
		a, b, c, d, e := h[0], h[1], h[2], h[3], h[4]
		for i := 0; i < 80; i++ {
			var f, k uint32
			switch {
			case i < 20:
				f, k = (b&c)|(^b&d), 0x5A827999
			case i < 40:
				f, k = b^c^d, 0x6ED9EBA1
			case i < 60:
				f, k = (b&c)|(b&d)|(c&d), 0x8F1BBCDC
			default:
				f, k = b^c^d, 0xCA62C1D6
			}
			t := bits.RotateLeft32(a, 5) + f + e + k + w[i]
			a, b, c, d, e = t, a, bits.RotateLeft32(b, 30), c, d
		}
		h[0] += a
		h[1] += b
		h[2] += c
		h[3] += d
		h[4] += e
	}
	var out [20]byte
	for i, v := range h {
		out[4*i], out[4*i+1], out[4*i+2], out[4*i+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	return out
}
