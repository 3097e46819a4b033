package ui

import (
	"bytes"
	"errors"
	"testing"
)

func TestDecodeInput(t *testing.T) {
	for _, c := range []struct {
		name string
		text string
		crlf bool
		want string
	}{
		{"line breaks become CRLF", "GET / HTTP/1.1\nHost: x\n\n", true, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"or bare LF with the toggle off", "GET / HTTP/1.1\nHost: x\n\n", false, "GET / HTTP/1.1\nHost: x\n\n"},
		{"a pasted CRLF is one line break", "a\r\nb", true, "a\r\nb"},
		{"a lone CR is a line break", "a\rb", false, "a\nb"},
		{"escapes", `\r\n\t\\\x00\xff\x41`, true, "\r\n\t\\\x00\xffA"},
		{"escapes ignore the toggle", `a\nb`, true, "a\nb"},
		{"an unknown escape keeps its backslash", `C:\dir\file`, true, `C:\dir\file`},
		{"a trailing backslash stays", `ab\`, true, `ab\`},
		{"UTF-8 passes through", "é→", true, "é→"},
		{"empty", "", true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecodeInput(c.text, c.crlf)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("DecodeInput(%q, %v) = %q, want %q", c.text, c.crlf, got, c.want)
			}
		})
	}
}

func TestDecodeInputErrors(t *testing.T) {
	for _, c := range []struct {
		text string
		pos  int
	}{
		{`ab\x`, 2},
		{`\x4`, 0},
		{`\xzz rest`, 0},
		{`ok\x0g`, 2},
	} {
		_, err := DecodeInput(c.text, true)
		var ee *EscapeError
		if !errors.As(err, &ee) {
			t.Errorf("DecodeInput(%q): err %v, want an *EscapeError", c.text, err)
			continue
		}
		if ee.Pos != c.pos {
			t.Errorf("DecodeInput(%q): error at %d, want %d (%v)", c.text, ee.Pos, c.pos, ee)
		}
	}
}

// TestEncodeInputRoundTrip: every byte string survives the editor, in both
// toggle positions.
func TestEncodeInputRoundTrip(t *testing.T) {
	cases := [][]byte{
		[]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
		[]byte("bare\nlf\r\nmixed\r\r\n"),
		[]byte(`back\slash \r literal`),
		{0, 1, 2, 0x7f, 0x80, 0xff, 0xc3, 0xa9, 0xe2, 0x82},
		[]byte("é→😀"),
	}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	cases = append(cases, all)
	for _, b := range cases {
		for _, crlf := range []bool{true, false} {
			text := EncodeInput(b, crlf)
			got, err := DecodeInput(text, crlf)
			if err != nil || !bytes.Equal(got, b) {
				t.Errorf("round trip (crlf %v) of %q via %q = %q, %v", crlf, b, text, got, err)
			}
		}
	}
}

func FuzzInputRoundTrip(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), true)
	f.Add([]byte{0xff, '\\', 'x', '\r'}, false)
	f.Fuzz(func(t *testing.T, b []byte, crlf bool) {
		got, err := DecodeInput(EncodeInput(b, crlf), crlf)
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("round trip of %q = %q, %v", b, got, err)
		}
	})
}

func TestCaretByteOffset(t *testing.T) {
	for _, c := range []struct {
		text  string
		caret int
		want  int
	}{
		{"GET / HTTP/1.1\nHost: x\n\n", 15, 16}, // after the first line break: CR LF
		{"abc", 0, 0},
		{"abc", 99, 3},
		{`a\r\nb`, 3, 2}, // inside the \n escape: back to its backslash
		{`a\x41b`, 4, 1}, // inside \x41
		{`a\x41b`, 5, 2}, // after it
		{`a\\b`, 3, 2},   // after an escaped backslash
		{"é→x", 2, 5},    // UTF-16 units: é and → are one unit each
		{"😀x", 2, 4},     // an astral character is two units
		{"😀x", 3, 5},
	} {
		got, err := CaretByteOffset(c.text, c.caret, true)
		if err != nil || got != c.want {
			t.Errorf("CaretByteOffset(%q, %d) = %d, %v; want %d", c.text, c.caret, got, err, c.want)
		}
	}
	if got := restAfterCaret("GET /\nrest", 5); got != "\nrest" {
		t.Errorf("restAfterCaret = %q", got)
	}
}

func TestFragments(t *testing.T) {
	got := Fragments([]byte("abcdefgh"), 3)
	if len(got) != 3 || string(got[0]) != "abc" || string(got[2]) != "gh" {
		t.Errorf("Fragments = %q", got)
	}
	if got := Fragments([]byte("ab"), 0); len(got) != 1 {
		t.Errorf("Fragments(n=0) = %q", got)
	}
}

func TestVisible(t *testing.T) {
	got := string(appendVisible(nil, []byte("a<b>&\"\r\n\t\\\x00\xff é")))
	want := `a&lt;b&gt;&amp;&#34;<i class="m">\r\n</i>` + "\n" + `<i class="m">\t</i>\\<i class="m">\x00</i><i class="m">\xff</i> é`
	if got != want {
		t.Errorf("appendVisible =\n%s\nwant\n%s", got, want)
	}
	if got := VisibleText([]byte("GET\r\n\\")); got != "GET\\r\\n\n\\\\" {
		t.Errorf("VisibleText = %q", got)
	}
}
