package body_test

import (
	"reflect"
	"testing"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
)

type hint struct {
	n  uint64
	ok bool
}

func sizeHint(b body.Body) hint {
	n, ok := b.SizeHint()
	return hint{n, ok}
}

func TestFull(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want []string
	}{
		{"bytes", "hello", []string{"data hello", "end", "end"}},
		{"empty", "", []string{"end", "end"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := body.NewFull([]byte(tc.data))
			if f.IsEndStream() != (tc.data == "") {
				t.Fatalf("IsEndStream before polling = %v", f.IsEndStream())
			}
			if h := sizeHint(f); h != (hint{uint64(len(tc.data)), true}) {
				t.Fatalf("SizeHint = %+v", h)
			}
			var got []string
			for range tc.want {
				got = append(got, describe(f.PollFrame(poll.NewContext())))
				if !f.IsEndStream() {
					t.Fatal("IsEndStream false after the frame was taken")
				}
				if h := sizeHint(f); h != (hint{0, true}) {
					t.Fatalf("SizeHint after the frame = %+v", h)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("frames %q, want %q", got, tc.want)
			}
			f.Reset([]byte("again"))
			if f.IsEndStream() || sizeHint(f) != (hint{5, true}) {
				t.Fatal("Reset did not rearm the body")
			}
			if got := describe(f.PollFrame(poll.NewContext())); got != "data again" {
				t.Fatalf("after Reset: %q", got)
			}
		})
	}
}

// pollInTask polls b from a task, once per step, until the end of stream,
// and logs each result and whether the task was runnable again after a
// Pending (i.e. woke itself).
func pollInTask(t *testing.T, b body.Body) []string {
	t.Helper()
	ex := poll.NewExecutor(0, nil)
	var log []string
	id := ex.Spawn("body", funcTask(func(cx *poll.Context) bool {
		for {
			p := b.PollFrame(cx)
			log = append(log, describe(p))
			if !p.Ready {
				return false
			}
			if p.Value.End || p.Value.Err != nil {
				return true
			}
		}
	}))
	for i := 0; i < 100 && ex.Step(); i++ {
		if log[len(log)-1] == "pending" && !ex.Runnable() {
			t.Fatalf("Pending without waking: %q", log)
		}
	}
	if !ex.Done(id) {
		t.Fatalf("body never ended: %q", log)
	}
	return log
}

func TestChunks(t *testing.T) {
	for _, tc := range []struct {
		name     string
		chunks   []string
		trailers []body.Header
		want     []string
	}{
		{"none", nil, nil, []string{"end"}},
		{"one", []string{"a"}, nil, []string{"pending", "data a", "end"}},
		{"three", []string{"a", "bc", "def"}, nil,
			[]string{"pending", "data a", "pending", "data bc", "pending", "data def", "end"}},
		{"with trailers", []string{"a", "b"}, []body.Header{body.H("x", "1"), body.H("y", "2")},
			[]string{"pending", "data a", "pending", "data b", "trailers x=1,y=2", "end"}},
		{"only trailers", nil, []body.Header{body.H("x", "1")}, []string{"trailers x=1", "end"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var chunks [][]byte
			for _, c := range tc.chunks {
				chunks = append(chunks, []byte(c))
			}
			c := body.NewChunks(chunks, tc.trailers)
			if c.IsEndStream() || sizeHint(c) != (hint{0, false}) {
				t.Fatal("Chunks has an unknown length and never ends early")
			}
			got := pollInTask(t, c)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("frames %q, want %q", got, tc.want)
			}
			if describe(c.PollFrame(poll.NewContext())) != "end" {
				t.Fatal("not at end after the stream ended")
			}
		})
	}
}

func TestEmptyBody(t *testing.T) {
	var b body.EmptyBody
	if !b.IsEndStream() || sizeHint(b) != (hint{0, true}) {
		t.Fatal("EmptyBody is not empty")
	}
	if got := pollInTask(t, b); !reflect.DeepEqual(got, []string{"end"}) {
		t.Fatalf("EmptyBody yields %q", got)
	}
}
