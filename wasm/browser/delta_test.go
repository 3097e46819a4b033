//go:build !js

package browser

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/wasm/ui"
)

// TestBrowserSlotDeltas: a step that changes only which bytes are
// written, read or lit updates the wire panels' classes in place
// (connlab.js, slot kind "wire"), and a step that moves the event log's
// window adds and removes rows (kind "rows"); the page they leave is the
// page a whole render makes. Stepping 600 times through a pipelined
// session, text and hex, every few steps the wire panels and the log
// are compared with their whole render: toggling hex twice (another
// window of runs, then this one again) and scrolling the log to its top
// and back (no row shared) send the whole markup.
func TestBrowserSlotDeltas(t *testing.T) {
	requireBrowser(t)
	req := strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 300)
	f, err := session.ParseBytes([]byte(`{"version":1,"mode":"server","handler":"hello","input":[{"send":` + jsonString(req) + `}]}`))
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(f)
	frag, err := ui.EncodeFragment(&ui.Share{Session: j, Cursor: 1500})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, distDir)
	b.open("/#" + frag)
	b.waitFor(`!/^Running/.test(document.querySelector('[data-s~="banner"]').textContent)`, time.Minute)
	var res struct {
		Compared, Updates, Wholes int
		Diff                      string
	}
	b.eval(`(function(){
		var q = function (s) { return document.querySelector(s) };
		var step = q('[data-action=step]'), back = q('[data-action=step-back]'), hex = q('[data-s~="wire-hex"]'), log = q('[data-s~="log"]');
		var shown = function () { return [q('[data-s~="wire-in"]').innerHTML, q('[data-s~="wire-out"]').innerHTML, q('[data-s~="log-rows"]').innerHTML] };
		var res = {Compared: 0, Updates: 0, Wholes: 0, Diff: ""};
		// count what the engine sends the three slots
		var apply = connlab.apply, names = ["wire-in", "wire-out", "log-rows"], ours = {`+strconv.Itoa(int(ui.SlotWireIn))+`: 1, `+strconv.Itoa(int(ui.SlotWireOut))+`: 1, `+strconv.Itoa(int(ui.SlotLogRows))+`: 1};
		var counting = function (batch) {
			var f = connlab.frames(batch);
			for (var i = 0; i < f.length; i += 2) {
				if (!(f[i] in ours)) continue;
				var c = f[i + 1].charAt(0);
				if (c === "=" || c === "~") res.Updates++; else if (c === "<") res.Wholes++;
			}
			return apply(batch);
		};
		connlab.apply = counting;
		for (var i = 0; i < 600 && !res.Diff; i++) {
			if (i === 300) hex.click();
			((i % 150) < 110 ? step : back).click();
			if (i % 5 !== 4) continue;
			var a = shown();
			connlab.apply = apply; // the whole renders are not counted
			hex.click(); hex.click();
			// the log at its top, no row shared, and back
			var top = log.scrollTop;
			log.scrollTop = 0; log.dispatchEvent(new Event('scroll'));
			log.scrollTop = top; log.dispatchEvent(new Event('scroll'));
			var w = shown();
			connlab.apply = counting;
			for (var k = 0; k < 3; k++) if (a[k] !== w[k]) {
				var d = 0;
				while (a[k][d] === w[k][d]) d++;
				res.Diff = names[k] + " at step " + i + ": updated …" + a[k].slice(Math.max(0, d - 80), d + 120) + "… whole …" + w[k].slice(Math.max(0, d - 80), d + 120) + "…";
			}
			res.Compared++;
		}
		return res;
	})()`, &res)
	if res.Diff != "" {
		t.Fatalf("after %d comparisons: %s", res.Compared, res.Diff)
	}
	t.Logf("%d comparisons; %d updates and %d whole markups sent while stepping", res.Compared, res.Updates, res.Wholes)
	if res.Compared < 100 || res.Updates < 40 || res.Wholes > res.Updates/2 {
		t.Errorf("%d comparisons, %d updates: the steps did not exercise the updates", res.Compared, res.Updates)
	}
}
