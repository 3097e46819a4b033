package main

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Go's runtime finds the function of a PC (for every traceback, stack
// growth and GC stack scan) through runtime.findfunctab: one 20-byte
// bucket per 4 KiB of PC space, each a uint32 index into the function
// table and 16 one-byte deltas. On js/wasm a PC is the function's index
// times 64 KiB plus a block number, so every function owns 16 buckets,
// all with its index and deltas of zero: connlab's 3 800 functions make
// 61 000 buckets, 1.2 MB of the module once the data segments are merged
// (23 % of its bytes). The browser downloads, decompresses and copies
// every one of those bytes before the engine can start; on a page load
// that decompression, not compilation (V8 compiles wasm lazily), is what
// grows with the module's size.
//
// fillFindFuncTab takes the longest run of such buckets out of the data
// section and adds a start function (run by WebAssembly at instantiation,
// before any export can be called: every loader gets it) that writes the
// same indexes into the same place: a loop of a few dozen bytes. The
// memory the Go program starts with is byte for byte the one Go's linker
// laid out; build checks that before it writes the module
// (checkFindFuncTabFill), and a test instantiates both modules in Node and
// compares their memories.

const (
	bucketSize      = 20 // uint32 index + 16 subbucket deltas
	bucketsPerFunc  = 16 // a function's 64 KiB of PC space / 4 KiB per bucket
	bucketsPerShift = 4  // log2(bucketsPerFunc)
	// minFillBuckets: a shorter run is not worth a start function (and a
	// run this long does not happen by chance in other data)
	minFillBuckets = 1024

	sectionType     = 1
	sectionImport   = 2
	sectionFunction = 3
	sectionExport   = 7
	sectionStart    = 8
	sectionCode     = 10
)

// bucketRun is a run of findfunctab buckets at addr: n buckets, the k-th
// holding index (first+k)>>4 and sixteen zero bytes.
type bucketRun struct {
	addr  uint32
	n     int
	first uint32 // 16 × the first bucket's index + its place in its function's 16
}

func (r bucketRun) end() uint32 { return r.addr + uint32(r.n*bucketSize) }

// findBucketRun finds the longest bucket run in a memory image that
// starts at address lo, or n == 0.
func findBucketRun(mem []byte, lo uint32) bucketRun {
	var best bucketRun
	for phase := 0; phase < bucketSize; phase++ {
		var cur bucketRun
		var idx uint32
		var inGroup int // buckets so far with the current index
		for p := phase; p+bucketSize <= len(mem); p += bucketSize {
			v := binary.LittleEndian.Uint32(mem[p:])
			zero := true
			for _, c := range mem[p+4 : p+bucketSize] {
				if c != 0 {
					zero = false
					break
				}
			}
			switch {
			case !zero:
				cur.n = 0
				continue
			case cur.n > 0 && v == idx && inGroup < bucketsPerFunc:
				inGroup++
			case cur.n > 0 && v == idx+1 && (inGroup == bucketsPerFunc || cur.n == inGroup):
				// the next function; the run's first function may have
				// started before it
				if cur.n == inGroup {
					cur.first = idx<<bucketsPerShift + uint32(bucketsPerFunc-inGroup)
				}
				idx, inGroup = v, 1
			default:
				if cur.n > best.n {
					best = cur
				}
				cur = bucketRun{addr: lo + uint32(p), first: v << bucketsPerShift}
				idx, inGroup = v, 1
			}
			cur.n++
			if cur.n > best.n {
				best = cur
			}
		}
	}
	// a run still inside its first function: its index starts the count
	return best
}

// fillFindFuncTab returns wasm with the longest findfunctab bucket run cut
// out of its data segments and a start function that writes it back, and
// the run (n == 0: the module is returned unchanged, there was none long
// enough).
func fillFindFuncTab(wasm []byte) ([]byte, bucketRun, error) {
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" || string(wasm[4:8]) != "\x01\x00\x00\x00" {
		return nil, bucketRun{}, errors.New("not a version 1 wasm module")
	}
	var segs []dataSegment
	var imports, funcs uint32
	err := eachSection(wasm, func(id byte, body, raw []byte) error {
		var err error
		switch id {
		case sectionStart:
			return errors.New("the module has a start function already")
		case sectionImport:
			imports, err = countFuncImports(body)
		case sectionFunction:
			r := wasmReader{b: body}
			funcs = r.u32()
			err = r.err
		case sectionData:
			segs, err = readDataSegments(body)
		}
		return err
	})
	if err != nil {
		return nil, bucketRun{}, err
	}
	if len(segs) == 0 {
		return wasm, bucketRun{}, nil
	}
	lo := segs[0].offset
	mem := memoryOf(segs, lo)
	run := findBucketRun(mem, lo)
	if run.n < minFillBuckets {
		return wasm, bucketRun{}, nil
	}
	cut := cutSegments(segs, run.addr, run.end())
	if err := checkFindFuncTabFill(segs, cut, run); err != nil {
		return nil, bucketRun{}, err
	}
	fillIndex := imports + funcs
	out := append(make([]byte, 0, len(wasm)), wasm[:8]...)
	startWritten := false
	err = eachSection(wasm, func(id byte, body, raw []byte) error {
		// the start section goes after the exports, before the elements
		// (the order the spec requires: 7, 8, 9, 12, 10, 11)
		if !startWritten && id != 0 && id > sectionExport {
			out = appendSection(out, sectionStart, appendU32(nil, fillIndex))
			startWritten = true
		}
		switch id {
		case sectionType:
			// one more type, func() -> (); Go's modules may have one
			// already, and a duplicate is valid
			out = appendSection(out, id, appendToVector(body, []byte{0x60, 0, 0}))
			return nil
		case sectionFunction:
			out = appendSection(out, id, appendToVector(body, appendU32(nil, typeCount(wasm))))
			return nil
		case sectionCode:
			fn := fillFunction(run)
			out = appendSection(out, id, appendToVector(body, append(appendU32(nil, uint32(len(fn))), fn...)))
			return nil
		case sectionData:
			out = appendSection(out, id, writeDataSegments(cut))
			return nil
		}
		out = append(out, raw...)
		return nil
	})
	if err != nil {
		return nil, bucketRun{}, err
	}
	if !startWritten {
		return nil, bucketRun{}, errors.New("the module has no code section")
	}
	return out, run, nil
}

