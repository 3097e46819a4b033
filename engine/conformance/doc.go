// Package conformance proves connlab's engine against real hyper 1.x.
//
// testdata/server/*.json and testdata/client/*.json hold the corpus: each
// case names its source (hyper's tests/server.rs and tests/client.rs, its
// proto/h1 unit tests, h11's tests, RFC 9112 sections), the oracle's input
// and everything needed to build the equivalent connlab session. Beside
// each case file, NAME.hyper.json holds what real hyper answered (recorded
// by record.sh with the hyper1-oracle binary, date values masked), so the
// test needs no Rust: it runs every case through the engine and compares
// the bytes and the outcome with hyper's. A case where the engine differs
// carries "known_difference" saying why; the test then asserts that the
// difference is still there, so fixing the engine forces updating the case.
//
// NAME.trace.json holds hyper's own trace (RUST_LOG=hyper=trace, from the
// oracle's traced build) for every server case and every client case (the
// client's needs the oracle patched with oracle/client-trace.patch, which
// gives client-case the --hyper-trace of case). The engine's note events
// are hyper's messages with hyper's text: TestHyperTraceSequence compares,
// case by case, the sequence of notes with hyper's sequence (for a client
// case, leaving out the session runner's notes that narrate the program),
// and a case that differs for a reason carries "known_trace_difference"
// (asserted like known_difference).
//
// Re-record with HYPER1_ORACLE=/path/to/hyper1-oracle ./record.sh (see the
// script); it records twice and fails if the two recordings differ.
//
// The package has only tests.
package conformance
