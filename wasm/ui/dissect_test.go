package ui

import (
	"strings"
	"testing"
)

// kinds renders segments as "kind:text" pairs, for readable comparisons.
func kinds(b []byte, segs []Segment) string {
	var parts []string
	for _, s := range segs {
		parts = append(parts, s.Kind.String()+":"+VisibleText(b[s.Lo:s.Hi]))
	}
	return strings.Join(parts, " | ")
}

func covers(t *testing.T, b []byte, segs []Segment) {
	t.Helper()
	at := 0
	for _, s := range segs {
		if s.Lo != at || s.Hi <= s.Lo {
			t.Fatalf("segments do not tile the stream at %d: %+v", at, s)
		}
		at = s.Hi
	}
	if at != len(b) {
		t.Fatalf("segments end at %d of %d", at, len(b))
	}
}

func TestDissectRequests(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
	}{
		{"get", "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
			`start line:GET / HTTP/1.1 | line end:\r\n` + "\n" + ` | header name:Host: | header value: x | line end:\r\n` + "\n" + ` | line end:\r\n` + "\n"},
		{"content-length body, then the next request", "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiGET",
			`start line:POST / HTTP/1.1 | line end:\r\n` + "\n" + ` | header name:Content-Length: | header value: 2 | line end:\r\n` + "\n" + ` | line end:\r\n` + "\n" + ` | body:hi | start line:GET`},
		{"chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2;x=y\r\nhi\r\n0\r\nT: v\r\n\r\n",
			`start line:POST / HTTP/1.1 | line end:\r\n` + "\n" + ` | header name:Transfer-Encoding: | header value: chunked | line end:\r\n` + "\n" + ` | line end:\r\n` + "\n" +
				` | chunk size:2;x=y | line end:\r\n` + "\n" + ` | body:hi | line end:\r\n` + "\n" + ` | chunk size:0 | line end:\r\n` + "\n" + ` | header name:T: | header value: v | line end:\r\n` + "\n" + ` | line end:\r\n` + "\n"},
		{"leading empty lines are skipped", "\r\n\nGET / HTTP/1.1\n\n",
			`line end:\r\n` + "\n" + ` | line end:\n` + "\n" + ` | start line:GET / HTTP/1.1 | line end:\n` + "\n" + ` | line end:\n` + "\n"},
		{"not HTTP", "hello\r\n\r\n", `not HTTP:hello\r\n` + "\n" + `\r\n` + "\n"},
		{"a header line without a colon", "GET / HTTP/1.1\r\nHost x\r\n\r\n",
			`start line:GET / HTTP/1.1 | line end:\r\n` + "\n" + ` | not HTTP:Host x | line end:\r\n` + "\n" + ` | line end:\r\n` + "\n"},
		{"half-typed", "GET / HT", "start line:GET / HT"},
		{"typed markup is not HTTP", "<img src=x onerror=alert(1)>", "start line:<img src=x onerror=alert(1)>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := []byte(c.in)
			segs, _ := dissectRequests(b, -1)
			covers(t, b, segs)
			if got := kinds(b, segs); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestDissectResponsesAndUpgrade(t *testing.T) {
	req := []byte("HEAD / HTTP/1.1\r\n\r\nGET /ws HTTP/1.1\r\nUpgrade: echo\r\n\r\nraw bytes after")
	resp := []byte("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n" + // HEAD: no body follows
		"HTTP/1.1 100 Continue\r\n\r\n" + // interim
		"HTTP/1.1 101 Switching Protocols\r\nupgrade: echo\r\n\r\nechoed")
	in, out := Dissect(req, resp)
	covers(t, req, in)
	covers(t, resp, out)
	last := func(segs []Segment) Segment { return segs[len(segs)-1] }
	if s := last(in); s.Kind != SegUpgraded || string(req[s.Lo:s.Hi]) != "raw bytes after" {
		t.Errorf("request side after the upgrade: %s", kinds(req, in))
	}
	if s := last(out); s.Kind != SegUpgraded || string(resp[s.Lo:s.Hi]) != "echoed" {
		t.Errorf("response side after the 101: %s", kinds(resp, out))
	}
	for _, s := range out {
		if s.Kind == SegBody {
			t.Errorf("a HEAD response got a body: %s", kinds(resp, out))
		}
	}
	// until-close bodies, and a CONNECT tunnel
	in, out = Dissect([]byte("CONNECT x:1 HTTP/1.1\r\n\r\nping"), []byte("HTTP/1.1 200 OK\r\n\r\npong"))
	if last(in).Kind != SegUpgraded || last(out).Kind != SegUpgraded {
		t.Errorf("CONNECT tunnel not shown as upgraded")
	}
	_, out = Dissect([]byte("GET / HTTP/1.0\r\n\r\n"), []byte("HTTP/1.0 200 OK\r\n\r\nuntil close"))
	if s := last(out); s.Kind != SegBody {
		t.Errorf("a response without a length should read to the end: %s", kinds([]byte("HTTP/1.0 200 OK\r\n\r\nuntil close"), out))
	}
}

// TestDissectTilesEverything: whatever the bytes, the segments tile them
// exactly (so every byte is shown and clickable once).
func FuzzDissect(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), []byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"))
	f.Add([]byte("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"), []byte("HTTP/1.1 101 x\r\n\r\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		in, out := Dissect(a, b)
		covers(t, a, in)
		covers(t, b, out)
	})
}

func TestRenderWire(t *testing.T) {
	data := []byte("GET / HTTP/1.1\r\nHost: <x>\r\n\r\n")
	segs, _ := dissectRequests(data, -1)
	html := renderWire(wireView{data: data, segs: segs, cuts: []int64{0, 10, int64(len(data))}, written: 20, read: 10, hlLo: 0, hlHi: 10})
	for _, want := range []string{
		`<span class="w-sl h" data-o="0">GET / HTTP</span>`,
		`<span class="w-sl u" data-o="10">/1.1</span>`,
		`&lt;x&gt;`,
		` f" data-o="20"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("renderWire lacks %q:\n%s", want, html)
		}
	}
	// a long stream shows a window around the cursor
	long := []byte(strings.Repeat("GET / HTTP/1.1\r\n\r\n", 2000))
	segs, _ = dissectRequests(long, -1)
	html = renderWire(wireView{data: long, segs: segs, written: 20000, read: -1})
	if !strings.Contains(html, "earlier bytes not shown") || !strings.Contains(html, "later bytes not shown") || len(html) > 40*maxWireText {
		t.Errorf("long stream: no window (%d bytes of markup)", len(html))
	}
	hex := renderWire(wireView{data: data, segs: segs[:0], written: 100, read: -1, hex: true})
	if !strings.Contains(hex, `data-o="0">47</span>`) || !strings.Contains(hex, "GET / HTTP/1.1..</span>") {
		t.Errorf("hex view:\n%s", hex)
	}
}
