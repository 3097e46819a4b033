// Package services owns the handler catalog: the built-in services a session
// serves by name (hello, echo, stream, upgrade-echo, delay, connect-tunnel,
// upgrade-ws with its WebSocket protocol, …), each an engine/h1 Service, and
// the protocols that run on an upgraded connection (raw echo, WebSocket
// frames, RFC 6455) as tasks on the session's executor; and the runner of
// service programs (program.go: a session file's "service_program", the
// language in engine/program), with each catalog service written as a
// program (catalog_programs.go, Handler.Program) and the programs of
// problems people hit (problem_programs.go), all listed by Programs.
//
// A service sees only its Env (the executor, to spawn an upgraded protocol's
// task, and the recorder) and the request: it knows nothing of sessions,
// session files or the timeline.
//
// A service owns what it takes from the *h1.Request in Call (TakeBody,
// TakeUpgrade); the engine drops the rest when Call returns, and what was
// taken when the service's future completes or is dropped, unless the
// service moved it on (OnUpgrade.Detach into a spawned protocol task).
// Most catalog services keep the whole request until their future
// completes, as the reference services' `async fn handle(req)` does;
// Handler.Keeps says what each keeps. A service drops something itself
// only to drop it early (read-one).
//
// Imports: engine/h1, engine/body, engine/poll, engine/trace, engine/program
// and the standard library (no fmt, no crypto: see sha1.go). Imported by
// engine/session, which looks services up by name, and by the CLI, the UI
// and the API, which list the catalog.
package services
