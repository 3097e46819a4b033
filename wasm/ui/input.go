package ui

import (
	"strconv"
	"strings"
)

// The raw-input editor. What the person types is text; the bytes it stands
// for follow three rules, applied left to right:
//
//   - a line break in the editor is "\r\n" when the CRLF toggle is on and
//     "\n" when it is off (HTTP/1.1 wants CRLF; RFC 9112 §2.2 lets a
//     recipient accept a bare LF, which is what the toggle is for);
//   - the escapes \r \n \t \\ and \xNN stand for one byte each;
//   - every other character is its UTF-8 encoding.
//
// A backslash followed by anything else is kept as a backslash, so typing a
// Windows path does no harm; EscapeError reports \x with bad digits.

// EscapeError is a malformed \x escape at byte Pos of the editor text.
type EscapeError struct {
	Pos int
	Msg string
}

func (e *EscapeError) Error() string { return "column " + strconv.Itoa(e.Pos+1) + ": " + e.Msg }

// DecodeInput returns the bytes the editor text stands for.
func DecodeInput(text string, crlf bool) ([]byte, error) {
	out := make([]byte, 0, len(text)+8)
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\r':
			// a pasted CRLF counts as one line break
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			out = appendBreak(out, crlf)
		case c == '\n':
			out = appendBreak(out, crlf)
		case c == '\\' && i+1 < len(text):
			switch text[i+1] {
			case 'r':
				out = append(out, '\r')
				i++
			case 'n':
				out = append(out, '\n')
				i++
			case 't':
				out = append(out, '\t')
				i++
			case '\\':
				out = append(out, '\\')
				i++
			case 'x':
				if i+3 >= len(text) {
					return nil, &EscapeError{Pos: i, Msg: `\x needs two hex digits, e.g. \x00`}
				}
				hi, ok1 := unhex(text[i+2])
				lo, ok2 := unhex(text[i+3])
				if !ok1 || !ok2 {
					return nil, &EscapeError{Pos: i, Msg: `\x needs two hex digits, e.g. \x00 (got ` + strconv.Quote(text[i:i+4]) + ")"}
				}
				out = append(out, hi<<4|lo)
				i += 3
			default:
				out = append(out, c)
			}
		default:
			out = append(out, c)
		}
	}
	return out, nil
}

func appendBreak(out []byte, crlf bool) []byte {
	if crlf {
		return append(out, '\r', '\n')
	}
	return append(out, '\n')
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// EncodeInput is DecodeInput's inverse: editor text for bytes. Line breaks
// that match the toggle become editor line breaks; CR and LF that do not
// become \r and \n; other control bytes, a backslash and invalid UTF-8
// become escapes. DecodeInput(EncodeInput(b, crlf), crlf) == b.
func EncodeInput(b []byte, crlf bool) string {
	var sb strings.Builder
	sb.Grow(len(b) + 16)
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case crlf && c == '\r' && i+1 < len(b) && b[i+1] == '\n':
			sb.WriteByte('\n')
			i++
		case !crlf && c == '\n':
			sb.WriteByte('\n')
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\\':
			sb.WriteString(`\\`)
		case c < 0x20 || c == 0x7f:
			writeHexEscape(&sb, c)
		case c < 0x80:
			sb.WriteByte(c)
		default:
			// keep valid UTF-8 sequences, escape the rest byte by byte
			n := utf8Len(b[i:])
			if n == 0 {
				writeHexEscape(&sb, c)
				continue
			}
			sb.Write(b[i : i+n])
			i += n - 1
		}
	}
	return sb.String()
}

func writeHexEscape(sb *strings.Builder, c byte) {
	const digits = "0123456789abcdef"
	sb.WriteString(`\x`)
	sb.WriteByte(digits[c>>4])
	sb.WriteByte(digits[c&15])
}

// utf8Len is the length of a valid UTF-8 multi-byte sequence at the start
// of b, or 0.
func utf8Len(b []byte) int {
	c := b[0]
	var n int
	switch {
	case c&0xE0 == 0xC0 && c >= 0xC2:
		n = 2
	case c&0xF0 == 0xE0:
		n = 3
	case c&0xF8 == 0xF0 && c <= 0xF4:
		n = 4
	default:
		return 0
	}
	if len(b) < n {
		return 0
	}
	for _, x := range b[1:n] {
		if x&0xC0 != 0x80 {
			return 0
		}
	}
	// overlongs and surrogates
	switch {
	case n == 3 && c == 0xE0 && b[1] < 0xA0, n == 3 && c == 0xED && b[1] >= 0xA0,
		n == 4 && c == 0xF0 && b[1] < 0x90, n == 4 && c == 0xF4 && b[1] >= 0x90:
		return 0
	}
	return n
}

// CaretByteOffset maps a caret position in the editor text (counted in
// UTF-16 code units, as a textarea's selectionStart is) to the number of
// bytes the text before it stands for. "Send to cursor" uses it.
func CaretByteOffset(text string, caret int, crlf bool) (int, error) {
	units := 0
	cut := len(text)
	for i, r := range text {
		if units >= caret {
			cut = i
			break
		}
		units++
		if r >= 0x10000 {
			units++
		}
	}
	prefix := text[:cut]
	// never cut an escape in half: back off to its backslash
	if k := strings.LastIndexByte(prefix, '\\'); k >= 0 && len(prefix)-k < 4 && !escapedBackslash(prefix, k) {
		if len(prefix)-k == 1 || prefix[k+1] == 'x' {
			prefix = prefix[:k]
		}
	}
	b, err := DecodeInput(prefix, crlf)
	return len(b), err
}

// escapedBackslash reports whether the backslash at k is itself the second
// half of a `\\` escape.
func escapedBackslash(s string, k int) bool {
	n := 0
	for j := k - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// Fragments splits b into pieces of at most n bytes (n <= 0: one piece).
func Fragments(b []byte, n int) [][]byte {
	if n <= 0 || len(b) <= n {
		return [][]byte{b}
	}
	var out [][]byte
	for len(b) > n {
		out = append(out, b[:n])
		b = b[n:]
	}
	return append(out, b)
}
