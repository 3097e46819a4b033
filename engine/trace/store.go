package trace

// The stored event. A long recording writes more memory than any cache
// holds (a million events are tens of megabytes, written once and read
// rarely), so what an event costs beyond its instructions is its size:
// the bytes written, and the pages the first million fault in. An event
// is kept in 24 bytes: its span, its kind, and four 32-bit words whose
// meaning the kind's layout (the top four bits of the kind byte) says.
// Each layout holds the fields a common shape of event has, so the
// recording methods write one layout each without a choice; an event
// that no layout holds (a transition recorded with strings, a number
// past 32 bits where the layout has 32, a typed id beside strings) is
// stored whole in the recorder's wide list, its slot holding its index
// there (layWide). Every event reads back the same whatever its layout.

// stored is one event as kept: strings as interned ids, so the store is
// pointer-free. The 24 bits above the kind byte (aux) are the event's
// Field string id, or a typed transition's field and value ids, or a lazy
// note's shape or Format, or a registered EventSite or CallSite; a, b, c
// and d are as the layout says.
type stored struct {
	span       int32
	tag        uint32 // kind | aux<<8
	a, b, c, d uint32
}

// The layouts, in the top four bits of the stored kind (Kind values stay
// below 16). n and off are the event's N and Off; "n32" is an N that fits
// in 32 bits, stored as its low 32 bits and read back sign-extended.
const (
	layPlain      Kind = 0x00 // aux field; a name, b detail, c ref, d n32; Off 0: most events
	layIO         Kind = 0x10 // aux field; a name, b detail, c off32, d n32; no Ref: bytes moving (IO)
	layLong       Kind = 0x20 // aux field; a name, b detail, c|d<<32 n; no Ref, Off 0: a timer's deadline
	layWide       Kind = 0x30 // a: the event's index in Recorder.wide
	kindLazyNum   Kind = 0x40 // aux the NumNote; a|b<<32 n (lazy.go)
	kindLazyFmt   Kind = 0x50 // aux the Format; a|b<<32 and c|d<<32 its two numbers
	kindLazyTyped Kind = 0x60 // aux fieldID | fromID<<8 | toID<<16; c the RefID
	kindLazyEvent Kind = 0x70 // aux the EventSite; a|b<<32 n, c|d<<32 off (sites.go)
	kindLazyCall  Kind = 0x80 // aux the CallSite (callsite.go)
	layoutMask    Kind = 0xf0
	kindMask      Kind = 0x0f
)

// Every Kind fits below the layouts.
var _ [kindMask + 1 - kindCount]struct{}

// maxAux bounds what aux holds: a Field id at or past it makes the event
// wide; shapes and Formats are registered below it (registry.go).
const maxAux = 1 << 24

func (s *stored) kind() Kind        { return Kind(s.tag) }
func (s *stored) layout() Kind      { return Kind(s.tag) & layoutMask }
func (s *stored) aux() uint32       { return s.tag >> 8 }
func fits32(v int64) bool           { return int64(int32(v)) == v }
func join(lo, hi uint32) int64      { return int64(uint64(lo) | uint64(hi)<<32) }
func split(v int64) (lo, hi uint32) { return uint32(v), uint32(uint64(v) >> 32) }

// wideEvent is an event no layout holds, whole; i is its index (Resume
// keeps those before its n).
type wideEvent struct {
	i                                  int
	field, from, to, name, ref, detail uint32
	fieldID, fromID, toID              uint8
	n, off                             int64
}

// setPlain writes an event of the plain layout without a Field.
func (s *stored) setPlain(r *Recorder, kind Kind, name, detail, ref uint32, n int32) {
	s.span, s.tag = r.cur, uint32(kind)
	s.a, s.b, s.c, s.d = name, detail, ref, uint32(n)
}

// setIO writes an event of the IO layout (field < maxAux, n and off fit
// in 32 bits).
func (s *stored) setIO(r *Recorder, kind Kind, field, name, detail uint32, n, off int32) {
	s.span, s.tag = r.cur, uint32(kind|layIO)|field<<8
	s.a, s.b, s.c, s.d = name, detail, uint32(off), uint32(n)
}

