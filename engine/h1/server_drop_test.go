package h1

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// The engine drops what Rust drops (issue 15 item 2): a service that
// forgets to drop its request body no longer stalls the connection.

// dropEvents lists the engine's drop events ("body: request body dropped:
// …", "upgrade: OnUpgrade dropped: …").
func dropEvents(rec *trace.Recorder) []string {
	var out []string
	for _, e := range rec.Events() {
		if (e.Kind == trace.KindBody || e.Kind == trace.KindUpgrade) && e.Name == "drop" {
			out = append(out, e.Detail)
		}
	}
	return out
}

func hasDrop(rec *trace.Recorder, detail string) bool {
	for _, d := range dropEvents(rec) {
		if d == detail {
			return true
		}
	}
	return false
}

// A POST whose body is still coming. Without the engine's drop, the two
// bytes fill the body channel's one-chunk slot and the connection waits
// for a reader that never comes: it neither closes nor reads on.
const partialPost = "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhe"

// TestServiceTakingNothingDoesNotStall: service_fn(|_req| async { … }) —
// the service takes nothing, so the request body is dropped when Call
// returns; the connection takes the early-drop path and closes after the
// response instead of waiting, with the body's one-chunk slot full, for a
// reader that never comes.
func TestServiceTakingNothingDoesNotStall(t *testing.T) {
	svc := svcFunc(func(req *Request) ServiceFuture {
		return respond(200, body.NewFull([]byte("ok")))
	})
	h := newHarness(t, svc, DefaultOptions())
	h.send(partialPost)
	if !hasDrop(h.rec, "request body dropped: "+dropCallReturned) {
		t.Fatalf("no drop when call returned: %v", dropEvents(h.rec))
	}
	if !h.hasNote("body receiver dropped before eof, draining or closing") {
		t.Fatalf("the early drop was not seen: %v", h.notes())
	}
	if !h.srv.Done() || strings.Count(string(h.out), "HTTP/1.1 200 OK") != 1 {
		t.Fatalf("done=%v, output %q: want one response, then the connection closed", h.srv.Done(), h.out)
	}
}

// TestServiceTakingBodyUnreadDoesNotStall: the service takes the body into
// its future and completes without reading it (an async block that owns
// the request and never looks at its body): the body is dropped when the
// future completes.
func TestServiceTakingBodyUnreadDoesNotStall(t *testing.T) {
	svc := svcFunc(func(req *Request) ServiceFuture {
		in := req.TakeBody()
		return futFunc(func(*poll.Context) poll.Poll[Response] {
			_ = in // owned, never read
			return poll.Ready(Response{Head: ResponseHead{Status: 200}, Body: body.NewFull([]byte("ok"))})
		})
	})
	h := newHarness(t, svc, DefaultOptions())
	h.send(partialPost)
	if !hasDrop(h.rec, "request body dropped: "+dropFutureCompleted) {
		t.Fatalf("no drop when the future completed: %v", dropEvents(h.rec))
	}
	if hasDrop(h.rec, "request body dropped: "+dropCallReturned) {
		t.Fatalf("a taken body was dropped when call returned: %v", dropEvents(h.rec))
	}
	if !h.srv.Done() || strings.Count(string(h.out), "HTTP/1.1 200 OK") != 1 {
		t.Fatalf("done=%v, output %q: want one response, then the connection closed", h.srv.Done(), h.out)
	}
}

// TestServiceFutureDroppedWithTheConnection: the service takes the body
// (and the OnUpgrade, when there is one) and never completes; the
// connection future is dropped (ServerConn.Drop, as aborting hyper's
// connection task), and the in-flight future with the Dispatcher: what it
// owned is dropped too.
func TestServiceFutureDroppedWithTheConnection(t *testing.T) {
	for _, tc := range []struct{ head, want string }{
		{"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", "request body dropped: " + dropFutureDropped},
		{"GET / HTTP/1.1\r\nUpgrade: echo\r\nConnection: upgrade\r\n\r\n", "OnUpgrade dropped: " + dropFutureDropped},
	} {
		var in body.Incoming
		var up *OnUpgrade
		svc := svcFunc(func(req *Request) ServiceFuture {
			in, up = req.TakeBody(), req.TakeUpgrade()
			return futFunc(func(*poll.Context) poll.Poll[Response] { return poll.Pending[Response]() })
		})
		h := newHarness(t, svc, DefaultOptions())
		h.send(tc.head)
		if len(dropEvents(h.rec)) != 0 {
			t.Fatalf("dropped while the future is alive: %v", dropEvents(h.rec))
		}
		h.srv.Drop()
		if !h.srv.Done() || !h.dx.ToClient.WriteClosed() {
			t.Fatalf("%q: the dropped connection did not close its transport", tc.head)
		}
		if !hasDrop(h.rec, tc.want) {
			t.Fatalf("%q: no %q: %v", tc.head, tc.want, dropEvents(h.rec))
		}
		if in.Live() || (up != nil && up.live()) {
			t.Fatalf("%q: what the dropped future owned is still live", tc.head)
		}
	}
}

// TestDetachedBodyOutlivesTheFuture: a body moved on (Detach) is not
// dropped with the future; its new owner reads it.
func TestDetachedBodyOutlivesTheFuture(t *testing.T) {
	var in body.Incoming
	svc := svcFunc(func(req *Request) ServiceFuture {
		in = req.TakeBody().Detach()
		return respond(200, body.NewFull([]byte("ok")))
	})
	h := newHarness(t, svc, DefaultOptions())
	h.send(partialPost)
	if len(dropEvents(h.rec)) != 0 || !in.Live() {
		t.Fatalf("a detached body was dropped: %v", dropEvents(h.rec))
	}
}

// TestTakeAfterCallPanics: the request is the engine's once Call returned.
func TestTakeAfterCallPanics(t *testing.T) {
	var kept *Request
	svc := svcFunc(func(req *Request) ServiceFuture {
		kept = req
		return respond(200, body.NewFull([]byte("ok")))
	})
	newHarness(t, svc, DefaultOptions()).send(get)
	defer func() {
		if recover() == nil {
			t.Fatal("TakeBody after Call returned did not panic")
		}
	}()
	kept.TakeBody()
}
