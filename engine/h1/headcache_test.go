package h1

import (
	"fmt"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
)

// headCase is one response head to encode: the fields a service and the
// connection decide.
type headCase struct {
	status    int
	reason    string
	version   Version
	body      *BodyLength
	method    string
	keepAlive bool
	titleCase bool
	date      bool
	headers   []Header
}

func (hc headCase) ctx(cache *headCache) *encodeContext {
	dateLine := []byte("date: " + roleTestDate + "\r\n\r\n")
	return &encodeContext{
		head:      &ResponseHead{Status: hc.status, Reason: hc.reason, Version: hc.version, Headers: hc.headers},
		body:      hc.body,
		keepAlive: hc.keepAlive, reqMethod: hc.method, titleCase: hc.titleCase, dateHeader: hc.date,
		date: dateLine[len("date: ") : len(dateLine)-4], dateLine: dateLine,
		cache: cache,
	}
}

// encodeOnce is one head's bytes, encoder and error, described for
// comparison.
func encodeOnce(ctx *encodeContext) string {
	dst := []byte("previous|")
	enc, err := encodeResponse(ctx, &dst)
	// the encoder's fields, not its String (which leaves out last)
	return fmt.Sprintf("%q enc=%d,%d,%v,%q err=%v", dst, enc.kind, enc.remaining, enc.last, enc.trailerFields, err)
}

// The dimensions a head without user fields is encoded from, each with the
// values encoding tells apart: 1xx, 101, 2xx, 204, 304, no canonical
// reason, three digits and beyond; HEAD and CONNECT; and so on.
var (
	headStatuses = []int{100, 101, 200, 204, 304, 404, 599, 999, 1000}
	headReasons  = []string{"", "Fine"}
	headVersions = []Version{0, HTTP10, HTTP11}
	headBodies   = []*BodyLength{nil, roleKnown(0), roleKnown(5), roleKnown(1 << 40), roleUnknown}
	headMethods  = []string{MethodGet, MethodHead, MethodConnect, MethodPost, ""}
	headDims     = []int{len(headStatuses), len(headReasons), len(headVersions), len(headBodies), len(headMethods), 2, 2, 2}
)

// headAt is the case at one index per dimension.
func headAt(ix []int) headCase {
	return headCase{status: headStatuses[ix[0]], reason: headReasons[ix[1]], version: headVersions[ix[2]],
		body: headBodies[ix[3]], method: headMethods[ix[4]], keepAlive: ix[5] == 1, titleCase: ix[6] == 1, date: ix[7] == 1}
}

// The cached head is the head encodeResponse writes afresh, whatever came
// before it. Every combination of the dimensions is encoded with a cache
// filled by each of its neighbours (the same head but for one dimension:
// a key that left that dimension out would hit and write the neighbour's
// bytes), then again (a hit), and compared with an encoding without a
// cache. Heads with user fields are never cached.
func TestHeadCacheMatchesEncode(t *testing.T) {
	ix := make([]int, len(headDims))
	hits, cases := 0, 0
	for {
		hc := headAt(ix)
		want := encodeOnce(hc.ctx(nil))
		for d := range headDims {
			var cache headCache
			nb := append([]int(nil), ix...)
			nb[d] = (nb[d] + 1) % headDims[d]
			encodeOnce(headAt(nb).ctx(&cache))
			for round := 0; round < 2; round++ {
				ctx := hc.ctx(&cache)
				if k, ok := cacheKey(ctx); ok && cache.lookup(k) {
					hits++
				}
				if got := encodeOnce(ctx); got != want {
					t.Fatalf("%+v after %+v, round %d:\n got %s\nwant %s", hc, headAt(nb), round, got, want)
				}
			}
		}
		cases++
		// the next combination
		d := 0
		for ; d < len(ix); d++ {
			if ix[d]++; ix[d] < headDims[d] {
				break
			}
			ix[d] = 0
		}
		if d == len(ix) {
			break
		}
	}
	// Each cacheable case hits on its second round at least.
	if hits < cases*len(headDims)/2 {
		t.Fatalf("%d cache hits in %d cases: the cache is not used", hits, cases)
	}
	var cache headCache
	for _, hs := range [][]Header{roleHeaders("content-length", "5"), roleHeaders("Date", "x"), roleHeaders("X-A", "b")} {
		hc := headCase{status: 200, body: roleKnown(5), method: MethodGet, keepAlive: true, date: true, headers: hs}
		encodeOnce(headCase{status: 200, body: roleKnown(5), method: MethodGet, keepAlive: true, date: true}.ctx(&cache))
		if got, want := encodeOnce(hc.ctx(&cache)), encodeOnce(hc.ctx(nil)); got != want {
			t.Fatalf("%+v:\n got %s\nwant %s", hc, got, want)
		}
	}
}

