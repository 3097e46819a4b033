package ui

import (
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// TestUTF16LenAcrossChunks: utf16Len counts eight ASCII bytes at a time;
// a non-ASCII rune (two, three or four bytes) or an invalid byte at every
// place around those chunks is still counted as JavaScript does (or
// refused).
func TestUTF16LenAcrossChunks(t *testing.T) {
	for _, r := range []string{"é", "€", "😀", "\xff", "\xe2\x82", "é😀"} {
		for before := 0; before <= 20; before++ {
			for after := 0; after <= 17; after += 17 {
				s := strings.Repeat("a", before) + r + strings.Repeat("b", after)
				n, ok := utf16Len(s)
				want, wantOK := len(utf16.Encode([]rune(s))), utf8.ValidString(s)
				if ok != wantOK || (ok && n != want) {
					t.Errorf("utf16Len(%q) = %d, %v; want %d, %v", s, n, ok, want, wantOK)
				}
			}
		}
	}
	if n, ok := utf16Len(strings.Repeat("<p>x</p>", 100)); !ok || n != 800 {
		t.Errorf("800 ASCII bytes: %d, %v", n, ok)
	}
}
