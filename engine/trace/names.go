package trace

import "strings"

// One naming scheme for the functions events name (issue 16, item 9). An
// event about one of hyper's functions carries hyper's path in its Ref,
// after the source file and before the chapter section:
//
//	conn.rs Conn::poll_read_head §12.10.1
//
// and connlab's Go function is the same name in Go case, the name a call
// or ret event carries and a span shows: Conn.pollReadHead. Func renders
// an event's function hyper's name first, the Go name beside it:
// "Conn::poll_read_head (Conn.pollReadHead)". Where connlab's Go name is
// not hyper's in Go case, goNames says what it is ("" where connlab has
// no function of its own for it).

// Ref is a ref split into its parts.
type Ref struct {
	File    string // hyper's source file, "conn.rs"
	Hyper   string // hyper's function, "Conn::poll_read_head"
	Words   string // anything between the function and the section
	Section string // "§12.10.1", "§12.8.1 (errors: poll_catch)", or ""
}

// ParseRef splits a ref that names one of hyper's functions; ok is false
// for a ref that does not (an RFC's section, a client program's line).
func ParseRef(s string) (r Ref, ok bool) {
	file, rest, _ := strings.Cut(s, " ")
	if !strings.HasSuffix(file, ".rs") {
		return Ref{}, false
	}
	if i := strings.Index(rest, "§"); i >= 0 {
		r.Section = rest[i:]
		rest = strings.TrimSpace(rest[:i])
	}
	fn, words, _ := strings.Cut(rest, " ")
	fn = strings.TrimRight(fn, ",:")
	if !strings.Contains(fn, "::") {
		return Ref{}, false
	}
	return Ref{File: file, Hyper: fn, Words: words, Section: r.Section}, true
}

// goNames are connlab's Go names for hyper's functions whose Go name is
// not the rule's (GoName), by hyper's name or, where two files have a
// function of that name, by file and name; "" where connlab has no
// function of its own for it (the code that stands for it is inline in
// another). TestEventNames (engine/scenarios) checks that the Go name of
// every ref in the engine, from here or by the rule, is a function (or
// type) of the engine.
var goNames = [...]struct{ hyper, goName string }{
	{"Buffered::parse", "buffered.parseHead"},
	{"Buffered::poll_flush", "buffered.pollFlush"},
	{"Buffered::poll_read_from_io", "buffered.pollReadFromIO"},
	{"Builder::handshake", "Handshake"},
	{"ChunkedState::step", "Decoder.step"},
	{"Client::decoder", "responseDecoder"},
	{"Client::encode", "encodeRequest"},
	{"Client::parse", "parseResponse"},
	{"Client::set_length", "encodeRequest"},
	{"Client::poll_msg", "clientDispatch.pollMsg"},
	{"Client::recv_msg", "clientDispatch.recvMsg"},
	{"Client::poll_ready", "clientDispatch.pollReady"},
	{"Connection::poll", "ClientConn.Poll"},
	{"KA::bitand_assign", "KA.And"},
	{"Pending::fulfill", ""},
	{"Pending::manual", "ClientConn.Poll"},
	{"SendRequest::send_request", "SendRequest.SendRequest"},
	{"Server::encode", "encodeResponse"},
	{"Server::on_error", "Conn.onParseError"},
	{"Server::parse", "parseRequest"},
	{"Server::poll_msg", "serverDispatch.pollMsg"},
	{"Server::recv_msg", "serverDispatch.recvMsg"},
	{"Time::check", "NewConn"},
	{"server/conn/http1.rs UpgradeableConnection::poll", "ServerConn.Poll"},
	{"client/conn/http1.rs UpgradeableConnection::poll", "ClientConn.Poll"},
	{"WriteBuf::buffer", ""},
	{"dispatch::channel", "clientChan"},
	{"Sender::try_send_data", "Sender.TrySendData"},
	{"Sender::try_send_trailers", "Sender.TrySendTrailers"},
	{"Sender::send_error", "Sender.SendError"},
	{"Incoming::poll_frame", "Incoming.PollFrame"},
	{"role::record_header_indices", "parseHeaders"},
}

// GoName is connlab's Go name for the function a ref names: goNames's,
// else the rule's (the type, then the function in lower camel case:
// "Conn::poll_read_head" → "Conn.pollReadHead"); "" when connlab has no
// function of its own for it.
func GoName(r Ref) string {
	// by file and name first, then by name
	for _, key := range [2]string{r.File + " " + r.Hyper, r.Hyper} {
		for _, n := range goNames {
			if n.hyper == key {
				return n.goName
			}
		}
	}
	typ, fn, ok := strings.Cut(r.Hyper, "::")
	if !ok || strings.Contains(fn, "::") {
		return ""
	}
	b := make([]byte, 0, len(r.Hyper))
	b = append(append(b, typ...), '.')
	up := false
	for i := 0; i < len(fn); i++ {
		switch c := fn[i]; {
		case c == '_':
			up = true
		case up && c >= 'a' && c <= 'z':
			b = append(b, c-'a'+'A')
			up = false
		default:
			b = append(b, c)
			up = false
		}
	}
	return string(b)
}

// Func is the function event e is about, hyper's name first and the Go
// name beside it, "Conn::poll_read_head (Conn.pollReadHead)"; hyper's
// alone when connlab has no function of its own for it; "" when e names
// none of hyper's functions. A ret event names its call's function.
func Func(e Event) string {
	r, ok := ParseRef(e.Ref)
	goName := ""
	switch {
	case ok:
		goName = GoName(r)
		if e.Kind == KindCall || e.Kind == KindRet {
			goName = e.Name
		}
	case e.Kind == KindCall || e.Kind == KindRet:
		if r.Hyper = HyperName(e.Name); r.Hyper == "" {
			return ""
		}
		goName = e.Name
	default:
		return ""
	}
	if goName == "" {
		return r.Hyper
	}
	return r.Hyper + " (" + goName + ")"
}

// HyperName is hyper's name for a Go method named by the rule
// ("Conn.pollReadHead" → "Conn::poll_read_head"); "" for a name that is
// not Type.method. The engine's call and ret events name such methods
// (TestEventNames).
func HyperName(goName string) string {
	typ, fn, ok := strings.Cut(goName, ".")
	if !ok || fn == "" || fn[0] < 'a' || fn[0] > 'z' {
		return ""
	}
	b := make([]byte, 0, len(goName)+4)
	b = append(append(b, typ...), ':', ':')
	for i := 0; i < len(fn); i++ {
		c := fn[i]
		if c >= 'A' && c <= 'Z' {
			b = append(b, '_', c-'A'+'a')
			continue
		}
		b = append(b, c)
	}
	return string(b)
}
