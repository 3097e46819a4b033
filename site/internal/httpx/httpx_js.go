//go:build js && wasm

package httpx

import (
	"errors"
	"io"
	"net/url"
	"strconv"
)

// Header is a request's or a response's header fields.
type Header = MiniHeader

// Request is the part of net/http's Request the API reads and the
// Worker's bridge fills in.
type Request struct {
	Method     string
	URL        *url.URL
	Proto      string
	ProtoMajor int
	ProtoMinor int
	Header     Header
	// Body is never nil (NoBody when there is none).
	Body          io.ReadCloser
	ContentLength int64
	Host          string
	RemoteAddr    string
	RequestURI    string
}

// ResponseWriter is net/http's.
type ResponseWriter interface {
	Header() Header
	Write([]byte) (int, error)
	WriteHeader(statusCode int)
}

// Handler is net/http's.
type Handler interface {
	ServeHTTP(ResponseWriter, *Request)
}

// HandlerFunc is net/http's.
type HandlerFunc func(ResponseWriter, *Request)

// ServeHTTP calls f(w, r).
func (f HandlerFunc) ServeHTTP(w ResponseWriter, r *Request) { f(w, r) }

// MaxBytesError is net/http's; nothing in the Worker returns it (the
// native server's MaxBytesReader does), but the API checks for it.
type MaxBytesError struct{ Limit int64 }

func (e *MaxBytesError) Error() string {
	return "http: request body too large (limit " + strconv.FormatInt(e.Limit, 10) + ")"
}

var (
	// ErrAbortHandler is net/http's sentinel panic value.
	ErrAbortHandler = errors.New("net/http: abort Handler")
	// NoBody is an empty body.
	NoBody = miniNoBody{}
)

// StatusText is net/http's for the statuses the API answers.
func StatusText(code int) string { return miniStatusText(code) }
