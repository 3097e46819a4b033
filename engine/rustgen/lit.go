package rustgen

import (
	"strconv"
	"strings"
)

// Range is the lines (1-based, inclusive) of generated Rust that one
// program operation became.
type Range struct {
	First, Last int
}

// Code is generated Rust with, for each operation of the program it came
// from, the lines that operation became (Ops[i] for the i-th operation), so
// a viewer can highlight the line that corresponds to the executing one.
type Code struct {
	Text string
	Ops  []Range
	// OpLines[i] is the program line of the i-th operation (its Line).
	OpLines []int
	// Notes say where the Rust cannot do what the program does (an
	// operation with no hyper 1.x equivalent, a use after a move); each
	// is also a comment in Text. An exported test refuses a program with
	// notes rather than assert something the Rust does not do.
	Notes []string
}

// src is a line-counting writer: text is appended line by line, so the
// line an operation starts on is always known.
type src struct {
	b      strings.Builder
	line   int // lines written so far
	indent string
}

// ln writes one line (indent + parts + newline).
func (s *src) ln(parts ...string) {
	if len(parts) > 1 || len(parts) == 1 && parts[0] != "" {
		s.b.WriteString(s.indent)
	}
	for _, p := range parts {
		s.b.WriteString(p)
	}
	s.b.WriteByte('\n')
	s.line++
}

// raw writes text made of whole lines (each ending in a newline), without
// indenting it.
func (s *src) raw(text string) {
	s.b.WriteString(text)
	s.line += strings.Count(text, "\n")
}

// byteLit is data as a Rust byte string literal, b"...". A long literal
// breaks after each \n with a line continuation (a backslash at the end
// of the line, which also skips the next line's leading whitespace: a
// space or tab that starts a line of data is escaped so it is kept).
func byteLit(data []byte, cont string) string {
	var b strings.Builder
	b.WriteString(`b"`)
	lineStart := true
	for i, c := range data {
		if lineStart && i > 0 && (c == ' ' || c == '\t') {
			b.WriteString(`\x`)
			b.WriteString(hex2(c))
			lineStart = false
			continue
		}
		lineStart = false
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
			if cont != "" && i+1 < len(data) && len(data) > 40 {
				b.WriteString("\\\n")
				b.WriteString(cont)
				lineStart = true
			}
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == 0:
			b.WriteString(`\0`)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			b.WriteString(`\x`)
			b.WriteString(hex2(c))
		}
	}
	b.WriteByte('"')
	return b.String()
}

// strLit is s as a Rust string literal; ok is false when s is not valid
// UTF-8 printable text (use byteLit then).
func strLit(s string) (string, bool) {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\t':
			b.WriteString(`\t`)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			return "", false
		}
	}
	b.WriteByte('"')
	return b.String(), true
}

// textOrBytes is s as a &str literal when it is printable ASCII, else as a
// byte slice &b"..."[..] (header values may carry any byte but control
// characters).
func textOrBytes(s string) string {
	if l, ok := strLit(s); ok {
		return l
	}
	return "&" + byteLit([]byte(s), "") + "[..]"
}

// rustStr is s as a Rust string literal, whatever it holds: characters
// outside printable ASCII as \u{...} escapes (invalid UTF-8 as U+FFFD).
func rustStr(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default:
			b.WriteString(`\u{` + strconv.FormatInt(int64(r), 16) + "}")
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

func itoa(n int) string       { return strconv.Itoa(n) }
func i64toa(n int64) string   { return strconv.FormatInt(n, 10) }
func quoteGo(s string) string { return strconv.Quote(s) }
func boolLit(v bool) string   { return strconv.FormatBool(v) }
