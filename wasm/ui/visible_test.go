package ui

// VisibleText renders bytes as plain text with the marks the page uses
// (for comparing with textContent).
func VisibleText(p []byte) string {
	var b []byte
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\r':
			b = append(b, markCR...)
		case c == '\n':
			b = append(b, markLF+"\n"...)
		case c == '\t':
			b = append(b, markTab...)
		case c == '\\':
			b = append(b, `\\`...)
		case c >= 0x20 && c < 0x7f:
			b = append(b, c)
		case c >= 0x80:
			if n := utf8Len(p[i:]); n > 0 {
				b = append(b, p[i:i+n]...)
				i += n - 1
				continue
			}
			b = append(b, `\x`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		default:
			b = append(b, `\x`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		}
	}
	return string(b)
}
