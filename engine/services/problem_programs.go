package services

// Problem programs: service programs that reproduce problems people hit
// (issue 17, item 5). engine/scenarios runs each in a session beside the
// client that meets it (scenarios/programs.go, whose tests check that the
// sessions run these very texts).

var problemPrograms = []Program{
	{Name: "upload-413-unread", Kind: "problem",
		Description: "answers 413 to POST /upload without reading the body: hyper drains a body that is cheap to finish and otherwise closes, under the client's unfinished upload",
		Source: `# 413 without reading the upload; the body is dropped with the future
on POST /upload
  respond 413 body "upload too large"
default
  respond 200 body "ok"`},
	{Name: "upload-413-connection-close", Kind: "problem",
		Description: "the same 413 with Connection: close: the client is told in the head that the connection ends",
		Source: `# 413 without reading the upload, and say the connection ends
on POST /upload
  respond 413 header "Connection: close" body "upload too large"
default
  respond 200 body "ok"`},
	{Name: "grpc-first-frame", Kind: "problem",
		Description: "a gRPC-style server: no response head until the first request body frame arrives, then a streamed reply with a grpc-status trailer (seed 002's trap for a client that awaits the response first)",
		Source: `# wait for the client's first message before sending headers
on POST /echo.Echo/Say
  read-frame
  respond 200 header "content-type: application/grpc" header "trailer: grpc-status" body stream
  send-chunk "reply"
  end-body trailer "grpc-status: 0"
default
  respond 404`},
	{Name: "not-ready", Kind: "problem",
		Description: "a tower service whose poll_ready is Pending for 100 ms before each call: pipelined requests wait unparsed in the read buffer",
		Source: `# poll_ready is Pending for 100 ms before each call (a rate limit)
not-ready 100ms
respond 200 body "ok"`},
}
