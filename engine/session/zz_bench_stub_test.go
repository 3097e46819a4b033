//go:build connlab_stub

package session

import "errors"

// engineHelloPipelined stands in for the real one in bench.go, so that
// nethttp_peer_test.go can be built and its net/http peer run before the
// engine's bench exists: go test -tags connlab_stub ./engine/session/.
// Never build with this tag once bench.go defines the function.
func engineHelloPipelined(requests, pipeline int, trace bool) (seconds float64, allocsPerReq float64, err error) {
	return 0, 0, errors.New("engineHelloPipelined: stub (built with -tags connlab_stub); engine/session/bench.go provides the real one")
}
