package body

import "github.com/connlab/connlab/engine/poll"

// Stream is a user body fed from elsewhere (a client program's `send-body`
// lines): an unbounded queue of chunks closed by End. Its length is
// unknown, so HTTP/1.1 sends it chunked. This is the shape of a body built
// from a channel (http_body_util::StreamBody over an mpsc receiver).
type Stream struct {
	chunks   [][]byte
	trailers []Header // sent after the chunks, as the last frame
	ended    bool
	slot     *poll.Slot
}

// NewStream returns an open stream body.
func NewStream(ex *poll.Executor) *Stream {
	return &Stream{slot: poll.NewSlot(ex, "request body stream (waiting for send-body)", "the client program sending body data")}
}

// Send queues a chunk (copied).
func (s *Stream) Send(b []byte) {
	if s.ended {
		return
	}
	s.chunks = append(s.chunks, append([]byte(nil), b...))
	s.slot.Wake()
}

// End closes the stream: the body ends after the queued chunks.
func (s *Stream) End() {
	s.ended = true
	s.slot.Wake()
}

// SendTrailers ends the stream with a trailers frame after the queued
// chunks (http_body's trailers are a body's last frame). The fields are
// copied.
func (s *Stream) SendTrailers(h []Header) {
	if s.ended {
		return
	}
	s.trailers = CloneHeaders(nil, h)
	s.ended = true
	s.slot.Wake()
}

// Ended reports whether End was called.
func (s *Stream) Ended() bool { return s.ended }

func (s *Stream) PollFrame(cx *poll.Context) poll.Poll[Result] {
	if len(s.chunks) > 0 {
		b := s.chunks[0]
		s.chunks = s.chunks[1:]
		return poll.Ready(Result{Frame: Data(b)})
	}
	if s.trailers != nil {
		t := s.trailers
		s.trailers = nil
		return poll.Ready(Result{Frame: Frame{Kind: FrameTrailers, Trailers: t}})
	}
	if s.ended {
		return poll.Ready(Result{End: true})
	}
	s.slot.Register(cx)
	return poll.Pending[Result]()
}

func (s *Stream) IsEndStream() bool        { return s.ended && len(s.chunks) == 0 && s.trailers == nil }
func (s *Stream) SizeHint() (uint64, bool) { return 0, false }
