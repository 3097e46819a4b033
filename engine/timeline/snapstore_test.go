package timeline

import (
	"encoding/binary"
	"math/rand"
	"testing"
)

// randomSnaps is a run of snaps like a session's: most events change
// nothing or a field or two, some change many fields by a lot (up to the
// extremes of their types).
func randomSnaps(r *rand.Rand, n int) []snap {
	out := make([]snap, n)
	var sn snap
	for i := range out {
		switch r.Intn(6) {
		case 0: // unchanged
		case 1:
			sn.wireIn += int64(r.Intn(100))
			sn.main.readBuf += int32(r.Intn(100))
		case 2:
			sn.main.reading = uint32(r.Intn(20))
			sn.main.flags ^= uint8(1 << r.Intn(7))
		case 3:
			sn.client.writeBuf = int32(r.Uint32())
			sn.clock = r.Int63() - r.Int63()
		case 4:
			sn.main.inFlight = r.Uint32()
			sn.client.iter = uint8(r.Intn(256))
			sn.wireOut = -1 << 63
		case 5:
			sn = snap{}
		}
		out[i] = sn
	}
	return out
}

// TestSnapStore: every event's snap reads back as stored, in order, in
// reverse and at random, also after truncating and adding a different
// future, across key groups and data chunks.
func TestSnapStore(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	const n = 40_000 // several 64 KiB chunks
	want := randomSnaps(r, n)
	var st snapStore
	for i := range want {
		st.add(&want[i])
		if i%1000 == 0 && *st.at(i) != want[i] {
			t.Fatalf("event %d read while recording: %+v, want %+v", i, *st.at(i), want[i])
		}
	}
	check := func(want []snap) {
		t.Helper()
		if st.n != len(want) {
			t.Fatalf("%d snaps, want %d", st.n, len(want))
		}
		for i := range want {
			if *st.at(i) != want[i] {
				t.Fatalf("event %d: %+v, want %+v", i, *st.at(i), want[i])
			}
		}
		for i := len(want) - 1; i >= 0; i-- {
			if *st.at(i) != want[i] {
				t.Fatalf("event %d backwards: %+v, want %+v", i, *st.at(i), want[i])
			}
		}
		for k := 0; k < 2000; k++ {
			i := r.Intn(len(want))
			if *st.at(i) != want[i] {
				t.Fatalf("event %d at random: %+v, want %+v", i, *st.at(i), want[i])
			}
		}
	}
	check(want)
	if len(st.data) < 2 {
		t.Fatalf("only %d data chunks: the test does not cross one", len(st.data))
	}
	for _, cut := range []int{n - 1, 30_001, 20_000, keyEvery * 100, keyEvery*100 + 1, 1} {
		st.truncate(cut)
		more := randomSnaps(r, 5000)
		for i := range more {
			st.add(&more[i])
		}
		want = append(want[:cut:cut], more...)
		check(want)
	}
	st.truncate(0)
	if st.n != 0 || len(st.keys) != 0 {
		t.Fatalf("truncate(0) left %d snaps", st.n)
	}
}

// TestVarints: the store's varints read back, at the extremes too, in
// encoding/binary's format.
func TestVarints(t *testing.T) {
	for _, x := range []int64{0, 1, -1, 63, -64, 64, 1 << 20, -1 << 40, 1<<63 - 1, -1 << 63} {
		b := appendVarint(nil, x)
		if want := binary.AppendVarint(nil, x); string(b) != string(want) {
			t.Fatalf("%d: % x, encoding/binary writes % x", x, b, want)
		}
		got, n := varint(append(b, 0xff))
		if got != x || n != len(b) {
			t.Fatalf("%d: read back %d (%d bytes of %d)", x, got, n, len(b))
		}
	}
}
