package ui

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// goInflate is the oracle: compress/flate read the way permalink.go read
// it, through a limit of limit+1 bytes.
func goInflate(z []byte, limit int) ([]byte, error) {
	return io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(z)), int64(limit)+1))
}

// checkAgainstFlate fails t unless inflateRaw(z, limit) agrees with
// compress/flate: the same bytes when compress/flate decodes the stream
// within the limit, errInflateTooLarge when it gives more, an error when
// it errs.
func checkAgainstFlate(t *testing.T, z []byte, limit int) {
	t.Helper()
	want, werr := goInflate(z, limit)
	got, err := inflateRaw(z, limit)
	switch {
	case werr != nil:
		if err == nil {
			t.Fatalf("inflateRaw accepts a stream compress/flate refuses (%v): %d bytes out\nstream %x", werr, len(got), z)
		}
	case len(want) > limit:
		if !errors.Is(err, errInflateTooLarge) {
			t.Fatalf("stream inflating beyond the limit %d: got %d bytes, err %v; want errInflateTooLarge\nstream %x", limit, len(got), err, z)
		}
	default:
		if err != nil {
			t.Fatalf("inflateRaw: %v; compress/flate decodes %d bytes\nstream %x", err, len(want), z)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("inflateRaw gives %d bytes, compress/flate %d, they differ\nstream %x", len(got), len(want), z)
		}
		if cap(got) > limit {
			t.Fatalf("output capacity %d beyond the limit %d", cap(got), limit)
		}
	}
}

// jsonLike is n bytes of session-like JSON.
func jsonLike(n int, seed int64) []byte {
	r := rand.New(rand.NewSource(seed))
	methods := []string{"GET", "POST", "PUT", "DELETE", "HEAD"}
	var b strings.Builder
	b.WriteString(`{"version":1,"mode":"server","handler":"hello","input":[`)
	for i := 0; b.Len() < n; i++ {
		b.WriteString(`{"send":"` + methods[r.Intn(len(methods))] + ` /api/items/` + strconv.Itoa(r.Intn(100000)) + ` HTTP/1.1\r\nHost: example.test\r\nContent-Length: ` + strconv.Itoa(r.Intn(500)) + `\r\n\r\n","at":` + strconv.Itoa(i*17+r.Intn(9)) + `,"note":"` + strconv.FormatUint(r.Uint64(), 36) + `"},`)
	}
	b.WriteString(`{}]}`)
	return []byte(b.String())[:n]
}

func inflateInputs() map[string][]byte {
	r := rand.New(rand.NewSource(1))
	random := make([]byte, 70000)
	r.Read(random)
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	return map[string][]byte{
		"empty":      {},
		"one byte":   {'x'},
		"repetitive": bytes.Repeat([]byte("ab"), 100000),
		"zeros":      make([]byte, 70000),
		"random":     random,
		"all bytes":  bytes.Repeat(all, 300),
		"json 300KB": jsonLike(300<<10, 2),
	}
}

func goDeflate(t testing.TB, p []byte, level int, flushEvery int) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	for len(p) > 0 {
		n := len(p)
		if flushEvery > 0 {
			n = min(n, flushEvery)
		}
		w.Write(p[:n])
		p = p[n:]
		if flushEvery > 0 {
			w.Flush() // an empty stored block, then more blocks
		}
	}
	w.Close()
	return buf.Bytes()
}

func TestInflateRoundTrip(t *testing.T) {
	for name, p := range inflateInputs() {
		got, err := inflateRaw(deflate(p), len(p))
		if err != nil || !bytes.Equal(got, p) {
			t.Errorf("%s: deflate then inflateRaw: %d bytes, %v", name, len(got), err)
		}
		for level := flate.HuffmanOnly; level <= flate.BestCompression; level++ {
			for _, flush := range []int{0, 10000} {
				z := goDeflate(t, p, level, flush)
				got, err := inflateRaw(z, len(p))
				if err != nil || !bytes.Equal(got, p) {
					t.Errorf("%s: compress/flate level %d (flush every %d) then inflateRaw: %d bytes, %v", name, level, flush, len(got), err)
				}
			}
		}
	}
}

