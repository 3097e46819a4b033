package main

import (
	"errors"
	"fmt"
	"sort"
)

// mergeDataSegments rewrites a wasm module's data section so that data
// segments separated by fewer than maxGap zero bytes become one segment,
// the gap written out as zeros. The memory the module starts with holds
// byte for byte the same data; it is startHeapPages larger (memory.go).
// Every other section is copied unchanged.
//
// Why: Go's linker starts a new segment at every run of 8 or more zero
// bytes, to keep the file small. For connlab that is about 65 000 segments
// (the minimal Go page has 23 000), and the browser decodes each segment's
// header on its main thread while the module streams in, then copies each
// one at instantiation: paired loads measured instantiation 2–7 ms sooner
// with the segments merged. Most of them come from one table, the
// runtime's findfunctab: on js/wasm a function spans 64 KiB of PC space,
// so 3 837 functions make 61 000 buckets of 20 bytes, each 4 bytes of
// index and 16 zero bytes. (fillFindFuncTab now takes that table out of the
// data before merging: a start function writes it. Merged, its zeros had
// cost 650 KB raw but nothing to send: brotli codes them in a few bytes,
// and the brotli file got smaller, about 70 KB, because 65 000 headers of
// varying offsets compress worse than zeros.)
//
// Only what Go's linker writes is accepted: active segments for memory 0
// with an i32.const offset. Anything else is an error that names it, so a
// toolchain change cannot silently produce a broken module.
func mergeDataSegments(wasm []byte, maxGap int) (out []byte, before, after int, err error) {
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" || string(wasm[4:8]) != "\x01\x00\x00\x00" {
		return nil, 0, 0, errors.New("not a version 1 wasm module")
	}
	out = append(make([]byte, 0, len(wasm)+len(wasm)/4), wasm[:8]...)
	seen := false
	err = eachSection(wasm, func(id byte, body, raw []byte) error {
		switch id {
		case sectionDataCount:
			// it would have to change with the count (Go's linker does not
			// write one)
			return errors.New("the module has a DataCount section (not written by Go's linker): not merging")
		case sectionData:
			if seen {
				return errors.New("two data sections")
			}
			seen = true
			segs, err := readDataSegments(body)
			if err != nil {
				return err
			}
			merged := mergeSegments(segs, maxGap)
			before, after = len(segs), len(merged)
			sec := writeDataSegments(merged)
			out = append(out, sectionData)
			out = appendU32(out, uint32(len(sec)))
			out = append(out, sec...)
		case sectionMemory:
			// while the module is being rewritten: the heap's room at
			// start (memory.go)
			mem, _, _, err := raiseMemoryMin(body, startHeapPages)
			if err != nil {
				return err
			}
			out = append(out, sectionMemory)
			out = appendU32(out, uint32(len(mem)))
			out = append(out, mem...)
		default:
			out = append(out, raw...)
		}
		return nil
	})
	if err != nil {
		return nil, 0, 0, err
	}
	if !seen {
		return nil, 0, 0, errors.New("the module has no data section")
	}
	return out, before, after, nil
}

// eachSection calls fn with each section of a module (after its 8-byte
// header): the section's id, its body, and its raw bytes (id and size
// included). An error from fn stops the walk and is returned.
func eachSection(wasm []byte, fn func(id byte, body, raw []byte) error) error {
	r := wasmReader{b: wasm, i: 8}
	for r.i < len(r.b) {
		start := r.i
		id := r.byte()
		size := r.u32()
		if r.err != nil || size > uint32(len(r.b)-r.i) {
			return fmt.Errorf("section at byte %d: truncated", start)
		}
		body := r.b[r.i : r.i+int(size)]
		r.i += int(size)
		if err := fn(id, body, r.b[start:r.i]); err != nil {
			return err
		}
	}
	return nil
}

const (
	sectionData      = 11
	sectionDataCount = 12
	opI32Const       = 0x41
	opEnd            = 0x0b
)

// dataSegment is an active segment: bytes placed at a memory offset.
type dataSegment struct {
	offset uint32
	bytes  []byte
}

func (s dataSegment) end() int64 { return int64(s.offset) + int64(len(s.bytes)) }

func readDataSegments(body []byte) ([]dataSegment, error) {
	r := wasmReader{b: body}
	n := r.u32()
	if r.err != nil || int(n) > len(body) {
		return nil, errors.New("data section: bad segment count")
	}
	segs := make([]dataSegment, 0, n)
	for k := uint32(0); k < n; k++ {
		at := r.i
		if flags := r.u32(); r.err == nil && flags != 0 {
			return nil, fmt.Errorf("data segment %d (byte %d): flags %d, only active segments for memory 0 (flags 0) are supported", k, at, flags)
		}
		if op := r.byte(); r.err == nil && op != opI32Const {
			return nil, fmt.Errorf("data segment %d (byte %d): offset expression starts with opcode 0x%02x, want i32.const", k, at, op)
		}
		off := r.s32()
		if end := r.byte(); r.err == nil && end != opEnd {
			return nil, fmt.Errorf("data segment %d (byte %d): offset expression longer than one i32.const", k, at)
		}
		l := r.u32()
		if r.err != nil || l > uint32(len(body)-r.i) {
			return nil, fmt.Errorf("data segment %d (byte %d): truncated", k, at)
		}
		if off < 0 {
			return nil, fmt.Errorf("data segment %d (byte %d): negative offset %d", k, at, off)
		}
		segs = append(segs, dataSegment{offset: uint32(off), bytes: body[r.i : r.i+int(l)]})
		r.i += int(l)
	}
	if r.i != len(body) {
		return nil, fmt.Errorf("data section: %d bytes after the last segment", len(body)-r.i)
	}
	// Go writes each of its data sections in address order, but not the
	// sections themselves. Segments that overlap would depend on their
	// order (a later one wins): Go's never do, and merging refuses them.
	sort.SliceStable(segs, func(i, j int) bool { return segs[i].offset < segs[j].offset })
	for k := 1; k < len(segs); k++ {
		if int64(segs[k].offset) < segs[k-1].end() {
			return nil, fmt.Errorf("data segments at offsets %d and %d overlap", segs[k-1].offset, segs[k].offset)
		}
	}
	return segs, nil
}

// mergeSegments joins segments whose gap is under maxGap bytes, copying
// each run of segments once into a buffer that spans it.
func mergeSegments(segs []dataSegment, maxGap int) []dataSegment {
	var out []dataSegment
	for i := 0; i < len(segs); {
		j := i + 1
		end := segs[i].end()
		for j < len(segs) && int64(segs[j].offset)-end < int64(maxGap) {
			end = segs[j].end()
			j++
		}
		if j == i+1 {
			out = append(out, segs[i])
		} else {
			buf := make([]byte, end-int64(segs[i].offset))
			for _, s := range segs[i:j] {
				copy(buf[s.offset-segs[i].offset:], s.bytes)
			}
			out = append(out, dataSegment{offset: segs[i].offset, bytes: buf})
		}
		i = j
	}
	return out
}

func writeDataSegments(segs []dataSegment) []byte {
	n := 5
	for _, s := range segs {
		n += 16 + len(s.bytes)
	}
	b := appendU32(make([]byte, 0, n), uint32(len(segs)))
	for _, s := range segs {
		b = append(b, 0, opI32Const)
		b = appendS32(b, int32(s.offset))
		b = append(b, opEnd)
		b = appendU32(b, uint32(len(s.bytes)))
		b = append(b, s.bytes...)
	}
	return b
}
