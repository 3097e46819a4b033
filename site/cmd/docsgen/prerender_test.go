package main

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/wasm/ui"
)

// prerenderAttr reads one data-* attribute of the page's #prerender.
func prerenderAttr(t *testing.T, page []byte, name string) string {
	t.Helper()
	m := regexp.MustCompile(`<div id="prerender" hidden[^>]* data-` + name + `="([^"]*)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no data-%s on #prerender", name)
	}
	return html.UnescapeString(string(m[1]))
}

// slotValues decodes a pre-render's batch into slot name -> value.
func slotValues(t *testing.T, spec, batch string) map[string]string {
	t.Helper()
	names, err := ui.DecodeFrames(spec)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ui.DecodeFrames(batch)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for i := 0; i+1 < len(f); i += 2 {
		k, err := strconv.Atoi(f[i])
		if err != nil || 2*k+1 >= len(names) {
			t.Fatalf("slot %q in the batch", f[i])
		}
		out[names[2*k]] = f[i+1]
	}
	return out
}

// slotIndex is a slot's index in a bind spec.
func slotIndex(t *testing.T, spec, name string) int {
	t.Helper()
	names, err := ui.DecodeFrames(spec)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(names); i += 2 {
		if names[i] == name {
			return i / 2
		}
	}
	t.Fatalf("no slot %q in the spec", name)
	return -1
}

// TestPrerenderIsTheEmbed: every docs sandbox's pre-render is the engine's
// render of the iframe's own address, at the figure's event, in embed mode,
// with the live address the engine will read when it takes over (the
// browser test compares it with the engine's DOM).
func TestPrerenderIsTheEmbed(t *testing.T) {
	s := builtSite(t)
	dir := filepath.Join(t.TempDir(), "embed", "docs")
	if err := s.WriteSandboxes(appSource, dir); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range s.TOC.Pages {
		for _, e := range s.Embeds[p.File] {
			page, err := os.ReadFile(filepath.Join(dir, e.SandboxName()))
			if err != nil {
				t.Fatal(err)
			}
			var spec, batch string
			if err := json.Unmarshal([]byte(prerenderAttr(t, page, "spec")), &spec); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(prerenderAttr(t, page, "batch")), &batch); err != nil {
				t.Fatal(err)
			}
			if spec != ui.BindSpec() {
				t.Errorf("%s: the spec is not ui.BindSpec()", e.SandboxName())
			}
			v := slotValues(t, spec, batch)
			want := map[string]string{"#app-ready": "true", "#app-embed": "1", "pos": "event " + strconv.Itoa(e.Event) + " / " + strconv.Itoa(e.Events-1), "banner-box": "1"}
			for k, w := range want {
				if v[k] != w {
					t.Errorf("%s: slot %s = %q, want %q", e.SandboxName(), k, v[k], w)
				}
			}
			var live string
			if err := json.Unmarshal([]byte(prerenderAttr(t, page, "live")), &live); err != nil || "../"+live != e.EmbedURL() {
				t.Errorf("%s: live address %q, want %q from the docs page", e.SandboxName(), live, e.EmbedURL())
			}
			if !strings.HasSuffix(e.SandboxURL(), e.embedQuery()) {
				t.Errorf("%s: the frame's address %q does not carry the embed's query", e.SandboxName(), e.SandboxURL())
			}
			// no engine loads by itself: the one data-wasm is sandbox.js's, the
			// only scripts are connlab.js (the helper) and sandbox.js, and
			// nothing preloads the wasm
			if strings.Contains(string(page), `<template id="panels">`) || strings.Count(string(page), "data-wasm=") != 1 || strings.Count(string(page), "<script") != 2 || strings.Contains(string(page), `rel="preload"`) {
				t.Errorf("%s: the panels are not mounted, or a script would load the engine", e.SandboxName())
			}
			n++
		}
	}
	if n < 40 {
		t.Errorf("only %d pre-rendered sandboxes", n)
	}
}

// TestPrerenderEscapes: data in a pre-render stays data: hostile text in
// the batch and the live address comes back exactly from the page's
// attributes and adds no markup.
func TestPrerenderEscapes(t *testing.T) {
	s := builtSite(t)
	shell, err := s.appShell(appSource)
	if err != nil {
		t.Fatal(err)
	}
	e := *s.Embeds["state.html"][0]
	pr := hostilePrerender(t)
	pr.Live = "embed?x=" + hostileText
	// a frame with NUL and CR too, for a slot the page shows before the
	// engine comes (the others' values wait for the engine: defer.go)
	pos := strconv.Itoa(slotIndex(t, pr.Spec, "pos"))
	pr.Batch += strconv.Itoa(len(pos)) + ":" + pos + strconv.Itoa(len([]rune(hostileText))) + ":" + hostileText
	page, err := shell.sandboxPage(&e, pr)
	if err != nil {
		t.Fatal(err)
	}
	var batch string
	if err := json.Unmarshal([]byte(prerenderAttr(t, page, "batch")), &batch); err != nil {
		t.Fatal(err)
	}
	want, err := shownBatch(pr.Spec, pr.Batch, shell.shown)
	if err != nil {
		t.Fatal(err)
	}
	if batch != want || !strings.HasSuffix(batch, ":"+hostileText) {
		t.Error("the batch does not come back exactly from the page")
	}
	var live string
	if err := json.Unmarshal([]byte(prerenderAttr(t, page, "live")), &live); err != nil || live != pr.Live {
		t.Errorf("live address %q, want %q", live, pr.Live)
	}
	for _, bad := range []string{"<script>window.pwned", "<img src=x", "</template>\"", "\x00"} {
		if strings.Contains(string(page), bad) {
			t.Errorf("the page holds %q as written", bad)
		}
	}
	if got, want := strings.Count(string(page), "<script"), strings.Count(shell.page, "<script")+1; got != want {
		t.Errorf("%d <script> tags, want %d", got, want)
	}
}

// TestAppShellDropsShownNote: the app's built page says which values its
// panels show and carries the rest of its first render (wasm/prerender);
// a sandbox's panels show its own step, so the shell its pages are made
// from drops both, and the engine that takes a sandbox over sends its
// whole first render.
func TestAppShellDropsShownNote(t *testing.T) {
	idx := builtAppIndex(t)
	b, err := os.ReadFile(idx)
	if err != nil {
		t.Fatal(err)
	}
	shell, err := loadAppShell(idx)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{ui.ShownAttrName, ui.FirstAttrName} {
		if !strings.Contains(string(b), " "+name+`="`) {
			t.Fatalf("the built page has no %s", name)
		}
		if strings.Contains(shell.page, name) || strings.Contains(strings.Join(shell.parts, ""), name) {
			t.Errorf("the sandboxes' shell keeps %s", name)
		}
	}
}