func TestInflateLimit(t *testing.T) {
	p := jsonLike(100<<10, 3)
	streams := map[string][]byte{"deflate": deflate(p)}
	for _, level := range []int{flate.NoCompression, flate.HuffmanOnly, flate.BestSpeed, flate.BestCompression} {
		streams["level "+strconv.Itoa(level)] = goDeflate(t, p, level, 0)
	}
	for name, z := range streams {
		got, err := inflateRaw(z, len(p))
		if err != nil || !bytes.Equal(got, p) {
			t.Errorf("%s: at the limit: %d bytes, %v", name, len(got), err)
		}
		if cap(got) > len(p) {
			t.Errorf("%s: capacity %d beyond the limit %d", name, cap(got), len(p))
		}
		if got, err := inflateRaw(z, len(p)-1); err != errInflateTooLarge {
			t.Errorf("%s: one over the limit: %d bytes, %v; want errInflateTooLarge", name, len(got), err)
		}
		if _, err := inflateRaw(z, 0); err != errInflateTooLarge {
			t.Errorf("%s: limit 0: %v", name, err)
		}
	}
	if got, err := inflateRaw(deflate(nil), 0); err != nil || len(got) != 0 {
		t.Errorf("empty stream at limit 0: %q, %v", got, err)
	}
	if got, err := inflateRaw(deflate([]byte("x")), 0); err != errInflateTooLarge {
		t.Errorf("one byte at limit 0: %q, %v", got, err)
	}
	// A bomb: 100 MB from some 100 KB of input, stopped at 1 MiB.
	bomb := goDeflate(t, make([]byte, 100<<20), flate.BestCompression, 0)
	got, err := inflateRaw(bomb, MaxInflated)
	if err != errInflateTooLarge {
		t.Fatalf("a %d-byte stream of 100 MB: %d bytes, %v", len(bomb), len(got), err)
	}
}

// canon returns the canonical Huffman codes for lens (RFC 1951 §3.2.2).
func canon(lens []uint8) []uint32 {
	var count, next [16]uint32
	for _, n := range lens {
		count[n]++
	}
	count[0] = 0
	code := uint32(0)
	for n := 1; n < 16; n++ {
		code = (code + count[n-1]) << 1
		next[n] = code
	}
	codes := make([]uint32, len(lens))
	for s, n := range lens {
		if n != 0 {
			codes[s] = next[n]
			next[n]++
		}
	}
	return codes
}

// hand is a hand-built stream.
type hand struct{ bitWriter }

func (w *hand) header(final bool, typ uint32) {
	f := uint32(0)
	if final {
		f = 1
	}
	w.bits(f, 1)
	w.bits(typ, 2)
}

// fixedLit writes a fixed-code literal/length symbol, extra bits and all.
func (w *hand) fixedLit(sym int) { w.literal(sym) }

// dynHeader writes a dynamic block header: cl are the code length code
// lengths by symbol (nclen of them are sent, in clenOrder), then the code
// length symbols syms, each {symbol, extra bits}.
func (w *hand) dynHeader(final bool, nlit, ndist, nclen int, cl [19]uint8, syms [][2]int) {
	w.header(final, 2)
	w.bits(uint32(nlit-257), 5)
	w.bits(uint32(ndist-1), 5)
	w.bits(uint32(nclen-4), 4)
	for i := range nclen {
		w.bits(uint32(cl[clenOrder[i]]), 3)
	}
	codes := canon(cl[:])
	extra := map[int]uint{16: 2, 17: 3, 18: 7}
	for _, s := range syms {
		w.code(codes[s[0]], uint(cl[s[0]]))
		if n := extra[s[0]]; n > 0 {
			w.bits(uint32(s[1]), n)
		}
	}
}

// fullCL is a complete code length code: 0..12 in 4 bits, 13..18 in 5.
var fullCL = [19]uint8{4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5}

// dyn writes a dynamic block header with lit and dist as the code
// lengths and returns their codes.
func (w *hand) dyn(final bool, lit, dist []uint8) (litCodes, distCodes []uint32) {
	var syms [][2]int
	for _, n := range append(append([]uint8{}, lit...), dist...) {
		syms = append(syms, [2]int{int(n), 0})
	}
	w.dynHeader(final, len(lit), len(dist), 19, fullCL, syms)
	return canon(lit), canon(dist)
}

// litLens is a complete literal/length code over all 286 symbols: 226
// codes of 8 bits and 60 of 9 (226/256 + 60/512 = 1).
func litLens() []uint8 {
	l := make([]uint8, 286)
	for i := range l {
		l[i] = 8
		if i >= 226 {
			l[i] = 9
		}
	}
	return l
}

// handCase is a hand-built stream and what it decodes to.
type handCase struct {
	name string
	z    []byte
	want string // the error; "" for a valid stream
	out  string // the output of a valid stream
}

