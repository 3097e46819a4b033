package services

// The catalog as programs: each catalog service written in the service
// program language (engine/program), with the same meaning. The Go
// services stay the implementation a session runs by handler name: they
// answer without allocating per request, and hello is the service the
// engine's benchmarks measure. The tests named TestCatalogProgramsMatch*
// (engine/session: every golden and library scenario; engine/conformance:
// every server case) run each with the program in place of the Go service
// and require the same bytes, transcripts and trace, so the two cannot
// drift apart.

// Each catalog service's program text (Handler.Program), by the service's
// name: constants, so the catalog costs no initialisation code.
const (
	progHello = `# 200 "hello"; the request body is never read
respond 200 body "hello"`
	progEcho = `# read the whole request body, answer with it
read-body
respond 200 body echo`
	progIgnoreBody = `# answer without reading the body: the connection drains it or closes
respond 200 body "ok"`
	progStream = `# a body of unknown length, produced over time (chunked)
respond 200 body stream
send-chunk "a"
send-chunk "b"
send-chunk "c"
end-body`
	progEmpty       = `respond 204`
	progClose       = `respond 200 header "Connection: close" body "bye"`
	progUpgradeEcho = `# with an Upgrade header: 101, then echo raw bytes on the upgraded IO
on * * header Upgrade
  respond 101 header "upgrade: echo" header "connection: upgrade"
  upgrade echo
default
  respond 400`
	progError   = "# the service future fails\nfail \"service `error` failed on purpose\""
	progReadOne = `# read one body frame, then drop the rest (the late drop)
read-frame
drop body
respond 200 body echo`
	progSlowBody = `# read the body frame by frame, yielding before each; answer with the count
read-body yielding
respond 200 body count`
	progDelay = `# service_fn(|_req| async { sleep(100ms).await; ... }): the request goes when call returns
drop request
sleep 100ms
respond 200 body "late"`
	progWaitBodyThenRespond = `# no response head until the request body has ended (seed 002's server)
read-body
respond 200 body "got " count " bytes"`
	progConnectTunnel = `# CONNECT: 200, then the connection is a tunnel that echoes raw bytes
on CONNECT * upgradable
  respond 200
  upgrade echo
default
  respond 405 body "use CONNECT"`
	progHoldBody = `# keep the body, never read it, never answer (production bug 2)
hold body`
	progUpgradeWs = `# the WebSocket handshake, then a WebSocket echo on the upgraded IO
accept websocket`
)

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
