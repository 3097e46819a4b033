package ui

import (
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/timeline"
	"github.com/connlab/connlab/engine/trace"
)

// libraryStreams is every library scenario's pair of streams, run to its
// end.
func libraryStreams(t *testing.T) (names []string, in, out [][]byte) {
	t.Helper()
	for _, sc := range scenarios.Library() {
		f, err := sc.File()
		if err != nil {
			t.Fatal(err)
		}
		tl, err := timeline.New(f)
		if err != nil {
			t.Fatal(err)
		}
		a, b := tl.Wire()
		names, in, out = append(names, sc.Name), append(in, a), append(out, b)
	}
	return names, in, out
}

// Reading streams as they grow, from the last settled message on, gives
// the segments Dissect gives them at once, at every length: over the
// library's streams and streams that end inside a line, a body, a chunk,
// with a HEAD, a CONNECT and an upgrade.
func TestGrowingDissectIsDissect(t *testing.T) {
	names, ins, outs := libraryStreams(t)
	more := [][2]string{
		{"GET / HTTP/1.1\r\nHost: a\r\n\r\nPOST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /x HTTP/1.1\r\n\r\n",
			"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: v\r\n\r\nHTTP/1.1 200 OK\r\n\r\nuntil close"},
		{"HEAD / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"},
		{"CONNECT a:1 HTTP/1.1\r\n\r\ntunnel bytes GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\ntunnelled back"},
		{"GET /ws HTTP/1.1\r\nUpgrade: echo\r\n\r\nGET / HTTP/1.1\r\n\r\nframes", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\n\r\nframes back"},
		{"\r\n\r\nGET / HTTP/1.1\r\n folded\r\nbad line\r\n\r\nnot http at all", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nHTTP/1.1 200"},
	}
	for i, p := range more {
		names, ins, outs = append(names, "case "+itoa(i)), append(ins, []byte(p[0])), append(outs, []byte(p[1]))
	}
	rng := rand.New(rand.NewSource(19))
	for k := range names {
		in, out := ins[k], outs[k]
		for round := 0; round < 6; round++ {
			g := newGrowingDissect()
			a, b := 0, 0
			for a < len(in) || b < len(out) {
				// grow one stream or both by a few bytes (byte by byte in
				// the first round)
				step := 1
				if long := max(len(in), len(out)) / 100; round > 0 || long > 40 {
					step = 1 + rng.Intn(max(40, long))
				}
				switch rng.Intn(3) {
				case 0:
					a = min(len(in), a+step)
				case 1:
					b = min(len(out), b+step)
				default:
					a, b = min(len(in), a+step), min(len(out), b+step)
				}
				gotIn, gotOut := g.update(in[:a], out[:b], true)
				wantIn, wantOut := Dissect(in[:a], out[:b])
				if !reflect.DeepEqual(gotIn, wantIn) || !reflect.DeepEqual(gotOut, wantOut) {
					t.Fatalf("%s at %d and %d bytes:\ngrown  %s\n       %s\nat once %s\n       %s", names[k], a, b,
						kinds(in[:a], gotIn), kinds(out[:b], gotOut), kinds(in[:a], wantIn), kinds(out[:b], wantOut))
				}
			}
		}
	}
}

// While a run goes on, the streams are read again only once they have
// grown by their unsettled tails: a chunked body of many chunks streamed
// a few bytes at a time costs a few times its length, not its square;
// the run's end reads what waited, to the segments Dissect gives.
func TestGrowingDissectIsLinear(t *testing.T) {
	req := []byte("GET / HTTP/1.1\r\n\r\nPOST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + strings.Repeat("5\r\nhello\r\n", 20000))
	resp := []byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + strings.Repeat("3\r\nabc\r\n", 20000))
	g := newGrowingDissect()
	a, b := 0, 0
	rng := rand.New(rand.NewSource(11))
	for a < len(req) || b < len(resp) {
		a, b = min(len(req), a+rng.Intn(20)), min(len(resp), b+rng.Intn(20))
		g.update(req[:a], resp[:b], false)
	}
	gotIn, gotOut := g.update(req, resp, true)
	wantIn, wantOut := Dissect(req, resp)
	if !reflect.DeepEqual(gotIn, wantIn) || !reflect.DeepEqual(gotOut, wantOut) {
		t.Fatalf("after the run's end: %d and %d segments, at once %d and %d", len(gotIn), len(gotOut), len(wantIn), len(wantOut))
	}
	if total := int64(len(req) + len(resp)); g.read > 6*total {
		t.Fatalf("%d bytes read to dissect %d", g.read, total)
	}
}

// indexFields is what the panels read from an index.
func indexFields(x *index) []any {
	return []any{x.n, string(x.toServer), string(x.toClient), x.segIn, x.segOut, x.cutsIn, x.cutsOut, x.readIn, x.readOut,
		x.trans, x.upgrades, x.frames, x.errors, x.timers, x.mainTask}
}

// indexAtOnce is the panels' index built from the whole timeline in one
// pass, as it was before it grew with a run: the reference.
func indexAtOnce(tl *timeline.Timeline) *index {
	x := &index{trans: map[string][]int32{}}
	x.toServer, x.toClient = tl.Wire()
	x.segIn, x.segOut = Dissect(x.toServer, x.toClient)
	for _, sp := range tl.WireSpans() {
		if sp.Stream == "to_server" {
			x.cutsIn = append(x.cutsIn, sp.Lo, sp.Hi)
			if sp.Op == "read" {
				x.readIn = append(x.readIn, streamMark{sp.Event, sp.Hi})
			}
		} else {
			x.cutsOut = append(x.cutsOut, sp.Lo, sp.Hi)
			if sp.Op == "read" {
				x.readOut = append(x.readOut, streamMark{sp.Event, sp.Hi})
			}
		}
	}
	x.cutsIn = slices.Compact(slices.Sorted(slices.Values(x.cutsIn)))
	x.cutsOut = slices.Compact(slices.Sorted(slices.Values(x.cutsOut)))
	if tl.File().RunMode() == session.ModeBoth {
		x.mainTask = 1
	}
	for i := 0; i < tl.Len(); i++ {
		e := tl.Event(i)
		switch e.Kind {
		case trace.KindTransition:
			if x.mainTask == 0 || e.Task == x.mainTask {
				x.trans[e.Field] = append(x.trans[e.Field], int32(i))
			}
		case trace.KindUpgrade:
			if e.Name != "drop" {
				x.upgrades = append(x.upgrades, int32(i))
			}
		case trace.KindFrame:
			x.frames = append(x.frames, int32(i))
		case trace.KindError:
			x.errors = append(x.errors, int32(i))
		case trace.KindTimer:
			x.timers = append(x.timers, int32(i))
		}
	}
	x.n = tl.Len()
	return x
}

// The panels' index extended slice by slice while a session runs is the
// index built at once from the whole timeline: over the library and a
// long session, with slices of a few events.
func TestIndexGrownIsIndexAtOnce(t *testing.T) {
	_, long := longLink(t, 200, 0)
	rng := rand.New(rand.NewSource(7))
	check := func(name string, tl *timeline.Timeline, whole *timeline.Timeline, slice int) {
		t.Helper()
		grown := &Model{TL: tl}
		extends := 0
		for {
			done := tl.Continue(1 + rng.Intn(slice))
			x := grown.index()
			extends++
			if done || !tl.Running() {
				break
			}
			if x != grown.index() {
				t.Fatalf("%s: the index was rebuilt", name)
			}
		}
		once := indexAtOnce(whole)
		if g, w := indexFields(grown.index()), indexFields(once); !reflect.DeepEqual(g, w) {
			for i := range g {
				if !reflect.DeepEqual(g[i], w[i]) {
					t.Errorf("%s: field %d grown in %d slices:\n%.300v\nat once:\n%.300v", name, i, extends, g[i], w[i])
				}
			}
			t.FailNow()
		}
		if want := whole.Session().Transcript(false).Result; !reflect.DeepEqual(grown.index().resultOf(tl), want) {
			t.Fatalf("%s: result %+v, at once %+v", name, grown.index().resultOf(tl), want)
		}
	}
	for _, sc := range scenarios.Library() {
		file, err := sc.File()
		if err != nil {
			t.Fatal(err)
		}
		whole, _ := timeline.New(file)
		// a slice of one event at most, then of up to 60
		for _, slice := range []int{1, 60} {
			tl, err := timeline.Start(file)
			if err != nil {
				t.Fatal(err)
			}
			check(sc.Name, tl, whole, slice)
		}
	}
	tl, _ := timeline.Start(long)
	whole, _ := timeline.New(long)
	check("200 pipelined requests", tl, whole, 60)
}

// mergeSet is sortedSet of both lists joined.
func TestMergeSet(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for n := 0; n < 300; n++ {
		a := sortedSet(randInts(rng, rng.Intn(40), 60))
		b := randInts(rng, rng.Intn(10), 80)
		want := sortedSet(append(append([]int64(nil), a...), b...))
		if got := mergeSet(append([]int64(nil), a...), append([]int64(nil), b...)); !reflect.DeepEqual(got, want) && len(want) > 0 {
			t.Fatalf("mergeSet(%v, %v) = %v, want %v", a, b, got, want)
		}
	}
}

func randInts(rng *rand.Rand, n int, max int64) []int64 {
	a := make([]int64, n)
	for i := range a {
		a[i] = rng.Int63n(max)
	}
	return a
}

// A long link's run extends the panels' index slice by slice and never
// builds it again, its end included (the end's rebuild was a pause of
// half a second at a million events); what it holds then is the index of
// the whole timeline built at once.
func TestLongRunIndexIsNeverRebuilt(t *testing.T) {
	frag, f := longLink(t, 3000, 0)
	p := newPage(t)
	p.do(Init{BaseURL: "https://connlab.test/", Fragment: frag})
	x := p.m.idx
	if !p.m.Running() || x == nil || x.n != p.m.TL.Len() {
		t.Fatalf("running %v, index %v", p.m.Running(), x != nil)
	}
	for slices := 1; p.m.Running(); slices++ {
		p.m.ContinueRun()
		p.render()
		if p.m.idx != x {
			t.Fatalf("slice %d (running %v): the index was built again", slices, p.m.Running())
		}
		if x.n != p.m.TL.Len() {
			t.Fatalf("slice %d: the index covers %d of %d events", slices, x.n, p.m.TL.Len())
		}
	}
	whole, _ := timeline.New(f)
	if !reflect.DeepEqual(indexFields(x), indexFields(indexAtOnce(whole))) {
		t.Fatal("the index grown with the run is not the index of the whole timeline")
	}
}