func handCases() []handCase {
	type tc = handCase
	var cases []tc
	add := func(name, want, out string, build func(w *hand)) {
		var w hand
		build(&w)
		cases = append(cases, tc{name, w.flush(), want, out})
	}
	cases = append(cases,
		tc{"empty input", nil, "deflate: truncated input", ""},
		tc{"stored complement", []byte{1, 5, 0, 0, 0, 'a'}, "deflate: stored block length does not match its complement (5 and 0)", ""},
		tc{"stored header cut", []byte{1, 5, 0, 0xfa}, "deflate: truncated input", ""},
		tc{"stored data cut", []byte{1, 5, 0, 0xfa, 0xff, 'a', 'b'}, "deflate: truncated input", ""},
		tc{"stored", []byte{1, 2, 0, 0xfd, 0xff, 'a', 'b'}, "", "ab"},
		tc{"stored, then data after the final block", []byte{1, 2, 0, 0xfd, 0xff, 'a', 'b', 0xff, 0xff}, "", "ab"},
		tc{"empty stored blocks", []byte{0, 0, 0, 0xff, 0xff, 1, 0, 0, 0xff, 0xff}, "", ""},
	)
	add("block type 3", "deflate: invalid block type 3", "", func(w *hand) { w.header(true, 3) })
	add("no final block", "deflate: truncated input", "", func(w *hand) {
		w.header(false, 1)
		w.fixedLit('a')
		w.fixedLit(256)
	})
	add("fixed, no end of block", "deflate: truncated input", "", func(w *hand) {
		w.header(true, 1)
		w.fixedLit('a')
		w.fixedLit('b')
	})
	add("fixed, fixed then stored", "", "abcd", func(w *hand) {
		w.header(false, 1)
		w.fixedLit('a')
		w.fixedLit('b')
		w.fixedLit(256)
		w.header(true, 0)
		w.out = append(w.flush(), 2, 0, 0xfd, 0xff, 'c', 'd')
		w.nacc, w.acc = 0, 0
	})
	add("distance before the start", "deflate: distance 2 reaches before the start of the data (1 bytes so far)", "", func(w *hand) {
		w.header(true, 1)
		w.fixedLit('a')
		w.match(3, 2)
		w.fixedLit(256)
	})
	add("distance at the start", "", "aaaaaa", func(w *hand) {
		w.header(true, 1)
		w.fixedLit('a')
		w.match(5, 1)
		w.fixedLit(256)
	})
	add("longest distance before the start", "deflate: distance 32768 reaches before the start of the data (3 bytes so far)", "", func(w *hand) {
		w.header(true, 1)
		w.fixedLit('a')
		w.fixedLit('b')
		w.fixedLit('c')
		w.match(258, 32768)
		w.fixedLit(256)
	})
	add("length 258 from symbol 284", "", "a"+strings.Repeat("a", 258), func(w *hand) {
		w.header(true, 1)
		w.fixedLit('a')
		w.fixedLit(284)
		w.bits(31, 5)
		w.code(0, 5)
		w.fixedLit(256)
	})
	add("fixed literal/length symbol 286", "deflate: invalid literal/length symbol 286", "", func(w *hand) {
		w.header(true, 1)
		w.fixedLit(286)
		w.bits(0, 16)
	})
	add("fixed distance symbol 30", "deflate: invalid distance symbol 30", "", func(w *hand) {
		w.header(true, 1)
		w.fixedLit('a')
		w.fixedLit(257)
		w.code(30, 5)
		w.bits(0, 16)
	})
	add("fixed, extra bits cut", "deflate: truncated input", "", func(w *hand) {
		w.header(true, 1)
		w.fixedLit('a')
		w.fixedLit(265)
	})
	add("too many literal/length codes", "deflate: invalid dynamic block header: 287 literal/length codes (at most 286)", "", func(w *hand) {
		w.header(true, 2)
		w.bits(30, 5)
		w.bits(0, 5)
		w.bits(0, 4)
		w.bits(0, 16)
	})
	add("too many distance codes", "deflate: invalid dynamic block header: 31 distance codes (at most 30)", "", func(w *hand) {
		w.header(true, 2)
		w.bits(0, 5)
		w.bits(30, 5)
		w.bits(0, 4)
		w.bits(0, 16)
	})
	add("dynamic header cut", "deflate: truncated input", "", func(w *hand) {
		w.header(true, 2)
		w.bits(0, 5)
	})
	add("over-subscribed code length code", "deflate: invalid Huffman code lengths: the code length code is over-subscribed", "", func(w *hand) {
		w.dynHeader(true, 257, 1, 19, [19]uint8{1, 1, 1}, nil)
		w.bits(0, 32)
	})
	add("incomplete code length code", "deflate: invalid Huffman code lengths: the code length code is incomplete", "", func(w *hand) {
		w.dynHeader(true, 257, 1, 19, [19]uint8{2, 2}, nil)
		w.bits(0, 32)
	})
	add("repeat first", "deflate: invalid Huffman code lengths: a repeat of the previous length comes first", "", func(w *hand) {
		w.dynHeader(true, 257, 1, 19, fullCL, [][2]int{{16, 0}})
		w.bits(0, 32)
	})
	add("repeat past the end", "deflate: invalid Huffman code lengths: a repeat runs past the last code", "", func(w *hand) {
		w.dynHeader(true, 257, 1, 19, fullCL, [][2]int{{18, 127}, {18, 127}, {18, 127}})
		w.bits(0, 32)
	})
	add("code lengths cut", "deflate: truncated input", "", func(w *hand) {
		w.dynHeader(true, 257, 1, 19, fullCL, [][2]int{{8, 0}, {8, 0}})
	})
	add("over-subscribed literal/length code", "deflate: invalid Huffman code lengths: the literal/length code is over-subscribed", "", func(w *hand) {
		l := make([]uint8, 257)
		for i := range l {
			l[i] = 8
		}
		w.dyn(true, l, []uint8{1, 1})
		w.bits(0, 32)
	})
	add("incomplete literal/length code", "deflate: invalid Huffman code lengths: the literal/length code is incomplete", "", func(w *hand) {
		l := make([]uint8, 257)
		l['a'], l[256] = 2, 2
		w.dyn(true, l, []uint8{1, 1})
		w.bits(0, 32)
	})
	add("incomplete distance code", "deflate: invalid Huffman code lengths: the distance code is incomplete", "", func(w *hand) {
		w.dyn(true, litLens(), []uint8{2, 2, 2})
		w.bits(0, 32)
	})
	add("over-subscribed distance code", "deflate: invalid Huffman code lengths: the distance code is over-subscribed", "", func(w *hand) {
		w.dyn(true, litLens(), []uint8{1, 1, 1})
		w.bits(0, 32)
	})
	// One distance code of one bit: accepted (zlib, compress/flate); its
	// unused pattern is an error only when it occurs.
	oneDist := func(w *hand, distBit uint32) {
		lit := litLens()
		lc, dc := w.dyn(true, lit, []uint8{0, 0, 0, 1}) // distance 4
		for _, c := range []byte("abcd") {
			w.code(lc[c], uint(lit[c]))
		}
		w.code(lc[258], uint(lit[258])) // length 4
		w.code(dc[3]|distBit, 1)
		w.code(lc[256], uint(lit[256]))
	}
	add("one distance code", "", "abcdabcd", func(w *hand) { oneDist(w, 0) })
	add("one distance code, other pattern", "deflate: invalid distance code: the block's Huffman code does not use this bit pattern", "", func(w *hand) { oneDist(w, 1) })
	// No distance code at all: fine until a match comes.
	noDist := func(w *hand, match bool) {
		lit := litLens()
		lc, _ := w.dyn(true, lit, []uint8{0})
		w.code(lc['z'], uint(lit['z']))
		if match {
			w.code(lc[257], uint(lit[257]))
			w.bits(0, 16)
		}
		w.code(lc[256], uint(lit[256]))
	}
	add("no distance code", "", "z", func(w *hand) { noDist(w, false) })
	add("no distance code, a match", "deflate: invalid distance code: the block's Huffman code does not use this bit pattern", "", func(w *hand) { noDist(w, true) })
	// A literal/length code of one symbol, end of block, in one bit.
	add("one literal/length code", "", "", func(w *hand) {
		lit := make([]uint8, 257)
		lit[256] = 1
		w.dyn(true, lit, []uint8{0})
		w.bits(0, 1)
	})
	add("one literal/length code, other pattern", "deflate: invalid literal/length code: the block's Huffman code does not use this bit pattern", "", func(w *hand) {
		lit := make([]uint8, 257)
		lit[256] = 1
		w.dyn(true, lit, []uint8{0})
		w.bits(1, 1)
		w.bits(0, 16)
	})
	add("dynamic with repeats and long codes", "", "abnmbnm", func(w *hand) {
		lit := make([]uint8, 286)
		lit['a'], lit['b'] = 1, 2
		for i, s := range "cdefghijklmn" {
			lit[s] = uint8(3 + i)
		}
		lit[256], lit[257] = 15, 15 // 1/2 + ... + 1/2^14 + 2/2^15 = 1
		dist := []uint8{2, 2, 2, 2}
		var syms [][2]int
		for i := 0; i < len(lit); {
			n := 0
			for i+n < len(lit) && lit[i+n] == 0 && n < 138 {
				n++
			}
			switch {
			case n >= 11:
				syms = append(syms, [2]int{18, n - 11})
				i += n
			case n >= 3:
				syms = append(syms, [2]int{17, n - 3})
				i += n
			default:
				syms = append(syms, [2]int{int(lit[i]), 0})
				i++
			}
		}
		syms = append(syms, [2]int{2, 0}, [2]int{16, 0}) // 2, then 3 more 2s
		w.dynHeader(true, len(lit), len(dist), 19, fullCL, syms)
		lc := canon(lit)
		for _, c := range "abnm" {
			w.code(lc[c], uint(lit[c]))
		}
		w.code(lc[257], uint(lit[257])) // length 3
		w.code(canon(dist)[2], 2)       // distance 3
		w.code(lc[256], uint(lit[256]))
	})
	return cases
}

