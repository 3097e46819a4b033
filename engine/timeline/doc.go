// Package timeline owns time travel over a session: recording a run with
// tracing on (Timeline, timeline.go), the compact per-event view snapshots
// and the View the sandbox shows (view.go), navigation by unit (event, call,
// poll, iter, request), Fork and Append (a deterministic replay of the input
// log), breakpoint expressions (breakpoint.go: RunTo, RunBackTo, Find) and
// the export of a session as a Go regression test (export.go).
//
// It is the step after a session in a request's data path: engine/session
// runs bytes through the engine and engine/trace records each event; this
// package turns the events into Views, and wasm/ui renders a View into the
// DOM.
//
// Imports: engine/session (to run and re-run the input log), engine/h1 and
// engine/trace (the state a snapshot reads), and the standard library (no
// fmt). Imported by engine/cmd/connlab (step, export), wasm/ui and the docs
// generator; never by engine/session, engine/services or engine/program.
package timeline
