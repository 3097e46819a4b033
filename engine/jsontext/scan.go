package jsontext

import (
	"io"
	"unicode/utf8"
)

// scanner splits a JSON text (RFC 8259) into tokens, one at a time: the
// tokenizer under Decoder and Writer.Raw. It checks the grammar (the
// delimiters between tokens, each token's syntax, the nesting limit) and
// unquotes strings; it reads duplicate keys and invalid UTF-8 (read as
// U+FFFD), which the Decoder judges itself. When it refuses the bytes
// the Decoder says what was expected and found there (diagnose), so its
// own errors are short.
//
// It replaced go-json-experiment's jsontext.Decoder, whose tokenizer with
// its options and buffering was about 120 KB of the browser's wasm code
// (25 KB with brotli, see TestBrowserBudgets) for what a few hundred
// lines do here; the tests hold it to encoding/json (TestReadAgainstEncodingJSON,
// FuzzRead) and to that library (TestTokenizerRefusesWhereTheLayerSays).
type scanner struct {
	data []byte
	off  int // after the last token read: where the next one's search starts
	// open holds one entry per open object or array: its opening byte and
	// how many tokens it holds so far (an object's keys and values both
	// count, so a key comes next when the count is even).
	open []level
	top  int    // top-level values read (0 or 1)
	buf  []byte // scratch for unquoting
}

type level struct {
	kind byte // '{' or '['
	n    int
}

// scanToken is one token: its kind (as a value's first byte tells, a number
// as '0', and the four delimiters as themselves) and, for a string, its
// value unquoted, for a number or a literal its text as written.
type scanToken struct {
	kind Kind
	text string
}

func (t scanToken) Kind() Kind     { return t.kind }
func (t scanToken) String() string { return t.text }

// scanError is a refusal at byte off; the Decoder usually describes it
// better (diagnose) and uses this only for what it does not foresee.
type scanError struct {
	off int
	msg string
}

func (e *scanError) Error() string { return e.msg }

func newScanner(data []byte) *scanner { return &scanner{data: data} }

// inputOffset is the offset just after the last token read.
func (s *scanner) inputOffset() int { return s.off }

// depth is the number of open objects and arrays.
func (s *scanner) depth() int { return len(s.open) }

// wantKey reports whether the next token is an object's key (or its '}').
func (s *scanner) wantKey() bool {
	return len(s.open) > 0 && s.open[len(s.open)-1].kind == '{' && s.open[len(s.open)-1].n%2 == 0
}

// skipWS skips RFC 8259's four whitespace bytes in data from p (the
// scanner's and the Decoder's one loop).
func skipWS(data []byte, p int) int {
	for p < len(data) {
		switch data[p] {
		case ' ', '\t', '\n', '\r':
			p++
		default:
			return p
		}
	}
	return p
}

// needDelim is the delimiter that must come before a token of kind next
// at this point: ':' after a key, ',' between the members or elements of
// an object or array, or none.
func (s *scanner) needDelim(next Kind) byte {
	if len(s.open) == 0 {
		return 0
	}
	l := s.open[len(s.open)-1]
	switch {
	case l.kind == '{' && l.n%2 == 1:
		return ':'
	case l.n > 0 && next != '}' && next != ']':
		return ','
	}
	return 0
}

// kindAt is the kind of the token starting with c; Invalid for a byte no
// token starts with (the delimiters ':' and ',' are not tokens).
func kindAt(c byte) Kind {
	switch c {
	case '}', ']':
		return Kind(c)
	}
	return kindOf(c)
}

// next finds the next token: after whitespace, the delimiter it needs and
// more whitespace. It returns the token's offset and kind, or Invalid
// where the delimiters are wrong, the input ends or no token starts.
func (s *scanner) next() (int, Kind) {
	p := skipWS(s.data, s.off)
	if len(s.open) == 0 && s.top > 0 {
		return p, Invalid // nothing may follow the top-level value
	}
	var delim byte
	if p < len(s.data) && (s.data[p] == ':' || s.data[p] == ',') {
		delim = s.data[p]
		p = skipWS(s.data, p+1)
	}
	if p >= len(s.data) {
		return p, Invalid
	}
	k := kindAt(s.data[p])
	if k == Invalid || s.needDelim(k) != delim {
		return p, Invalid
	}
	if s.wantKey() && k != String && k != '}' {
		return p, Invalid
	}
	if k == '}' || k == ']' {
		// it closes the innermost container ('}' is '{'+2 and ']' is
		// '['+2), and not right after a key's ':'
		if len(s.open) == 0 || s.open[len(s.open)-1].kind != byte(k)-2 || s.open[len(s.open)-1].n%2 == 1 && k == '}' {
			return p, Invalid
		}
	}
	return p, k
}

// peekKind is the kind of the next token without reading it; Invalid
// where reading it would fail before its first byte.
func (s *scanner) peekKind() Kind {
	_, k := s.next()
	return k
}

