package main

import (
	"strings"
	"testing"
)

// memoryMin is a module's memory minimum, in pages (0 if it declares no
// memory).
func memoryMin(t *testing.T, wasm []byte) uint32 {
	t.Helper()
	var min uint32
	err := eachSection(wasm, func(id byte, body, _ []byte) error {
		if id == sectionMemory {
			r := wasmReader{b: body}
			r.u32()
			r.byte()
			min = r.u32()
			return r.err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return min
}

// TestRaiseMemoryMin: rewriting a module raises its memory's minimum by
// startHeapPages and keeps a maximum; what Go's linker does not write is
// refused, named.
func TestRaiseMemoryMin(t *testing.T) {
	data := dataSection(seg{100, "abc"})
	in := module(section(sectionMemory, []byte{1, 0, 57}), data)
	out, _, _, err := mergeDataSegments(in, dataGap)
	if err != nil {
		t.Fatal(err)
	}
	if got := memoryMin(t, out); got != 57+startHeapPages {
		t.Errorf("memory minimum %d pages, want %d", got, 57+startHeapPages)
	}
	// a two-byte minimum, and a maximum kept
	body, before, after, err := raiseMemoryMin([]byte{1, 1, 0x80, 0x01, 0x80, 0x04}, 100)
	if err != nil || before != 128 || after != 228 || string(body) != string([]byte{1, 1, 228, 1, 0x80, 0x04}) {
		t.Errorf("with a maximum: % x, %d → %d, %v", body, before, after, err)
	}
	for name, c := range map[string]struct {
		body []byte
		want string
	}{
		"two memories": {[]byte{2, 0, 1, 0, 1}, "2 memories"},
		"shared":       {[]byte{1, 3, 1, 2}, "flags 0x03"},
		"64-bit":       {[]byte{1, 4, 1}, "flags 0x04"},
		"under max":    {[]byte{1, 1, 57, 60}, "maximum 60 pages is under the raised minimum 121"},
		"over 4 GiB":   {[]byte{1, 0, 0xff, 0xff, 0x03}, "is over 65536"},
		"trailing":     {[]byte{1, 0, 57, 0}, "1 bytes after"},
		"truncated":    {[]byte{1, 0, 0x80}, "truncated"},
	} {
		if _, _, _, err := raiseMemoryMin(c.body, startHeapPages); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, c.want)
		}
		if _, _, _, err := mergeDataSegments(module(section(sectionMemory, c.body), data), dataGap); err == nil {
			t.Errorf("%s: mergeDataSegments accepted it", name)
		}
	}
}

// TestMemoryMinGoWasm: on a real Go js/wasm build (the toolchain's memory
// section, which raiseMemoryMin must accept), the rewritten module starts
// with startHeapPages more memory than Go's linker declares.
func TestMemoryMinGoWasm(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go program for js/wasm")
	}
	in := buildGoWasm(t, "package main\n\nfunc main() { println(len(make([]byte, 1<<20))) }\n", "-trimpath", "-ldflags=-s -w")
	out, _, _, err := mergeDataSegments(in, dataGap)
	if err != nil {
		t.Fatal(err)
	}
	before, after := memoryMin(t, in), memoryMin(t, out)
	if before < 16 || after != before+startHeapPages {
		t.Errorf("memory minimum %d → %d pages, want Go's (the data's end and 1 MB) and %d more", before, after, startHeapPages)
	}
	t.Logf("memory minimum %d → %d pages", before, after)
}
