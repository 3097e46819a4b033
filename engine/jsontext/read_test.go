package jsontext

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/jsontext/jsonoracle"
)

// decodeAny reads any value the way encoding/json decodes into an any with
// UseNumber: the reader's generic walk, for comparing the two.
func decodeAny(d *Decoder) any {
	switch d.Peek() {
	case Object:
		m := map[string]any{}
		d.Object(func(k string) bool { m[k] = decodeAny(d); return true })
		return m
	case Array:
		a := []any{}
		d.Array(func(int) { a = append(a, decodeAny(d)) })
		return a
	case String:
		return d.String()
	case Number:
		return json.Number(d.Number())
	case True, False:
		return d.Bool()
	case Null:
		d.Null()
		return nil
	}
	d.Skip() // the syntax error
	return nil
}

func readAny(data []byte) (any, error) {
	d := NewDecoder(data)
	v := decodeAny(d)
	return v, d.End()
}

// oracleAny is encoding/json's decision and value for data.
func oracleAny(data []byte) (any, bool) {
	if !json.Valid(data) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

// checkAgainstOracle: the reader accepts exactly what encoding/json
// accepts, but for repeated keys, and reads the same value.
func checkAgainstOracle(t *testing.T, data []byte) {
	t.Helper()
	got, err := readAny(data)
	want, ok := oracleAny(data)
	var se *SyntaxError
	var ve *ValueError
	switch {
	case !ok:
		if !errors.As(err, &se) {
			t.Fatalf("%q: encoding/json rejects it, the reader says %v", data, err)
		}
	case errors.As(err, &ve) && strings.HasPrefix(ve.Msg, "repeated key") && jsonoracle.DuplicateKeys(data):
		// stricter on purpose
	case err != nil:
		t.Fatalf("%q: encoding/json accepts it, the reader says %v", data, err)
	case !reflect.DeepEqual(got, want):
		t.Fatalf("%q: read %#v, encoding/json reads %#v", data, got, want)
	}
	if ok && err == nil && jsonoracle.DuplicateKeys(data) {
		t.Fatalf("%q: a repeated key was accepted", data)
	}
}

var readSeeds = []string{
	``, ` `, `null`, `true`, `false`, `0`, `-0`, `1.5e+3`, `-12.0E-2`, `""`, `"a"`, `[]`, `{}`,
	`[1,2,3]`, `{"a":1,"b":[true,false,null],"c":{"d":"e"}}`,
	` { "a" : [ 1 , { } , [ ] ] } `, "\t\r\n[\n1\n]\n",
	`"\"\\\/\b\f\n\r\t"`, `"\u0041\u00e9\u20AC\ud83d\ude00"`, `"\ud800"`, `"\udc00x"`, `"\ud800\ud800"`, `"\ud800\u0041"`, `"\ud83d\ude00\ude00"`,
	"\"\xff\xfe\"", "\"a\xc3\"", "\"\xed\xa0\x80\"", "\"\u2028<>&\"",
	`01`, `-`, `-a`, `1.`, `1.e3`, `1e`, `1e+`, `.5`, `+1`, `0x10`, `1 2`, `Infinity`, `NaN`,
	`tru`, `nul`, `nulll`, `[1,]`, `{"a":1,}`, `{,}`, `[,1]`, `{"a" 1}`, `{a:1}`, `{'a':1}`, `[1 2]`, `{"a":1 "b":2}`,
	`"abc`, `"\x"`, `"\u12"`, `"\u12G4"`, "\"a\nb\"", "\"\x00\"", "\"\x7f\"", `[`, `{`, `{"a"`, `{"a":`, `[1,`, `]`, `}`,
	`{"a":1,"a":2}`, `{"a":{"b":1,"b":1}}`, `[{"k":1},{"k":1}]`, `{"a":1,"A":2}`, `{"\u0061":1,"a":2}`,
	"\xef\xbb\xbf{}", `{"":1}`, `{"a":[[[[[]]]]]}`, `1e999`, `-1e-999`, `123456789012345678901234567890`,
}

func TestReadAgainstEncodingJSON(t *testing.T) {
	for _, s := range readSeeds {
		checkAgainstOracle(t, []byte(s))
	}
	// the nesting limit: 10000 levels are fine, 10001 are not
	for _, n := range []int{maxDepth, maxDepth + 1} {
		for _, open := range []string{"[", `{"a":`} {
			closer := "]"
			if open != "[" {
				closer = "}"
			}
			checkAgainstOracle(t, []byte(strings.Repeat(open, n)+"1"+strings.Repeat(closer, n)))
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, s := range readSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAgainstOracle(t, data)
	})
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct {
		in         string
		line, col  int
		msgContain string
	}{
		{``, 1, 1, "unexpected end of input: expected a value"},
		{`{"version":1,}`, 1, 14, "no comma after the last member"},
		{`[1,]`, 1, 4, "no comma after the last element"},
		{"{\n  \"a\": 1\n  \"b\": 2}", 3, 3, "expected ',' or '}' after an object member, found '\"'"},
		{`{"a" 1}`, 1, 6, `expected ':' after the key "a", found '1'`},
		{`{a:1}`, 1, 2, "expected a key (a string in double quotes) or '}', found 'a'"},
		{`[1 2]`, 1, 4, "expected ',' or ']' after an array element"},
		{`01`, 1, 1, "leading zeros"},
		{`-x`, 1, 2, "expected a digit after '-', found 'x'"},
		{`1.`, 1, 3, "unexpected end of input: expected a digit after the decimal point"},
		{`1e+`, 1, 4, "expected a digit in the exponent"},
		{`tru`, 1, 4, "unexpected end of input: expected the rest of true"},
		{`nulx`, 1, 4, "expected null, found 'x'"},
		{`"abc`, 1, 5, `unexpected end of input: expected the closing '"' of a string`},
		{"\"a\nb\"", 1, 3, `control character U+000a in a string: write it as \n`},
		{"\"\x01\"", 1, 2, `write it as \u0001`},
		{`"\x"`, 1, 2, `invalid escape in a string: '\' followed by 'x'`},
		{`"\u12G4"`, 1, 6, `expected four hex digits after \u, found 'G'`},
		{`{"a":1} x`, 1, 9, "unexpected 'x' after the end of the top-level value"},
		{`{"a":1}}`, 1, 8, "unexpected '}' after the end of the top-level value"},
		{"[\"é\", é]", 1, 7, "expected a JSON value (an object, array, string, number, true, false or null), found 'é'"},
		{"[\xff]", 1, 2, "the byte 0xff (not UTF-8)"},
		{"[\x00]", 1, 2, `the control character '\x00'`},
		{strings.Repeat("[", maxDepth+1), 1, maxDepth + 1, "nesting deeper than 10000 levels"},
	}
	for _, c := range cases {
		_, err := readAny([]byte(c.in))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%.40q: err = %v, want a syntax error", c.in, err)
			continue
		}
		if se.Line != c.line || se.Column != c.col || !strings.Contains(se.Msg, c.msgContain) {
			t.Errorf("%.40q: line %d column %d %q, want line %d column %d and %q", c.in, se.Line, se.Column, se.Msg, c.line, c.col, c.msgContain)
		}
		if want := "invalid JSON at line "; !strings.HasPrefix(se.Error(), want) {
			t.Errorf("%q: Error() = %q", c.in, se.Error())
		}
	}
}

