package h1

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/connlab/connlab/engine/trace"
)

// general is a context that never uses the memo: a traced parse does not.
func general() *parseContext { return &parseContext{rec: trace.New()} }

// parseState is everything a parse leaves for its callers: the result, the
// message and the context's fields that outlive the call.
// A parsed head's slices must point into buf, where its bytes are.
func parseState(buf []byte, ctx *parseContext) string {
	var msg ParsedRequest
	n, ok, err := parseRequestAt(buf, ctx, &msg)
	inBuf := within(buf, msg.Head.URI)
	for _, h := range msg.Head.Headers {
		inBuf = inBuf && within(buf, h.Name) && within(buf, h.Value)
	}
	return fmt.Sprintf("ok=%v err=%v split=%d method=%q headers=%d in-buf=%v %s", ok, err, ctx.split, ctx.reqMethod, len(ctx.headers), inBuf, describeRoleParsed(msg, n))
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
	hits := 0
	for _, p := range pairs {
		a, b := p[0], p[1]
		var ctx parseContext
		ref := general()
		parseState(bytes.Clone(a), &ctx)
		parseState(bytes.Clone(a), ref)
		if ctx.memo.match(b, defaultMaxHeaders) {
			hits++
		}
		got := parseState(bytes.Clone(b), &ctx)
		if want := parseState(bytes.Clone(b), ref); got != want {
			t.Fatalf("%q after %q:\n got %s\nwant %s", b, a, got, want)
		}
	}
	if hits < len(groups) {
		t.Fatalf("%d memo hits for %d groups: the memo is not used", hits, len(groups))
	}
}

// The memo keeps its own copy: a service writing into the bytes and the
// fields it was handed does not change what the next identical head
// parses to.
func TestRequestMemoOwnsItsCopy(t *testing.T) {
	const head = "GET /a HTTP/1.1\r\nConnection: close\r\nX: y\r\n\r\n"
	var ctx parseContext
	var msg ParsedRequest
	buf := []byte(head)
	if _, ok, _ := parseRequestAt(buf, &ctx, &msg); !ok || msg.KeepAlive {
		t.Fatalf("first parse: ok=%v keep-alive=%v", ok, msg.KeepAlive)
	}
	copy(msg.Head.Headers[0].Value, "xlose") // the service writes into its head
	msg.Head.Headers[1].Name = []byte("Z")
	msg.Head.URI[1] = 'b'
	// the changed bytes are a different head, parsed afresh
	if got, want := parseState(buf, &ctx), parseState(buf, general()); got != want {
		t.Fatalf("changed head:\n got %s\nwant %s", got, want)
	}
	if got, want := parseState([]byte(head), &ctx), parseState([]byte(head), general()); got != want {
		t.Fatalf("after the service's writes:\n got %s\nwant %s", got, want)
	}
}

// A traced parse never uses the memo (it notes what it parses), nor a
// different field limit.
func TestRequestMemoBounds(t *testing.T) {
	var ctx parseContext
	in := []byte("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n")
	parseState(in, &ctx)
	if !ctx.memo.match(in, defaultMaxHeaders) {
		t.Fatal("no memo after an accepted head")
	}
	ctx.maxHeaders = 1
	ref := general()
	parseState(in, ref)
	ref.maxHeaders = 1
	if got, want := parseState(in, &ctx), parseState(in, ref); got != want {
		t.Fatalf("limit 1:\n got %s\nwant %s", got, want)
	}
}

// The memo's hit does not allocate.
func TestRequestMemoNoAllocs(t *testing.T) {
	var ctx parseContext
	var msg ParsedRequest
	buf := []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
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
// accepted), with the memo and on the general path.
func FuzzRequestMemo(f *testing.F) {
	for _, in := range memoInputs() {
		f.Add(in, in)
	}
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: y\r\n\r\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var ctx parseContext
		ref := general()
		parseState(bytes.Clone(a), &ctx)
		parseState(bytes.Clone(a), ref)
		for round := 0; round < 2; round++ {
			if got, want := parseState(bytes.Clone(b), &ctx), parseState(bytes.Clone(b), ref); got != want {
				t.Fatalf("%q after %q, round %d:\n got %s\nwant %s", b, a, round, got, want)
			}
		}
	})
}
