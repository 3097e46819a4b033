// Package engine is the root of connlab's HTTP/1.1 connection engine: a Go
// re-implementation of the design of hyper's proto/h1 (the Conn state machine
// and the Dispatcher poll loop) that can be stepped one poll at a time.
//
// This package holds no code; its tests guard the rules every package under
// engine/ follows, so that the same session input gives a byte-identical
// transcript and trace natively, under js/wasm in a browser, and in a Worker:
//
//   - Pure Go. No syscall/js (only wasm/ touches the browser), no net and no
//     net/http: bytes move through the in-memory duplex in engine/duplex.
//     TestEngineDeps checks `go list -deps ./engine/...`.
//   - No goroutines. Concurrency is the poll model: tasks, wakers and the
//     deterministic Executor in engine/poll. TestEnginePurity rejects any
//     `go` statement.
//   - No wall clock. Time is the virtual Clock in engine/poll, moved only by
//     Clock.Advance; timers fire only then. TestEnginePurity rejects time.Now,
//     time.Since, time.Until and the runtime timers (time.Sleep, time.After,
//     time.AfterFunc, time.NewTimer, time.NewTicker, time.Tick).
//   - No global randomness: no math/rand, math/rand/v2 or crypto/rand import.
//     Anything random comes in from outside as a seed.
//   - Dependencies point one way. engine/ imports nothing of wasm/ or site/,
//     and each engine package imports only the engine packages below it in
//     one table (layers in layering_test.go: trace, poll, duplex, body, h1,
//     jsontext, program, services, session, timeline, scenarios, then the
//     commands). TestLayering reads every file's imports, whatever its build
//     tags, and names the file that breaks the table.
//
// Two exceptions, both for measuring rather than behaving: a command
// (package main, such as engine/cmd/connlab) may read the wall clock to time
// a benchmark, and so may a line marked with a `//connlab:wallclock` comment
// (on the line itself or the line above) whose result never reaches the
// engine's state. Tests (_test.go files) are not checked.
package engine
