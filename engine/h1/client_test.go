package h1

import (
	"testing"

	"github.com/connlab/connlab/engine/duplex"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// clientHarness is a client connection future spawned on a duplex, with
// the server side driven by the test.
func clientHarness(t *testing.T) (*poll.Executor, *duplex.Duplex, *SendRequest, *ClientConn) {
	t.Helper()
	rec := trace.New()
	ex := poll.NewExecutor(0, rec)
	dx := duplex.New(ex, duplex.Config{}, rec)
	tx, conn := Handshake(ex, dx.Client, DefaultOptions())
	ex.Spawn("client connection", conn)
	if _, err := ex.RunUntilIdle(1000); err != nil {
		t.Fatal(err)
	}
	return ex, dx, tx, conn
}

// TestClientConnErrorClosesIO (issue 15 item 3): bytes from the server
// while no request waits are an unexpected message; the connection future
// fails and, as dropping hyper's Connection drops its IO, the server reads
// EOF and its further writes go nowhere.
func TestClientConnErrorClosesIO(t *testing.T) {
	ex, dx, _, conn := clientHarness(t)
	dx.Server.Write([]byte("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"))
	if _, err := ex.RunUntilIdle(1000); err != nil {
		t.Fatal(err)
	}
	if !conn.Done() || conn.Err() == nil || conn.Err().Kind != KindUnexpectedMessage {
		t.Fatalf("done %v err %v: want unexpected-message", conn.Done(), conn.Err())
	}
	if !dx.Server.In().WriteClosed() {
		t.Fatal("the server did not read EOF after the client connection failed")
	}
	if n := dx.Server.Write([]byte("more")); n != 0 {
		t.Fatalf("the closed client still takes bytes (%d)", n)
	}
}

// TestClientConnOkClosesIO: a connection that ends cleanly (every
// SendRequest dropped) shuts its write side down and then is dropped with
// its IO: the server's bytes are no longer read.
func TestClientConnOkClosesIO(t *testing.T) {
	ex, dx, tx, conn := clientHarness(t)
	tx.Drop()
	if _, err := ex.RunUntilIdle(1000); err != nil {
		t.Fatal(err)
	}
	if !conn.Done() || conn.Err() != nil {
		t.Fatalf("done %v err %v: want a clean end", conn.Done(), conn.Err())
	}
	if !dx.Server.In().WriteClosed() {
		t.Fatal("the server did not read EOF")
	}
	if n := dx.Server.Write([]byte("late")); n != 0 {
		t.Fatalf("the dropped client connection still takes bytes (%d)", n)
	}
}