// setTyped writes a typed transition (see kindLazyTyped).
func (s *stored) setTyped(r *Recorder, fieldID, fromID, toID uint8, ref RefID) {
	s.span = r.cur
	s.tag = uint32(KindTransition|kindLazyTyped) | uint32(fieldID)<<8 | uint32(fromID)<<16 | uint32(toID)<<24
	s.a, s.b, s.c, s.d = 0, 0, uint32(ref), 0
}

// setLazy writes a note read lazily: its shape or Format (below maxAux)
// and its numbers.
func (s *stored) setLazy(r *Recorder, kind Kind, shape uint32, n, off int64) {
	s.span, s.tag = r.cur, uint32(kind)|shape<<8
	s.a, s.b = split(n)
	s.c, s.d = split(off)
}

// put writes an event into s in the smallest layout that holds it (the
// recording methods' slow paths, and Add). ids are the typed ids,
// fieldID | fromID<<8 | toID<<16.
func (r *Recorder) put(s *stored, kind Kind, ids, field, from, to, name, ref, detail uint32, n, off int64) {
	s.span = r.cur
	if ids|from|to == 0 && field < maxAux {
		tag := uint32(kind) | field<<8
		switch {
		case off == 0 && fits32(n):
			s.tag, s.a, s.b, s.c, s.d = tag, name, detail, ref, uint32(n)
			return
		case ref == 0 && fits32(n) && fits32(off):
			s.tag, s.a, s.b, s.c, s.d = tag|uint32(layIO), name, detail, uint32(off), uint32(n)
			return
		case ref == 0 && off == 0:
			s.tag, s.a, s.b = tag|uint32(layLong), name, detail
			s.c, s.d = split(n)
			return
		}
	}
	s.tag, s.a, s.b, s.c, s.d = uint32(kind|layWide), uint32(len(r.wide)), 0, 0, 0
	r.wide = append(r.wide, wideEvent{
		i: r.n, field: field, from: from, to: to, name: name, ref: ref, detail: detail,
		fieldID: uint8(ids), fromID: uint8(ids >> 8), toID: uint8(ids >> 16), n: n, off: off,
	})
}

// nOff is s's N and Off.
func (r *Recorder) nOff(s *stored) (n, off int64) {
	switch s.layout() {
	case layPlain:
		return int64(int32(s.d)), 0
	case layIO:
		return int64(int32(s.d)), int64(int32(s.c))
	case layLong:
		return join(s.c, s.d), 0
	case layWide:
		w := &r.wide[s.a]
		return w.n, w.off
	case kindLazyNum:
		return join(s.a, s.b), 0
	case kindLazyFmt, kindLazyEvent:
		return join(s.a, s.b), join(s.c, s.d)
	}
	return 0, 0
}

// replayKind is the kind a replayed event is compared by: the Kind, and
// for an event read lazily its layout (a layout that only says where the
// strings and numbers are kept is not compared; the numbers are).
func (s *stored) replayKind() Kind {
	if k := s.kind(); k&layoutMask >= kindLazyNum {
		return k
	}
	return s.kind() & kindMask
}

// eventAt is At of an event not read lazily.
func (r *Recorder) eventAt(i int, st *stored) Event {
	step, task := r.stepAt(i)
	t := &r.strs
	e := Event{Seq: int32(i), Step: step, Task: task, Span: st.span, Kind: st.kind() & kindMask}
	if st.layout() == layWide {
		w := &r.wide[st.a]
		e.FieldID, e.FromID, e.ToID = w.fieldID, w.fromID, w.toID
		e.Field, e.From, e.To = t.str(w.field), t.str(w.from), t.str(w.to)
		e.Name, e.Ref, e.Detail = t.str(w.name), t.str(w.ref), t.str(w.detail)
		e.N, e.Off = w.n, w.off
		return e
	}
	e.Field, e.Name, e.Detail = t.str(st.aux()), t.str(st.a), t.str(st.b)
	if st.layout() == layPlain {
		e.Ref = t.str(st.c)
	}
	e.N, e.Off = r.nOff(st)
	return e
}

// wideBefore is how many of r's wide events are among its first n events.
func (r *Recorder) wideBefore(n int) int {
	lo, hi := 0, len(r.wide)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if r.wide[m].i < n {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
