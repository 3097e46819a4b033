package h1

// Role is which side of the connection the engine plays. Differences
// between server and client are questions asked of the role (hyper's
// Http1Transaction), not `if server` scattered through the code.
type Role uint8

const (
	RoleServer Role = iota
	RoleClient
)

// IsServer reports whether the engine serves.
func (r Role) IsServer() bool { return r == RoleServer }

// IsClient reports whether the engine is the client.
func (r Role) IsClient() bool { return r == RoleClient }

// ShouldReadFirst: a server reads a request before writing; a client writes
// first.
func (r Role) ShouldReadFirst() bool { return r.IsServer() }

// ShouldErrorOnParseEOF: EOF before a head is an error for a client waiting
// on a response; for a server it is a client going away between requests.
func (r Role) ShouldErrorOnParseEOF() bool { return r.IsClient() }

func (r Role) String() string {
	if r == RoleClient {
		return "client"
	}
	return "server"
}
