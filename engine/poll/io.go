package poll

// IOResult is what a read or write returns when ready: N bytes moved, or an
// error. A read with N == 0 and no error is end of file.
type IOResult struct {
	N   int
	Err error
}

// IO is an asynchronous byte stream, the Go shape of hyper's rt::Read and
// rt::Write. Every method either makes progress or registers the task's
// waker and returns Pending.
type IO interface {
	PollRead(cx *Context, p []byte) Poll[IOResult]
	PollWrite(cx *Context, p []byte) Poll[IOResult]
	PollFlush(cx *Context) Poll[error]
	PollShutdown(cx *Context) Poll[error]
}
