// Package b64 is base64 (RFC 4648) as connlab uses it: standard and URL
// alphabets, padded or raw, and a strict decoder. It encodes and decodes
// byte for byte as encoding/base64 does, errors included
// (TestAgainstEncodingBase64, FuzzDecode), in a fraction of its wasm:
// with encoding/base64 (its lookup tables and unrolled fast paths) the
// browser's wasm was 2 335 bytes larger with brotli, and it has a size
// budget (TestBrowserBudgets).
package b64

import "strconv"

// Encoding is an alphabet with its options.
type Encoding struct {
	c62, c63 byte // the two last letters of the alphabet
	pad      bool // '=' padding
	strict   bool // the unused bits of the last quantum must be zero
}

var (
	// Std is encoding/base64's StdEncoding.
	Std = Encoding{c62: '+', c63: '/', pad: true}
	// StdStrict is StdEncoding.Strict().
	StdStrict = Encoding{c62: '+', c63: '/', pad: true, strict: true}
	// RawURL is RawURLEncoding: the URL alphabet, no padding.
	RawURL = Encoding{c62: '-', c63: '_'}
)

// letter is the alphabet's letter for v (0..63).
func (e Encoding) letter(v byte) byte {
	switch {
	case v < 26:
		return 'A' + v
	case v < 52:
		return 'a' + v - 26
	case v < 62:
		return '0' + v - 52
	case v == 62:
		return e.c62
	}
	return e.c63
}

// value is the value of letter c, or 0xff.
func (e Encoding) value(c byte) byte {
	switch {
	case c >= 'A' && c <= 'Z':
		return c - 'A'
	case c >= 'a' && c <= 'z':
		return c - 'a' + 26
	case c >= '0' && c <= '9':
		return c - '0' + 52
	case c == e.c62:
		return 62
	case c == e.c63:
		return 63
	}
	return 0xff
}

// EncodeToString returns the base64 of src.
func (e Encoding) EncodeToString(src []byte) string {
	dst := make([]byte, 0, (len(src)+2)/3*4)
	for len(src) > 0 {
		var q [3]byte
		n := copy(q[:], src)
		src = src[n:]
		v := uint(q[0])<<16 | uint(q[1])<<8 | uint(q[2])
		for i := 0; i < 4; i++ {
			switch {
			case i <= n:
				dst = append(dst, e.letter(byte(v>>(18-6*i)&0x3f)))
			case e.pad:
				dst = append(dst, '=')
			}
		}
	}
	return string(dst)
}

// CorruptInputError is encoding/base64's error: the offset of the first
// byte that is wrong.
type CorruptInputError int64

func (e CorruptInputError) Error() string {
	return "illegal base64 data at input byte " + strconv.FormatInt(int64(e), 10)
}

// DecodeString returns the bytes s encodes. As in encoding/base64, CR and
// LF are skipped anywhere; on an error the bytes decoded before it are
// returned with it.
func (e Encoding) DecodeString(s string) ([]byte, error) {
	dst := make([]byte, 0, len(s)/4*3+3)
	for si := 0; si < len(s); {
		var err error
		if si, dst, err = e.quantum(dst, s, si); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// quantum decodes the (up to) four letters from s[si:], as
// encoding/base64's decodeQuantum does, and appends their bytes to dst.
func (e Encoding) quantum(dst []byte, s string, si int) (int, []byte, error) {
	var d [4]byte
	n := 4 // letters read
	var err error
	for j := 0; j < 4; j++ {
		if si == len(s) {
			if j == 0 {
				return si, dst, nil
			}
			if j == 1 || e.pad {
				return si, dst, CorruptInputError(si - j)
			}
			n = j
			break
		}
		c := s[si]
		si++
		if v := e.value(c); v != 0xff {
			d[j] = v
			continue
		}
		if c == '\n' || c == '\r' {
			j--
			continue
		}
		if !e.pad || c != '=' {
			return si, dst, CorruptInputError(si - 1)
		}
		// padding: the end of the data
		switch j {
		case 0, 1:
			return si, dst, CorruptInputError(si - 1)
		case 2: // a second '=' must follow
			for si < len(s) && (s[si] == '\n' || s[si] == '\r') {
				si++
			}
			if si == len(s) {
				return si, dst, CorruptInputError(len(s))
			}
			if s[si] != '=' {
				return si, dst, CorruptInputError(si - 1)
			}
			si++
		}
		for si < len(s) && (s[si] == '\n' || s[si] == '\r') {
			si++
		}
		if si < len(s) {
			err = CorruptInputError(si) // something after the padding
		}
		n = j
		break
	}
	v := uint(d[0])<<18 | uint(d[1])<<12 | uint(d[2])<<6 | uint(d[3])
	b0, b1, b2 := byte(v>>16), byte(v>>8), byte(v)
	switch n {
	case 4:
		return si, append(dst, b0, b1, b2), err
	case 3:
		if e.strict && b2 != 0 {
			return si, dst, CorruptInputError(si - 1)
		}
		return si, append(dst, b0, b1), err
	}
	// n == 2
	if e.strict && (b1 != 0 || b2 != 0) {
		return si, dst, CorruptInputError(si - 2)
	}
	return si, append(dst, b0), err
}