func TestInflateErrors(t *testing.T) {
	for _, c := range handCases() {
		want, werr := goInflate(c.z, MaxInflated)
		got, err := inflateRaw(c.z, MaxInflated)
		if c.want == "" {
			if err != nil || string(got) != c.out {
				t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.out)
			}
			if werr != nil || string(want) != c.out {
				t.Errorf("%s: compress/flate gives %q, %v", c.name, want, werr)
			}
			continue
		}
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: %q, %v; want error %q", c.name, got, err, c.want)
		}
		if werr == nil {
			t.Errorf("%s: compress/flate accepts it: %q", c.name, want)
		}
	}
}

// TestInflateDamage cuts and flips bits in valid streams and compares
// with compress/flate.
func TestInflateDamage(t *testing.T) {
	p := jsonLike(1500, 4)
	for _, z := range [][]byte{deflate(p), goDeflate(t, p, flate.BestCompression, 1000), goDeflate(t, p, flate.NoCompression, 700), goDeflate(t, p, flate.HuffmanOnly, 0)} {
		for n := range len(z) {
			checkAgainstFlate(t, z[:n], MaxInflated)
		}
		for i := range len(z) * 8 {
			d := bytes.Clone(z)
			d[i/8] ^= 1 << (i % 8)
			checkAgainstFlate(t, d, MaxInflated)
		}
	}
}

