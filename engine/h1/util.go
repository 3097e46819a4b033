package h1

import (
	"strconv"
	"unsafe"
)

// itoa formats n (only on traced or rare paths).
func itoa(n int) string { return strconv.Itoa(n) }

// constBytes views a string constant as bytes without copying. The bytes
// must never be written to: they are only ever appended to output buffers.
func constBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
