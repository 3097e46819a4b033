package scenarios

// Long runs of one byte for the session files that send a big request (a
// 65 535-byte target, 3000- and 8000-byte bodies). They are constants, so
// the entries that use them are constants too and the library is laid out
// by the compiler: written as strings.Repeat, they made the package's init
// build about 230 KB of session text (the runs and the texts around them)
// on every start of the browser sandbox, before its first frame, for
// scenarios it does not show then (TestInitAllocatesLittle).
const (
	a1     = "a"
	a2     = a1 + a1
	a4     = a2 + a2
	a8     = a4 + a4
	a16    = a8 + a8
	a32    = a16 + a16
	a64    = a32 + a32
	a128   = a64 + a64
	a256   = a128 + a128
	a512   = a256 + a256
	a1024  = a512 + a512
	a2048  = a1024 + a1024
	a4096  = a2048 + a2048
	a8192  = a4096 + a4096
	a16384 = a8192 + a8192
	a32768 = a16384 + a16384
	// aRun65535 is 65 535 'a's: 65 536 less one.
	aRun65535 = a32768 + a16384 + a8192 + a4096 + a2048 + a1024 + a512 + a256 + a128 + a64 + a32 + a16 + a8 + a4 + a2 + a1

	x8    = "xxxxxxxx"
	x16   = x8 + x8
	x32   = x16 + x16
	x128  = x32 + x32 + x32 + x32
	x256  = x128 + x128
	x512  = x256 + x256
	x2048 = x512 + x512 + x512 + x512
	// xRun3000 is 3000 'x's.
	xRun3000 = x2048 + x512 + x256 + x128 + x32 + x16 + x8

	u64   = "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu"
	u256  = u64 + u64 + u64 + u64
	u512  = u256 + u256
	u1024 = u512 + u512
	u2048 = u1024 + u1024
	u4096 = u2048 + u2048
	// uRun8000 is 8000 'u's.
	uRun8000 = u4096 + u2048 + u1024 + u512 + u256 + u64
)
