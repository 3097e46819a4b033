// Package services owns the handler catalog: the built-in services a session
// serves by name (hello, echo, stream, upgrade-echo, delay, connect-tunnel,
// upgrade-ws with its WebSocket protocol, …), each an engine/h1 Service, and
// the protocols that run on an upgraded connection (raw echo, WebSocket
// frames, RFC 6455) as tasks on the session's executor. Later: service
// programs (a session file's "service_program"), with the language in
// engine/program.
//
// A service sees only its Env (the executor, to spawn an upgraded protocol's
// task, and the recorder) and the request: it knows nothing of sessions,
// session files or the timeline.
//
// Imports: engine/h1, engine/body, engine/poll, engine/trace and the
// standard library (no fmt, no crypto: see sha1.go). Imported by
// engine/session, which looks services up by name, and by the CLI, the UI
// and the API, which list the catalog.
package services
