package main

// A small element tree for the app's own markup, so the generator can
// apply the engine's first render to it at build time (inline.go): the
// inline sandboxes show their state with no JavaScript at all. It reads
// only what the app's page and the model write (site/static/index.html,
// wasm/ui's escaped markup): elements, attributes in double or single
// quotes or bare, void elements, "/>" in SVG, comments, and text kept as
// the escaped markup it is. Anything else is an error, never a guess.

import (
	"fmt"
	"html"
	"strings"
)

type node struct {
	tag   string // "" for text or a comment
	raw   string // a text node's or comment's markup, as read (escaped)
	attrs []attr
	kids  []*node
	self  bool // written <x/> (SVG)
}

type attr struct{ key, val string } // val unescaped

var voidTags = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// rawTags hold text up to their end tag (the app's markup has none inside
// #app but a <textarea>, whose text is escaped all the same).
var rawTags = map[string]bool{"script": true, "style": true, "textarea": true, "title": true}

// parseMarkup reads a fragment into its top-level nodes.
func parseMarkup(s string) ([]*node, error) {
	root := &node{tag: "#root"}
	stack := []*node{root}
	top := func() *node { return stack[len(stack)-1] }
	for i := 0; i < len(s); {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			top().kids = append(top().kids, &node{raw: s[i : i+j]})
			i += j
			continue
		}
		if strings.HasPrefix(s[i:], "<!--") {
			j := strings.Index(s[i:], "-->")
			if j < 0 {
				return nil, fmt.Errorf("markup: an unclosed comment at byte %d", i)
			}
			top().kids = append(top().kids, &node{raw: s[i : i+j+3]})
			i += j + 3
			continue
		}
		if strings.HasPrefix(s[i:], "</") {
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return nil, fmt.Errorf("markup: an unclosed end tag at byte %d", i)
			}
			name := strings.ToLower(strings.TrimSpace(s[i+2 : i+j]))
			if len(stack) == 1 || top().tag != name {
				return nil, fmt.Errorf("markup: </%s> at byte %d closes <%s>", name, i, top().tag)
			}
			stack = stack[:len(stack)-1]
			i += j + 1
			continue
		}
		n, end, err := parseStartTag(s, i)
		if err != nil {
			return nil, err
		}
		top().kids = append(top().kids, n)
		i = end
		if n.self || voidTags[n.tag] {
			continue
		}
		if rawTags[n.tag] {
			close := "</" + n.tag + ">"
			j := strings.Index(strings.ToLower(s[i:]), close)
			if j < 0 {
				return nil, fmt.Errorf("markup: <%s> at byte %d is never closed", n.tag, i)
			}
			if j > 0 {
				n.kids = []*node{{raw: s[i : i+j]}}
			}
			i += j + len(close)
			continue
		}
		stack = append(stack, n)
	}
	if len(stack) != 1 {
		return nil, fmt.Errorf("markup: <%s> is never closed", top().tag)
	}
	return root.kids, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' }

// parseStartTag reads the tag at s[i] ('<').
func parseStartTag(s string, i int) (*node, int, error) {
	at := i
	i++
	j := i
	for j < len(s) && !isSpace(s[j]) && s[j] != '>' && s[j] != '/' {
		j++
	}
	if j == i {
		return nil, 0, fmt.Errorf("markup: a bare '<' at byte %d", at)
	}
	n := &node{tag: strings.ToLower(s[i:j])}
	i = j
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return nil, 0, fmt.Errorf("markup: <%s> at byte %d is cut off", n.tag, at)
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
			return nil, 0, fmt.Errorf("markup: <%s> at byte %d: a stray %q", n.tag, at, s[i])
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
					return nil, 0, fmt.Errorf("markup: <%s> at byte %d: an unclosed attribute %s", n.tag, at, key)
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

func (n *node) get(key string) (string, bool) {
	for _, a := range n.attrs {
		if a.key == key {
			return a.val, true
		}
	}
	return "", false
}

func (n *node) set(key, val string) {
	for i := range n.attrs {
		if n.attrs[i].key == key {
			n.attrs[i].val = val
			return
		}
	}
	n.attrs = append(n.attrs, attr{key, val})
}

func (n *node) del(key string) {
	for i := range n.attrs {
		if n.attrs[i].key == key {
			n.attrs = append(n.attrs[:i], n.attrs[i+1:]...)
			return
		}
	}
}

func (n *node) flag(key string, on bool) {
	if on {
		n.set(key, "")
	} else {
		n.del(key)
	}
}

// elements are the element children.
func (n *node) elements() []*node {
	var out []*node
	for _, k := range n.kids {
		if k.tag != "" {
			out = append(out, k)
		}
	}
	return out
}

// walk visits n and every element under it, in document order.
func (n *node) walk(f func(*node)) {
	if n.tag == "" {
		return
	}
	f(n)
	for _, k := range n.kids {
		k.walk(f)
	}
}

func (n *node) hasClass(c string) bool {
	v, _ := n.get("class")
	for _, f := range strings.Fields(v) {
		if f == c {
			return true
		}
	}
	return false
}

// toggleClass is classList.toggle(c, on): an element without a class
// attribute gets none for nothing, one that had it keeps it, empty.
func (n *node) toggleClass(c string, on bool) {
	v, had := n.get("class")
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
	n.set("class", strings.Join(out, " "))
}

// setStyle sets one property of the style attribute (val "" removes it).
func (n *node) setStyle(prop, val string) {
	v, _ := n.get("style")
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
		n.del("style")
		return
	}
	n.set("style", strings.Join(out, "; "))
}

// text is a text node holding s, escaped.
func textNode(s string) *node { return &node{raw: html.EscapeString(s)} }

// render writes the nodes back as markup; url rewrites href and src
// values (nil: as they are).
func render(b *strings.Builder, nodes []*node, url func(string) string) {
	for _, n := range nodes {
		if n.tag == "" {
			b.WriteString(n.raw)
			continue
		}
		b.WriteString("<" + n.tag)
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
		if voidTags[n.tag] {
			continue
		}
		render(b, n.kids, url)
		b.WriteString("</" + n.tag + ">")
	}
}
