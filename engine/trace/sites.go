package trace

// Events registered when a package initializes. Many of the engine's
// events are the same kind and strings every time, a number aside (the
// dispatch queue's "in_flight set", a poll_loop iteration, a constant
// note): such an event is registered once, in a package-level variable's
// initializer, and recorded as its number and the event's N, with no
// string looked up. At reads its strings from the registration; it reads
// back exactly as the Event with those strings would.

// EventSite is an event's kind and strings, registered by RegisterEvent.
type EventSite uint32

type eventSite struct {
	kind              Kind
	name, detail, ref string
}

// eventSites are the registered events, by EventSite (read-only once the
// packages are initialized, as registry.go's tables).
var eventSites []eventSite

// RegisterEvent registers an event of kind with a name, detail and ref,
// for RecordAt. Call it only from a package-level variable's
// initializer.
func RegisterEvent(kind Kind, name, detail, ref string) EventSite {
	if len(eventSites) >= maxAux || kind == 0 || kind >= kindCount {
		panic("trace: too many events registered, or a kind out of range")
	}
	eventSites = append(eventSites, eventSite{kind: kind, name: name, detail: detail, ref: ref})
	return EventSite(len(eventSites) - 1)
}

// RecordAt appends the registered event s with N n: the Add of an Event
// of s's kind and strings, without looking them up. A nil check in front
// of the work, as Note's (some of its call sites do not check for a
// recorder first).
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
	r.recordAtSlow(s, n)
}

func (r *Recorder) recordAtSlow(s EventSite, n int64) {
	e := &eventSites[s] // an unregistered site panics here, not when read
	if r.n < r.replayTo {
		r.replay(&Event{Kind: kindLazyEvent | e.kind, N: n})
		return
	}
	r.nextSlot().setLazy(r, kindLazyEvent|e.kind, uint32(s), n, 0)
	r.added()
}
