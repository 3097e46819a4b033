package h1

import (
	"bytes"
	"fmt"
	"testing"
)

// FuzzParseResponse checks parseResponse never panics, never claims more
// than it was given, reports only parse errors, and that a parsed head
// (final or informational) parses the same way when it arrives byte by
// byte or with more bytes behind it.
func FuzzParseResponse(f *testing.F) {
	for _, tc := range respParseCases {
		f.Add([]byte(tc.in), uint8(0))
	}
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), uint8(1))
	f.Add([]byte("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"), uint8(2))
	f.Add([]byte("\r\nHTTP/1.0 200 Fine\nConnection: keep-alive\nTransfer-Encoding: chunked\n\n"), uint8(3))
	f.Add([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n\x00\x01"), uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, m uint8) {
		methods := [...]string{MethodGet, MethodHead, MethodConnect, MethodPost, ""}
		ctx := responseParseContext{reqMethod: methods[int(m)%len(methods)]}
		msg, n, ok, info, err := parseResponse(data, &ctx)
		if n < 0 || n > len(data) {
			t.Fatalf("n=%d for %d bytes", n, len(data))
		}
		if err != nil {
			if ok || info || n != 0 || err.Kind != KindParse || err.Parse == 0 || err.Parse > ParseInternal {
				t.Fatalf("bad error result: ok=%v info=%v n=%d err=%+v", ok, info, n, err)
			}
			return
		}
		if !ok && !info {
			if n != 0 {
				t.Fatalf("incomplete with n=%d", n)
			}
			return
		}
		if ok && info {
			t.Fatal("both final and informational")
		}
		if n == 0 {
			t.Fatal("complete with n=0")
		}
		if info != (msg.Head.Status >= 100 && msg.Head.Status < 200 && msg.Head.Status != 101) {
			t.Fatalf("informational=%v for status %d", info, msg.Head.Status)
		}
		want := describeRespParsed(msg, n, ok, info)
		head := append([]byte(nil), data[:n]...)
		if n <= 2048 {
			for k := 0; k < n; k++ {
				_, pn, pok, pinfo, perr := parseResponse(head[:k], &ctx)
				if pok || pinfo || perr != nil || pn != 0 {
					t.Fatalf("prefix %d of %d: ok=%v info=%v n=%d err=%v", k, n, pok, pinfo, pn, perr)
				}
			}
		}
		for _, in := range [][]byte{head, append(bytes.Clone(head), "HTTP/1.1 200 OK\r\n"...)} {
			m2, n2, ok2, info2, err2 := parseResponse(in, &ctx)
			if err2 != nil {
				t.Fatalf("re-parse failed: %v", err2)
			}
			if got := describeRespParsed(m2, n2, ok2, info2); got != want {
				t.Fatalf("re-parse differs:\n got %s\nwant %s", got, want)
			}
		}
	})
}

func describeRespParsed(m ParsedResponse, n int, ok, info bool) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "n=%d ok=%v info=%v %v %d %q decode=%d ka=%v upgrade=%v", n, ok, info, m.Head.Version,
		m.Head.Status, m.Head.Reason, m.Decode, m.KeepAlive, m.WantsUpgrade)
	for _, h := range m.Head.Headers {
		fmt.Fprintf(&b, " [%q: %q]", h.Name, h.Value)
	}
	return b.String()
}
