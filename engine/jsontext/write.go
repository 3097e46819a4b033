package jsontext

import (
	"io"
	"strconv"
	"unicode/utf8"
)

// Writer appends JSON to a byte slice, byte for byte as encoding/json's
// Marshal writes it (or MarshalIndent(v, "", "  ") with Indent), so that
// output made before and after the switch away from encoding/json is the
// same. The caller writes the members in order and applies omitempty
// itself.
//
// It writes the braces, brackets, commas and colons, the newline and two
// spaces per level of Indent, integers (strconv), true, false and null,
// and strings with encoding/json's escapes: '"', '\\' and the control
// characters (\b, \f, \n, \r and \t short, the others as \u00XX), <, >
// and & as \u003c, \u003e and \u0026, U+2028 and U+2029 as \u2028 and
// \u2029, and each byte of invalid UTF-8 as \ufffd. A value given to Raw
// is split into tokens by the reader's tokenizer (scanner).
//
//	w := jsontext.Writer{Indent: true}
//	w.BeginObject()
//	w.Key("version")
//	w.Int(1)
//	w.EndObject()
//	out := w.Bytes()
type Writer struct {
	Buf    []byte // the output so far; set it to append to a slice
	Indent bool   // a newline and two spaces per level, as MarshalIndent(v, "", "  ")

	depth    int  // open objects and arrays
	empty    bool // the innermost open object or array has nothing in it yet
	afterKey bool // a key was written: its value comes next
}

// Bytes returns the output.
func (w *Writer) Bytes() []byte { return w.Buf }

// next starts a value or a key: after a key nothing; in an object or an
// array a comma before all but the first, and with Indent a new line.
func (w *Writer) next() {
	if w.afterKey {
		w.afterKey = false
		return
	}
	if w.depth > 0 {
		if !w.empty {
			w.Buf = append(w.Buf, ',')
		}
		w.newline()
	}
	w.empty = false
}

// newline starts a line indented to the current depth (with Indent).
func (w *Writer) newline() {
	if w.Indent {
		w.Buf = append(w.Buf, '\n')
		for i := 0; i < w.depth; i++ {
			w.Buf = append(w.Buf, "  "...)
		}
	}
}

func (w *Writer) begin(c byte) {
	w.next()
	w.Buf = append(w.Buf, c)
	w.depth++
	w.empty = true
}

func (w *Writer) end(c byte) {
	w.depth--
	if !w.empty {
		w.newline()
	}
	w.Buf = append(w.Buf, c)
	w.empty = false // the enclosing object or array holds this one
}

// BeginObject writes '{'.
func (w *Writer) BeginObject() { w.begin('{') }

// EndObject writes '}'; an object without members is "{}".
func (w *Writer) EndObject() { w.end('}') }

// BeginArray writes '['.
func (w *Writer) BeginArray() { w.begin('[') }

// EndArray writes ']'; an array without elements is "[]".
func (w *Writer) EndArray() { w.end(']') }

// Key writes an object member's key; its value comes next.
func (w *Writer) Key(k string) {
	w.String(k)
	w.colon()
}

// colon ends a key.
func (w *Writer) colon() {
	w.Buf = append(w.Buf, ':')
	if w.Indent {
		w.Buf = append(w.Buf, ' ')
	}
	w.afterKey = true
}

// String writes a string.
func (w *Writer) String(s string) {
	w.next()
	w.Buf = appendString(w.Buf, s)
}

// appendString appends s quoted as encoding/json quotes it.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	return append(appendEscaped(dst, s, false), '"')
}

// appendEscaped appends s with the escapes encoding/json writes beyond
// appendRun's: <, > and & as \u003c, \u003e and \u0026, U+2028 and
// U+2029 as \u2028 and \u2029, and (but asWritten) each byte of invalid
// UTF-8 as \ufffd. The runs between are quoted by appendRun, or with
// asWritten (a value Raw copies) kept as they are.
func appendEscaped(dst []byte, s string, asWritten bool) []byte {
	start := 0 // the run not yet written is s[start:i]
	for i := 0; i < len(s); {
		esc, n := "", 1
		switch c := s[i]; {
		case c == '<':
			esc = `\u003c`
		case c == '>':
			esc = `\u003e`
		case c == '&':
			esc = `\u0026`
		case c >= utf8.RuneSelf:
			var r rune
			r, n = utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && n == 1 && !asWritten:
				esc = `\ufffd`
			case r == '\u2028':
				esc = `\u2028`
			case r == '\u2029':
				esc = `\u2029`
			}
		}
		if esc != "" {
			dst = appendRun(dst, s[start:i], asWritten)
			dst = append(dst, esc...)
			start = i + n
		}
		i += n
	}
	return appendRun(dst, s[start:], asWritten)
}

// appendRun appends s as written, or (valid UTF-8) quoted as
// encoding/json quotes it, without the quotes: '"' and '\\' escaped,
// \b, \f, \n, \r and \t short, the other control characters as \u00XX.
func appendRun(dst []byte, s string, asWritten bool) []byte {
	if asWritten {
		return append(dst, s...)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			dst = append(dst, c)
			continue
		}
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
	}
	return dst
}

// Int writes an integer.
func (w *Writer) Int(n int64) {
	w.next()
	w.Buf = strconv.AppendInt(w.Buf, n, 10)
}

// Bool writes true or false.
func (w *Writer) Bool(b bool) {
	w.next()
	w.Buf = strconv.AppendBool(w.Buf, b)
}

// Null writes null.
func (w *Writer) Null() {
	w.next()
	w.Buf = append(w.Buf, "null"...)
}

// Raw writes a value that is already JSON, as encoding/json writes a
// json.RawMessage: without its insignificant whitespace (or indented, with
// Indent), with <, > and & in strings as \u003c, \u003e and \u0026, U+2028
// and U+2029 as \u2028 and \u2029, and everything else as written. Input
// that is not one JSON value writes nothing.
//
// The reader's tokenizer reads the value token by token; strings, numbers
// and literals are copied from v as written, from where the token starts
// (after the whitespace and the ':' or ',' before it) to its end.
func (w *Writer) Raw(v []byte) {
	saved := *w
	dec := newScanner(v)
	for {
		start := dec.inputOffset()
		key := dec.wantKey()
		tok, err := dec.readToken()
		if err != nil {
			*w = saved
			return
		}
		switch k := tok.Kind(); k {
		case '{', '[':
			w.begin(byte(k))
		case '}', ']':
			w.end(byte(k))
		default: // a string, a number or a literal: copied as written
			for v[start] == ' ' || v[start] == '\t' || v[start] == '\n' || v[start] == '\r' || v[start] == ':' || v[start] == ',' {
				start++
			}
			w.next()
			w.Buf = appendEscaped(w.Buf, string(v[start:dec.inputOffset()]), true)
			if key {
				w.colon()
			}
		}
		if dec.depth() == 0 {
			break
		}
	}
	if _, err := dec.readToken(); err != io.EOF { // more than whitespace after the value
		*w = saved
	}
}

// AppendCompact appends the JSON value src without its insignificant
// whitespace, as encoding/json writes a json.RawMessage (see Raw). src
// must be one valid JSON value (the error says why not; dst is then
// returned as it was).
func AppendCompact(dst, src []byte) ([]byte, error) {
	d := NewDecoder(src)
	d.Skip()
	if err := d.End(); err != nil {
		return dst, err
	}
	w := Writer{Buf: dst}
	w.Raw(src)
	return w.Bytes(), nil
}
