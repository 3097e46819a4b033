// Package jsontext reads and writes JSON (RFC 8259) by hand, for connlab's
// own small documents: the session file and the permalink. It exists so the
// browser build does not link encoding/json and reflect (about a megabyte of
// wasm); it is not the standard library's encoding/json/jsontext.
//
// The reader is driven by the document's shape, as a hand-written parser
// is: the caller asks for an object, a string, an integer, and the Decoder
// checks the bytes and says precisely what was wrong and where. It accepts
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

	data  []byte
	pos   int
	depth int
	path  []segment // where the value being read is, for ValueError.Path
	syn   *SyntaxError
	val   *ValueError
}

// segment is one step of a path: a key, or an array index.
type segment struct {
	key   string
	index int
	isKey bool
}

// NewDecoder returns a Decoder reading data. It does not copy data: Raw
// returns slices of it.
func NewDecoder(data []byte) *Decoder { return &Decoder{data: data} }

// End checks that only whitespace follows the top-level value and returns
// the first syntax error, else the first value error, else nil.
func (d *Decoder) End() error {
	if d.syn == nil {
		d.ws()
		if d.pos < len(d.data) {
			d.syntaxErr(d.pos, "unexpected "+d.describe(d.pos)+" after the end of the top-level value")
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
	d.ws()
	if d.pos >= len(d.data) {
		return Invalid
	}
	return kindOf(d.data[d.pos])
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

// Null reads a null if one is next and reports whether it did; otherwise it
// reads nothing.
func (d *Decoder) Null() bool {
	if d.Peek() != Null {
		return false
	}
	d.literal("null")
	return d.syn == nil
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

// expect starts reading a value of kind want (described as what, "a string"):
// it returns true when that kind is next. For null it reads the null and
// returns false (recording a value error first when NullIsError is set);
// for any other kind it records a value error, skips the value and returns
// false.
func (d *Decoder) expect(want Kind, what string) bool {
	switch k := d.Peek(); k {
	case want:
		return true
	case Null:
		if d.NullIsError {
			d.fail("expected " + what + ", got null")
		}
		d.literal("null")
		return false
	case Invalid:
		d.value() // reports the syntax error
		return false
	default:
		d.fail("expected " + what + ", got JSON " + k.name())
		d.value()
		return false
	}
}

// String reads a string (null reads as "").
func (d *Decoder) String() string {
	if !d.expect(String, "a string") {
		return ""
	}
	s, _ := d.str(true)
	return s
}

// Bool reads true or false (null reads as false).
func (d *Decoder) Bool() bool {
	switch k := d.Peek(); k {
	case True:
		d.literal("true")
		return d.syn == nil
	case False:
		d.literal("false")
		return false
	}
	d.expect(True, "true or false")
	return false
}

// Int reads an integer that fits an int (null reads as 0).
func (d *Decoder) Int() int { return int(d.intN(strconv.IntSize)) }

// Int64 reads an integer that fits an int64 (null reads as 0).
func (d *Decoder) Int64() int64 { return d.intN(64) }

func (d *Decoder) intN(bits int) int64 {
	if !d.expect(Number, "an integer") {
		return 0
	}
	lit := d.number()
	if lit == "" {
		return 0
	}
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
	if !d.expect(Number, "a number") {
		return ""
	}
	return d.number()
}

// Raw reads any value and returns its bytes as written (a slice of the
// input), or nil after an error.
func (d *Decoder) Raw() []byte {
	if d.syn != nil {
		return nil
	}
	d.ws()
	start := d.pos
	d.value()
	if d.syn != nil {
		return nil
	}
	return d.data[start:d.pos]
}

// Skip reads a value of any kind and discards it.
func (d *Decoder) Skip() { d.value() }

// Object reads an object, calling member for each key with the Decoder at
// the key's value. member reads that value and returns true, or returns
// false without reading anything for a key it does not know, which is an
// error. A repeated key is an error too (member is not called again).
// Object reports whether it read an object: null reads as nothing.
func (d *Decoder) Object(member func(key string) bool) bool {
	if !d.expect(Object, "an object") {
		return false
	}
	if !d.open() {
		return false
	}
	var seen keySet
	for first := true; ; first = false {
		key, ok := d.nextKey(first)
		if !ok {
			break
		}
		if seen.add(key) {
			d.push(segment{key: key, isKey: true})
			d.fail("repeated key: each key may appear once in an object")
			d.value()
			d.pop()
			continue
		}
		d.push(segment{key: key, isKey: true})
		known := member(key)
		d.pop()
		if !known {
			if d.val == nil && d.syn == nil {
				d.val = &ValueError{Path: d.pathString(), Key: key, Msg: "unknown key"}
			}
			d.value()
		}
	}
	d.depth--
	return d.syn == nil
}

// Array reads an array, calling elem for each element with the Decoder at
// it; elem must read exactly one value. Array reports whether it read an
// array: null reads as nothing, "[]" as an array without elements.
func (d *Decoder) Array(elem func(i int)) bool {
	if !d.expect(Array, "an array") {
		return false
	}
	if !d.open() {
		return false
	}
	for i := 0; d.nextElem(i == 0); i++ {
		d.push(segment{index: i})
		elem(i)
		d.pop()
	}
	d.depth--
	return d.syn == nil
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

// --- the grammar ---

// ws skips RFC 8259's four whitespace bytes.
func (d *Decoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// open reads the '{' or '[' at d.pos, one level deeper.
func (d *Decoder) open() bool {
	d.depth++
	if d.depth > maxDepth {
		d.syntaxErr(d.pos, "nesting deeper than "+strconv.Itoa(maxDepth)+" levels")
		return false
	}
	d.pos++
	return true
}

// nextKey reads what comes before the next member of an object: for the
// first, a key or '}'; after that a ',' and a key, or '}'. It returns the
// key, positioned at its value, or false at '}' (read) or an error.
func (d *Decoder) nextKey(first bool) (string, bool) {
	if d.syn != nil {
		return "", false
	}
	d.ws()
	if d.pos >= len(d.data) {
		if first {
			d.eof("a key or '}'")
		} else {
			d.eof("',' or '}'")
		}
		return "", false
	}
	c := d.data[d.pos]
	if c == '}' {
		d.pos++
		return "", false
	}
	if !first {
		if c != ',' {
			d.syntaxErr(d.pos, "expected ',' or '}' after an object member, found "+d.describe(d.pos))
			return "", false
		}
		d.pos++
		d.ws()
		if d.pos < len(d.data) && d.data[d.pos] == '}' {
			d.syntaxErr(d.pos, "'}' after ',': JSON allows no comma after the last member")
			return "", false
		}
	}
	if d.pos >= len(d.data) {
		d.eof("a key")
		return "", false
	}
	if d.data[d.pos] != '"' {
		if first {
			d.syntaxErr(d.pos, "expected a key (a string in double quotes) or '}', found "+d.describe(d.pos))
		} else {
			d.syntaxErr(d.pos, "expected a key (a string in double quotes), found "+d.describe(d.pos))
		}
		return "", false
	}
	key, ok := d.str(true)
	if !ok {
		return "", false
	}
	d.ws()
	if d.pos >= len(d.data) {
		d.eof("':' after the key " + strconv.Quote(key))
		return "", false
	}
	if d.data[d.pos] != ':' {
		d.syntaxErr(d.pos, "expected ':' after the key "+strconv.Quote(key)+", found "+d.describe(d.pos))
		return "", false
	}
	d.pos++
	return key, true
}

// nextElem is nextKey for arrays: true when an element follows.
func (d *Decoder) nextElem(first bool) bool {
	if d.syn != nil {
		return false
	}
	d.ws()
	if d.pos >= len(d.data) {
		if first {
			d.eof("a value or ']'")
		} else {
			d.eof("',' or ']'")
		}
		return false
	}
	c := d.data[d.pos]
	if c == ']' {
		d.pos++
		return false
	}
	if first {
		return true
	}
	if c != ',' {
		d.syntaxErr(d.pos, "expected ',' or ']' after an array element, found "+d.describe(d.pos))
		return false
	}
	d.pos++
	d.ws()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.syntaxErr(d.pos, "']' after ',': JSON allows no comma after the last element")
		return false
	}
	return true
}

// value reads one value of any kind. It does not recurse, so no input can
// exhaust the stack: open containers are a stack of bits.
func (d *Decoder) value() {
	var stack []bool // true for an object
	for d.syn == nil {
		// a value
		d.ws()
		if d.pos >= len(d.data) {
			d.eof("a value")
			return
		}
		switch c := d.data[d.pos]; kindOf(c) {
		case Object, Array:
			if !d.open() {
				return
			}
			isObj := c == '{'
			var more bool
			if isObj {
				_, more = d.nextKey(true)
			} else {
				more = d.nextElem(true)
			}
			if more {
				stack = append(stack, isObj)
				continue // to the first member's value
			}
			d.depth--
		case String:
			d.str(false)
		case Number:
			d.number()
		case Null:
			d.literal("null")
		case True:
			d.literal("true")
		case False:
			d.literal("false")
		default:
			d.syntaxErr(d.pos, "expected a JSON value (an object, array, string, number, true, false or null), found "+d.describe(d.pos))
			return
		}
		// after a value: close what ends here, until another member follows
		for {
			if d.syn != nil || len(stack) == 0 {
				return
			}
			var more bool
			if stack[len(stack)-1] {
				_, more = d.nextKey(false)
			} else {
				more = d.nextElem(false)
			}
			if more {
				break
			}
			if d.syn != nil {
				return
			}
			stack = stack[:len(stack)-1]
			d.depth--
		}
	}
}

// literal reads true, false or null (the first byte is checked).
func (d *Decoder) literal(word string) {
	for i := 1; i < len(word); i++ {
		p := d.pos + i
		if p >= len(d.data) {
			d.eof("the rest of " + word)
			return
		}
		if d.data[p] != word[i] {
			d.syntaxErr(p, "expected "+word+", found "+d.describe(p))
			return
		}
	}
	d.pos += len(word)
}

// number reads a number and returns it as written.
//
//	number = [ "-" ] int [ frac ] [ exp ]   (RFC 8259 §6)
func (d *Decoder) number() string {
	start := d.pos
	p := d.pos
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
		if p < n && isDigit(d.data[p]) {
			d.syntaxErr(p-1, "a number may not start with 0 unless it is 0 (no leading zeros)")
			return ""
		}
	} else if !digits("after '-'") {
		return ""
	}
	if p < n && d.data[p] == '.' {
		p++
		if !digits("after the decimal point") {
			return ""
		}
	}
	if p < n && (d.data[p] == 'e' || d.data[p] == 'E') {
		p++
		if p < n && (d.data[p] == '+' || d.data[p] == '-') {
			p++
		}
		if !digits("in the exponent") {
			return ""
		}
	}
	d.pos = p
	return string(d.data[start:p])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// str reads the string at d.pos (its opening quote) and, if keep, returns
// it decoded. The decoded string is the input bytes themselves unless an
// escape or invalid UTF-8 makes a copy necessary.
func (d *Decoder) str(keep bool) (string, bool) {
	start := d.pos + 1
	var buf []byte // nil while the string is data[start:i] as written
	lit := start   // the start of bytes not yet copied to buf
	for i := start; i < len(d.data); {
		c := d.data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			if !keep {
				return "", true
			}
			if buf == nil {
				return string(d.data[start:i]), true
			}
			return string(append(buf, d.data[lit:i]...)), true
		case c == '\\':
			r, n := d.escape(i)
			if n == 0 {
				return "", false
			}
			if keep {
				buf = append(buf, d.data[lit:i]...)
				buf = utf8.AppendRune(buf, r)
			}
			i += n
			lit = i
		case c < 0x20:
			d.syntaxErr(i, controlMsg(c))
			return "", false
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRune(d.data[i:])
			if r == utf8.RuneError && n == 1 {
				// invalid UTF-8 becomes U+FFFD, one per byte, as in encoding/json
				if keep {
					buf = append(buf, d.data[lit:i]...)
					buf = append(buf, "\uFFFD"...)
				}
				lit = i + 1
			}
			i += n
		}
	}
	d.pos = len(d.data)
	d.eof("the closing '\"' of a string")
	return "", false
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

// escape decodes the escape at data[i] (a backslash) and returns the rune
// and the number of bytes it took, or 0 after a syntax error. A surrogate
// pair (\uD83D\uDE00) is one rune; a surrogate that is not part of a pair
// is U+FFFD, as in encoding/json.
func (d *Decoder) escape(i int) (rune, int) {
	if i+1 >= len(d.data) {
		d.eof("an escape after '\\'")
		return 0, 0
	}
	switch c := d.data[i+1]; c {
	case '"', '\\', '/':
		return rune(c), 2
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		r, ok := d.hex4(i + 2)
		if !ok {
			return 0, 0
		}
		if r < 0xD800 || r >= 0xE000 {
			return r, 6
		}
		if r < 0xDC00 && i+12 <= len(d.data) && d.data[i+6] == '\\' && d.data[i+7] == 'u' {
			if lo, ok := hex4(d.data[i+8 : i+12]); ok && lo >= 0xDC00 && lo < 0xE000 {
				return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12
			}
		}
		return utf8.RuneError, 6
	}
	d.syntaxErr(i, `invalid escape in a string: '\' followed by `+d.describe(i+1)+` (JSON has \" \\ \/ \b \f \n \r \t and \uXXXX)`)
	return 0, 0
}

// hex4 reads the four hex digits of a \u escape at data[p].
func (d *Decoder) hex4(p int) (rune, bool) {
	for j := p; j < p+4; j++ {
		if j >= len(d.data) {
			d.eof(`four hex digits after \u`)
			return 0, false
		}
		if !isHex(d.data[j]) {
			d.syntaxErr(j, `expected four hex digits after \u, found `+d.describe(j))
			return 0, false
		}
	}
	r, _ := hex4(d.data[p : p+4])
	return r, true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
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
	d.pos = len(d.data)
}
