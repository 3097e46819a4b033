package ui

import (
	"strings"
	"testing"
)

// TestPathBreaks: a path's text breaks after every / and every :: that
// ends a part, as the page's old walk over the 'now' panel's text nodes put
// them (a JavaScript split at /(?<=\/|::)/: never at the text's end), and
// stays escaped text.
func TestPathBreaks(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"poll_loop", "poll_loop"},
		{"poll_read/poll_read_head", "poll_read/<wbr>poll_read_head"},
		{"a/b/", "a/<wbr>b/"},
		{"/a", "/<wbr>a"},
		{"server::conn::http1::Builder", "server::<wbr>conn::<wbr>http1::<wbr>Builder"},
		{"a:::b", "a::<wbr>:<wbr>b"},
		{"a:b", "a:b"},
		{"conn.rs::read_head §12.5 <x>&/\"y\"", "conn.rs::<wbr>read_head §12.5 &lt;x&gt;&amp;/<wbr>&#34;y&#34;"},
	} {
		if got := (&hb{}).path(c.in).String(); got != c.want && got != strings.ReplaceAll(c.want, "&#34;", "&quot;") {
			t.Errorf("path(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestNowPanelPathBreaks: the 'now' card's call path and reference come
// with their breaks (the page no longer adds them).
func TestNowPanelPathBreaks(t *testing.T) {
	m := New()
	seen := false
	for i := 0; i < m.TL.Len(); i++ {
		m.TL.JumpTo(i)
		x := &index{}
		v := m.TL.View()
		if !strings.Contains(v.Span, "/") {
			continue
		}
		got := m.nowHTML(x, v)
		if !strings.Contains(got, (&hb{}).path(v.Span).String()) || !strings.Contains(got, "/<wbr>") {
			t.Fatalf("event %d: the call path %q is not in the card with its breaks:\n%s", i, v.Span, got)
		}
		seen = true
		break
	}
	if !seen {
		t.Fatal("no event of the default scenario has a call path with a /")
	}
}
