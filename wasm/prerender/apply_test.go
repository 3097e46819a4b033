package prerender

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// frames writes ss as a batch's frames (wasm/ui/batch.go): each string's
// length in UTF-16 units, a colon, the string.
func frames(ss ...string) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(strconv.Itoa(len(utf16.Encode([]rune(s)))) + ":" + s)
	}
	return b.String()
}

// TestApplyBatch: every slot kind connlab.apply knows, applied at build
// time, gives the markup the browser's DOM would hold (attributes for the
// properties a page without scripts cannot set), and text stays text.
func TestApplyBatch(t *testing.T) {
	const app = `<div id="app" class="app"><header><button data-until-ready disabled>share</button></header>` +
		`<p data-s="t">old</p><div data-s="h"></div><div class="now" data-s="now"></div>` +
		`<input type="text" data-s="v"><select data-s="sel"><option value="a" selected>A</option><option value="b">B</option></select>` +
		`<input type="checkbox" data-s="c"><div data-s="hid"></div><button data-s="dis"></button>` +
		`<div data-s="ht" style="color: red"></div><div data-s="top"></div><div data-s="w"></div><div data-s="sc"></div>` +
		`<input type="range" data-s="r" value="0"><ol data-s="cur"><li>0</li><li class="x">1</li><li>2</li></ol>` +
		`<span data-s="ti"></span><button data-s="why" title="Step">s</button><div data-s="cl" data-role-by-class></div>` +
		`<a data-s="at" href="x" rel="r"></a><pre data-s="va"></pre><svg viewBox="0 0 1 1"><path d="M0 0"/></svg></div>`
	spec := frames("#app attr:data-ready", "attr:data-ready", "t", "text", "h", "html", "now", "html", "v", "value", "sel", "value",
		"c", "checked", "hid", "hidden", "dis", "disabled", "ht", "height", "top", "top", "w", "width", "sc", "scroll",
		"r", "range", "cur", "cursor", "ti", "title", "why", "why", "cl", "class", "at", "attr:rel", "va", "var:--m")
	batch := frames("0", "true", "1", `<b>&"x"`, "2", `<i class="k">a &amp; b</i>`, "3", `<span class="sp">a/<wbr>b::<wbr>c</span>`, "4", `"q"`, "5", "b",
		"6", "1", "7", "1", "8", "1", "9", "40", "10", "60", "11", "50%", "12", "120",
		"13", "9,4", "14", "1", "15", "<tip>", "16", "not now", "17", "banner info", "18", "", "19", "3")
	nodes, err := Parse(app)
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(nodes[0], spec, batch); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	Render(&b, nodes, nil)
	want := `<div id="app" class="app" data-ready="true"><header><button data-until-ready>share</button></header>` +
		`<p data-s="t">&lt;b&gt;&amp;&#34;x&#34;</p><div data-s="h"><i class="k">a &amp; b</i></div><div class="now" data-s="now"><span class="sp">a/<wbr>b::<wbr>c</span></div>` +
		`<input type="text" data-s="v" value="&#34;q&#34;"><select data-s="sel"><option value="a">A</option><option value="b" selected>B</option></select>` +
		`<input type="checkbox" data-s="c" checked><div data-s="hid" hidden></div><button data-s="dis" disabled></button>` +
		`<div data-s="ht" style="color: red; height: 40px"></div><div data-s="top" style="transform: translateY(60px)"></div><div data-s="w" style="width: 50%"></div><div data-s="sc" data-scroll-top="120"></div>` +
		`<input type="range" data-s="r" value="4" max="9"><ol data-s="cur"><li>0</li><li class="x cur">1</li><li class="fut">2</li></ol>` +
		`<span data-s="ti" title="&lt;tip&gt;"></span><button data-s="why" title="not now" data-title0="Step" disabled>s</button><div data-s="cl" data-role-by-class class="banner info" role="status"></div>` +
		`<a data-s="at" href="x"></a><pre data-s="va" style="--m: 3"></pre><svg viewBox="0 0 1 1"><path d="M0 0"/></svg></div>`
	if got := b.String(); got != want {
		t.Errorf("applied:\n got %s\nwant %s", got, want)
	}
}

// TestApplyBatchRefuses: what the page's helper would throw on, the build
// refuses, naming it.
func TestApplyBatchRefuses(t *testing.T) {
	for _, c := range []struct{ app, spec, batch, want string }{
		{`<div><p data-s="t"></p></div>`, frames("t", "text"), frames("3", "x"), "names slot"},
		{`<div><p data-s="t"></p></div>`, frames("t", "rows"), frames("0", "~1"), "delta"},
		{`<div><p data-s="t"></p></div>`, frames("t", "html"), frames("0", "<b>open"), "never closed"},
		{`<div><p data-s="t"></p></div>`, frames("t", "nosuch"), frames("0", "x"), "unknown kind"},
	} {
		nodes, err := Parse(c.app)
		if err != nil {
			t.Fatal(err)
		}
		if err := Apply(nodes[0], c.spec, c.batch); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %q: %v, want an error saying %q", c.spec, c.batch, err, c.want)
		}
	}
	for _, bad := range []string{`<div>`, `<div></p>`, `<div a="1>`, `<!-- x`} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestRenderKeepsLeadingNewline: a value that starts with a newline, set
// into a <pre> or a <textarea>, keeps it once the page is parsed (the
// parser drops the first newline after their start tag).
func TestRenderKeepsLeadingNewline(t *testing.T) {
	nodes, err := Parse(`<div><pre data-s="p"></pre><textarea data-s="d"></textarea><p data-s="q"></p></div>`)
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(nodes[0], frames("p", "text", "d", "value", "q", "text"), frames("0", "\nx", "1", "\n\ny", "2", "\nz")); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	Render(&b, nodes, nil)
	want := "<div><pre data-s=\"p\">\n\nx</pre><textarea data-s=\"d\">\n\n\ny</textarea><p data-s=\"q\">\nz</p></div>"
	if b.String() != want {
		t.Errorf("rendered %q, want %q", b.String(), want)
	}
}
