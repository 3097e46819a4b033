package h1

import (
	"bytes"
	"fmt"
	"testing"
)

// FuzzParseRequest checks parseRequest never panics, never claims more than
// it was given, reports only parse errors that map to hyper's kinds, and
// that a parsed head parses the same way when it arrives byte by byte or
// with more bytes behind it.
func FuzzParseRequest(f *testing.F) {
	for _, tc := range roleParseCases {
		f.Add([]byte(tc.in))
	}
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	f.Add([]byte("POST /a?b=c HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"))
	f.Add([]byte("\r\nPUT http://h:1/p HTTP/1.0\nConnection: keep-alive\n\n"))
	f.Add([]byte("CONNECT [::1]:443 HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 2\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var ctx parseContext
		msg, n, ok, err := parseRequest(data, &ctx)
		if n < 0 || n > len(data) {
			t.Fatalf("n=%d for %d bytes", n, len(data))
		}
		if err != nil {
			if ok || n != 0 || err.Kind != KindParse || err.Parse == 0 || err.Parse > ParseInternal {
				t.Fatalf("bad error result: ok=%v n=%d err=%+v", ok, n, err)
			}
			onError(err)
			return
		}
		if !ok {
			if n != 0 {
				t.Fatalf("incomplete with n=%d", n)
			}
			return
		}
		if n == 0 {
			t.Fatal("complete with n=0")
		}
		want := describeRoleParsed(msg, n)
		head := append([]byte(nil), data[:n]...)
		if n <= 2048 {
			for k := 0; k < n; k++ {
				_, pn, pok, perr := parseRequest(head[:k], &ctx)
				if pok || perr != nil || pn != 0 {
					t.Fatalf("prefix %d of %d: ok=%v n=%d err=%v", k, n, pok, pn, perr)
				}
			}
		}
		for _, in := range [][]byte{head, append(bytes.Clone(head), "GET / HTTP/1.1\r\n"...)} {
			m2, n2, ok2, err2 := parseRequest(in, &ctx)
			if !ok2 || err2 != nil {
				t.Fatalf("re-parse failed: ok=%v err=%v", ok2, err2)
			}
			if got := describeRoleParsed(m2, n2); got != want {
				t.Fatalf("re-parse differs:\n got %s\nwant %s", got, want)
			}
		}
	})
}

func describeRoleParsed(m ParsedRequest, n int) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "n=%d %q %q %v decode=%d ka=%v expect=%v upgrade=%v", n, m.Head.Method, m.Head.URI,
		m.Head.Version, m.Decode, m.KeepAlive, m.ExpectContinue, m.WantsUpgrade)
	for _, h := range m.Head.Headers {
		fmt.Fprintf(&b, " [%q: %q]", h.Name, h.Value)
	}
	return b.String()
}
