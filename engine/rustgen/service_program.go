package rustgen

import (
	"sort"
	"strings"

	"github.com/connlab/connlab/engine/program"
)

// ServiceProgram renders a service program as hyper 1.x Rust: `async fn
// handle(req)`, which a service_fn calls, picks the section as the program
// does (the first `on` section that matches, else the default) and awaits
// that section's async fn, whose lines are the section's operations.
// Ops[i] are the lines of the i-th operation in source order (OpLines[i]
// its program line), so a viewer highlights the line that is executing.
func ServiceProgram(svc *program.Service) Code {
	return serviceProgramCode(svc, false)
}

// sectionFn names a section's async fn.
func sectionFn(sec *program.Section) string {
	if sec.Default {
		if sec.Line == 0 {
			return "default_section"
		}
		return "default_line_" + itoa(sec.Line)
	}
	return "on_line_" + itoa(sec.Line)
}

func serviceProgramCode(svc *program.Service, test bool) Code {
	var s src
	var notes []string
	sections := make([]*program.Section, 0, len(svc.Sections)+1)
	for i := range svc.Sections {
		sections = append(sections, &svc.Sections[i])
	}
	sections = append(sections, svc.Default)

	s.ln("/// The service program: the first `on` section that matches the request")
	s.ln("/// runs, else the default section.")
	s.ln("async fn handle(req: Request<Incoming>) -> Result<Response<Body>, BoxError> {")
	s.indent = "    "
	for _, sec := range svc.Sections {
		if sec.Path != "*" {
			s.ln("let target = req.uri().to_string(); // the request-target, as the program matches it")
			break
		}
	}
	for _, sec := range sections[:len(sections)-1] {
		s.ln("// ", commentText(sectionHead(sec)))
		s.ln("if ", matchExpr(sec), " {")
		s.ln("    return ", sectionFn(sec), "(req).await;")
		s.ln("}")
	}
	s.ln(sectionFn(svc.Default), "(req).await")
	s.indent = ""
	s.ln("}")

	byLine := map[int]Range{}
	for _, sec := range sections {
		s.ln("")
		if sec.Default && sec.Line == 0 {
			s.ln("/// The default section.")
		} else {
			s.ln("/// ", commentText(sectionHead(sec)))
		}
		if n := sectionCode(&s, sec, byLine, test); n != "" {
			notes = append(notes, n)
		}
	}
	if usesEcho(svc) {
		mark := ""
		if test {
			mark = "        UPGRADED.store(true, Ordering::SeqCst);\n"
		}
		s.raw(replaceOnce(echoTask, "@MARK@", mark))
	}
	if usesWebSocket(svc) {
		s.raw(wsText(test))
	}
	// Ops and OpLines in source order
	var lines []int
	for _, sec := range sections {
		for _, op := range sec.Ops {
			lines = append(lines, op.Line)
		}
	}
	sort.Ints(lines) // the default section may come first or anywhere
	c := Code{Text: s.b.String(), Notes: notes, OpLines: lines}
	for _, l := range lines {
		c.Ops = append(c.Ops, byLine[l])
	}
	return c
}

// sectionHead is a section's heading as the program writes it.
func sectionHead(sec *program.Section) string {
	if sec.Default {
		return "default"
	}
	h := "on " + sec.Method + " " + sec.Path
	for _, n := range sec.Headers {
		h += " header " + n
	}
	if sec.Upgradable {
		h += " upgradable"
	}
	return h
}

// matchExpr is the Rust condition of an `on` section (Section.Matches).
func matchExpr(sec *program.Section) string {
	var conds []string
	if sec.Method != "*" {
		m, _ := strLit(sec.Method)
		conds = append(conds, "req.method() == "+m)
	}
	switch {
	case sec.Path == "*":
	case strings.HasSuffix(sec.Path, "*"):
		conds = append(conds, "target.starts_with("+rustStr(sec.Path[:len(sec.Path)-1])+")")
	default:
		conds = append(conds, "target == "+rustStr(sec.Path))
	}
	for _, h := range sec.Headers {
		conds = append(conds, "req.headers().contains_key("+rustStr(strings.ToLower(h))+")")
	}
	if sec.Upgradable {
		conds = append(conds, "req.extensions().get::<hyper::upgrade::OnUpgrade>().is_some()")
	}
	if len(conds) == 0 {
		return "true"
	}
	return strings.Join(conds, " && ")
}

