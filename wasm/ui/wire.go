package ui

import (
	"cmp"
	"slices"
	"strconv"
)

// wireView is one wire panel's input: a recorded stream and what the
// cursor says about it.
type wireView struct {
	data    []byte
	segs    []Segment
	cuts    []int64 // offsets where one io event's bytes end and the next begin
	written int64   // bytes of the stream that existed at the cursor
	read    int64   // bytes the engine had read at the cursor (-1: the person reads this stream)
	hlLo    int64   // the highlighted bytes (the current or chosen event's), hlLo == hlHi: none
	hlHi    int64
	moved   int64 // where the bytes the last io event at the cursor moved start
	anyIO   bool  // moved says where (an io event has moved bytes of this stream)
	hex     bool
}

// maxWireText and maxWireHex bound how many bytes one render lays out, so
// a long session steps as fast as a short one; the window follows the
// highlight, else the cursor's edge of the stream.
const (
	maxWireText = 3 << 10
	maxWireHex  = 1 << 10
)

// renderWire lays a stream out as runs of bytes. Each run carries its
// stream offset (data-o) so a click can find the event that moved it, and
// classes: its segment kind, f (not yet written at the cursor), u (written
// but not yet read by the engine), h (highlighted).
func renderWire(w wireView) string { return layWire(w, nil) }

// wireLayout is what one render laid out: its window, and each run's
// offset and classes. Two renders with the same window and runs differ
// only in their runs' classes, and then wireDelta says which changed
// instead of the whole markup (tens of KB re-parsed by the page on every
// io event a step crosses).
type wireLayout struct {
	lo, hi, n int64
	hex       bool
	offs      []int64 // each run's data-o, in order
	cls       []uint8 // each run's classes: its segment kind + 1 (0: none) << 3 | its state bits
}

// the state bits of a run (wireView.state)
const (
	wireF = 1 << iota // not yet written at the cursor
	wireU             // written, not yet read
	wireH             // highlighted
)

// layWire is renderWire, noting the layout in lay when it is not nil.
func layWire(w wireView, lay *wireLayout) string {
	n := int64(len(w.data))
	if lay != nil {
		*lay = wireLayout{n: n, hex: w.hex, offs: lay.offs[:0], cls: lay.cls[:0]}
	}
	if n == 0 {
		return ""
	}
	limit := int64(maxWireText)
	if w.hex {
		limit = maxWireHex
	}
	lo, hi := int64(0), n
	if n > limit {
		// the bytes the cursor's io event moved, else the last moved
		// before it (so an io event and the steps after it show the
		// same window), else the cursor's edge of the stream: how far
		// the engine has read it, or how far it was written
		focus := w.written
		switch {
		case w.anyIO:
			focus = w.moved
		case w.read >= 0:
			focus = w.read
		}
		if w.hlHi > w.hlLo {
			focus = w.hlLo
		}
		// the window moves in quarters of itself, so the steps between
		// two moves change only classes (wireDelta)
		lo = max(0, focus-limit/2)
		lo -= lo % (limit / 4)
		hi = min(n, lo+limit)
		lo = max(0, hi-limit)
		if w.hex {
			lo -= lo % 16
		}
	}
	cuts := []int64{lo, hi}
	add := func(x int64) {
		if x > lo && x < hi {
			cuts = append(cuts, x)
		}
	}
	// only the segments that reach into the window (they are in stream
	// order: a long session has tens of thousands)
	s0 := w.firstSeg(lo)
	for _, s := range w.segs[s0:] {
		if int64(s.Lo) >= hi {
			break
		}
		add(int64(s.Lo))
		add(int64(s.Hi))
	}
	// only the io boundaries inside the window
	i0, _ := slices.BinarySearch(w.cuts, lo)
	for _, c := range w.cuts[i0:] {
		if c >= hi {
			break
		}
		add(c)
	}
	add(w.written)
	if w.read >= 0 {
		add(w.read)
	}
	if w.hlHi > w.hlLo {
		add(w.hlLo)
		add(w.hlHi)
	}
	cuts = sortedSet(cuts)
	if lay != nil {
		lay.lo, lay.hi = lo, hi
	}

	b := make([]byte, 0, (hi-lo)*3+256)
	if lo > 0 {
		b = append(b, `<span class="more">… `...)
		b = strconv.AppendInt(b, lo, 10)
		b = append(b, " earlier bytes not shown</span>"...)
	}
	if w.hex {
		b = hexRuns(b, w, lo, hi, lay)
	} else {
		si := s0
		for k := 0; k+1 < len(cuts); k++ {
			a, z := cuts[k], cuts[k+1]
			for si < len(w.segs) && int64(w.segs[si].Hi) <= a {
				si++
			}
			var kind uint8
			if si < len(w.segs) && int64(w.segs[si].Lo) <= a {
				kind = uint8(w.segs[si].Kind) + 1
			}
			b = append(b, `<span class="`...)
			cls := kind<<3 | w.state(a)
			b = appendRunClass(b, cls)
			lay.note(a, cls)
			b = append(b, `" data-o="`...)
			b = strconv.AppendInt(b, a, 10)
			b = append(b, `">`...)
			b = appendVisible(b, w.data[a:z])
			b = append(b, "</span>"...)
		}
	}
	if hi < n {
		b = append(b, `<span class="more">… `...)
		b = strconv.AppendInt(b, n-hi, 10)
		b = append(b, " later bytes not shown</span>"...)
	}
	return string(b)
}

