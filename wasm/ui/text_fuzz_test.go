package ui

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/session"
)

// Issue 14: no markup from data, ever. These tests send hostile strings
// through every slot that shows something a person typed or a link
// carried, decode the batch as connlab.js does (DecodeFrames, whose
// agreement with the real connlab.js the browser test checks), and look
// at what the page would get: the same text, and no element it did not
// build itself.

// hostile are the seeds: the old batch separators, markup that navigates
// or runs code, NUL, invalid UTF-8 and astral-plane runes.
var hostile = []string{
	"",
	"x\x1e0\x1ffalse",
	"\x1e",
	"\x1f",
	"a\x1e3\x1f<b data-evil=1>x</b>",
	"\x1e" + strconv.Itoa(int(SlotBanner)) + "\x1f<meta http-equiv=refresh content=\"0;url=https://example.invalid\">",
	`<meta http-equiv=refresh content="0;url=https://example.invalid">`,
	`<img src=x onerror=alert(1) data-evil>`,
	`<script>alert(2)</script>"'&amp;&lt;`,
	"nul\x00byte",
	"bad utf8 \xff\xfe \xc3 \xed\xa0\x80 end",
	"astral \U0001F600\U00010348 and \u2028\u2029",
	"5:hello3:a:b",
	"999999999999:x",
	"\\x1e\\r\\n\\",
	strings.Repeat("\U0001F600\x1e", 40),
}

// appTags and appAttrs are the elements and attributes the app's own
// markup uses (html.go, view.go, wire.go, diagram.go, dissect.go): a
// person's text must never add another, nor an attribute to these.
var appTags = map[string]bool{}
var appAttrs = map[string]bool{}

func init() {
	for _, s := range strings.Fields("span div b i li path g dt dd button text p ul svg option kbd rect pre h3 dl code br wbr a title marker defs polygon line circle ellipse tspan") {
		appTags[s] = true
	}
	for _, s := range strings.Fields("aria-label class d data-action data-edge data-i data-o data-sc data-seq data-state height href role rx ry step title type value width x y x1 y1 x2 y2 cx cy r xmlns viewbox text-anchor points marker-end id refx refy markerwidth markerheight orient") {
		appAttrs[s] = true
	}
}

type node struct {
	tag   string
	attrs []string
}

// parseMarkup is a tiny HTML tokenizer, enough for the app's markup: it
// returns the elements (with their attribute names) and the text, with
// the entities html.go writes decoded. An error is markup no browser
// would read as the app meant it.
func parseMarkup(s string) (els []node, text string, err error) {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '<':
			j := i + 1
			end := false
			if j < len(s) && s[j] == '/' {
				end = true
				j++
			}
			k := j
			for k < len(s) && (isAlnum(s[k]) || s[k] == '-') {
				k++
			}
			if k == j {
				return nil, "", errorf("a bare < at %d: %.40q", i, s[i:])
			}
			n := node{tag: strings.ToLower(s[j:k])}
			// attributes
			for {
				for k < len(s) && (s[k] == ' ' || s[k] == '\n' || s[k] == '\t' || s[k] == '/') {
					k++
				}
				if k >= len(s) {
					return nil, "", errorf("unterminated tag at %d", i)
				}
				if s[k] == '>' {
					k++
					break
				}
				a := k
				for k < len(s) && s[k] != '=' && s[k] != ' ' && s[k] != '>' && s[k] != '/' {
					k++
				}
				n.attrs = append(n.attrs, strings.ToLower(s[a:k]))
				if k < len(s) && s[k] == '=' {
					k++
					if k < len(s) && (s[k] == '"' || s[k] == '\'') {
						q := s[k]
						e := strings.IndexByte(s[k+1:], q)
						if e < 0 {
							return nil, "", errorf("unterminated attribute at %d", a)
						}
						if strings.ContainsAny(s[k+1:k+1+e], "<>") {
							return nil, "", errorf("unescaped < or > in an attribute at %d", a)
						}
						k += e + 2
					} else {
						for k < len(s) && s[k] != ' ' && s[k] != '>' {
							k++
						}
					}
				}
			}
			if !end {
				els = append(els, n)
			}
			i = k
		case c == '&':
			e := strings.IndexByte(s[i:], ';')
			if e < 0 {
				return nil, "", errorf("a bare & at %d", i)
			}
			ent := s[i+1 : i+e]
			switch {
			case ent == "lt":
				b.WriteByte('<')
			case ent == "gt":
				b.WriteByte('>')
			case ent == "amp":
				b.WriteByte('&')
			case ent == "quot":
				b.WriteByte('"')
			case strings.HasPrefix(ent, "#"):
				n, err := strconv.Atoi(ent[1:])
				if err != nil {
					return nil, "", errorf("entity %q", ent)
				}
				b.WriteRune(rune(n))
			default:
				return nil, "", errorf("entity %q", ent)
			}
			i += e + 1
		default:
			b.WriteByte(c)
			i++
		}
	}
	return els, b.String(), nil
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

