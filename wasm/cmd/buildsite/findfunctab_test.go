package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buckets lays out findfunctab buckets: index idx[k], zero deltas.
func buckets(idx ...uint32) []byte {
	b := make([]byte, len(idx)*bucketSize)
	for k, v := range idx {
		binary.LittleEndian.PutUint32(b[k*bucketSize:], v)
	}
	return b
}

func TestFindBucketRun(t *testing.T) {
	// junk, a bucket with a delta, then a run that starts with the last 5
	// buckets of function 7 and ends 3 buckets into function 9000, then a
	// bucket with a delta
	var idx []uint32
	for k := 0; k < 5; k++ {
		idx = append(idx, 7)
	}
	for f := uint32(8); f < 9000; f++ {
		for k := 0; k < bucketsPerFunc; k++ {
			idx = append(idx, f)
		}
	}
	idx = append(idx, 9000, 9000, 9000)
	delta := buckets(6)
	delta[bucketSize-1] = 1
	mem := append([]byte("junk!"), delta...)
	at := len(mem)
	mem = append(mem, buckets(idx...)...)
	mem = append(mem, delta...)
	const lo = 4096
	r := findBucketRun(mem, lo)
	want := bucketRun{addr: lo + uint32(at), n: len(idx), first: 7*bucketsPerFunc + bucketsPerFunc - 5}
	if r != want {
		t.Fatalf("run %+v, want %+v", r, want)
	}
	for k, v := range idx {
		if got := (r.first + uint32(k)) >> bucketsPerShift; got != v {
			t.Fatalf("bucket %d: the fill writes %d, want %d", k, got, v)
		}
	}
	// a function with 17 buckets is not findfunctab's pattern: the run
	// stops there
	idx2 := append(append([]uint32(nil), idx[:5+16*3]...), 11)
	idx2 = append(idx2, idx[5+16*3:]...)
	if r := findBucketRun(buckets(idx2...), 0); r.n == len(idx2) {
		t.Errorf("a function of 17 buckets was taken into the run")
	}
}

func TestFillFindFuncTabRefusesAWrongFill(t *testing.T) {
	orig := []dataSegment{{offset: 100, bytes: buckets(1, 1, 2)}}
	cut := cutSegments(orig, 100, 100+3*bucketSize)
	if len(cut) != 0 {
		t.Fatalf("cut left %d segments", len(cut))
	}
	if err := checkFindFuncTabFill(orig, cut, bucketRun{addr: 100, n: 3, first: 16 + 14}); err != nil {
		t.Errorf("the right fill: %v", err)
	}
	err := checkFindFuncTabFill(orig, cut, bucketRun{addr: 100, n: 3, first: 16 + 13})
	if err == nil || !strings.Contains(err.Error(), "Go's linker wrote") {
		t.Errorf("a fill off by one bucket: error %v", err)
	}
}

func TestCutSegments(t *testing.T) {
	segs := []dataSegment{{0, []byte("abcd")}, {10, []byte("efghij")}, {20, []byte("kl")}, {30, []byte("m")}}
	got := cutSegments(segs, 12, 21)
	want := []dataSegment{{0, []byte("abcd")}, {10, []byte("ef")}, {21, []byte("l")}, {30, []byte("m")}}
	if len(got) != len(want) {
		t.Fatalf("%d segments, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].offset != want[i].offset || !bytes.Equal(got[i].bytes, want[i].bytes) {
			t.Errorf("segment %d: %d %q, want %d %q", i, got[i].offset, got[i].bytes, want[i].offset, want[i].bytes)
		}
	}
}

// nodeMemCompare instantiates two modules in Node, every import a stub
// (no export is called: only the start function runs), and prints
// "same N" when their exported memories are equal (the second's may go on
// in zeros: it may start larger), else the first difference.
const nodeMemCompare = `
const fs = require("fs");
async function mem(path) {
  const mod = new WebAssembly.Module(fs.readFileSync(path));
  const imports = {};
  for (const im of WebAssembly.Module.imports(mod)) {
    (imports[im.module] = imports[im.module] || {})[im.name] = () => {};
  }
  const inst = await WebAssembly.instantiate(mod, imports);
  return new Uint8Array(inst.exports.mem.buffer);
}
(async () => {
  const a = await mem(process.argv[2]), b = await mem(process.argv[3]);
  // the second may start with more memory (startHeapPages): zeros
  if (a.length > b.length) { console.log("length " + a.length + " " + b.length); return; }
  for (let i = 0; i < b.length; i++) { const x = i < a.length ? a[i] : 0; if (x !== b[i]) { console.log("differs at " + i + ": " + x + " " + b[i]); return; } }
  console.log("same " + a.length);
})().catch(e => { console.log("error " + e); });
`

// TestFillFindFuncTabGoWasm takes findfunctab out of a real Go js/wasm
// build and instantiates both modules in Node (V8, as the browser): the
// start function must leave the memory exactly as Go's linker laid it out.
func TestFillFindFuncTabGoWasm(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go program for js/wasm")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (make test-wasm installs it): the filled module cannot be run")
	}
	in := buildGoWasm(t, "package main\n\nimport \"strconv\"\n\nvar s = strconv.Itoa(42)\n\nfunc main() { println(s) }\n", "-trimpath", "-ldflags=-s -w")
	filled, run, err := fillFindFuncTab(in)
	if err != nil {
		t.Fatal(err)
	}
	if run.n < minFillBuckets {
		t.Fatalf("no findfunctab run found (%+v)", run)
	}
	out, _, _, err := mergeDataSegments(filled, dataGap)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) >= len(in) {
		t.Errorf("the filled module is %d bytes, Go's %d", len(out), len(in))
	}
	t.Logf("%d buckets filled at start: %d → %d bytes", run.n, len(in), len(out))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "m.wasm"), in, 0o644)
	os.WriteFile(filepath.Join(dir, "out.wasm"), out, 0o644)
	os.WriteFile(filepath.Join(dir, "cmp.js"), []byte(nodeMemCompare), 0o644)
	o, err := exec.Command(node, filepath.Join(dir, "cmp.js"), filepath.Join(dir, "m.wasm"), filepath.Join(dir, "out.wasm")).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(o), "same ") {
		t.Fatalf("Go's module and the filled one: %s (%v)", o, err)
	}
	// the start function did the work: without it the memories differ
	noStart := out[:8:8]
	eachSection(out, func(id byte, body, raw []byte) error {
		if id != sectionStart {
			noStart = append(noStart, raw...)
		}
		return nil
	})
	os.WriteFile(filepath.Join(dir, "nostart.wasm"), noStart, 0o644)
	o, _ = exec.Command(node, filepath.Join(dir, "cmp.js"), filepath.Join(dir, "m.wasm"), filepath.Join(dir, "nostart.wasm")).CombinedOutput()
	if !strings.HasPrefix(string(o), "differs at ") {
		t.Errorf("without the start function: %s, want a difference", o)
	}
}
