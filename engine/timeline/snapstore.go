package timeline

// snapStore keeps one snap per event in a few bytes: every keyEvery-th
// event's snap in full (a key), and for each event between two keys the
// fields that changed since the event before it, as a bit mask and
// zig-zag varint differences. An event that changed nothing costs one
// byte, an io event that moved the wire and a buffer about five; the 88
// bytes of a full snap are paid once per key. Reading event i decodes its
// key's group once into a small cache (keyEvery snaps), so stepping
// through neighbouring events decodes each group once, and any event is at
// most keyEvery-1 differences from its key.
type snapStore struct {
	keys []snap   // keys[g] is event g*keyEvery's snap
	offs []uint32 // offs[g] is where event g*keyEvery+1's difference starts in data
	data [][]byte // chunks of dataChunk bytes; a difference never straddles two
	size int      // bytes used: (len(data)-1)*dataChunk + len(last chunk)
	n    int      // events stored
	last snap     // event n-1's snap, what the next difference is against

	// the decoded group: cache[0:cacheN] are the snaps of events
	// cacheG*keyEvery onwards
	cache  [keyEvery]snap
	cacheG int
	cacheN int
}

const (
	keyEvery  = 64
	dataChunk = 1 << 16
	// maxDiff bounds one event's difference: a mask and nFields values,
	// each a varint of at most 10 bytes
	maxDiff = maxVarint * (nFields + 1)
)

// nFields is how many numbers a snap is, in the order of snap.fields.
const nFields = 2*11 + 3

// fields writes sn's numbers into a.
func (sn *snap) fields(a *[nFields]int64) {
	connFields(&sn.main, a[0:11])
	connFields(&sn.client, a[11:22])
	a[22], a[23], a[24] = sn.wireIn, sn.wireOut, sn.clock
}

func connFields(c *connSnap, a []int64) {
	a[0], a[1], a[2] = int64(c.reading), int64(c.writing), int64(c.inFlight)
	a[3], a[4], a[5], a[6] = int64(c.readBuf), int64(c.writeBuf), int64(c.requests), int64(c.queue)
	a[7], a[8], a[9], a[10] = int64(c.ka), int64(c.bodyTx), int64(c.iter), int64(c.flags)
}

// setFields is the inverse of fields.
func (sn *snap) setFields(a *[nFields]int64) {
	setConnFields(&sn.main, a[0:11])
	setConnFields(&sn.client, a[11:22])
	sn.wireIn, sn.wireOut, sn.clock = a[22], a[23], a[24]
}

func setConnFields(c *connSnap, a []int64) {
	c.reading, c.writing, c.inFlight = uint32(a[0]), uint32(a[1]), uint32(a[2])
	c.readBuf, c.writeBuf, c.requests, c.queue = int32(a[3]), int32(a[4]), int32(a[5]), int32(a[6])
	c.ka, c.bodyTx, c.iter, c.flags = uint8(a[7]), uint8(a[8]), uint8(a[9]), uint8(a[10])
}

// add stores the next event's snap.
func (st *snapStore) add(sn *snap) {
	if st.n%keyEvery == 0 {
		st.keys = append(st.keys, *sn)
		st.offs = append(st.offs, uint32(st.size))
	} else {
		st.appendDiff(&st.last, sn)
	}
	if st.cacheN > 0 && st.n/keyEvery == st.cacheG {
		// the cached group grew: its snaps so far stay right, but it no
		// longer covers the group
		st.cacheN = 0
	}
	st.last = *sn
	st.n++
}

// appendDiff encodes b's differences from a.
func (st *snapStore) appendDiff(a, b *snap) {
	var fa, fb [nFields]int64
	a.fields(&fa)
	b.fields(&fb)
	var mask uint64
	for i := range fa {
		if fa[i] != fb[i] {
			mask |= 1 << i
		}
	}
	if len(st.data) == 0 || len(st.data[len(st.data)-1])+maxDiff > dataChunk {
		if len(st.data) > 0 {
			// the rest of a full chunk is skipped: a difference never
			// straddles two chunks
			st.size = len(st.data) * dataChunk
		}
		st.data = append(st.data, make([]byte, 0, chunkCap(len(st.data))))
	}
	c := &st.data[len(st.data)-1]
	start := len(*c)
	*c = appendUvarint(*c, mask)
	for i := range fa {
		if mask&(1<<i) != 0 {
			*c = appendVarint(*c, fb[i]-fa[i])
		}
	}
	st.size += len(*c) - start
}