type parseErr string

func (e parseErr) Error() string { return string(e) }

func errorf(format string, args ...any) error {
	// a few verbs only, without fmt
	s := format
	for _, a := range args {
		var r string
		switch v := a.(type) {
		case int:
			r = strconv.Itoa(v)
		case string:
			r = strconv.Quote(v)
		}
		if i := strings.IndexByte(s, '%'); i >= 0 {
			j := i + 1
			for j < len(s) && !isAlnum(s[j]) {
				j++
			}
			for j < len(s) && isAlnum(s[j]) {
				j++
			}
			s = s[:i] + r + s[j:]
		}
	}
	return parseErr(s)
}

// checkPage checks every slot of a page: html slots parse, hold only
// the app's elements and attributes, and nothing the person typed became
// an element. It returns each slot's text as the page would show it.
func checkPage(t testing.TB, v map[Slot]string) map[Slot]string {
	t.Helper()
	text := map[Slot]string{}
	for s, val := range v {
		if !utf8.ValidString(val) {
			t.Errorf("slot %s: not valid UTF-8 after decoding", s.Name())
		}
		if !isMarkup(s.Kind()) {
			text[s] = val
			continue
		}
		els, txt, err := parseMarkup(val)
		if err != nil {
			t.Errorf("slot %s: %v in %.300q", s.Name(), err, val)
			continue
		}
		for _, e := range els {
			if !appTags[e.tag] {
				t.Errorf("slot %s: an element <%s> the app does not build: %.300q", s.Name(), e.tag, val)
			}
			for _, a := range e.attrs {
				if !appAttrs[a] {
					t.Errorf("slot %s: <%s %s> is not an attribute the app sets: %.300q", s.Name(), e.tag, a, val)
				}
			}
		}
		text[s] = txt
	}
	return text
}

// fuzzPage is a model rendered into a decoded page.
type fuzzPage struct {
	t testing.TB
	m *Model
	v map[Slot]string
}

func newFuzzPage(t testing.TB, init Init) *fuzzPage {
	p := &fuzzPage{t: t, m: New(), v: map[Slot]string{}}
	if init.BaseURL == "" {
		init.BaseURL = "https://connlab.test/"
	}
	p.do(init)
	return p
}

func (p *fuzzPage) do(acts ...Action) map[Slot]string {
	p.t.Helper()
	for _, a := range acts {
		p.m.Update(a)
		batch, _ := p.m.Render()
		decodePage(p.t, p.v, batch)
	}
	txt := checkPage(p.t, p.v)
	if p.v[SlotReady] != "true" {
		p.t.Fatalf("the page is not ready: data-ready %q", p.v[SlotReady])
	}
	return txt
}

