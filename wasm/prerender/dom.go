// Package prerender is connlab.apply (site/static/connlab.js) at build
// time: the engine's first render, made by the same model natively
// (wasm/ui), written into the app's own markup. The docs' inline sandboxes
// (site/cmd/docsgen, inline.go) show their step with no script at all, and
// the app's page (wasm/cmd/buildsite) carries the default page's first
// render in its panels, so the engine applies only what differs.
package prerender

// A small element tree for the app's own markup, so a build can apply
// the engine's first render to it. It reads
// only what the app's page and the model write (site/static/index.html,
// wasm/ui's escaped markup): elements, attributes in double or single
// quotes or bare, void elements, "/>" in SVG, comments, and text kept as
// the escaped markup it is. Anything else is an error, never a guess.

import (
	"fmt"
	"html"
	"strings"
)

type Node struct {
	Tag   string // "" for text or a comment
	raw   string // a text node's or comment's markup, as read (escaped)
	attrs []attr
	Kids  []*Node
	self  bool // written <x/> (SVG)
}

type attr struct{ key, val string } // val unescaped

var voidTags = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// rawTags hold text up to their end tag (the app's markup has none inside
// #app but a <textarea>, whose text is escaped all the same).
var rawTags = map[string]bool{"script": true, "style": true, "textarea": true, "title": true}

// Parse reads a fragment into its top-level nodes.
func Parse(s string) ([]*Node, error) {
	nodes, _, err := parse(s, 0, false)
	return nodes, err
}

// ParseElement reads the one element that starts at s[start] ('<'), and
// returns it and the index just past its end tag: a page's #app, read
// from the page without the rest of the page.
func ParseElement(s string, start int) (*Node, int, error) {
	if start < 0 || start >= len(s) || s[start] != '<' || strings.HasPrefix(s[start:], "</") || strings.HasPrefix(s[start:], "<!") {
		return nil, 0, fmt.Errorf("markup: no element at byte %d", start)
	}
	nodes, end, err := parse(s, start, true)
	if err != nil {
		return nil, 0, err
	}
	return nodes[0], end, nil
}

// parse reads s from byte i; one stops at the end of the first top-level
// element.
func parse(s string, i int, one bool) ([]*Node, int, error) {
	root := &Node{Tag: "#root"}
	stack := []*Node{root}
	top := func() *Node { return stack[len(stack)-1] }
	for i < len(s) {
		if one && len(stack) == 1 && len(root.Kids) == 1 {
			return root.Kids, i, nil
		}
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			top().Kids = append(top().Kids, &Node{raw: s[i : i+j]})
			i += j
			continue
		}
		if strings.HasPrefix(s[i:], "<!--") {
			j := strings.Index(s[i:], "-->")
			if j < 0 {
				return nil, 0, fmt.Errorf("markup: an unclosed comment at byte %d", i)
			}
			top().Kids = append(top().Kids, &Node{raw: s[i : i+j+3]})
			i += j + 3
			continue
		}
		if strings.HasPrefix(s[i:], "</") {
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return nil, 0, fmt.Errorf("markup: an unclosed end tag at byte %d", i)
			}
			name := strings.ToLower(strings.TrimSpace(s[i+2 : i+j]))
			if len(stack) == 1 || top().Tag != name {
				return nil, 0, fmt.Errorf("markup: </%s> at byte %d closes <%s>", name, i, top().Tag)
			}
			stack = stack[:len(stack)-1]
			i += j + 1
			continue
		}
		n, end, err := parseStartTag(s, i)
		if err != nil {
			return nil, 0, err
		}
		top().Kids = append(top().Kids, n)
		i = end
		if n.self || voidTags[n.Tag] {
			continue
		}
		if rawTags[n.Tag] {
			close := "</" + n.Tag + ">"
			j := strings.Index(strings.ToLower(s[i:]), close)
			if j < 0 {
				return nil, 0, fmt.Errorf("markup: <%s> at byte %d is never closed", n.Tag, i)
			}
			if j > 0 {
				n.Kids = []*Node{{raw: s[i : i+j]}}
			}
			i += j + len(close)
			continue
		}
		stack = append(stack, n)
	}
	if len(stack) != 1 {
		return nil, 0, fmt.Errorf("markup: <%s> is never closed", top().Tag)
	}
	return root.Kids, i, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' }

