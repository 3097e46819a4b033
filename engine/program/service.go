package program

// Service programs: the user code of the server side of a session, as a
// session file's "service_program" gives it, the counterpart of client
// programs. This file is the syntax tree; service_parse.go reads it from
// text; running it is engine/services' job (program.go there), one run per
// request, on the session's executor and virtual clock.
//
// A program is a list of sections. A request runs exactly one of them: the
// first `on` section whose method, path and conditions match it, else the
// default section. A section is a list of operations run in order, as the
// body of a Rust `async fn handle(req: Request<Incoming>)`: the future
// completes with the response of `respond` (or the error of `fail`).
//
// The grammar, with the hyper (or tokio / hyper-util) call each line
// stands for, is in the package doc (doc.go).

import "strconv"

// Service is a parsed service program.
type Service struct {
	// Sections are the `on` sections in source order; the first that
	// matches a request runs.
	Sections []Section
	// Default runs a request no `on` section matches. It is never nil in
	// a program ParseService accepts.
	Default *Section
}

// Select returns the section that runs a request: the first `on` section
// that matches, else the default. hasHeader reports whether the request
// has a field of that name (case-insensitively); upgradable whether it
// carries an OnUpgrade.
func (s *Service) Select(method, path string, hasHeader func(name string) bool, upgradable bool) *Section {
	for i := range s.Sections {
		if s.Sections[i].Matches(method, path, hasHeader, upgradable) {
			return &s.Sections[i]
		}
	}
	return s.Default
}

// Section is one `on` section (or the default section) and its operations.
type Section struct {
	// Line is the 1-based line of the `on` or `default` line; 0 for an
	// implicit default section (operations before any `on` line).
	Line int
	// Method is the request method to match exactly (case-sensitive, as
	// HTTP methods are), or "*" for any. "" only in the default section.
	Method string
	// Path is the request-target to match: exact, "*" for any, or a
	// prefix when it ends in "*" ("/upload/*" matches "/upload/a").
	// "" only in the default section.
	Path string
	// Headers are field names the request must carry (each at least once,
	// compared case-insensitively): `header NAME` clauses.
	Headers []string
	// Upgradable requires the request to carry an OnUpgrade (an Upgrade
	// header, or CONNECT, on HTTP/1.1): the `upgradable` clause.
	Upgradable bool
	// Default marks the default section.
	Default bool
	// Ops are the section's operations, at least one.
	Ops []ServiceOp
}

// Matches reports whether the section takes a request (the default
// section takes every request).
func (sec *Section) Matches(method, path string, hasHeader func(name string) bool, upgradable bool) bool {
	if sec.Default {
		return true
	}
	if sec.Method != "*" && sec.Method != method {
		return false
	}
	switch {
	case sec.Path == "*":
	case len(sec.Path) > 0 && sec.Path[len(sec.Path)-1] == '*':
		prefix := sec.Path[:len(sec.Path)-1]
		if len(path) < len(prefix) || path[:len(prefix)] != prefix {
			return false
		}
	case sec.Path != path:
		return false
	}
	for _, h := range sec.Headers {
		if hasHeader == nil || !hasHeader(h) {
			return false
		}
	}
	return !sec.Upgradable || upgradable
}

// ServiceOpKind is a service program operation.
type ServiceOpKind uint8

