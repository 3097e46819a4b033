//go:build !(js && wasm)

package httpx

import "net/http"

type (
	Header         = http.Header
	Request        = http.Request
	ResponseWriter = http.ResponseWriter
	Handler        = http.Handler
	HandlerFunc    = http.HandlerFunc
	MaxBytesError  = http.MaxBytesError
)

var (
	ErrAbortHandler = http.ErrAbortHandler
	NoBody          = http.NoBody
)

// StatusText is net/http's.
func StatusText(code int) string { return http.StatusText(code) }
