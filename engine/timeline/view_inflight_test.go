package timeline

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/session"
)

// The view's in-flight request is cached per request (a body read byte by
// byte records thousands of events, and comparing a long URI at each one
// made the timeline quadratic): two keep-alive requests whose URIs have the
// same length, parsed into the same place, must still show each its own.
func TestViewInFlightFollowsEachRequest(t *testing.T) {
	uriA, uriB := "/"+strings.Repeat("a", 2000), "/"+strings.Repeat("b", 2000)
	req := func(uri string) string {
		return "POST " + uri + " HTTP/1.1\r\nHost: x\r\nContent-Length: 300\r\n\r\n" + strings.Repeat("z", 300)
	}
	in := req(uriA) + req(uriB)
	f := &session.File{Version: 1, Mode: "server", Handler: "echo", Transport: session.Transport{ReadChunk: 1},
		Input: []session.Input{{Send: &in}}}
	tl, err := New(f)
	if err != nil || tl.Err() != nil {
		t.Fatal(err, tl.Err())
	}
	want := map[int]string{1: "POST " + uriA, 2: "POST " + uriB}
	seen := map[int]int{}
	for i := 0; i < tl.Len(); i++ {
		v := tl.ViewAt(i)
		if v.InFlight == "" {
			continue
		}
		if v.InFlight != want[v.Requests] {
			t.Fatalf("event %d, request %d: in flight %.20q…, want %.20q…", i, v.Requests, v.InFlight, want[v.Requests])
		}
		seen[v.Requests]++
	}
	if seen[1] < 300 || seen[2] < 300 {
		t.Errorf("events with each request in flight: %v", seen)
	}
}
