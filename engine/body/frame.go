// Package body holds what flows through a message body: frames, the
// Incoming body channel the connection fills for the service (with hyper's
// want signal), and the user body sources a service answers with.
package body

import "github.com/connlab/connlab/engine/poll"

// Header is one header field. Names and values are bytes as on the wire;
// the engine lowercases names on output unless title-case is asked for.
type Header struct {
	Name  []byte
	Value []byte
}

// H builds a Header from strings (for services and tests).
func H(name, value string) Header { return Header{Name: []byte(name), Value: []byte(value)} }

// FrameKind says what a Frame carries.
type FrameKind uint8

const (
	FrameData     FrameKind = iota + 1 // a chunk of body bytes
	FrameTrailers                      // trailer fields; always the last frame
	FrameUnknown                       // a kind the engine does not know; discarded (§12.7.1)
)

// Frame is one item of a body stream, http_body's Frame in Go.
type Frame struct {
	Kind     FrameKind
	Data     []byte
	Trailers []Header
}

// Data returns a data frame.
func Data(b []byte) Frame { return Frame{Kind: FrameData, Data: b} }

// Result is what polling a body yields when ready: a frame, end of stream
// (End true), or an error.
type Result struct {
	Frame Frame
	End   bool
	Err   error
}

// Body is an outgoing (user) body: what a service answers with. It mirrors
// http_body::Body: PollFrame yields frames; IsEndStream may say early that
// nothing more will come; SizeHint gives an exact length when known.
type Body interface {
	PollFrame(cx *poll.Context) poll.Poll[Result]
	IsEndStream() bool
	// SizeHint returns the exact remaining length, or ok=false when unknown.
	SizeHint() (n uint64, ok bool)
}
