package trace

// Events registered when a package initializes. Many of the engine's
// events are the same kind and strings every time, numbers aside (the
// dispatch queue's "in_flight set", a poll_loop iteration, a constant
// note, the server's reads and writes): such an event is registered once,
// in a package-level variable's initializer, and recorded as its number
// and the event's N and Off, with no string looked up. At reads its
// strings from the registration; it reads back exactly as the Event with
// those strings would.

// EventSite is an event's kind and strings, registered by RegisterEvent
// or RegisterIO.
type EventSite uint32

type eventSite struct {
	kind                     Kind
	field, name, detail, ref string
}

// eventSites are the registered events, by EventSite (read-only once the
// packages are initialized, as registry.go's tables).
var eventSites []eventSite

// RegisterEvent registers an event of kind with a name, detail and ref,
// for RecordAt. Call it only from a package-level variable's
// initializer.
func RegisterEvent(kind Kind, name, detail, ref string) EventSite {
	return register(eventSite{kind: kind, name: name, detail: detail, ref: ref})
}

// RegisterIO registers an IO event: op at the stream's end, with a
// detail, for IOAt. Call it only from a package-level variable's
// initializer.
func RegisterIO(end, op, detail string) EventSite {
	return register(eventSite{kind: KindIO, field: end, name: op, detail: detail})
}

func register(e eventSite) EventSite {
	if len(eventSites) >= maxAux || e.kind == 0 || e.kind >= kindCount {
		panic("trace: too many events registered, or a kind out of range")
	}
	eventSites = append(eventSites, e)
	return EventSite(len(eventSites) - 1)
}

// RecordAt appends the registered event s (RegisterEvent) with N n: the
// Add of an Event of s's kind and strings, without looking them up. A nil
// check in front of the work, as Note's (some of its call sites do not
// check for a recorder first).
func (r *Recorder) RecordAt(s EventSite, n int64) {
	if r != nil {
		r.recordAt(s, n)
	}
}

func (r *Recorder) recordAt(s EventSite, n int64) {
	if r.fast() && uint(s) < uint(len(eventSites)) {
		st := r.fastSlot()
		st.setLazy(r, kindLazyEvent|eventSites[s].kind, uint32(s), n, 0)
		r.n++
		return
	}
	r.recordAtSlow(s, n, 0)
}

// IOAt appends the registered IO event s (RegisterIO) of n bytes at
// offset off: IO(end, op, n, off, detail) of s's strings. Its call sites
// check for a recorder first.
func (r *Recorder) IOAt(s EventSite, n, off int64) {
	if r == nil {
		return
	}
	if r.fast() && uint(s) < uint(len(eventSites)) {
		st := r.fastSlot()
		st.setLazy(r, kindLazyEvent|eventSites[s].kind, uint32(s), n, off)
		r.n++
		return
	}
	r.recordAtSlow(s, n, off)
}

func (r *Recorder) recordAtSlow(s EventSite, n, off int64) {
	e := &eventSites[s] // an unregistered site panics here, not when read
	if r.n < r.replayTo {
		r.replay(&Event{Kind: kindLazyEvent | e.kind, N: n, Off: off})
		return
	}
	r.nextSlot().setLazy(r, kindLazyEvent|e.kind, uint32(s), n, off)
	r.added()
}
