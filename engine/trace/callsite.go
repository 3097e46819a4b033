package trace

// Calls registered when a package initializes. A call site passes the
// same function name and ref every time, so it is registered once, in a
// package-level variable's initializer, and CallAt records the call as
// the site's number: its span is found as Call's is (the span entered
// last time from here, see predicted), checked by the site's number kept
// in the node, not by the name's address and the iteration, and the event
// keeps the site's number, read back as its name and ref, so no ref is
// compared or looked up. It reads back exactly as Call(fn, ref)'s.

// CallSite is a Call's function name and ref, registered once by
// RegisterCall.
type CallSite uint32

type callSite struct{ fn, ref string }

// callSites are the registered calls, by CallSite (read-only once the
// packages are initialized, as registry.go's tables).
var callSites []callSite

// RegisterCall registers the call of fn cited by ref, for CallAt. Call it
// only from a package-level variable's initializer.
func RegisterCall(fn, ref string) CallSite {
	if len(callSites) >= maxAux-1 {
		panic("trace: too many calls registered")
	}
	callSites = append(callSites, callSite{fn, ref})
	return CallSite(len(callSites) - 1)
}

// CallAt records entering the registered call s and pushes its span: the
// Call of s's function name and ref.
func (r *Recorder) CallAt(s CallSite) {
	if r != nil {
		r.callAt(s)
	}
}

//go:noinline // see "The recording methods"
func (r *Recorder) callAt(s CallSite) {
	if r.fast() {
		// the guess is s's span if its node was last entered through s
		// (site is s+1 then) from the current span
		if n := &r.nodes[r.guess]; n.parent == r.cur && n.site == uint32(s)+1 {
			st := r.fastSlot()
			r.enterGuess()
			st.setLazy(r, KindCall|kindLazyCall, uint32(s), 0, 0)
			r.n++
			return
		}
	}
	r.callAtSlow(s)
}

// callAtSlow enters s's span as Call does, marks its node as entered
// through s, and records the event.
func (r *Recorder) callAtSlow(s CallSite) {
	site := &callSites[s] // an unregistered site panics here, not when read
	r.enter(site.fn, 0)
	r.nodes[r.cur].site = uint32(s) + 1
	if r.n < r.replayTo {
		r.replay(&Event{Kind: KindCall | kindLazyCall})
		return
	}
	r.nextSlot().setLazy(r, KindCall|kindLazyCall, uint32(s), 0, 0)
	r.added()
}
