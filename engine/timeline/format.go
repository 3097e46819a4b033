package timeline

import (
	"strings"
	"unicode/utf8"
)

// padRight is fmt's %-*s: s followed by spaces up to width runes. (fmt
// would pull reflect, os and internal/fmtsort into the browser's wasm;
// engine/session keeps its own copy for its text transcript.)
func padRight(s string, width int) string {
	if n := width - utf8.RuneCountInString(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}
