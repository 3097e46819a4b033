package jsontext

import (
	"bytes"
	"unicode/utf8"

	jsonx "github.com/go-json-experiment/json/jsontext"
)

// Writer appends JSON to a byte slice, byte for byte as encoding/json's
// Marshal writes it (or MarshalIndent(v, "", "  ") with Indent), so that
// output made before and after the switch away from encoding/json is the
// same. The caller writes the members in order and applies omitempty
// itself; go-json-experiment's Encoder adds the commas, the indentation
// and the escaping (encoding/json's: <, > and & as \u003c, \u003e and
// \u0026, U+2028 and U+2029 as \u2028 and \u2029, and each byte of invalid
// UTF-8 as \ufffd).
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

	out bytes.Buffer
	enc *jsonx.Encoder
}

// encoder starts the Encoder on the first write.
func (w *Writer) encoder() *jsonx.Encoder {
	if w.enc == nil {
		w.out = *bytes.NewBuffer(w.Buf)
		opts := []jsonx.Options{jsonx.EscapeForHTML(true), jsonx.EscapeForJS(true), jsonx.AllowInvalidUTF8(true),
			jsonx.AllowDuplicateNames(true), jsonx.PreserveRawStrings(true)}
		if w.Indent {
			opts = append(opts, jsonx.WithIndent("  "))
		}
		w.enc = jsonx.NewEncoder(&w.out, opts...)
	}
	return w.enc
}

// Bytes returns the output.
func (w *Writer) Bytes() []byte {
	if w.enc == nil {
		return w.Buf
	}
	b := w.out.Bytes()
	// the Encoder ends each complete top-level value with a newline
	if w.enc.StackDepth() == 0 && len(b) > len(w.Buf) && b[len(b)-1] == '\n' {
		b = b[:len(b)-1]
	}
	return b
}

func (w *Writer) token(t jsonx.Token) { _ = w.encoder().WriteToken(t) }

// BeginObject writes '{'.
func (w *Writer) BeginObject() { w.token(jsonx.BeginObject) }

// EndObject writes '}'; an object without members is "{}".
func (w *Writer) EndObject() { w.token(jsonx.EndObject) }

// BeginArray writes '['.
func (w *Writer) BeginArray() { w.token(jsonx.BeginArray) }

// EndArray writes ']'; an array without elements is "[]".
func (w *Writer) EndArray() { w.token(jsonx.EndArray) }

// Key writes an object member's key; its value comes next.
func (w *Writer) Key(k string) { w.String(k) }

// String writes a string.
func (w *Writer) String(s string) {
	if utf8.ValidString(s) {
		w.token(jsonx.String(s))
		return
	}
	// The Encoder writes invalid UTF-8 as U+FFFD itself, encoding/json as
	// the escape \ufffd: quote the valid runs, escape the invalid bytes,
	// and let the Encoder add the HTML and JavaScript escapes.
	q := []byte{'"'}
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && n == 1 {
			q = append(q, `\ufffd`...)
			s = s[1:]
			continue
		}
		i := n
		for i < len(s) {
			if r, n := utf8.DecodeRuneInString(s[i:]); r == utf8.RuneError && n == 1 {
				break
			} else {
				i += n
			}
		}
		quoted, _ := jsonx.AppendQuote(nil, s[:i])
		q = append(q, quoted[1:len(quoted)-1]...)
		s = s[i:]
	}
	_ = w.encoder().WriteValue(append(q, '"'))
}

// Int writes an integer.
func (w *Writer) Int(n int64) { w.token(jsonx.Int(n)) }

// Bool writes true or false.
func (w *Writer) Bool(b bool) { w.token(jsonx.Bool(b)) }

// Null writes null.
func (w *Writer) Null() { w.token(jsonx.Null) }

// Raw writes a value that is already JSON, as encoding/json writes a
// json.RawMessage: without its insignificant whitespace (or indented, with
// Indent), with <, > and & in strings as \u003c, \u003e and \u0026, U+2028
// and U+2029 as \u2028 and \u2029, and everything else as written.
func (w *Writer) Raw(v []byte) { _ = w.encoder().WriteValue(v) }

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
