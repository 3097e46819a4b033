package h1

import "testing"

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
