//go:build !js

package main

import (
	"net/http/httptest"
	"testing"

	"github.com/connlab/connlab/site/sitetest"
)

// TestRouteTable holds the local server to the route table the Worker in
// workerd is held to as well (site/cmd/worker's TestWorkerd).
func TestRouteTable(t *testing.T) {
	dir := t.TempDir()
	sitetest.WriteSite(t, dir)
	srv := httptest.NewServer(Handler(dir, nil, true))
	defer srv.Close()
	sitetest.Check(t, srv.URL)
}
