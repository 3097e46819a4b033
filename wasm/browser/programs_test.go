//go:build !js

package browser

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/connlab/connlab/engine/rustgen"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/site/api"
	"github.com/connlab/connlab/wasm/browser/headless"
	"github.com/connlab/connlab/wasm/ui"
)

// withAPI serves the built site and, under /api/, the site's API (as make
// run and the Worker do): the Rust panel and Export Rust ask it.
func withAPI(dir string) http.Handler {
	site, a := siteHandler(dir), api.New(api.Options{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			a.ServeHTTP(w, r)
			return
		}
		site.ServeHTTP(w, r)
	})
}

// editField sets a field's value and fires its input and change events, as
// typing and leaving it does.
func (b *browser) editField(sel, value string, change bool) {
	b.t.Helper()
	var ok bool
	b.eval(`(function(){var e=document.querySelector(`+jsonString(sel)+`); if(!e) return false; e.focus(); e.value=`+jsonString(value)+`;
e.dispatchEvent(new Event('input', {bubbles: true}));`+pickJS(change, `e.dispatchEvent(new Event('change', {bubbles: true}));`, "")+` return true})()`, &ok)
	if !ok {
		b.t.Fatalf("no field %s", sel)
	}
}

func pickJS(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

// cssVar is a CSS variable of the first element matching sel.
func (b *browser) cssVar(sel, name string) string {
	var s string
	b.eval(`(function(){var e=document.querySelector(`+jsonString(sel)+`); return e ? e.style.getPropertyValue(`+jsonString(name)+`) : ''})()`, &s)
	return s
}

// TestBrowserPrograms: the mode switch, both editors (inline errors at
// line:column, the erring line marked), the executing line marked while
// stepping, the Rust panel with the executing operation's lines marked,
// → / ← staying in the editor, and Export Rust downloading what connlab
// export --rust prints.
func TestBrowserPrograms(t *testing.T) {
	requireBrowser(t)
	b := newBrowserWith(t, withAPI(distDir))
	b.open("/")

	// mode both: both editors enabled
	b.editField(`[data-s~="mode-sel"]`, "both", true)
	b.waitFor(`document.getElementById('app').getAttribute('data-mode') === 'both'`, 10*time.Second)
	var disabled []bool
	b.eval(`[document.getElementById('svc-ed').disabled, document.getElementById('cli-ed').disabled]`, &disabled)
	if disabled[0] || disabled[1] {
		t.Fatalf("mode both: editors disabled %v", disabled)
	}

	// a mistake: said at line:column, as text, and its line marked
	b.editField(`#svc-ed`, "respond 200\n<img src=x onerror=alert(1)>", false)
	if e := b.text(`#svc-err`); !strings.HasPrefix(e, "line 2:1: unknown operation") {
		t.Errorf("service error: %q", e)
	}
	if v := b.cssVar(`.ed:has(#svc-ed)`, "--errl"); v != "2" {
		t.Errorf("service error line var %q", v)
	}
	b.editField(`#cli-ed`, "handshake\nspawn conn\nfly", false)
	if e := b.text(`#cli-err`); !strings.HasPrefix(e, "line 3:1: unknown operation") {
		t.Errorf("client error: %q", e)
	}
	b.noDialog()

	// programs that run: the client sends its body in two parts, the
	// service waits for the whole body
	const svc = "# echo\nread-body\nrespond 200 body echo"
	const cli = "handshake\nspawn conn\nsend POST / header \"Host: x\" body stream\nsend-body \"ab\"\nsleep 50ms\nsend-body \"cd\"\nend-body\nawait response\nread-body"
	b.editField(`#svc-ed`, svc, true)
	b.editField(`#cli-ed`, cli, true)
	if e := b.text(`#svc-err`) + b.text(`#cli-err`); e != "" {
		t.Fatalf("errors after the fix: %q", e)
	}
	b.click(`[data-action=clock]`) // let the client's sleep end
	b.waitFor(`(document.querySelector('[data-s~="rust-server"]')||{}).textContent.indexOf('async fn') >= 0`, 20*time.Second)
	b.waitFor(`(document.querySelector('[data-s~="rust-client"]')||{}).textContent.indexOf('handshake') >= 0`, 20*time.Second)
	b.screenshotSet("programs")

	// step from the start until the service waits at read-body
	b.click(`[data-action=rewind]`)
	b.focus(`[data-action=step]`)
	found := false
	for i := 0; i < 400 && !found; i++ {
		if strings.HasPrefix(b.text(`#svc-status`), "At this event: line 2, read-body") {
			found = true
			break
		}
		b.key("ArrowRight", false)
	}
	if !found {
		t.Fatalf("stepping never reached the service's read-body (status %q)", b.text(`#svc-status`))
	}
	if v := b.cssVar(`.ed:has(#svc-ed)`, "--exec"); v != "2" {
		t.Errorf("service exec line var %q", v)
	}
	// the band is where line 2 is: inside the editor, one line below its top
	var geo map[string]float64
	b.eval(`(function(){var ed=document.querySelector('.ed:has(#svc-ed)'), band=ed.querySelector('.ed-exec'), ta=ed.querySelector('textarea'); var r=band.getBoundingClientRect(), t=ta.getBoundingClientRect(); return {top: r.top - t.top, h: r.height, lh: parseFloat(getComputedStyle(ta).lineHeight), pad: parseFloat(getComputedStyle(ta).paddingTop)}})()`, &geo)
	if d := geo["top"] - (geo["pad"] + geo["lh"]); d < -1 || d > 1 || geo["h"] < geo["lh"]-1 {
		t.Errorf("the executing band is not on line 2: %v", geo)
	}
	var mark string
	b.eval(`(function(){var m=document.querySelector('[data-s~="rust-server"] mark.rx'); return m ? m.textContent : ''})()`, &mark)
	if !strings.Contains(mark, "collect") && !strings.Contains(mark, "frame") {
		t.Errorf("the Rust panel marks %q for read-body", mark)
	}
	var cliMark string
	b.eval(`(function(){var m=document.querySelector('[data-s~="rust-client"] mark.rx'); return m ? m.textContent : ''})()`, &cliMark)
	if cliMark == "" || b.cssVar(`.ed:has(#cli-ed)`, "--exec") == "-99" {
		t.Errorf("the client's executing line is not marked (Rust %q)", cliMark)
	}
	b.screenshotSet("programs-stepping")
	// with both editors live, an error shown and the Rust marked: no
	// serious or critical axe violation, light and dark
	b.editField(`#cli-ed`, cli+"\nfly", false)
	for _, scheme := range []string{"light", "dark"} {
		b.colorScheme(scheme)
		headless.AxeCheck(t, b.ctx, "programs "+scheme)
	}
	b.colorScheme("light")
	b.editField(`#cli-ed`, cli, false)

	// in an editor → and ← are the editor's
	before := b.step()
	b.focus(`#svc-ed`)
	b.press("ArrowRight")
	if b.step() != before {
		t.Errorf("→ in the service editor stepped (%d → %d)", before, b.step())
	}

	// Export Rust: the text connlab export --rust prints for this session
	b.eval(`(function(){window.__dl=null; connlab.download=function(n,t){window.__dl={name:n,text:t}}; return true})()`, new(bool))
	b.click(`[data-action=export-rust]`)
	b.waitFor(`window.__dl !== null`, 20*time.Second)
	var dl struct{ Name, Text string }
	b.eval(`window.__dl`, &dl)
	b.click(`[data-action=share]`)
	var js string
	b.eval(`document.querySelector('[data-s~="share-json"]').value`, &js)
	f, err := session.ParseBytes([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	want, err := rustgen.Export(f, "session")
	if err != nil {
		t.Fatal(err)
	}
	if dl.Name != "replay_session.rs" || dl.Text != want {
		t.Errorf("Export Rust downloaded %q (%d bytes); connlab export --rust gives %d bytes", dl.Name, len(dl.Text), len(want))
	}
	if !strings.HasPrefix(b.text(`[data-s~=banner]`), "Downloaded replay_session.rs") {
		t.Errorf("banner after Export Rust: %q", b.text(`[data-s~=banner]`))
	}

	// mode client: the service editor says why it is off
	b.click(`[data-action=close]`)
	b.editField(`[data-s~="mode-sel"]`, "client", true)
	b.waitFor(`document.getElementById('app').getAttribute('data-mode') === 'client'`, 10*time.Second)
	var why string
	b.eval(`(function(){var e=document.getElementById('svc-ed'); return e.disabled ? e.title : ''})()`, &why)
	if !strings.Contains(why, "Mode client has no engine server") {
		t.Errorf("the disabled service editor says %q", why)
	}
}

// screenshotSet saves desktop and phone, light and dark.
func (b *browser) screenshotSet(name string) {
	b.t.Helper()
	for _, vp := range []struct {
		name string
		w, h int
	}{{"desktop", 1440, 1000}, {"phone", 390, 844}} {
		b.viewport(vp.w, vp.h)
		for _, scheme := range []string{"light", "dark"} {
			b.colorScheme(scheme)
			b.eval(`(function(){var e=document.querySelector('[data-panel=programs]'); if(e) e.scrollIntoView(); return true})()`, new(bool))
			time.Sleep(150 * time.Millisecond)
			b.screenshot(name + "-" + vp.name + "-" + scheme + ".png")
		}
	}
	b.viewport(1440, 1000)
	b.colorScheme("light")
}

// TestBrowserHostileProgramLink: a link whose programs carry markup shows
// it as the editors' text (and, when it does not parse, as the banner's
// text naming service_program at its line and column); nothing of it
// becomes an element.
func TestBrowserHostileProgramLink(t *testing.T) {
	requireBrowser(t)
	b := newBrowserWith(t, withAPI(distDir))
	const evil = `<img src=x onerror="document.body.setAttribute('data-pwned','1')" data-evil=1>`
	good := `{"version": 1, "mode": "both", "service_program": ["# ` + strings.ReplaceAll(evil, `"`, `\"`) + `", "respond 200 body \"</textarea><script>document.body.setAttribute('data-pwned','1')</script>\""], "client_program": ["handshake", "spawn conn", "send GET / header \"Host: x\"", "await response"], "input": []}`
	bad := `{"version": 1, "service_program": ["` + strings.ReplaceAll(evil, `"`, `\"`) + `"], "input": []}`
	for _, c := range []struct {
		name, session string
		parses        bool
	}{{"parses", good, true}, {"does not parse", bad, false}} {
		frag, err := ui.EncodeFragment(&ui.Share{Session: []byte(c.session)})
		if err != nil {
			t.Fatal(err)
		}
		b.open("/#" + frag)
		time.Sleep(500 * time.Millisecond)
		var n int
		b.eval(foreignJS, &n)
		if n != 0 {
			t.Errorf("%s: the link put %d foreign elements into the page", c.name, n)
		}
		var svc string
		b.eval(`document.getElementById('svc-ed').value`, &svc)
		banner := b.text(`[data-s~=banner]`)
		if c.parses && (!strings.Contains(svc, evil) || !strings.Contains(svc, "<script>")) {
			t.Errorf("%s: the service editor holds %q", c.name, svc)
		}
		if !c.parses && !strings.Contains(banner, `service_program line 1, column 20: unexpected quote inside the word "onerror="`) {
			t.Errorf("%s: banner %q", c.name, banner)
		}
		b.noDialog()
	}
}
