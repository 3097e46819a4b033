package ui

import (
	"hash/fnv"
	"strconv"
	"strings"
	"testing"
)

// firstRender is a fresh model's first batch for a start, decoded into
// slot -> value, and the model.
func firstRender(t *testing.T, shown string, rows int, init Init) (map[Slot]string, *Model) {
	t.Helper()
	m := New()
	m.Shown(shown)
	m.Update(SetLogRows{N: rows})
	m.Update(init)
	batch, n := m.Render()
	f, err := DecodeFrames(batch)
	if err != nil {
		t.Fatal(err)
	}
	if len(f) != 2*n {
		t.Fatalf("a batch of %d frames says %d slots", len(f), n)
	}
	out := map[Slot]string{}
	for i := 0; i < len(f); i += 2 {
		k, err := strconv.Atoi(f[i])
		if err != nil {
			t.Fatal(err)
		}
		out[Slot(k)] = f[i+1]
	}
	return out, m
}

// TestSlotHash is FNV-1a 64, as hash/fnv computes it.
func TestSlotHash(t *testing.T) {
	for _, s := range []string{"", "a", "<b>x</b>", "\x00\xff", strings.Repeat("é", 100)} {
		h := fnv.New64a()
		h.Write([]byte(s))
		if got, want := SlotHash(s), h.Sum64(); got != want {
			t.Errorf("SlotHash(%q) = %x, want %x", s, got, want)
		}
	}
}

// TestShownSendsOnlyWhatDiffers: with the page's note of what it shows,
// the first render sends only the slots whose value differs (and always
// SlotReady), remembers every value as if it had sent it, and the next
// render's batch is the one it would have been after the whole batch.
func TestShownSendsOnlyWhatDiffers(t *testing.T) {
	init := Init{BaseURL: "https://x.example/"}
	full, plain := firstRender(t, "", 19, init)
	shown := map[Slot]string{}
	for s, v := range full {
		shown[s] = v
	}
	delete(shown, SlotBoot)                   // left as the static page has it
	shown[SlotDiagram] = "<svg>another</svg>" // another engine's render
	attr := ShownAttr(shown)
	if got := strings.Count(attr, " ") + 1; got != int(slotCount) {
		t.Fatalf("ShownAttr has %d entries, want %d", got, slotCount)
	}
	if !strings.HasPrefix(attr, "- ") {
		t.Errorf("ShownAttr gives SlotReady a hash: %.40q", attr)
	}
	first, m := firstRender(t, attr, 19, init)
	// and the log's cursor: a first render's rows (the page's, here) come
	// with a Forget of the marks on them, as any new rows do
	want := []Slot{SlotReady, SlotBoot, SlotLogCur, SlotDiagram}
	if len(first) != len(want) {
		t.Errorf("the first batch sets %d slots, want %d (%v)", len(first), len(want), want)
	}
	for _, s := range want {
		if first[s] != full[s] {
			t.Errorf("slot %s: %.60q, want %.60q", s.Name(), first[s], full[s])
		}
	}
	for s := Slot(0); s < slotCount; s++ {
		if m.rend.Value(s) != plain.rend.Value(s) || m.rend.set[s] != plain.rend.set[s] {
			t.Errorf("slot %s: the renderer remembers %.40q, want %.40q", s.Name(), m.rend.Value(s), plain.rend.Value(s))
		}
	}
	// later renders: the same deltas as after the whole batch
	for _, act := range []Action{Step{Default: true}, Step{Default: true}, SetLogRows{N: 40}, Step{Default: true, Back: true}, ClickEvent{Seq: 5}, Open{Overlay: "library"}} {
		m.Update(act)
		plain.Update(act)
		got, _ := m.Render()
		want, _ := plain.Render()
		if got != want {
			t.Fatalf("after %T: the batch differs from the one after a full first batch:\n got %.200q\nwant %.200q", act, got, want)
		}
	}
}