// shape is a small schema read with the Decoder, for the value errors.
type shape struct {
	Name  string
	N     int
	Big   int64
	On    *bool
	List  []shape
	Words []string
}

func readShape(d *Decoder, s *shape) {
	d.Object(func(key string) bool {
		switch key {
		case "name":
			s.Name = d.String()
		case "n":
			s.N = d.Int()
		case "big":
			s.Big = d.Int64()
		case "on":
			if !d.Null() {
				b := d.Bool()
				s.On = &b
			}
		case "list":
			if d.Array(func(i int) { s.List = append(s.List, shape{}); readShape(d, &s.List[i]) }) && s.List == nil {
				s.List = []shape{}
			}
		case "words":
			d.Array(func(int) { s.Words = append(s.Words, d.String()) })
		default:
			return false
		}
		return true
	})
}

func TestValueErrors(t *testing.T) {
	cases := []struct{ in, err string }{
		{`[]`, "(top level): expected an object, got JSON array"},
		{`"x"`, "(top level): expected an object, got JSON string"},
		{`{"name":5}`, "name: expected a string, got JSON number"},
		{`{"n":"5"}`, "n: expected an integer, got JSON string"},
		{`{"n":1.5}`, "n: expected an integer, got 1.5 (a whole number is written without fraction or exponent)"},
		{`{"n":1e2}`, "n: expected an integer, got 1e2 (a whole number is written without fraction or exponent)"},
		{`{"big":9223372036854775808}`, "big: the integer 9223372036854775808 is out of range (-9223372036854775808 to 9223372036854775807)"},
		{`{"on":"yes"}`, "on: expected true or false, got JSON string"},
		{`{"list":{}}`, "list: expected an array, got JSON object"},
		{`{"list":[{},{"name":[]}]}`, "list[1].name: expected a string, got JSON array"},
		{`{"list":[{"list":[{"nmae":1}]}]}`, "list[0].list[0].nmae: unknown key"},
		{`{"Name":"x"}`, "Name: unknown key"},
		{`{"a b":1}`, `"a b": unknown key`},
		{`{"name":"a","name":"b"}`, "name: repeated key: each key may appear once in an object"},
		{`{"words":["a",1]}`, "words[1]: expected a string, got JSON number"},
		// the first value error is the one reported
		{`{"n":"x","name":1}`, "n: expected an integer, got JSON string"},
	}
	for _, c := range cases {
		d := NewDecoder([]byte(c.in))
		readShape(d, &shape{})
		err := d.End()
		var ve *ValueError
		if !errors.As(err, &ve) || ve.Error() != c.err {
			t.Errorf("%s: err = %v, want %q", c.in, err, c.err)
		}
	}
	// the unknown key's error names the object and the key apart
	d := NewDecoder([]byte(`{"list":[{"nmae":1}]}`))
	readShape(d, &shape{})
	var ve *ValueError
	if !errors.As(d.End(), &ve) || ve.Path != "list[0]" || ve.Key != "nmae" || ve.Where() != "list[0].nmae" {
		t.Errorf("unknown key: %+v", ve)
	}
	// a syntax error after a value error wins, as in encoding/json
	d = NewDecoder([]byte(`{"n":"x","name":}`))
	readShape(d, &shape{})
	var se *SyntaxError
	if !errors.As(d.End(), &se) {
		t.Errorf("a value error hid a later syntax error: %v", d.End())
	}
}

