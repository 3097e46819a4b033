package session

import "github.com/connlab/connlab/engine/services"

// The lines of user code executing now, for a viewer that highlights them
// while stepping (the timeline records them at every event).

// ServiceLine is the line of the service program's operation reached
// last (services.ProgramLine); 0 with a catalog handler or no server.
func (s *Session) ServiceLine() int {
	if s.svc == nil {
		return 0
	}
	return services.ProgramLine(s.svc)
}

// ClientLine is the line of the client program's operation running or
// waiting now (the next to run before the program is first polled, the
// last one after it ends); 0 with no client program.
func (s *Session) ClientLine() int {
	p := s.Client
	if p == nil || len(p.ops) == 0 {
		return 0
	}
	return p.ops[min(p.pc, len(p.ops)-1)].Line
}