// A hit copies the head without allocating.
func TestHeadCacheHitNoAllocs(t *testing.T) {
	var cache headCache
	ctx := headCase{status: 200, body: roleKnown(5), method: MethodGet, keepAlive: true, date: true}.ctx(&cache)
	dst := make([]byte, 0, 256)
	if _, err := encodeResponse(ctx, &dst); err != nil || !cache.valid {
		t.Fatalf("err=%v valid=%v", err, cache.valid)
	}
	allocs := testing.AllocsPerRun(200, func() {
		dst = dst[:0]
		encodeResponse(ctx, &dst)
	})
	if allocs != 0 {
		t.Fatalf("%v allocs per hit", allocs)
	}
}

// FuzzHeadCache encodes two heads in a row with one cache, the second
// after the first filled it, and each without a cache: a key that took
// two different heads for the same one would write the first's bytes.
func FuzzHeadCache(f *testing.F) {
	f.Add(200, "", uint8(0), uint8(1), uint64(5), uint8(0), uint8(7), 200, "", uint8(0), uint8(1), uint64(6), uint8(0), uint8(7))
	f.Add(200, "", uint8(1), uint8(1), uint64(5), uint8(1), uint8(5), 200, "", uint8(2), uint8(1), uint64(5), uint8(1), uint8(5))
	f.Add(204, "x", uint8(0), uint8(2), uint64(0), uint8(2), uint8(3), 204, "y", uint8(0), uint8(2), uint64(0), uint8(3), uint8(3))
	f.Fuzz(func(t *testing.T, s1 int, r1 string, v1, b1 uint8, n1 uint64, m1, fl1 uint8, s2 int, r2 string, v2, b2 uint8, n2 uint64, m2, fl2 uint8) {
		mk := func(s int, r string, v, b uint8, n uint64, m, fl uint8) headCase {
			bodies := []*BodyLength{nil, {Known: true, N: n}, {}}
			methods := []string{MethodGet, MethodHead, MethodConnect, "PATCH", ""}
			versions := []Version{0, HTTP10, HTTP11, 9}
			return headCase{status: s, reason: r, version: versions[v%4], body: bodies[b%3], method: methods[m%5],
				keepAlive: fl&1 != 0, titleCase: fl&2 != 0, date: fl&4 != 0}
		}
		var cache headCache
		for _, hc := range []headCase{mk(s1, r1, v1, b1, n1, m1, fl1), mk(s2, r2, v2, b2, n2, m2, fl2)} {
			if got, want := encodeOnce(hc.ctx(&cache)), encodeOnce(hc.ctx(nil)); got != want {
				t.Fatalf("%+v:\n got %s\nwant %s", hc, got, want)
			}
		}
	})
}

// The server's cached heads, read by encodeServer before it builds the
// encode context, are the heads it encodes afresh: after a plain GET, each
// request whose answer differs from the GET's by one thing (status,
// reason, body length, HEAD, an HTTP/1.0 peer with and without keep-alive,
// a user field) is sent twice (a miss, then a hit); the bytes and the
// connection's end state are those of a run whose cache is emptied before
// every request.
func TestServerHeadCacheMatchesEncode(t *testing.T) {
	variants := []string{
		"GET /204 HTTP/1.1\r\n\r\n",
		"GET /reason HTTP/1.1\r\n\r\n",
		"GET /long HTTP/1.1\r\n\r\n",
		"HEAD / HTTP/1.1\r\n\r\n",
		"GET /field HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
		"GET / HTTP/1.0\r\n\r\n", // the connection's last: 1.0 without keep-alive
	}
	var reqs []string
	for _, v := range variants {
		reqs = append(reqs, get, v, v)
	}
	svc := svcFunc(func(req *Request) ServiceFuture {
		head := ResponseHead{Status: 200}
		text := "hello"
		switch string(req.Head.URI) {
		case "/204":
			head.Status, text = 204, ""
		case "/reason":
			head.Reason = "Fine"
		case "/long":
			text = "hello, world"
		case "/field":
			head.Headers = []Header{{Name: []byte("X-A"), Value: []byte("b")}}
		}
		return futFunc(func(*poll.Context) poll.Poll[Response] {
			return poll.Ready(Response{Head: head, Body: body.NewFull([]byte(text))})
		})
	})
	serve := func(empty bool) string {
		h := newHarness(t, svc, DefaultOptions())
		for _, r := range reqs {
			if empty {
				h.srv.disp.conn.headCache.valid = false
			}
			if h.srv.Done() {
				break
			}
			h.send(r)
		}
		c := h.srv.disp.conn
		return fmt.Sprintf("%q done=%v writing=%v keep-alive=%v", h.out, h.srv.Done(), c.Writing(), c.KeepAlive())
	}
	got, want := serve(false), serve(true)
	if got != want {
		t.Fatalf("with the cache:\n%s\nemptied before every request:\n%s", got, want)
	}
	if n := strings.Count(got, "HTTP/1."); n != len(reqs)-1 {
		t.Fatalf("%d responses to %d requests: %s", n, len(reqs), got)
	}
}
