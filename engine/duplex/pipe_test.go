package duplex

import (
	"bytes"
	"testing"

	"github.com/connlab/connlab/engine/poll"
)

// A pipe starts with a small buffer and grows to its full capacity,
// keeping every byte in order.
func TestPipeStartsSmallAndGrows(t *testing.T) {
	p := newPipe(poll.NewExecutor(0, nil), "c→s", 0, 0, "the client", "the server")
	if cap(p.data) != firstPipeBuffer {
		t.Fatalf("a new pipe's buffer holds %d bytes, want %d", cap(p.data), firstPipeBuffer)
	}
	in := make([]byte, DefaultCapacity+10)
	for i := range in {
		in[i] = byte(i * 7)
	}
	if n := p.write(in[:100]); n != 100 {
		t.Fatalf("wrote %d of 100", n)
	}
	if n := p.write(in[100:]); n != DefaultCapacity-100 {
		t.Fatalf("wrote %d, want the %d bytes of room left", n, DefaultCapacity-100)
	}
	if p.Free() != 0 {
		t.Fatalf("free %d after filling the pipe", p.Free())
	}
	out := make([]byte, DefaultCapacity)
	if n := p.read_(out); n != DefaultCapacity || !bytes.Equal(out, in[:DefaultCapacity]) {
		t.Fatalf("read %d bytes, equal %v", n, bytes.Equal(out[:n], in[:n]))
	}
}

// A reader taking one byte at a time from a full pipe, with the writer
// topping it up after every read (read_chunk 1 and more to send than the
// capacity), must not move the whole pipe per byte: the bytes moved to the
// front stay within a small multiple of the bytes that went through, and
// the buffer within a few times the capacity. Every byte still arrives in
// order.
func TestPipeTrickleIsLinear(t *testing.T) {
	const capacity, total = 4096, 200_000
	p := newPipe(poll.NewExecutor(0, nil), "c→s", capacity, 1, "the client", "the server")
	in := make([]byte, total)
	for i := range in {
		in[i] = byte(i*7 + i/251)
	}
	sent := p.write(in)
	var got []byte
	one := make([]byte, 16)
	for len(got) < total {
		n := p.read_(one)
		if n != 1 {
			t.Fatalf("read %d bytes with read_chunk 1 after %d", n, len(got))
		}
		got = append(got, one[0])
		if sent < total {
			sent += p.write(in[sent:])
		}
	}
	if !bytes.Equal(got, in) {
		t.Fatal("bytes out of order")
	}
	if p.moved > 2*total {
		t.Errorf("compaction moved %d bytes for %d through the pipe (quadratic: about capacity per byte)", p.moved, total)
	}
	if cap(p.data) > 8*capacity {
		t.Errorf("buffer grew to %d for a capacity of %d", cap(p.data), capacity)
	}
}
