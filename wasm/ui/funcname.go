package ui

import "github.com/connlab/connlab/engine/trace"

// funcName is the function a call or ret event names, hyper's name first
// and the Go name beside it: "Conn::poll_read_head (Conn.pollReadHead)"
// (issue 16, item 9). The engine's call events name methods by hyper's
// name in Go case (engine/scenarios TestEventNames), so the rule's inverse
// (trace.HyperName) is enough here and the browser needs no name table.
func funcName(e trace.Event) string {
	h := trace.HyperName(e.Name)
	if h == "" {
		return e.Name
	}
	return h + " (" + e.Name + ")"
}
