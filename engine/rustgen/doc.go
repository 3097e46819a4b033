// Package rustgen owns the Rust beside connlab: it renders a session's user
// code as the hyper 1.x Rust it stands for, and a whole session as a Rust
// test that replays it against real hyper.
//
//   - Client (client.go): a client program as an `async fn client(io)` of
//     hyper 1.x calls (client::conn::http1::handshake, tokio::spawn(conn)
//     or conn.await, send_request, a StreamBody over a channel for
//     `body stream`, …), with, for each operation, the lines it became
//     (Code.Ops), so a viewer highlights the line that is executing.
//   - Service (service.go): a catalog service (engine/services) as the
//     `async fn handle(req: Request<Incoming>)` a service_fn calls.
//   - Export (export.go): `connlab export --rust`: a self-contained test
//     (tokio + hyper 1.x over tokio::io::duplex, on tokio's paused clock)
//     that applies the session's inputs as the session does and checks
//     hyper's bytes and outcome against the engine's.
//
// The Rust support code every test carries is prelude.go. The generator
// writes text with strings.Builder and strconv only (no fmt, no reflect),
// so the browser can link Client and Service cheaply.
//
// Imports: engine/program (the client program language) and engine/session
// (Export runs the session for the values it checks), and the standard
// library. Imported by the CLI (engine/cmd/connlab).
package rustgen
