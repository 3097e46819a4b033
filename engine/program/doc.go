// Package program owns the client program language: the user code of the
// client side of a session, one operation per line, as a session file's
// "client_program" gives it (later also the service program language of
// "service_program"). It parses the lines into Ops and reports a bad line as
// an *Error naming the line and column; it runs nothing.
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
