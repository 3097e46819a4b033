//go:build connlab_stub

package session

import "errors"

// engineHelloPipelined stands in for the real one (bench_harness_test.go),
// so that nethttp_peer_test.go could be built and its net/http peer run
// before the engine's bench existed: go test -tags connlab_stub. Never build
// with this tag once the real function exists: the two would collide.
func engineHelloPipelined(requests, pipeline int, trace bool) (seconds float64, allocsPerReq float64, err error) {
	return 0, 0, errors.New("engineHelloPipelined: stub (built with -tags connlab_stub); the real one is in bench_harness_test.go")
}
