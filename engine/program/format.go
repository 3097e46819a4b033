package program

// upperHex and hexUpper stand in for fmt, which would pull reflect, os and
// internal/fmtsort into the browser's wasm.
const upperHex = "0123456789ABCDEF"

// hexUpper is fmt's %02X of a byte.
func hexUpper(c byte) string {
	return string([]byte{upperHex[c>>4], upperHex[c&0xf]})
}
