// Package rustgen owns the Rust beside connlab: it renders a session's user
// code as the hyper 1.x Rust it stands for, and a whole session as a Rust
// test that replays it against real hyper.
//
//   - Client (client.go): a client program as an `async fn client(io)` of
//     hyper 1.x calls (client::conn::http1::handshake, tokio::spawn(conn)
//     or conn.await, send_request, a StreamBody over a channel for
//     `body stream`, …).
//   - ServiceProgram (service_program.go): a service program as the
//     `async fn handle(req: Request<Incoming>)` a service_fn calls, which
//     picks the section as the program does and awaits that section's
//     async fn (a `body stream` is a lazy StreamBody).
//   - Service (service.go): a catalog service (engine/services) written as
//     a person would write it in Rust.
//   - Export (export.go): `connlab export --rust`: a self-contained test
//     (tokio + hyper 1.x over tokio::io::duplex, on tokio's paused clock)
//     that applies the session's inputs as the session does and checks
//     hyper's bytes and outcome against the engine's.
//
// Client and ServiceProgram give, with the text, each operation's lines
// (Code.Ops, with Code.OpLines its program line), so a viewer highlights
// the Rust line of the operation that is executing; Code.Notes say what
// has no rendering (Export refuses those rather than test something else).
// The Rust support code every test carries is prelude.go.
//
// The generator writes text with strings.Builder and strconv only (no
// fmt, no reflect), so the browser can link Client and ServiceProgram
// cheaply.
//
// Imports: engine/program (the two program languages) and engine/session
// (Export runs the session for the values it checks), and the standard
// library. Imported by the CLI (engine/cmd/connlab).
package rustgen
