package ui

import (
	"errors"
	"strconv"
)

// A small DEFLATE decoder (RFC 1951) for permalinks, the reader to
// deflate.go's writer. compress/flate would do the job, but it imports
// fmt and sort (and through fmt reflect, os and time), which cost the
// browser's wasm some 160 KB.
//
// It reads stored, fixed-Huffman and dynamic-Huffman blocks and accepts
// exactly what compress/flate's reader accepts: Huffman code sets must
// be complete, except that a code with a single symbol of length 1, and
// an empty code, are allowed (compress/flate allows them for all three
// codes, zlib only for the distance code) and fail only if an unused bit
// pattern actually occurs; data after the final block is ignored. The output is bounded by a limit, checked
// before any byte beyond it is written or allocated.
//
// Huffman decoding is canonical: a 9-bit lookup table resolves the
// short codes, which are nearly all of them, and the rare longer ones
// are found by walking the code lengths one bit at a time.

const (
	infMaxBits  = 15 // longest Huffman code
	infFastBits = 9  // lookup table width
	infMaxLit   = 286
	infMaxDist  = 30
)

var (
	// errInflateTooLarge is returned as soon as the output would exceed
	// the limit given to inflateRaw.
	errInflateTooLarge = errors.New("deflate: the data is larger than the limit once decompressed")
	errInflateTrunc    = errors.New("deflate: truncated input")
)

// infHuff is a canonical Huffman code.
type infHuff struct {
	name   string                   // for messages: "literal/length", ...
	count  [infMaxBits + 1]uint16   // count[n]: number of codes of n bits
	symbol [288]uint16              // symbols in canonical code order
	fast   [1 << infFastBits]uint16 // by the next 9 input bits: symbol<<4 | bits, or 0
	maxLen uint                     // longest code in use, 0 for an empty code
}

// build sets h to the code whose symbol s has a code of lengths[s] bits
// (0: not used).
func (h *infHuff) build(lengths []uint8) error {
	h.count = [infMaxBits + 1]uint16{}
	for _, n := range lengths {
		h.count[n]++
	}
	h.count[0] = 0
	h.maxLen = 0
	left := 1 // codes of the current length still free
	for n := 1; n <= infMaxBits; n++ {
		left <<= 1
		left -= int(h.count[n])
		if left < 0 {
			return errors.New("deflate: invalid Huffman code lengths: the " + h.name + " code is over-subscribed")
		}
		if h.count[n] != 0 {
			h.maxLen = uint(n)
		}
	}
	// An incomplete code is refused, except for the empty code and for a
	// single code of one bit (compress/flate and zlib accept both; the
	// missing bit patterns are an error when they occur).
	if left > 0 && h.maxLen != 0 && !(h.maxLen == 1 && h.count[1] == 1) {
		return errors.New("deflate: invalid Huffman code lengths: the " + h.name + " code is incomplete")
	}
	var offs [infMaxBits + 2]uint16
	for n := 1; n <= infMaxBits; n++ {
		offs[n+1] = offs[n] + h.count[n]
	}
	for s, n := range lengths {
		if n != 0 {
			h.symbol[offs[n]] = uint16(s)
			offs[n]++
		}
	}
	h.fast = [1 << infFastBits]uint16{}
	code, i := 0, 0
	for n := uint(1); n <= infFastBits && n <= h.maxLen; n++ {
		for range h.count[n] {
			// Codes are sent most significant bit first, input bits are
			// taken least significant first: index by the reversed code.
			r := 0
			for b := uint(0); b < n; b++ {
				r |= (code >> b & 1) << (n - 1 - b)
			}
			e := h.symbol[i]<<4 | uint16(n)
			for ; r < len(h.fast); r += 1 << n {
				h.fast[r] = e
			}
			code++
			i++
		}
		code <<= 1
	}
	return nil
}

// inflater is the decoder's state.
type inflater struct {
	in    []byte
	pos   int    // next byte of in to load into bits
	bits  uint64 // loaded input bits, next bit lowest
	nbits uint
	out   []byte // cap(out) <= limit always
	limit int

	lit, dist, clen infHuff
	lens            [infMaxLit + infMaxDist]uint8
}