// The service program operations. Each constant's comment is its
// meaning; doc.go has the grammar.
const (
	// SvcRespond: the future completes with a response (Status, Headers,
	// Body). With BodyStream the operations after it produce the body.
	SvcRespond ServiceOpKind = iota + 1
	// SvcSendChunk: one data frame (Data) of a `body stream` response.
	SvcSendChunk
	// SvcEndBody: the end of a `body stream` response, with a trailers
	// frame first when Headers is non-empty.
	SvcEndBody
	// SvcReadBody: poll the request body to its end (collect().await?);
	// a body error fails the service future with that error. Yielding:
	// tokio::task::yield_now() before each frame.
	SvcReadBody
	// SvcReadFrame: poll one frame of the request body (frame().await):
	// data is kept, the end, trailers or an error are only noted.
	SvcReadFrame
	// SvcDropBody: drop the request body now: before any read, the early
	// drop (the connection drains or closes); after some, the late drop.
	SvcDropBody
	// SvcHoldBody: keep the request body, never read it, never drop it,
	// and never go on: the future stays pending until the connection
	// drops it.
	SvcHoldBody
	// SvcDropRequest: take nothing from the request, so the connection
	// drops its body and OnUpgrade as soon as call returns
	// (service_fn(|_req| async { … })). Only as a section's first
	// operation.
	SvcDropRequest
	// SvcSleep: tokio::time::sleep(MS) on the virtual clock.
	SvcSleep
	// SvcYield: tokio::task::yield_now(): wake itself, pending once.
	SvcYield
	// SvcNotReady: the service's poll_ready is Pending for MS, then Ready
	// (hyper-util's TowerToHyperService polls a tower service's
	// poll_ready inside the call future, so the connection has the
	// request in flight and reads no further head: backpressure,
	// §12.6.2). Only before the section's other operations (after
	// `drop request`).
	SvcNotReady
	// SvcFail: the service future fails with the error Message.
	SvcFail
	// SvcUpgrade: spawn Protocol ("echo" or "websocket") on the upgraded
	// IO, hyper::upgrade::on(req) then the protocol, once the 101 (or
	// the 2xx to CONNECT) of the `respond` just before it is written; the
	// IO's leftover bytes are read first. A request with no OnUpgrade
	// spawns nothing (hyper::upgrade::on fails at once).
	SvcUpgrade
	// SvcAcceptWebSocket: check the WebSocket opening handshake (RFC
	// 6455 §4.2.1); answer 400 with the reason, or 101 with
	// Sec-WebSocket-Accept and run the WebSocket echo on the upgraded IO
	// (as hyper-tungstenite's upgrade(req) does). Ends the section.
	SvcAcceptWebSocket
)

var serviceKindNames = [...]string{
	SvcRespond:         "respond",
	SvcSendChunk:       "send-chunk",
	SvcEndBody:         "end-body",
	SvcReadBody:        "read-body",
	SvcReadFrame:       "read-frame",
	SvcDropBody:        "drop body",
	SvcHoldBody:        "hold body",
	SvcDropRequest:     "drop request",
	SvcSleep:           "sleep",
	SvcYield:           "yield",
	SvcNotReady:        "not-ready",
	SvcFail:            "fail",
	SvcUpgrade:         "upgrade",
	SvcAcceptWebSocket: "accept websocket",
}

// String is the keyword form, e.g. "drop body", "send-chunk".
func (k ServiceOpKind) String() string {
	if k >= 1 && int(k) < len(serviceKindNames) {
		return serviceKindNames[k]
	}
	return "ServiceOpKind(" + strconv.Itoa(int(k)) + ")"
}

// BodyKind is what a `respond` sends as the response body.
type BodyKind uint8

const (
	// BodyNone: no body option; an empty body (no Content-Length on a
	// 1xx, 204 or 304; otherwise Content-Length: 0).
	BodyNone BodyKind = iota
	// BodyParts: a full body of known length, the concatenation of Parts
	// (http_body_util::Full).
	BodyParts
	// BodyStream: a body of unknown length (chunked on HTTP/1.1) that
	// the following send-chunk / end-body operations produce.
	BodyStream
	// BodyRequest: the request body itself, moved into the response and
	// streamed back as it arrives (Response::new(req.into_body()), hyper's
	// echo example); its length and framing are the request body's.
	BodyRequest
)

// PartKind is one piece of a full response body.
type PartKind uint8

const (
	// PartText is Text as written.
	PartText PartKind = iota + 1
	// PartEcho is every request body byte the program has read so far.
	PartEcho
	// PartCount is the decimal count of request body bytes read so far.
	PartCount
)

// BodyPart is one piece of `body ...`.
type BodyPart struct {
	Kind PartKind
	Text []byte // PartText
}

// ServiceOp is one operation (one line) of a section.
type ServiceOp struct {
	Kind ServiceOpKind
	Line int // 1-based line number
	// Status is respond's status code (100 to 999).
	Status int
	// Headers are respond's header fields or end-body's trailer fields:
	// name, value (value trimmed of surrounding spaces and tabs); nil if
	// none.
	Headers [][2]string
	// Body and Parts are respond's body.
	Body  BodyKind
	Parts []BodyPart
	// Data is send-chunk's bytes.
	Data []byte
	// Message is fail's error message.
	Message string
	// Yielding is read-body's `yielding` option.
	Yielding bool
	// MS is sleep's or not-ready's duration in milliseconds.
	MS int64
	// Protocol is upgrade's protocol: "echo" or "websocket".
	Protocol string
	// Text is the source line, for traces.
	Text string
}
