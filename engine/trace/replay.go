package trace

// Replaying a recording. A timeline forks by re-running its input log on a
// fresh engine up to the fork point; the events of that prefix are the ones
// it already has (the engine is deterministic), so storing them again is
// wasted work. Resume lets the new run's recorder take the old recorder's
// first n events and check the re-run's events against them instead of
// storing them: Add then costs a comparison, no interning and no OnEvent.

// Resume makes r, a new recorder, continue old's recording after its first
// n events: r takes those events, old's strings and its span tree, and the
// events added to r until it has n are compared with them, not stored
// (OnEvent is not called for them). From event n on, r records as usual.
// Events r recorded before Resume (while its engine was being built) are
// compared with old's first events too. old must not be used afterwards:
// the two share storage.
func (r *Recorder) Resume(old *Recorder, n int) {
	if r == nil || old == nil {
		return
	}
	n = max(0, min(n, old.n))
	for i := 0; i < r.n; i++ {
		a := &r.blocks[i/blockSize][i%blockSize]
		if i >= n {
			r.diverged = i + 1
			return // r records on by itself
		}
		b := &old.blocks[i/blockSize][i%blockSize]
		as, at := r.stepAt(i)
		bs, bt := old.stepAt(i)
		an, ao := r.nOff(a)
		bn, bo := old.nOff(b)
		if a.replayKind() != b.replayKind() || as != bs || at != bt || a.span != b.span || an != bn || ao != bo {
			r.diverged = i + 1
			return
		}
	}
	nb := (n + blockSize - 1) / blockSize
	r.blocks = old.blocks[:nb]
	if nb > 0 {
		last := n - (nb-1)*blockSize
		r.blocks[nb-1] = r.blocks[nb-1][:last]
	}
	r.tail, r.tailBase = nil, 0 // the blocks changed (see nextSlot)
	r.strs = old.strs
	r.nodes = old.nodes
	r.prev, r.guess = 0, 0 // nodes of r's own tree
	k := old.wideBefore(n)
	r.wide = old.wide[:k:k] // appending copies: old's are not overwritten
	k = old.stepsBefore(n)
	r.steps, r.stepHint = old.steps[:k:k], 0 // r's own steps open when the replay ends (growSlot)
	r.replayTo = n
}

// Diverged is the first event where a resumed recording differed from the
// events it took over (kind, step, task, span, N or Off), or -1. A
// deterministic engine never diverges; a caller that sees one re-records.
func (r *Recorder) Diverged() int {
	if r == nil {
		return -1
	}
	return r.diverged - 1
}

// Replaying reports whether the next event is still one taken over by
// Resume.
func (r *Recorder) Replaying() bool { return r != nil && r.n < r.replayTo }

// replay checks e against the stored event it repeats.
func (r *Recorder) replay(e *Event) {
	st := &r.blocks[r.n/blockSize][r.n%blockSize]
	step, task := r.stepAt(r.n)
	n, off := r.nOff(st)
	if r.diverged == 0 && (st.replayKind() != e.Kind || step != r.step || task != r.task || st.span != r.cur || n != e.N || off != e.Off) {
		r.diverged = r.n + 1
	}
	r.n++
}
