package h1

import (
	"testing"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
)

// The rest of hyper's client API (issue 15 item 4): try_send_request,
// is_closed, the queue dropped with the connection, with_upgrades.

func clientGet(uri string, headers ...Header) ClientRequest {
	return ClientRequest{Head: RequestHead{Method: "GET", URI: []byte(uri), Version: HTTP11, Headers: headers}}
}

func run(t *testing.T, ex *poll.Executor) {
	t.Helper()
	if _, err := ex.RunUntilIdle(1000); err != nil {
		t.Fatal(err)
	}
}

// mustResolve polls f once and requires it ready.
func mustResolve(t *testing.T, f *ResponseFuture) ClientResponse {
	t.Helper()
	r := f.Poll(poll.NewContext())
	if !r.Ready {
		t.Fatal("the response future is still pending")
	}
	return r.Value
}

// TestTrySendRequestGivesTheRequestBack: a connection that is busy, and
// later one that is closed, refuses at the call with "connection was not
// ready"; try_send_request's error carries the request back
// (TrySendError::message), send_request's does not; is_closed tells the
// two cases apart.
func TestTrySendRequestGivesTheRequestBack(t *testing.T) {
	ex, dx, tx, _ := clientHarness(t)
	a := tx.TrySendRequest(clientGet("/a", body.H("host", "x")))
	run(t, ex)
	if r := a.Poll(poll.NewContext()); r.Ready {
		t.Fatalf("the first request was refused: %+v", r.Value)
	}
	// busy: /a's response has not arrived, the connection does not want
	b := mustResolve(t, tx.TrySendRequest(clientGet("/b")))
	if b.Err == nil || b.Err.Kind != KindCanceled || b.Err.Error() != "connection was not ready" {
		t.Fatalf("busy: err %v, want canceled \"connection was not ready\"", b.Err)
	}
	if b.Message == nil || string(b.Message.Head.URI) != "/b" {
		t.Fatalf("busy: the request did not come back: %+v", b.Message)
	}
	if tx.IsClosed() {
		t.Fatal("busy: is_closed is true")
	}
	if c := mustResolve(t, tx.SendRequest(clientGet("/c"))); c.Err == nil || c.Message != nil {
		t.Fatalf("send_request: err %v message %+v, want an error without the request", c.Err, c.Message)
	}
	dx.Server.Write([]byte("HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"))
	run(t, ex)
	if r := mustResolve(t, a); r.Err != nil || r.Head.Status != 200 {
		t.Fatalf("/a: %+v", r)
	}
	run(t, ex)
	if !tx.IsClosed() {
		t.Fatal("closed: is_closed is false after the connection closed")
	}
	d := mustResolve(t, tx.TrySendRequest(clientGet("/d")))
	if d.Err == nil || d.Err.Error() != "connection was not ready" || d.Message == nil || string(d.Message.Head.URI) != "/d" {
		t.Fatalf("closed: err %v message %+v", d.Err, d.Message)
	}
	if p := tx.PollReady(poll.NewContext()); !p.Ready || p.Value == nil || p.Value.Kind != KindClosed {
		t.Fatalf("poll_ready after close: %+v, want Ready(closed)", p)
	}
}

// TestQueuedRequestDroppedWithConnection: a request queued while an idle
// connection wants one, but not yet taken when the server's FIN closes
// that connection cleanly, is dropped with the connection's receiver: its
// Envelope answers "connection closed", with the request for
// try_send_request. On a fresh connection (keep-alive still Busy) the same
// FIN is an incomplete-message error, and Client::recv_msg cancels the
// queued request with it, again giving it back.
func TestQueuedRequestDroppedWithConnection(t *testing.T) {
	for _, c := range []struct {
		idle bool
		try  bool
	}{{true, true}, {true, false}, {false, true}, {false, false}} {
		ex, dx, tx, conn := clientHarness(t)
		if c.idle {
			first := tx.SendRequest(clientGet("/a", body.H("host", "x")))
			run(t, ex)
			dx.Server.Write([]byte("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"))
			run(t, ex)
			if r := mustResolve(t, first); r.Err != nil {
				t.Fatalf("%+v: the first exchange failed: %v", c, r.Err)
			}
			dx.Server.ReadAll(nil)
		}
		if !tx.IsReady() {
			t.Fatalf("%+v: the connection does not want a request", c)
		}
		dx.Server.Shutdown()
		req := clientGet("/late", body.H("host", "x"))
		var f *ResponseFuture
		if c.try {
			f = tx.TrySendRequest(req)
		} else {
			f = tx.SendRequest(req)
		}
		run(t, ex)
		if !conn.Done() {
			t.Fatalf("%+v: the connection did not finish", c)
		}
		r := mustResolve(t, f)
		if r.Err == nil || r.Err.Kind != KindCanceled {
			t.Fatalf("%+v: err %v, want canceled", c, r.Err)
		}
		if c.idle {
			if conn.Err() != nil || r.Err.Error() != "connection closed" {
				t.Fatalf("%+v: conn err %v, request err %v; want a clean end and \"connection closed\"", c, conn.Err(), r.Err)
			}
		} else if cause, ok := r.Err.Cause.(*Error); !ok || cause.Kind != KindIncomplete {
			t.Fatalf("%+v: request err %v, want canceled with the incomplete error", c, r.Err)
		}
		if c.try != (r.Message != nil) {
			t.Fatalf("%+v: message %+v", c, r.Message)
		}
		if got := dx.Server.ReadAll(nil); len(got) != 0 {
			t.Fatalf("%+v: the dropped request was written: %q", c, got)
		}
	}
}