// checkDataText sends s through every slot that shows a person's or a
// link's text.
func checkDataText(t testing.TB, s string) {
	want := JSText(s)

	// 1. the renderer: any value in any slot comes out as itself, and
	// addresses no other slot
	for slot := Slot(0); slot < slotCount; slot++ {
		var r Renderer
		other := (slot + 1) % slotCount
		r.Set(other, "before")
		r.Set(slot, s)
		r.Set(other, "after")
		batch, n := r.Flush()
		if n != 3 {
			t.Fatalf("%d records, want 3", n)
		}
		f, err := DecodeFrames(batch)
		if err != nil {
			t.Fatalf("slot %s: %v", slot.Name(), err)
		}
		wantF := []string{itoa(int(other)), "before", itoa(int(slot)), want, itoa(int(other)), "after"}
		if strings.Join(f, "\x00|") != strings.Join(wantF, "\x00|") {
			t.Fatalf("slot %s: %q decodes as %q, want %q", slot.Name(), s, f, wantF)
		}
	}

	// 2. the editor, its preview, the breakpoint and its error
	p := newFuzzPage(t, Init{})
	txt := p.do(Reset{}, SetDraft{Text: s}, SetBP{Expr: s}, RunTo{})
	if txt[SlotDraft] != want || txt[SlotBP] != want {
		t.Errorf("draft %q, bp %q; want %q", txt[SlotDraft], txt[SlotBP], want)
	}
	if bp, _ := p.m.bpText(); txt[SlotBPError] != JSText(bp) || (strings.TrimSpace(s) != "" && !strings.HasPrefix(bp, s) && p.m.bpCol > 0) {
		t.Errorf("bp error %q, want %q quoting the expression", txt[SlotBPError], JSText(bp))
	}
	if b, err := DecodeInput(s, true); err == nil && len(b) <= 4096 {
		if got := txt[SlotPreview]; got != VisibleText(b) {
			t.Errorf("preview %q, want %q", got, VisibleText(b))
		}
		// the input log shows what was sent
		if len(b) > 0 {
			txt = p.do(Send{})
			shown := b
			if len(shown) > 48 {
				shown = shown[:48]
			}
			if wantLog := strings.ReplaceAll(VisibleText(shown), "\n", ""); !strings.Contains(txt[SlotInputs], wantLog) {
				t.Errorf("input log %q, want it to show %q", txt[SlotInputs], wantLog)
			}
			if !strings.Contains(strings.ReplaceAll(txt[SlotWireIn], "\n", ""), strings.ReplaceAll(VisibleText(b), "\n", "")) {
				t.Errorf("wire-in %q, want it to show %q", txt[SlotWireIn], VisibleText(b))
			}
		}
	} else if err != nil && txt[SlotDraftInfo] != err.Error() {
		t.Errorf("draft-info %q, want %q", txt[SlotDraftInfo], err.Error())
	}

	// 3. a crash message and its stack, as text
	txt = p.do(Crash{Msg: s, Stack: s})
	if got, wantB := txt[SlotBanner], JSText(p.m.Banner.Text); !strings.Contains(got, wantB) {
		t.Errorf("banner %q, want %q", got, wantB)
	}
	if got := txt[SlotBannerDetail]; got != want {
		t.Errorf("banner detail %q, want %q", got, want)
	}

	// 4. the query: every field the page reads
	q := "scenario=" + queryEscape(s) + "&step=" + queryEscape(s) + "&theme=" + queryEscape(s) + "&embed=" + queryEscape(s) + "&unit=" + queryEscape(s)
	p = newFuzzPage(t, Init{BaseURL: "https://connlab.test/embed", Query: q})
	txt = p.v
	if _, known := scenarios.Lookup(s); s != "" && !known && !strings.Contains(p.m.Banner.Text, "link: unknown scenario "+quoteValue(s)) {
		t.Errorf("query %q: banner %q does not name the scenario", q, p.m.Banner.Text)
	}
	if got := checkPage(t, p.v)[SlotBanner]; got != JSText(p.m.Banner.Text) {
		t.Errorf("banner %q, want %q", got, JSText(p.m.Banner.Text))
	}
	_ = txt

	// 5. a permalink whose every text field is s
	j := session.Demo().AppendJSON(nil, false)
	frag, err := EncodeFragment(&Share{Session: j, Cursor: 3, Scenario: s, Draft: s, BP: s, Unit: s})
	if err != nil {
		return // too large for a link
	}
	// (the link's JSON already made the text valid UTF-8, as encoding/json
	// does: one U+FFFD per invalid byte)
	sh, err := DecodeFragment(frag)
	if err != nil {
		t.Fatalf("the link does not decode: %v", err)
	}
	p = newFuzzPage(t, Init{Fragment: frag})
	txt = checkPage(t, p.v)
	if s != "" && txt[SlotDraft] != JSText(sh.Draft) {
		t.Errorf("link draft %q, want %q", txt[SlotDraft], JSText(sh.Draft))
	}
	if txt[SlotBP] != JSText(sh.BP) {
		t.Errorf("link bp %q, want %q", txt[SlotBP], JSText(sh.BP))
	}
	if _, known := scenarios.Lookup(sh.Scenario); sh.Scenario != "" && !known && !strings.Contains(p.m.Banner.Text, "link: unknown scenario "+quoteValue(sh.Scenario)) {
		t.Errorf("link banner %q, want it to name the scenario", p.m.Banner.Text)
	}
	if got := txt[SlotBanner]; got != JSText(p.m.Banner.Text) {
		t.Errorf("banner %q, want %q", got, JSText(p.m.Banner.Text))
	}
	// the share and embed boxes carry the session as a link, not as markup
	txt = p.do(Open{Overlay: "share"})
	if !strings.HasPrefix(txt[SlotShareURL], "https://connlab.test/#v1=") {
		t.Errorf("share url %q", txt[SlotShareURL])
	}
	txt = p.do(Open{Overlay: "embed"})
	if v := txt[SlotEmbedSnippet]; v != "" && (strings.Count(v, "<") != 2 || !strings.HasPrefix(v, `<iframe src="https://connlab.test/embed?embed=1`)) {
		t.Errorf("embed snippet %q", v)
	}
}

func TestHostileDataIsText(t *testing.T) {
	for _, s := range hostile {
		checkDataText(t, s)
	}
}

// FuzzDataText: any string, through every slot that shows a person's or
// a link's text, reaches the page as that text and creates no element.
func FuzzDataText(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkDataText(t, s)
	})
}
