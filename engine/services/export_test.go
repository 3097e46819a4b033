package services

import "testing"

// Exports for websocket_session_test.go (package services_test): those tests
// run whole sessions, and engine/session imports this package, so they
// cannot be internal tests. Nothing here is part of the package's API.

// Frame is a frame as the tests compare it.
type Frame = gotFrame

// The frame opcodes the session tests name.
const (
	OpText   = wsOpText
	OpBinary = wsOpBinary
	OpClose  = wsOpClose
	OpPong   = wsOpPong
)

// SampleKey is RFC 6455's sample Sec-WebSocket-Key.
const SampleKey = wsSampleKey

// ClientFrame is a masked client frame.
func ClientFrame(fin bool, op byte, payload []byte) []byte { return cf(fin, op, payload) }

// ClosePayload is a close frame's payload: the code, then the reason.
func ClosePayload(code int, reason string) []byte { return closePayload(code, reason) }

// CloseFrame is a close frame with code and no reason.
func CloseFrame(code int) Frame { return closeFrame(code) }

// Pattern is n bytes of a fixed pattern.
func Pattern(n int) []byte { return pattern(n) }

// DecodeServerFrames decodes b as frames from the server (unmasked, whole).
func DecodeServerFrames(t *testing.T, b []byte) []Frame { return decodeAll(t, b) }

// Abbrev prints frames, long payloads cut short.
func Abbrev(fs []Frame) string { return abbrev(fs) }
