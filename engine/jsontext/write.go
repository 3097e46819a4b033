package jsontext

import (
	"strconv"
	"unicode/utf8"
)

// Writer appends JSON to a byte slice, byte for byte as encoding/json's
// Marshal writes it (or MarshalIndent(v, "", "  ") with Indent), so that
// output made before and after the switch away from encoding/json is the
// same. The caller writes the members in order and applies omitempty
// itself; the Writer adds the commas, the indentation and the escaping.
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

	depth    int
	empty    bool // the innermost open object or array has no member yet
	afterKey bool // a key was written: the value follows without a separator
}

// Bytes returns the output.
func (w *Writer) Bytes() []byte { return w.Buf }

// BeginObject writes '{'.
func (w *Writer) BeginObject() { w.open('{') }

// EndObject writes '}'; an object without members is "{}".
func (w *Writer) EndObject() { w.close('}') }

// BeginArray writes '['.
func (w *Writer) BeginArray() { w.open('[') }

// EndArray writes ']'; an array without elements is "[]".
func (w *Writer) EndArray() { w.close(']') }

// Key writes an object member's key; its value comes next.
func (w *Writer) Key(k string) {
	w.member()
	w.Buf = AppendString(w.Buf, k)
	w.Buf = append(w.Buf, ':')
	if w.Indent {
		w.Buf = append(w.Buf, ' ')
	}
	w.afterKey = true
}

// String writes a string.
func (w *Writer) String(s string) {
	w.value()
	w.Buf = AppendString(w.Buf, s)
}

// Int writes an integer.
func (w *Writer) Int(n int64) {
	w.value()
	w.Buf = strconv.AppendInt(w.Buf, n, 10)
}

// Bool writes true or false.
func (w *Writer) Bool(b bool) {
	w.value()
	w.Buf = strconv.AppendBool(w.Buf, b)
}

// Null writes null.
func (w *Writer) Null() {
	w.value()
	w.Buf = append(w.Buf, "null"...)
}

// Raw writes a value that is already JSON, as it is: the caller makes it
// compact (AppendCompact) and, with Indent, it must be a scalar or empty.
func (w *Writer) Raw(v []byte) {
	w.value()
	w.Buf = append(w.Buf, v...)
}

func (w *Writer) open(c byte) {
	w.value()
	w.Buf = append(w.Buf, c)
	w.depth++
	w.empty = true
}

func (w *Writer) close(c byte) {
	w.depth--
	if !w.empty {
		w.newline()
	}
	w.Buf = append(w.Buf, c)
	w.empty = false // the container it closed is a member of the outer one
}

// value comes before every value: nothing after a key, a separator before
// an array element.
func (w *Writer) value() {
	if w.afterKey {
		w.afterKey = false
		return
	}
	if w.depth > 0 {
		w.member()
	}
}

// member separates a member or element from the one before.
func (w *Writer) member() {
	if !w.empty {
		w.Buf = append(w.Buf, ',')
	}
	w.empty = false
	w.newline()
}

func (w *Writer) newline() {
	if !w.Indent {
		return
	}
	w.Buf = append(w.Buf, '\n')
	for range w.depth {
		w.Buf = append(w.Buf, "  "...)
	}
}

// AppendString appends s as a JSON string, escaped as encoding/json escapes
// it: \" \\ \b \f \n \r \t, \u00XX for the other control characters, the
// HTML-sensitive <, > and & as \u003c, \u003e and \u0026, U+2028 and U+2029
// as \u2028 and \u2029 (they end a line in JavaScript), and each byte of
// invalid UTF-8 as \ufffd.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
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
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendCompact appends the JSON value src without its insignificant
// whitespace, as encoding/json writes a json.RawMessage: <, > and & in
// strings become \u003c, \u003e and \u0026, U+2028 and U+2029 become
// \u2028 and \u2029, and everything else stays as written. src must be one
// valid JSON value (the error says why not; dst is then returned as it
// was).
func AppendCompact(dst, src []byte) ([]byte, error) {
	d := NewDecoder(src)
	d.Skip()
	if err := d.End(); err != nil {
		return dst, err
	}
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if !inString {
			switch c {
			case ' ', '\t', '\n', '\r':
				continue
			case '"':
				inString = true
			}
			dst = append(dst, c)
			continue
		}
		switch {
		case c == '\\':
			dst = append(dst, c, src[i+1])
			i++
			continue
		case c == '"':
			inString = false
		case c == '<' || c == '>' || c == '&':
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			continue
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[src[i+2]&0xF])
			i += 2
			continue
		}
		dst = append(dst, c)
	}
	return dst, nil
}
