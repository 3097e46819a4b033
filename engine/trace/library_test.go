package trace_test

import (
	"testing"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/trace"
)

// TestLibraryTraceWithoutCaches records every scenario of the library
// twice, the second time with the recorder's caches emptied after every
// event, so that every string and span is found the slow way: the two
// traces must be the same, event for event. The caches (and what an event
// takes from them: a span's name id, a string's id by its address) are
// the recorder's fast path; this is what they must not change.
func TestLibraryTraceWithoutCaches(t *testing.T) {
	lib := scenarios.Library()
	if len(lib) < 20 {
		t.Fatalf("library has %d scenarios", len(lib))
	}
	for _, sc := range lib {
		t.Run(sc.Name, func(t *testing.T) {
			run := func(uncached bool) []trace.Event {
				f, err := sc.File()
				if err != nil {
					t.Fatalf("parse: %v", err)
				}
				s := session.New(f, session.Options{Trace: true})
				if uncached {
					trace.DropCaches(s.Rec)
					s.Rec.OnEvent = func(int) { trace.DropCaches(s.Rec) }
				}
				if err := s.Run(); err != nil {
					t.Fatalf("run: %v", err)
				}
				return s.Rec.Events()
			}
			cached, uncached := run(false), run(true)
			if len(cached) == 0 || len(cached) != len(uncached) {
				t.Fatalf("%d events, %d without caches", len(cached), len(uncached))
			}
			for i := range cached {
				if cached[i] != uncached[i] {
					t.Fatalf("event %d:\n cached   %+v\n uncached %+v", i, cached[i], uncached[i])
				}
			}
		})
	}
}
