package ui

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
)

// longLink is a link to a session too long for the first slice: n
// pipelined requests in one send, the cursor at event cursor.
func longLink(t *testing.T, n, cursor int) (string, *session.File) {
	t.Helper()
	req := strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", n)
	j, _ := json.Marshal(req)
	f, err := session.ParseBytes([]byte(`{"version":1,"mode":"server","handler":"hello","input":[{"send":` + string(j) + `}]}`))
	if err != nil {
		t.Fatal(err)
	}
	sj, _ := json.Marshal(f)
	frag, err := EncodeFragment(&Share{Session: sj, Cursor: cursor})
	if err != nil {
		t.Fatal(err)
	}
	return frag, f
}

// TestLongLinkRunsInSlices: a link to a long session shows its first
// slice at once and runs on a slice per ContinueRun, with its progress in
// the banner; once done, the cursor is the link's and the timeline is the
// one a run at once records.
func TestLongLinkRunsInSlices(t *testing.T) {
	frag, f := longLink(t, 3000, 70000)
	p := newPage(t)
	p.do(Init{BaseURL: "https://connlab.test/", Fragment: frag})
	if !p.m.Running() {
		t.Fatalf("a %d-request session did not run in slices", 3000)
	}
	first := p.m.TL.Len()
	if first < firstSliceEvents || first > firstSliceEvents+5000 {
		t.Fatalf("the first slice recorded %d events, want about %d", first, firstSliceEvents)
	}
	if !strings.HasPrefix(p.m.Banner.Text, "Running the session: ") || p.m.Banner.Error {
		t.Fatalf("banner while running: %+v", p.m.Banner)
	}
	// a filtered log, set while running, lists the later slices' events too
	p.do(FilterLog{Filter: LogFilter{Kind: "io"}})
	var last int64
	slices := 0
	for p.m.Running() {
		done, total, events := p.m.RunProgress()
		if done < last || done > total || events != p.m.TL.Len() {
			t.Fatalf("progress %d of %d (before: %d), %d events", done, total, last, events)
		}
		last = done
		// the events so far can be stepped through meanwhile, the last
		// one too (beyond what the panels' index covers)
		p.do(Step{Default: true})
		if slices%3 == 1 {
			p.do(JumpTo{Event: p.m.TL.Len() - 1})
		}
		p.m.ContinueRun()
		p.render()
		slices++
	}
	if slices < 3 {
		t.Fatalf("%d slices", slices)
	}
	if p.m.Banner.Text != "" {
		t.Fatalf("banner after the run: %q", p.m.Banner.Text)
	}
	whole, _ := timeline.New(f)
	if p.m.TL.Len() != whole.Len() || p.m.TL.Err() != nil {
		t.Fatalf("%d events (err %v), a run at once records %d", p.m.TL.Len(), p.m.TL.Err(), whole.Len())
	}
	if p.m.TL.Cursor() == 70000 {
		t.Fatal("the cursor the person moved during the run was moved to the link's when it was done")
	}
	// every panel shows what a page with the timeline run at once shows
	q := newPage(t)
	q.m.setTimeline(whole, "")
	q.do(SetDraft{Text: p.m.Draft}, FilterLog{Filter: LogFilter{Kind: "io"}}, JumpTo{Event: 69999}, JumpTo{Event: 70000})
	p.do(JumpTo{Event: 69999}, JumpTo{Event: 70000})
	for slot, v := range q.v {
		if p.v[slot] != v {
			t.Errorf("slot %d: %.200q, a page that ran it without stepping shows %.200q", slot, p.v[slot], v)
		}
	}
	io := 0
	for _, e := range whole.EventsInRange(0, whole.Len()) {
		if e.Kind.String() == "io" {
			io++
		}
	}
	if want := itoa(io) + " of " + itoa(whole.Len()) + " events"; p.v[SlotLogCount] != want {
		t.Fatalf("log count %q, want %q", p.v[SlotLogCount], want)
	}
}

// TestLongLinkCursor: when the person did not move during the run, the
// page shows the link's event once it is done.
func TestLongLinkCursor(t *testing.T) {
	frag, _ := longLink(t, 3000, 70000)
	p := newPage(t)
	p.do(Init{BaseURL: "https://connlab.test/", Fragment: frag})
	if !p.m.Running() || p.m.TL.Cursor() != p.m.TL.Len()-1 {
		t.Fatalf("running %v, cursor %d of %d while the link's event is not recorded yet", p.m.Running(), p.m.TL.Cursor(), p.m.TL.Len())
	}
	for p.m.Running() {
		p.m.ContinueRun()
		p.render()
	}
	if p.m.TL.Cursor() != 70000 {
		t.Fatalf("cursor %d after the run, want the link's 70000", p.m.TL.Cursor())
	}
}

// TestCancelRun: cancelling keeps the events so far, says so, and leaves a
// timeline that refuses more input but forks.
func TestCancelRun(t *testing.T) {
	frag, _ := longLink(t, 3000, 0)
	p := newPage(t)
	p.do(Init{BaseURL: "https://connlab.test/", Fragment: frag})
	p.m.ContinueRun()
	n := p.m.TL.Len()
	p.m.CancelRun()
	p.render()
	if p.m.Running() || !errors.Is(p.m.TL.Err(), timeline.ErrCancelled) {
		t.Fatalf("after cancel: running %v, err %v", p.m.Running(), p.m.TL.Err())
	}
	if p.m.TL.Len() != n || !strings.HasPrefix(p.m.Banner.Text, "Cancelled: ") {
		t.Fatalf("%d events (want %d), banner %q", p.m.TL.Len(), n, p.m.Banner.Text)
	}
	p.m.ContinueRun() // a late slice does nothing
	if p.m.TL.Len() != n {
		t.Fatal("the run went on after cancel")
	}
	p.do(JumpTo{Event: n / 2})
	if p.m.TL.Cursor() != n/2 {
		t.Fatalf("cursor %d, want %d", p.m.TL.Cursor(), n/2)
	}
}

// TestShortLinkRunsAtOnce: an ordinary link is done in the first slice.
func TestShortLinkRunsAtOnce(t *testing.T) {
	frag, _ := longLink(t, 20, 5)
	p := newPage(t)
	p.do(Init{BaseURL: "https://connlab.test/", Fragment: frag})
	if p.m.Running() || p.m.TL.Cursor() != 5 || p.m.Banner.Text != "" {
		t.Fatalf("running %v, cursor %d, banner %q", p.m.Running(), p.m.TL.Cursor(), p.m.Banner.Text)
	}
}

// render renders as the adapter does after a slice (no action).
func (p *page) render() {
	p.t.Helper()
	if batch, n := p.m.Render(); n > 0 {
		decodePage(p.t, p.v, batch)
	}
}
