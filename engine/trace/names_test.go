package trace

import "testing"

func TestParseRef(t *testing.T) {
	for _, tc := range []struct {
		ref  string
		want Ref
		ok   bool
	}{
		{"conn.rs Conn::poll_read_head §12.10.1", Ref{File: "conn.rs", Hyper: "Conn::poll_read_head", Section: "§12.10.1"}, true},
		{"conn.rs State::idle §12.8.1 (try_keep_alive's four paths)", Ref{File: "conn.rs", Hyper: "State::idle", Section: "§12.8.1 (try_keep_alive's four paths)"}, true},
		{"conn.rs Conn::poll_read_head h1_header_read_timeout §12.10.1", Ref{File: "conn.rs", Hyper: "Conn::poll_read_head", Words: "h1_header_read_timeout", Section: "§12.10.1"}, true},
		{"dispatch.rs Server::recv_msg, Server::poll_msg: the request §12.6.1", Ref{File: "dispatch.rs", Hyper: "Server::recv_msg", Words: "Server::poll_msg: the request", Section: "§12.6.1"}, true},
		{"role.rs Server::parse", Ref{File: "role.rs", Hyper: "Server::parse"}, true},
		{"RFC 6455 §5.2", Ref{}, false},
		{"client program", Ref{}, false},
		{"conn.rs channel §12.4.1", Ref{}, false},
		{"", Ref{}, false},
	} {
		got, ok := ParseRef(tc.ref)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseRef(%q) = %+v, %v; want %+v, %v", tc.ref, got, ok, tc.want, tc.ok)
		}
	}
}

func TestGoAndHyperNames(t *testing.T) {
	for _, tc := range []struct{ ref, goName string }{
		{"conn.rs Conn::poll_read_head §12.10.1", "Conn.pollReadHead"},
		{"conn.rs Conn::write_body_and_end §12.7.1 (poll_write's three chunk branches)", "Conn.writeBodyAndEnd"},
		{"conn.rs State::try_keep_alive §12.8.1 (try_keep_alive's four paths)", "State.tryKeepAlive"},
		{"role.rs Server::parse", "parseRequest"},
		{"server/conn/http1.rs UpgradeableConnection::poll §12.8.2", "ServerConn.Poll"},
		{"client/conn/http1.rs UpgradeableConnection::poll §12.8.2", "ClientConn.Poll"},
		{"io.rs WriteBuf::buffer", ""},
	} {
		r, _ := ParseRef(tc.ref)
		if got := GoName(r); got != tc.goName {
			t.Errorf("GoName(%q) = %q, want %q", tc.ref, got, tc.goName)
		}
	}
	for goName, hyper := range map[string]string{
		"Conn.pollReadHead": "Conn::poll_read_head", "State.tryKeepAlive": "State::try_keep_alive",
		"Conn.writeBodyAndEnd": "Conn::write_body_and_end", "Dispatcher.pollLoop": "Dispatcher::poll_loop",
		"server connection": "", "Handshake": "", "ClientConn.Poll": "",
	} {
		if got := HyperName(goName); got != hyper {
			t.Errorf("HyperName(%q) = %q, want %q", goName, got, hyper)
		}
	}
}

// TestFunc: every kind of event that is about one of hyper's functions
// shows hyper's name first and the Go name beside it.
func TestFunc(t *testing.T) {
	for _, tc := range []struct {
		e    Event
		want string
	}{
		{Event{Kind: KindCall, Name: "Conn.pollReadHead", Ref: "conn.rs Conn::poll_read_head §12.10.1"}, "Conn::poll_read_head (Conn.pollReadHead)"},
		{Event{Kind: KindRet, Name: "Conn.pollReadHead", Detail: "pending"}, "Conn::poll_read_head (Conn.pollReadHead)"},
		{Event{Kind: KindTransition, Field: "keep_alive", Ref: "conn.rs State::idle §12.8.1 (try_keep_alive's four paths)"}, "State::idle (State.idle)"},
		{Event{Kind: KindIter, N: 1, Ref: "dispatch.rs Dispatcher::poll_loop §12.5"}, "Dispatcher::poll_loop (Dispatcher.pollLoop)"},
		{Event{Kind: KindNote, Detail: "parsed 1 headers", Ref: "io.rs Buffered::parse"}, "Buffered::parse (buffered.parseHead)"},
		{Event{Kind: KindNote, Detail: "buffer.flatten", Ref: "io.rs WriteBuf::buffer"}, "WriteBuf::buffer"},
		{Event{Kind: KindQueue, Name: "want", Ref: "client/dispatch.rs dispatch::channel §12.4.1"}, "dispatch::channel (clientChan)"},
		{Event{Kind: KindError, Name: "user", Ref: "dispatch.rs Dispatcher::poll_catch §12.8.1 (errors: poll_catch)"}, "Dispatcher::poll_catch (Dispatcher.pollCatch)"},
		{Event{Kind: KindUpgrade, Name: "fulfill", Ref: "server/conn/http1.rs UpgradeableConnection::poll §12.8.2"}, "UpgradeableConnection::poll (ServerConn.Poll)"},
		{Event{Kind: KindFrame, Name: "text", Ref: "RFC 6455 §5.2"}, ""},
		{Event{Kind: KindPoll, Name: "server connection", Detail: "pending"}, ""},
		{Event{Kind: KindNote, Detail: "line 1", Ref: "client program"}, ""},
	} {
		if got := Func(tc.e); got != tc.want {
			t.Errorf("Func(%s %q) = %q, want %q", tc.e.Kind, tc.e.Ref, got, tc.want)
		}
	}
}