// sectionCode writes a section's async fn; byLine gets each operation's
// lines. A non-empty result is a note (an operation with no rendering).
func sectionCode(s *src, sec *program.Section, byLine map[int]Range, test bool) string {
	ops := sec.Ops
	dropReq := len(ops) > 0 && ops[0].Kind == program.SvcDropRequest
	param := "req"
	if dropReq {
		param = "_req"
	}
	s.ln("async fn ", sectionFn(sec), "(", param, ": Request<Incoming>) -> Result<Response<Body>, BoxError> {")
	s.indent = "    "
	uses := func(k program.ServiceOpKind) bool {
		for _, op := range ops {
			if op.Kind == k {
				return true
			}
		}
		return false
	}
	reads := uses(program.SvcReadBody) || uses(program.SvcReadFrame)
	if !dropReq {
		// the future keeps the whole request: its head (with the
		// OnUpgrade) and its body, until it completes
		parts, body := "_parts", "_body"
		if uses(program.SvcUpgrade) || uses(program.SvcAcceptWebSocket) {
			parts = "mut parts"
		}
		if reads || uses(program.SvcDropBody) || respondsWithBody(ops) {
			body = "body"
			if reads {
				body = "mut body"
			}
		}
		s.ln("let (", parts, ", ", body, ") = req.into_parts();")
	}
	if reads {
		s.ln("let mut read: Vec<u8> = Vec::new(); // the request body bytes read so far")
	}
	note := ""
	answered := false
	for i := 0; i < len(ops) && !answered; i++ {
		op := &ops[i]
		first := s.line + 1
		switch op.Kind {
		case program.SvcDropRequest:
			s.ln("// drop request: the service takes nothing; the body goes when the call returns")
		case program.SvcNotReady:
			s.ln("// not-ready: a tower Service whose poll_ready is Pending this long; on the wire the same as:")
			s.ln("tokio::time::sleep(Duration::from_millis(", i64toa(op.MS), ")).await;")
		case program.SvcSleep:
			s.ln("tokio::time::sleep(Duration::from_millis(", i64toa(op.MS), ")).await;")
		case program.SvcYield:
			s.ln("tokio::task::yield_now().await;")
		case program.SvcReadBody:
			s.ln("while let Some(frame) = {")
			if op.Yielding {
				s.ln("    tokio::task::yield_now().await; // a breath before each frame")
			}
			s.ln("    body.frame().await")
			s.ln("} {")
			s.ln("    match frame?.into_data() {")
			s.ln("        Ok(data) => read.extend_from_slice(&data),")
			s.ln("        Err(_trailers) => break,")
			s.ln("    }")
			s.ln("}")
		case program.SvcReadFrame:
			s.ln("if let Some(Ok(frame)) = body.frame().await {")
			s.ln("    if let Ok(data) = frame.into_data() {")
			s.ln("        read.extend_from_slice(&data);")
			s.ln("    }")
			s.ln("}")
		case program.SvcDropBody:
			s.ln("drop(body);")
		case program.SvcHoldBody:
			s.ln("// hold body: kept, never read, never answered")
			s.ln("match std::future::pending::<std::convert::Infallible>().await {}")
			answered = true
		case program.SvcFail:
			s.ln("return Err(", rustStr(op.Message), ".into());")
			answered = true
		case program.SvcAcceptWebSocket:
			s.ln("return accept_websocket(&mut parts);")
			answered = true
		case program.SvcRespond:
			var up *program.ServiceOp
			if i+1 < len(ops) && ops[i+1].Kind == program.SvcUpgrade {
				up = &ops[i+1]
			}
			n, head := respondCode(s, op, ops[i+1:], byLine, up)
			if n != "" {
				note = n
			}
			if op.Body == program.BodyStream {
				first = head // the frames' lines are the operations after it
			}
			byLine[op.Line] = Range{First: first, Last: s.line}
			answered = true
			continue
		default:
			s.ln("// ", commentText(op.Text), ": not rendered")
			note = "line " + itoa(op.Line) + ": " + op.Kind.String() + " is not rendered here"
		}
		byLine[op.Line] = Range{First: first, Last: s.line}
	}
	s.indent = ""
	s.ln("}")
	return note
}

