package trace

import "strconv"

// Events read lazily. Most of hyper's messages are a constant with a
// number or two in it ("received 432 bytes", "buffer.flatten self.len=75
// buf.len=5"), and a traced request records nine of them. Formatting each
// as it happens, then looking the text up by content to intern it, was a
// third of what recording cost. Instead the note is stored as its parts:
// NoteNum keeps its registered shape (registry.go) and the number;
// NoteFmt keeps a registered Format and two numbers. A typed transition
// keeps its field and values' numbers, named by the field's registration.
// At and Events build the strings when they are asked for the event, so
// an event reads back exactly as if its strings had been recorded.
//
// The parts live in the stored event's own words (a note has no field,
// from, to or name; its N and Off read back as 0), and its layout, in the
// top bits of the kind byte, says how to read them (store.go).

// Format renders a note's text from two numbers, appending it to dst. It
// must depend on nothing but its arguments (the note may be read long
// after it was recorded), and it runs only when the note is read.
type Format func(dst []byte, a, b int64) []byte

// FormatID names a registered Format.
type FormatID uint32

type format struct {
	f   Format
	ref string
}

// formats are the registered Formats (see registry.go).
var formats []format

// RegisterFormat adds f, the text of a note cited by ref, and returns its
// id for NoteFmt. Call it only from a package-level variable's
// initializer.
func RegisterFormat(ref string, f Format) FormatID {
	if len(formats) >= maxAux {
		panic("trace: too many Formats")
	}
	formats = append(formats, format{f, ref})
	return FormatID(len(formats) - 1)
}

// NoteNum records the note of shape s with the number n (hyper's
// "received 5 bytes"), formatted when it is read.
func (r *Recorder) NoteNum(s NumNote, n int64) {
	if r == nil {
		return
	}
	if r.fast() {
		st := r.fastSlot()
		st.setLazy(r, KindNote|kindLazyNum, uint32(s), n, 0)
		r.n++
		return
	}
	r.noteNumSlow(s, n)
}

func (r *Recorder) noteNumSlow(s NumNote, n int64) {
	if r.n < r.replayTo {
		r.replay(&Event{Kind: KindNote | kindLazyNum, N: n})
		return
	}
	r.nextSlot().setLazy(r, KindNote|kindLazyNum, uint32(s), n, 0)
	r.added()
}

// NoteFmt records the note f formats from a and b, formatted when it is
// read.
func (r *Recorder) NoteFmt(f FormatID, a, b int64) {
	if r == nil {
		return
	}
	if r.fast() {
		s := r.fastSlot()
		s.setLazy(r, KindNote|kindLazyFmt, uint32(f), a, b)
		r.n++
		return
	}
	r.noteFmtSlow(f, a, b)
}

func (r *Recorder) noteFmtSlow(f FormatID, a, b int64) {
	if r.n < r.replayTo {
		r.replay(&Event{Kind: KindNote | kindLazyFmt, N: a, Off: b})
		return
	}
	r.nextSlot().setLazy(r, KindNote|kindLazyFmt, uint32(f), a, b)
	r.added()
}

// lazyAt is At of an event stored in a lazy layout (kindLazyNum and
// after: a note's shape or Format, a typed transition, a registered event
// or call).
func (r *Recorder) lazyAt(i int, st *stored) Event {
	step, task := r.stepAt(i)
	e := Event{Seq: int32(i), Step: step, Task: task, Span: st.span, Kind: st.kind() & kindMask}
	switch st.layout() {
	case kindLazyTyped:
		e.FieldID, e.FromID, e.ToID = uint8(st.tag>>8), uint8(st.tag>>16), uint8(st.tag>>24)
		if f := &fields[e.FieldID]; f.value != nil {
			e.Field, e.From, e.To = f.name, f.value(e.FromID), f.value(e.ToID)
		}
		e.Ref = refs[st.c]
	case kindLazyNum:
		e.Ref, e.Detail = numShapes[st.aux()].ref, r.lazyText(st)
	case kindLazyCall:
		cs := &callSites[st.aux()]
		e.Name, e.Ref = cs.fn, cs.ref
	case kindLazyEvent:
		es := &eventSites[st.aux()]
		e.Field, e.Name, e.Detail, e.Ref = es.field, es.name, es.detail, es.ref
		e.N, e.Off = join(st.a, st.b), join(st.c, st.d)
	default:
		e.Ref, e.Detail = formats[st.aux()].ref, r.lazyText(st)
	}
	return e
}

