package ui

import "strconv"

// wireMemo is one wire panel's last render: its markup, its layout, and
// the class-only update from the render before it, when there is one
// (most steps that cross an io event change only which bytes are
// written, read or lit: a few runs' classes, not the ~40 KB of markup).
type wireMemo struct {
	key, html string
	ver       int
	lay, prev wireLayout
	from      string // the markup delta updates
	delta     string // "": none, send html
}

// render lays out w when what it depends on changed since the last
// render (ver: the timeline's version, whose bytes these are).
func (wm *wireMemo) render(ver int, w wireView) {
	key := strconv.Itoa(ver) + "/" + strconv.FormatInt(w.written, 10) + "/" + strconv.FormatInt(w.read, 10) + "/" +
		strconv.FormatInt(w.hlLo, 10) + "-" + strconv.FormatInt(w.hlHi, 10) + "/" + strconv.FormatInt(w.moved, 10) + "/" + strconv.FormatBool(w.hex)
	if key == wm.key {
		return
	}
	sameBytes := wm.key != "" && wm.ver == ver
	wm.key, wm.ver = key, ver
	wm.prev, wm.lay = wm.lay, wm.prev
	wm.from, wm.delta = wm.html, ""
	wm.html = layWire(w, &wm.lay)
	if sameBytes {
		if d, ok := wireDelta(&wm.prev, &wm.lay); ok {
			wm.delta = d
		}
	}
}
