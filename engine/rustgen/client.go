package rustgen

import (
	"strings"

	"github.com/connlab/connlab/engine/program"
)

// ClientOptions are the client connection's settings: a session's
// server_options that hyper's client::conn::http1::Builder also has.
type ClientOptions struct {
	TitleCaseHeaders bool
	MaxBufSize       int // 0: hyper's default
}

// Client renders a client program as the hyper 1.x Rust it stands for: an
// async fn that takes the IO and runs the program's lines in order, with
// Ops[i] the lines of ops[i]. It is the view beside the program; the
// exported test (Export) runs the same lines with a record of what each
// did.
func Client(ops []program.Op, opts ClientOptions) Code {
	return clientCode(ops, opts, false, nil)
}

// clientState is what the program holds at a point, as the Rust's
// variables do: the generator tracks it to name the right variable and to
// see an error connlab reports without running anything (an await with no
// request, a use after a move).
type clientState struct {
	handshaken  bool
	spawned     bool
	awaited     bool // conn.await ran: conn is moved
	senderGone  bool // drop(sender) ran: sender is moved
	res         bool // `res` holds a response future not yet awaited
	tried       bool // ... from try_send_request (its error is a TrySendError)
	tryMethod   string
	tryPath     string
	resp        bool // `resp` holds a response
	stream      bool // `body_tx` is a live body sender
	streamEnded bool // drop(body_tx) ran
	upgraded    bool // `upgraded` holds the upgraded IO
	buf         bool // `buf` is declared
	stopped     bool // a line ended the program: the rest is not reached
}

// clientCode renders the program; test adds what the exported test
// records. back (test only) are the lines where connlab's run had a
// try_send_request's request come back (at the call, or from the awaited
// future): the test expects hyper to give it back there too.
func clientCode(ops []program.Op, opts ClientOptions, test bool, back map[int]bool) Code {
	var s src
	var st clientState
	var notes []string
	ranges := make([]Range, len(ops))
	if test {
		s.ln("async fn client(io: TokioIo<Net>, rec: Rec) -> Result<(), BoxError> {")
	} else {
		s.ln("async fn client(io: TokioIo<DuplexStream>) -> Result<(), BoxError> {")
	}
	s.indent = "    "
	for i := range ops {
		op := &ops[i]
		if test {
			s.ln("rec.at(", itoa(op.Line), "); // ", commentText(op.Text))
		}
		first := s.line + 1
		if st.stopped {
			s.ln("// not reached: ", commentText(op.Text))
		} else if note := clientOp(&s, &st, ops, i, opts, test, back[op.Line]); note != "" {
			notes = append(notes, "line "+itoa(op.Line)+": "+note)
			st.stopped = true
		}
		ranges[i] = Range{First: first, Last: s.line}
	}
	s.ln("Ok(())")
	s.indent = ""
	s.ln("}")
	lines := make([]int, len(ops))
	for i := range ops {
		lines[i] = ops[i].Line
	}
	return Code{Text: s.b.String(), Ops: ranges, OpLines: lines, Notes: notes}
}

// commentText is a program line as a Rust line comment's text.
func commentText(t string) string {
	t = strings.TrimSpace(t)
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, t)
}

// userErr ends the program as connlab's runner does for a line it cannot
// run (kind user).
func userErr(s *src, st *clientState, msg string) {
	s.ln("return Err(user(", rustStr(msg), "));")
	st.stopped = true
}

// untranslatable writes a line that says what has no Rust equivalent and
// returns it as a note.
func untranslatable(s *src, st *clientState, op *program.Op, why string) string {
	s.ln("// ", commentText(op.Text), ": ", why)
	st.stopped = true
	return why
}

// logLn is a test-only line that records what connlab's runner logs for
// the line (engine/session's client.go words it; the test compares).
func logLn(s *src, test bool, expr string) {
	if test {
		s.ln("rec.log(", expr, ");")
	}
}

func logText(s *src, test bool, text string) {
	logLn(s, test, rustStr(text))
}

