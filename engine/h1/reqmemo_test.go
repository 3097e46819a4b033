package h1

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/connlab/connlab/engine/trace"
)

// memoCtx is a context for the memo's side of a comparison, traced or not;
// general is its reference, which parseState never lets use its memo.
func memoCtx(traced bool) *parseContext {
	if traced {
		return &parseContext{rec: trace.New()}
	}
	return &parseContext{}
}

type generalCtx struct{ *parseContext }

func general(traced bool) generalCtx { return generalCtx{memoCtx(traced)} }

// parseState is everything a parse leaves for its callers: the result, the
// message and the context's fields that outlive the call.
// A parsed head's slices must point into buf, where its bytes are. The
// trace's events, if any, are part of the state.
func parseState(buf []byte, ctx *parseContext) string {
	var msg ParsedRequest
	before := ctx.rec.Len()
	n, ok, err := parseRequestAt(buf, ctx, &msg)
	var notes []string
	for _, e := range ctx.rec.Events()[before:] {
		notes = append(notes, e.Kind.String()+" "+e.Detail)
	}
	inBuf := within(buf, msg.Head.URI)
	for _, h := range msg.Head.Headers {
		inBuf = inBuf && within(buf, h.Name) && within(buf, h.Value)
	}
	return fmt.Sprintf("ok=%v err=%v split=%d method=%q headers=%d in-buf=%v %s notes=%q", ok, err, ctx.split, ctx.reqMethod, len(ctx.headers), inBuf, describeRoleParsed(msg, n), notes)
}

// parse is parseState on the general path: the memo emptied first.
func (g generalCtx) parse(buf []byte) string {
	g.memo.bytes = g.memo.bytes[:0]
	return parseState(buf, g.parseContext)
}

// within reports whether s is empty or lies inside buf.
func within(buf, s []byte) bool {
	if len(s) == 0 {
		return true
	}
	for i := range buf {
		if &buf[i] == &s[0] {
			return i+len(s) <= len(buf)
		}
	}
	return false
}

// memoGroups are the parse cases' heads, each with more bytes behind it,
// with its last byte cut or changed, and with a field value changed by one
// byte.
func memoGroups() [][][]byte {
	var out [][][]byte
	for _, tc := range roleParseCases {
		in := []byte(tc.in)
		last := bytes.Clone(in)
		last[len(last)-1] = 'X'
		g := [][]byte{in, append(bytes.Clone(in), "GET / HTTP/1.1\r\n"...), in[:len(in)-1], last}
		if i := bytes.IndexByte(in, ':'); i > 0 && i+2 < len(in) {
			changed := bytes.Clone(in)
			changed[i+2] ^= 1
			g = append(g, changed)
		}
		out = append(out, g)
	}
	return out
}

func memoInputs() [][]byte {
	var out [][]byte
	for _, g := range memoGroups() {
		out = append(out, g...)
	}
	return out
}

// After any head, a parse with the memo is the general parse after the
// same head: for every ordered pair of inputs in a group (the same head
// twice is the memo's hit; the others are one byte away, or more bytes
// behind it), and each head after every input of the next group.
func TestRequestMemoMatchesParse(t *testing.T) {
	groups := memoGroups()
	var pairs [][2][]byte
	for i, g := range groups {
		next := groups[(i+1)%len(groups)]
		for _, a := range g {
			for _, b := range append(g[:len(g):len(g)], next...) {
				pairs = append(pairs, [2][]byte{a, b})
			}
		}
	}
	for _, traced := range []bool{false, true} {
		hits := 0
		for _, p := range pairs {
			a, b := p[0], p[1]
			ctx, ref := memoCtx(traced), general(traced)
			for range 2 { // the second is stored (offer)
				parseState(bytes.Clone(a), ctx)
				ref.parse(bytes.Clone(a))
			}
			if ctx.memo.match(b, defaultMaxHeaders, traced) {
				hits++
			}
			got := parseState(bytes.Clone(b), ctx)
			if want := ref.parse(bytes.Clone(b)); got != want {
				t.Fatalf("traced %v: %q after %q:\n got %s\nwant %s", traced, b, a, got, want)
			}
		}
		if hits < len(groups) {
			t.Fatalf("traced %v: %d memo hits for %d groups: the memo is not used", traced, hits, len(groups))
		}
	}
}

