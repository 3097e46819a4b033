package h1

import (
	"fmt"
	"strings"
	"testing"
)

// roleParseCase is one request head and what parsing it must yield.
type roleParseCase struct {
	name       string
	in         string
	maxHeaders int

	// success
	method   string
	uri      string
	version  Version
	headers  []string // "Name: value" as kept in the head
	decode   DecodedLength
	ka       bool
	expect   bool
	upgrade  bool
	consumed int // 0 means len(in)

	// failure
	kind ParseKind
	// prefixKind is another error kind a prefix of in may report first
	// (the HTTP/2 preface is a plain version error until it is whole).
	prefixKind ParseKind
}

func roleLines(lines ...string) []string { return lines }

var roleParseCases = []roleParseCase{
	{name: "get with host", in: "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		method: MethodGet, uri: "/", version: HTTP11, headers: roleLines("Host: x"), ka: true},
	{name: "hostless no headers", in: "GET /echo HTTP/1.1\r\n\r\n",
		method: MethodGet, uri: "/echo", version: HTTP11, ka: true},
	{name: "query", in: "GET /thing?data=a^&x=`{|}` HTTP/1.1\r\n\r\n",
		method: MethodGet, uri: "/thing?data=a^&x=`{|}`", version: HTTP11, ka: true},
	{name: "json in path", in: "GET /{\"a\":1} HTTP/1.1\r\n\r\n",
		method: MethodGet, uri: "/{\"a\":1}", version: HTTP11, ka: true},
	{name: "fragment unchecked", in: "GET /a#<frag> HTTP/1.1\r\n\r\n",
		method: MethodGet, uri: "/a#<frag>", version: HTTP11, ka: true},
	{name: "utf8 path", in: "GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n",
		method: MethodGet, uri: "/caf\xc3\xa9", version: HTTP11, ka: true},
	{name: "http10", in: "GET / HTTP/1.0\r\n\r\n",
		method: MethodGet, uri: "/", version: HTTP10},
	{name: "http10 keep-alive", in: "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
		method: MethodGet, uri: "/", version: HTTP10, headers: roleLines("Connection: keep-alive"), ka: true},
	{name: "http11 close list", in: "GET / HTTP/1.1\r\nconnection: foo, Close ,bar\r\n\r\n",
		method: MethodGet, uri: "/", version: HTTP11, headers: roleLines("connection: foo, Close ,bar")},
	{name: "connection close then keep-alive", in: "GET / HTTP/1.1\r\nConnection: close\r\nConnection: keep-alive\r\n\r\n",
		method: MethodGet, uri: "/", version: HTTP11, headers: roleLines("Connection: close", "Connection: keep-alive"), ka: true},
	{name: "leading crlf", in: "\r\n\r\nGET / HTTP/1.1\r\n\r\n",
		method: MethodGet, uri: "/", version: HTTP11, ka: true},
	{name: "leading bare lf", in: "\n\r\n\nPOST /p HTTP/1.1\r\n\r\n",
		method: MethodPost, uri: "/p", version: HTTP11, ka: true},
	{name: "bare lf lines", in: "GET / HTTP/1.1\nHost: x\n\n",
		method: MethodGet, uri: "/", version: HTTP11, headers: roleLines("Host: x"), ka: true},
	{name: "lf then crlf end", in: "GET / HTTP/1.1\r\na: b\n\r\n",
		method: MethodGet, uri: "/", version: HTTP11, headers: roleLines("a: b"), ka: true},
	{name: "extension method", in: "PURGE /cache HTTP/1.1\r\n\r\n",
		method: "PURGE", uri: "/cache", version: HTTP11, ka: true},
	{name: "lowercase method is an extension", in: "get / HTTP/1.1\r\n\r\n",
		method: "get", uri: "/", version: HTTP11, ka: true},
	{name: "token method", in: "M-SEARCH!#$%&'*+.^_`|~9 * HTTP/1.1\r\n\r\n",
		method: "M-SEARCH!#$%&'*+.^_`|~9", uri: "*", version: HTTP11, ka: true},
	{name: "options star", in: "OPTIONS * HTTP/1.1\r\n\r\n",
		method: MethodOptions, uri: "*", version: HTTP11, ka: true},
	{name: "absolute form", in: "GET http://example.com:8080/a?b#c HTTP/1.1\r\n\r\n",
		method: MethodGet, uri: "http://example.com:8080/a?b#c", version: HTTP11, ka: true},
	{name: "absolute no path", in: "GET HTTPS://[::1]:443 HTTP/1.1\r\n\r\n",
		method: MethodGet, uri: "HTTPS://[::1]:443", version: HTTP11, ka: true},
	{name: "other scheme", in: "GET ws://user:p%41ss@host/x HTTP/1.1\r\n\r\n",
		method: MethodGet, uri: "ws://user:p%41ss@host/x", version: HTTP11, ka: true},
	{name: "upgrade", in: "GET /chat HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
		method: MethodGet, uri: "/chat", version: HTTP11, headers: roleLines("Upgrade: websocket", "Connection: Upgrade"),
		ka: true, upgrade: true},
	{name: "upgrade on 1.0 ignored", in: "GET /chat HTTP/1.0\r\nUpgrade: websocket\r\n\r\n",
		method: MethodGet, uri: "/chat", version: HTTP10, headers: roleLines("Upgrade: websocket")},
	{name: "connect", in: "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
		method: MethodConnect, uri: "example.com:443", version: HTTP11, headers: roleLines("Host: example.com:443"),
		ka: true, upgrade: true},
	{name: "connect 1.0", in: "CONNECT example.com:443 HTTP/1.0\r\n\r\n",
		method: MethodConnect, uri: "example.com:443", version: HTTP10, upgrade: true},
	{name: "connect 1.0 upgrade field cancels", in: "CONNECT h:1 HTTP/1.0\r\nUpgrade: x\r\n\r\n",
		method: MethodConnect, uri: "h:1", version: HTTP10, headers: roleLines("Upgrade: x")},
	{name: "expect continue", in: "POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11, headers: roleLines("Expect: 100-Continue", "Content-Length: 5"),
		decode: 5, ka: true, expect: true},
	{name: "expect other", in: "POST / HTTP/1.1\r\nExpect: 100-continue, x\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11, headers: roleLines("Expect: 100-continue, x"), ka: true},
	{name: "expect on 1.0 still reported", in: "PUT / HTTP/1.0\r\nexpect: 100-continue\r\n\r\n",
		method: MethodPut, uri: "/", version: HTTP10, headers: roleLines("expect: 100-continue"), expect: true},
	{name: "chunked", in: "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11, headers: roleLines("Transfer-Encoding: chunked"),
		decode: LengthChunked, ka: true},
	{name: "gzip chunked", in: "POST / HTTP/1.1\r\ntransfer-encoding: gzip, CHUNKED\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11, headers: roleLines("transfer-encoding: gzip, CHUNKED"),
		decode: LengthChunked, ka: true},
	{name: "two te fields", in: "POST / HTTP/1.1\r\ntransfer-encoding: gzip\r\ntransfer-encoding: chunked\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11,
		headers: roleLines("transfer-encoding: gzip", "transfer-encoding: chunked"), decode: LengthChunked, ka: true},
	{name: "content-length", in: "POST / HTTP/1.1\r\ncontent-length: 10\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11, headers: roleLines("content-length: 10"), decode: 10, ka: true},
	{name: "content-length zero", in: "POST / HTTP/1.1\r\ncontent-length: 0\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11, headers: roleLines("content-length: 0"), decode: LengthZero, ka: true},
	{name: "content-length max", in: "POST / HTTP/1.1\r\ncontent-length: 18446744073709551613\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11, headers: roleLines("content-length: 18446744073709551613"),
		decode: LengthMax, ka: true},
	{name: "duplicate identical content-length", in: "POST / HTTP/1.1\r\ncontent-length: 5\r\nX: y\r\nContent-Length: 5\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11, headers: roleLines("content-length: 5", "X: y"), decode: 5, ka: true},
	{name: "http10 content-length", in: "POST / HTTP/1.0\r\ncontent-length: 10\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP10, headers: roleLines("content-length: 10"), decode: 10},
	{name: "cl then te", in: "POST / HTTP/1.1\r\ncontent-length: 10\r\ntransfer-encoding: chunked\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11, headers: roleLines("transfer-encoding: chunked"), decode: LengthChunked},
	{name: "te then cl", in: "POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\ncontent-length: 10\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11, headers: roleLines("transfer-encoding: chunked"), decode: LengthChunked},
	{name: "gzip cl chunked", in: "POST / HTTP/1.1\r\ntransfer-encoding: gzip\r\ncontent-length: 10\r\ntransfer-encoding: chunked\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11,
		headers: roleLines("transfer-encoding: gzip", "transfer-encoding: chunked"), decode: LengthChunked},
	{name: "keep-alive with cl and te", in: "POST / HTTP/1.1\r\nconnection: keep-alive\r\ncontent-length: 10\r\ntransfer-encoding: chunked\r\n\r\n",
		method: MethodPost, uri: "/", version: HTTP11,
		headers: roleLines("connection: keep-alive", "transfer-encoding: chunked"), decode: LengthChunked},
	{name: "whitespace trimmed", in: "GET / HTTP/1.1\r\nHost: \t x y \t \r\nX-Empty:\r\nX-Blank:  \t\r\n\r\n",
		method: MethodGet, uri: "/", version: HTTP11, headers: roleLines("Host: x y", "X-Empty: ", "X-Blank: "), ka: true},
	{name: "obs-text value", in: "GET / HTTP/1.1\r\nX-Name: caf\xe9\xff\r\n\r\n",
		method: MethodGet, uri: "/", version: HTTP11, headers: roleLines("X-Name: caf\xe9\xff"), ka: true},
	{name: "name case kept", in: "GET / HTTP/1.1\r\nX-BREAD: baguette\r\n\r\n",
		method: MethodGet, uri: "/", version: HTTP11, headers: roleLines("X-BREAD: baguette"), ka: true},
	{name: "max headers custom", in: "GET / HTTP/1.1\r\na: 1\r\nb: 2\r\n\r\n", maxHeaders: 2,
		method: MethodGet, uri: "/", version: HTTP11, headers: roleLines("a: 1", "b: 2"), ka: true},

	// errors
	{name: "method bad byte", in: "G(T / HTTP/1.1\r\n\r\n", kind: ParseMethod},
	{name: "method leading space", in: " GET / HTTP/1.1\r\n\r\n", kind: ParseMethod},
	{name: "method tab", in: "GET\t/ HTTP/1.1\r\n\r\n", kind: ParseMethod},
	{name: "method newline", in: "GET\r\n\r\n", kind: ParseMethod},
	{name: "version 1.2", in: "GET / HTTP/1.2\r\n\r\n", kind: ParseVersion},
	{name: "version 2", in: "GET / HTTP/2.0\r\n\r\n", kind: ParseVersion},
	{name: "version lowercase", in: "GET / http/1.1\r\n\r\n", kind: ParseVersion},
	{name: "version missing", in: "GET / \r\n\r\n", kind: ParseVersion},
	{name: "junk after version", in: "GET / HTTP/1.1x\r\n\r\n", kind: ParseHeaderToken},
	{name: "cr without lf after version", in: "GET / HTTP/1.1\rX\r\n\r\n", kind: ParseHeaderToken},
	{name: "h2 preface", in: h2ConnectionPreface, kind: ParseVersionH2, prefixKind: ParseVersion},
	{name: "h2 preface after crlf", in: "\r\n" + h2ConnectionPreface, kind: ParseVersionH2, prefixKind: ParseVersion},
	{name: "empty uri", in: "GET  / HTTP/1.1\r\n\r\n", kind: ParseURI},
	{name: "uri del", in: "GET /a\x7f HTTP/1.1\r\n\r\n", kind: ParseURI},
	{name: "uri not utf8", in: "GET /\xff HTTP/1.1\r\n\r\n", kind: ParseURI},
	{name: "http09", in: "GET /\r\n\r\n", kind: ParseURI},
	{name: "uri bad scheme", in: "GET htt:p// HTTP/1.1\r\nHost: hyper.rs\r\n\r\n", kind: ParseURI},
	{name: "uri lt in path", in: "GET /a<b HTTP/1.1\r\n\r\n", kind: ParseURI},
	{name: "uri quote in query", in: "GET /a?\"b HTTP/1.1\r\n\r\n", kind: ParseURI},
	{name: "uri two ports", in: "CONNECT h:1:2 HTTP/1.1\r\n\r\n", kind: ParseURI},
	{name: "uri no authority", in: "GET http:///x HTTP/1.1\r\n\r\n", kind: ParseURI},
	{name: "uri percent host", in: "GET http://ho%20st/ HTTP/1.1\r\n\r\n", kind: ParseURI},
	{name: "uri single char", in: "GET ? HTTP/1.1\r\n\r\n", kind: ParseURI},
	{name: "header name space", in: "GET / HTTP/1.1\r\nHo st: x\r\n\r\n", kind: ParseHeaderToken},
	{name: "header space before colon", in: "GET / HTTP/1.1\r\nHost : x\r\n\r\n", kind: ParseHeaderToken},
	{name: "header empty name", in: "GET / HTTP/1.1\r\n: x\r\n\r\n", kind: ParseHeaderToken},
	{name: "header leading space", in: "GET / HTTP/1.1\r\n Host: x\r\n\r\n", kind: ParseHeaderToken},
	{name: "header value ctl", in: "GET / HTTP/1.1\r\nHost: a\x01b\r\n\r\n", kind: ParseHeaderToken},
	{name: "header value del", in: "GET / HTTP/1.1\r\nHost: a\x7f\r\n\r\n", kind: ParseHeaderToken},
	{name: "header value bare cr", in: "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", kind: ParseHeaderToken},
	{name: "header empty value bare cr", in: "GET / HTTP/1.1\r\nHost:\rb\r\n\r\n", kind: ParseHeaderToken},
	{name: "head end bare cr", in: "GET / HTTP/1.1\r\nHost: x\r\n\rX", kind: ParseHeaderToken},
	{name: "obs fold", in: "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", kind: ParseHeaderToken},
	{name: "leading cr without lf", in: "\rGET / HTTP/1.1\r\n\r\n", kind: ParseHeaderToken},
	{name: "too many custom", in: "GET / HTTP/1.1\r\na: 1\r\nb: 2\r\nc: 3\r\n\r\n", maxHeaders: 2, kind: ParseTooLarge},
	{name: "content-length plus", in: "POST / HTTP/1.1\r\ncontent-length: +10\r\n\r\n", kind: ParseContentLengthInvalid},
	{name: "content-length letters", in: "POST / HTTP/1.1\r\ncontent-length: ten\r\n\r\n", kind: ParseContentLengthInvalid},
	{name: "content-length empty", in: "POST / HTTP/1.1\r\ncontent-length:\r\n\r\n", kind: ParseContentLengthInvalid},
	{name: "content-length list", in: "POST / HTTP/1.1\r\ncontent-length: 5, 5\r\n\r\n", kind: ParseContentLengthInvalid},
	{name: "content-length overflow", in: "POST / HTTP/1.1\r\ncontent-length: 18446744073709551616\r\n\r\n", kind: ParseContentLengthInvalid},
	{name: "content-length differ", in: "POST / HTTP/1.1\r\ncontent-length: 10\r\ncontent-length: 11\r\n\r\n", kind: ParseContentLengthInvalid},
	{name: "content-length reserved", in: "POST / HTTP/1.1\r\ncontent-length: 18446744073709551614\r\n\r\n", kind: ParseTooLarge},
	{name: "te not chunked", in: "POST / HTTP/1.1\r\ntransfer-encoding: gzip\r\n\r\n", kind: ParseTransferEncodingInvalid},
	{name: "te chunked not last", in: "POST / HTTP/1.1\r\ntransfer-encoding: chunked, gzip\r\n\r\n", kind: ParseTransferEncodingInvalid},
	{name: "te last field not chunked", in: "POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\ntransfer-encoding: afterlol\r\n\r\n", kind: ParseTransferEncodingInvalid},
	{name: "te on 1.0", in: "POST / HTTP/1.0\r\ntransfer-encoding: chunked\r\n\r\n", kind: ParseTransferEncodingUnexpected},
	{name: "te on 1.0 with cl", in: "POST / HTTP/1.0\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n", kind: ParseTransferEncodingUnexpected},
}

func TestParseRequestCases(t *testing.T) {
	for _, tc := range roleParseCases {
		t.Run(tc.name, func(t *testing.T) { runRoleParseCase(t, tc) })
	}
}

func TestParseRequestManyHeaders(t *testing.T) {
	gen := func(n int) string {
		var b strings.Builder
		b.WriteString("GET / HTTP/1.1\r\n")
		for i := range n {
			fmt.Fprintf(&b, "key%d: val%d\r\n", i, i)
		}
		b.WriteString("\r\n")
		return b.String()
	}
	for _, n := range []int{0, 1, 50, 99, 100} {
		tc := roleParseCase{name: fmt.Sprint(n), in: gen(n), method: MethodGet, uri: "/", version: HTTP11, ka: true}
		for i := range n {
			tc.headers = append(tc.headers, fmt.Sprintf("key%d: val%d", i, i))
		}
		t.Run(tc.name, func(t *testing.T) { runRoleParseCase(t, tc) })
	}
	for _, n := range []int{101, 102, 200} {
		tc := roleParseCase{name: fmt.Sprint(n), in: gen(n), kind: ParseTooLarge}
		t.Run(tc.name, func(t *testing.T) { runRoleParseCase(t, tc) })
	}
	big := roleParseCase{name: "max 200", in: gen(200), maxHeaders: 200, method: MethodGet, uri: "/", version: HTTP11, ka: true}
	for i := range 200 {
		big.headers = append(big.headers, fmt.Sprintf("key%d: val%d", i, i))
	}
	t.Run(big.name, func(t *testing.T) { runRoleParseCase(t, big) })
	t.Run("max 200 exceeded", func(t *testing.T) {
		runRoleParseCase(t, roleParseCase{in: gen(201), maxHeaders: 200, kind: ParseTooLarge})
	})
}

func TestParseRequestLongURI(t *testing.T) {
	uri := func(n int) string { return "/" + strings.Repeat("a", n-1) }
	ok := uri(maxURILen)
	runRoleParseCase(t, roleParseCase{in: "GET " + ok + " HTTP/1.1\r\n\r\n", method: MethodGet, uri: ok, version: HTTP11, ka: true})
	runRoleParseCase(t, roleParseCase{in: "GET " + uri(maxURILen+1) + " HTTP/1.1\r\n\r\n", kind: ParseURITooLong})
	// The length check comes before the URI is validated.
	runRoleParseCase(t, roleParseCase{in: "GET " + uri(maxURILen+1) + "<" + " HTTP/1.1\r\n\r\n", kind: ParseURITooLong})
}

func TestParseRequestLongHeaderName(t *testing.T) {
	name := strings.Repeat("n", maxHeaderNameLen)
	runRoleParseCase(t, roleParseCase{in: "GET / HTTP/1.1\r\n" + name + ": v\r\n\r\n",
		method: MethodGet, uri: "/", version: HTTP11, headers: roleLines(name + ": v"), ka: true})
	runRoleParseCase(t, roleParseCase{in: "GET / HTTP/1.1\r\n" + name + "n: v\r\n\r\n", kind: ParseTooLarge})
}

// runRoleParseCase parses tc.in whole, then every prefix of it, then with the
// start of a pipelined request appended.
func runRoleParseCase(t *testing.T, tc roleParseCase) {
	t.Helper()
	var ctx parseContext
	ctx.maxHeaders = tc.maxHeaders
	in := []byte(tc.in)
	checkRoleParse(t, "whole", tc, &ctx, in)

	step := 1
	if len(in) > 4096 {
		step = len(in)/300 + 1 // keep quadratic re-parsing cheap for huge heads
	}
	for k := 0; k < len(in); k += step {
		checkRoleParsePrefix(t, tc, &ctx, in[:k])
	}
	checkRoleParsePrefix(t, tc, &ctx, in[:len(in)-1])

	next := append(append([]byte(nil), in...), "GET /next HTTP/1.1\r\nHost: y\r\n"...)
	checkRoleParse(t, "trailing", tc, &ctx, next)
}

func checkRoleParsePrefix(t *testing.T, tc roleParseCase, ctx *parseContext, in []byte) {
	t.Helper()
	msg, n, ok, err := parseRequest(in, ctx)
	switch {
	case ok:
		t.Fatalf("prefix %q: complete (n=%d) before the head ends", in, n)
	case err != nil:
		if tc.kind == 0 || (err.Parse != tc.kind && err.Parse != tc.prefixKind) {
			t.Fatalf("prefix %q: error %v, want incomplete or %v", in, err.Parse, tc.kind)
		}
	case n != 0 || msg.Head.Method != "":
		t.Fatalf("prefix %q: incomplete with n=%d msg=%+v", in, n, msg)
	}
}

func checkRoleParse(t *testing.T, phase string, tc roleParseCase, ctx *parseContext, in []byte) {
	t.Helper()
	msg, n, ok, err := parseRequest(in, ctx)
	if tc.kind != 0 {
		if ok || err == nil || err.Kind != KindParse || err.Parse != tc.kind {
			t.Fatalf("%s: ok=%v err=%v, want parse error %v", phase, ok, err, tc.kind)
		}
		if n != 0 {
			t.Fatalf("%s: error with n=%d", phase, n)
		}
		return
	}
	if err != nil || !ok {
		t.Fatalf("%s: ok=%v err=%v", phase, ok, err)
	}
	want := tc.consumed
	if want == 0 {
		want = len(tc.in)
	}
	if n != want {
		t.Fatalf("%s: n=%d want %d", phase, n, want)
	}
	h := msg.Head
	if h.Method != tc.method || string(h.URI) != tc.uri || h.Version != tc.version {
		t.Fatalf("%s: line %q %q %v, want %q %q %v", phase, h.Method, h.URI, h.Version, tc.method, tc.uri, tc.version)
	}
	var got []string
	for _, f := range h.Headers {
		got = append(got, string(f.Name)+": "+string(f.Value))
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.headers) {
		t.Fatalf("%s: headers %q, want %q", phase, got, tc.headers)
	}
	if msg.Decode != tc.decode || msg.KeepAlive != tc.ka || msg.ExpectContinue != tc.expect || msg.WantsUpgrade != tc.upgrade {
		t.Fatalf("%s: decode=%d ka=%v expect=%v upgrade=%v, want %d %v %v %v", phase,
			msg.Decode, msg.KeepAlive, msg.ExpectContinue, msg.WantsUpgrade, tc.decode, tc.ka, tc.expect, tc.upgrade)
	}
	if ctx.reqMethod != tc.method {
		t.Fatalf("%s: ctx.reqMethod=%q", phase, ctx.reqMethod)
	}
}

func TestParseRequestEmpty(t *testing.T) {
	var ctx parseContext
	if _, n, ok, err := parseRequest(nil, &ctx); ok || err != nil || n != 0 {
		t.Fatalf("empty: n=%d ok=%v err=%v", n, ok, err)
	}
}

// The head must survive the read buffer being reused.
func TestParseRequestCopiesHead(t *testing.T) {
	var ctx parseContext
	buf := []byte("POST /upload HTTP/1.1\r\nHost: example\r\nContent-Length: 3\r\n\r\nabc")
	msg, n, ok, err := parseRequest(buf, &ctx)
	if !ok || err != nil || n != len(buf)-3 {
		t.Fatalf("n=%d ok=%v err=%v", n, ok, err)
	}
	for i := range buf {
		buf[i] = 'X'
	}
	if string(msg.Head.URI) != "/upload" || string(msg.Head.Headers[0].Name) != "Host" ||
		string(msg.Head.Headers[0].Value) != "example" || string(msg.Head.Headers[1].Value) != "3" {
		t.Fatalf("head changed with the buffer: %+v", msg.Head)
	}
	// Appending to a returned slice must not overwrite the next field.
	_ = append(msg.Head.Headers[0].Value, "!!!"...)
	if string(msg.Head.Headers[1].Name) != "Content-Length" {
		t.Fatalf("value slice not capped: %q", msg.Head.Headers[1].Name)
	}
}

// A failed parse must not leave the previous head's fields behind.
func TestParseRequestErrorResetsHeaders(t *testing.T) {
	var ctx parseContext
	if _, _, ok, _ := parseRequest([]byte("GET / HTTP/1.1\r\nA: b\r\n\r\n"), &ctx); !ok {
		t.Fatal("first parse failed")
	}
	if _, _, _, err := parseRequest([]byte("GET / HTTP/1.1\r\nA: b\r\nB c\r\n\r\n"), &ctx); err == nil {
		t.Fatal("want error")
	}
	if len(ctx.headers) != 0 {
		t.Fatalf("headers left: %d", len(ctx.headers))
	}
}

func TestParseRequestNoAllocs(t *testing.T) {
	reqs := []string{
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /submit?q=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 10\r\nConnection: keep-alive\r\nAccept: */*\r\n\r\n",
	}
	for _, r := range reqs {
		var ctx parseContext
		buf := []byte(r)
		parseRequest(buf, &ctx) // grow the arena and the headers once
		allocs := testing.AllocsPerRun(200, func() {
			if _, _, ok, _ := parseRequest(buf, &ctx); !ok {
				t.Fatal("parse failed")
			}
		})
		if allocs != 0 {
			t.Errorf("%q: %v allocs/op", r, allocs)
		}
	}
}

// BenchmarkParseRequest is the parser itself.
func BenchmarkParseRequest(b *testing.B) {
	buf := []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	var ctx parseContext
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok, _ := parseRequest(buf, &ctx); !ok {
			b.Fatal("parse failed")
		}
	}
}

func TestRoleOnErrorMapping(t *testing.T) {
	cases := []struct {
		err    *Error
		status int
	}{
		{newParse(ParseMethod), 400},
		{newParse(ParseVersion), 400},
		{newParse(ParseURI), 400},
		{newParse(ParseHeaderToken), 400},
		{newParse(ParseContentLengthInvalid), 400},
		{newParse(ParseTransferEncodingInvalid), 400},
		{newParse(ParseTransferEncodingUnexpected), 400},
		{newParse(ParseTooLarge), 431},
		{newParse(ParseURITooLong), 414},
		{newParse(ParseVersionH2), 0},
		{newParse(ParseStatus), 0},
		{newParse(ParseInternal), 0},
		{newIncomplete(), 0},
		{newHeaderTimeout(), 0},
		{newIO(fmt.Errorf("reset")), 0},
		{nil, 0},
	}
	for _, c := range cases {
		head, ok := onError(c.err)
		if ok != (c.status != 0) || head.Status != c.status {
			t.Errorf("%v: head=%+v ok=%v, want status %d", c.err, head, ok, c.status)
		}
		if ok && (len(head.Headers) != 0 || head.Reason != "" || head.Version != HTTP11) {
			t.Errorf("%v: head %+v is not a default head", c.err, head)
		}
	}
}

func TestRoleReasonPhrase(t *testing.T) {
	cases := map[int]string{
		100: "Continue", 101: "Switching Protocols", 200: "OK", 203: "Non Authoritative Information",
		204: "No Content", 304: "Not Modified", 400: "Bad Request", 414: "URI Too Long", 418: "I'm a teapot",
		431: "Request Header Fields Too Large", 500: "Internal Server Error", 511: "Network Authentication Required",
		99: "", 104: "", 299: "", 512: "", 599: "", 1000: "", -1: "",
	}
	for code, want := range cases {
		if got := reasonPhrase(code); got != want {
			t.Errorf("reasonPhrase(%d) = %q, want %q", code, got, want)
		}
	}
}

// roleEncodeCase is one response head and the exact bytes hyper writes for it.
type roleEncodeCase struct {
	name      string
	status    int
	version   Version
	reason    string
	headers   []Header
	body      *BodyLength
	noKA      bool   // keep-alive off
	method    string // request method
	title     bool
	noDate    bool
	want      string // with <date> standing for the date value
	encoder   string // Encoder.String()
	last      bool
	err       bool // user error: nothing written
	errKeeps  bool // user error, but the bytes stay (unsupported 1xx)
	trailerOK string
}

const roleTestDate = "Thu, 01 Jan 2026 00:00:00 GMT"

func roleKnown(n uint64) *BodyLength { return &BodyLength{Known: true, N: n} }

var roleUnknown = &BodyLength{}

func roleHeaders(kv ...string) []Header {
	var out []Header
	for i := 0; i < len(kv); i += 2 {
		out = append(out, Header{Name: []byte(kv[i]), Value: []byte(kv[i+1])})
	}
	return out
}

var roleEncodeCases = []roleEncodeCase{
	{name: "200 known", status: 200, body: roleKnown(5), method: MethodGet,
		want: "HTTP/1.1 200 OK\r\ncontent-length: 5\r\ndate: <date>\r\n\r\n", encoder: "Length(5)"},
	{name: "200 no body", status: 200, method: MethodGet,
		want: "HTTP/1.1 200 OK\r\ncontent-length: 0\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "200 known zero", status: 200, body: roleKnown(0),
		want: "HTTP/1.1 200 OK\r\ncontent-length: 0\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "200 roleUnknown chunked", status: 200, body: roleUnknown, method: MethodGet,
		want: "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ndate: <date>\r\n\r\n", encoder: "Chunked"},
	{name: "user headers lowercased in map order", status: 200, body: roleKnown(2),
		headers: roleHeaders("X-A", "1", "Content-Type", "text/plain", "x-a", "3"),
		want:    "HTTP/1.1 200 OK\r\nx-a: 1\r\nx-a: 3\r\ncontent-type: text/plain\r\ncontent-length: 2\r\ndate: <date>\r\n\r\n", encoder: "Length(2)"},
	{name: "head known", status: 200, body: roleKnown(5), method: MethodHead,
		want: "HTTP/1.1 200 OK\r\ncontent-length: 5\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "head no body", status: 200, method: MethodHead,
		want: "HTTP/1.1 200 OK\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "head roleUnknown", status: 200, body: roleUnknown, method: MethodHead,
		want: "HTTP/1.1 200 OK\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "head user content-length no body", status: 200, method: MethodHead, headers: roleHeaders("Content-Length", "42"),
		want: "HTTP/1.1 200 OK\r\ncontent-length: 42\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "head two content-lengths no body", status: 200, method: MethodHead,
		headers: roleHeaders("Content-Length", "42", "content-length", "42"), err: true},
	{name: "get user content-length no body dropped", status: 200, method: MethodGet, headers: roleHeaders("Content-Length", "42"),
		want: "HTTP/1.1 200 OK\r\ncontent-length: 0\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "204", status: 204, body: roleKnown(0),
		want: "HTTP/1.1 204 No Content\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "204 roleUnknown", status: 204, body: roleUnknown,
		want: "HTTP/1.1 204 No Content\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "304 known", status: 304, body: roleKnown(10), headers: roleHeaders("ETag", `"x"`),
		want: "HTTP/1.1 304 Not Modified\r\netag: \"x\"\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "304 user te dropped", status: 304, body: roleUnknown, headers: roleHeaders("Transfer-Encoding", "chunked"),
		want: "HTTP/1.1 304 Not Modified\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "101", status: 101, headers: roleHeaders("Upgrade", "websocket", "Connection", "Upgrade"),
		want:    "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\ndate: <date>\r\n\r\n",
		encoder: "Length(0)", last: true},
	{name: "101 known body", status: 101, body: roleKnown(5),
		want: "HTTP/1.1 101 Switching Protocols\r\ndate: <date>\r\n\r\n", encoder: "Length(0)", last: true},
	{name: "connect 200", status: 200, method: MethodConnect,
		want: "HTTP/1.1 200 OK\r\ndate: <date>\r\n\r\n", encoder: "Length(0)", last: true},
	{name: "connect 200 roleUnknown", status: 200, method: MethodConnect, body: roleUnknown,
		want: "HTTP/1.1 200 OK\r\ndate: <date>\r\n\r\n", encoder: "Length(0)", last: true},
	{name: "connect 200 user content-length", status: 200, method: MethodConnect, headers: roleHeaders("content-length", "0"), err: true},
	{name: "connect 200 user te", status: 200, method: MethodConnect, body: roleUnknown, headers: roleHeaders("transfer-encoding", "chunked"), err: true},
	{name: "connect 400", status: 400, method: MethodConnect, body: roleKnown(3),
		want: "HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\ndate: <date>\r\n\r\n", encoder: "Length(3)"},
	{name: "100 unsupported", status: 100, method: MethodGet, body: roleKnown(5), headers: roleHeaders("X", "y"),
		want: "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\ndate: <date>\r\n\r\n", errKeeps: true},
	{name: "103 to head unsupported", status: 103, version: HTTP10, method: MethodHead,
		want: "HTTP/1.1 500 Internal Server Error\r\ndate: <date>\r\n\r\n", errKeeps: true},
	{name: "http10 roleUnknown close-delimited", status: 200, version: HTTP10, body: roleUnknown, noKA: true,
		want: "HTTP/1.0 200 OK\r\ndate: <date>\r\n\r\n", encoder: "CloseDelimited", last: true},
	{name: "http10 known", status: 200, version: HTTP10, body: roleKnown(5), headers: roleHeaders("Connection", "keep-alive"),
		want: "HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 5\r\ndate: <date>\r\n\r\n", encoder: "Length(5)"},
	{name: "http10 user te dropped", status: 200, version: HTTP10, body: roleUnknown, noKA: true,
		headers: roleHeaders("Transfer-Encoding", "chunked", "Trailer", "x-sum"),
		want:    "HTTP/1.0 200 OK\r\ndate: <date>\r\n\r\n", encoder: "CloseDelimited", last: true},
	{name: "http10 404", status: 404, version: HTTP10, body: roleKnown(0), noKA: true,
		want: "HTTP/1.0 404 Not Found\r\ncontent-length: 0\r\ndate: <date>\r\n\r\n", encoder: "Length(0)", last: true},
	{name: "user content-length roleUnknown body", status: 200, body: roleUnknown, headers: roleHeaders("Content-Length", "7"),
		want: "HTTP/1.1 200 OK\r\ncontent-length: 7\r\ndate: <date>\r\n\r\n", encoder: "Length(7)"},
	{name: "user content-length repeated roleUnknown body", status: 200, body: roleUnknown, headers: roleHeaders("Content-Length", "7", "content-length", "7"),
		want: "HTTP/1.1 200 OK\r\ncontent-length: 7\r\ndate: <date>\r\n\r\n", encoder: "Length(7)"},
	{name: "user content-length differ roleUnknown body", status: 200, body: roleUnknown, headers: roleHeaders("Content-Length", "7", "content-length", "8"), err: true},
	{name: "user content-length invalid roleUnknown body", status: 200, body: roleUnknown, headers: roleHeaders("Content-Length", "seven"), err: true},
	{name: "user content-length known body trusted", status: 200, body: roleKnown(7), headers: roleHeaders("Content-Length", "10", "content-length", "11"),
		want: "HTTP/1.1 200 OK\r\ncontent-length: 10\r\ndate: <date>\r\n\r\n", encoder: "Length(7)"},
	{name: "user te chunked known body", status: 200, body: roleKnown(5), headers: roleHeaders("Transfer-Encoding", "chunked"),
		want: "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ndate: <date>\r\n\r\n", encoder: "Chunked"},
	{name: "user te gzip gets chunked", status: 200, body: roleUnknown, headers: roleHeaders("Transfer-Encoding", "gzip"),
		want: "HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\ndate: <date>\r\n\r\n", encoder: "Chunked"},
	{name: "user te values joined", status: 200, body: roleUnknown, headers: roleHeaders("Transfer-Encoding", "chunked", "transfer-encoding", "gzip"),
		want: "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked, gzip, chunked\r\ndate: <date>\r\n\r\n", encoder: "Chunked"},
	{name: "must_write_chunked sticks", status: 200, body: roleUnknown, headers: roleHeaders("Transfer-Encoding", "gzip", "Connection", "close"),
		want:    "HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\nconnection: close, chunked\r\ndate: <date>\r\n\r\n",
		encoder: "Chunked", last: true},
	{name: "te after content-length", status: 200, body: roleUnknown, headers: roleHeaders("Content-Length", "5", "Transfer-Encoding", "chunked"), err: true},
	{name: "content-length after te", status: 200, body: roleKnown(5), headers: roleHeaders("Transfer-Encoding", "chunked", "Content-Length", "5"), err: true},
	{name: "connection close", status: 200, body: roleKnown(1), headers: roleHeaders("Connection", "close"),
		want: "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 1\r\ndate: <date>\r\n\r\n", encoder: "Length(1)", last: true},
	{name: "connection values joined", status: 200, body: roleKnown(1), headers: roleHeaders("Connection", "keep-alive", "X", "y", "connection", "Upgrade"),
		want: "HTTP/1.1 200 OK\r\nconnection: keep-alive, Upgrade\r\nx: y\r\ncontent-length: 1\r\ndate: <date>\r\n\r\n", encoder: "Length(1)"},
	{name: "keep-alive off", status: 200, body: roleKnown(5), noKA: true,
		want: "HTTP/1.1 200 OK\r\ncontent-length: 5\r\ndate: <date>\r\n\r\n", encoder: "Length(5)", last: true},
	{name: "date disabled", status: 200, body: roleKnown(5), noDate: true,
		want: "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n", encoder: "Length(5)"},
	{name: "user date", status: 200, body: roleKnown(0), headers: roleHeaders("Date", "yesterday"),
		want: "HTTP/1.1 200 OK\r\ndate: yesterday\r\ncontent-length: 0\r\n\r\n", encoder: "Length(0)"},
	{name: "title case", status: 200, body: roleKnown(10), title: true,
		headers: roleHeaders("content-length", "10", "content-type", "application/json", "weird--header", "", "*-*", "o_o"),
		want:    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Type: application/json\r\nWeird--Header: \r\n*-*: o_o\r\nDate: <date>\r\n\r\n",
		encoder: "Length(10)"},
	{name: "title case implicit fields", status: 201, body: roleUnknown, title: true, headers: roleHeaders("X-LOUD", "1", "connection", "close"),
		want:    "HTTP/1.1 201 Created\r\nX-Loud: 1\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nDate: <date>\r\n\r\n",
		encoder: "Chunked", last: true},
	{name: "title case zero", status: 200, title: true,
		want: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nDate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "custom reason", status: 200, reason: "Fine", body: roleKnown(0),
		want: "HTTP/1.1 200 Fine\r\ncontent-length: 0\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "no canonical reason", status: 599, body: roleKnown(0),
		want: "HTTP/1.1 599 <none>\r\ncontent-length: 0\r\ndate: <date>\r\n\r\n", encoder: "Length(0)"},
	{name: "trailer declared", status: 200, body: roleUnknown, headers: roleHeaders("Trailer", "X-Sum, bad name", "trailer", "x-other"),
		want: "HTTP/1.1 200 OK\r\ntrailer: X-Sum, bad name, x-other\r\ntransfer-encoding: chunked\r\ndate: <date>\r\n\r\n", encoder: "Chunked",
		trailerOK: "x-sum"},
	{name: "trailer with known body", status: 200, body: roleKnown(3), headers: roleHeaders("Trailer", "x-sum"),
		want: "HTTP/1.1 200 OK\r\ntrailer: x-sum\r\ncontent-length: 3\r\ndate: <date>\r\n\r\n", encoder: "Length(3)"},
	{name: "trailer after non-chunked te", status: 200, body: roleUnknown, headers: roleHeaders("Transfer-Encoding", "gzip", "Trailer", "x-sum"),
		want: "HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\ntrailer: x-sum, chunked\r\ndate: <date>\r\n\r\n", encoder: "Chunked",
		trailerOK: "x-sum"},
}

func TestEncodeResponseGolden(t *testing.T) {
	for _, tc := range roleEncodeCases {
		t.Run(tc.name, func(t *testing.T) {
			const prefix = "previous bytes|"
			dst := []byte(prefix)
			head := &ResponseHead{Version: tc.version, Status: tc.status, Reason: tc.reason, Headers: tc.headers}
			before := fmt.Sprintf("%+v", *head)
			ctx := &encodeContext{head: head, body: tc.body, keepAlive: !tc.noKA, reqMethod: tc.method,
				titleCase: tc.title, dateHeader: !tc.noDate, date: []byte(roleTestDate)}
			enc, err := encodeResponse(ctx, &dst)
			if after := fmt.Sprintf("%+v", *head); after != before {
				t.Fatalf("head modified: %s -> %s", before, after)
			}
			want := prefix + strings.ReplaceAll(tc.want, "<date>", roleTestDate)
			switch {
			case tc.err:
				if err == nil || err.Kind != KindUser || err.Error() != "user sent unexpected header" {
					t.Fatalf("err = %v, want user header error", err)
				}
				if string(dst) != prefix {
					t.Fatalf("not rewound: %q", dst)
				}
				return
			case tc.errKeeps:
				if err == nil || err.Kind != KindUser || err.Error() != "response has 1xx status code, not supported by server" {
					t.Fatalf("err = %v, want unsupported status", err)
				}
			case err != nil:
				t.Fatalf("err = %v", err)
			}
			if string(dst) != want {
				t.Fatalf("bytes\n got %q\nwant %q", dst, want)
			}
			if tc.errKeeps {
				return
			}
			if enc.String() != tc.encoder || enc.isLast() != tc.last {
				t.Fatalf("encoder %v last=%v, want %v last=%v", enc, enc.isLast(), tc.encoder, tc.last)
			}
			if tc.trailerOK != "" && !enc.trailerDeclared([]byte(tc.trailerOK)) {
				t.Fatalf("trailer %q not declared to the encoder", tc.trailerOK)
			}
			if tc.trailerOK == "" && len(enc.trailerFields) != 0 {
				t.Fatalf("unexpected trailer fields %q", enc.trailerFields)
			}
		})
	}
}

// hyper's own server-encode tests.
func TestEncodeResponseHyperCases(t *testing.T) {
	// test_server_encode_connect_method: a CONNECT answer is the last message.
	dst := []byte(nil)
	enc, err := encodeResponse(&encodeContext{head: &ResponseHead{Status: 200}, keepAlive: true,
		reqMethod: MethodConnect, dateHeader: true, date: []byte(roleTestDate)}, &dst)
	if err != nil || !enc.isLast() {
		t.Fatalf("connect: err=%v last=%v", err, enc.isLast())
	}
	// bench_server_encode_no_headers: 76 bytes with the date.
	dst = dst[:0]
	if _, err := encodeResponse(&encodeContext{head: &ResponseHead{Status: 200}, body: roleKnown(10), keepAlive: true,
		reqMethod: MethodGet, dateHeader: true, date: []byte(roleTestDate)}, &dst); err != nil || len(dst) != 76 {
		t.Fatalf("no headers: err=%v len=%d %q", err, len(dst), dst)
	}
	// bench_server_encode_headers_preset: 108 bytes.
	dst = dst[:0]
	if _, err := encodeResponse(&encodeContext{head: &ResponseHead{Status: 200,
		Headers: roleHeaders("content-length", "10", "content-type", "application/json")}, body: roleKnown(10), keepAlive: true,
		reqMethod: MethodGet, dateHeader: true, date: []byte(roleTestDate)}, &dst); err != nil || len(dst) != 108 {
		t.Fatalf("preset: err=%v len=%d %q", err, len(dst), dst)
	}
}

func TestEncodeResponseNoAllocs(t *testing.T) {
	head := &ResponseHead{Status: 200, Headers: roleHeaders("Content-Type", "text/plain", "Server", "connlab")}
	ctx := &encodeContext{head: head, body: roleKnown(12), keepAlive: true, reqMethod: MethodGet,
		dateHeader: true, date: []byte(roleTestDate)}
	dst := make([]byte, 0, 512)
	allocs := testing.AllocsPerRun(200, func() {
		dst = dst[:0]
		if _, err := encodeResponse(ctx, &dst); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocs/op", allocs)
	}
	ctx.titleCase, ctx.body = true, roleUnknown
	allocs = testing.AllocsPerRun(200, func() {
		dst = dst[:0]
		if _, err := encodeResponse(ctx, &dst); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("title case chunked: %v allocs/op", allocs)
	}
}

func BenchmarkEncodeResponse(b *testing.B) {
	ctx := &encodeContext{head: &ResponseHead{Status: 200, Headers: roleHeaders("Content-Type", "text/plain")},
		body: roleKnown(12), keepAlive: true, reqMethod: MethodGet, dateHeader: true, date: []byte(roleTestDate)}
	dst := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		dst = dst[:0]
		if _, err := encodeResponse(ctx, &dst); err != nil {
			b.Fatal(err)
		}
	}
}

// frameRequest skips field for names of other lengths: every name field
// looks at must have one of framingNameLen's lengths, or its field would
// be kept without being applied.
func TestFramingNameLen(t *testing.T) {
	for _, name := range []string{"transfer-encoding", "content-length", "connection", "expect", "upgrade"} {
		if !framingNameLen(len(name)) {
			t.Errorf("%s (%d bytes) is not looked at", name, len(name))
		}
	}
	for _, tc := range []struct {
		in   string
		ka   bool
		exp  bool
		upg  bool
		code DecodedLength
	}{
		{"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", false, false, false, LengthZero},
		{"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n", true, true, false, 3},
		{"GET / HTTP/1.1\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n", true, false, true, LengthZero},
		{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", true, false, false, LengthChunked},
	} {
		var ctx parseContext
		msg, _, ok, err := parseRequest([]byte(tc.in), &ctx)
		if !ok || err != nil || msg.KeepAlive != tc.ka || msg.ExpectContinue != tc.exp || msg.WantsUpgrade != tc.upg || msg.Decode != tc.code {
			t.Errorf("%q: ok %v err %v, keep-alive %v expect %v upgrade %v decode %v", tc.in, ok, err, msg.KeepAlive, msg.ExpectContinue, msg.WantsUpgrade, msg.Decode)
		}
	}
}
