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
func renderWire(w wireView) string {
	n := int64(len(w.data))
	if n == 0 {
		return ""
	}
	limit := int64(maxWireText)
	if w.hex {
		limit = maxWireHex
	}
	lo, hi := int64(0), n
	if n > limit {
		focus := w.written
		if w.hlHi > w.hlLo {
			focus = w.hlLo
		}
		lo = max(0, focus-limit/2)
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

	b := make([]byte, 0, (hi-lo)*3+256)
	if lo > 0 {
		b = append(b, `<span class="more">… `...)
		b = strconv.AppendInt(b, lo, 10)
		b = append(b, " earlier bytes not shown</span>"...)
	}
	if w.hex {
		b = renderHexRuns(b, w, lo, hi)
	} else {
		si := s0
		for k := 0; k+1 < len(cuts); k++ {
			a, z := cuts[k], cuts[k+1]
			for si < len(w.segs) && int64(w.segs[si].Hi) <= a {
				si++
			}
			b = append(b, `<span class="`...)
			if si < len(w.segs) && int64(w.segs[si].Lo) <= a {
				b = append(b, segClasses[w.segs[si].Kind]...)
			}
			b = w.appendState(b, a)
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

// appendState appends the cursor-dependent classes of the byte at off.
func (w *wireView) appendState(b []byte, off int64) []byte {
	switch {
	case off >= w.written:
		b = append(b, " f"...)
	case w.read >= 0 && off >= w.read:
		b = append(b, " u"...)
	}
	if off >= w.hlLo && off < w.hlHi {
		b = append(b, " h"...)
	}
	return b
}

// renderHexRuns lays out rows of 16 bytes, one span a byte.
func renderHexRuns(b []byte, w wireView, lo, hi int64) []byte {
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
			b = append(b, ` <span class="`...)
			if si < len(w.segs) && int64(w.segs[si].Lo) <= i {
				b = append(b, segClasses[w.segs[si].Kind]...)
			}
			b = w.appendState(b, i)
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
