package trace

import (
	"strconv"
	"testing"
)

// The address table starts small and doubles; every string keeps its id
// across the growth, and past maxPtrSlots lookups go by content.
func TestInternerGrowsAndKeepsIDs(t *testing.T) {
	in := newInterner()
	if len(in.slots) != firstPtrSlots*2 {
		t.Fatalf("starts with %d slots, want %d", len(in.slots), firstPtrSlots*2)
	}
	const n = maxPtrSlots + 1000
	strs := make([]string, n)
	ids := make([]uint32, n)
	for i := range strs {
		strs[i] = "field-" + strconv.Itoa(i) // distinct addresses and texts
		ids[i] = in.intern(strs[i])
	}
	if len(in.slots) != maxPtrSlots*2 || in.used != maxPtrSlots {
		t.Fatalf("after %d strings: %d slots, %d used; want %d and %d", n, len(in.slots), in.used, maxPtrSlots*2, maxPtrSlots)
	}
	for i, s := range strs {
		if got := in.intern(s); got != ids[i] {
			t.Fatalf("%q: id %d, was %d", s, got, ids[i])
		}
		// the same text at another address is the same id
		if got := in.intern(string([]byte(s))); got != ids[i] {
			t.Fatalf("copy of %q: id %d, want %d", s, got, ids[i])
		}
		if in.str(ids[i]) != s {
			t.Fatalf("id %d is %q, want %q", ids[i], in.str(ids[i]), s)
		}
	}
	if len(in.strs) != n+1 {
		t.Fatalf("%d strings stored for %d distinct (+\"\")", len(in.strs), n)
	}
}
