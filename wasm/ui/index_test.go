package ui

import (
	"math/rand"
	"slices"
	"sort"
	"testing"
)

// The index's lookups use slices' binary searches; these check them
// against sort.Search's "first index where" form on sorted data with
// repeats.
func TestIndexLookupsMatchSortSearch(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 40; n++ {
		evs := make([]int32, n)
		marks := make([]streamMark, n)
		for i := range evs {
			evs[i] = int32(rng.Intn(30))
		}
		sort.Slice(evs, func(i, j int) bool { return evs[i] < evs[j] })
		for i, e := range evs {
			marks[i] = streamMark{event: int(e), off: int64(i) * 10}
		}
		for c := -2; c < 33; c++ {
			j := sort.Search(n, func(k int) bool { return int(evs[k]) > c })
			wantLast := -1
			if j > 0 {
				wantLast = int(evs[j-1])
			}
			if got := lastBefore(evs, c); got != wantLast {
				t.Fatalf("lastBefore(%v, %d) = %d, want %d", evs, c, got, wantLast)
			}
			wantRead := int64(-1)
			if n > 0 {
				wantRead = 0
				if j > 0 {
					wantRead = marks[j-1].off
				}
			}
			if got := readAt(marks, c); got != wantRead {
				t.Fatalf("readAt(%v, %d) = %d, want %d", marks, c, got, wantRead)
			}
		}
	}
}

func TestSortedSet(t *testing.T) {
	got := sortedSet([]int64{5, 3, 5, -1, 3, 9, 9, 0})
	want := []int64{-1, 0, 3, 5, 9}
	if !slices.Equal(got, want) {
		t.Fatalf("sortedSet = %v, want %v", got, want)
	}
}

// sortedSet's heap sort (in place of slices.Sort, for size) must agree
// with slices.Sort then Compact on every length and with repeats.
func TestSortedSetMatchesSlices(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for n := 0; n < 200; n++ {
		a := make([]int64, n)
		for i := range a {
			a[i] = rng.Int63n(int64(n/2 + 1))
		}
		want := slices.Compact(slices.Sorted(slices.Values(a)))
		if got := sortedSet(slices.Clone(a)); !slices.Equal(got, want) {
			t.Fatalf("sortedSet(%v) = %v, want %v", a, got, want)
		}
	}
}