// fillFunction is the start function's body: for k in 0..n-1, store
// (first+k)>>4 at addr+20k.
func fillFunction(r bucketRun) []byte {
	const (
		opLocalGet = 0x20
		opLocalSet = 0x21
		opLocalTee = 0x22
		opI32Store = 0x36
		opI32Ne    = 0x47
		opI32Add   = 0x6a
		opI32ShrU  = 0x76
		opLoop     = 0x03
		opBrIf     = 0x0d
		blockEmpty = 0x40
		i32        = 0x7f
	)
	b := []byte{1, 3, i32} // locals 0 p, 1 c, 2 end: three i32
	b = append(b, opI32Const)
	b = appendS32(b, int32(r.addr))
	b = append(b, opLocalSet, 0, opI32Const)
	b = appendS32(b, int32(r.end()))
	b = append(b, opLocalSet, 2, opI32Const)
	b = appendS32(b, int32(r.first))
	b = append(b, opLocalSet, 1,
		opLoop, blockEmpty,
		opLocalGet, 0, opLocalGet, 1, opI32Const, bucketsPerShift, opI32ShrU,
		opI32Store, 0, 0, // align 1, offset 0
		opLocalGet, 0, opI32Const, bucketSize, opI32Add, opLocalTee, 0,
		opLocalGet, 1, opI32Const, 1, opI32Add, opLocalSet, 1,
		opLocalGet, 2, opI32Ne, opBrIf, 0,
		opEnd, opEnd)
	return b
}

// checkFindFuncTabFill checks that the segments left after the cut, with
// the run written back as the start function writes it, are the memory
// the original segments set up.
func checkFindFuncTabFill(orig, cut []dataSegment, r bucketRun) error {
	lo := orig[0].offset
	want := memoryOf(orig, lo)
	got := memoryOf(cut, lo)
	if len(got) < len(want) {
		got = append(got, make([]byte, len(want)-len(got))...)
	}
	for k := 0; k < r.n; k++ {
		binary.LittleEndian.PutUint32(got[r.addr-lo+uint32(k*bucketSize):], (r.first+uint32(k))>>bucketsPerShift)
	}
	for i := range want {
		if got[i] != want[i] {
			return fmt.Errorf("findfunctab fill: the memory at %d would be %d, Go's linker wrote %d", lo+uint32(i), got[i], want[i])
		}
	}
	for _, c := range got[len(want):] {
		if c != 0 {
			return errors.New("findfunctab fill: it writes past the data's end")
		}
	}
	return nil
}

// memoryOf lays sorted segments out from address lo.
func memoryOf(segs []dataSegment, lo uint32) []byte {
	if len(segs) == 0 {
		return nil
	}
	mem := make([]byte, segs[len(segs)-1].end()-int64(lo))
	for _, s := range segs {
		copy(mem[s.offset-lo:], s.bytes)
	}
	return mem
}

// cutSegments drops the bytes in [from, to) from sorted segments,
// trimming the ones that straddle an end.
func cutSegments(segs []dataSegment, from, to uint32) []dataSegment {
	var out []dataSegment
	for _, s := range segs {
		end := uint32(s.end())
		if end <= from || s.offset >= to {
			out = append(out, s)
			continue
		}
		if s.offset < from {
			out = append(out, dataSegment{offset: s.offset, bytes: s.bytes[:from-s.offset]})
		}
		if end > to {
			out = append(out, dataSegment{offset: to, bytes: s.bytes[to-s.offset:]})
		}
	}
	return out
}

// countFuncImports counts an import section's functions; Go's modules
// import nothing else (their memory is their own).
func countFuncImports(body []byte) (uint32, error) {
	r := wasmReader{b: body}
	n := r.u32()
	for k := uint32(0); k < n && r.err == nil; k++ {
		for j := 0; j < 2; j++ { // module and field names
			l := r.u32()
			if r.err == nil && int(l) > len(r.b)-r.i {
				return 0, errors.New("import section: truncated")
			}
			r.i += int(l)
		}
		if kind := r.byte(); r.err == nil && kind != 0 {
			return 0, fmt.Errorf("import %d is of kind %d, not a function (Go's modules import only functions)", k, kind)
		}
		r.u32() // its type
	}
	if r.err != nil {
		return 0, fmt.Errorf("import section: %w", r.err)
	}
	return n, nil
}

// typeCount is the number of types in wasm's type section (0 if none).
func typeCount(wasm []byte) uint32 {
	var n uint32
	eachSection(wasm, func(id byte, body, raw []byte) error {
		if id == sectionType {
			r := wasmReader{b: body}
			n = r.u32()
		}
		return nil
	})
	return n
}

// appendToVector returns a section body that is a vector (count, items)
// with one more item.
func appendToVector(body, item []byte) []byte {
	r := wasmReader{b: body}
	n := r.u32()
	out := appendU32(make([]byte, 0, len(body)+len(item)+5), n+1)
	out = append(out, body[r.i:]...)
	return append(out, item...)
}

func appendSection(out []byte, id byte, body []byte) []byte {
	out = append(out, id)
	out = appendU32(out, uint32(len(body)))
	return append(out, body...)
}
