package h1

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
)

// A server's request head is parsed in place in the read buffer (as
// hyper's Server::parse splits it off and freezes it, no copy) and copied
// out only when the buffer is about to be written while the head is still
// in use. Here the service's future holds the request head while the next
// request arrives: the read that brings it writes over the bytes the
// first head was parsed from, and the future must still see the first.
func TestLentHeadSurvivesTheNextRead(t *testing.T) {
	release := false
	var waker poll.Waker
	svc := svcFunc(func(req *Request) ServiceFuture {
		head := req.Head
		return futFunc(func(cx *poll.Context) poll.Poll[Response] {
			if !release {
				waker = cx.Waker()
				return poll.Pending[Response]()
			}
			s := head.Method + " " + string(head.URI)
			for _, h := range head.Headers {
				s += " " + string(h.Name) + "=" + string(h.Value)
			}
			return poll.Ready(Response{Head: ResponseHead{Status: 200}, Body: body.NewFull([]byte(s))})
		})
	})
	h := newHarness(t, svc, DefaultOptions())
	h.send("GET /first HTTP/1.1\r\nHost: one\r\nX-A: alpha\r\n\r\n")
	h.send("PUT /second-and-longer HTTP/1.1\r\nHost: two\r\nX-B: omega\r\nContent-Length: 0\r\n\r\n")
	if h.srv.RequestsSeen() != 1 {
		t.Fatalf("requests seen %d, want 1 (the future is pending)", h.srv.RequestsSeen())
	}
	if len(h.srv.disp.conn.io.unread()) == 0 {
		t.Fatal("the second request was not read while the first was in flight: the test does not test the copy")
	}
	release = true
	waker.Wake()
	h.run()
	want := "GET /first Host=one X-A=alpha"
	if !strings.Contains(string(h.out), "\r\n\r\n"+want) {
		t.Fatalf("first response %q, want its body %q", h.out, want)
	}
}

// The head's slices are capped where they end: a service appending to the
// target or a field value gets a copy and never writes over the bytes that
// follow in the read buffer (here the next pipelined request).
func TestLentHeadSlicesAreCapped(t *testing.T) {
	svc := svcFunc(func(req *Request) ServiceFuture {
		_ = append(req.Head.URI, "XXXXXXXXXXXXXXXX"...)
		for _, h := range req.Head.Headers {
			_ = append(h.Name, "XXXXXXXXXXXXXXXX"...)
			_ = append(h.Value, "XXXXXXXXXXXXXXXX"...)
		}
		return respond(200, body.NewFull([]byte(req.Head.Method+" "+string(req.Head.URI))))
	})
	h := newHarness(t, svc, DefaultOptions())
	h.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: y\r\n\r\n")
	if n := strings.Count(string(h.out), "HTTP/1.1 200 OK"); n != 2 || !strings.HasSuffix(string(h.out), "GET /b") {
		t.Fatalf("output %q: want two 200s, the second for GET /b", h.out)
	}
}
