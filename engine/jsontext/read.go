// Package jsontext reads and writes JSON (RFC 8259) for connlab's own small
// documents: the session file and the permalink, without encoding/json and
// reflect (about a megabyte of wasm) in the browser build.
//
// It links no JSON library either: its own tokenizer (scanner) splits the
// input into tokens and unquotes strings, and the Writer quotes them
// itself. go-json-experiment's jsontext did both until the browser's wasm
// outgrew its size budget (800 KiB with brotli): its Decoder, with its
// options, buffering and error types, was about 120 KB of wasm code for
// what takes a few hundred lines here, and its Encoder had gone earlier
// for the same reason (845 428 bytes with brotli with the Encoder, 815 465
// without). The tests hold the reader to encoding/json on every input
// (TestReadAgainstEncodingJSON, FuzzRead) and the Writer to
// encoding/json's output (TestWriteAgainstEncodingJSON, FuzzWrite).
//
// The reader is driven by the document's shape: the caller asks for an
// object, a string, an integer, and the Decoder reads the tokens and, when
// the tokenizer refuses the bytes, says precisely what it expected there,
// what it found and where. It accepts
// what encoding/json accepts, with three deliberate differences, all
// stricter:
//
//   - Keys match exactly. encoding/json folds case ("Version" sets version);
//     connlab's formats are documented in lower case, and a key in another
//     case is an unknown key.
//   - A key may appear once per object. encoding/json lets the last one win;
//     here a repeated key is an error, since one of the two values is
//     silently ignored otherwise.
//   - Nothing but whitespace may follow the top-level value.
//
// Otherwise it follows encoding/json: null reads as the zero value (an
// absent pointer, an empty string, a nil slice) unless the Decoder's
// NullIsError is set; "[]" is an empty but
// non-nil array; invalid UTF-8 in a string and unpaired surrogate escapes
// become U+FFFD; an integer is a number without fraction or exponent that
// fits the Go type; nesting deeper than 10000 levels is an error.
//
// Errors come in two kinds. A *SyntaxError means the bytes are not JSON; it
// gives the line and column (in characters, from 1). A *ValueError means
// well-formed JSON of the wrong shape; it gives the path to the value, such
// as input[2].send. As with encoding/json a syntax error anywhere in the
// document wins over a value error, so the reader goes on to the end after
// the first value error and reports only the first.
package jsontext

import (
	"strconv"
	"unicode/utf8"
)

// maxDepth is encoding/json's nesting limit: 10000 levels are fine, 10001
// are a syntax error.
const maxDepth = 10000

// SyntaxError is input that is not JSON.
type SyntaxError struct {
	Offset int // byte offset of the problem
	Line   int // 1-based line of the problem
	Column int // 1-based column, counted in characters
	Msg    string
}

func (e *SyntaxError) Error() string {
	return "invalid JSON at line " + strconv.Itoa(e.Line) + ", column " + strconv.Itoa(e.Column) + ": " + e.Msg
}

// ValueError is well-formed JSON that does not have the shape the reader
// asked for.
type ValueError struct {
	// Path is where the value is, from the top: "input[2].send", or "" for
	// the top-level value. For an unknown key it is the object holding it.
	Path string
	// Key is set for an unknown key: the key as written.
	Key string
	Msg string
}

func (e *ValueError) Error() string {
	where := joinPath(e.Path, e.Key)
	if where == "" {
		where = "(top level)"
	}
	return where + ": " + e.Msg
}

// Where is the path of the value or key the error is about ("" for the top
// level).
func (e *ValueError) Where() string { return joinPath(e.Path, e.Key) }

func joinPath(path, key string) string {
	switch {
	case key == "":
		return path
	case path == "":
		return pathKey(key)
	}
	return path + "." + pathKey(key)
}