// clientOp writes one operation; a non-empty result is a note (the Rust
// has no equivalent and the program stops there).
func clientOp(s *src, st *clientState, ops []program.Op, i int, opts ClientOptions, test, back bool) string {
	op := &ops[i]
	k := op.Kind
	needConn := k != program.OpHandshake && k != program.OpSleep && k != program.OpCloseWrite
	if needConn && !st.handshaken {
		userErr(s, st, k.String()+" before handshake")
		return ""
	}
	needSender := k == program.OpReady || k == program.OpSend || k == program.OpTrySend
	if needSender && st.senderGone {
		return untranslatable(s, st, op, "the sender was dropped (moved) before; Rust does not compile a use after drop(sender)")
	}
	switch k {
	case program.OpHandshake:
		if st.handshaken {
			userErr(s, st, "handshake twice")
			return ""
		}
		st.handshaken = true
		sender := "sender"
		if usedLater(ops, i, 0, program.OpSend, program.OpTrySend, program.OpReady) {
			sender = "mut sender"
		}
		if !opts.TitleCaseHeaders && opts.MaxBufSize == 0 {
			s.ln("let (", sender, ", conn) = hyper::client::conn::http1::handshake::<_, Body>(io).await?;")
		} else {
			s.ln("let (", sender, ", conn) = hyper::client::conn::http1::Builder::new()")
			if opts.TitleCaseHeaders {
				s.ln("    .title_case_headers(true)")
			}
			if opts.MaxBufSize != 0 {
				s.ln("    .max_buf_size(", itoa(opts.MaxBufSize), ")")
			}
			s.ln("    .handshake::<_, Body>(io)")
			s.ln("    .await?;")
		}
		logText(s, test, "handshake: a SendRequest and a connection future (not running until spawned or awaited)")
	case program.OpWithUpgrades:
		if st.spawned || st.awaited {
			userErr(s, st, "with upgrades after the connection was spawned or awaited: with_upgrades wraps the connection future before it runs")
			return ""
		}
		s.ln("let conn = conn.with_upgrades();")
		logText(s, test, "with_upgrades: a 101 will hand the IO and its leftover bytes to hyper::upgrade::on")
	case program.OpSpawnConn:
		if st.spawned {
			userErr(s, st, "spawn conn twice")
			return ""
		}
		if st.awaited {
			return untranslatable(s, st, op, "conn was awaited (moved) before; Rust does not compile spawning it")
		}
		st.spawned = true
		if test {
			s.ln("rec.keep_conn(tokio::spawn(conn));")
		} else {
			s.ln("tokio::spawn(conn);")
		}
		logText(s, test, "spawned the connection as its own task")
	case program.OpAwaitConn:
		if st.spawned {
			userErr(s, st, "await conn after spawn conn: the task owns it")
			return ""
		}
		if st.awaited {
			return untranslatable(s, st, op, "conn was awaited (moved) before")
		}
		st.awaited = true
		s.ln("conn.await?;")
		logText(s, test, "connection finished")
	case program.OpReady:
		s.ln("sender.ready().await?;")
		logText(s, test, "ready: the connection wants a request (SendRequest::poll_ready)")
	case program.OpSend, program.OpTrySend:
		sendOp(s, st, op, test, back)
	case program.OpSendBody:
		if !st.stream && !st.streamEnded {
			userErr(s, st, "send-body without a `send ... body stream`")
			return ""
		}
		if st.streamEnded {
			return untranslatable(s, st, op, "the body sender was dropped by end-body before")
		}
		s.ln("let _ = body_tx.unbounded_send(Ok(Frame::data(Bytes::from_static(", byteLit(op.Body, ""), "))));")
		logText(s, test, "body sender: "+itoa(len(op.Body))+" bytes")
	case program.OpSendTrailers:
		if !st.stream && !st.streamEnded {
			userErr(s, st, "send-trailers without a `send ... body stream`")
			return ""
		}
		if st.streamEnded {
			return untranslatable(s, st, op, "the body sender was dropped by end-body before")
		}
		s.ln("let _ = body_tx.unbounded_send(Ok(Frame::trailers(fields(&[", fieldList(op.Headers), "]))));")
		names := make([]string, len(op.Headers))
		for i, h := range op.Headers {
			names[i] = h[0]
		}
		logText(s, test, "body sender: trailers "+strings.Join(names, ", ")+" (the body's last frame)")
	case program.OpEndBody:
		if !st.stream && !st.streamEnded {
			userErr(s, st, "end-body without a `send ... body stream`")
			return ""
		}
		if st.streamEnded {
			return untranslatable(s, st, op, "the body sender was dropped by end-body before")
		}
		st.stream, st.streamEnded = false, true
		s.ln("drop(body_tx);")
		logText(s, test, "body sender: end of body")
	case program.OpAwaitResponse, program.OpTimeoutAwaitResponse:
		if !st.res {
			userErr(s, st, "await response with no request in flight")
			return ""
		}
		st.res, st.resp = false, true
		resp := "resp"
		if usedLater(ops, i, program.OpAwaitResponse, program.OpReadBody, program.OpAwaitUpgrade) {
			resp = "mut resp"
		}
		tried := st.tried
		st.tried = false
		if tried && back {
			// connlab's run had the request given back here
			st.resp = false
			what := st.tryMethod + " " + st.tryPath
			givenBackMatch(s, "res.await", "try_send_request gave the request back ("+what+"): ", "connlab gave it back")
			break
		}
		await := "res.await?"
		if tried {
			await = "res.await.map_err(|err| err.into_error())?"
		}
		if k == program.OpTimeoutAwaitResponse {
			await = "tokio::time::timeout(Duration::from_millis(" + i64toa(op.MS) + "), res).await?"
			if tried {
				await += ".map_err(|err| err.into_error())?"
			} else {
				await += "?"
			}
		}
		s.ln("let ", resp, " = ", await, ";")
		logLn(s, test, `format!("response {}", resp.status().as_u16())`)
	case program.OpReadBody:
		if !st.resp {
			userErr(s, st, "read-body with no response")
			return ""
		}
		s.ln("let data = resp.body_mut().collect().await?.to_bytes();")
		logLn(s, test, `format!("body {} ({} bytes)", go_quote(&data), data.len())`)
	case program.OpDropSender:
		st.senderGone = true
		s.ln("drop(sender);")
		logText(s, test, "dropped the SendRequest")
	case program.OpDropResponse:
		switch {
		case st.res && st.resp:
			s.ln("drop(res);")
			s.ln("drop(resp);")
		case st.res:
			s.ln("drop(res);")
		case st.resp:
			s.ln("drop(resp);")
		default:
			s.ln("// nothing to drop: no response held")
		}
		st.res, st.resp = false, false
		logText(s, test, "dropped the response")
	case program.OpSleep:
		s.ln("tokio::time::sleep(Duration::from_millis(", i64toa(op.MS), ")).await;")
		logText(s, test, "slept "+i64toa(op.MS)+"ms")
	case program.OpCloseWrite:
		// hyper has no call for it: the socket's own shutdown(SHUT_WR),
		// under the connection that owns it
		s.ln("// close write: shutdown(SHUT_WR) on the socket hyper's connection owns")
		if test {
			s.ln("rec.close_write();")
		}
		logText(s, test, "shut down the write side (FIN)")
	case program.OpAwaitUpgrade:
		if !st.resp {
			userErr(s, st, "await upgrade with no response")
			return ""
		}
		if test {
			// the test logs the leftover bytes hyper hands over with the IO
			s.ln("let upgraded = hyper::upgrade::on(&mut resp).await?;")
			s.ln("let parts = upgraded.downcast::<TokioIo<Net>>().map_err(|_| user(\"upgraded IO of another type\"))?;")
			s.ln(`rec.log(format!("upgraded: the IO arrived with {} leftover bytes {}", parts.read_buf.len(), go_quote(&parts.read_buf)));`)
			s.ln("let mut upgraded = Prefixed { left: parts.read_buf, io: parts.io.inner };")
		} else {
			s.ln("let mut upgraded = TokioIo::new(hyper::upgrade::on(&mut resp).await?);")
		}
		st.upgraded = true
	case program.OpUpgradedWrite:
		if !st.upgraded {
			userErr(s, st, "upgraded write before await upgrade")
			return ""
		}
		s.ln("upgraded.write_all(", byteLit(op.Body, ""), ").await?;")
		logText(s, test, "upgraded: wrote "+itoa(len(op.Body))+" bytes "+quoteGo(string(op.Body)))
	case program.OpUpgradedRead:
		if !st.upgraded {
			userErr(s, st, "upgraded read before await upgrade")
			return ""
		}
		if !st.buf {
			st.buf = true
			s.ln("let mut buf = vec![0u8; 4096];")
		}
		s.ln("let n = upgraded.read(&mut buf).await?;")
		logLn(s, test, `if n == 0 { "upgraded: read EOF".to_string() } else { format!("upgraded: read {} bytes {}", n, go_quote(&buf[..n])) }`)
	default:
		return untranslatable(s, st, op, "unknown operation")
	}
	return ""
}

