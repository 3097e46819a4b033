package body

import "github.com/connlab/connlab/engine/poll"

// Full is a body of known bytes sent as one frame (http_body_util::Full).
// It is reusable: Reset gives it new bytes without allocating.
type Full struct {
	data []byte
	done bool
}

// NewFull returns a Full body over b.
func NewFull(b []byte) *Full { return &Full{data: b} }

// Reset makes f yield b again.
func (f *Full) Reset(b []byte) { f.data, f.done = b, false }

func (f *Full) PollFrame(cx *poll.Context) poll.Poll[Result] {
	if f.done || len(f.data) == 0 {
		f.done = true
		return poll.Ready(Result{End: true})
	}
	f.done = true
	return poll.Ready(Result{Frame: Data(f.data)})
}

// IsEndStream is true once the frame was taken (or for an empty Full),
// which is what lets the dispatcher use write_body_and_end (§12.7.1).
func (f *Full) IsEndStream() bool { return f.done || len(f.data) == 0 }

func (f *Full) SizeHint() (uint64, bool) {
	if f.done {
		return 0, true
	}
	return uint64(len(f.data)), true
}

// Chunks is a body of unknown length that yields its chunks one per poll,
// returning Pending (after waking itself) between them, as a real stream
// that produces data over time would. Frames may include trailers at the end.
type Chunks struct {
	chunks   [][]byte
	i        int
	trailers []Header
	yielded  bool
	sentTr   bool
}

// NewChunks returns a streaming body of the given chunks and optional trailers.
func NewChunks(chunks [][]byte, trailers []Header) *Chunks {
	return &Chunks{chunks: chunks, trailers: trailers}
}

func (c *Chunks) PollFrame(cx *poll.Context) poll.Poll[Result] {
	if c.i < len(c.chunks) {
		if !c.yielded {
			// produce each chunk "later": wake ourselves and yield once
			c.yielded = true
			cx.Waker().Wake()
			return poll.Pending[Result]()
		}
		c.yielded = false
		b := c.chunks[c.i]
		c.i++
		return poll.Ready(Result{Frame: Data(b)})
	}
	if len(c.trailers) > 0 && !c.sentTr {
		c.sentTr = true
		return poll.Ready(Result{Frame: Frame{Kind: FrameTrailers, Trailers: c.trailers}})
	}
	return poll.Ready(Result{End: true})
}

func (c *Chunks) IsEndStream() bool { return false }

func (c *Chunks) SizeHint() (uint64, bool) { return 0, false }

// Empty body for responses: nothing at all.
type EmptyBody struct{}

func (EmptyBody) PollFrame(cx *poll.Context) poll.Poll[Result] { return poll.Ready(Result{End: true}) }
func (EmptyBody) IsEndStream() bool                            { return true }
func (EmptyBody) SizeHint() (uint64, bool)                     { return 0, true }
