package h1

import (
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/trace"
)

// TestNoteFormatting pins the Rust Debug/Display renderings the notes use
// against strings hyper's trace prints (from the recorded traces).
func TestNoteFormatting(t *testing.T) {
	d := newDecoder(LengthChunked, 0)
	d.state, d.hasTrailers, d.trailersBuf = chunkedEndLf, true, []byte("T: v\r\n\r")
	if got, want := string(appendDecoderDebug(nil, &d, 0)), `Chunked { state: EndLf, chunk_len: 0, extensions_cnt: 0, trailers_buf: Some(b"T: v\r\n\r"), trailers_cnt: 0, h1_max_headers: None, h1_max_header_size: None }`; got != want {
		t.Errorf("decoder\n got %s\nwant %s", got, want)
	}
	s := State{reading: ReadingClosed, writing: WritingClosed, keepAlive: KADisabled, err: newParse(ParseHeaderToken), allowHalfClose: true}
	if got, want := string(s.appendStateDebug(nil)), `State { reading: Closed, writing: Closed, keep_alive: Disabled, error: hyper::Error(Parse(Header(Token))), allow_half_close: true }`; got != want {
		t.Errorf("state\n got %s\nwant %s", got, want)
	}
	s = State{reading: ReadingContinue, decoder: newDecoder(5, 0), writing: WritingBody, encoder: newLengthEncoder(3), keepAlive: KABusy}
	if got, want := string(s.appendStateDebug(nil)), `State { reading: Continue(Length(5)), writing: Body(Encoder { kind: Length(3), is_last: false }), keep_alive: Busy }`; got != want {
		t.Errorf("state\n got %s\nwant %s", got, want)
	}
	if got := string(appendBodyLengthDebug(nil, &BodyLength{Known: true, N: 5})); got != "Some(Known(5))" {
		t.Errorf("body length %s", got)
	}
	if got := string(appendDecodedLength(nil, 5)); got != "content-length (5 bytes)" {
		t.Errorf("decoded length %s", got)
	}

}

// TestClientNotes pins the client's messages that no recorded case reaches
// (an HTTP/1.0 request is not an oracle op; a response with no request
// method) next to ones that do.
func TestClientNotes(t *testing.T) {
	rec := trace.New()
	notes := func() []string {
		var out []string
		for _, e := range rec.Events() {
			if e.Kind == trace.KindNote {
				out = append(out, e.Detail)
			}
		}
		rec.Reset()
		return out
	}
	var dst []byte
	head := RequestHead{Method: "POST", URI: []byte("/"), Version: HTTP10, Headers: []Header{{Name: []byte("Transfer-Encoding"), Value: []byte("chunked")}}}
	ctx := requestEncodeContext{head: &head, body: &BodyLength{Known: true, N: 3}, rec: rec}
	if _, err := encodeRequest(&ctx, &dst); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(notes(), "|"), "Client::encode method=POST, body=Some(Known(3))|removing illegal transfer-encoding header"; got != want {
		t.Errorf("HTTP/1.0 encode notes %q, want %q", got, want)
	}
	head = RequestHead{Method: "PUT", URI: []byte("/"), Headers: []Header{{Name: []byte("Transfer-Encoding"), Value: []byte("gzip")}}}
	ctx = requestEncodeContext{head: &head, body: &BodyLength{}, rec: rec}
	if _, err := encodeRequest(&ctx, &dst); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(notes(), "|"), "Client::encode method=PUT, body=Some(Unknown)|user provided transfer-encoding does not end in 'chunked'"; got != want {
		t.Errorf("TE repair notes %q, want %q", got, want)
	}
	resp := ResponseHead{Version: HTTP11, Status: 200}
	if d, _, _, _ := responseDecoder(&resp, "", rec); d != LengthCloseDelimited {
		t.Errorf("decoder %v", d)
	}
	if got, want := strings.Join(notes(), "|"), "Client::decoder is missing the Method|neither Transfer-Encoding nor Content-Length"; got != want {
		t.Errorf("decoder notes %q, want %q", got, want)
	}
}

// The notes stored as numbers (noteIncomingBody, noteServerEncode,
// noteFlushed, noteFlatten) read back exactly as the text the append
// functions write at once, for every value they pack, and fall back to
// that text for what they cannot pack.
func TestLazyNotesMatchEagerText(t *testing.T) {
	rec := trace.New()
	var want []string
	for _, d := range []DecodedLength{LengthZero, 5, LengthMax, LengthChunked, LengthCloseDelimited} {
		noteIncomingBody(rec, d)
		want = append(want, string(appendDecodedLength([]byte("incoming body is "), d)))
	}
	for _, method := range append(standardMethods[:], "BREW") {
		for _, status := range []int{0, 100, 200, 404, 999, 1000, 1<<31 - 1, 1 << 31, -1} {
			for _, body := range []*BodyLength{nil, {}, {Known: true}, {Known: true, N: 5}, {Known: true, N: 1<<64 - 1}} {
				noteServerEncode(rec, status, body, method)
				b := strconv.AppendInt([]byte("Server::encode status="), int64(status), 10)
				b = appendBodyLengthDebug(append(b, ", body="...), body)
				want = append(want, string(appendMethodDebug(append(b, ", req_method="...), method)))
			}
		}
	}
	for r := ReadingInit; r <= ReadingClosed+1; r++ {
		for w := WritingInit; w <= WritingClosed+1; w++ {
			for ka := KAIdle; ka <= KADisabled+1; ka++ {
				for _, role := range []Role{RoleServer, RoleClient} {
					for _, half := range []bool{false, true} {
						for _, err := range []*Error{nil, newParse(ParseURI)} {
							s := State{reading: r, writing: w, keepAlive: ka, role: role, allowHalfClose: half, err: err,
								decoder: newDecoder(5, 0), encoder: newLengthEncoder(3)}
							s.noteFlushed(rec)
							b := append(append(append([]byte(nil), "flushed("...), s.roleLog()...), "): "...)
							want = append(want, string(s.appendStateDebug(b)))
						}
					}
				}
			}
		}
	}
	noteFlatten(rec, 75, 5)
	want = append(want, "buffer.flatten self.len=75 buf.len=5")
	got := rec.Events()
	if len(got) != len(want) {
		t.Fatalf("%d notes, want %d", len(got), len(want))
	}
	for i, e := range got {
		if e.Kind != trace.KindNote || e.Detail != want[i] || e.N != 0 || e.Off != 0 {
			t.Errorf("note %d: %v %q N=%d Off=%d, want %q", i, e.Kind, e.Detail, e.N, e.Off, want[i])
		}
	}
}
