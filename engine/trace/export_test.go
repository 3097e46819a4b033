package trace

// DropCaches empties r's lookup caches: the span guesses, the strings and
// call sites the spans remember, the interner's address cache and its
// address table, and the block being filled (so that the next event takes
// its method's slow path). Recording after it must read back the same
// (library_test.go drops them after every event of a scenario).
func DropCaches(r *Recorder) {
	r.tail, r.tailBase = nil, 0
	for i := range r.nodes {
		r.nodes[i].hint, r.nodes[i].after = 0, 0
		r.nodes[i].ref, r.nodes[i].result = recentSlot{}, recentSlot{}
		r.nodes[i].site = 0
	}
	r.guess = 0
	r.strs.recent = [len(r.strs.recent)]recentSlot{}
	clear(r.strs.slots)
	r.strs.used = 0
}

// StepRuns is how many step runs r keeps (see stepRun).
func StepRuns(r *Recorder) int { return len(r.steps) }
