// Package program owns the two program languages of a session file: client
// programs ("client_program", the user code of the client side) and service
// programs ("service_program", the user code of the server side, in place
// of a catalog "handler"). It parses lines into Ops (Parse) or a Service
// (ParseService, ParseServiceLines) and reports a bad line as an *Error
// naming the line and column; it runs nothing.
//
// # Client programs
//
// Grammar (tokens are separated by spaces or tabs; blank lines and lines
// whose first non-blank character is '#' are ignored), with the hyper 1.x
// call each line stands for:
//
//	handshake                 client::conn::http1::handshake(io)
//	with upgrades             conn.with_upgrades(), after handshake and before
//	                          the connection is spawned or awaited
//	spawn conn                tokio::spawn(conn)
//	await conn                conn.await, inside the program
//	ready                     sender.ready().await (SendRequest::poll_ready)
//	send METHOD PATH [HTTP/1.0 | HTTP/1.1] [body "TEXT" | body stream] [header "Name: value"]...
//	                          sender.send_request(req); the version is the
//	                          request's (HTTP/1.1 when not given)
//	try send METHOD PATH ...  sender.try_send_request(req), the same options;
//	                          a request the connection cannot take (busy, or
//	                          closed) comes back at once with the error
//	send-body "TEXT"          a data frame on the last `body stream`
//	send-trailers "Name: value"...
//	                          a trailers frame, which ends that body
//	end-body                  the end of that body
//	await response            the response future's .await (the head)
//	read-body                 every frame of the response body
//	drop sender               drop(sender)
//	drop response             drop the response (future)
//	sleep DURATION            tokio::time::sleep
//	timeout DURATION await response
//	                          tokio::time::timeout on the response future
//	close write               shutdown of the program's write side
//	await upgrade             hyper::upgrade::on(response).await
//	upgraded write "TEXT"     write_all on the Upgraded IO
//	upgraded read             one read on the Upgraded IO (its leftover
//	                          bytes first)
//
// DURATION is a positive whole number followed by ms or s, at most 1 hour.
// Strings are double-quoted, with escapes \" \\ \r \n \t and \xNN.
//
// # Service programs
//
// A service program runs once per request, as the body of a Rust
// `async fn handle(req: Request<Incoming>) -> Result<Response<_>, _>`
// served by hyper's http1 connection. It is made of sections; a request
// runs the first `on` section that matches it, else the default section
// (the operations before any `on` line, or after a `default` line; a
// program must have one). Sections:
//
//	on METHOD PATH [header NAME]... [upgradable]
//	                          METHOD exact or *; PATH exact, * or a prefix
//	                          ending in * (/upload/*); header NAME: the
//	                          request has that field; upgradable: it carries
//	                          an OnUpgrade (Upgrade or CONNECT, HTTP/1.1)
//	default                   every other request
//
// Operations (the service keeps the whole request, body and OnUpgrade,
// until its future completes, unless `drop request` says otherwise):
//
//	drop request              take nothing: the connection drops the body
//	                          and OnUpgrade when call returns
//	                          (service_fn(|_req| async {…})); first only
//	not-ready DURATION        the tower service's poll_ready is Pending that
//	                          long (hyper-util polls it inside the call
//	                          future, so the request is in flight and no
//	                          further head is read: §12.6.2); first only
//	read-body [yielding]      body.collect().await? (yielding:
//	                          yield_now() before each frame); a body error
//	                          fails the future with it
//	read-frame                body.frame().await, one frame, not unwrapped
//	drop body                 drop(body): early (nothing read yet: the
//	                          connection drains or closes) or late
//	hold body                 keep the body, never read or drop it, never
//	                          answer (the future pends until dropped)
//	sleep DURATION            tokio::time::sleep, on the virtual clock
//	yield                     tokio::task::yield_now
//	fail "message"            return Err(message): the service errors
//	respond STATUS [header "Name: value"]... [body PART... | body request | body stream]
//	                          the future's Ok(response); PART is "TEXT",
//	                          echo (the body bytes read so far) or count
//	                          (their number, in decimal); no body option is
//	                          an empty body; body request is the request
//	                          body itself, streamed back as it arrives
//	                          (Response::new(req.into_body())); body stream
//	                          is a streaming body (unknown length) that the
//	                          lines after it produce:
//	send-chunk "TEXT"         one data frame (yield_now first, as a stream
//	                          producing data over time)
//	end-body [trailer "Name: value"]...
//	                          the end of the stream (trailers frame first)
//	upgrade echo | upgrade websocket
//	                          right after a respond 101 (or a 2xx to
//	                          CONNECT) with no body: spawn the protocol on
//	                          hyper::upgrade::on(req)'s IO, leftover bytes
//	                          first; nothing if the request has no OnUpgrade
//	accept websocket          check the RFC 6455 handshake: 400 with the
//	                          reason, or 101 with Sec-WebSocket-Accept and
//	                          the WebSocket echo (hyper-tungstenite's
//	                          upgrade(req))
//
// A section must answer (respond, fail, hold body or accept websocket);
// nothing may follow what ends it, and a body may not be used after it was
// dropped: these are errors at parse time, as Rust's compiler would refuse
// the handler.
//
// Running a client program is engine/session's job (client.go there: one
// task on the session's executor, driving engine/h1's client role over the
// session's duplex); running a service program is engine/services'
// (program.go there: an h1.Service whose future runs one section per
// request). Keeping each runner with the engine keeps this package a pure
// language, which any
// editor or checker can use without linking the engine.
//
// Imports: the standard library only (no fmt; see format.go). Imported by
// engine/session (which parses a file's client_program) and by
// engine/conformance's tests.
package program
