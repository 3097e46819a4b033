package rustgen

import "github.com/connlab/connlab/engine/session"

// Beside is the Rust beside a validated session file: its server's (the
// service program's, or the catalog service's, which has no operations)
// and its client program's, each with no text when the session has none
// (mode client has no server, mode server no program).
func Beside(f *session.File) (server, client Code) {
	mode := f.RunMode()
	switch {
	case !mode.HasServer():
	case f.Service() != nil:
		server = ServiceProgram(f.Service())
	default:
		server, _ = Service(f.Handler)
	}
	if mode.HasClient() {
		client = Client(f.Program(), clientOptions(f))
	}
	return server, client
}
