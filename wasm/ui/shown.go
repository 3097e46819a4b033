package ui

import "strconv"

// What the page already shows. The app's page is built with the engine's
// own first render of the default page in its panels (wasm/cmd/buildsite,
// wasm/prerender), and it says which values it holds: an attribute of
// #app (ShownAttr) with, for each slot in bind-spec order, the FNV-1a 64
// hash of the value it shows, or "-" for a slot it left as the static
// page has it. On the first render the Renderer sends only the slots whose
// value hashes otherwise, and remembers every value as if it had sent it,
// so later renders' deltas start from what the page shows. Whatever
// differs (another origin, a scenario link, a restored session, another
// window of log rows) is simply sent: a hash never makes the page keep a
// value the engine did not render.

// ShownAttrName is the #app attribute that holds ShownAttr.
const ShownAttrName = "data-shown"

// SlotHash is FNV-1a 64 of a slot's value (written out here: hash/fnv
// would pull its interfaces into the wasm for a loop of four lines).
func SlotHash(v string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(v); i++ {
		h ^= uint64(v[i])
		h *= 1099511628211
	}
	return h
}

// ShownAttr is the attribute's value for a page that shows shown[s] in
// each slot s it holds (the build's side of Shown). SlotReady is never
// among them: ready is the engine's to say.
func ShownAttr(shown map[Slot]string) string {
	b := make([]byte, 0, 17*int(slotCount))
	for s := Slot(0); s < slotCount; s++ {
		if s > 0 {
			b = append(b, ' ')
		}
		v, ok := shown[s]
		if !ok || s == SlotReady {
			b = append(b, '-')
			continue
		}
		b = strconv.AppendUint(b, SlotHash(v), 16)
	}
	return string(b)
}

// Shown tells the model what the page shows (the value of #app's
// ShownAttrName, "" if it has none). A value that is not one hash or "-"
// per slot, in this build's bind spec, is ignored as a whole: the page
// was made for another engine, and everything is sent.
func (m *Model) Shown(attr string) { m.rend.shown(attr) }

func (r *Renderer) shown(attr string) {
	var hashes [slotCount]uint64
	var ok [slotCount]bool
	s := Slot(0)
	for i := 0; i <= len(attr); {
		j := i
		for j < len(attr) && attr[j] != ' ' {
			j++
		}
		if s >= slotCount {
			return
		}
		if tok := attr[i:j]; tok != "-" {
			h, err := strconv.ParseUint(tok, 16, 64)
			if err != nil || len(tok) > 16 {
				return
			}
			hashes[s], ok[s] = h, s != SlotReady
		}
		s++
		i = j + 1
	}
	if s != slotCount {
		return
	}
	r.pre, r.preOK = hashes, ok
}

// preShown reports whether the page already shows v in slot s, which has
// not been set yet, and forgets the page's value either way: only a
// first Set can find it there.
func (r *Renderer) preShown(s Slot, v string) bool {
	if !r.preOK[s] {
		return false
	}
	r.preOK[s] = false
	return SlotHash(v) == r.pre[s]
}
