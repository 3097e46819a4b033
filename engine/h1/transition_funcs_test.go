package h1

import (
	"os"
	"strings"
	"testing"
)

// TestTransitionFuncs: every edge of every transition table names the
// hyper functions that take it, each name is a function of hyper's
// proto/h1 (testdata/hyper_fns.txt, grepped from hyper's source), and the
// names table has no edge the tables do not allow. (wasm/ui's
// TestDiagramLabelsAreTheEnginesFunctions checks the names against the
// transitions the engine records across the scenario library.)
func TestTransitionFuncs(t *testing.T) {
	b, err := os.ReadFile("testdata/hyper_fns.txt")
	if err != nil {
		t.Fatal(err)
	}
	hyper := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			hyper[l] = true
		}
	}
	if len(hyper) < 50 {
		t.Fatalf("testdata/hyper_fns.txt lists %d functions", len(hyper))
	}
	edges := map[Transition]bool{}
	for _, tab := range Transitions() {
		for _, e := range tab.Edges {
			tr := Transition{tab.Field, e[0], e[1]}
			edges[tr] = true
			names := TransitionFuncs(tr)
			what := tab.Field.String() + " " + tab.States[e[0]] + " -> " + tab.States[e[1]]
			if len(names) == 0 {
				t.Errorf("%s: no hyper function named", what)
			}
			seen := map[string]bool{}
			for _, n := range names {
				if !hyper[n] {
					t.Errorf("%s: %q is not a function in hyper's conn.rs or dispatch.rs", what, n)
				}
				if seen[n] {
					t.Errorf("%s: %q listed twice", what, n)
				}
				seen[n] = true
			}
		}
	}
	listed := map[Transition]bool{}
	for _, e := range transitionFuncs {
		if listed[e.Transition] {
			t.Errorf("%v listed twice", e.Transition)
		}
		listed[e.Transition] = true
		if tr := e.Transition; !edges[tr] {
			t.Errorf("names for %v, a transition the tables do not allow", tr)
		}
	}
}
