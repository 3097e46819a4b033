//go:build !js

package browser

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// press sends a real key to the focused element (not a synthetic event on
// the document), as a person's keyboard does.
func (b *browser) press(key string) {
	b.t.Helper()
	b.run(chromedp.KeyEvent(key))
	time.Sleep(60 * time.Millisecond)
}

func (b *browser) focus(sel string) {
	b.t.Helper()
	var ok bool
	b.eval(`(function(){var e=document.querySelector(`+jsonString(sel)+`); if(!e) return false; e.focus(); return document.activeElement===e})()`, &ok)
	if !ok {
		b.t.Fatalf("cannot focus %s", sel)
	}
}

func (b *browser) step() int {
	b.t.Helper()
	// the timeline's position, "event N / M"
	pos := b.text(`[data-s=pos]`)
	f := strings.Fields(pos + " x x")
	n, err := strconv.Atoi(f[1])
	if err != nil {
		b.t.Fatalf("[data-s=pos] = %q", pos)
	}
	return n
}

func (b *browser) active() string {
	var s string
	b.eval(`(function(){var e=document.activeElement; if(!e||e===document.body) return 'body'; return e.tagName.toLowerCase()+(e.getAttribute('data-action')?'[data-action='+e.getAttribute('data-action')+']':'')+(e.getAttribute('data-s')?'[data-s='+e.getAttribute('data-s')+']':'')+(e.closest('.overlay')?' in '+e.closest('.overlay').getAttribute('data-for'):'')})()`, &s)
	return s
}

// TestBrowserKeyboard: → / ← step whenever focus is not in a text field,
// right after using the unit menu too; dialogs take the focus, keep it,
// close on Esc and give it back; the event log, the wire bytes and the
// input log are reachable and move by ↓ / ↑, and a byte's selection is its
// event's.
func TestBrowserKeyboard(t *testing.T) {
	requireBrowser(t)
	b := newBrowser(t, distDir)
	b.open("/?scenario=keep-alive&step=3")

	t.Run("unit menu", func(t *testing.T) {
		b.focus(`select[data-s=unit]`)
		unit := ""
		b.eval(`(function(){var s=document.querySelector('select[data-s=unit]'); s.value=s.options[0].value; s.dispatchEvent(new Event('change',{bubbles:true})); return s.value})()`, &unit)
		s0 := b.step()
		b.press(kb.ArrowRight)
		if s1 := b.step(); s1 <= s0 {
			t.Errorf("→ with the unit menu focused: step %d -> %d, want forward", s0, s1)
		}
		var after string
		b.eval(`document.querySelector('select[data-s=unit]').value`, &after)
		if after != unit {
			t.Errorf("→ changed the unit menu %q -> %q", unit, after)
		}
		s1 := b.step()
		b.press(kb.ArrowLeft)
		if s2 := b.step(); s2 >= s1 {
			t.Errorf("← with the unit menu focused: step %d -> %d, want back", s1, s2)
		}
		// a text field keeps its arrows
		b.focus(`textarea[data-role=raw-input]`)
		s2 := b.step()
		b.press(kb.ArrowRight)
		if s3 := b.step(); s3 != s2 {
			t.Errorf("→ in the editor stepped %d -> %d", s2, s3)
		}
	})

	t.Run("dialogs", func(t *testing.T) {
		for _, d := range []string{"help", "library", "share"} {
			b.focus(`[data-action=` + d + `]`)
			before := b.active()
			b.press(kb.Enter)
			b.waitFor(`document.getElementById('app').getAttribute('data-overlay') === '`+d+`'`, 5*time.Second)
			if a := b.active(); !strings.HasSuffix(a, " in "+d) {
				t.Errorf("%s dialog open: focus is on %s, not inside it", d, a)
			}
			for i := 0; i < 40; i++ {
				b.run(chromedp.KeyEvent(kb.Tab))
			}
			if a := b.active(); !strings.HasSuffix(a, " in "+d) {
				t.Errorf("%s dialog: after 40 Tabs focus is on %s, outside it", d, a)
			}
			b.press(kb.Escape)
			b.waitFor(`!document.getElementById('app').getAttribute('data-overlay')`, 5*time.Second)
			if a := b.active(); a != before {
				t.Errorf("%s dialog closed: focus is on %s, want it back on %s", d, a, before)
			}
		}
	})

	t.Run("event log", func(t *testing.T) {
		b.focus(`[data-s~=log]`)
		s0 := b.step()
		b.press(kb.ArrowDown)
		if s1 := b.step(); s1 != s0+1 {
			t.Errorf("↓ in the event log: step %d -> %d, want %d", s0, s1, s0+1)
		}
		b.press(kb.ArrowUp)
		if s1 := b.step(); s1 != s0 {
			t.Errorf("↑ in the event log: back to %d, want %d", s1, s0)
		}
	})

	t.Run("wire bytes", func(t *testing.T) {
		lit := func() int {
			var o int
			b.eval(`(function(){var h=document.querySelector('[data-s=wire-in] .h[data-o]'); return h? +h.getAttribute('data-o') : -1})()`, &o)
			return o
		}
		b.focus(`[data-s=wire-in]`)
		var prev = -1
		for i := 0; i < 2; i++ { // keep-alive sends two requests
			s0 := b.step()
			b.press(kb.ArrowDown)
			o := lit()
			if o <= prev {
				t.Fatalf("↓ %d in the wire box: the lit bytes start at %d, after %d before", i+1, o, prev)
			}
			if s1 := b.step(); s1 == s0 {
				t.Errorf("↓ in the wire box selected bytes at %d but not their event (still step %d)", o, s1)
			}
			prev = o
		}
		b.press(kb.ArrowUp)
		if o := lit(); o >= prev {
			t.Errorf("↑ in the wire box: lit bytes at %d, want before %d", o, prev)
		}
		// the keys stayed in the box: → still steps
		s0 := b.step()
		b.press(kb.ArrowRight)
		if s1 := b.step(); s1 <= s0 {
			t.Errorf("→ with the wire box focused: step %d -> %d", s0, s1)
		}
	})

	t.Run("input log", func(t *testing.T) {
		b.open("/?scenario=keep-alive&step=0")
		cur := func() int {
			var k int
			b.eval(`(function(){var l=document.querySelectorAll('[data-s=inputs] li'); for (var i=0;i<l.length;i++) if (l[i].classList.contains('cur')) return i; return -1})()`, &k)
			return k
		}
		b.focus(`[data-s=inputs]`)
		k0 := cur()
		b.press(kb.ArrowDown)
		if k1 := cur(); k1 != k0+1 {
			t.Errorf("↓ in the input log: input %d -> %d, want %d", k0, k1, k0+1)
		}
		b.press(kb.ArrowDown)
		b.press(kb.ArrowUp)
		if k1 := cur(); k1 != k0+1 {
			t.Errorf("↓ ↑ in the input log: input %d, want %d", k1, k0+1)
		}
	})
}
