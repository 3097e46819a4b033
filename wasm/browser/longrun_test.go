//go:build !js

package browser

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/wasm/ui"
)

// pipelinedLink is a link to requests pipelined GETs to hello in one send
// (about 33 events a request).
func pipelinedLink(t *testing.T, requests int) string {
	t.Helper()
	req := strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", requests)
	f, err := session.ParseBytes([]byte(`{"version":1,"mode":"server","handler":"hello","input":[{"send":` + jsonString(req) + `}]}`))
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(f)
	frag, err := ui.EncodeFragment(&ui.Share{Session: j})
	if err != nil {
		t.Fatal(err)
	}
	return "/#" + frag
}

func (b *browser) logCount() int {
	b.t.Helper()
	var n int
	b.eval(`parseInt(document.querySelector('[data-s~="log-count"]').textContent) || 0`, &n)
	return n
}

// TestBrowserLongSessionProgress: a link to a long session (issue 19,
// item 2) does not freeze the page: it is ready at once, the banner shows
// the run's progress with a bar and Cancel while the events grow, the
// page answers a step meanwhile, and the progress goes away when the run
// is done, all its events there.
func TestBrowserLongSessionProgress(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open(pipelinedLink(t, 6000)) // about 200 000 events
	b.waitFor(`document.querySelector('[data-role=run-progress] progress')`, 10*time.Second)
	if msg := b.text(`[data-s~="banner"]`); !strings.HasPrefix(msg, "Running the session: ") {
		t.Fatalf("banner while running: %q", msg)
	}
	first := b.logCount()
	b.click(`[data-action=step]`)
	b.waitFor(`!document.querySelector('[data-role=run-progress]')`, 2*time.Minute)
	last := b.logCount()
	if last <= first || last < 190000 {
		t.Fatalf("events: %d while running, %d when done", first, last)
	}
	if msg := b.text(`[data-s~="banner"]`); strings.Contains(msg, "Running") {
		t.Fatalf("banner after the run: %q", msg)
	}
	b.screenshot("long-session-done.png")
}

// TestBrowserLongSessionCancel: Cancel stops the run where it is: the
// events stop growing, the banner says so, and the timeline steps.
func TestBrowserLongSessionCancel(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open(pipelinedLink(t, 30100)) // about 1 000 000 events
	b.waitFor(`document.querySelector('[data-role=cancel-run]')`, 10*time.Second)
	b.waitFor(`parseInt(document.querySelector('[data-s~="log-count"]').textContent) > 60000`, time.Minute)
	b.screenshot("long-session-running.png")
	b.click(`[data-role=cancel-run]`)
	b.waitFor(`!document.querySelector('[data-role=run-progress]')`, 10*time.Second)
	n := b.logCount()
	time.Sleep(500 * time.Millisecond)
	if m := b.logCount(); m != n || n >= 990000 {
		t.Fatalf("after cancel: %d events, then %d", n, m)
	}
	if msg := b.text(`[data-s~="banner"]`); !strings.HasPrefix(msg, "Cancelled: ") {
		t.Fatalf("banner after cancel: %q", msg)
	}
	var before, after string
	b.eval(`document.querySelector('[data-s~="scrub"]').value`, &before)
	b.click(`[data-action=step]`)
	b.eval(`document.querySelector('[data-s~="scrub"]').value`, &after)
	if before == after {
		t.Fatalf("step after cancel: the scrubber stayed at %s", before)
	}
	b.screenshot("long-session-cancelled.png")
}