// inflateRaw decodes the raw DEFLATE stream src (RFC 1951, no zlib or
// gzip header). It returns errInflateTooLarge as soon as the output would
// exceed limit bytes, and allocates little beyond the output.
func inflateRaw(src []byte, limit int) ([]byte, error) {
	d := &inflater{in: src, limit: max(limit, 0)}
	d.lit.name, d.dist.name, d.clen.name = "literal/length", "distance", "code length"
	d.out = make([]byte, 0, min(d.limit, max(4*len(src), 256)))
	for {
		hdr, ok := d.getBits(3)
		if !ok {
			return nil, errInflateTrunc
		}
		var err error
		switch hdr >> 1 {
		case 0:
			err = d.stored()
		case 1:
			err = d.fixed()
		case 2:
			err = d.dynamic()
		default:
			err = errors.New("deflate: invalid block type 3")
		}
		if err != nil {
			return nil, err
		}
		if hdr&1 == 1 { // BFINAL: what follows is not ours
			return d.out, nil
		}
	}
}

// refill loads whole input bytes while there is room.
func (d *inflater) refill() {
	for d.nbits <= 56 && d.pos < len(d.in) {
		d.bits |= uint64(d.in[d.pos]) << d.nbits
		d.pos++
		d.nbits += 8
	}
}

// getBits takes n <= 16 bits, the first one lowest; false if the input
// ends first.
func (d *inflater) getBits(n uint) (int, bool) {
	if d.nbits < n {
		d.refill()
		if d.nbits < n {
			return 0, false
		}
	}
	v := int(d.bits & (1<<n - 1))
	d.bits >>= n
	d.nbits -= n
	return v, true
}

// decode takes one symbol of code h.
func (d *inflater) decode(h *infHuff) (int, error) {
	if d.nbits < infMaxBits {
		d.refill()
	}
	if e := h.fast[d.bits&(1<<infFastBits-1)]; e != 0 && uint(e&15) <= d.nbits {
		d.bits >>= e & 15
		d.nbits -= uint(e & 15)
		return int(e >> 4), nil
	}
	// A long code, the end of the input, or a bit pattern the code does
	// not use: walk the code one bit at a time. first is the first code
	// of n bits, index the position of its symbol.
	code, first, index := 0, 0, 0
	b := d.bits
	for n := uint(1); n <= h.maxLen; n++ {
		if n > d.nbits {
			return 0, errInflateTrunc
		}
		code |= int(b & 1)
		b >>= 1
		count := int(h.count[n])
		if code < first+count {
			d.bits >>= n
			d.nbits -= n
			return int(h.symbol[index+code-first]), nil
		}
		index += count
		first = (first + count) << 1
		code <<= 1
	}
	return 0, errors.New("deflate: invalid " + h.name + " code: the block's Huffman code does not use this bit pattern")
}

// room makes room for n more output bytes, within the limit.
func (d *inflater) room(n int) error {
	if n > d.limit-len(d.out) {
		return errInflateTooLarge
	}
	if n > cap(d.out)-len(d.out) {
		c := min(max(2*cap(d.out), len(d.out)+n, 1024), d.limit)
		out := make([]byte, len(d.out), c)
		copy(out, d.out)
		d.out = out
	}
	return nil
}

// stored copies a stored block (RFC 1951 §3.2.4).
func (d *inflater) stored() error {
	// Skip to a byte boundary and give back the whole bytes loaded ahead.
	d.pos -= int(d.nbits / 8)
	d.bits, d.nbits = 0, 0
	if len(d.in)-d.pos < 4 {
		return errInflateTrunc
	}
	p := d.in[d.pos:]
	n := int(p[0]) | int(p[1])<<8
	if nn := int(p[2]) | int(p[3])<<8; n != nn^0xffff {
		return errors.New("deflate: stored block length does not match its complement (" + strconv.Itoa(n) + " and " + strconv.Itoa(nn) + ")")
	}
	d.pos += 4
	// What compress/flate would have written before finding the input
	// cut counts toward the limit first.
	avail := min(n, len(d.in)-d.pos)
	if err := d.room(avail); err != nil {
		return err
	}
	d.out = append(d.out, d.in[d.pos:d.pos+avail]...)
	d.pos += avail
	if avail < n {
		return errInflateTrunc
	}
	return nil
}

