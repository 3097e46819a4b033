package session

import (
	"fmt"
	"testing"
)

// The helpers in format.go stand in for fmt verbs; these pin them to fmt.

func TestPadRightMatchesFmt(t *testing.T) {
	for _, s := range []string{"", "a", "span", "transition", "keep_alive_x", "client conn", "é→ü", "\xff\xfe", "longer than eleven"} {
		for _, w := range []int{0, 3, 4, 11, 12} {
			if got, want := padRight(s, w), fmt.Sprintf("%-*s", w, s); got != want {
				t.Errorf("padRight(%q, %d) = %q, want %q", s, w, got, want)
			}
		}
	}
}

func TestWordListMatchesFmt(t *testing.T) {
	for _, a := range [][]string{nil, {}, {"a"}, {"c→s read", "timer"}, {"", ""}} {
		if got, want := wordList(a), fmt.Sprintf("%v", a); got != want {
			t.Errorf("wordList(%q) = %q, want %q", a, got, want)
		}
	}
}

func TestVisibleBytesMatchesFmt(t *testing.T) {
	for c := 0; c < 256; c++ {
		got := VisibleBytes([]byte{byte(c)})
		var want string
		switch {
		case c == '\r':
			want = `\r`
		case c == '\n':
			want = "\\n\n"
		case c == '\t':
			want = `\t`
		case c == '\\':
			want = `\\`
		case c < 0x20 || c >= 0x7f:
			want = fmt.Sprintf(`\x%02x`, c)
		default:
			want = string(rune(c))
		}
		if got != want {
			t.Errorf("VisibleBytes(%#x) = %q, want %q", c, got, want)
		}
	}
}
