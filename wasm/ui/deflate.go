package ui

// A small DEFLATE encoder (RFC 1951) for permalinks: LZ77 over a 32 KB
// window with hash chains, then one final block with the fixed Huffman
// codes. compress/flate's encoder would do a little better on size, but
// it brings some 50 KB of code into the browser's wasm, which has a size
// budget. The format is standard DEFLATE either way: inflate.go reads
// links (and any other DEFLATE stream), and the tests check both against
// compress/flate.

const (
	dfWindow   = 1 << 15
	dfMinMatch = 3
	dfMaxMatch = 258
	dfHashBits = 14
	dfMaxChain = 64
)

type bitWriter struct {
	out  []byte
	acc  uint64
	nacc uint
}

// bits writes the low n bits of v, least significant first.
func (w *bitWriter) bits(v uint32, n uint) {
	w.acc |= uint64(v) << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

// code writes a Huffman code of n bits, most significant bit first.
func (w *bitWriter) code(c uint32, n uint) {
	var r uint32
	for i := uint(0); i < n; i++ {
		r = r<<1 | c>>i&1
	}
	w.bits(r, n)
}

func (w *bitWriter) flush() []byte {
	if w.nacc > 0 {
		w.out = append(w.out, byte(w.acc))
	}
	return w.out
}

// literal writes a fixed-code literal/length symbol (RFC 1951 §3.2.6).
func (w *bitWriter) literal(sym int) {
	switch {
	case sym < 144:
		w.code(uint32(0x30+sym), 8)
	case sym < 256:
		w.code(uint32(0x190+sym-144), 9)
	case sym < 280:
		w.code(uint32(sym-256), 7)
	default:
		w.code(uint32(0xc0+sym-280), 8)
	}
}

// Length and distance code tables (RFC 1951 §3.2.5).
var (
	dfLenBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	dfLenExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	dfDstBase  = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	dfDstExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

func (w *bitWriter) match(length, dist int) {
	i := 28
	for int(dfLenBase[i]) > length {
		i--
	}
	w.literal(257 + i)
	w.bits(uint32(length-int(dfLenBase[i])), uint(dfLenExtra[i]))
	j := 29
	for int(dfDstBase[j]) > dist {
		j--
	}
	w.code(uint32(j), 5)
	w.bits(uint32(dist-int(dfDstBase[j])), uint(dfDstExtra[j]))
}

// deflate compresses p into one final fixed-Huffman DEFLATE block.
func deflate(p []byte) []byte {
	w := &bitWriter{out: make([]byte, 0, len(p)/2+16)}
	w.bits(1, 1) // BFINAL
	w.bits(1, 2) // BTYPE 01: fixed Huffman codes
	head := make([]int32, 1<<dfHashBits)
	for i := range head {
		head[i] = -1
	}
	prev := make([]int32, len(p))
	hash := func(i int) int {
		return int((uint32(p[i])<<16|uint32(p[i+1])<<8|uint32(p[i+2]))*2654435761) >> (32 - dfHashBits)
	}
	insert := func(i int) {
		if i+dfMinMatch <= len(p) {
			h := hash(i)
			prev[i] = head[h]
			head[h] = int32(i)
		}
	}
	for i := 0; i < len(p); {
		bestLen, bestDist := 0, 0
		if i+dfMinMatch <= len(p) {
			limit := min(dfMaxMatch, len(p)-i)
			chain := 0
			for j := int(head[hash(i)]); j >= 0 && i-j <= dfWindow && chain < dfMaxChain; j = int(prev[j]) {
				chain++
				n := 0
				for n < limit && p[j+n] == p[i+n] {
					n++
				}
				if n > bestLen {
					bestLen, bestDist = n, i-j
					if n == limit {
						break
					}
				}
			}
		}
		if bestLen >= dfMinMatch {
			w.match(bestLen, bestDist)
			for k := 0; k < bestLen; k++ {
				insert(i + k)
			}
			i += bestLen
			continue
		}
		w.literal(int(p[i]))
		insert(i)
		i++
	}
	w.literal(256) // end of block
	return w.flush()
}
