package main

// The hostile data the pre-render and inline tests feed docsgen, in a
// file of its own so that every build of the tests (the browser tests'
// files are native only) has them.

import (
	"net/url"
	"strings"
	"testing"

	"github.com/connlab/connlab/wasm/ui"
)

// hostileText is what a session, a link or the wire may carry.
const hostileText = "\"'><script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">&amp;</div></body>\r\n\x00\u2028</template>"

// hostilePrerender is a sandbox's render whose banner quotes a hostile
// scenario name from the address, as the engine's would.
func hostilePrerender(t *testing.T) *Prerender {
	t.Helper()
	m := ui.New()
	q := "embed=1&scenario=" + url.QueryEscape(hostileText)
	m.Update(ui.Init{BaseURL: "./embed", Query: q})
	if !strings.Contains(m.Banner.Text, "script") {
		t.Fatalf("the banner does not quote the hostile name: %q", m.Banner.Text)
	}
	batch, _ := m.Render()
	return &Prerender{Spec: ui.BindSpec(), Batch: batch, Live: "embed?" + q, LogRows: 30}
}

// hostileInline is the app page appIndex's shell, state.html's first
// sandbox (a copy) and its inline markup, rendered from hostilePrerender.
func hostileInline(t *testing.T, s *Site, appIndex string) (*appShell, Embed, string) {
	t.Helper()
	shell, err := s.appShell(appIndex)
	if err != nil {
		t.Fatal(err)
	}
	app, err := shell.appRoot()
	if err != nil {
		t.Fatal(err)
	}
	css, err := shell.stylesheet()
	if err != nil {
		t.Fatal(err)
	}
	e := *s.Embeds["state.html"][0]
	in, err := shell.inlineSandbox(app, css, &e, hostilePrerender(t))
	if err != nil {
		t.Fatal(err)
	}
	return shell, e, in
}
