package jsontext

import (
	"errors"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	jsonx "github.com/go-json-experiment/json/jsontext"
)

// TestTokenizerRefusesWhereTheLayerSays: the Decoder reads through
// go-json-experiment's tokenizer, and where the tokenizer refuses the
// bytes the layer names the line and column of the byte where the input
// parts from JSON, what it expected and what it found; value errors name
// the key path. The documents span lines, as session files do.
func TestTokenizerRefusesWhereTheLayerSays(t *testing.T) {
	cases := []struct {
		in       string
		line     int
		col      int
		msg      string
		libFails bool // the tokenizer alone refuses it too
	}{
		{"{\n  \"list\": [\n    {\"name\": \"a\"},\n    {\"name\" \"b\"}\n  ]\n}", 4, 13, `expected ':' after the key "name", found '"'`, true},
		{"{\n  \"list\": [\n    1,\n  ]\n}", 4, 3, "']' after ',': JSON allows no comma after the last element", true},
		{"{\n  \"n\": 01\n}", 2, 8, "a number may not start with 0 unless it is 0 (no leading zeros)", true},
		{"{\n  \"name\": \"é\\u12x4\"\n}", 2, 17, `expected four hex digits after \u, found 'x'`, true},
		{"{\n  \"on\": nul\n}", 2, 12, `expected null, found the control character '\n'`, true},
		{"[\n  {} ,\n  {},\n  {\"a\":1}\n  {}\n]", 5, 3, "expected ',' or ']' after an array element, found '{'", true},
		{"{\"list\":[{},\n{},\n{\"n\":1.}]}", 3, 8, "expected a digit after the decimal point, found '}'", true},
	}
	for _, c := range cases {
		_, err := readAny([]byte(c.in))
		var se *SyntaxError
		if !errors.As(err, &se) || se.Line != c.line || se.Column != c.col || se.Msg != c.msg {
			t.Errorf("%q: %v, want line %d, column %d: %s", c.in, err, c.line, c.col, c.msg)
		}
		if got := jsonx.Value(c.in).IsValid(jsonx.AllowDuplicateNames(true), jsonx.AllowInvalidUTF8(true)); got == c.libFails {
			t.Errorf("%q: the tokenizer says valid=%v", c.in, got)
		}
	}
	values := []struct{ in, where, msg string }{
		{"{\n \"list\": [{}, {\"list\": [{\"on\": 1}]}]\n}", "list[1].list[0].on", "expected true or false, got JSON number"},
		{"{\"list\": [{\"n\": 1, \"n\": 2}]}", "list[0].n", "repeated key: each key may appear once in an object"},
		{"{\"list\": [{\"words\": [\"a\", \"b\", {}]}]}", "list[0].words[2]", "expected a string, got JSON object"},
		{"{\"list\": [{}, {\"x y\": 1}]}", `list[1]."x y"`, "unknown key"},
	}
	for _, c := range values {
		d := NewDecoder([]byte(c.in))
		readShape(d, &shape{})
		var ve *ValueError
		if err := d.End(); !errors.As(err, &ve) || ve.Where() != c.where || ve.Msg != c.msg {
			t.Errorf("%q: %v, want %s: %s", c.in, err, c.where, c.msg)
		}
	}
	// the tokenizer reads the values: a Decoder is one over the input
	if d := NewDecoder([]byte(`{}`)); d.dec == nil || d.dec.inputOffset() != 0 {
		t.Errorf("the Decoder does not read through the tokenizer")
	}
}

// TestNoJSONLibrary: the package links no JSON library (its tokenizer
// is scanner): go-json-experiment's Decoder was about 25 KB of the
// browser's wasm with brotli, its Encoder 29 KiB, and encoding/json brings
// reflect. Tests may use them as oracles.
func TestNoJSONLibrary(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if p := strings.Trim(imp.Path.Value, `"`); strings.Contains(p, "json") {
				t.Errorf("%s imports %s", name, p)
			}
		}
	}
}