// TestClientUpgrade: with_upgrades hands the IO and the bytes read past a
// 101 head to the response's OnUpgrade, and the socket stays open; without
// it, Connection::poll's pending.manual() gives the OnUpgrade the manual-
// upgrade error and the socket closes.
func TestClientUpgrade(t *testing.T) {
	for _, with := range []bool{true, false} {
		ex, dx, tx, conn := clientHarness(t)
		if with {
			conn.WithUpgrades()
		}
		f := tx.SendRequest(clientGet("/chat", body.H("host", "x"), body.H("connection", "upgrade"), body.H("upgrade", "echo")))
		run(t, ex)
		dx.Server.ReadAll(nil)
		dx.Server.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: echo\r\n\r\nleft"))
		run(t, ex)
		r := mustResolve(t, f)
		if r.Err != nil || r.Head.Status != 101 || r.Upgrade == nil {
			t.Fatalf("with=%v: response %+v", with, r)
		}
		up := r.Upgrade.Poll(poll.NewContext())
		if !up.Ready {
			t.Fatalf("with=%v: the upgrade is still pending", with)
		}
		if !with {
			if up.Value != nil || conn.Upgraded() {
				t.Fatal("without with_upgrades the IO was handed over")
			}
			if e := conn.UpgradeErr(); e.Kind != KindUser || e.Error() != "upgrade expected but low level API in use" {
				t.Fatalf("manual upgrade error %v", e)
			}
			if !dx.Server.In().WriteClosed() {
				t.Fatal("without with_upgrades the socket stayed open")
			}
			continue
		}
		if up.Value == nil || !conn.Upgraded() || string(up.Value.Leftover()) != "left" {
			t.Fatalf("with_upgrades: upgraded %v, conn.Upgraded %v", up.Value, conn.Upgraded())
		}
		if dx.Server.In().WriteClosed() {
			t.Fatal("with_upgrades: the socket closed")
		}
		buf := make([]byte, 16)
		if rd := up.Value.PollRead(poll.NewContext(), buf); !rd.Ready || string(buf[:rd.Value.N]) != "left" {
			t.Fatalf("with_upgrades: first read %+v", rd)
		}
		if w := up.Value.PollWrite(poll.NewContext(), []byte("ping")); !w.Ready || w.Value.N != 4 {
			t.Fatalf("with_upgrades: write %+v", w)
		}
		if got := string(dx.Server.ReadAll(nil)); got != "ping" {
			t.Fatalf("with_upgrades: the server read %q", got)
		}
	}
}

// TestStreamTrailersEndTheBody: send-trailers' frame comes after the
// queued chunks and ends the body; the stream is not at its end while the
// trailers wait.
func TestStreamTrailersEndTheBody(t *testing.T) {
	ex, dx, tx, _ := clientHarness(t)
	s := body.NewStream(ex)
	req := ClientRequest{Head: RequestHead{Method: "POST", URI: []byte("/"), Version: HTTP11,
		Headers: []Header{body.H("host", "x"), body.H("trailer", "x-sum")}}, Body: s}
	tx.SendRequest(req)
	s.Send([]byte("abc"))
	s.SendTrailers([]Header{body.H("X-Sum", "9"), body.H("X-Other", "no")})
	if s.IsEndStream() {
		t.Fatal("the stream says end while its trailers wait")
	}
	run(t, ex)
	want := "POST / HTTP/1.1\r\nhost: x\r\ntrailer: x-sum\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nx-sum: 9\r\n\r\n"
	if got := string(dx.Server.ReadAll(nil)); got != want {
		t.Fatalf("wire:\n%q\nwant\n%q", got, want)
	}
}

// TestClientUpgradeDiscarded: a response dropped with its OnUpgrade
// untouched drops the Upgraded the connection handed over: the socket
// closes, as dropping hyper's oneshot drops the value in it.
func TestClientUpgradeDiscarded(t *testing.T) {
	ex, dx, tx, conn := clientHarness(t)
	conn.WithUpgrades()
	f := tx.SendRequest(clientGet("/chat", body.H("host", "x"), body.H("connection", "upgrade"), body.H("upgrade", "echo")))
	run(t, ex)
	dx.Server.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: echo\r\n\r\n"))
	run(t, ex)
	r := mustResolve(t, f)
	if r.Upgrade == nil || !conn.Upgraded() || dx.Server.In().WriteClosed() {
		t.Fatalf("the upgrade was not handed over: %+v, upgraded %v", r, conn.Upgraded())
	}
	r.Upgrade.Discard()
	if !dx.Server.In().WriteClosed() {
		t.Fatal("the discarded Upgraded left the socket open")
	}
}