// readToken reads the next token. After the top-level value it returns
// io.EOF if only whitespace follows.
func (s *scanner) readToken() (scanToken, error) {
	p, k := s.next()
	if k == Invalid {
		if len(s.open) == 0 && s.top > 0 && p >= len(s.data) {
			return scanToken{}, io.EOF
		}
		if p >= len(s.data) {
			return scanToken{}, &scanError{p, "unexpected end of input"}
		}
		return scanToken{}, &scanError{p, "invalid character " + quoteByte(s.data[p])}
	}
	var t scanToken
	end := p + 1
	switch k {
	case Object, Array:
		if len(s.open) >= maxDepth {
			return scanToken{}, &scanError{p, "nesting deeper than 10000 levels"}
		}
		s.open = append(s.open, level{kind: byte(k)})
		s.off = end
		return scanToken{kind: k}, nil
	case '}', ']':
		s.open = s.open[:len(s.open)-1]
		t = scanToken{kind: k}
	case String:
		var err error
		if t.text, end, err = s.readString(p); err != nil {
			return scanToken{}, err
		}
		t.kind = k
	case Number:
		if end = s.number(p); end < 0 {
			return scanToken{}, &scanError{p, "invalid number"}
		}
		t = scanToken{kind: k, text: string(s.data[p:end])}
	default: // null, true or false
		word := "null"
		if k == True {
			word = "true"
		} else if k == False {
			word = "false"
		}
		if len(s.data)-p < len(word) || string(s.data[p:p+len(word)]) != word {
			return scanToken{}, &scanError{p, "invalid literal, expected " + word}
		}
		end = p + len(word)
		t = scanToken{kind: k, text: word}
	}
	s.off = end
	if len(s.open) == 0 {
		s.top++
	} else {
		s.open[len(s.open)-1].n++
	}
	return t, nil
}

// number returns the end of the number at p (RFC 8259 §6), or -1.
//
//	number = [ "-" ] ( "0" / 1-9 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "-" / "+" ] 1*DIGIT ]
func (s *scanner) number(p int) int {
	d := s.data
	n := len(d)
	digits := func(p int) int { // the end of 1*DIGIT at p, or -1
		q := p
		for q < n && isDigit(d[q]) {
			q++
		}
		if q == p {
			return -1
		}
		return q
	}
	if d[p] == '-' {
		p++
	}
	if p < n && d[p] == '0' {
		p++
	} else if p = digits(p); p < 0 {
		return -1
	}
	if p < n && d[p] == '.' {
		if p = digits(p + 1); p < 0 {
			return -1
		}
	}
	if p < n && (d[p] == 'e' || d[p] == 'E') {
		p++
		if p < n && (d[p] == '+' || d[p] == '-') {
			p++
		}
		if p = digits(p); p < 0 {
			return -1
		}
	}
	return p
}

// readString reads the string whose '"' is at p and returns its value as
// encoding/json unquotes it (invalid UTF-8 and unpaired surrogate escapes
// read as U+FFFD, one for each byte or escape) and the offset after it.
func (s *scanner) readString(p int) (string, int, error) {
	d := s.data
	i := p + 1
	// the common case: no escape, valid UTF-8
	for i < len(d) && d[i] != '"' && d[i] != '\\' && d[i] >= 0x20 && d[i] < utf8.RuneSelf {
		i++
	}
	if i < len(d) && d[i] == '"' {
		return string(d[p+1 : i]), i + 1, nil
	}
	b := append(s.buf[:0], d[p+1:i]...)
	for {
		if i >= len(d) {
			return "", 0, &scanError{i, "unexpected end of input in a string"}
		}
		switch c := d[i]; {
		case c == '"':
			s.buf = b
			return string(b), i + 1, nil
		case c < 0x20:
			return "", 0, &scanError{i, "control character in a string"}
		case c == '\\':
			if i+1 >= len(d) {
				return "", 0, &scanError{i + 1, "unexpected end of input in a string"}
			}
			switch e := d[i+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r := hex4(d, i+2)
				if r < 0 {
					return "", 0, &scanError{i, "invalid \\u escape"}
				}
				i += 6
				if r >= 0xD800 && r < 0xE000 { // a surrogate: a pair or U+FFFD
					if r < 0xDC00 {
						if lo := hex4u(d, i); lo >= 0xDC00 && lo < 0xE000 {
							r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
							i += 6
						} else {
							r = utf8.RuneError
						}
					} else {
						r = utf8.RuneError
					}
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				return "", 0, &scanError{i, "invalid escape in a string"}
			}
			i += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, n := utf8.DecodeRune(d[i:])
			b = utf8.AppendRune(b, r) // U+FFFD for each invalid byte
			i += n
		}
	}
}

// hex4 is the value of the four hex digits at d[i:], or -1.
func hex4(d []byte, i int) rune {
	if i+4 > len(d) {
		return -1
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// hex4u is the value of a \uXXXX escape at d[i:], or -1.
func hex4u(d []byte, i int) rune {
	if i+2 > len(d) || d[i] != '\\' || d[i+1] != 'u' {
		return -1
	}
	return hex4(d, i+2)
}

// quoteByte names c for a scanner error: 'c', or its hex value.
func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(c) + "'"
	}
	return "0x" + string(hexDigits[c>>4]) + string(hexDigits[c&0xF])
}
