package ui

import "errors"

// Codec is the permalinks' raw DEFLATE (RFC 1951, no zlib or gzip
// header). Natively it is compress/flate (codec_flate.go), which is what
// the ui model's tests run; in the page the adapter sets one that calls
// the browser's own CompressionStream and DecompressionStream
// ('deflate-raw') through the loader (wasm/codec.go, site/static/connlab.js),
// so the browser's wasm carries no DEFLATE code and links no
// compress/flate (which would bring fmt, and through it reflect and os).
//
// The browser's streams answer asynchronously, and the model is
// synchronous: a Codec answers from what it has, ErrLinkPending when the
// answer is still on its way (the adapter then renders again once it has
// it). The adapter inflates a link before it hands the fragment to the
// model, so reading a link never waits.
type Codec interface {
	// Deflate returns p compressed, or ErrLinkPending.
	Deflate(p []byte) ([]byte, error)
	// Inflate returns src decompressed, ErrInflateTooLarge as soon as
	// that would exceed limit bytes, ErrLinkPending, or another error
	// when src is not DEFLATE.
	Inflate(src []byte, limit int) ([]byte, error)
}

// LinkCodec compresses and decompresses permalinks: compress/flate
// natively, set by the adapter in the page.
var LinkCodec Codec

var (
	// ErrLinkPending is a link whose compression is still under way.
	ErrLinkPending = &LinkError{Msg: "preparing the link…"}
	// ErrInflateTooLarge is returned as soon as a link's data would exceed
	// the limit once decompressed.
	ErrInflateTooLarge = errors.New("deflate: the data is larger than the limit once decompressed")
	errNoCodec         = &LinkError{Msg: "links cannot be compressed here (no DEFLATE codec)"}
)

func deflateLink(p []byte) ([]byte, error) {
	if LinkCodec == nil {
		return nil, errNoCodec
	}
	return LinkCodec.Deflate(p)
}

func inflateLink(src []byte, limit int) ([]byte, error) {
	if LinkCodec == nil {
		return nil, errNoCodec
	}
	return LinkCodec.Inflate(src, limit)
}
