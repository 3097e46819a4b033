package h1

import "github.com/connlab/connlab/engine/poll"

// memRead is what readMem yields: bytes, or an error. An empty b with a nil
// err is end of file.
type memRead struct {
	b   []byte
	err error
}

// memReader is what a Decoder pulls body bytes from (hyper's MemRead,
// implemented by Buffered).
type memReader interface {
	// readMem returns up to n bytes: from the read buffer when it has any,
	// otherwise after one read from the transport. The slice is valid until
	// the next call on the reader.
	readMem(cx *poll.Context, n int) poll.Poll[memRead]
}