// lazyText formats a lazily stored note's text, interned: reading the same
// text again finds it and allocates nothing.
func (r *Recorder) lazyText(st *stored) string {
	t := &r.strs
	b := r.scratch[:0]
	if st.layout() == kindLazyNum {
		sh := &numShapes[st.aux()]
		b = append(b, sh.prefix...)
		b = strconv.AppendInt(b, join(st.a, st.b), 10)
		b = append(b, sh.suffix...)
	} else {
		b = formats[st.aux()].f(b, join(st.a, st.b), join(st.c, st.d))
	}
	r.scratch = b[:0]
	return t.str(t.internBytes(b))
}

// Every recording method, after the replay check (which must come first),
// writes its event into nextSlot() and then calls added.
func (r *Recorder) added() {
	r.n++
	if r.OnEvent != nil {
		r.OnEvent(r.n - 1)
	}
}

// fast reports whether event r.n can be written at once: room in the
// block being filled, no replay, no OnEvent to call; fastSlot is where.
// Each recording method's common case is fast, its fields and r.n++,
// with no call (so no argument is saved on the stack); anything else
// takes its slow path, which handles every case (replay, a new block, a
// string the caches do not know, OnEvent). Calling OnEvent from the fast
// path cost the benchmark, which sets none, some 5 instructions an event.
// A report, not the slot or nil: the compiler branches on an inlined
// condition directly, where a pointer or nil returned was built and then
// tested.
func (r *Recorder) fast() bool {
	return uint(r.n-r.tailBase) < uint(len(r.tail)) && r.OnEvent == nil // no tail while replaying (Resume drops it; only nextSlot, past the replay, sets it)
}

// fastSlot is where event r.n goes when fast.
func (r *Recorder) fastSlot() *stored { return &r.tail[r.n-r.tailBase] }

// nextSlot is where event r.n goes; the caller writes every field (a
// block kept by Reset holds old events), most through set, then calls
// added. A block's length runs to its capacity (r.n, not the length, says
// how many events there are), and the block being filled is kept aside
// (tail, whose first event is tailBase), so the common case is one
// compare and an index, inlined, and the fields are written in place (no
// event is built and copied).
func (r *Recorder) nextSlot() *stored {
	if i := r.n - r.tailBase; uint(i) < uint(len(r.tail)) { // i >= 0: tailBase <= n while tail is set; one compare, no bounds check
		return &r.tail[i]
	}
	return r.growSlot()
}

// growSlot makes room for event i of block bi (== len(r.blocks), or the
// last block when it is full to its length).
func (r *Recorder) growSlot() *stored {
	r.openStep() // after a Reset or a replay, the step's run may not be open
	bi, i := r.n/blockSize, r.n%blockSize
	if bi == len(r.blocks) {
		if cap(r.blocks) > bi {
			// a block kept by Reset, or an unused slot of the list's
			// capacity (nil: append grows the list ahead)
			r.blocks = r.blocks[:bi+1]
		} else {
			r.blocks = append(r.blocks, nil)
		}
		if r.blocks[bi] == nil {
			// the first block starts small and grows: most sessions are a
			// few hundred events, and 96 KB up front (a full block) is a
			// measurable part of the browser sandbox's start-up
			// (allocation, zeroing, and growing the wasm memory). Later
			// blocks are full-size at once (a nil slot taken as a kept
			// block grew from one event by doubling: twice the memory, and
			// every event copied once).
			n := blockSize
			if bi == 0 {
				n = firstBlock
			}
			r.blocks[bi] = make([]stored, n)
		}
	}
	b := r.blocks[bi]
	if i >= cap(b) {
		// the first block, growing towards blockSize (i < blockSize)
		nb := make([]stored, min(max(2*cap(b), i+1), blockSize))
		copy(nb, b[:i])
		b = nb
	}
	b = b[:cap(b)]
	r.blocks[bi] = b
	r.tail, r.tailBase = b, bi*blockSize
	return &b[i]
}
