// Package h1 is connlab's HTTP/1 engine: a Go re-implementation of the design
// of hyper's proto/h1. role.go parses and encodes heads, decode.go and
// encode.go frame bodies, io.go buffers the transport, conn.go holds the
// connection State (Reading, Writing, KA), and dispatch.go drives it all
// from the Dispatcher's poll loop.
package h1

import (
	"math"

	"github.com/connlab/connlab/engine/body"
)

// Header is a header field (see body.Header).
type Header = body.Header

// Version is the HTTP version of a message.
type Version uint8

const (
	HTTP10 Version = 10
	HTTP11 Version = 11
)

func (v Version) String() string {
	if v == HTTP10 {
		return "HTTP/1.0"
	}
	return "HTTP/1.1"
}

// RequestHead is a parsed request line and headers. Its slices point into a
// buffer the Conn reuses: they are valid until the next head is parsed (the
// server dispatch never reads a new head while a service is in flight).
type RequestHead struct {
	Method  string // canonical constant for the standard methods
	URI     []byte
	Version Version
	Headers []Header
}

// ResponseHead is a status line and headers, as a service answers.
type ResponseHead struct {
	Version Version // 0 means HTTP/1.1
	Status  int
	// Reason overrides the canonical reason phrase ("" = canonical).
	Reason  string
	Headers []Header
}

// DecodedLength is how an incoming body is framed: an exact length, or one
// of the two special values. It mirrors hyper's DecodedLength.
type DecodedLength uint64

const (
	// LengthCloseDelimited: the body runs until the connection closes.
	LengthCloseDelimited DecodedLength = math.MaxUint64
	// LengthChunked: Transfer-Encoding: chunked.
	LengthChunked DecodedLength = math.MaxUint64 - 1
	// LengthMax is the largest exact length that can be represented.
	LengthMax DecodedLength = math.MaxUint64 - 2
	// LengthZero: no body.
	LengthZero DecodedLength = 0
)

// IsExact reports whether d is a byte count.
func (d DecodedLength) IsExact() bool { return d <= LengthMax }

// BodyLength is what the writer knows of an outgoing body's length.
type BodyLength struct {
	Known bool   // false = unknown (stream; chunked on 1.1)
	N     uint64 // when Known
}

// ParsedRequest is what parsing a request head yields (hyper's ParsedMessage).
type ParsedRequest struct {
	Head           RequestHead
	Decode         DecodedLength
	ExpectContinue bool
	KeepAlive      bool
	WantsUpgrade   bool
}

// Method names, so heads of standard methods never allocate.
const (
	MethodGet     = "GET"
	MethodHead    = "HEAD"
	MethodPost    = "POST"
	MethodPut     = "PUT"
	MethodDelete  = "DELETE"
	MethodConnect = "CONNECT"
	MethodOptions = "OPTIONS"
	MethodTrace   = "TRACE"
	MethodPatch   = "PATCH"
)
