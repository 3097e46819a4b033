package main

import (
	"strings"
	"testing"
)

// TestInlineSandboxEscapes: a render that quotes hostile text (an address's
// scenario name) is text in the inline sandbox's markup, and the inline
// sandbox is the engine's render of the real app page.
func TestInlineSandboxEscapes(t *testing.T) {
	s := builtSite(t)
	_, _, in := hostileInline(t, s, builtAppIndex(t))
	if strings.Contains(in, "<script") || strings.Contains(in, "<img") || strings.Contains(in, "</template>\r") {
		t.Errorf("hostile text became markup in the inline sandbox")
	}
	if !strings.Contains(in, "&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=") {
		t.Errorf("the hostile name is not in the banner as text")
	}
	if !strings.HasPrefix(in, `<link rel="stylesheet" href="../connlab.0123456789ab.css"><div id="app" `) || strings.Contains(in, "<main") || strings.Contains(in, " style=") {
		t.Errorf("the inline sandbox starts %.200q", in)
	}
}
