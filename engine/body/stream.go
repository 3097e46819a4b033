package body

import "github.com/connlab/connlab/engine/poll"

// Stream is a user body fed from elsewhere (a client program's `send-body`
// lines): an unbounded queue of chunks closed by End. Its length is
// unknown, so HTTP/1.1 sends it chunked. This is the shape of a body built
// from a channel (http_body_util::StreamBody over an mpsc receiver).
type Stream struct {
	chunks [][]byte
	ended  bool
	slot   *poll.Slot
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

// Ended reports whether End was called.
func (s *Stream) Ended() bool { return s.ended }

func (s *Stream) PollFrame(cx *poll.Context) poll.Poll[Result] {
	if len(s.chunks) > 0 {
		b := s.chunks[0]
		s.chunks = s.chunks[1:]
		return poll.Ready(Result{Frame: Data(b)})
	}
	if s.ended {
		return poll.Ready(Result{End: true})
	}
	s.slot.Register(cx)
	return poll.Pending[Result]()
}

func (s *Stream) IsEndStream() bool        { return s.ended && len(s.chunks) == 0 }
func (s *Stream) SizeHint() (uint64, bool) { return 0, false }