// usedLater reports whether an operation of one of kinds comes after
// ops[i], before the next operation of kind until (0: to the end; an
// await response of either form ends OpAwaitResponse): whether the Rust
// variable a line declares needs mut.
func usedLater(ops []program.Op, i int, until program.OpKind, kinds ...program.OpKind) bool {
	for _, op := range ops[i+1:] {
		if op.Kind == until || until == program.OpAwaitResponse && op.Kind == program.OpTimeoutAwaitResponse {
			return false
		}
		for _, k := range kinds {
			if op.Kind == k {
				return true
			}
		}
	}
	return false
}

// sendOp writes `send ...` (send_request) or `try send ...`
// (try_send_request): the request, then the call. back: connlab's run had
// a try send's request come back at the call.
func sendOp(s *src, st *clientState, op *program.Op, test, back bool) {
	try := op.Kind == program.OpTrySend
	if st.res && !(try && back) {
		// connlab drops the response future a new send replaces
		s.ln("drop(res);")
	}
	if op.Stream {
		s.ln("let (body_tx, body_rx) = futures_channel::mpsc::unbounded::<Result<Frame<Bytes>, BoxError>>();")
	}
	s.ln("let req = Request::builder()")
	m, _ := strLit(op.Method) // a token: printable ASCII
	s.ln("    .method(", m, ")")
	s.ln("    .uri(", textOrBytes(op.Path), ")")
	if op.Version == "HTTP/1.0" {
		s.ln("    .version(Version::HTTP_10)")
	}
	for _, h := range op.Headers {
		n, _ := strLit(h[0])
		s.ln("    .header(", n, ", ", textOrBytes(h[1]), ")")
	}
	switch {
	case op.Stream:
		s.ln("    .body(StreamBody::new(body_rx).boxed())?;")
		st.stream, st.streamEnded = true, false
	case op.HasBody:
		s.ln("    .body(full(", byteLit(op.Body, ""), "))?;")
	default:
		s.ln("    .body(empty())?;")
	}
	what := op.Method + " " + op.Path
	if op.Version != "" {
		what += " " + op.Version
	}
	if try && back && test {
		// the connection could not take it: the request comes back at
		// once, and the program keeps what it had
		givenBackMatch(s, "sender.try_send_request(req).await", "try_send_request "+what+" came back: ", "connlab gave it back at once")
		return
	}
	if try {
		s.ln("let res = sender.try_send_request(req);")
		st.tried, st.tryMethod, st.tryPath = true, op.Method, op.Path
		logText(s, test, "try_send_request "+what)
	} else {
		s.ln("let res = sender.send_request(req);")
		st.tried = false
		logText(s, test, "send_request "+what)
	}
	st.res = true
}