// chunkCap is the capacity chunk ci starts with: the first grows by
// append (most timelines are a few hundred events), later ones are full
// size at once.
func chunkCap(ci int) int {
	if ci == 0 {
		return 256
	}
	return dataChunk
}

// at is event i's snap (0 <= i < n). The pointer is valid until the next
// call of at or add.
func (st *snapStore) at(i int) *snap {
	g := i / keyEvery
	if g != st.cacheG || i%keyEvery >= st.cacheN {
		st.decodeGroup(g)
	}
	return &st.cache[i%keyEvery]
}

// decodeGroup fills the cache with group g's snaps, as far as they go.
func (st *snapStore) decodeGroup(g int) {
	m := min(keyEvery, st.n-g*keyEvery)
	st.cache[0] = st.keys[g]
	var f [nFields]int64
	st.keys[g].fields(&f)
	pos := int(st.offs[g])
	for j := 1; j < m; j++ {
		pos = st.decodeDiff(pos, &f)
		st.cache[j].setFields(&f)
	}
	st.cacheG, st.cacheN = g, m
}

// decodeDiff applies the difference at pos to f and returns where the
// next one starts.
func (st *snapStore) decodeDiff(pos int, f *[nFields]int64) int {
	c := st.data[pos/dataChunk]
	off := pos % dataChunk
	if off >= len(c) {
		// the rest of the chunk was skipped: the difference is at the
		// start of the next
		pos = (pos/dataChunk + 1) * dataChunk
		c, off = st.data[pos/dataChunk], 0
	}
	start := off
	mask, k := uvarint(c[off:])
	off += k
	for i := 0; mask != 0; i++ {
		if mask&1 != 0 {
			d, k := varint(c[off:])
			f[i] += d
			off += k
		}
		mask >>= 1
	}
	return pos + off - start
}

// truncate keeps the first n events' snaps (n <= st.n).
func (st *snapStore) truncate(n int) {
	if n >= st.n {
		return
	}
	if n == 0 {
		*st = snapStore{}
		return
	}
	g := (n - 1) / keyEvery
	// where event n's difference would start: after event n-1's
	var f [nFields]int64
	st.keys[g].fields(&f)
	pos := int(st.offs[g])
	for j := g*keyEvery + 1; j < n; j++ {
		pos = st.decodeDiff(pos, &f)
	}
	st.last.setFields(&f)
	st.keys, st.offs = st.keys[:g+1], st.offs[:g+1]
	// the next difference goes at pos: cut the chunk it lies in there
	// (pos may also be the end of the last chunk, full)
	if ci := pos / dataChunk; ci < len(st.data) {
		st.data[ci] = st.data[ci][:pos%dataChunk]
		st.data = st.data[:ci+1]
	}
	st.size = pos
	st.n = n
	st.cacheN = 0
}

// bytes estimates the store's memory.
func (st *snapStore) bytes() int {
	return cap(st.keys)*88 + cap(st.offs)*4 + len(st.data)*dataChunk
}

// The varints are encoding/binary's format, written here because that
// package links reflect into the browser's wasm (TestWasmDeps).
const maxVarint = 10

func appendUvarint(b []byte, x uint64) []byte {
	for x >= 0x80 {
		b = append(b, byte(x)|0x80)
		x >>= 7
	}
	return append(b, byte(x))
}

// appendVarint writes x zig-zag encoded: small magnitudes, either sign,
// take few bytes.
func appendVarint(b []byte, x int64) []byte {
	return appendUvarint(b, uint64(x<<1)^uint64(x>>63))
}

// uvarint reads a varint written by appendUvarint and returns its length.
func uvarint(b []byte) (uint64, int) {
	var x uint64
	var s uint
	for i, c := range b {
		if c < 0x80 {
			return x | uint64(c)<<s, i + 1
		}
		x |= uint64(c&0x7f) << s
		s += 7
	}
	return 0, 0 // never: the store writes whole varints
}

func varint(b []byte) (int64, int) {
	u, n := uvarint(b)
	return int64(u>>1) ^ -int64(u&1), n
}
