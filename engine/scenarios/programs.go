package scenarios

// Problems people hit, reproduced with service programs (issue 17, item
// 5): the server side of each session is a "service_program" rather than a
// catalog handler, so the sandbox shows the handler's code beside the
// connection it drives. engine/services lists the same programs
// (services.Programs) for the UI.

// programEntries are the scenarios whose server is a service program.
var programEntries = []Scenario{
	{
		Name:     "upload-413-unread",
		Title:    "A 413 without reading the upload: the client gets the answer, then loses the connection",
		Section:  "§12.6.1",
		Group:    "Real problems people hit",
		Docs:     "bugs.html#bug2",
		Symptoms: "413 Payload Too Large without reading the request body; connection closed before message completed; broken pipe or connection reset while uploading",
		Hyper:    []string{"Conn::poll_drain_or_close_read", "Conn::close_read", "Dispatcher::poll_read", "SendRequest::poll_ready"},
		Summary:  "A service answers 413 to an upload it never reads: the client gets the 413, but hyper closes the connection under the unfinished request body, so the rest of the upload goes nowhere and the sender cannot be used again.",
		Explain: [2]string{
			`The client program starts a POST /upload whose body is a stream, sends its first 30 bytes and awaits the response. The service program's on POST /upload section answers 413 at once, without reading the body; when its future completes, the body goes with it, unread. On the next poll_read the dropped receiver is noticed ("draining or closing"): the chunked body is not finished in the buffer, so poll_drain_or_close_read gives up with close_read, keep-alive is switched off, and once the 413 is written the server closes. The program reads the 413 and its body, feeds the rest of its upload into a connection that is gone, and its ready fails with channel closed: the client connection ended with connection closed before message completed.`,
			`This is what hyper does with any response to a request whose body the service did not consume (§12.6.1): it drains a body that is cheap to finish and otherwise closes, since reusing the connection would mean reading an upload nobody wants. The 413 carries no Connection: close, so nothing in its head tells the client: it finds out when the connection ends under it. On a real TCP socket it can be worse: closing with unread bytes in the receive buffer makes the kernel send a reset, and a client that is still writing may lose the 413 itself. Compare upload-413-connection-close.`,
		},
		Goal: `Step to the 413 on the wire and look at the client side: its request body is still being written. Then add header "Connection: close" to the respond line and see the client learn, from the head, that the connection ends.`,
		Steps: []Mark{
			{"the service answers 413 without reading the body", `wire-out contains "413 Payload Too Large"`},
			{"the body was dropped unread: drain or close", `note contains "draining or closing"`},
			{"the client's program finds the connection gone", `note contains "channel closed"`},
		},
		Session: `{
  "version": 1,
  "mode": "both",
  "service_program": [
    "on POST /upload",
    "  respond 413 body \"upload too large\"",
    "default",
    "  respond 200 body \"ok\""
  ],
  "client_program": [
    "handshake",
    "spawn conn",
    "send POST /upload body stream header \"Host: x\"",
    "send-body \"the first part of a big upload\"",
    "await response",
    "read-body",
    "send-body \"the rest\"",
    "end-body",
    "ready"
  ]
}`,
	},
	{
		Name:     "upload-413-connection-close",
		Title:    "A 413 with Connection: close: the client is told before the connection ends",
		Section:  "§12.6.1",
		Group:    "Real problems people hit",
		Docs:     "bugs.html#bug2",
		Symptoms: "413 with Connection: close; the client is told not to reuse the connection; upload cut short",
		Hyper:    []string{"Conn::poll_drain_or_close_read", "Conn::close_read", "Server::encode", "Dispatcher::poll_read"},
		Summary:  "The same unread upload, answered 413 with Connection: close: the server no longer offers keep-alive in the head, the client connection knows it as it reads the head, and the upload is still cut short.",
		Explain: [2]string{
			`The service program's 413 now carries Connection: close. Server::encode sees it and the server's writing side ends with the response (no keep-alive offered); the dropped body is then noticed as before ("draining or closing") and the read side closes. The client connection reads the head, sees connection: close and gives up keep-alive for this connection at once, before the connection ends. The program still reads its 413, and its request body still goes nowhere: ready fails with channel closed.`,
			`Connection: close does not make hyper read the upload (§12.6.1: an unwanted body is drained only when that is cheap); it makes the response honest. A client that pools connections is told not to reuse this one, instead of discovering it when the next request fails, and the response is a complete message whose end the client expects.`,
		},
		Goal: `Compare the client connection's keep-alive at the 413 with upload-413-unread's; then remove the header and find where the client learns the connection is over.`,
		Steps: []Mark{
			{"the 413 says connection: close", `wire-out contains "connection: close"`},
			{"the body was dropped unread: drain or close", `note contains "draining or closing"`},
		},
		Session: `{
  "version": 1,
  "mode": "both",
  "service_program": [
    "on POST /upload",
    "  respond 413 header \"Connection: close\" body \"upload too large\"",
    "default",
    "  respond 200 body \"ok\""
  ],
  "client_program": [
    "handshake",
    "spawn conn",
    "send POST /upload body stream header \"Host: x\"",
    "send-body \"the first part of a big upload\"",
    "await response",
    "read-body",
    "send-body \"the rest\"",
    "end-body",
    "ready"
  ]
}`,
	},
	{
		Name:     "grpc-first-frame-deadlock",
		Title:    "A gRPC-style server waits for the first message; the client awaits the response first: both hang",
		Section:  "§12.4",
		Group:    "Real problems people hit",
		Docs:     "seed-002.html#reproduction",
		Symptoms: "deadlock; gRPC client hangs waiting for response headers; server waits for the first message; hang",
		Hyper:    []string{"SendRequest::send_request", "Dispatcher::poll_write", "Server::recv_msg", "Sender::poll_ready"},
		Summary:  "Seed 002's trap with a service program: the server waits for the first body frame before sending its headers, the client awaits the response before sending that frame, and neither can move.",
		Explain: [2]string{
			`The service program's on POST /echo.Echo/Say section starts with read-frame: like a gRPC server that wants the client's first message, it sends no response head until a body frame arrives. The client program sends the request with a streaming body and awaits the response on line 4, before line 5 would send hello. The client connection has written the head (transfer-encoding: chunked) and waits for body frames; the server has read the head, called the service, and the service waits for data in the body channel. Every task waits on another: connlab reports a deadlock, and the wait-for graph shows the cycle.`,
			`send_request's future resolves only when the response head arrives (§12.4), and this server sends its head only after the first request frame. The request body is a separate stream that poll_write feeds as frames come, so nothing stops the client from sending before it awaits: see grpc-first-frame-fixed. The server could also break the cycle by sending its headers first, as many gRPC servers do.`,
		},
		Goal: `Run to the end and read the three waits in the result; then move "await response" after "end-body" in the client program, or move read-frame after the respond line in the service program, and see the exchange complete.`,
		Steps: []Mark{
			{"the request head goes out with a streaming body", `wire-in contains "transfer-encoding: chunked"`},
			{"the service waits for the first body frame", `kind == queue && name == "in_flight set"`},
		},
		Session: `{
  "version": 1,
  "mode": "both",
  "service_program": [
    "on POST /echo.Echo/Say",
    "  read-frame",
    "  respond 200 header \"content-type: application/grpc\" header \"trailer: grpc-status\" body stream",
    "  send-chunk \"reply\"",
    "  end-body trailer \"grpc-status: 0\"",
    "default",
    "  respond 404"
  ],
  "client_program": [
    "handshake",
    "spawn conn",
    "send POST /echo.Echo/Say body stream header \"Host: x\" header \"Content-Type: application/grpc\" header \"TE: trailers\"",
    "await response",
    "send-body \"hello\"",
    "end-body",
    "read-body"
  ]
}`,
	},
	{
		Name:     "grpc-first-frame-fixed",
		Title:    "Fixed: the client sends its message before awaiting the response",
		Section:  "§12.4",
		Group:    "Real problems people hit",
		Docs:     "seed-002.html#fix",
		Symptoms: "the fix for a gRPC-style request that hangs; send the first message before awaiting the response; trailers",
		Hyper:    []string{"SendRequest::send_request", "Dispatcher::poll_write", "Server::recv_msg", "Conn::poll_drain_or_close_read"},
		Summary:  "The same gRPC-style server with a client that sends and ends its message before awaiting: the server reads the frame, answers with a streamed reply and a grpc-status trailer, and both connections close cleanly.",
		Explain: [2]string{
			`Lines 4 and 5 feed hello and the end of the body before line 6 awaits the response. The service program's read-frame gets hello; its respond streams reply in a chunked body and ends it with the trailer grpc-status: 0 (sent because the request said TE: trailers and the response declared it in its Trailer header). The rest of the request body, its last chunk, is already in the buffer, so when the service's future completes and drops the body, poll_drain_or_close_read drains it and the connection stays reusable. The program reads the reply and ends; dropping its sender closes the client connection, and the server closes on the EOF that follows.`,
			`Nothing in hyper changed between the two runs, only the order of the client's lines: the request body is fed by poll_write independently of the response (§12.4), so a protocol in which the server speaks second only needs the client to produce its message before, or while, it waits.`,
		},
		Goal: `Step to the trailer on the wire; then remove header "TE: trailers" from the send line and see the trailer left out.`,
		Steps: []Mark{
			{"the program ends the body before awaiting", `note contains "end of body"`},
			{"the reply ends with its trailer", `wire-out contains "grpc-status: 0"`},
		},
		Session: `{
  "version": 1,
  "mode": "both",
  "service_program": [
    "on POST /echo.Echo/Say",
    "  read-frame",
    "  respond 200 header \"content-type: application/grpc\" header \"trailer: grpc-status\" body stream",
    "  send-chunk \"reply\"",
    "  end-body trailer \"grpc-status: 0\"",
    "default",
    "  respond 404"
  ],
  "client_program": [
    "handshake",
    "spawn conn",
    "send POST /echo.Echo/Say body stream header \"Host: x\" header \"Content-Type: application/grpc\" header \"TE: trailers\"",
    "send-body \"hello\"",
    "end-body",
    "await response",
    "read-body"
  ]
}`,
	},
	{
		Name:     "poll-ready-backpressure",
		Title:    "A service that is not ready: pipelined requests pile up unread",
		Section:  "§12.6.2",
		Group:    "Real problems people hit",
		Docs:     "backpressure.html#heads",
		Symptoms: "requests queue up behind a slow service; poll_ready Pending; rate limit; pipelined requests wait",
		Hyper:    []string{"Dispatcher::poll_read", "Server::poll_ready", "Server::recv_msg", "Conn::poll_read_head"},
		Summary:  "Three pipelined requests reach a service whose poll_ready is Pending for 100 ms before each call: each request waits in flight, and the ones behind it stay unparsed bytes in the read buffer until the one before is answered.",
		Explain: [2]string{
			`The service program's not-ready 100ms is a tower service whose poll_ready is Pending for 100 ms (a rate limit, a concurrency limit, a pool with no free connection). hyper 1.x's server dispatch asks no readiness of the service itself: hyper-util's adapter polls poll_ready inside the call's future, so the first request is in flight for those 100 ms. While a request is in flight Server::poll_ready says not yet, poll_read does not call poll_read_head, and GET /2 and GET /3 stay in the read buffer as 56 raw bytes. Each 100 ms wait answers one request, and the next head is parsed only then.`,
			`This is backpressure at the head (§12.6.2): the dispatch's poll_ready is the one place hyper asks whether another message may be read, so a service that is not ready keeps the connection from even parsing the next request. The requests are not lost and not rejected: they wait in the buffer (and, once it is full, in the client's socket) until the service catches up. A client that pipelines sees its answers arrive at the service's pace, in order.`,
		},
		Goal: `Step to the first in_flight set and read read_buf; then step through the waits and watch it shrink by one request each time.`,
		Steps: []Mark{
			{"GET /1 in flight; the other two wait unparsed", `kind == queue && name == "in_flight set"`},
			{"GET /1 answered, GET /2 parsed at last", `kind == queue && name == "in_flight set" && requests == 2`},
		},
		Session: `{
  "version": 1,
  "mode": "server",
  "service_program": [
    "not-ready 100ms",
    "respond 200 body \"ok\""
  ],
  "input": [
    {
      "send": "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n"
    },
    {
      "wait_ms": 100
    },
    {
      "wait_ms": 100
    },
    {
      "wait_ms": 100
    },
    {
      "shutdown": "write"
    }
  ]
}`,
	},
}