func FuzzInflate(f *testing.F) {
	p := jsonLike(2000, 5)
	f.Add(deflate(p))
	f.Add(deflate([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\n")))
	for _, level := range []int{flate.HuffmanOnly, flate.NoCompression, flate.BestSpeed, flate.DefaultCompression, flate.BestCompression} {
		f.Add(goDeflate(f, p, level, 500))
		f.Add(goDeflate(f, p[:100], level, 0))
	}
	f.Add(goDeflate(f, make([]byte, 5000), flate.BestCompression, 0))
	f.Add([]byte{})
	f.Add([]byte{1, 2, 0, 0xfd, 0xff, 'a', 'b'})
	f.Add([]byte{0xff, 0xff, 0xff})
	for _, c := range handCases() {
		f.Add(c.z)
	}
	f.Fuzz(func(t *testing.T, z []byte) {
		checkAgainstFlate(t, z, MaxInflated)
		want, werr := goInflate(z, MaxInflated)
		if werr == nil && len(want) <= MaxInflated {
			// the limit, exactly at and one under
			checkAgainstFlate(t, z, len(want))
			if len(want) > 0 {
				if _, err := inflateRaw(z, len(want)-1); err != errInflateTooLarge {
					t.Fatalf("%d bytes at limit %d: %v", len(want), len(want)-1, err)
				}
			}
		}
	})
}

func BenchmarkInflate(b *testing.B) {
	p := jsonLike(100<<10, 6)
	for _, s := range []struct {
		name string
		z    []byte
	}{{"deflate", deflate(p)}, {"flate-default", goDeflate(b, p, flate.DefaultCompression, 0)}} {
		b.Run(s.name+"/inflateRaw", func(b *testing.B) {
			b.SetBytes(int64(len(p)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := inflateRaw(s.z, MaxInflated); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(s.name+"/compress-flate", func(b *testing.B) {
			b.SetBytes(int64(len(p)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := goInflate(s.z, MaxInflated); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
