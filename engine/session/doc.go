// Package session runs connlab: one Session puts a transport
// (engine/duplex), an executor with its virtual clock (engine/poll), the
// engine's roles (engine/h1), a service (a catalog handler, or a service
// program run by engine/services) or a client program (the language is engine/program; the runner,
// client.go, is here) and an input log together, and steps them
// deterministically. It owns:
//
//   - the session file, v1 (file.go, filejson.go): also the permalink and
//     /api/run format; strict JSON read and written by hand (engine/jsontext);
//   - the runner (session.go): New, Step, RunUntilIdle, Apply, Run;
//   - the client program runner (client.go): one task that runs a program's
//     lines against h1's client role. It lives here, not in engine/program,
//     because it is a session task like the server connection, and the
//     transcript and the timeline read its state (line, log, what it waits
//     on, requests sent); engine/program stays a pure language;
//   - the transcript (transcript.go, text.go): the result of a run as JSON
//     (the CLI's output, /api/run's answer) and as text (the goldens);
//   - the built-in demo session (demo.go) and the pipelined-GET benchmark
//     harness (bench.go).
//
// A request's data path starts here: the person's bytes (an Input) go into
// the duplex; the server connection (h1.Conn under h1's Dispatcher) reads
// them, calls the service, and writes the response into the duplex, where
// the session reads them back (ToClient); engine/trace records each step.
// engine/timeline turns that record into Views.
//
// Imports: engine/h1, engine/body, engine/duplex, engine/poll,
// engine/trace, engine/jsontext, engine/program, engine/services and the
// standard library (no fmt: see format.go). Imported by engine/timeline,
// engine/scenarios and every command; it imports none of them.
package session
