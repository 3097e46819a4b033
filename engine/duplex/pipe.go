// Package duplex is an in-memory, bounded, two-way byte stream: the wire
// between connlab's engine and whoever is on the other side (a person typing,
// or another engine). Each direction is a Pipe with a capacity; a full pipe
// makes writes Pending until the reader drains it, as a socket's send buffer
// would. Faults (reset, vanish, stalled reader) are injected here.
package duplex

import "github.com/connlab/connlab/engine/poll"

// Pipe is one direction of the duplex.
type Pipe struct {
	name      string
	data      []byte
	r         int // read offset into data
	capacity  int
	readChunk int // >0 caps the bytes one read returns

	writeClosed bool // the writer shut down: EOF once drained
	readerGone  bool // nobody will ever read again

	written int64 // total bytes ever written (stream offset)
	read    int64 // total bytes ever read
	moved   int64 // bytes moved to the front by compaction (tests check it stays linear)

	// Tee, when set, receives a copy of every byte written (to record a
	// conversation no person reads, as when two engines talk).
	Tee *[]byte

	readSlot  *poll.Slot // reader waiting for bytes or EOF
	writeSlot *poll.Slot // writer waiting for room
}

func newPipe(ex *poll.Executor, name string, capacity, readChunk int, writer, reader string) *Pipe {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	return &Pipe{
		name:      name,
		capacity:  capacity,
		readChunk: readChunk,
		data:      make([]byte, 0, min(capacity, firstPipeBuffer)),
		readSlot:  poll.NewSlot(ex, name+" read end (bytes to arrive)", writer+" writing to "+name),
		writeSlot: poll.NewSlot(ex, name+" write end (room in the pipe)", reader+" reading from "+name),
	}
}

// DefaultCapacity is the per-direction capacity when none is configured.
const DefaultCapacity = 65536

// firstPipeBuffer is the buffer a pipe starts with; it grows by append up
// to the pipe's capacity. Most sessions move a few hundred bytes, and two
// 64 KB buffers per connection showed up in the browser's start-up.
const firstPipeBuffer = 4096

// Buffered is the number of bytes written and not yet read.
func (p *Pipe) Buffered() int { return len(p.data) - p.r }

// Free is the room left before writes block.
func (p *Pipe) Free() int { return p.capacity - p.Buffered() }

// Written is the stream offset of the next byte written.
func (p *Pipe) Written() int64 { return p.written }

// ReadOffset is the stream offset of the next byte read.
func (p *Pipe) ReadOffset() int64 { return p.read }

// WriteClosed reports whether the writer shut down.
func (p *Pipe) WriteClosed() bool { return p.writeClosed }

// ReaderGone reports whether nobody will read this pipe again.
func (p *Pipe) ReaderGone() bool { return p.readerGone }

// Name is the pipe's name ("c→s" or "s→c").
func (p *Pipe) Name() string { return p.name }

// write copies as much of b as fits and wakes a waiting reader.
func (p *Pipe) write(b []byte) int {
	n := min(len(b), p.Free())
	if n <= 0 {
		return 0
	}
	if p.r > 0 && p.r == len(p.data) {
		p.data, p.r = p.data[:0], 0
	} else if p.r > 0 && cap(p.data)-len(p.data) < n && p.r >= len(p.data)-p.r {
		// compact: move the unread tail to the front, but only once at
		// least as many bytes were read as remain, so each move is paid for
		// by the reads before it. Moving on every write cost a full pipe's
		// copy per byte when a reader took one byte at a time from a full
		// pipe (read_chunk 1 with more to send than the capacity).
		// Otherwise append grows the buffer; it stays within a few times
		// the capacity.
		m := copy(p.data, p.data[p.r:])
		p.data, p.r = p.data[:m], 0
		p.moved += int64(m)
	}
	p.data = append(p.data, b[:n]...)
	if p.Tee != nil {
		*p.Tee = append(*p.Tee, b[:n]...)
	}
	p.written += int64(n)
	p.readSlot.Wake()
	return n
}

// read copies up to len(b) bytes (capped by readChunk) and wakes a waiting writer.
func (p *Pipe) read_(b []byte) int {
	n := min(len(b), p.Buffered())
	if p.readChunk > 0 {
		n = min(n, p.readChunk)
	}
	copy(b, p.data[p.r:p.r+n])
	p.r += n
	p.read += int64(n)
	if p.r == len(p.data) {
		p.data, p.r = p.data[:0], 0
	}
	if n > 0 {
		p.writeSlot.Wake()
	}
	return n
}

// closeWrite marks the writer shut down and wakes a waiting reader.
func (p *Pipe) closeWrite() {
	p.writeClosed = true
	p.readSlot.Wake()
}