// pathKey is how a key reads in a path: as written when it is a plain
// word, quoted otherwise (an empty key, a space, a dot, a control byte).
func pathKey(k string) string {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return strconv.Quote(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}

// Kind is the kind of a JSON value, as its first byte tells.
type Kind byte

const (
	Invalid Kind = 0 // not the start of a value, or the end of the input
	Null    Kind = 'n'
	False   Kind = 'f'
	True    Kind = 't'
	String  Kind = '"'
	Number  Kind = '0'
	Object  Kind = '{'
	Array   Kind = '['
)

// name is the kind in a "got JSON ..." message.
func (k Kind) name() string {
	switch k {
	case Null:
		return "null"
	case False:
		return "false"
	case True:
		return "true"
	case String:
		return "string"
	case Number:
		return "number"
	case Object:
		return "object"
	case Array:
		return "array"
	}
	return "invalid"
}

// Decoder reads one JSON document. Each read method reads the next value;
// after the top-level value, End checks that nothing follows and returns
// the first error.
//
// After a syntax error every method returns at once with a zero value.
// After a value error reading goes on (the value in question is skipped),
// so that a later syntax error is still found; the value error is kept.
type Decoder struct {
	// NullIsError makes null a value error where a value is required:
	// String, Bool, Int, Int64, Number, Object and Array report "expected
	// …, got null" instead of reading the zero value. Optional still reads
	// null as nil. encoding/json reads null as the zero value; in a format
	// whose keys each have one type (the session file), a null is a
	// mistake that would otherwise pass as a default.
	NullIsError bool

	data []byte
	dec  *scanner
	path []segment // where the value being read is, for ValueError.Path
	syn  *SyntaxError
	val  *ValueError

	// at is what the next token read is expected to be, and key the key
	// whose value it is (for at == atMember): the context a syntax error
	// is described in.
	at  position
	key string
}

// position is where the next token is, for describing a syntax error:
// the tokenizer says that the bytes are wrong, the Decoder says what it
// expected there.
type position byte

const (
	atValue     position = iota // a value: the top level, or after an array's ','
	atMember                    // ':' and an object member's value
	atFirstKey                  // a key or '}'
	atNextKey                   // ',' and a key, or '}'
	atFirstElem                 // a value or ']'
	atNextElem                  // ',' and a value, or ']'
)

// segment is one step of a path: a key, or an array index.
type segment struct {
	key   string
	index int
	isKey bool
}

// NewDecoder returns a Decoder reading data. It does not copy data: Raw
// returns slices of it.
func NewDecoder(data []byte) *Decoder {
	return &Decoder{
		data: data,
		// Repeated keys are found here, as a value error (a later syntax
		// error still wins); invalid UTF-8 in a string reads as U+FFFD, as
		// in encoding/json.
		dec: newScanner(data),
	}
}

// End checks that only whitespace follows the top-level value and returns
// the first syntax error, else the first value error, else nil.
func (d *Decoder) End() error {
	if d.syn == nil {
		if p := d.ws(d.dec.inputOffset()); p < len(d.data) {
			d.afterValue(p, "unexpected ", " after the end of the top-level value")
		}
	}
	if d.syn != nil {
		return d.syn
	}
	if d.val != nil {
		return d.val
	}
	return nil
}

// fail records a value error at the value being read (the first error
// wins).
func (d *Decoder) fail(msg string) {
	if d.val == nil && d.syn == nil {
		d.val = &ValueError{Path: d.pathString(), Msg: msg}
	}
}

// Peek returns the kind of the next value without reading it; Invalid at
// the end of the input or a byte no value starts with.
func (d *Decoder) Peek() Kind {
	if d.syn != nil {
		return Invalid
	}
	switch k := d.dec.peekKind(); k {
	case Null, False, True, String, Number, Object, Array:
		return k
	}
	return Invalid
}

// token reads the next token, expected at d.at; after a syntax error it
// records what was expected there and returns false.
func (d *Decoder) token() (scanToken, bool) {
	if d.syn != nil {
		return scanToken{}, false
	}
	p := d.ws(d.dec.inputOffset())
	tok, err := d.dec.readToken()
	if err != nil {
		d.diagnose(p, err)
		return scanToken{}, false
	}
	return tok, true
}

// Null reads a null if one is next and reports whether it did; otherwise it
// reads nothing.
func (d *Decoder) Null() bool {
	if d.Peek() != Null {
		return false
	}
	_, ok := d.token()
	return ok
}

// Optional reads a pointer field: nil for null, else what read reads, as
// in o.KeepAlive = jsontext.Optional(d, d.Bool).
func Optional[T any](d *Decoder, read func() T) *T {
	if d.Null() {
		return nil
	}
	v := read()
	return &v
}

// expect starts reading a value of kind want (described as what, "a
// string"): it reads that value's first token and returns it. For null
// it reads the null and returns false (recording a value error first
// when NullIsError is set); for any other kind it records a value error,
// skips the value and returns false.
func (d *Decoder) expect(want Kind, what string) (scanToken, bool) {
	switch k := d.Peek(); k {
	case want:
		return d.token()
	case Null:
		if d.NullIsError {
			d.fail("expected " + what + ", got null")
		}
		d.token()
	case Invalid:
		d.value() // reports the syntax error
	default:
		d.fail("expected " + what + ", got JSON " + k.name())
		d.value()
	}
	return scanToken{}, false
}

// String reads a string (null reads as "").
func (d *Decoder) String() string {
	tok, ok := d.expect(String, "a string")
	if !ok {
		return ""
	}
	return tok.String()
}

// Bool reads true or false (null reads as false).
func (d *Decoder) Bool() bool {
	if k := d.Peek(); k == True || k == False {
		tok, _ := d.token()
		return tok.Kind() == 't'
	}
	d.expect(True, "true or false")
	return false
}

// Int reads an integer that fits an int (null reads as 0).
func (d *Decoder) Int() int { return int(d.intN(strconv.IntSize)) }

// Int64 reads an integer that fits an int64 (null reads as 0).
func (d *Decoder) Int64() int64 { return d.intN(64) }

func (d *Decoder) intN(bits int) int64 {
	tok, ok := d.expect(Number, "an integer")
	if !ok {
		return 0
	}
	lit := tok.String()
	n, err := strconv.ParseInt(lit, 10, bits)
	if err == nil {
		return n
	}
	for i := 0; i < len(lit); i++ {
		if c := lit[i]; c == '.' || c == 'e' || c == 'E' {
			d.fail("expected an integer, got " + shorten(lit) + " (a whole number is written without fraction or exponent)")
			return 0
		}
	}
	lo, hi := int64(-1)<<(bits-1), int64(1)<<(bits-1)-1
	d.fail("the integer " + shorten(lit) + " is out of range (" + strconv.FormatInt(lo, 10) + " to " + strconv.FormatInt(hi, 10) + ")")
	return 0
}

// shorten cuts a long literal for a message.
func shorten(s string) string {
	if len(s) > 40 {
		return s[:32] + "…(" + strconv.Itoa(len(s)) + " characters)"
	}
	return s
}

// Number reads a number and returns it as written (null reads as "").
func (d *Decoder) Number() string {
	tok, ok := d.expect(Number, "a number")
	if !ok {
		return ""
	}
	return tok.String()
}

// Raw reads any value and returns its bytes as written (a slice of the
// input), or nil after an error.
func (d *Decoder) Raw() []byte {
	if d.syn != nil {
		return nil
	}
	start := d.ws(d.dec.inputOffset())
	if (d.at == atMember || d.at == atNextElem) && start < len(d.data) && (d.data[start] == ':' || d.data[start] == ',') {
		start = d.ws(start + 1)
	}
	d.value()
	if d.syn != nil {
		return nil
	}
	return d.data[start:d.dec.inputOffset()]
}

// Skip reads a value of any kind and discards it.
func (d *Decoder) Skip() { d.value() }

// value reads one value of any kind, token by token, keeping track of
// where it is for the messages. It does not recurse, so no input can
// exhaust the stack: open containers are a stack of bits.
func (d *Decoder) value() {
	var stack []bool // true for an object
	for {
		tok, ok := d.token()
		if !ok {
			return
		}
		switch tok.Kind() {
		case '{':
			stack = append(stack, true)
			d.at = atFirstKey
			continue
		case '[':
			stack = append(stack, false)
			d.at = atFirstElem
			continue
		case '}', ']':
			stack = stack[:len(stack)-1]
		default:
			if d.at == atFirstKey || d.at == atNextKey {
				d.at, d.key = atMember, tok.String()
				continue
			}
		}
		if len(stack) == 0 {
			return
		}
		if stack[len(stack)-1] {
			d.at = atNextKey
		} else {
			d.at = atNextElem
		}
	}
}

// Object reads an object, calling member for each key with the Decoder at
// the key's value. member reads that value and returns true, or returns
// false without reading anything for a key it does not know, which is an
// error. A repeated key is an error too (member is not called again).
// Object reports whether it read an object: null reads as nothing.
func (d *Decoder) Object(member func(key string) bool) bool {
	if _, ok := d.expect(Object, "an object"); !ok {
		return false
	}
	var seen keySet
	for d.at = atFirstKey; ; d.at = atNextKey {
		tok, ok := d.token()
		if !ok {
			return false
		}
		if tok.Kind() == '}' {
			return true
		}
		key := tok.String()
		d.push(segment{key: key, isKey: true})
		d.at, d.key = atMember, key
		switch {
		case seen.add(key):
			d.fail("repeated key: each key may appear once in an object")
			d.value()
			d.pop()
		case !member(key):
			d.pop()
			if d.val == nil && d.syn == nil {
				d.val = &ValueError{Path: d.pathString(), Key: key, Msg: "unknown key"}
			}
			d.at, d.key = atMember, key
			d.value()
		default:
			d.pop()
		}
		if d.syn != nil {
			return false
		}
	}
}

// Array reads an array, calling elem for each element with the Decoder at
// it; elem must read exactly one value. Array reports whether it read an
// array: null reads as nothing, "[]" as an array without elements.
func (d *Decoder) Array(elem func(i int)) bool {
	if _, ok := d.expect(Array, "an array"); !ok {
		return false
	}
	for i := 0; ; i++ {
		d.at = atNextElem
		if i == 0 {
			d.at = atFirstElem
		}
		if d.dec.peekKind() == ']' {
			d.token()
			return d.syn == nil
		}
		d.push(segment{index: i})
		elem(i)
		d.pop()
		if d.syn != nil {
			return false
		}
	}
}

func (d *Decoder) push(s segment) { d.path = append(d.path, s) }
func (d *Decoder) pop()           { d.path = d.path[:len(d.path)-1] }

func (d *Decoder) pathString() string {
	var b []byte
	for _, s := range d.path {
		if !s.isKey {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.index), 10)
			b = append(b, ']')
			continue
		}
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, pathKey(s.key)...)
	}
	return string(b)
}

