package session

import (
	"strings"
	"unicode/utf8"
)

// Text helpers for the package's messages and renderings, which are built
// with strconv and concatenation: fmt would pull reflect, os and
// internal/fmtsort into the browser's wasm. Each helper prints exactly what
// the fmt verb named in its comment printed.

// padRight is fmt's %-*s: s followed by spaces up to width runes.
func padRight(s string, width int) string {
	if n := width - utf8.RuneCountInString(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// wordList is fmt's %v of a []string: "[a b c]".
func wordList(a []string) string {
	return "[" + strings.Join(a, " ") + "]"
}
