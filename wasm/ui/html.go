package ui

import "strconv"

// Everything the page shows that came from a person, a link or the wire is
// data. Where the page can show it as text it goes to a "text", "value" or
// attribute slot (render.go), which connlab.js sets by name, never as
// markup: the banner, the editor, the breakpoint and its error, the share
// and embed boxes. Where it needs markup around it (the wire views, the
// previews, the input log, the event card and log) that markup is built
// from escaped text, and the escaping is here: every byte of data in it
// goes through esc, escByte or appendVisible (hb's t and bytes). Markup is
// built with hb, except the wire view's per-byte loop (wire.go), which
// appends its own literals and numbers directly for speed and its data
// only through escByte and appendVisible.

// esc appends s with & < > " ' escaped.
func esc(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b = escByte(b, s[i])
	}
	return b
}

func escByte(b []byte, c byte) []byte {
	switch c {
	case '&':
		return append(b, "&amp;"...)
	case '<':
		return append(b, "&lt;"...)
	case '>':
		return append(b, "&gt;"...)
	case '"':
		return append(b, "&#34;"...)
	case '\'':
		return append(b, "&#39;"...)
	}
	return append(b, c)
}

// Marks shown for bytes that do not print: the escapes the editor accepts
// (\r \n \t \xNN), drawn muted; a real line break follows each LF so
// lines stay lines, and a backslash byte shows as \\ so a typed "\r" is
// never mistaken for a CR.
const (
	markCR  = `\r`
	markLF  = `\n`
	markTab = `\t`
)

// appendVisible appends bytes as markup: printable ASCII and valid UTF-8
// escaped, CR/LF/tab as marks, anything else as a \xNN mark.
func appendVisible(b []byte, p []byte) []byte {
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\r' && i+1 < len(p) && p[i+1] == '\n':
			b = append(b, `<i class="m">`+markCR+markLF+"</i>\n"...)
			i++
		case c == '\r':
			b = append(b, `<i class="m">`+markCR+`</i>`...)
		case c == '\n':
			b = append(b, `<i class="m">`+markLF+"</i>\n"...)
		case c == '\t':
			b = append(b, `<i class="m">`+markTab+`</i>`...)
		case c == '\\':
			b = append(b, `\\`...)
		case c >= 0x20 && c < 0x7f:
			b = escByte(b, c)
		case c >= 0x80:
			if n := utf8Len(p[i:]); n > 0 {
				b = append(b, p[i:i+n]...)
				i += n - 1
				continue
			}
			b = appendHexMark(b, c)
		default:
			b = appendHexMark(b, c)
		}
	}
	return b
}

func appendHexMark(b []byte, c byte) []byte {
	const digits = "0123456789abcdef"
	b = append(b, `<i class="m">\x`...)
	b = append(b, digits[c>>4], digits[c&15])
	return append(b, "</i>"...)
}

func appendHex8(b []byte, n int64) []byte {
	s := strconv.FormatInt(n, 16)
	for i := len(s); i < 8; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func itoa(n int) string { return strconv.Itoa(n) }

// hb builds markup. Its methods are kept out of line on purpose: in
// WebAssembly an inlined append of a literal costs a few hundred bytes of
// code and a call a few dozen, and the page's markup is built from
// hundreds of them (the wasm's size is a budget; see README).
type hb struct{ b []byte }

// s appends trusted markup (a literal of this package).
//
//go:noinline
func (h *hb) s(markup string) *hb { h.b = append(h.b, markup...); return h }

// t appends text, escaped.
//
//go:noinline
func (h *hb) t(text string) *hb { h.b = esc(h.b, text); return h }

// path appends a path's text (a call path a/b/c, hyper's
// server::conn::http1::…), escaped, with a <wbr> after every / and every
// :: that ends a part, so a long path breaks only there, never inside a
// name. The page used to put these in with a walk over the panel's text
// nodes after each update (connlab.js); built here, the markup is the
// same and a step's render does not pay for the walk (TestPathBreaks).
func (h *hb) path(text string) *hb {
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] == '/' || (text[i] == ':' && i > 0 && text[i-1] == ':') {
			if i+1 < len(text) {
				h.b = append(esc(h.b, text[start:i+1]), "<wbr>"...)
				start = i + 1
			}
		}
	}
	h.b = esc(h.b, text[start:])
	return h
}

// n appends a number.
//
//go:noinline
func (h *hb) n(v int) *hb { h.b = strconv.AppendInt(h.b, int64(v), 10); return h }

//go:noinline
func (h *hb) n64(v int64) *hb { h.b = strconv.AppendInt(h.b, v, 10); return h }

// bytes appends wire bytes with visible marks, escaped.
//
//go:noinline
func (h *hb) bytes(p []byte) *hb { h.b = appendVisible(h.b, p); return h }

func (h *hb) String() string { return string(h.b) }

// pick is cond ? a : b.
func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