// keySet remembers the keys of one object: a slice for the few keys of
// connlab's objects, a map once an object has many.
type keySet struct {
	few  []string
	many map[string]bool
}

// add records k and reports whether it was there already.
func (s *keySet) add(k string) bool {
	if s.many != nil {
		if s.many[k] {
			return true
		}
		s.many[k] = true
		return false
	}
	for _, x := range s.few {
		if x == k {
			return true
		}
	}
	if len(s.few) < 16 {
		s.few = append(s.few, k)
		return false
	}
	s.many = make(map[string]bool, 2*len(s.few))
	for _, x := range s.few {
		s.many[x] = true
	}
	s.many[k] = true
	s.few = nil
	return false
}

// ws skips RFC 8259's four whitespace bytes from p.
func (d *Decoder) ws(p int) int { return skipWS(d.data, p) }

// --- what went wrong ---
//
// The tokenizer found that the token at p (after whitespace) is not
// JSON; d.at says what was expected there. The messages name what was
// expected and what was found, at the byte where they part.

func (d *Decoder) diagnose(p int, err error) {
	n := len(d.data)
	switch d.at {
	case atFirstKey:
		switch {
		case p >= n:
			d.eof("a key or '}'")
		case d.data[p] != '"':
			d.syntaxErr(p, "expected a key (a string in double quotes) or '}', found "+d.describe(p))
		default:
			d.badString(p, err)
		}
	case atNextKey:
		if p >= n {
			d.eof("',' or '}'")
			return
		}
		if d.data[p] != ',' {
			d.afterValue(p, "expected ',' or '}' after an object member, found ", "")
			return
		}
		q := d.ws(p + 1)
		switch {
		case q >= n:
			d.eof("a key")
		case d.data[q] == '}':
			d.syntaxErr(q, "'}' after ',': JSON allows no comma after the last member")
		case d.data[q] != '"':
			d.syntaxErr(q, "expected a key (a string in double quotes), found "+d.describe(q))
		default:
			d.badString(q, err)
		}
	case atMember:
		switch {
		case p >= n:
			d.eof("':' after the key " + strconv.Quote(d.key))
		case d.data[p] != ':':
			d.syntaxErr(p, "expected ':' after the key "+strconv.Quote(d.key)+", found "+d.describe(p))
		default:
			d.badValue(d.ws(p+1), err)
		}
	case atFirstElem:
		if p >= n {
			d.eof("a value or ']'")
			return
		}
		d.badValue(p, err)
	case atNextElem:
		if p >= n {
			d.eof("',' or ']'")
			return
		}
		if d.data[p] != ',' {
			d.afterValue(p, "expected ',' or ']' after an array element, found ", "")
			return
		}
		q := d.ws(p + 1)
		if q < n && d.data[q] == ']' {
			d.syntaxErr(q, "']' after ',': JSON allows no comma after the last element")
			return
		}
		d.badValue(q, err)
	default:
		d.badValue(p, err)
	}
}

