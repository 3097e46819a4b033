package poll_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/poll"
)

// The messages are built without fmt (it would pull reflect and os into
// the browser's wasm); these pin them to what fmt printed.

func TestErrBudgetMessage(t *testing.T) {
	for _, n := range []int{0, 1, 16, 20000, -3} {
		want := fmt.Sprintf("step budget of %d exhausted: the engine kept running without becoming idle", n)
		if got := (&poll.ErrBudget{Steps: n}).Error(); got != want {
			t.Errorf("Steps %d: got %q, want %q", n, got, want)
		}
	}
}

func TestFormatStallMatchesFmt(t *testing.T) {
	ws := []poll.Wait{
		{Task: 1, Name: "server conn", WaitsOn: []string{"c→s read", "timer"}, WokenBy: []string{"the client writing to c→s"}},
		{Task: 2, Name: "quote \" and \x00 and é", WaitsOn: nil},
		{Task: 300, Name: "", WaitsOn: []string{""}, WokenBy: []string{"a", "b"}},
	}
	var want strings.Builder
	for _, w := range ws {
		fmt.Fprintf(&want, "task %d %q waits on %s", w.Task, w.Name, strings.Join(w.WaitsOn, ", "))
		if len(w.WokenBy) > 0 {
			fmt.Fprintf(&want, " (woken by %s)", strings.Join(w.WokenBy, ", "))
		}
		want.WriteByte('\n')
	}
	if got := poll.FormatStall(ws); got != want.String() {
		t.Errorf("got\n%s\nwant\n%s", got, want.String())
	}
}
