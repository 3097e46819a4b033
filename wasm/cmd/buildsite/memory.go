package main

import "fmt"

// startHeapPages is how many 64 KiB pages of memory, beyond the minimum
// Go's linker declares, the browser's module starts with: 64, 4 MiB.
//
// Why: Go's runtime on js/wasm starts its heap's break at the memory the
// module starts with (osinit: blocMax = currentMemory() pages) and grows
// it only past that, by what each sbrk asks for, each a memory.grow and a
// new DataView in wasm_exec.js (runtime/mem_wasm.go). The linker declares
// the data's end and 1 MB, about 57 pages for connlab; by ready the heap
// had grown it to 88 pages (5.5 MiB) in 7 steps on the default page (the
// start-up profile put runtime.growMemory at ~0.9 ms), and a link's
// session needs more: of the library's scenarios, ?scenario=uri-too-long-414
// (a 65 535-byte target) reached 112 pages in 10. 57 + 64 = 121 pages
// covers both, with room to spare. Pages the program never touches cost
// the browser nothing but address space: they are reserved zeros, not
// written at instantiation.
const startHeapPages = 64

const sectionMemory = 5

// raiseMemoryMin returns a memory section's body with its one memory's
// minimum raised by extra pages, and the minimum before and after. Only
// what Go's linker writes is accepted: one memory, no maximum (or one at
// least the new minimum), not shared, 32-bit; anything else is an error
// that names it.
func raiseMemoryMin(body []byte, extra uint32) (out []byte, before, after uint32, err error) {
	r := wasmReader{b: body}
	if n := r.u32(); r.err == nil && n != 1 {
		return nil, 0, 0, fmt.Errorf("memory section: %d memories, want the one Go's linker declares", n)
	}
	flags := r.byte()
	if r.err == nil && flags > 1 {
		return nil, 0, 0, fmt.Errorf("memory section: limits flags 0x%02x (shared or 64-bit memory), want 0 or 1", flags)
	}
	before = r.u32()
	var max uint32
	if flags == 1 {
		max = r.u32()
	}
	if r.err != nil {
		return nil, 0, 0, fmt.Errorf("memory section: %w", r.err)
	}
	if r.i != len(body) {
		return nil, 0, 0, fmt.Errorf("memory section: %d bytes after the memory's limits", len(body)-r.i)
	}
	const maxPages = 1 << 16 // 4 GiB, a 32-bit memory's most
	if uint64(before)+uint64(extra) > maxPages {
		return nil, 0, 0, fmt.Errorf("memory section: minimum %d pages and %d more is over %d", before, extra, maxPages)
	}
	after = before + extra
	if flags == 1 && max < after {
		return nil, 0, 0, fmt.Errorf("memory section: maximum %d pages is under the raised minimum %d", max, after)
	}
	out = appendU32(nil, 1)
	out = append(out, flags)
	out = appendU32(out, after)
	if flags == 1 {
		out = appendU32(out, max)
	}
	return out, before, after, nil
}