// parseStartTag reads the tag at s[i] ('<').
func parseStartTag(s string, i int) (*Node, int, error) {
	at := i
	i++
	j := i
	for j < len(s) && !isSpace(s[j]) && s[j] != '>' && s[j] != '/' {
		j++
	}
	if j == i {
		return nil, 0, fmt.Errorf("markup: a bare '<' at byte %d", at)
	}
	n := &Node{Tag: strings.ToLower(s[i:j])}
	i = j
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return nil, 0, fmt.Errorf("markup: <%s> at byte %d is cut off", n.Tag, at)
		}
		if s[i] == '>' {
			return n, i + 1, nil
		}
		if strings.HasPrefix(s[i:], "/>") {
			n.self = true
			return n, i + 2, nil
		}
		j := i
		for j < len(s) && !isSpace(s[j]) && s[j] != '=' && s[j] != '>' && s[j] != '/' {
			j++
		}
		if j == i {
			return nil, 0, fmt.Errorf("markup: <%s> at byte %d: a stray %q", n.Tag, at, s[i])
		}
		key := s[i:j]
		i = j
		if i < len(s) && s[i] == '=' {
			i++
			var val string
			switch {
			case i < len(s) && (s[i] == '"' || s[i] == '\''):
				k := strings.IndexByte(s[i+1:], s[i])
				if k < 0 {
					return nil, 0, fmt.Errorf("markup: <%s> at byte %d: an unclosed attribute %s", n.Tag, at, key)
				}
				val = s[i+1 : i+1+k]
				i += k + 2
			default:
				k := i
				for k < len(s) && !isSpace(s[k]) && s[k] != '>' {
					k++
				}
				val = s[i:k]
				i = k
			}
			n.attrs = append(n.attrs, attr{key, html.UnescapeString(val)})
		} else {
			n.attrs = append(n.attrs, attr{key, ""})
		}
	}
}

func (n *Node) Get(key string) (string, bool) {
	for _, a := range n.attrs {
		if a.key == key {
			return a.val, true
		}
	}
	return "", false
}

func (n *Node) Set(key, val string) {
	for i := range n.attrs {
		if n.attrs[i].key == key {
			n.attrs[i].val = val
			return
		}
	}
	n.attrs = append(n.attrs, attr{key, val})
}

func (n *Node) Del(key string) {
	for i := range n.attrs {
		if n.attrs[i].key == key {
			n.attrs = append(n.attrs[:i], n.attrs[i+1:]...)
			return
		}
	}
}

func (n *Node) flag(key string, on bool) {
	if on {
		n.Set(key, "")
	} else {
		n.Del(key)
	}
}

// elements are the element children.
func (n *Node) elements() []*Node {
	var out []*Node
	for _, k := range n.Kids {
		if k.Tag != "" {
			out = append(out, k)
		}
	}
	return out
}

// walk visits n and every element under it, in document order.
func (n *Node) Walk(f func(*Node)) {
	if n.Tag == "" {
		return
	}
	f(n)
	for _, k := range n.Kids {
		k.Walk(f)
	}
}

// HasClass is classList.contains(c).
func (n *Node) HasClass(c string) bool {
	v, _ := n.Get("class")
	for _, f := range strings.Fields(v) {
		if f == c {
			return true
		}
	}
	return false
}

// toggleClass is classList.toggle(c, on): an element without a class
// attribute gets none for nothing, one that had it keeps it, empty.
func (n *Node) toggleClass(c string, on bool) {
	v, had := n.Get("class")
	var out []string
	for _, f := range strings.Fields(v) {
		if f != c {
			out = append(out, f)
		}
	}
	if on {
		out = append(out, c)
	}
	if len(out) == 0 && !had {
		return
	}
	n.Set("class", strings.Join(out, " "))
}

// setStyle sets one property of the style attribute (val "" removes it).
func (n *Node) setStyle(prop, val string) {
	v, _ := n.Get("style")
	var out []string
	for _, d := range strings.Split(v, ";") {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		if k, _, ok := strings.Cut(d, ":"); ok && strings.TrimSpace(k) == prop {
			continue
		}
		out = append(out, d)
	}
	if val != "" {
		out = append(out, prop+": "+val)
	}
	if len(out) == 0 {
		n.Del("style")
		return
	}
	n.Set("style", strings.Join(out, "; "))
}

// text is a text node holding s, escaped.
func textNode(s string) *Node { return &Node{raw: html.EscapeString(s)} }

// render writes the nodes back as markup; url rewrites href and src
// values (nil: as they are).
func Render(b *strings.Builder, nodes []*Node, url func(string) string) {
	for _, n := range nodes {
		if n.Tag == "" {
			b.WriteString(n.raw)
			continue
		}
		b.WriteString("<" + n.Tag)
		for _, a := range n.attrs {
			v := a.val
			if url != nil && (a.key == "href" || a.key == "src") {
				v = url(v)
			}
			b.WriteString(" " + a.key)
			if v != "" || a.key == "value" || a.key == "alt" {
				b.WriteString(`="` + html.EscapeString(v) + `"`)
			}
		}
		if n.self {
			b.WriteString("/>")
			continue
		}
		b.WriteString(">")
		if voidTags[n.Tag] {
			continue
		}
		// the parser drops a newline right after <pre>, <textarea> or
		// <listing> (innerHTML and a text value keep it): one more keeps
		// the text's own, as HTML's serializer writes it
		if (n.Tag == "pre" || n.Tag == "textarea" || n.Tag == "listing") && len(n.Kids) > 0 && n.Kids[0].Tag == "" && strings.HasPrefix(n.Kids[0].raw, "\n") {
			b.WriteString("\n")
		}
		Render(b, n.Kids, url)
		b.WriteString("</" + n.Tag + ">")
	}
}
