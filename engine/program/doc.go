// Package program owns the client program language: the user code of the
// client side of a session, one operation per line, as a session file's
// "client_program" gives it (later also the service program language of
// "service_program"). It parses the lines into Ops and reports a bad line as
// an *Error naming the line and column; it runs nothing.
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
// Running a program is engine/session's job (client.go there): the runner is
// one task on the session's executor, driving engine/h1's client role over
// the session's duplex, and the transcript and the timeline read its state
// (which line, what it waits on, how many requests it sent). Keeping the
// runner with the runner keeps this package a pure language, which any
// editor or checker can use without linking the engine.
//
// Imports: the standard library only (no fmt; see format.go). Imported by
// engine/session (which parses a file's client_program) and by
// engine/conformance's tests.
package program
