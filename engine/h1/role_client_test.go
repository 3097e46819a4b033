package h1

import (
	"fmt"
	"strings"
	"testing"
)

// respParseCase is one response head and what parsing it must yield.
type respParseCase struct {
	name       string
	in         string
	method     string // the request's method; "" means GET (as hyper's tests)
	noMethod   bool   // the request's method is unknown
	maxHeaders int

	// success
	status   int
	reason   string
	version  Version
	headers  []string // "Name: value" as kept in the head
	decode   DecodedLength
	ka       bool
	upgrade  bool
	info     bool // an informational head, skipped
	consumed int  // 0 means len(in)

	// failure
	kind ParseKind
}

func respLines(lines ...string) []string { return lines }

var respParseCases = []respParseCase{
	// hyper: test_parse_response
	{name: "200 content-length 0", in: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("Content-Length: 0"), decode: LengthZero, ka: true},

	// hyper: test_decoder_response
	{name: "close-delimited", in: "HTTP/1.1 200 OK\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, decode: LengthCloseDelimited, ka: true},
	{name: "204", in: "HTTP/1.1 204 No Content\r\n\r\n",
		status: 204, reason: "No Content", version: HTTP11, decode: LengthZero, ka: true},
	{name: "304", in: "HTTP/1.1 304 Not Modified\r\n\r\n",
		status: 304, reason: "Not Modified", version: HTTP11, decode: LengthZero, ka: true},
	{name: "content-length", in: "HTTP/1.1 200 OK\r\ncontent-length: 8\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("content-length: 8"), decode: 8, ka: true},
	{name: "content-length repeated", in: "HTTP/1.1 200 OK\r\ncontent-length: 8\r\ncontent-length: 8\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("content-length: 8", "content-length: 8"), decode: 8, ka: true},
	{name: "content-length differ", in: "HTTP/1.1 200 OK\r\ncontent-length: 8\r\ncontent-length: 9\r\n\r\n",
		kind: ParseContentLengthInvalid},
	{name: "content-length plus", in: "HTTP/1.1 200 OK\r\ncontent-length: +8\r\n\r\n", kind: ParseContentLengthInvalid},
	{name: "chunked", in: "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("transfer-encoding: chunked"), decode: LengthChunked, ka: true},
	{name: "te not chunked is close-delimited", in: "HTTP/1.1 200 OK\r\ntransfer-encoding: yolo\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("transfer-encoding: yolo"), decode: LengthCloseDelimited, ka: true},
	{name: "te and content-length is chunked", in: "HTTP/1.1 200 OK\r\ncontent-length: 10\r\ntransfer-encoding: chunked\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("content-length: 10", "transfer-encoding: chunked"),
		decode: LengthChunked, ka: true},
	{name: "head with content-length", in: "HTTP/1.1 200 OK\r\ncontent-length: 8\r\n\r\n", method: MethodHead,
		status: 200, reason: "OK", version: HTTP11, headers: respLines("content-length: 8"), decode: LengthZero, ka: true},
	{name: "connect 200", in: "HTTP/1.1 200 OK\r\n\r\n", method: MethodConnect,
		status: 200, reason: "OK", version: HTTP11, decode: LengthZero, upgrade: true},
	{name: "connect 400 has a body", in: "HTTP/1.1 400 Bad Request\r\n\r\n", method: MethodConnect,
		status: 400, reason: "Bad Request", version: HTTP11, decode: LengthCloseDelimited, ka: true},
	{name: "100 continue ignored", in: "HTTP/1.1 100 Continue\r\n\r\n",
		status: 100, reason: "Continue", version: HTTP11, info: true},
	{name: "103 early hints ignored", in: "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n",
		status: 103, reason: "Early Hints", version: HTTP11, headers: respLines("Link: </style.css>; rel=preload"), info: true},
	{name: "101 switching protocols", in: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
		status: 101, reason: "Switching Protocols", version: HTTP11,
		headers: respLines("Upgrade: websocket", "Connection: Upgrade"), decode: LengthZero, upgrade: true},
	{name: "http10 close-delimited", in: "HTTP/1.0 200 OK\r\n\r\n",
		status: 200, reason: "OK", version: HTTP10, decode: LengthCloseDelimited},
	{name: "http10 chunked", in: "HTTP/1.0 200 OK\r\ntransfer-encoding: chunked\r\n\r\n", kind: ParseTransferEncodingUnexpected},
	{name: "http11 keep-alive default", in: "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("content-length: 0"), ka: true},
	{name: "connection close in list", in: "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: foo, close, bar\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("content-length: 0", "connection: foo, close, bar")},
	{name: "http10 close default", in: "HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n",
		status: 200, reason: "OK", version: HTTP10, headers: respLines("content-length: 0")},
	{name: "http10 keep-alive in list", in: "HTTP/1.0 200 OK\r\ncontent-length: 0\r\nconnection: foo, keep-alive, bar\r\n\r\n",
		status: 200, reason: "OK", version: HTTP10, headers: respLines("content-length: 0", "connection: foo, keep-alive, bar"), ka: true},

	// hyper: test_parse_response_h09_rejected, test_parse_reject_response_with_spaces_before_colons
	{name: "http09 rejected", in: "Baguettes are super delicious, don't you agree?", kind: ParseVersion},
	{name: "space before colon rejected", in: "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Credentials : true\r\n\r\n",
		kind: ParseHeaderToken},
	// The default parser config also refuses obs-fold in responses (hyper
	// unfolds only with allow_obsolete_multiline_headers_in_responses).
	{name: "obs-fold rejected", in: "HTTP/1.1 200 OK\r\nX-Folded: obs\r\n fold\r\n\r\n", kind: ParseHeaderToken},
	{name: "obs-fold tab rejected", in: "HTTP/1.1 200 OK\r\nX-Folded: obs\r\n\tfold\r\n\r\n", kind: ParseHeaderToken},

	// status line
	{name: "no reason", in: "HTTP/1.1 200\r\ncontent-length: 1\r\n\r\n",
		status: 200, version: HTTP11, headers: respLines("content-length: 1"), decode: 1, ka: true},
	{name: "no reason bare lf", in: "HTTP/1.1 200\ncontent-length: 1\n\n",
		status: 200, version: HTTP11, headers: respLines("content-length: 1"), decode: 1, ka: true},
	{name: "empty reason", in: "HTTP/1.1 200 \r\ncontent-length: 1\r\n\r\n",
		status: 200, version: HTTP11, headers: respLines("content-length: 1"), decode: 1, ka: true},
	{name: "custom reason", in: "HTTP/1.1 200 Fine\tand dandy \r\ncontent-length: 1\r\n\r\n",
		status: 200, reason: "Fine\tand dandy ", version: HTTP11, headers: respLines("content-length: 1"), decode: 1, ka: true},
	{name: "lowercase reason", in: "HTTP/1.1 404 not found\r\ncontent-length: 1\r\n\r\n",
		status: 404, reason: "not found", version: HTTP11, headers: respLines("content-length: 1"), decode: 1, ka: true},
	{name: "obs-text reason is empty", in: "HTTP/1.1 200 caf\xe9\r\ncontent-length: 1\r\n\r\n",
		status: 200, version: HTTP11, headers: respLines("content-length: 1"), decode: 1, ka: true},
	{name: "code without canonical reason", in: "HTTP/1.1 599 Custom\r\ncontent-length: 1\r\n\r\n",
		status: 599, reason: "Custom", version: HTTP11, headers: respLines("content-length: 1"), decode: 1, ka: true},
	{name: "code 999", in: "HTTP/1.1 999 X\r\ncontent-length: 1\r\n\r\n",
		status: 999, reason: "X", version: HTTP11, headers: respLines("content-length: 1"), decode: 1, ka: true},
	{name: "leading empty lines", in: "\r\n\nHTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("content-length: 1"), decode: 1, ka: true},
	{name: "bare lf lines", in: "HTTP/1.1 200 OK\ncontent-length: 1\nx: y\n\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("content-length: 1", "x: y"), decode: 1, ka: true},
	{name: "bad status letters", in: "HTTP/1.1 abc OK\r\n\r\n", kind: ParseStatus},
	{name: "bad status short", in: "HTTP/1.1 20 OK\r\n\r\n", kind: ParseStatus},
	{name: "bad status long", in: "HTTP/1.1 2000 OK\r\n\r\n", kind: ParseStatus},
	{name: "status below 100", in: "HTTP/1.1 099 Low\r\n\r\n", kind: ParseStatus},
	{name: "status 000", in: "HTTP/1.1 000\r\n\r\n", kind: ParseStatus},
	{name: "double space before code", in: "HTTP/1.1  200 OK\r\n\r\n", kind: ParseStatus},
	{name: "reason ctl", in: "HTTP/1.1 200 O\x01K\r\n\r\n", kind: ParseStatus},
	{name: "reason del", in: "HTTP/1.1 200 O\x7fK\r\n\r\n", kind: ParseStatus},
	{name: "reason bare cr", in: "HTTP/1.1 200 OK\rX\r\n\r\n", kind: ParseStatus},
	{name: "no reason bare cr", in: "HTTP/1.1 200\rX\r\n\r\n", kind: ParseStatus},
	{name: "tab after code", in: "HTTP/1.1 200\tOK\r\n\r\n", kind: ParseStatus},
	{name: "version 2", in: "HTTP/2.0 200 OK\r\n\r\n", kind: ParseVersion},
	{name: "version 1.2", in: "HTTP/1.2 200 OK\r\n\r\n", kind: ParseVersion},
	{name: "version lowercase", in: "http/1.1 200 OK\r\n\r\n", kind: ParseVersion},
	{name: "version then newline", in: "HTTP/1.1\r\n\r\n", kind: ParseVersion},
	{name: "version then tab", in: "HTTP/1.1\t200 OK\r\n\r\n", kind: ParseVersion},
	{name: "icy", in: "ICY 200 OK\r\n\r\n", kind: ParseVersion},
	{name: "leading cr without lf", in: "\rHTTP/1.1 200 OK\r\n\r\n", kind: ParseHeaderToken},

	// header fields
	{name: "whitespace trimmed", in: "HTTP/1.1 200 OK\r\nX-A: \t a b \t\r\nX-Empty:\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("X-A: a b", "X-Empty: "), decode: LengthCloseDelimited, ka: true},
	{name: "obs-text value", in: "HTTP/1.1 200 OK\r\nX-Name: caf\xe9\r\ncontent-length: 0\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("X-Name: caf\xe9", "content-length: 0"), ka: true},
	{name: "header empty name", in: "HTTP/1.1 200 OK\r\n: x\r\n\r\n", kind: ParseHeaderToken},
	{name: "header name space", in: "HTTP/1.1 200 OK\r\nX Y: x\r\n\r\n", kind: ParseHeaderToken},
	{name: "header value ctl", in: "HTTP/1.1 200 OK\r\nX: a\x00b\r\n\r\n", kind: ParseHeaderToken},
	{name: "header value bare cr", in: "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", kind: ParseHeaderToken},
	{name: "head end bare cr", in: "HTTP/1.1 200 OK\r\nX: a\r\n\rX", kind: ParseHeaderToken},
	{name: "max headers custom", in: "HTTP/1.1 200 OK\r\na: 1\r\nb: 2\r\n\r\n", maxHeaders: 2,
		status: 200, reason: "OK", version: HTTP11, headers: respLines("a: 1", "b: 2"), decode: LengthCloseDelimited, ka: true},
	{name: "too many headers", in: "HTTP/1.1 200 OK\r\na: 1\r\nb: 2\r\nc: 3\r\n\r\n", maxHeaders: 2, kind: ParseTooLarge},

	// framing
	{name: "content-length list", in: "HTTP/1.1 200 OK\r\ncontent-length: 5, 5\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("content-length: 5, 5"), decode: 5, ka: true},
	{name: "content-length list differ", in: "HTTP/1.1 200 OK\r\ncontent-length: 5, 6\r\n\r\n", kind: ParseContentLengthInvalid},
	{name: "content-length empty", in: "HTTP/1.1 200 OK\r\ncontent-length:\r\n\r\n", kind: ParseContentLengthInvalid},
	{name: "content-length obs-text", in: "HTTP/1.1 200 OK\r\ncontent-length: 5\xff\r\n\r\n", kind: ParseContentLengthInvalid},
	{name: "content-length overflow", in: "HTTP/1.1 200 OK\r\ncontent-length: 18446744073709551616\r\n\r\n", kind: ParseContentLengthInvalid},
	{name: "content-length max", in: "HTTP/1.1 200 OK\r\ncontent-length: 18446744073709551613\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("content-length: 18446744073709551613"), decode: LengthMax, ka: true},
	{name: "content-length reserved", in: "HTTP/1.1 200 OK\r\ncontent-length: 18446744073709551614\r\n\r\n", kind: ParseTooLarge},
	{name: "te wins over invalid content-length", in: "HTTP/1.1 200 OK\r\ncontent-length: bogus\r\ntransfer-encoding: chunked\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("content-length: bogus", "transfer-encoding: chunked"),
		decode: LengthChunked, ka: true},
	{name: "last te field decides", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("Transfer-Encoding: chunked", "Transfer-Encoding: gzip"),
		decode: LengthCloseDelimited, ka: true},
	{name: "gzip chunked", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("Transfer-Encoding: gzip, Chunked"), decode: LengthChunked, ka: true},
	{name: "head ignores http10 te", in: "HTTP/1.0 200 OK\r\ntransfer-encoding: chunked\r\n\r\n", method: MethodHead,
		status: 200, reason: "OK", version: HTTP10, headers: respLines("transfer-encoding: chunked"), decode: LengthZero},
	{name: "204 ignores content-length", in: "HTTP/1.1 204 No Content\r\ncontent-length: 5\r\n\r\n",
		status: 204, reason: "No Content", version: HTTP11, headers: respLines("content-length: 5"), decode: LengthZero, ka: true},
	{name: "304 ignores invalid content-length", in: "HTTP/1.1 304 Not Modified\r\ncontent-length: x\r\n\r\n",
		status: 304, reason: "Not Modified", version: HTTP11, headers: respLines("content-length: x"), decode: LengthZero, ka: true},
	{name: "1xx ignores http10 te", in: "HTTP/1.0 102 Processing\r\ntransfer-encoding: chunked\r\n\r\n",
		status: 102, reason: "Processing", version: HTTP10, headers: respLines("transfer-encoding: chunked"), info: true},
	{name: "199 ignored", in: "HTTP/1.1 199\r\n\r\n", status: 199, version: HTTP11, info: true},
	{name: "unknown method", in: "HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\n", noMethod: true,
		status: 200, reason: "OK", version: HTTP11, headers: respLines("content-length: 3"), decode: 3, ka: true},
	{name: "post", in: "HTTP/1.1 201 Created\r\ncontent-length: 3\r\n\r\n", method: MethodPost,
		status: 201, reason: "Created", version: HTTP11, headers: respLines("content-length: 3"), decode: 3, ka: true},

	// keep-alive and upgrades
	{name: "close then keep-alive", in: "HTTP/1.1 200 OK\r\nConnection: close\r\nConnection: keep-alive\r\ncontent-length: 0\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("Connection: close", "Connection: keep-alive", "content-length: 0"), ka: true},
	{name: "keep-alive then close", in: "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: CLOSE\r\ncontent-length: 0\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("Connection: keep-alive", "Connection: CLOSE", "content-length: 0")},
	{name: "http10 keep-alive then nothing", in: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nConnection: x\r\ncontent-length: 0\r\n\r\n",
		status: 200, reason: "OK", version: HTTP10, headers: respLines("Connection: keep-alive", "Connection: x", "content-length: 0"), ka: true},
	{name: "101 on http10", in: "HTTP/1.0 101 Switching Protocols\r\n\r\n",
		status: 101, reason: "Switching Protocols", version: HTTP10, decode: LengthZero, upgrade: true},
	{name: "101 to head", in: "HTTP/1.1 101 Switching Protocols\r\n\r\n", method: MethodHead,
		status: 101, reason: "Switching Protocols", version: HTTP11, decode: LengthZero, upgrade: true},
	{name: "upgrade field on 200 is not an upgrade", in: "HTTP/1.1 200 OK\r\nUpgrade: websocket\r\ncontent-length: 0\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines("Upgrade: websocket", "content-length: 0"), ka: true},
	{name: "connect 299", in: "HTTP/1.1 299 Whatever\r\ncontent-length: 5\r\n\r\n", method: MethodConnect,
		status: 299, reason: "Whatever", version: HTTP11, headers: respLines("content-length: 5"), decode: LengthZero, upgrade: true},
	{name: "connect 300", in: "HTTP/1.1 300 Multiple Choices\r\ncontent-length: 5\r\n\r\n", method: MethodConnect,
		status: 300, reason: "Multiple Choices", version: HTTP11, headers: respLines("content-length: 5"), decode: 5, ka: true},
	{name: "connect 204", in: "HTTP/1.1 204 No Content\r\n\r\n", method: MethodConnect,
		status: 204, reason: "No Content", version: HTTP11, decode: LengthZero, ka: true},
}

func TestParseResponseCases(t *testing.T) {
	for _, tc := range respParseCases {
		t.Run(tc.name, func(t *testing.T) { runRespParseCase(t, tc) })
	}
}

// runRespParseCase parses tc.in whole, then every prefix of it, then with
// the start of another response appended.
func runRespParseCase(t *testing.T, tc respParseCase) {
	t.Helper()
	ctx := responseParseContext{maxHeaders: tc.maxHeaders, reqMethod: tc.method}
	if ctx.reqMethod == "" && !tc.noMethod {
		ctx.reqMethod = MethodGet
	}
	in := []byte(tc.in)
	checkRespParse(t, "whole", tc, &ctx, in)

	step := 1
	if len(in) > 4096 {
		step = len(in)/300 + 1 // keep quadratic re-parsing cheap for huge heads
	}
	for k := 0; k < len(in); k += step {
		checkRespParsePrefix(t, tc, &ctx, in[:k])
	}
	checkRespParsePrefix(t, tc, &ctx, in[:len(in)-1])

	next := append(append([]byte(nil), in...), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"...)
	checkRespParse(t, "trailing", tc, &ctx, next)
}

// checkRespParsePrefix: a prefix is incomplete, or fails with the case's
// own error (a syntax error shows as soon as its byte arrives).
func checkRespParsePrefix(t *testing.T, tc respParseCase, ctx *responseParseContext, in []byte) {
	t.Helper()
	msg, n, ok, info, err := parseResponse(in, ctx)
	switch {
	case ok || info:
		t.Fatalf("prefix %q: complete (n=%d info=%v) before the head ends", in, n, info)
	case err != nil:
		if tc.kind == 0 || err.Kind != KindParse || err.Parse != tc.kind {
			t.Fatalf("prefix %q: error %v, want incomplete or %v", in, err, tc.kind)
		}
		if n != 0 {
			t.Fatalf("prefix %q: error with n=%d", in, n)
		}
	case n != 0 || msg.Head.Status != 0 || len(ctx.headers) != 0:
		t.Fatalf("prefix %q: incomplete with n=%d msg=%+v", in, n, msg)
	}
}

func checkRespParse(t *testing.T, phase string, tc respParseCase, ctx *responseParseContext, in []byte) {
	t.Helper()
	msg, n, ok, info, err := parseResponse(in, ctx)
	if tc.kind != 0 {
		if ok || info || err == nil || err.Kind != KindParse || err.Parse != tc.kind {
			t.Fatalf("%s: ok=%v info=%v err=%v, want parse error %v", phase, ok, info, err, tc.kind)
		}
		if n != 0 || len(ctx.headers) != 0 {
			t.Fatalf("%s: error with n=%d headers=%d", phase, n, len(ctx.headers))
		}
		return
	}
	if err != nil || ok == tc.info || info != tc.info {
		t.Fatalf("%s: ok=%v info=%v err=%v, want info=%v", phase, ok, info, err, tc.info)
	}
	want := tc.consumed
	if want == 0 {
		want = len(tc.in)
	}
	if n != want {
		t.Fatalf("%s: n=%d want %d", phase, n, want)
	}
	h := msg.Head
	if h.Status != tc.status || h.Reason != tc.reason || h.Version != tc.version {
		t.Fatalf("%s: status line %d %q %v, want %d %q %v", phase, h.Status, h.Reason, h.Version, tc.status, tc.reason, tc.version)
	}
	var got []string
	for _, f := range h.Headers {
		got = append(got, string(f.Name)+": "+string(f.Value))
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.headers) {
		t.Fatalf("%s: headers %q, want %q", phase, got, tc.headers)
	}
	if msg.Decode != tc.decode || msg.KeepAlive != tc.ka || msg.WantsUpgrade != tc.upgrade {
		t.Fatalf("%s: decode=%v ka=%v upgrade=%v, want %v %v %v", phase,
			msg.Decode, msg.KeepAlive, msg.WantsUpgrade, tc.decode, tc.ka, tc.upgrade)
	}
}

func TestParseResponseManyHeaders(t *testing.T) {
	gen := func(n int) string {
		var b strings.Builder
		b.WriteString("HTTP/1.1 200 OK\r\n")
		for i := range n {
			fmt.Fprintf(&b, "key%d: val%d\r\n", i, i)
		}
		b.WriteString("\r\n")
		return b.String()
	}
	ok := func(n, maxHeaders int) respParseCase {
		tc := respParseCase{name: fmt.Sprint(n), in: gen(n), maxHeaders: maxHeaders, status: 200, reason: "OK",
			version: HTTP11, decode: LengthCloseDelimited, ka: true}
		for i := range n {
			tc.headers = append(tc.headers, fmt.Sprintf("key%d: val%d", i, i))
		}
		return tc
	}
	// hyper: parse_too_large_headers, for responses.
	for _, n := range []int{0, 1, 50, 99, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) { runRespParseCase(t, ok(n, 0)) })
	}
	for _, n := range []int{101, 102, 200} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			runRespParseCase(t, respParseCase{in: gen(n), kind: ParseTooLarge})
		})
	}
	t.Run("max 200", func(t *testing.T) { runRespParseCase(t, ok(200, 200)) })
	t.Run("max 200 exceeded", func(t *testing.T) {
		runRespParseCase(t, respParseCase{in: gen(201), maxHeaders: 200, kind: ParseTooLarge})
	})
}

func TestParseResponseLongHeaderName(t *testing.T) {
	name := strings.Repeat("n", maxHeaderNameLen)
	runRespParseCase(t, respParseCase{in: "HTTP/1.1 200 OK\r\n" + name + ": v\r\n\r\n",
		status: 200, reason: "OK", version: HTTP11, headers: respLines(name + ": v"), decode: LengthCloseDelimited, ka: true})
	runRespParseCase(t, respParseCase{in: "HTTP/1.1 200 OK\r\n" + name + "n: v\r\n\r\n", kind: ParseTooLarge})
	// hyper checks the status code first.
	runRespParseCase(t, respParseCase{in: "HTTP/1.1 042 OK\r\n" + name + "n: v\r\n\r\n", kind: ParseStatus})
}

func TestParseResponseEmpty(t *testing.T) {
	var ctx responseParseContext
	if _, n, ok, info, err := parseResponse(nil, &ctx); ok || info || err != nil || n != 0 {
		t.Fatalf("empty: n=%d ok=%v info=%v err=%v", n, ok, info, err)
	}
}

// hyper's Client::parse loops over informational heads in one buffer; the
// caller here consumes each one and parses again.
func TestParseResponseInformationalThenFinal(t *testing.T) {
	const (
		cont  = "HTTP/1.1 100 Continue\r\n\r\n"
		hints = "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
		final = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n"
	)
	buf := []byte(cont + hints + final + "hello")
	ctx := responseParseContext{reqMethod: MethodPost}
	var statuses []int
	for {
		msg, n, ok, info, err := parseResponse(buf, &ctx)
		if err != nil {
			t.Fatal(err)
		}
		statuses = append(statuses, msg.Head.Status)
		if !info {
			if !ok || n != len(final) || msg.Decode != 5 || !msg.KeepAlive {
				t.Fatalf("final: ok=%v n=%d msg=%+v", ok, n, msg)
			}
			buf = buf[n:]
			break
		}
		if ok || n == 0 {
			t.Fatalf("informational: ok=%v n=%d", ok, n)
		}
		if msg.Head.Status == 103 && (len(msg.Head.Headers) != 1 || string(msg.Head.Headers[0].Name) != "Link") {
			t.Fatalf("103 headers: %+v", msg.Head.Headers)
		}
		buf = buf[n:]
	}
	if fmt.Sprint(statuses) != "[100 103 200]" || string(buf) != "hello" {
		t.Fatalf("statuses %v, rest %q", statuses, buf)
	}

	// An informational head alone: once consumed, nothing is left.
	buf = []byte(cont)
	_, n, ok, info, err := parseResponse(buf, &ctx)
	if ok || !info || err != nil || n != len(cont) {
		t.Fatalf("alone: n=%d ok=%v info=%v err=%v", n, ok, info, err)
	}
	if _, n, ok, info, err := parseResponse(buf[n:], &ctx); ok || info || err != nil || n != 0 {
		t.Fatalf("after: n=%d ok=%v info=%v err=%v", n, ok, info, err)
	}
	// The final head may still be arriving.
	buf = []byte(cont + "HTTP/1.1 2")
	_, n, _, info, _ = parseResponse(buf, &ctx)
	if !info {
		t.Fatal("100 not reported")
	}
	if _, n2, ok, info, err := parseResponse(buf[n:], &ctx); ok || info || err != nil || n2 != 0 {
		t.Fatalf("partial final: n=%d ok=%v info=%v err=%v", n2, ok, info, err)
	}
}

// The head must survive the read buffer being reused.
func TestParseResponseCopiesHead(t *testing.T) {
	var ctx responseParseContext
	buf := []byte("HTTP/1.1 200 Very OK\r\nServer: example\r\nContent-Length: 3\r\n\r\nabc")
	msg, n, ok, _, err := parseResponse(buf, &ctx)
	if !ok || err != nil || n != len(buf)-3 {
		t.Fatalf("n=%d ok=%v err=%v", n, ok, err)
	}
	for i := range buf {
		buf[i] = 'X'
	}
	if msg.Head.Reason != "Very OK" || string(msg.Head.Headers[0].Name) != "Server" ||
		string(msg.Head.Headers[0].Value) != "example" || string(msg.Head.Headers[1].Value) != "3" {
		t.Fatalf("head changed with the buffer: %+v", msg.Head)
	}
	_ = append(msg.Head.Headers[0].Value, "!!!"...)
	if string(msg.Head.Headers[1].Name) != "Content-Length" {
		t.Fatalf("value slice not capped: %q", msg.Head.Headers[1].Name)
	}
}

// A failed parse must not leave the previous head's fields behind.
func TestParseResponseErrorResetsHeaders(t *testing.T) {
	var ctx responseParseContext
	if _, _, ok, _, _ := parseResponse([]byte("HTTP/1.1 200 OK\r\nA: b\r\n\r\n"), &ctx); !ok {
		t.Fatal("first parse failed")
	}
	for _, in := range []string{
		"HTTP/1.1 200 OK\r\nA: b\r\nB c\r\n\r\n",
		"HTTP/1.1 200 OK\r\nA: b\r\ncontent-length: x\r\n\r\n",
		"HTTP/1.1 050 OK\r\nA: b\r\n\r\n",
	} {
		if _, _, _, _, err := parseResponse([]byte(in), &ctx); err == nil {
			t.Fatalf("%q: want error", in)
		}
		if len(ctx.headers) != 0 {
			t.Fatalf("%q: headers left: %d", in, len(ctx.headers))
		}
	}
}

func TestParseResponseNoAllocs(t *testing.T) {
	resps := []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
		"HTTP/1.1 404 Not Found\r\nServer: x\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\nDate: now\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\n",
		"HTTP/1.0 200\r\n\r\n",
	}
	for _, r := range resps {
		ctx := responseParseContext{reqMethod: MethodGet}
		buf := []byte(r)
		parseResponse(buf, &ctx) // grow the arena and the headers once
		allocs := testing.AllocsPerRun(200, func() {
			if _, _, ok, info, _ := parseResponse(buf, &ctx); !ok && !info {
				t.Fatal("parse failed")
			}
		})
		if allocs != 0 {
			t.Errorf("%q: %v allocs/op", r, allocs)
		}
	}
}

func BenchmarkParseResponse(b *testing.B) {
	buf := []byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\n")
	ctx := responseParseContext{reqMethod: MethodGet}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok, _, _ := parseResponse(buf, &ctx); !ok {
			b.Fatal("parse failed")
		}
	}
}

// ---- encodeRequest ----

// reqEncodeCase is one request head and the exact bytes hyper's client
// writes for it.
type reqEncodeCase struct {
	name    string
	method  string
	uri     string
	version Version
	headers []Header
	body    *BodyLength
	title   bool
	want    string
	encoder string // Encoder.String()
	// trailers declared to a chunked encoder, lowercased, each followed
	// by ','
	trailers string
	// serverRefuses: hyper sends the user's framing fields as they are,
	// and a server's parser refuses them.
	serverRefuses bool
}

func reqHeaders(kv ...string) []Header {
	var out []Header
	for i := 0; i < len(kv); i += 2 {
		out = append(out, Header{Name: []byte(kv[i]), Value: []byte(kv[i+1])})
	}
	return out
}

func reqKnown(n uint64) *BodyLength { return &BodyLength{Known: true, N: n} }

var reqUnknown = &BodyLength{}

var reqEncodeCases = []reqEncodeCase{
	{name: "get no body", method: MethodGet, uri: "/",
		want: "GET / HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "get with host", method: MethodGet, uri: "/index.html", headers: reqHeaders("Host", "example.com"),
		want: "GET /index.html HTTP/1.1\r\nhost: example.com\r\n\r\n", encoder: "Length(0)"},
	{name: "default head", want: "GET / HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "post known", method: MethodPost, uri: "/submit", headers: reqHeaders("Host", "x"), body: reqKnown(5),
		want: "POST /submit HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\n\r\n", encoder: "Length(5)"},
	{name: "post known zero", method: MethodPost, uri: "/", body: reqKnown(0),
		want: "POST / HTTP/1.1\r\ncontent-length: 0\r\n\r\n", encoder: "Length(0)"},
	{name: "post unknown", method: MethodPost, uri: "/", headers: reqHeaders("Host", "x"), body: reqUnknown,
		want: "POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n", encoder: "Chunked"},
	{name: "put unknown", method: MethodPut, uri: "/", body: reqUnknown,
		want: "PUT / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n", encoder: "Chunked"},
	{name: "extension method unknown", method: "PURGE", uri: "/c", body: reqUnknown,
		want: "PURGE /c HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n", encoder: "Chunked"},
	{name: "get unknown has no body", method: MethodGet, uri: "/", body: reqUnknown,
		want: "GET / HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "head unknown has no body", method: MethodHead, uri: "/", body: reqUnknown,
		want: "HEAD / HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "connect unknown has no body", method: MethodConnect, uri: "example.com:443", body: reqUnknown,
		headers: reqHeaders("Host", "example.com:443"),
		want:    "CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n", encoder: "Length(0)"},
	{name: "head known", method: MethodHead, uri: "/", body: reqKnown(3),
		want: "HEAD / HTTP/1.1\r\ncontent-length: 3\r\n\r\n", encoder: "Length(3)"},
	{name: "get known", method: MethodGet, uri: "/", body: reqKnown(2),
		want: "GET / HTTP/1.1\r\ncontent-length: 2\r\n\r\n", encoder: "Length(2)"},
	{name: "delete unknown is chunked", method: MethodDelete, uri: "/x", body: reqUnknown,
		want: "DELETE /x HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n", encoder: "Chunked"},

	// user framing fields
	{name: "user content-length kept", method: MethodPost, uri: "/", body: reqKnown(5),
		headers: reqHeaders("Content-Length", "5", "Host", "x"),
		want:    "POST / HTTP/1.1\r\ncontent-length: 5\r\nhost: x\r\n\r\n", encoder: "Length(5)"},
	{name: "user content-length wins over known", method: MethodPost, uri: "/", body: reqKnown(5),
		headers: reqHeaders("Content-Length", "7"),
		want:    "POST / HTTP/1.1\r\ncontent-length: 7\r\n\r\n", encoder: "Length(7)"},
	{name: "user content-length with unknown body", method: MethodPost, uri: "/", body: reqUnknown,
		headers: reqHeaders("content-length", "9"),
		want:    "POST / HTTP/1.1\r\ncontent-length: 9\r\n\r\n", encoder: "Length(9)"},
	{name: "user content-length with get unknown", method: MethodGet, uri: "/", body: reqUnknown,
		headers: reqHeaders("content-length", "9"),
		want:    "GET / HTTP/1.1\r\ncontent-length: 9\r\n\r\n", encoder: "Length(9)"},
	{name: "user content-length list", serverRefuses: true, method: MethodPost, uri: "/", body: reqUnknown,
		headers: reqHeaders("content-length", "4, 4", "content-length", "4"),
		want:    "POST / HTTP/1.1\r\ncontent-length: 4, 4\r\ncontent-length: 4\r\n\r\n", encoder: "Length(4)"},
	{name: "user invalid content-length replaced in place", method: MethodPost, uri: "/", body: reqKnown(3),
		headers: reqHeaders("content-length", "x", "Host", "h", "Content-Length", "y"),
		want:    "POST / HTTP/1.1\r\ncontent-length: 3\r\nhost: h\r\n\r\n", encoder: "Length(3)"},
	{name: "user differing content-lengths replaced", method: MethodPost, uri: "/", body: reqKnown(3),
		headers: reqHeaders("content-length", "1", "content-length", "2"),
		want:    "POST / HTTP/1.1\r\ncontent-length: 3\r\n\r\n", encoder: "Length(3)"},
	{name: "user invalid content-length kept with unknown", serverRefuses: true, method: MethodPost, uri: "/", body: reqUnknown,
		headers: reqHeaders("content-length", "x"),
		want:    "POST / HTTP/1.1\r\ncontent-length: x\r\ntransfer-encoding: chunked\r\n\r\n", encoder: "Chunked"},
	{name: "user invalid content-length kept with get unknown", serverRefuses: true, method: MethodGet, uri: "/", body: reqUnknown,
		headers: reqHeaders("content-length", "x"),
		want:    "GET / HTTP/1.1\r\ncontent-length: x\r\n\r\n", encoder: "Length(0)"},
	{name: "user te chunked", method: MethodPost, uri: "/", body: reqKnown(5),
		headers: reqHeaders("Transfer-Encoding", "chunked"),
		want:    "POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n", encoder: "Chunked"},
	{name: "user te gzip gets chunked", method: MethodPost, uri: "/", body: reqUnknown,
		headers: reqHeaders("Transfer-Encoding", "gzip"),
		want:    "POST / HTTP/1.1\r\ntransfer-encoding: gzip, chunked\r\n\r\n", encoder: "Chunked"},
	{name: "user te on get", method: MethodGet, uri: "/", body: reqUnknown,
		headers: reqHeaders("Transfer-Encoding", "chunked"),
		want:    "GET / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n", encoder: "Chunked"},
	{name: "user te values, last gets chunked", method: MethodPost, uri: "/", body: reqUnknown,
		headers: reqHeaders("transfer-encoding", "chunked", "X", "1", "Transfer-Encoding", "gzip"),
		want:    "POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\ntransfer-encoding: gzip, chunked\r\nx: 1\r\n\r\n", encoder: "Chunked"},
	{name: "user te removes valid content-length with swap", method: MethodPost, uri: "/", body: reqKnown(5),
		headers: reqHeaders("Content-Length", "5", "A", "1", "B", "2", "Transfer-Encoding", "chunked"),
		want:    "POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\na: 1\r\nb: 2\r\n\r\n", encoder: "Chunked"},
	{name: "user te removes last content-length", method: MethodPost, uri: "/", body: reqUnknown,
		headers: reqHeaders("Transfer-Encoding", "chunked", "A", "1", "content-length", "5", "content-length", "5"),
		want:    "POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\na: 1\r\n\r\n", encoder: "Chunked"},
	{name: "user te keeps invalid content-length", serverRefuses: true, method: MethodPost, uri: "/", body: reqUnknown,
		headers: reqHeaders("content-length", "nope", "Transfer-Encoding", "chunked"),
		want:    "POST / HTTP/1.1\r\ncontent-length: nope\r\ntransfer-encoding: chunked\r\n\r\n", encoder: "Chunked"},
	{name: "no body removes te with swap", method: MethodPost, uri: "/",
		headers: reqHeaders("Transfer-Encoding", "chunked", "A", "1", "transfer-encoding", "gzip", "B", "2", "C", "3"),
		want:    "POST / HTTP/1.1\r\nc: 3\r\na: 1\r\nb: 2\r\n\r\n", encoder: "Length(0)"},
	{name: "no body keeps content-length", method: MethodPost, uri: "/",
		headers: reqHeaders("Content-Length", "5"),
		want:    "POST / HTTP/1.1\r\ncontent-length: 5\r\n\r\n", encoder: "Length(0)"},

	// HTTP/1.0
	{name: "http10 known", method: MethodPost, uri: "/", version: HTTP10, body: reqKnown(4),
		headers: reqHeaders("Host", "x"),
		want:    "POST / HTTP/1.0\r\nhost: x\r\ncontent-length: 4\r\n\r\n", encoder: "Length(4)"},
	{name: "http10 unknown has no body", method: MethodPost, uri: "/", version: HTTP10, body: reqUnknown,
		want: "POST / HTTP/1.0\r\n\r\n", encoder: "Length(0)"},
	{name: "http10 te removed", method: MethodPost, uri: "/", version: HTTP10, body: reqUnknown,
		headers: reqHeaders("Transfer-Encoding", "chunked", "Host", "x", "Accept", "*/*"),
		want:    "POST / HTTP/1.0\r\naccept: */*\r\nhost: x\r\n\r\n", encoder: "Length(0)"},
	{name: "http10 te removed then content-length appended", method: MethodPost, uri: "/", version: HTTP10, body: reqKnown(2),
		headers: reqHeaders("Host", "x", "Transfer-Encoding", "chunked", "Accept", "*/*"),
		want:    "POST / HTTP/1.0\r\nhost: x\r\naccept: */*\r\ncontent-length: 2\r\n\r\n", encoder: "Length(2)"},
	{name: "http10 invalid content-length replaced after swap", method: MethodPost, uri: "/", version: HTTP10, body: reqKnown(5),
		headers: reqHeaders("Transfer-Encoding", "gzip", "X", "1", "Content-Length", "bad"),
		want:    "POST / HTTP/1.0\r\ncontent-length: 5\r\nx: 1\r\n\r\n", encoder: "Length(5)"},
	{name: "http10 user content-length", method: MethodPost, uri: "/", version: HTTP10, body: reqUnknown,
		headers: reqHeaders("Content-Length", "6"),
		want:    "POST / HTTP/1.0\r\ncontent-length: 6\r\n\r\n", encoder: "Length(6)"},
	{name: "http10 get", method: MethodGet, uri: "/", version: HTTP10,
		want: "GET / HTTP/1.0\r\n\r\n", encoder: "Length(0)"},

	// names and order
	{name: "host kept in place, names grouped", method: MethodGet, uri: "/",
		headers: reqHeaders("Accept", "a", "HOST", "example.com", "accept", "b", "X-Empty", ""),
		want:    "GET / HTTP/1.1\r\naccept: a\r\naccept: b\r\nhost: example.com\r\nx-empty: \r\n\r\n", encoder: "Length(0)"},
	// hyper: test_client_request_encode_title_case
	{name: "title case", method: MethodGet, uri: "/", body: reqKnown(10), title: true,
		headers: reqHeaders("content-length", "10", "content-type", "application/json", "*-*", "o_o"),
		want:    "GET / HTTP/1.1\r\nContent-Length: 10\r\nContent-Type: application/json\r\n*-*: o_o\r\n\r\n", encoder: "Length(10)"},
	{name: "title case own fields", method: MethodPost, uri: "/", body: reqUnknown, title: true,
		headers: reqHeaders("X-LOUD", "1", "weird--header", "w"),
		want:    "POST / HTTP/1.1\r\nX-Loud: 1\r\nWeird--Header: w\r\nTransfer-Encoding: chunked\r\n\r\n", encoder: "Chunked"},
	{name: "title case content-length", method: MethodPut, uri: "/", body: reqKnown(1), title: true,
		want: "PUT / HTTP/1.1\r\nContent-Length: 1\r\n\r\n", encoder: "Length(1)"},

	// trailers
	{name: "trailer declared", method: MethodPost, uri: "/", body: reqUnknown,
		headers: reqHeaders("Trailer", "X-Sum, bad name", "trailer", "x-other"),
		want:    "POST / HTTP/1.1\r\ntrailer: X-Sum, bad name\r\ntrailer: x-other\r\ntransfer-encoding: chunked\r\n\r\n",
		encoder: "Chunked", trailers: "x-sum,x-other,"},
	{name: "trailer with known body", method: MethodPost, uri: "/", body: reqKnown(3),
		headers: reqHeaders("Trailer", "x-sum"),
		want:    "POST / HTTP/1.1\r\ntrailer: x-sum\r\ncontent-length: 3\r\n\r\n", encoder: "Length(3)"},
	{name: "trailer with user te", method: MethodPost, uri: "/", body: reqKnown(3),
		headers: reqHeaders("Trailer", "x-sum", "Transfer-Encoding", "gzip"),
		want:    "POST / HTTP/1.1\r\ntrailer: x-sum\r\ntransfer-encoding: gzip, chunked\r\n\r\n", encoder: "Chunked", trailers: "x-sum,"},

	// the request-target as http::Uri displays it
	{name: "empty uri", method: MethodGet, want: "GET / HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "fragment dropped", method: MethodGet, uri: "/a?b=c#frag",
		want: "GET /a?b=c HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "empty query kept", method: MethodGet, uri: "/a?",
		want: "GET /a? HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "absolute form", method: MethodGet, uri: "http://example.com:8080/a?b",
		want: "GET http://example.com:8080/a?b HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "absolute without path", method: MethodGet, uri: "HTTPS://Example.com",
		want: "GET https://Example.com/ HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "absolute query without path", method: MethodGet, uri: "http://h?q=1#f",
		want: "GET http://h/?q=1 HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "absolute fragment only", method: MethodGet, uri: "http://h#f",
		want: "GET http://h/ HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "other scheme kept", method: MethodGet, uri: "WS://h",
		want: "GET WS://h/ HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "asterisk", method: MethodOptions, uri: "*",
		want: "OPTIONS * HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
	{name: "authority form", method: MethodConnect, uri: "[::1]:443",
		want: "CONNECT [::1]:443 HTTP/1.1\r\n\r\n", encoder: "Length(0)"},
}

func TestEncodeRequestGolden(t *testing.T) {
	for _, tc := range reqEncodeCases {
		t.Run(tc.name, func(t *testing.T) {
			const prefix = "previous bytes|"
			dst := []byte(prefix)
			head := &RequestHead{Method: tc.method, URI: []byte(tc.uri), Version: tc.version, Headers: tc.headers}
			before := fmt.Sprintf("%+v", *head)
			enc, err := encodeRequest(&requestEncodeContext{head: head, body: tc.body, titleCase: tc.title}, &dst)
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if after := fmt.Sprintf("%+v", *head); after != before {
				t.Fatalf("head modified: %s -> %s", before, after)
			}
			if string(dst) != prefix+tc.want {
				t.Fatalf("bytes\n got %q\nwant %q", dst[len(prefix):], tc.want)
			}
			if enc.String() != tc.encoder || enc.isLast() {
				t.Fatalf("encoder %v last=%v, want %v", enc, enc.isLast(), tc.encoder)
			}
			if string(enc.trailerFields) != tc.trailers {
				t.Fatalf("trailer fields %q, want %q", enc.trailerFields, tc.trailers)
			}
		})
	}
}

// A request encoded here parses back, with the server's parser, into the
// same fields and the framing the encoder chose.
func TestEncodeRequestParsesBack(t *testing.T) {
	for _, tc := range reqEncodeCases {
		if tc.uri == "" || tc.method == "" {
			continue
		}
		var dst []byte
		head := &RequestHead{Method: tc.method, URI: []byte(tc.uri), Version: tc.version, Headers: tc.headers}
		enc, _ := encodeRequest(&requestEncodeContext{head: head, body: tc.body, titleCase: tc.title}, &dst)
		var ctx parseContext
		msg, n, ok, err := parseRequest(dst, &ctx)
		if tc.serverRefuses {
			if err == nil {
				t.Errorf("%s: server accepts %q", tc.name, dst)
			}
			continue
		}
		if err != nil || !ok || n != len(dst) {
			t.Errorf("%s: parse back: ok=%v n=%d err=%v (%q)", tc.name, ok, n, err, dst)
			continue
		}
		switch {
		case enc.isChunked():
			if msg.Decode != LengthChunked {
				t.Errorf("%s: server decodes %v, encoder %v", tc.name, msg.Decode, enc)
			}
		case tc.body == nil:
			// No body: the encoder writes nothing, whatever a user
			// Content-Length says.
		case msg.Decode != DecodedLength(enc.remaining):
			t.Errorf("%s: server decodes %v, encoder %v", tc.name, msg.Decode, enc)
		}
	}
}

func TestEncodeRequestNoAllocs(t *testing.T) {
	cases := []requestEncodeContext{
		{head: &RequestHead{Method: MethodGet, URI: []byte("/"), Headers: reqHeaders("Host", "example.com", "Accept", "*/*")}},
		{head: &RequestHead{Method: MethodPost, URI: []byte("/submit"), Headers: reqHeaders("Host", "x")}, body: reqKnown(12)},
		{head: &RequestHead{Method: MethodPost, URI: []byte("/up"), Headers: reqHeaders("Host", "x")}, body: reqUnknown, titleCase: true},
		{head: &RequestHead{Method: MethodPost, URI: []byte("http://h"), Version: HTTP10,
			Headers: reqHeaders("Transfer-Encoding", "chunked", "Host", "x")}, body: reqKnown(3)},
		{head: &RequestHead{Method: MethodPost, URI: []byte("/"),
			Headers: reqHeaders("Content-Length", "3", "Host", "x", "Transfer-Encoding", "gzip")}, body: reqUnknown},
	}
	dst := make([]byte, 0, 512)
	for i := range cases {
		ctx := &cases[i]
		allocs := testing.AllocsPerRun(200, func() {
			dst = dst[:0]
			if _, err := encodeRequest(ctx, &dst); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("case %d: %v allocs/op", i, allocs)
		}
	}
}

func BenchmarkEncodeRequest(b *testing.B) {
	ctx := &requestEncodeContext{head: &RequestHead{Method: MethodGet, URI: []byte("/"),
		Headers: reqHeaders("Host", "example.com", "Accept", "*/*")}}
	dst := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		dst = dst[:0]
		if _, err := encodeRequest(ctx, &dst); err != nil {
			b.Fatal(err)
		}
	}
}