// fixed decodes a block with the fixed codes (RFC 1951 §3.2.6). The
// distance code is a complete 5-bit code whose symbols 30 and 31 are
// invalid, as are the literal/length symbols 286 and 287.
func (d *inflater) fixed() error {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	d.lit.build(l[:])
	for i := range 32 {
		l[i] = 5
	}
	d.dist.build(l[:32])
	return d.codes()
}

// clenOrder is the order in which code length code lengths are sent.
var clenOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// dynamic reads a block's Huffman codes (RFC 1951 §3.2.7), then its data.
func (d *inflater) dynamic() error {
	h, ok := d.getBits(14)
	if !ok {
		return errInflateTrunc
	}
	nlit, ndist, nclen := h&31+257, h>>5&31+1, h>>10+4
	if nlit > infMaxLit {
		return errors.New("deflate: invalid dynamic block header: " + strconv.Itoa(nlit) + " literal/length codes (at most 286)")
	}
	if ndist > infMaxDist {
		return errors.New("deflate: invalid dynamic block header: " + strconv.Itoa(ndist) + " distance codes (at most 30)")
	}
	var cl [19]uint8
	for i := range nclen {
		v, ok := d.getBits(3)
		if !ok {
			return errInflateTrunc
		}
		cl[clenOrder[i]] = uint8(v)
	}
	if err := d.clen.build(cl[:]); err != nil {
		return err
	}
	lens := d.lens[:nlit+ndist]
	for i := 0; i < len(lens); {
		s, err := d.decode(&d.clen)
		if err != nil {
			return err
		}
		if s < 16 {
			lens[i] = uint8(s)
			i++
			continue
		}
		var v uint8
		var rep int
		switch s {
		case 16:
			if i == 0 {
				return errors.New("deflate: invalid Huffman code lengths: a repeat of the previous length comes first")
			}
			v = lens[i-1]
			rep, ok = d.getBits(2)
			rep += 3
		case 17:
			rep, ok = d.getBits(3)
			rep += 3
		default: // 18
			rep, ok = d.getBits(7)
			rep += 11
		}
		if !ok {
			return errInflateTrunc
		}
		if i+rep > len(lens) {
			return errors.New("deflate: invalid Huffman code lengths: a repeat runs past the last code")
		}
		for range rep {
			lens[i] = v
			i++
		}
	}
	if err := d.lit.build(lens[:nlit]); err != nil {
		return err
	}
	if err := d.dist.build(lens[nlit:]); err != nil {
		return err
	}
	return d.codes()
}

// codes decodes a Huffman block's data with d.lit and d.dist (RFC 1951
// §3.2.5), through its end-of-block symbol.
func (d *inflater) codes() error {
	for {
		s, err := d.decode(&d.lit)
		if err != nil {
			return err
		}
		if s < 256 {
			if len(d.out) == cap(d.out) {
				if err := d.room(1); err != nil {
					return err
				}
			}
			d.out = append(d.out, byte(s))
			continue
		}
		if s == 256 {
			return nil
		}
		s -= 257
		if s >= len(dfLenBase) {
			return errors.New("deflate: invalid literal/length symbol " + strconv.Itoa(s+257))
		}
		extra, ok := d.getBits(uint(dfLenExtra[s]))
		if !ok {
			return errInflateTrunc
		}
		length := int(dfLenBase[s]) + extra
		s, err = d.decode(&d.dist)
		if err != nil {
			return err
		}
		if s >= len(dfDstBase) {
			return errors.New("deflate: invalid distance symbol " + strconv.Itoa(s))
		}
		extra, ok = d.getBits(uint(dfDstExtra[s]))
		if !ok {
			return errInflateTrunc
		}
		dist := int(dfDstBase[s]) + extra
		if dist > len(d.out) {
			return errors.New("deflate: distance " + strconv.Itoa(dist) + " reaches before the start of the data (" + strconv.Itoa(len(d.out)) + " bytes so far)")
		}
		if err := d.room(length); err != nil {
			return err
		}
		at := len(d.out)
		d.out = d.out[:at+length]
		if dist >= length {
			copy(d.out[at:], d.out[at-dist:at-dist+length])
		} else { // overlapping: the copy repeats what it writes
			for i := at; i < at+length; i++ {
				d.out[i] = d.out[i-dist]
			}
		}
	}
}