func TestReadValues(t *testing.T) {
	var s shape
	d := NewDecoder([]byte(`{"name":"a\u00e9\ud83d\ude00","n":-0,"big":-9223372036854775808,"on":false,"list":[],"words":null}`))
	readShape(d, &s)
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
	if s.Name != "aé😀" || s.N != 0 || s.Big != -1<<63 || s.On == nil || *s.On || s.List == nil || len(s.List) != 0 || s.Words != nil {
		t.Errorf("%+v", s)
	}
	s = shape{}
	d = NewDecoder([]byte(`null`))
	readShape(d, &s)
	if err := d.End(); err != nil || !reflect.DeepEqual(s, shape{}) {
		t.Errorf("null: %+v %v", s, err)
	}
	d = NewDecoder([]byte(`{"on":null,"list":null,"name":null,"n":null}`))
	readShape(d, &s)
	if err := d.End(); err != nil || !reflect.DeepEqual(s, shape{}) {
		t.Errorf("nulls: %+v %v", s, err)
	}
}

// TestRawIsTheValueAsWritten: Raw returns the bytes of one value.
func TestRawIsTheValueAsWritten(t *testing.T) {
	d := NewDecoder([]byte(`{"a": { "b" : [1, "x"] } , "c":2}`))
	var raw []byte
	d.Object(func(k string) bool {
		if k == "a" {
			raw = d.Raw()
		} else {
			d.Skip()
		}
		return true
	})
	if err := d.End(); err != nil || string(raw) != `{ "b" : [1, "x"] }` {
		t.Errorf("raw %q, %v", raw, err)
	}
}

// TestNullIsError: with NullIsError every reader of a required value
// refuses null, naming the path; Optional still reads it as nil; without
// it null reads as the zero value, as in encoding/json.
func TestNullIsError(t *testing.T) {
	readers := map[string]func(d *Decoder){
		"expected a string, got null":      func(d *Decoder) { _ = d.String() },
		"expected true or false, got null": func(d *Decoder) { d.Bool() },
		"expected an integer, got null":    func(d *Decoder) { d.Int() },
		"expected a number, got null":      func(d *Decoder) { d.Number() },
		"expected an object, got null":     func(d *Decoder) { d.Object(func(string) bool { return false }) },
		"expected an array, got null":      func(d *Decoder) { d.Array(func(int) { d.Skip() }) },
	}
	for want, read := range readers {
		for _, strict := range []bool{false, true} {
			d := NewDecoder([]byte(`{"a":[1,null]}`))
			d.NullIsError = strict
			d.Object(func(string) bool {
				d.Array(func(i int) {
					if i == 0 {
						d.Skip()
					} else {
						read(d)
					}
				})
				return true
			})
			err := d.End()
			if !strict {
				if err != nil {
					t.Errorf("%s without NullIsError: %v", want, err)
				}
				continue
			}
			var ve *ValueError
			if !errors.As(err, &ve) || ve.Path != "a[1]" || ve.Msg != want {
				t.Errorf("NullIsError: got %#v, want a[1]: %s", err, want)
			}
		}
	}
	d := NewDecoder([]byte(`null`))
	d.NullIsError = true
	if p := Optional(d, d.Int); p != nil || d.End() != nil {
		t.Errorf("Optional under NullIsError: %v, %v", p, d.End())
	}
}