// respondCode writes respond (and what follows it: an upgrade, or the
// operations that produce a stream body's frames); head is the line where
// the response itself is built.
func respondCode(s *src, op *program.ServiceOp, rest []program.ServiceOp, byLine map[int]Range, up *program.ServiceOp) (note string, head int) {
	body := "empty()"
	switch op.Body {
	case program.BodyParts:
		if len(op.Parts) == 1 && op.Parts[0].Kind == program.PartText {
			body = "full(" + byteLit(op.Parts[0].Text, "") + ")"
		} else {
			var parts []string
			for _, p := range op.Parts {
				switch p.Kind {
				case program.PartText:
					parts = append(parts, "&"+byteLit(p.Text, "")+"[..]")
				case program.PartEcho:
					parts = append(parts, "&read[..]")
				case program.PartCount:
					parts = append(parts, "read.len().to_string().as_bytes()")
				}
			}
			body = "full([" + strings.Join(parts, ", ") + "].concat())"
		}
	case program.BodyRequest:
		// the request body itself, streamed back as it arrives
		body = "body.map_err(BoxError::from).boxed()"
	case program.BodyStream:
		// the operations after respond produce the frames, lazily, as
		// the connection polls the body
		s.ln("let frames = futures_util::stream::unfold(0usize, |step| async move {")
		s.ln("    let frame = match step {")
		step := 0
		armOpen, ended := false, false
		open := func() {
			if !armOpen {
				s.ln("        ", itoa(step), " => {")
				armOpen = true
			}
		}
		for i := range rest {
			r := &rest[i]
			first := s.line + 1
			switch r.Kind {
			case program.SvcSleep:
				open()
				s.ln("            tokio::time::sleep(Duration::from_millis(", i64toa(r.MS), ")).await;")
			case program.SvcYield:
				open()
				s.ln("            tokio::task::yield_now().await;")
			case program.SvcSendChunk:
				open()
				s.ln("            tokio::task::yield_now().await; // produced later")
				s.ln("            Frame::data(Bytes::from_static(", byteLit(r.Data, ""), "))")
				s.ln("        }")
				armOpen = false
				step++
			case program.SvcFail:
				open()
				s.ln("            return Some((Err(", rustStr(r.Message), ".into()), ", itoa(step+1), "));")
				s.ln("        }")
				armOpen = false
				step++
			case program.SvcEndBody:
				if len(r.Headers) > 0 {
					open()
					s.ln("            Frame::trailers(fields(&[", fieldList(r.Headers), "]))")
					s.ln("        }")
					armOpen = false
					step++
				}
				if armOpen {
					s.ln("            return None;")
					s.ln("        }")
					armOpen = false
				}
				s.ln("        _ => return None, // end-body: the end of the stream")
				ended = true
			default:
				s.ln("            // ", commentText(r.Text), ": not rendered")
				note = "line " + itoa(r.Line) + ": " + r.Kind.String() + " after body stream is not rendered"
			}
			byLine[r.Line] = Range{First: first, Last: s.line}
		}
		if armOpen {
			s.ln("            return None;")
			s.ln("        }")
		}
		if !ended {
			s.ln("        _ => return None,")
		}
		s.ln("    };")
		s.ln("    Some((Ok::<_, BoxError>(frame), step + 1))")
		s.ln("});")
		body = "StreamBody::new(frames).boxed()"
	}
	head = s.line + 1
	s.ln("let res = Response::builder()")
	s.ln("    .status(", itoa(op.Status), ")")
	for _, h := range op.Headers {
		n, _ := strLit(h[0])
		s.ln("    .header(", n, ", ", textOrBytes(h[1]), ")")
	}
	s.ln("    .body(", body, ")?;")
	if up != nil {
		first := s.line + 1
		if up.Protocol == "websocket" {
			s.ln("if let Some(on_upgrade) = parts.extensions.remove::<hyper::upgrade::OnUpgrade>() {")
			s.ln("    spawn_websocket(on_upgrade);")
			s.ln("}")
		} else {
			s.ln("if let Some(on_upgrade) = parts.extensions.remove::<hyper::upgrade::OnUpgrade>() {")
			s.ln("    spawn_echo(on_upgrade);")
			s.ln("}")
		}
		byLine[up.Line] = Range{First: first, Last: s.line}
	}
	s.ln("Ok(res)")
	return note, head
}

// respondsWithBody reports whether a section's respond sends the request
// body back (body request): the section binds the body.
func respondsWithBody(ops []program.ServiceOp) bool {
	for _, op := range ops {
		if op.Kind == program.SvcRespond && op.Body == program.BodyRequest {
			return true
		}
	}
	return false
}

// usesEcho reports whether a program has an `upgrade echo`: its Rust
// needs spawn_echo.
func usesEcho(svc *program.Service) bool {
	check := func(sec *program.Section) bool {
		for _, op := range sec.Ops {
			if op.Kind == program.SvcUpgrade && op.Protocol != "websocket" {
				return true
			}
		}
		return false
	}
	for i := range svc.Sections {
		if check(&svc.Sections[i]) {
			return true
		}
	}
	return check(svc.Default)
}

// usesWebSocket reports whether a program speaks WebSocket (accept
// websocket, or upgrade websocket): its Rust needs the protocol.
func usesWebSocket(svc *program.Service) bool {
	check := func(sec *program.Section) bool {
		for _, op := range sec.Ops {
			if op.Kind == program.SvcAcceptWebSocket || op.Kind == program.SvcUpgrade && op.Protocol == "websocket" {
				return true
			}
		}
		return false
	}
	for i := range svc.Sections {
		if check(&svc.Sections[i]) {
			return true
		}
	}
	return check(svc.Default)
}