// afterValue reports the byte at p where a value has ended: a digit
// right after a lone 0 is a leading zero (the tokenizer took the 0 as a
// whole number).
func (d *Decoder) afterValue(p int, before, after string) {
	if p > 0 && d.data[p-1] == '0' && isDigit(d.data[p]) {
		d.syntaxErr(p-1, "a number may not start with 0 unless it is 0 (no leading zeros)")
		return
	}
	d.syntaxErr(p, before+d.describe(p)+after)
}

// badValue describes a value starting at p that is not JSON.
func (d *Decoder) badValue(p int, err error) {
	if p >= len(d.data) {
		d.eof("a value")
		return
	}
	switch k := kindOf(d.data[p]); k {
	case Object, Array:
		d.syntaxErr(p, "nesting deeper than "+strconv.Itoa(maxDepth)+" levels")
	case String:
		d.badString(p, err)
	case Number:
		d.badNumber(p, err)
	case Null:
		d.badLiteral(p, "null", err)
	case True:
		d.badLiteral(p, "true", err)
	case False:
		d.badLiteral(p, "false", err)
	default:
		d.syntaxErr(p, "expected a JSON value (an object, array, string, number, true, false or null), found "+d.describe(p))
	}
}

// badString finds what is wrong in the string starting at p.
func (d *Decoder) badString(p int, err error) {
	n := len(d.data)
	for i := p + 1; i < n; {
		switch c := d.data[i]; {
		case c == '"':
			d.libErr(err) // the string is fine: not expected
			return
		case c == '\\':
			if i+1 >= n {
				d.eof("an escape after '\\'")
				return
			}
			switch d.data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
				continue
			case 'u':
				for j := i + 2; j < i+6; j++ {
					if j >= n {
						d.eof(`four hex digits after \u`)
						return
					}
					if !isHex(d.data[j]) {
						d.syntaxErr(j, `expected four hex digits after \u, found `+d.describe(j))
						return
					}
				}
				i += 6
				continue
			}
			d.syntaxErr(i, `invalid escape in a string: '\' followed by `+d.describe(i+1)+` (JSON has \" \\ \/ \b \f \n \r \t and \uXXXX)`)
			return
		case c < 0x20:
			d.syntaxErr(i, controlMsg(c))
			return
		default:
			i++
		}
	}
	d.eof("the closing '\"' of a string")
}

