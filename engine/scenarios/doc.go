// Package scenarios owns the scenario library: session files that each show
// one behaviour of the engine (and of hyper), with a title, the chapter
// section, the hyper functions involved, an explanation, a goal to try and
// marks (breakpoint expressions) at the interesting points. The CLI, the
// sandbox's Scenario menu (wasm/ui), the Worker (GET /api/scenarios, in
// site/api) and the docs (site/cmd/docsgen) all read it from here.
//
// The library is data: it holds session files as JSON text and parses one
// only when asked (Scenario.File). library_test.go runs every entry and
// checks its result and its marks against a table, and claims_test.go
// checks what its text says at each step (every state it names, every
// mark, the wait-for graph of a hang) against the engine, so the text
// cannot drift from what the engine does.
//
// Imports: engine/session (File, ParseBytes) and the standard library. Its
// tests also use engine/timeline, for the marks. Nothing in engine/ below it
// imports it.
package scenarios
