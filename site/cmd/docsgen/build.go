package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/connlab/connlab/engine/scenarios"
)

// TOC is site/docs/toc.json: the pages in reading order (previous/next
// follow it) grouped in parts.
type TOC struct {
	Pages []Page `json:"pages"`
}

// Page is one entry of the table of contents.
type Page struct {
	File    string `json:"file"`    // source and output name, e.g. "state.html"
	Title   string `json:"title"`   // <h1> and <title>
	Short   string `json:"short"`   // the name in the table of contents
	Part    string `json:"part"`    // heading it is listed under ("" for the index)
	Summary string `json:"summary"` // one sentence for the index
	// Sections are the chapter sections the page covers ("§12.6.1"); a
	// section link goes to the page with the longest matching prefix.
	Sections []string `json:"sections,omitempty"`
	// Seed is the seed problem a page reproduces ("000".."003").
	Seed string `json:"seed,omitempty"`
}

// Site is the docs as built: the table of contents and every page's
// resolved embeds (the tests read them).
type Site struct {
	TOC    TOC
	Embeds map[string][]*Embed // by page file
	Checks map[string][]*Embed // {{check}}s by page file (no iframe)
	HTML   map[string][]byte   // rendered pages by file
	// SandboxJS is sandbox.js's name in the written docs: hashed, so
	// the site serves it as immutable (preload.go)
	SandboxJS string
	// InlineJS is inline.js's name in the written docs (inline.go)
	InlineJS string
}

// layoutFile is the shared page frame; files starting with _ are not pages.
const layoutFile = "_layout.html"

// staticFiles are copied from the sources as they are; sandbox.js, the
// pre-rendered sandboxes' loader (prerender.go), and inline.js, the inline
// sandboxes' (inline.go), under their hashed names (Site.SandboxJS,
// Site.InlineJS).
var staticFiles = []string{"docs.css", "icon.svg", sandboxScript, inlineScript}