// TestShownMismatchSends: whatever the page shows that the engine's first
// render does not (other log rows, a scenario link, a restored session),
// the engine sends; and a note that does not fit this build is ignored.
func TestShownMismatchSends(t *testing.T) {
	def, _ := firstRender(t, "", 19, Init{BaseURL: "./"})
	attr := ShownAttr(def)
	frag := func() string {
		m := New()
		m.Update(Init{BaseURL: "./", Query: "scenario=keep-alive&step=3"})
		f, err := EncodeFragment(m.ShareState())
		if err != nil {
			t.Fatal(err)
		}
		return f
	}()
	for _, c := range []struct {
		name string
		rows int
		init Init
	}{
		{"desktop rows", 45, Init{BaseURL: "./"}},
		{"scenario link", 19, Init{BaseURL: "./", Query: "scenario=keep-alive&step=2"}},
		{"embed", 19, Init{BaseURL: "./embed", Query: "embed=1"}},
		{"restored session", 19, Init{BaseURL: "./", Fragment: frag}},
	} {
		want, _ := firstRender(t, "", c.rows, c.init)
		got, m := firstRender(t, attr, c.rows, c.init)
		for s, v := range want {
			if g, ok := got[s]; ok && g != v {
				t.Errorf("%s: slot %s sent %.40q, want %.40q", c.name, s.Name(), g, v)
			}
			if _, ok := got[s]; !ok && def[s] != v {
				t.Errorf("%s: slot %s not sent, but the page shows %.40q, not %.40q", c.name, s.Name(), def[s], v)
			}
			if m.rend.Value(s) != v {
				t.Errorf("%s: slot %s remembered as %.40q", c.name, s.Name(), m.rend.Value(s))
			}
		}
		if len(got) >= len(want) {
			t.Errorf("%s: %d of %d slots sent: the note saved nothing", c.name, len(got), len(want))
		}
	}
	n := len(def)
	for _, bad := range []string{attr + " -", attr[:strings.LastIndexByte(attr, ' ')], strings.Replace(attr, "-", "x", 1), "- " + strings.Repeat("0 ", int(slotCount)-2) + "12345678901234567", " " + attr} {
		got, _ := firstRender(t, bad, 19, Init{BaseURL: "./"})
		if len(got) != n {
			t.Errorf("a malformed note (%.30q…): %d slots sent, want all %d", bad, len(got), n)
		}
	}
}

// TestShownForgotten: a slot the renderer forgets (the page changed it
// behind its back) is sent on its next Set even if the built page showed
// that value: the event log's cursor marks on rows sent anew.
func TestShownForgotten(t *testing.T) {
	def, _ := firstRender(t, "", 19, Init{BaseURL: "./"})
	attr := ShownAttr(def)
	var r Renderer
	r.shown(attr)
	r.Forget(SlotLogCur)
	r.Set(SlotLogCur, def[SlotLogCur])
	r.Set(SlotDiagram, def[SlotDiagram])
	if b, n := r.Flush(); n != 1 || !strings.HasPrefix(b, itoa(len(itoa(int(SlotLogCur))))+":"+itoa(int(SlotLogCur))) {
		t.Errorf("after Forget: %d slots sent (%.40q), want the cursor alone", n, b)
	}
	// desktop rows: the rows are sent, and the cursor on them
	got, _ := firstRender(t, attr, 45, Init{BaseURL: "./"})
	if _, ok := got[SlotLogRows]; !ok {
		t.Fatal("45 rows on a page of 19: the rows are not sent")
	}
	if got[SlotLogCur] != def[SlotLogCur] {
		t.Errorf("45 rows on a page of 19: the cursor sent is %q, want %q", got[SlotLogCur], def[SlotLogCur])
	}
}

// TestFirstRenderSetsDefaultSlots: every first render, whatever the page's
// address, sets every slot the default page's first render sets. The page
// pre-renders those slots; one a start left unset would keep the default
// page's value, and show it (wasm/cmd/buildsite pre-renders only these).
func TestFirstRenderSetsDefaultSlots(t *testing.T) {
	def, _ := firstRender(t, "", 19, Init{BaseURL: "./"})
	frag := func(q string) string {
		m := New()
		m.Update(Init{BaseURL: "./", Query: q})
		m.Update(Step{Default: true})
		f, err := EncodeFragment(m.ShareState())
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	starts := []Init{
		{BaseURL: "./"},
		{BaseURL: "https://o.example/app/", Query: "embed=1&panels=conn,wire"},
		{BaseURL: "./embed", Query: "scenario=keep-alive&step=4"},
		{BaseURL: "./", Query: "scenario=nosuch&theme=pink&unit=x"},
		{BaseURL: "./", Fragment: frag("")},
		{BaseURL: "./", Fragment: "v1=not-a-link"},
	}
	for _, sc := range scenarioInfos() {
		starts = append(starts, Init{BaseURL: "./", Query: "scenario=" + sc.Name + "&step=2"})
		starts = append(starts, Init{BaseURL: "./", Fragment: frag("scenario=" + sc.Name)})
	}
	for _, init := range starts {
		for _, rows := range []int{8, 19, 45} {
			got, _ := firstRender(t, "", rows, init)
			for s := range def {
				if _, ok := got[s]; !ok {
					t.Errorf("%+v, %d rows: the first render leaves slot %s unset", init, rows, s.Name())
				}
			}
		}
	}
}