// firstSeg is the index of the first segment that ends after off (the
// segments are in stream order).
func (w *wireView) firstSeg(off int64) int {
	i, _ := slices.BinarySearchFunc(w.segs, off, func(s Segment, off int64) int { return cmp.Compare(int64(s.Hi), off+1) })
	return i
}

// state is the cursor-dependent state bits of the byte at off.
func (w *wireView) state(off int64) uint8 {
	var s uint8
	switch {
	case off >= w.written:
		s = wireF
	case w.read >= 0 && off >= w.read:
		s = wireU
	}
	if off >= w.hlLo && off < w.hlHi {
		s |= wireH
	}
	return s
}

// appendRunClass appends a run's class attribute: its segment's class,
// then its state's.
func appendRunClass(b []byte, c uint8) []byte {
	if k := c >> 3; k > 0 {
		b = append(b, segClasses[k-1]...)
	}
	if c&wireF != 0 {
		b = append(b, " f"...)
	}
	if c&wireU != 0 {
		b = append(b, " u"...)
	}
	if c&wireH != 0 {
		b = append(b, " h"...)
	}
	return b
}

// note records a run in the layout (when there is one).
func (lay *wireLayout) note(off int64, c uint8) {
	if lay != nil {
		lay.offs = append(lay.offs, off)
		lay.cls = append(lay.cls, c)
	}
}

// wireDelta is the update that turns the markup laid out as old into the
// markup laid out as now: "=" then frames (batch.go) of a run's index
// among the runs and its new class attribute, for each run whose classes
// changed (connlab.js, slot kind "wire"). ok is false when the window or
// the runs themselves differ: then only the whole markup will do.
func wireDelta(old, now *wireLayout) (delta string, ok bool) {
	if old.lo != now.lo || old.hi != now.hi || old.n != now.n || old.hex != now.hex || !slices.Equal(old.offs, now.offs) {
		return "", false
	}
	b := []byte{'='}
	for i, c := range now.cls {
		if c != old.cls[i] {
			b = appendFrame(b, itoa(i))
			b = appendFrame(b, string(appendRunClass(nil, c)))
		}
	}
	return string(b), true
}

// renderHexRuns lays out rows of 16 bytes, one span a byte.
func renderHexRuns(b []byte, w wireView, lo, hi int64) []byte { return hexRuns(b, w, lo, hi, nil) }

// hexRuns is renderHexRuns, noting the runs in lay when it is not nil.
func hexRuns(b []byte, w wireView, lo, hi int64, lay *wireLayout) []byte {
	const digits = "0123456789abcdef"
	si := w.firstSeg(lo)
	for row := lo; row < hi; row += 16 {
		end := min(row+16, hi)
		b = append(b, `<span class="hexrow"><span class="hexoff">`...)
		b = appendHex8(b, row)
		b = append(b, "</span> "...)
		for i := row; i < row+16; i++ {
			if i == row+8 {
				b = append(b, ' ')
			}
			if i >= end {
				b = append(b, "   "...)
				continue
			}
			for si < len(w.segs) && int64(w.segs[si].Hi) <= i {
				si++
			}
			var kind uint8
			if si < len(w.segs) && int64(w.segs[si].Lo) <= i {
				kind = uint8(w.segs[si].Kind) + 1
			}
			b = append(b, ` <span class="`...)
			cls := kind<<3 | w.state(i)
			b = appendRunClass(b, cls)
			lay.note(i, cls)
			b = append(b, `" data-o="`...)
			b = strconv.AppendInt(b, i, 10)
			b = append(b, `">`...)
			c := w.data[i]
			b = append(b, digits[c>>4], digits[c&15])
			b = append(b, "</span>"...)
		}
		b = append(b, "  "...)
		for i := row; i < end; i++ {
			c := w.data[i]
			if c < 0x20 || c >= 0x7f {
				c = '.'
			}
			b = escByte(b, c)
		}
		b = append(b, "</span>"...)
	}
	return b
}