// givenBackMatch writes the match on a try_send_request's result (fut,
// awaited) where connlab's run had the request come back: the request
// given back is logged as connlab's runner words it (logPrefix, the
// cause, whether the sender is closed); any other error is the program's,
// and an answer is hyper disagreeing with connlab (why, in the error).
func givenBackMatch(s *src, fut, logPrefix, why string) {
	s.ln("match ", fut, " {")
	s.ln("    Err(mut err) => {")
	s.ln("        if err.take_message().is_none() {")
	s.ln("            return Err(err.into_error().into());")
	s.ln("        }")
	s.ln("        rec.log(format!(", rustStr(logPrefix+"{}; SendRequest::is_closed() = {}"), ", cause_text(err.error()), sender.is_closed()));")
	s.ln("    }")
	s.ln("    Ok(_) => return Err(user(", rustStr("hyper answered the request ("+why+")"), ")),")
	s.ln("}")
}

// fieldList renders header fields as Rust tuples ("Name", b"value").
func fieldList(hs [][2]string) string {
	var b strings.Builder
	for i, h := range hs {
		if i > 0 {
			b.WriteString(", ")
		}
		n, _ := strLit(h[0])
		b.WriteString("(" + n + ", &" + byteLit([]byte(h[1]), "") + "[..])")
	}
	return b.String()
}
