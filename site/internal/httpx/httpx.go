// Package httpx is the part of net/http that the API's handler (site/api)
// and the Worker's bridge (site/cmd/worker/internal/edge) use: the handler
// types, the header map, the methods and statuses.
//
// Natively every type is an alias of net/http's (httpx_native.go), so
// site/api's handler is a net/http handler and nothing changes for the
// native server or the tests. In the Worker (js/wasm) the types are
// defined here (httpx_js.go), because importing net/http links its client,
// crypto/tls and x509 with it: about 1.8 MB of the Worker's 7.5 MB wasm
// (535 KB of 2.07 MB gzipped), all of it compiled and initialised for
// every new isolate, none of it used.
package httpx

// The methods the API answers.
const (
	MethodGet     = "GET"
	MethodHead    = "HEAD"
	MethodPost    = "POST"
	MethodOptions = "OPTIONS"
)

// The statuses the API answers, with net/http's values.
const (
	StatusOK                    = 200
	StatusNoContent             = 204
	StatusBadRequest            = 400
	StatusNotFound              = 404
	StatusMethodNotAllowed      = 405
	StatusRequestEntityTooLarge = 413
	StatusUnprocessableEntity   = 422
	StatusInternalServerError   = 500
	StatusServiceUnavailable    = 503
)
