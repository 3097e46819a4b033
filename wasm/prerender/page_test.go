package prerender

import (
	"html"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/wasm/ui"
)

// staticIndex is the site's source page.
func staticIndex(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../site/static/index.html")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// pageApp is a page's #app element.
func pageApp(t *testing.T, page string) *Node {
	t.Helper()
	app, _, err := ParseElement(page, strings.Index(page, appStart))
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// firstBatch is the slots the engine's first render sends on a page that
// shows what shown says, in a window of rows, for init.
func firstBatch(t *testing.T, shown string, rows int, init ui.Init) []SlotValue {
	t.Helper()
	m := ui.New()
	m.Shown(shown)
	m.Update(ui.SetLogRows{N: rows})
	m.Update(init)
	batch, _ := m.Render()
	slots, err := Slots(ui.BindSpec(), batch)
	if err != nil {
		t.Fatal(err)
	}
	return slots
}

func names(slots []SlotValue) string {
	var out []string
	for _, s := range slots {
		out = append(out, s.Name)
	}
	return strings.Join(out, " ")
}

// TestPageMatchesModel: the page buildsite writes holds the native
// model's first render of the default page (made here for another
// origin, which changes no slot), slot by slot, and its note says so;
// what the loading page shows stays as the static page has it; and an
// engine on it, in the window the build pre-rendered for, sends only the
// slots the markup could not carry.
func TestPageMatchesModel(t *testing.T) {
	static := staticIndex(t)
	page, err := Page(static)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(static, appStart)
	_, end, err := ParseElement(static, i)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(page, static[:i]) || !strings.HasSuffix(page, static[end:]) {
		t.Errorf("the page changed outside #app")
	}
	app := pageApp(t, page)
	note, _ := app.Get(ui.ShownAttrName)
	tokens := strings.Fields(note)
	spec, err := ui.DecodeFrames(ui.BindSpec())
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) != len(spec)/2 {
		t.Fatalf("the note has %d entries, the bind spec %d slots", len(tokens), len(spec)/2)
	}
	native := firstBatch(t, "", LogRows, ui.Init{BaseURL: "https://connlab.example/"})
	byName := SlotElements(app)
	shown := 0
	for _, sv := range native {
		k, _ := strconv.Atoi(sv.Index)
		tok := tokens[k]
		if tok == "-" {
			continue
		}
		shown++
		if want := strconv.FormatUint(ui.SlotHash(sv.Value), 16); tok != want {
			t.Errorf("slot %s: the note says %s, the model's value hashes %s", sv.Name, tok, want)
		}
		for _, el := range byName[sv.Name] {
			if names, _ := el.Get("data-s"); strings.Contains(names, " ") {
				continue // another slot sets it too (the log's rows: the cursor's classes)
			}
			var got, want strings.Builder
			Render(&got, el.Kids, nil)
			switch sv.Kind {
			case "html", "wire", "rows":
				nodes, err := Parse(sv.Value)
				if err != nil {
					t.Fatal(err)
				}
				Render(&want, nodes, nil)
			case "text":
				want.WriteString(html.EscapeString(sv.Value))
			default:
				continue
			}
			if got.String() != want.String() {
				t.Errorf("slot %s holds %.80q, the model renders %.80q", sv.Name, got.String(), want.String())
			}
		}
	}
	if shown < 80 {
		t.Errorf("only %d of the first render's %d slots are pre-rendered", shown, len(native))
	}
	for k, tok := range tokens {
		if name := spec[2*k]; tok != "-" && (strings.HasPrefix(name, "#app") || name == "boot" || name == "sc-name") {
			t.Errorf("slot %s is pre-rendered: the loading page shows it", name)
		}
	}
	// the loading page: not ready, the boot box shown, the header's name
	// and buttons waiting, no style attribute (the CSP ignores them)
	if _, ok := app.Get("data-ready"); ok {
		t.Error("#app has data-ready")
	}
	app.Walk(func(n *Node) {
		if id, _ := n.Get("id"); id == "boot" {
			if _, ok := n.Get("hidden"); ok {
				t.Error("the boot box is hidden")
			}
		}
		if _, ok := n.Get("data-until-ready"); ok {
			if _, ok := n.Get("disabled"); !ok {
				t.Error("a data-until-ready button is enabled")
			}
		}
		if _, ok := n.Get("style"); ok {
			t.Errorf("a <%s> has a style attribute", n.Tag)
		}
	})
	if s := byName["sc-name"]; len(s) != 1 || len(s[0].Kids) != 1 || !strings.Contains(renderKids(s[0]), "loading") {
		t.Errorf("the header's scenario name is not the static one")
	}
	// the engine on this page sends the slots the markup could not carry
	sent := firstBatch(t, note, LogRows, ui.Init{BaseURL: "https://connlab.example/"})
	allowed := " #app-ready #app-overlay #app-embed #app-panels #app-mode boot sc-name log-cur svc-exec svc-errl cli-exec cli-errl iter-bar log-spacer log-top "
	for _, sv := range sent {
		if !strings.Contains(allowed, " "+sv.Name+" ") {
			t.Errorf("the engine sends slot %s on the pre-rendered page", sv.Name)
		}
	}
	if len(sent) > 16 || len(native) < 100 {
		t.Errorf("the engine sends %d of %d slots on the pre-rendered page: %s", len(sent), len(native), names(sent))
	}
	if _, err := Page(page); err == nil {
		t.Error("a page pre-rendered twice")
	}
}

func renderKids(n *Node) string {
	var b strings.Builder
	Render(&b, n.Kids, nil)
	return b.String()
}

// TestPageCarriesFirstBatch: the page carries the rest of the default
// page's first render, the slots its markup does not hold, as the engine
// would send them (ui/resume.go); a model made on the page after it was
// applied sends nothing more in the window the page was built for (but
// the cursor's mark, the same), and in a phone's window the log only.
func TestPageCarriesFirstBatch(t *testing.T) {
	page, err := Page(staticIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	app := pageApp(t, page)
	note, _ := app.Get(ui.ShownAttrName)
	first, ok := app.Get(ui.FirstAttrName)
	if !ok || first == "" {
		t.Fatalf("#app has no %s", ui.FirstAttrName)
	}
	want := firstBatch(t, note, LogRows, ui.Init{BaseURL: "https://connlab.example/"})
	got, err := Slots(ui.BindSpec(), first)
	if err != nil {
		t.Fatal(err)
	}
	if names(got) != names(want) || len(got) < 5 {
		t.Fatalf("the page's first batch sets %s; the engine sends %s", names(got), names(want))
	}
	for i := range got {
		if got[i].Value != want[i].Value {
			t.Errorf("slot %s: the page's first batch has %q, the engine sends %q", got[i].Name, got[i].Value, want[i].Value)
		}
	}
	for _, c := range []struct {
		rows int
		want string
	}{{LogRows, "log-cur"}, {19, "log-rows log-cur"}} {
		m := ui.New()
		m.Update(ui.SetLogRows{N: c.rows})
		m.Shown(note)
		if err := m.Applied(first); err != nil {
			t.Fatal(err)
		}
		m.Update(ui.Init{BaseURL: "https://connlab.example/"})
		batch, _ := m.Render()
		sent, err := Slots(ui.BindSpec(), batch)
		if err != nil {
			t.Fatal(err)
		}
		if names(sent) != c.want {
			t.Errorf("in %d rows, a model made on the applied page sends %s, want %s", c.rows, names(sent), c.want)
		}
	}
}