// The memo keeps its own copy: a service writing into the bytes and the
// fields it was handed does not change what the next identical head
// parses to.
func TestRequestMemoOwnsItsCopy(t *testing.T) {
	const head = "GET /a HTTP/1.1\r\nConnection: close\r\nX: y\r\n\r\n"
	ctx := memoCtx(false)
	parseState([]byte(head), ctx)
	var msg ParsedRequest
	buf := []byte(head)
	if _, ok, _ := parseRequestAt(buf, ctx, &msg); !ok || msg.KeepAlive || !ctx.memo.match(buf, defaultMaxHeaders, false) {
		t.Fatalf("first parse: ok=%v keep-alive=%v", ok, msg.KeepAlive)
	}
	copy(msg.Head.Headers[0].Value, "xlose") // the service writes into its head
	msg.Head.Headers[1].Name = []byte("Z")
	msg.Head.URI[1] = 'b'
	// the changed bytes are a different head, parsed afresh
	if got, want := parseState(buf, ctx), general(false).parse(buf); got != want {
		t.Fatalf("changed head:\n got %s\nwant %s", got, want)
	}
	if got, want := parseState([]byte(head), ctx), general(false).parse([]byte(head)); got != want {
		t.Fatalf("after the service's writes:\n got %s\nwant %s", got, want)
	}
}

// A memo an untraced parse stored is not used traced (it cannot tell
// which notes a traced parse writes), nor with a different field limit.
func TestRequestMemoBounds(t *testing.T) {
	ctx := memoCtx(false)
	in := []byte("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n")
	parseState(in, ctx)
	parseState(in, ctx)
	if !ctx.memo.match(in, defaultMaxHeaders, false) || ctx.memo.match(in, defaultMaxHeaders, true) {
		t.Fatal("an untraced memo must serve untraced parses only")
	}
	ctx.rec = trace.New()
	ref := general(true)
	for range 2 {
		if got, want := parseState(in, ctx), ref.parse(in); got != want {
			t.Fatalf("traced after untraced:\n got %s\nwant %s", got, want)
		}
	}
	if !ctx.memo.match(in, defaultMaxHeaders, true) {
		t.Fatal("a quiet traced parse's memo must serve traced parses")
	}
	ctx.maxHeaders, ref.maxHeaders = 1, 1
	if got, want := parseState(in, ctx), ref.parse(in); got != want {
		t.Fatalf("limit 1:\n got %s\nwant %s", got, want)
	}
}

// The memo's hit does not allocate.
func TestRequestMemoNoAllocs(t *testing.T) {
	var ctx parseContext
	var msg ParsedRequest
	buf := []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	parseRequestAt(buf, &ctx, &msg)
	parseRequestAt(buf, &ctx, &msg)
	allocs := testing.AllocsPerRun(200, func() {
		if _, ok, _ := parseRequestAt(buf, &ctx, &msg); !ok {
			t.Fatal("parse failed")
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocs per hit", allocs)
	}
}

// FuzzRequestMemo parses a, then b twice (a hit the second time when b was
// accepted), with the memo and on the general path, traced and not.
func FuzzRequestMemo(f *testing.F) {
	for _, in := range memoInputs() {
		f.Add(in, in)
	}
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: y\r\n\r\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		for _, traced := range []bool{false, true} {
			ctx, ref := memoCtx(traced), general(traced)
			for range 2 {
				parseState(bytes.Clone(a), ctx)
				ref.parse(bytes.Clone(a))
			}
			for round := 0; round < 2; round++ {
				if got, want := parseState(bytes.Clone(b), ctx), ref.parse(bytes.Clone(b)); got != want {
					t.Fatalf("traced %v: %q after %q, round %d:\n got %s\nwant %s", traced, b, a, round, got, want)
				}
			}
		}
	})
}

// The memo is stored only when a head follows one of the same length (a
// stream of different heads pays no copies), and then at once.
func TestRequestMemoOffer(t *testing.T) {
	ctx := memoCtx(false)
	for _, in := range []string{"GET /a HTTP/1.1\r\n\r\n", "GET /ab HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n"} {
		parseState([]byte(in), ctx)
		if len(ctx.memo.bytes) != 0 {
			t.Fatalf("stored %q after heads of other lengths", ctx.memo.bytes)
		}
	}
	in := []byte("GET /b HTTP/1.1\r\n\r\n")
	parseState([]byte("GET /a HTTP/1.1\r\n\r\n"), ctx)
	parseState(in, ctx) // the same length: stored
	if !ctx.memo.match(in, defaultMaxHeaders, false) {
		t.Fatal("not stored after a head of the same length")
	}
}
