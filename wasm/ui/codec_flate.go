//go:build !js

package ui

import (
	"bytes"
	"compress/flate"
	"io"
)

// flateCodec is the native Codec: compress/flate, which the browser's wasm
// does not link (see codec.go).
type flateCodec struct{}

func init() { LinkCodec = flateCodec{} }

func (flateCodec) Deflate(p []byte) ([]byte, error) {
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(p); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (flateCodec) Inflate(src []byte, limit int) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(src))
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(out) > limit {
		return nil, ErrInflateTooLarge
	}
	return out, nil
}
