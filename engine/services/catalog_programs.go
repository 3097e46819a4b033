package services

// The catalog as programs: each catalog service written in the service
// program language (engine/program), with the same meaning. The Go
// services stay the implementation a session runs by handler name (they
// answer without allocating per request, which the benchmarks hold them
// to); catalog_programs_test.go runs every golden, conformance case and
// scenario with the program in place of the Go service and requires the
// same bytes and the same trace, so the two cannot drift apart.

// catalogSources is each catalog service's program text, by name.
var catalogSources = map[string]string{
	"hello": `# 200 "hello"; the request body is never read
respond 200 body "hello"`,

	"echo": `# read the whole request body, answer with it
read-body
respond 200 body echo`,

	"ignore-body": `# answer without reading the body: the connection drains it or closes
respond 200 body "ok"`,

	"stream": `# a body of unknown length, produced over time (chunked)
respond 200 body stream
send-chunk "a"
send-chunk "b"
send-chunk "c"
end-body`,

	"empty": `respond 204`,

	"close": `respond 200 header "Connection: close" body "bye"`,

	"upgrade-echo": `# with an Upgrade header: 101, then echo raw bytes on the upgraded IO
on * * header Upgrade
  respond 101 header "upgrade: echo" header "connection: upgrade"
  upgrade echo
default
  respond 400`,

	"error": "# the service future fails\nfail \"service `error` failed on purpose\"",

	"read-one": `# read one body frame, then drop the rest (the late drop)
read-frame
drop body
respond 200 body echo`,

	"slow-body": `# read the body frame by frame, yielding before each; answer with the count
read-body yielding
respond 200 body count`,

	"delay": `# service_fn(|_req| async { sleep(100ms).await; ... }): the request goes when call returns
drop request
sleep 100ms
respond 200 body "late"`,

	"wait-body-then-respond": `# no response head until the request body has ended (seed 002's server)
read-body
respond 200 body "got " count " bytes"`,

	"connect-tunnel": `# CONNECT: 200, then the connection is a tunnel that echoes raw bytes
on CONNECT * upgradable
  respond 200
  upgrade echo
default
  respond 405 body "use CONNECT"`,

	"hold-body": `# keep the body, never read it, never answer (production bug 2)
hold body`,

	"upgrade-ws": `# the WebSocket handshake, then a WebSocket echo on the upgraded IO
accept websocket`,
}

// Program is a service program of the library: a catalog service's
// program, or a program that reproduces a problem people hit.
type Program struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Kind is "catalog" (the program of the catalog service Name) or
	// "problem" (a program of its own, run as a session's
	// service_program).
	Kind   string `json:"kind"`
	Source string `json:"source"`
}

// Programs lists the catalog's programs (by name) and then the problem
// programs (problem_programs.go). The caller owns the slice.
func Programs() []Program {
	out := make([]Program, 0, len(byName)+len(problemPrograms))
	for _, h := range byName {
		out = append(out, Program{Name: h.Name, Description: h.Description, Kind: "catalog", Source: h.Program})
	}
	return append(out, problemPrograms...)
}
