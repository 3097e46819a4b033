package trace

import "unsafe"

// Strings in events are interned: an event is stored as small numbers, so
// the event store holds no pointers (the garbage collector never scans it,
// and recording needs no write barriers). Almost every string is a
// constant, so the table is keyed first by the string's address: a lookup is
// a hash of a pointer, not of the text. The recorder keeps every interned
// string alive, so an address can never be reused by another string.

type internSlot struct {
	ptr uintptr
	n   int
	id  uint32
}

// maxPtrSlots bounds the address table; past it, lookups go by content.
// The table starts at firstPtrSlots slots and doubles while it is at most
// half full, so a short session does not pay for a big one's table.
const (
	maxPtrSlots   = 1 << 12
	firstPtrSlots = 1 << 7
)

type interner struct {
	strs   []string // id → string; id 0 is ""
	byText map[string]uint32
	slots  []internSlot
	used   int
}

func newInterner() interner {
	return interner{strs: []string{""}, byText: map[string]uint32{"": 0}, slots: make([]internSlot, firstPtrSlots*2)}
}

func (t *interner) intern(s string) uint32 {
	if len(s) == 0 {
		return 0
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	i := t.slotFor(p, len(s))
	for {
		sl := &t.slots[i]
		if sl.ptr == 0 {
			break
		}
		if sl.ptr == p && sl.n == len(s) {
			return sl.id
		}
		i = (i + 1) & uintptr(len(t.slots)-1)
	}
	id, ok := t.byText[s]
	if !ok {
		id = uint32(len(t.strs))
		t.strs = append(t.strs, s)
		t.byText[s] = id
	}
	if t.used < maxPtrSlots && t.strs[id] == s && unsafe.StringData(t.strs[id]) == unsafe.StringData(s) {
		// only the string the table keeps alive may be keyed by address
		t.slots[i] = internSlot{ptr: p, n: len(s), id: id}
		t.used++
		if t.used*2 >= len(t.slots) && len(t.slots) < maxPtrSlots*2 {
			t.grow()
		}
	}
	return id
}

// slotFor is where the address table's probe for (p, n) starts.
func (t *interner) slotFor(p uintptr, n int) uintptr {
	return (p*0x9E3779B97F4A7C15 ^ uintptr(n)) >> 7 & uintptr(len(t.slots)-1)
}

// grow doubles the address table, re-placing every entry.
func (t *interner) grow() {
	old := t.slots
	t.slots = make([]internSlot, len(old)*2)
	mask := uintptr(len(t.slots) - 1)
	for _, sl := range old {
		if sl.ptr == 0 {
			continue
		}
		i := t.slotFor(sl.ptr, sl.n)
		for t.slots[i].ptr != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = sl
	}
}

func (t *interner) str(id uint32) string { return t.strs[id] }

// canonical returns the table's copy of the text b when it has one, so that
// recording text built in a scratch buffer allocates only the first time
// that text is seen (a map index with string(b) does not allocate).
func (t *interner) canonical(b []byte) string {
	if id, ok := t.byText[string(b)]; ok {
		return t.strs[id]
	}
	return string(b)
}