// badNumber finds what is wrong in the number starting at p.
//
//	number = [ "-" ] int [ frac ] [ exp ]   (RFC 8259 §6)
func (d *Decoder) badNumber(p int, err error) {
	n := len(d.data)
	digits := func(after string) bool {
		if p >= n {
			d.eof("a digit " + after)
			return false
		}
		if !isDigit(d.data[p]) {
			d.syntaxErr(p, "expected a digit "+after+", found "+d.describe(p))
			return false
		}
		for p < n && isDigit(d.data[p]) {
			p++
		}
		return true
	}
	if d.data[p] == '-' {
		p++
	}
	if p < n && d.data[p] == '0' {
		p++
	} else if !digits("after '-'") {
		return
	}
	if p < n && d.data[p] == '.' {
		p++
		if !digits("after the decimal point") {
			return
		}
	}
	if p < n && (d.data[p] == 'e' || d.data[p] == 'E') {
		p++
		if p < n && (d.data[p] == '+' || d.data[p] == '-') {
			p++
		}
		if !digits("in the exponent") {
			return
		}
	}
	d.libErr(err)
}

// badLiteral finds where the literal at p parts from word.
func (d *Decoder) badLiteral(p int, word string, err error) {
	for i := 1; i < len(word); i++ {
		if p+i >= len(d.data) {
			d.eof("the rest of " + word)
			return
		}
		if d.data[p+i] != word[i] {
			d.syntaxErr(p+i, "expected "+word+", found "+d.describe(p+i))
			return
		}
	}
	d.libErr(err)
}

