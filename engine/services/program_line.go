package services

import "github.com/connlab/connlab/engine/h1"

// ProgramLine is the source line of the operation a service program
// reached last: the one running, or waiting, at this moment (a request's
// section, or a `body stream`'s producer after the respond), and after it
// finishes the last one that ran, until another starts. 0 when svc is not
// a program (a catalog service) or no operation has run yet. The browser
// highlights this line while stepping.
func ProgramLine(svc h1.Service) int {
	if p, ok := svc.(*programService); ok {
		return p.line
	}
	return 0
}
