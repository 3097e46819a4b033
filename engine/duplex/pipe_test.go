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
