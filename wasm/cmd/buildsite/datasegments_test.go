package main

import (
	"bytes"
	"strings"
	"testing"
)

// module assembles a wasm module from sections (id, body).
func module(secs ...[]byte) []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	for _, s := range secs {
		b = append(b, s[0])
		b = appendU32(b, uint32(len(s)-1))
		b = append(b, s[1:]...)
	}
	return b
}

func section(id byte, body []byte) []byte { return append([]byte{id}, body...) }

type seg struct {
	off  int32
	data string
}

func dataSection(segs ...seg) []byte {
	b := appendU32(nil, uint32(len(segs)))
	for _, s := range segs {
		b = append(b, 0, opI32Const)
		b = appendS32(b, s.off)
		b = append(b, opEnd)
		b = appendU32(b, uint32(len(s.data)))
		b = append(b, s.data...)
	}
	return section(sectionData, b)
}

// memoryImage is the memory a module's data segments set up, and the
// sections other than data and memory (whose minimum mergeDataSegments
// raises: memory_test.go), in order.
func memoryImage(t *testing.T, wasm []byte) (mem map[uint32]byte, others [][]byte, nsegs int) {
	t.Helper()
	mem = map[uint32]byte{}
	err := eachSection(wasm, func(id byte, body, raw []byte) error {
		if id == sectionMemory {
			return nil
		}
		if id != sectionData {
			others = append(others, raw)
			return nil
		}
		segs, err := readDataSegments(body)
		if err != nil {
			return err
		}
		nsegs = len(segs)
		for _, s := range segs {
			for i, c := range s.bytes {
				if c != 0 {
					mem[s.offset+uint32(i)] = c
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return mem, others, nsegs
}

func TestMergeDataSegments(t *testing.T) {
	typ := section(1, []byte{1, 0x60, 0, 0}) // one type: func() -> ()
	custom := section(0, []byte("\x04name\x00"))
	in := module(typ, dataSection(
		seg{100, "abc"}, seg{120, "d"}, // gap 17: merged
		seg{5000, "hi"}, seg{5010, "there"}, // 4879 after "d": apart; gap 8: merged
		seg{20000, "far"}, // gap ≥ 4096: apart
	), custom)
	out, before, after, err := mergeDataSegments(in, 4096)
	if err != nil {
		t.Fatal(err)
	}
	if before != 5 || after != 3 {
		t.Errorf("segments %d → %d, want 5 → 3", before, after)
	}
	memIn, othersIn, _ := memoryImage(t, in)
	memOut, othersOut, n := memoryImage(t, out)
	if n != after {
		t.Errorf("the output has %d segments, mergeDataSegments said %d", n, after)
	}
	if len(memIn) != len(memOut) {
		t.Fatalf("memory image: %d non-zero bytes before, %d after", len(memIn), len(memOut))
	}
	for a, c := range memIn {
		if memOut[a] != c {
			t.Errorf("byte at %d: %q, want %q", a, memOut[a], c)
		}
	}
	if len(othersIn) != len(othersOut) {
		t.Fatalf("%d other sections, want %d", len(othersOut), len(othersIn))
	}
	for i := range othersIn {
		if !bytes.Equal(othersIn[i], othersOut[i]) {
			t.Errorf("section %d changed", i)
		}
	}
}

func TestMergeDataSegmentsUnordered(t *testing.T) {
	// Go writes .data (high addresses) before .rodata (low) in some builds
	in := module(dataSection(seg{9000, "x"}, seg{9004, "y"}, seg{100, "a"}, seg{104, "b"}))
	out, _, after, err := mergeDataSegments(in, 64)
	if err != nil {
		t.Fatal(err)
	}
	if after != 2 {
		t.Errorf("%d segments, want 2", after)
	}
	m, _, _ := memoryImage(t, out)
	for a, c := range map[uint32]byte{100: 'a', 104: 'b', 9000: 'x', 9004: 'y'} {
		if m[a] != c {
			t.Errorf("byte at %d = %q, want %q", a, m[a], c)
		}
	}
}

func TestMergeDataSegmentsRefuses(t *testing.T) {
	overlap := module(dataSection(seg{100, "abcd"}, seg{102, "z"}))
	passive := module(section(sectionData, []byte{1, 1, 3, 'a', 'b', 'c'}))
	global := module(section(sectionData, []byte{1, 0, 0x23, 0, opEnd, 1, 'a'})) // global.get 0
	truncated := module(dataSection(seg{100, "abcd"}))
	truncated = truncated[:len(truncated)-2]
	for name, c := range map[string]struct {
		wasm []byte
		want string
	}{
		"not wasm":   {[]byte("<html>"), "not a version 1 wasm module"},
		"no data":    {module(section(1, []byte{0})), "no data section"},
		"data count": {module(section(sectionDataCount, []byte{1}), dataSection(seg{0, "a"})), "DataCount"},
		"overlap":    {overlap, "overlap"},
		"passive":    {passive, "flags 1"},
		"global":     {global, "want i32.const"},
		"truncated":  {truncated, "truncated"},
	} {
		_, _, _, err := mergeDataSegments(c.wasm, 64)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, c.want)
		}
	}
}

func TestLEB128RoundTrip(t *testing.T) {
	for _, v := range []int32{0, 1, -1, 63, 64, -64, -65, 1 << 20, -1 << 31, 1<<31 - 1} {
		r := wasmReader{b: appendS32(nil, v)}
		if got := r.s32(); got != v || r.err != nil || r.i != len(r.b) {
			t.Errorf("s32 %d: got %d (%v)", v, got, r.err)
		}
	}
	for _, v := range []uint32{0, 127, 128, 1 << 31, 1<<32 - 1} {
		r := wasmReader{b: appendU32(nil, v)}
		if got := r.u32(); got != v || r.err != nil || r.i != len(r.b) {
			t.Errorf("u32 %d: got %d (%v)", v, got, r.err)
		}
	}
	r := wasmReader{b: []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x01}}
	if r.u32(); r.err == nil {
		t.Error("a 6-byte u32 was accepted")
	}
}

// TestMergeGoWasm merges a real Go js/wasm build: this toolchain's linker
// writes only what mergeDataSegments accepts, and the memory is the same.
func TestMergeGoWasm(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go program for js/wasm")
	}
	in := buildGoWasm(t, "package main\n\nimport \"strconv\"\n\nvar s = strconv.Itoa(42)\n\nfunc main() { println(s) }\n")
	out, before, after, err := mergeDataSegments(in, dataGap)
	if err != nil {
		t.Fatal(err)
	}
	if before < 1000 || after > 10 {
		t.Errorf("segments %d → %d: want a Go build's thousands merged into a few", before, after)
	}
	memIn, othersIn, _ := memoryImage(t, in)
	memOut, othersOut, _ := memoryImage(t, out)
	if len(memIn) != len(memOut) || len(othersIn) != len(othersOut) {
		t.Fatalf("image %d/%d bytes, %d/%d other sections", len(memIn), len(memOut), len(othersIn), len(othersOut))
	}
	for a, c := range memIn {
		if memOut[a] != c {
			t.Fatalf("byte at %d differs", a)
		}
	}
}
