package h1

import (
	"errors"
	"math/bits"

	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// Buffer sizes, as hyper's io.rs has them.
const (
	// initBufferSize is the first read size.
	initBufferSize = 8192
	// minimumMaxBufferSize is the smallest max_buf_size allowed.
	minimumMaxBufferSize = initBufferSize
	// DefaultMaxBufferSize: if the read buffer gets this big and the head is
	// still incomplete, the message is too large (431).
	DefaultMaxBufferSize = 8192 + 4096*100
)

// errWriteZero is returned when the transport accepts zero bytes of a
// non-empty write (io::ErrorKind::WriteZero).
var errWriteZero = errors.New("write zero")

// readStrategy is hyper's adaptive read size: double after a full read,
// halve after two short ones, never below initBufferSize nor above max.
type readStrategy struct {
	next        int
	max         int
	decreaseNow bool
}

func newReadStrategy(max int) readStrategy {
	return readStrategy{next: initBufferSize, max: max}
}

func (s *readStrategy) record(n int) {
	if n >= s.next {
		s.next = min(s.next*2, s.max)
		s.decreaseNow = false
		return
	}
	decrTo := prevPowerOfTwo(s.next)
	if n < decrTo {
		if s.decreaseNow {
			s.next = max(decrTo, initBufferSize)
			s.decreaseNow = false
		} else {
			// Decreasing takes two short reads in a row.
			s.decreaseNow = true
		}
	} else {
		// A read within the current range cancels a pending decrease.
		s.decreaseNow = false
	}
}

// prevPowerOfTwo is the power of two below n's highest set bit... that is,
// half of n rounded down to a power of two (n >= 4). It runs on every read
// (every byte at read_chunk 1), so it is a bit count rather than a loop.
func prevPowerOfTwo(n int) int {
	invariant(n >= 4, assertPrevPowerOfTwo) // io.rs:443
	return 1 << (bits.Len(uint(n)) - 2)
}

// buffered is hyper's Buffered<T, B>: a read buffer the parser and decoders
// consume from the front, and one flat write buffer (hyper's "flatten"
// strategy, used for transports without vectored writes, like ours).
type buffered struct {
	io          poll.IO
	rec         *trace.Recorder // nil: no notes
	readBuf     []byte          // unread bytes are readBuf[rpos:]
	rpos        int
	partialLen  int // bytes seen by the last incomplete parse, 0 = none
	blankLen    int // of those, how many are empty lines before the head
	headParses  int // parses of a head so far (tests check a head read byte by byte is not re-parsed per byte)
	readBlocked bool
	strategy    readStrategy
	// lent, when not nil, holds the last request head parsed in place in
	// readBuf (parseRequestLent): it is copied out before the next read
	// writes into readBuf's array.
	lent *parseContext

	writeBuf   []byte // unflushed bytes are writeBuf[wpos:]
	wpos       int
	maxBufSize int
}

func newBuffered(io poll.IO) buffered {
	return buffered{
		io:         io,
		strategy:   newReadStrategy(DefaultMaxBufferSize),
		writeBuf:   make([]byte, 0, initBufferSize),
		maxBufSize: DefaultMaxBufferSize,
	}
}

func (b *buffered) setMaxBufSize(max int) {
	if max < minimumMaxBufferSize {
		max = minimumMaxBufferSize
	}
	b.strategy = newReadStrategy(max)
	b.maxBufSize = max
}

// unread returns the buffered, not yet consumed bytes.
func (b *buffered) unread() []byte { return b.readBuf[b.rpos:] }

// consume drops n bytes from the front of the read buffer.
func (b *buffered) consume(n int) {
	b.rpos += n
	if b.rpos == len(b.readBuf) {
		b.readBuf, b.rpos = b.readBuf[:0], 0
	}
}

// consumeLeadingLines skips CR and LF bytes at the front (after a parse
// error, so that a pipelined blank line does not count as mid-parse).
func (b *buffered) consumeLeadingLines() {
	u := b.unread()
	i := 0
	for i < len(u) && (u[i] == '\r' || u[i] == '\n') {
		i++
	}
	b.consume(i)
}

// pollReadFromIO reads once from the transport into the read buffer.
func (b *buffered) pollReadFromIO(cx *poll.Context) poll.Poll[poll.IOResult] {
	b.readBlocked = false
	if b.lent != nil {
		b.lent.detach()
		b.lent = nil
	}
	unread := len(b.readBuf) - b.rpos
	next := min(b.strategy.next, b.strategy.max-unread)
	if next <= 0 {
		next = 1
	}
	b.reserve(next)
	l := len(b.readBuf)
	p := b.io.PollRead(cx, b.readBuf[l:l+next])
	if !p.Ready {
		b.readBlocked = true
		return p
	}
	if p.Value.Err == nil {
		if b.rec != nil {
			b.rec.NoteNum(numReceived, int64(p.Value.N))
		}
		b.readBuf = b.readBuf[:l+p.Value.N]
		b.strategy.record(p.Value.N)
	}
	return p
}

// reserve makes room for next more bytes after the unread ones, as
// BytesMut::reserve does for hyper's read buffer: first by moving the unread
// tail to the front, then, if that is not enough, by a new buffer of at
// least twice the capacity. Growing to exactly len+next instead would copy
// the whole buffer on every read when reads are short (read_chunk 1: every
// byte of a 400 KB head copied the head so far, 85 GB in all); doubling
// makes the copies add up to less than twice the final size. The read
// itself still asks for exactly next bytes, so what the transport sees does
// not change.
//
// The move to the front copies only unread bytes, and only after something
// was consumed since the last move; the parser consumes a head only once it
// is complete and the decoders read only once the buffer is empty, so each
// byte is moved at most once.
func (b *buffered) reserve(next int) {
	if cap(b.readBuf)-len(b.readBuf) >= next {
		return
	}
	if b.rpos > 0 {
		n := copy(b.readBuf, b.readBuf[b.rpos:])
		b.readBuf, b.rpos = b.readBuf[:n], 0
		if cap(b.readBuf)-n >= next {
			return
		}
	}
	n := len(b.readBuf)
	nb := make([]byte, n, max(n+next, 2*cap(b.readBuf)))
	copy(nb, b.readBuf)
	b.readBuf = nb
}

// readMem implements memReader for the body decoders.
func (b *buffered) readMem(cx *poll.Context, n int) poll.Poll[memRead] {
	if len(b.readBuf) > b.rpos {
		m := min(n, len(b.readBuf)-b.rpos)
		s := b.readBuf[b.rpos : b.rpos+m]
		b.consume(m)
		return poll.Ready(memRead{b: s})
	}
	p := b.pollReadFromIO(cx)
	if !p.Ready {
		return poll.Pending[memRead]()
	}
	if p.Value.Err != nil {
		return poll.Ready(memRead{err: p.Value.Err})
	}
	m := min(n, p.Value.N)
	s := b.readBuf[b.rpos : b.rpos+m]
	b.consume(m)
	return poll.Ready(memRead{b: s})
}

// isCompleteFast scans for the end of a head in bytes, starting a little
// before prevLen: after a partial read there is no point parsing again
// until a blank line has arrived (hyper's is_complete_fast).
func isCompleteFast(bytes []byte, prevLen int) bool {
	start := max(prevLen-3, 0)
	s := bytes[start:]
	for i, c := range s {
		switch c {
		case '\r':
			if len(s) >= i+4 && s[i+1] == '\n' && s[i+2] == '\r' && s[i+3] == '\n' {
				return true
			}
		case '\n':
			if len(s) >= i+2 && s[i+1] == '\n' {
				return true
			}
			if len(s) >= i+3 && s[i+1] == '\r' && s[i+2] == '\n' {
				return true
			}
		}
	}
	return false
}

// onlyEmptyLines reports whether u, the head read so far, is nothing but
// the empty lines a parser skips before the first line (CRLF or LF, and
// maybe the CR of one more): the parse could only ask for more bytes, and
// isCompleteFast sees a blank line in every new byte of them. Without this,
// a peer sending 400 KB of CRLFs one byte at a time made every byte re-parse
// all of them (82 s). b.blankLen remembers how far u is known to be empty
// lines, so each byte is looked at once per head.
func (b *buffered) onlyEmptyLines(u []byte) bool {
	i := b.blankLen
	if b.partialLen == 0 || i > len(u) {
		i = 0 // a new head
	}
	for i < len(u) {
		switch u[i] {
		case '\n':
			i++
			continue
		case '\r':
			if i+1 == len(u) {
				b.blankLen = i
				return true
			}
			if u[i+1] == '\n' {
				i += 2
				continue
			}
		}
		b.blankLen = i
		return false
	}
	b.blankLen = i
	return true
}

// parseHead is Buffered::parse: parse from the buffer, reading more until
// a whole head is there, the buffer is too big (431 for a server), or the
// peer closes (incomplete). The server parses requests into c.reqMsg, the
// client responses into c.respMsg, skipping 1xx informational heads.
func (b *buffered) parseHead(cx *poll.Context, c *Conn) poll.Poll[*Error] {
	for {
		u := b.unread()
		parsed := false
		if len(u) > 0 && !b.onlyEmptyLines(u) && (b.partialLen == 0 || isCompleteFast(u, b.partialLen)) {
			parsed = true
			if b.rec != nil {
				b.noteParse(c, len(u))
			}
			var n int
			var ok, skipped bool
			var err *Error
			b.headParses++
			n, ok, skipped, err = c.state.role.tx().parse(c, u)
			if err != nil {
				return poll.Ready(err)
			}
			if ok {
				if b.rec != nil {
					b.rec.NoteNum(numParsedHeaders, int64(len(c.parsed.headers)))
				}
				b.consume(n)
				b.partialLen = 0
				return poll.Ready[*Error](nil)
			}
			if skipped {
				// a 1xx informational head: gobble it and parse again
				// (Client::decoder noted "ignoring informational response")
				b.consume(n)
				b.partialLen = 0
				continue
			}
		}
		if b.rec != nil && !parsed && len(u) > 0 && (b.partialLen == 0 || isCompleteFast(u, b.partialLen)) {
			// hyper parses these empty lines, and httparse asks for more
			b.noteParse(c, len(u))
		}
		if len(u) >= b.strategy.max {
			if b.rec != nil {
				b.rec.NoteNum(numMaxBufSize, int64(b.strategy.max))
			}
			return poll.Ready(newParse(ParseTooLarge))
		}
		if b.rec != nil && len(u) > 0 {
			b.rec.NoteNum(numPartialHeaders, int64(len(u)))
		}
		b.partialLen = len(u)
		p := b.pollReadFromIO(cx)
		if !p.Ready {
			return poll.Pending[*Error]()
		}
		if p.Value.Err != nil {
			return poll.Ready(newIO(p.Value.Err))
		}
		if p.Value.N == 0 {
			if b.rec != nil {
				b.rec.Note("parse eof", refParseHeaders)
			}
			return poll.Ready(newIncomplete())
		}
	}
}

// noteParse is the first message of Server::parse or Client::parse.
func (b *buffered) noteParse(c *Conn, n int) {
	if c.state.role.IsServer() {
		b.rec.NoteNum(numRequestParseBytes, int64(n))
	} else {
		b.rec.NoteNum(numResponseParseBytes, int64(n))
	}
}

// headersBuf is where heads (and, flattened, bodies) are written.
func (b *buffered) headersBuf() *[]byte {
	if b.wpos > 0 && b.wpos == len(b.writeBuf) {
		b.writeBuf, b.wpos = b.writeBuf[:0], 0
	}
	return &b.writeBuf
}

// hasBufferedWrite reports unflushed bytes.
func (b *buffered) hasBufferedWrite() bool { return len(b.writeBuf) > b.wpos }

// bufferedLen is the number of unflushed bytes.
func (b *buffered) bufferedLen() int { return len(b.writeBuf) - b.wpos }

// canBuffer: the flat write buffer accepts more until max_buf_size.
func (b *buffered) canBuffer() bool { return b.bufferedLen() < b.maxBufSize }

// pollFlush writes the whole write buffer to the transport, then flushes it.
func (b *buffered) pollFlush(cx *poll.Context) poll.Poll[error] {
	for b.wpos < len(b.writeBuf) {
		p := b.io.PollWrite(cx, b.writeBuf[b.wpos:])
		if !p.Ready {
			return poll.Pending[error]()
		}
		if p.Value.Err != nil {
			return poll.Ready(p.Value.Err)
		}
		if p.Value.N == 0 {
			if b.rec != nil {
				b.rec.NoteNum(numFlushed, 0)
				b.rec.NoteNum(numWriteZero, int64(len(b.writeBuf)-b.wpos))
			}
			return poll.Ready(errWriteZero)
		}
		// io.rs:513: the write cursor advances by what the transport took,
		// never past what it was given
		invariant(b.wpos+p.Value.N <= len(b.writeBuf), assertCursorAdvance)
		if b.rec != nil {
			b.rec.NoteNum(numFlushed, int64(p.Value.N))
		}
		b.wpos += p.Value.N
	}
	b.writeBuf, b.wpos = b.writeBuf[:0], 0
	return b.io.PollFlush(cx)
}

// pollShutdown flushes, then shuts the transport's write side down.
func (b *buffered) pollShutdown(cx *poll.Context) poll.Poll[error] {
	if p := b.pollFlush(cx); !p.Ready || p.Value != nil {
		return p
	}
	return b.io.PollShutdown(cx)
}
