package session_test

import (
	"github.com/connlab/connlab/engine/scenarios"
	"github.com/connlab/connlab/engine/session"
)

// The scenario library's session files seed the session file tests
// (fileSeeds in filejson_test.go) as they did when the library lived here.
func init() {
	for _, sc := range scenarios.Library() {
		session.LibrarySeeds = append(session.LibrarySeeds, []byte(sc.Session))
	}
}
