package jsontext

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/connlab/connlab/engine/jsontext/jsonoracle"
)

// writeAny writes a value as decodeAny reads it, keys sorted as
// encoding/json sorts a map's.
func writeAny(w *Writer, v any) {
	switch v := v.(type) {
	case map[string]any:
		w.BeginObject()
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			w.Key(k)
			writeAny(w, v[k])
		}
		w.EndObject()
	case []any:
		w.BeginArray()
		for _, e := range v {
			writeAny(w, e)
		}
		w.EndArray()
	case string:
		w.String(v)
	case json.Number:
		w.Raw([]byte(v))
	case bool:
		w.Bool(v)
	case nil:
		w.Null()
	}
}

// checkWrite: for a value both readers accept, the Writer writes what
// Marshal and MarshalIndent write; String and AppendCompact agree
// with Marshal of a string and of a json.RawMessage.
func checkWrite(t *testing.T, data []byte) {
	t.Helper()
	want, _ := json.Marshal(string(data))
	w := Writer{Buf: []byte("x")}
	w.String(string(data))
	if got := w.Bytes(); string(got) != "x"+string(want) {
		t.Fatalf("String(%q) = %s, want x%s", data, got, want)
	}
	wantC, errC := json.Marshal(json.RawMessage(data))
	gotC, err := AppendCompact([]byte("x"), data)
	if (err == nil) != (errC == nil) && !(err != nil && jsonoracle.DuplicateKeys(data)) {
		t.Fatalf("AppendCompact(%q): err %v, encoding/json: %v", data, err, errC)
	}
	if err == nil && string(gotC) != "x"+string(wantC) {
		t.Fatalf("AppendCompact(%q) = %s, want x%s", data, gotC, wantC)
	}
	if err != nil && string(gotC) != "x" {
		t.Fatalf("AppendCompact(%q) failed but wrote %q", data, gotC)
	}
	if errC == nil {
		// Raw as an object's member, compact and indented, as encoding/json
		// writes a json.RawMessage there
		for _, indent := range []bool{false, true} {
			m := map[string]any{"k": json.RawMessage(data), "z": 1}
			var want []byte
			if indent {
				want, _ = json.MarshalIndent(m, "", "  ")
			} else {
				want, _ = json.Marshal(m)
			}
			w := Writer{Indent: indent}
			w.BeginObject()
			w.Key("k")
			w.Raw(data)
			w.Key("z")
			w.Int(1)
			w.EndObject()
			if string(w.Bytes()) != string(want) {
				t.Fatalf("Raw(%q), indent %v:\n got %s\nwant %s", data, indent, w.Bytes(), want)
			}
		}
	} else {
		w := Writer{Buf: []byte("x")}
		w.BeginArray()
		w.Raw(data)
		w.Null()
		w.EndArray()
		if got := string(w.Bytes()); got != "x[null]" {
			t.Fatalf("Raw(%q) of no JSON value: %s, want x[null]", data, got)
		}
	}
	v, err := readAny(data)
	if err != nil {
		return
	}
	for _, indent := range []bool{false, true} {
		var want []byte
		if indent {
			want, _ = json.MarshalIndent(v, "", "  ")
		} else {
			want, _ = json.Marshal(v)
		}
		w := Writer{Indent: indent}
		writeAny(&w, v)
		if string(w.Bytes()) != string(want) {
			t.Fatalf("%q, indent %v:\n got %s\nwant %s", data, indent, w.Bytes(), want)
		}
	}
}

func TestWriteAgainstEncodingJSON(t *testing.T) {
	seeds := append([]string{
		"<a href=\"x\">&amp;</a>", "\u2028\u2029", "\x00\x01\x1f\x7f", "\xff", "a\xc3", "\xed\xa0\x80", "é😀",
		`{"b":[],"a":{},"c":[{}, [[]], {"x":[1,{"y":null}]}]}`, `[[],[[]],{}]`, `{"<>&":"\u003c\u2028"}`,
		" { \"a\" :\t\"\u2028\" } ",
	}, readSeeds...)
	for _, s := range seeds {
		checkWrite(t, []byte(s))
	}
	for c := 0; c < 256; c++ {
		checkWrite(t, []byte{byte(c)})
		checkWrite(t, []byte(strconv.Quote(string(rune(c)))))
	}
}

func FuzzWrite(f *testing.F) {
	for _, s := range readSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkWrite(t, data) })
}

func TestAppendCompactRejects(t *testing.T) {
	for _, s := range []string{``, `{`, `{} {}`, `nul`} {
		if _, err := AppendCompact(nil, []byte(s)); err == nil {
			t.Errorf("%q: no error", s)
		} else if se := (*SyntaxError)(nil); !errors.As(err, &se) {
			t.Errorf("%q: %v is not a syntax error", s, err)
		}
	}
}