// Build renders every page of src into memory. Nothing is written: see
// Write.
func Build(src string) (*Site, error) {
	raw, err := os.ReadFile(filepath.Join(src, "toc.json"))
	if err != nil {
		return nil, err
	}
	var toc TOC
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&toc); err != nil {
		return nil, fmt.Errorf("toc.json: %v", err)
	}
	if err := checkTOC(src, &toc); err != nil {
		return nil, err
	}
	layout, err := os.ReadFile(filepath.Join(src, layoutFile))
	if err != nil {
		return nil, err
	}
	s := &Site{TOC: toc, Embeds: map[string][]*Embed{}, Checks: map[string][]*Embed{}, HTML: map[string][]byte{}}
	// (a folder of sources without it, as some tests build, has no
	// sandboxes to pre-render)
	if js, err := os.ReadFile(filepath.Join(src, sandboxScript)); err == nil {
		s.SandboxJS = hashedName(sandboxScript, js)
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	if js, err := os.ReadFile(filepath.Join(src, inlineScript)); err == nil {
		s.InlineJS = hashedName(inlineScript, js)
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	cache := timelines{}
	links := &linker{toc: &toc}
	for i, p := range toc.Pages {
		body, err := os.ReadFile(filepath.Join(src, p.File))
		if err != nil {
			return nil, err
		}
		var embeds []*Embed
		funcs := links.funcs(p.File)
		funcs["embed"] = func(name, expr string, args ...string) (template.HTML, error) {
			n := len(embeds) + 1
			e, err := resolveEmbed(cache, p.File, "sandbox "+strconv.Itoa(n), n, name, expr, args)
			if err != nil {
				return "", err
			}
			embeds = append(embeds, e)
			return e.figure(links)
		}
		// check states facts about a step without a sandbox: the claims
		// are checked like an embed's, and the text links the full
		// sandbox at that step.
		var checks []*Embed
		funcs["check"] = func(name, expr string, args ...string) (template.HTML, error) {
			n := len(checks) + 1
			e, err := resolveEmbed(cache, p.File, "check "+strconv.Itoa(n), 0, name, expr, args)
			if err != nil {
				return "", err
			}
			if e.Caption == "" {
				e.Caption = "event " + strconv.Itoa(e.Event)
			}
			checks = append(checks, e)
			return template.HTML(`<a class="at" href="` + template.HTMLEscapeString(e.AppURL()) + `" title="` + template.HTMLEscapeString(e.Scenario.Name+": where "+e.Resolved+" holds") + `">` + template.HTMLEscapeString(e.Caption) + `</a>`), nil
		}
		// snippet is the iframe another site pastes, for the embed guide:
		// the same step as the figure just above it, at an absolute origin.
		funcs["snippet"] = func(origin string) (string, error) {
			if len(embeds) == 0 {
				return "", fmt.Errorf("%s: {{snippet}} must follow an {{embed}}", p.File)
			}
			e := embeds[len(embeds)-1]
			u := strings.TrimSuffix(origin, "/") + EmbedRoute + e.embedQuery()
			return `<iframe src="` + u + `" title="connlab: ` + e.Scenario.Title + `"` + "\n" +
				`        width="100%" height="` + strconv.Itoa(e.Height) + `" loading="lazy"` + "\n" +
				`        style="border:1px solid #8884; border-radius:8px"></iframe>`, nil
		}
		t := template.New(layoutFile).Funcs(funcs)
		if _, err := t.Parse(string(layout)); err != nil {
			return nil, fmt.Errorf("%s: %v", layoutFile, err)
		}
		if _, err := t.New(p.File).Parse(string(body)); err != nil {
			return nil, fmt.Errorf("%s: %v", p.File, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("%s: no {{define \"content\"}}", p.File)
		}
		data := pageData{Page: p, TOC: &toc, Index: i, Links: links}
		var out bytes.Buffer
		if err := t.ExecuteTemplate(&out, layoutFile, data); err != nil {
			var ee *EmbedError
			if errors.As(err, &ee) {
				return nil, ee
			}
			return nil, fmt.Errorf("%s: %v", p.File, err)
		}
		s.HTML[p.File] = out.Bytes()
		s.Embeds[p.File] = embeds
		s.Checks[p.File] = checks
	}
	return s, nil
}

// checkTOC: every page in the TOC exists and every page source is in it.
func checkTOC(src string, toc *TOC) error {
	if len(toc.Pages) == 0 || toc.Pages[0].File != "index.html" {
		return errors.New("toc.json: the first page must be index.html")
	}
	listed := map[string]bool{}
	for _, p := range toc.Pages {
		if p.File == "" || p.Title == "" {
			return fmt.Errorf("toc.json: a page without file or title: %+v", p)
		}
		if listed[p.File] {
			return fmt.Errorf("toc.json: %s is listed twice", p.File)
		}
		listed[p.File] = true
		if _, err := os.Stat(filepath.Join(src, p.File)); err != nil {
			return fmt.Errorf("toc.json lists %s: %v", p.File, err)
		}
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if strings.HasSuffix(n, ".html") && !strings.HasPrefix(n, "_") && !listed[n] {
			return fmt.Errorf("%s is not in toc.json", filepath.Join(src, n))
		}
	}
	return nil
}

// Write writes the built pages and the static files into out (removed
// and rebuilt: it is generated).
func (s *Site) Write(src, out string) error {
	if filepath.Base(filepath.Clean(out)) != "docs" {
		return fmt.Errorf("refusing to replace %s: the output folder must be named docs", out)
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, p := range s.TOC.Pages {
		if err := os.WriteFile(filepath.Join(out, p.File), s.HTML[p.File], 0o644); err != nil {
			return err
		}
	}
	for _, f := range staticFiles {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			return err
		}
		switch f {
		case sandboxScript:
			f = s.SandboxJS
		case inlineScript:
			f = s.InlineJS
		}
		if err := os.WriteFile(filepath.Join(out, f), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// rewriteSandboxPages passes every written page of dir that has sandboxes
// (the TOC's order) through edit, and writes back what it returns: the
// passes that fill in the sandboxes (WriteInline) and their preloads
// (WritePreloads).
func (s *Site) rewriteSandboxPages(dir string, edit func(file string, es []*Embed, page string) (string, error)) error {
	for _, p := range s.TOC.Pages {
		es := s.Embeds[p.File]
		if len(es) == 0 {
			continue
		}
		path := filepath.Join(dir, p.File)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		page, err := edit(p.File, es, string(b))
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// pageData is what the layout and the page templates see.
type pageData struct {
	Page  Page
	TOC   *TOC
	Index int
	Links *linker
}

// Prev is the page before this one in reading order, or nil.
func (d pageData) Prev() *Page {
	if d.Index == 0 {
		return nil
	}
	return &d.TOC.Pages[d.Index-1]
}

// Next is the page after this one, or nil.
func (d pageData) Next() *Page {
	if d.Index+1 >= len(d.TOC.Pages) {
		return nil
	}
	return &d.TOC.Pages[d.Index+1]
}

// Part is a heading of the table of contents with its pages.
type Part struct {
	Name  string
	Pages []Page
}

// Parts groups the pages (after the index) by part, in order.
func (d pageData) Parts() []Part {
	var parts []Part
	for _, p := range d.TOC.Pages[1:] {
		if len(parts) == 0 || parts[len(parts)-1].Name != p.Part {
			parts = append(parts, Part{Name: p.Part})
		}
		parts[len(parts)-1].Pages = append(parts[len(parts)-1].Pages, p)
	}
	return parts
}

// rfcSection matches "RFC 9112 §6.3".
var rfcSection = regexp.MustCompile(`^RFC (\d+) §(\d+(?:\.\d+)*)$`)

// linker makes the checked links the templates use.
type linker struct{ toc *TOC }

func (l *linker) pageByFile(file string) (Page, bool) {
	for _, p := range l.toc.Pages {
		if p.File == file {
			return p, true
		}
	}
	return Page{}, false
}

// sectionPage is the page that covers a chapter section: the one that
// declares the longest prefix of it ("§12.6" covers "§12.6.1").
func (l *linker) sectionPage(sec string) (Page, bool) {
	var best Page
	bestLen := -1
	for _, p := range l.toc.Pages {
		for _, s := range p.Sections {
			if (sec == s || strings.HasPrefix(sec, s+".")) && len(s) > bestLen {
				best, bestLen = p, len(s)
			}
		}
	}
	return best, bestLen >= 0
}

// section is a chapter section as a link to its page, or plain text when
// no page covers it (an RFC section, say).
func (l *linker) section(sec string) template.HTML {
	esc := template.HTMLEscapeString
	if p, ok := l.sectionPage(sec); ok {
		return template.HTML(`<a class="sec" href="` + esc(p.File) + `" title="` + esc(p.Title) + `">` + esc(sec) + `</a>`)
	}
	if m := rfcSection.FindStringSubmatch(sec); m != nil {
		return template.HTML(`<a class="sec" href="` + esc("https://www.rfc-editor.org/rfc/rfc"+m[1]+"#section-"+m[2]) + `">` + esc(sec) + `</a>`)
	}
	return template.HTML(`<span class="sec">` + esc(sec) + `</span>`)
}

func (l *linker) funcs(page string) template.FuncMap {
	esc := template.HTMLEscapeString
	return template.FuncMap{
		// fn links a hyper function name to its source file.
		"fn": hyperLink,
		// sec links a chapter section to the page that covers it.
		"sec": func(sec string) (template.HTML, error) {
			if _, ok := l.sectionPage(sec); !ok {
				return "", fmt.Errorf("%s: {{sec %q}}: no page declares this section in toc.json", page, sec)
			}
			return l.section(sec), nil
		},
		// page links another page by file, with its title (or the text given).
		"page": func(file string, text ...string) (template.HTML, error) {
			name, frag, _ := strings.Cut(file, "#")
			p, ok := l.pageByFile(name)
			if !ok {
				return "", fmt.Errorf("%s: {{page %q}}: no such page in toc.json", page, file)
			}
			t := p.Title
			if len(text) > 0 {
				t = strings.Join(text, " ")
			}
			href := name
			if frag != "" {
				href += "#" + frag
			}
			return template.HTML(`<a href="` + esc(href) + `">` + esc(t) + `</a>`), nil
		},
		// scenario links the full sandbox at a scenario's first event.
		"scenario": func(name string) (template.HTML, error) {
			sc, ok := scenarios.Lookup(name)
			if !ok {
				return "", fmt.Errorf("%s: {{scenario %q}}: no such scenario in the library", page, name)
			}
			return template.HTML(`<a class="scenario" href="` + esc(AppPath+"?scenario="+name) + `" title="` + esc(sc.Title) + `"><code>` + esc(name) + `</code></a>`), nil
		},
		// program is a scenario's client program (modes client and both),
		// one numbered line each, for a <pre>.
		"program": func(name string) (string, error) {
			sc, ok := scenarios.Lookup(name)
			if !ok {
				return "", fmt.Errorf("%s: {{program %q}}: no such scenario in the library", page, name)
			}
			f, err := sc.File()
			if err != nil {
				return "", err
			}
			if len(f.ClientProgram) == 0 {
				return "", fmt.Errorf("%s: {{program %q}}: the scenario has no client program", page, name)
			}
			var b strings.Builder
			for i, line := range f.ClientProgram {
				fmt.Fprintf(&b, "%2d  %s\n", i+1, line)
			}
			return strings.TrimSuffix(b.String(), "\n"), nil
		},
		// rust is a scenario's program as hyper 1.x Rust (rust.go).
		"rust": rustFunc(page),
		// library is every scenario, in the library's order.
		"library": scenarios.Library,
		// goal is a scenario's "try this" line, from the library.
		"goal": func(name string) (string, error) {
			sc, ok := scenarios.Lookup(name)
			if !ok {
				return "", fmt.Errorf("%s: {{goal %q}}: no such scenario in the library", page, name)
			}
			return sc.Goal, nil
		},
	}
}

// Scenarios lists every scenario some page embeds, sorted.
func (s *Site) Scenarios() []string {
	var out []string
	for _, es := range s.Embeds {
		for _, e := range es {
			if !slices.Contains(out, e.Scenario.Name) {
				out = append(out, e.Scenario.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}
