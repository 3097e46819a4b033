package jsontext

import (
	"bytes"
	"io"
	"strconv"
	"unicode/utf8"

	jsonx "github.com/go-json-experiment/json/jsontext"
)

// Writer appends JSON to a byte slice, byte for byte as encoding/json's
// Marshal writes it (or MarshalIndent(v, "", "  ") with Indent), so that
// output made before and after the switch away from encoding/json is the
// same. The caller writes the members in order and applies omitempty
// itself.
//
// What the library does and what the layer does: go-json-experiment
// quotes each string (AppendQuote: the escapes for '"', '\\' and the
// control characters, as encoding/json writes them), and its Decoder
// splits a value given to Raw into tokens. The layer writes the rest: the
// braces, brackets, commas and colons, the newline and two spaces per
// level of Indent, integers (strconv), true, false and null, and
// encoding/json's extra escapes, which AppendQuote does not write (<, >
// and & as \u003c, \u003e and \u0026, U+2028 and U+2029 as \u2028 and
// \u2029, and each byte of invalid UTF-8 as \ufffd, where AppendQuote
// writes U+FFFD itself). The library's Encoder would do all of that too,
// but it is not linked, for the browser's size budget (800 KiB with
// brotli): with it the wasm was 845 428 bytes with brotli, without it
// 815 465 (the Encoder with its reformatting and name sorting, the half of
// jsonwire only it uses, and the float formatting, sorting and pooling
// only they use: about 148 KB of wasm code, against 6 KB for the layer's
// own), where the structure takes a few lines here.
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

// appendEscaped appends s with the escapes encoding/json writes and the
// library's AppendQuote does not: <, > and & as \u003c, \u003e and
// \u0026, U+2028 and U+2029 as \u2028 and \u2029, and (but asWritten)
// each byte of invalid UTF-8 as \ufffd. The runs between are quoted by the
// library, or with asWritten (a value Raw copies) kept as they are.
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

// appendRun appends s as written, or (valid UTF-8) as the library quotes
// it, without the quotes.
func appendRun(dst []byte, s string, asWritten bool) []byte {
	if asWritten || s == "" {
		return append(dst, s...)
	}
	n := len(dst)
	dst, _ = jsonx.AppendQuote(dst, s) // no error: s is valid UTF-8
	copy(dst[n:], dst[n+1:len(dst)-1])
	return dst[:len(dst)-2]
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
// The library's Decoder reads the value token by token (ReadToken: its
// ReadValue would link 24 KB more of wasm); strings, numbers and literals
// are copied from v as written, from where the token starts (after the
// whitespace and the ':' or ',' before it) to the Decoder's offset.
func (w *Writer) Raw(v []byte) {
	saved := *w
	dec := jsonx.NewDecoder(bytes.NewReader(v), jsonx.AllowDuplicateNames(true), jsonx.AllowInvalidUTF8(true))
	for {
		start := int(dec.InputOffset())
		in, n := dec.StackIndex(dec.StackDepth())
		tok, err := dec.ReadToken()
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
			w.Buf = appendEscaped(w.Buf, string(v[start:dec.InputOffset()]), true)
			if in == '{' && n%2 == 0 { // a key
				w.colon()
			}
		}
		if dec.StackDepth() == 0 {
			break
		}
	}
	if _, err := dec.ReadToken(); err != io.EOF { // more than whitespace after the value
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