// libErr reports the tokenizer's own error, for what the descriptions
// above do not foresee.
func (d *Decoder) libErr(err error) {
	p, msg := len(d.data), err.Error()
	if se, ok := err.(*scanError); ok {
		p = se.off
	}
	d.syntaxErr(p, msg)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func controlMsg(c byte) string {
	var esc string
	switch c {
	case '\n':
		esc = `\n`
	case '\r':
		esc = `\r`
	case '\t':
		esc = `\t`
	case '\b':
		esc = `\b`
	case '\f':
		esc = `\f`
	default:
		esc = `\u00` + string(hexDigits[c>>4]) + string(hexDigits[c&0xF])
	}
	return "control character U+00" + string(hexDigits[c>>4]) + string(hexDigits[c&0xF]) + " in a string: write it as " + esc
}

const hexDigits = "0123456789abcdef"

// --- errors ---

// describe names the character at data[p] for a message: 'x', or U+0001,
// or the byte 0xff for invalid UTF-8.
func (d *Decoder) describe(p int) string {
	r, n := utf8.DecodeRune(d.data[p:])
	switch {
	case r == utf8.RuneError && n == 1:
		return "the byte 0x" + string(hexDigits[d.data[p]>>4]) + string(hexDigits[d.data[p]&0xF]) + " (not UTF-8)"
	case r < 0x20 || r == 0x7f:
		return "the control character " + strconv.QuoteRune(r)
	case r >= 0x80 && !strconv.IsPrint(r):
		return "the character " + strconv.QuoteRuneToASCII(r)
	}
	return strconv.QuoteRune(r)
}

func (d *Decoder) eof(want string) {
	d.syntaxErr(len(d.data), "unexpected end of input: expected "+want)
}

// syntaxErr records a syntax error at byte p (the first one wins; there is
// no other after it).
func (d *Decoder) syntaxErr(p int, msg string) {
	if d.syn != nil {
		return
	}
	line, lineStart := 1, 0
	for i := 0; i < p && i < len(d.data); i++ {
		if d.data[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	d.syn = &SyntaxError{Offset: p, Line: line, Column: 1 + utf8.RuneCount(d.data[lineStart:min(p, len(d.data))]), Msg: msg}
}

func kindOf(c byte) Kind {
	switch c {
	case 'n', 'f', 't', '"', '{', '[':
		return Kind(c)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return Number
	}
	return Invalid
}
