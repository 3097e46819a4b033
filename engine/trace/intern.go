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
	// recent is a direct-mapped cache in front of slots, by address: the
	// hit path is small enough to inline where an event is recorded (a
	// multiply, a load and two compares), and most of a request's strings
	// are the same few dozen constants. An entry holds a real pointer to
	// its string's bytes, so the garbage collector keeps them, and the
	// address cannot be reused by another string while the entry lasts
	// (strings are immutable): any string may be cached, also one whose
	// text the table holds at another address. The zero entry answers a
	// nil-address empty string with id 0, which is right.
	recent [1 << recentBits]recentSlot
}

type recentSlot struct {
	ptr *byte
	n   int
	id  uint32
}

// recentBits sizes recent: a traced request uses some seventy strings, and
// with 256 entries a tenth of them shared an entry with another.
const recentBits = 10

func newInterner() interner {
	return interner{strs: []string{""}, byText: map[string]uint32{"": 0}, slots: make([]internSlot, firstPtrSlots*2)}
}

// id is intern through the recent cache.
func (t *interner) id(s string) uint32 {
	c := &t.recent[recentHash(unsafe.StringData(s))]
	if c.ptr == unsafe.StringData(s) && c.n == len(s) {
		return c.id
	}
	return t.internRecent(s)
}

// internRecent is id's miss: intern s and remember it in recent.
func (t *interner) internRecent(s string) uint32 {
	p := unsafe.StringData(s)
	if len(s) == 0 {
		// any empty string is id 0, whatever its address
		t.recent[recentHash(p)] = recentSlot{ptr: p}
		return 0
	}
	id := t.intern(s)
	t.recent[recentHash(p)] = recentSlot{ptr: p, n: len(s), id: id}
	return id
}

// recentHash is an address's entry in recent: constants sit side by side
// in the binary, so the address is mixed before its top byte is taken.
func recentHash(p *byte) uintptr {
	return uintptr(unsafe.Pointer(p)) * 0x9E3779B97F4A7C15 >> (64 - recentBits)
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

// internBytes interns the text b by content, copying it only the first
// time it is seen (a map index with string(b) does not allocate), so
// that recording text built in a scratch buffer costs one lookup.
func (t *interner) internBytes(b []byte) uint32 {
	if len(b) == 0 {
		return 0
	}
	if id, ok := t.byText[string(b)]; ok {
		return id
	}
	s := string(b)
	id := uint32(len(t.strs))
	t.strs = append(t.strs, s)
	t.byText[s] = id
	return id
}

// missing is peek's answer when s is not in recent.
const missing = ^uint32(0)

// peek is id's cache hit alone, small enough to inline: s's id, or missing
// (the caller then takes the slow path, id, for all its strings).
func (t *interner) peek(s string) uint32 {
	c := &t.recent[recentHash(unsafe.StringData(s))]
	if c.ptr == unsafe.StringData(s) && c.n == len(s) {
		return c.id
	}
	return missing
}

// peekAny is peek with the empty string first: id 0 from its length alone
// (where most strings passed are empty).
func (t *interner) peekAny(s string) uint32 {
	if len(s) == 0 {
		return 0
	}
	return t.peek(s)
}
