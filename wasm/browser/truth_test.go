//go:build !js

package browser

import (
	"strings"
	"testing"
	"time"
)

// Scenarios tell the truth (issue 16, item 8), on the page: the claims of
// engine/scenarios' TestScenarioClaims are checked against the engine's
// view; this test checks that the page's panels show the same at the steps
// the texts describe, for the hangs and for the claim the issue named (an
// explanation about body_tx and poll_ready).

// truthCase is a scenario, a step (a mark button's index, or -1 for the
// end of the run) and what the page shows there.
type truthCase struct {
	scenario string
	mark     int
	fields   map[string]string // data-field → text it contains
	stall    []string          // texts the stall panel contains
}

func TestBrowserScenariosTellTheTruth(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	for _, c := range []truthCase{
		// bug-big-upload-held: the want signal reads Ready while the full
		// slot keeps poll_ready Pending, and the stall panel shows the hang
		{"bug-big-upload-held", 0, map[string]string{"body-tx": "Ready", "reading": "Body(Length(7032))"}, nil},
		{"bug-big-upload-held", -1, map[string]string{"body-tx": "Ready"},
			[]string{"Stalled", "body channel want (connection side); body channel room", "the service taking the chunk in the slot"}},
		// the two seed deadlocks: the wait-for graph names the hang
		{"seed001-deadlock", -1, nil, []string{"Deadlock", "line 2 `await conn`", "server connection waits on: c→s read end"}},
		{"seed002-deadlock", -1, nil, []string{"Deadlock", "body channel data", "request body stream", "line 4 `await response`"}},
		// keep-alive: mark 1 is try_keep_alive making the connection Idle
		{"keep-alive", 0, map[string]string{"keep-alive": "Idle"}, nil},
	} {
		b.open("/?scenario=" + c.scenario)
		where := "the end"
		if c.mark < 0 {
			b.click("[data-action=run]")
		} else {
			where = "mark " + string(rune('1'+c.mark))
			b.click(`[data-action=mark][data-i="` + string(rune('0'+c.mark)) + `"]`)
		}
		b.waitFor(`document.querySelector('[data-ready=true]') !== null`, 10*time.Second)
		for field, want := range c.fields {
			if got := b.text(`[data-field="` + field + `"]`); !strings.Contains(got, want) {
				t.Errorf("%s at %s: the panel's %s shows %q, the scenario's text says %q", c.scenario, where, field, got, want)
			}
		}
		stall := b.text(`[data-s="stall"]`)
		for _, want := range c.stall {
			if !strings.Contains(stall, want) {
				t.Errorf("%s at %s: the stall panel does not show %q:\n%s", c.scenario, where, want, stall)
			}
		}
		if len(c.stall) > 0 {
			var svg bool
			b.eval(`!!document.querySelector('[data-s="stall"] svg')`, &svg)
			if !svg {
				t.Errorf("%s at %s: the stall panel draws no wait-for graph", c.scenario, where)
			}
		}
	}
	b.screenshot("truth-stall.png")
}
