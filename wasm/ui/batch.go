package ui

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The Go→JS batch format. A batch is a list of strings, each written as
// its length in UTF-16 code units (decimal), a colon, and the string
// itself: "5:hello3:a:b". connlab.js (frames) reads it by counting, never
// by looking for a separator, so no value can end its own frame early or
// start another: a value holding any byte at all (a permalink's draft with
// \x1e in it, `<meta http-equiv=refresh>`, NUL) stays one value. An
// earlier format joined values with the bytes \x1e and \x1f, and a crafted
// link addressed other slots with them (issue 14).
//
// The length counts what JavaScript sees: syscall/js hands a Go string to
// JS through TextDecoder, so a value is first made valid UTF-8 (each run
// of invalid bytes becomes one U+FFFD, as strings.ToValidUTF8 does; the
// decoder would otherwise pick its own number of replacements and shift
// every frame after it), and then its UTF-16 units are counted (a rune
// above U+FFFF is two).
//
// Renderer.Flush's list alternates slot index and value; BindSpec's
// alternates slot name and kind.

// appendFrame appends s as one frame.
func appendFrame(b []byte, s string) []byte {
	n, ok := utf16Len(s)
	if !ok {
		s = strings.ToValidUTF8(s, "\uFFFD")
		n, _ = utf16Len(s)
	}
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, ':')
	return append(b, s...)
}

// utf16Len is how many UTF-16 code units s is in JavaScript, and false if
// s is not valid UTF-8.
func utf16Len(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); {
		// markup is mostly ASCII: eight bytes at a time while they all
		// are (a render's batch is tens of KB, counted at each render)
		if i+8 <= len(s) {
			b := s[i : i+8]
			if b[0]|b[1]|b[2]|b[3]|b[4]|b[5]|b[6]|b[7] < utf8.RuneSelf {
				n += 8
				i += 8
				continue
			}
		}
		if s[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return 0, false
		}
		n++
		if size == 4 {
			n++ // a surrogate pair
		}
		i += size
	}
	return n, true
}

// JSText is s as the page receives it in a batch: valid UTF-8, each run
// of invalid bytes replaced by U+FFFD.
func JSText(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// DecodeFrames reads a batch as connlab.js's frames() does, in UTF-16
// code units: it is the Go mirror the tests decode with (the browser test
// runs both on the same strings and compares). It is not used by the
// page itself, so the linker leaves it out of the wasm.
func DecodeFrames(batch string) ([]string, error) {
	u := utf16.Encode([]rune(batch))
	var out []string
	for i := 0; i < len(u); {
		n, digits := 0, 0
		for ; i < len(u) && u[i] != ':'; i++ {
			c := u[i]
			if c < '0' || c > '9' || digits > 9 {
				return out, errors.New("batch: bad frame length at unit " + strconv.Itoa(i))
			}
			n = n*10 + int(c-'0')
			digits++
		}
		if i == len(u) || digits == 0 {
			return out, errors.New("batch: frame without a length at unit " + strconv.Itoa(i))
		}
		i++ // the colon
		if n > len(u)-i {
			return out, errors.New("batch: frame of " + strconv.Itoa(n) + " units runs past the end")
		}
		out = append(out, string(utf16.Decode(u[i:i+n])))
		i += n
	}
	return out, nil
}
