package program

// The service program parser: lines into a Service, with the client
// language's lexer, strings, durations, header checks and suggestions
// (program.go), and the checks a Rust compiler would make of the same
// handler (a body read after it was dropped, a section that never
// responds) as errors at the line and column of the offending token.

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// serviceField names service programs in errors.
const serviceField = "service_program"

// serviceOpList is what an unknown operation is told to use.
const serviceOpList = "on, default, respond, send-chunk, end-body, read-body, read-frame, drop body, drop request, " +
	"hold body, sleep, yield, not-ready, fail, upgrade, accept websocket"

var serviceKeywords = []string{
	"on", "default", "respond", "send-chunk", "end-body", "read-body", "read-frame",
	"drop", "hold", "sleep", "yield", "not-ready", "fail", "upgrade", "accept",
}

// ParseService parses a service program given as one text (lines separated
// by "\n"; a "\r" before a "\n" is ignored).
func ParseService(src string) (*Service, error) {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return ParseServiceLines(lines)
}

// ParseServiceLines parses a service program given as lines, as a session
// file's "service_program" holds it. The error is a *Error (Field
// "service_program") naming the line and column.
func ParseServiceLines(lines []string) (*Service, error) {
	svc, err := parseService(lines)
	if err != nil {
		err.Field = serviceField
		return nil, err
	}
	return svc, nil
}

// sectionBuilder is a section being read, with the state the checks need.
type sectionBuilder struct {
	sec Section
	// phase: 0 handler (before respond), 1 producing a `body stream`,
	// 2 responded with a complete body (only upgrade may follow), 3 done.
	phase int
	// bodyGone is why the request body can no longer be used ("" while it
	// can), respondStatus the status of the last respond.
	bodyGone      string
	requestGone   bool
	respondStatus int
	endedBy       ServiceOp // the operation that ended the section (phase 3)
	reads         bool      // a read-body or read-frame came before
	started       bool      // an operation other than drop request / not-ready ran
}

func parseService(lines []string) (*Service, *Error) {
	svc := &Service{}
	var cur *sectionBuilder
	var implicit *sectionBuilder // ops before any `on` line
	var sections []*sectionBuilder
	var def *sectionBuilder
	lastLine := 0
	closeSection := func(b *sectionBuilder) *Error {
		if b == nil {
			return nil
		}
		return b.finish()
	}
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		lineNo := i + 1
		lastLine = lineNo
		p := &progParser{line: line, lineNo: lineNo}
		if err := p.lex(); err != nil {
			return nil, err
		}
		first, _ := p.next() // the line is not blank: there is a token
		if !first.quoted && (first.raw == "on" || first.raw == "default") {
			if err := closeSection(cur); err != nil {
				return nil, err
			}
			b := &sectionBuilder{sec: Section{Line: lineNo}}
			if first.raw == "default" {
				if def != nil {
					where := "line " + strconv.Itoa(def.sec.Line)
					if def.sec.Line == 0 {
						where = "the operations before the first `on` line"
					}
					return nil, p.errf(first.col, "a second default section (the default is already "+where+")")
				}
				b.sec.Default = true
				def = b
				if t, ok := p.next(); ok {
					return nil, p.errf(t.col, "unexpected "+t.describe()+" after default (the default section takes every request no `on` section takes)")
				}
			} else {
				if err := p.sectionHead(&b.sec); err != nil {
					return nil, err
				}
				sections = append(sections, b)
			}
			cur = b
			continue
		}
		if cur == nil {
			implicit = &sectionBuilder{sec: Section{Default: true}}
			def = implicit
			cur = implicit
		}
		op, err := p.serviceOp(first)
		if err != nil {
			return nil, err
		}
		op.Line, op.Text = lineNo, line
		if err := cur.add(op, p, first); err != nil {
			return nil, err
		}
	}
	if err := closeSection(cur); err != nil {
		return nil, err
	}
	if def == nil {
		if len(sections) == 0 {
			return nil, &Error{Line: max(lastLine, 1), Col: 1, Msg: "the program is empty: a service needs at least a respond, e.g. respond 200 body \"hello\""}
		}
		return nil, &Error{Line: lastLine, Col: 1, Msg: "no default section: add a `default` line and what to do with a request no `on` section takes, e.g. respond 404"}
	}
	for _, b := range sections {
		svc.Sections = append(svc.Sections, b.sec)
	}
	svc.Default = &def.sec
	return svc, nil
}

// sectionHead reads `on METHOD PATH [header NAME]... [upgradable]`.
func (p *progParser) sectionHead(sec *Section) *Error {
	m, ok := p.next()
	if !ok {
		return p.errf(p.endCol(), "on needs METHOD and PATH, e.g. on POST /upload (or * for any)")
	}
	if m.quoted {
		return p.errf(m.col, "on needs a METHOD such as POST or *, found "+m.describe()+" (METHOD is not quoted)")
	}
	if m.raw != "*" {
		for i := 0; i < len(m.raw); i++ {
			if !progIsTchar(m.raw[i]) {
				return p.errf(p.colOf(m.end-len(m.raw)+i), "invalid character "+describeAt(m.raw[i:])+" in METHOD "+strconv.Quote(m.raw)+" (an HTTP token such as POST, or * for any)")
			}
		}
	}
	sec.Method = m.raw
	t, ok := p.next()
	if !ok {
		return p.errf(p.endCol(), "on "+m.raw+" needs a PATH after the METHOD, e.g. on "+m.raw+" /upload (or * for any)")
	}
	if t.quoted {
		return p.errf(t.col, "on "+m.raw+" needs a PATH such as /upload, found "+t.describe()+" (PATH is not quoted)")
	}
	for i := 0; i < len(t.raw); i++ {
		if c := t.raw[i]; c < 0x21 || c > 0x7e {
			return p.errf(p.colOf(t.end-len(t.raw)+i), "invalid character in PATH "+strconv.Quote(t.raw)+" (visible ASCII only; use percent-encoding)")
		}
		if t.raw[i] == '*' && i != len(t.raw)-1 {
			return p.errf(p.colOf(t.end-len(t.raw)+i), "* may only end a PATH (a prefix such as /upload/*), in "+strconv.Quote(t.raw))
		}
	}
	if t.raw != "*" && t.raw[0] != '/' {
		msg := "PATH " + strconv.Quote(t.raw) + " must start with / (or be * for any)"
		if t.raw == "header" || t.raw == "upgradable" {
			msg = "on " + m.raw + " needs a PATH before " + strconv.Quote(t.raw) + ", e.g. on " + m.raw + " * " + t.raw
		}
		return p.errf(t.col, msg)
	}
	sec.Path = t.raw
	for {
		c, ok := p.next()
		if !ok {
			return nil
		}
		switch {
		case !c.quoted && c.raw == "header":
			n, ok := p.next()
			if !ok {
				return p.errf(p.endCol(), "header needs a field NAME, e.g. on * * header Upgrade")
			}
			if n.quoted {
				return p.errf(n.col, "header needs a field NAME such as Upgrade, found "+n.describe()+" (the NAME is not quoted)")
			}
			for i := 0; i < len(n.raw); i++ {
				if !progIsTchar(n.raw[i]) {
					return p.errf(p.colOf(n.end-len(n.raw)+i), "invalid character "+describeAt(n.raw[i:])+" in the field name "+strconv.Quote(n.raw))
				}
			}
			sec.Headers = append(sec.Headers, n.raw)
		case !c.quoted && c.raw == "upgradable":
			if sec.Upgradable {
				return p.errf(c.col, "upgradable given twice")
			}
			sec.Upgradable = true
		default:
			msg := "unexpected " + c.describe() + " in an `on` line (expected header NAME or upgradable)"
			if !c.quoted {
				if s := progSuggest(c.raw, []string{"header", "upgradable"}); s != "" {
					msg += "; did you mean " + strconv.Quote(s) + "?"
				}
			}
			return p.errf(c.col, msg)
		}
	}
}

// serviceOp reads one operation line (first is its first token).
func (p *progParser) serviceOp(first progToken) (ServiceOp, *Error) {
	var op ServiceOp
	if first.quoted {
		return op, p.errf(first.col, "expected an operation, found "+first.describe()+" (expected one of: "+serviceOpList+")")
	}
	var err *Error
	switch first.raw {
	case "respond":
		op.Kind = SvcRespond
		err = p.respond(&op)
	case "send-chunk":
		op.Kind = SvcSendChunk
		t, ok := p.next()
		switch {
		case !ok:
			err = p.errf(p.endCol(), `send-chunk needs a quoted "TEXT", e.g. send-chunk "hello"`)
		case !t.quoted:
			err = p.errf(t.col, `send-chunk needs a quoted "TEXT", found `+t.describe())
		case t.val == "":
			// an empty data frame is not a chunk: chunked encoding's 0-size
			// chunk is the end
			err = p.errf(t.col, `send-chunk needs at least one byte (end the body with end-body)`)
		default:
			op.Data = []byte(t.val)
		}
	case "end-body":
		op.Kind = SvcEndBody
		for err == nil {
			t, ok := p.next()
			if !ok {
				break
			}
			if t.quoted || t.raw != "trailer" {
				msg := `expected trailer "Name: value" after end-body, found ` + t.describe()
				if !t.quoted {
					if s := progSuggest(t.raw, []string{"trailer"}); s != "" {
						msg += "; did you mean " + strconv.Quote(s) + "?"
					}
				}
				err = p.errf(t.col, msg)
				break
			}
			h, ok := p.next()
			if !ok {
				err = p.errf(p.endCol(), `trailer needs a quoted "Name: value", e.g. trailer "X-Checksum: 9a"`)
				break
			}
			if !h.quoted {
				err = p.errf(h.col, `trailer needs a quoted "Name: value", found `+h.describe())
				break
			}
			name, value, herr := p.header(h)
			if herr != nil {
				err = herr
				break
			}
			op.Headers = append(op.Headers, [2]string{name, value})
		}
	case "read-body":
		op.Kind = SvcReadBody
		if t, ok := p.peek(); ok && !t.quoted && t.raw == "yielding" {
			p.pos++
			op.Yielding = true
		}
	case "read-frame":
		op.Kind = SvcReadFrame
	case "drop":
		var w string
		w, err = p.wordOf(first, "body", "request")
		if w == "request" {
			op.Kind = SvcDropRequest
		} else {
			op.Kind = SvcDropBody
		}
	case "hold":
		op.Kind = SvcHoldBody
		err = p.word(first, "body")
	case "sleep", "not-ready":
		op.Kind = SvcSleep
		if first.raw == "not-ready" {
			op.Kind = SvcNotReady
		}
		t, ok := p.next()
		if !ok {
			err = p.errf(p.endCol(), first.raw+" needs a DURATION, e.g. "+first.raw+" 50ms")
		} else {
			op.MS, err = p.duration(t)
		}
	case "yield":
		op.Kind = SvcYield
	case "fail":
		op.Kind = SvcFail
		t, ok := p.next()
		switch {
		case !ok:
			err = p.errf(p.endCol(), `fail needs a quoted "message", e.g. fail "database unavailable"`)
		case !t.quoted:
			err = p.errf(t.col, `fail needs a quoted "message", found `+t.describe())
		default:
			op.Message = t.val
		}
	case "upgrade":
		op.Kind = SvcUpgrade
		op.Protocol, err = p.wordOf(first, "echo", "websocket")
	case "accept":
		op.Kind = SvcAcceptWebSocket
		err = p.word(first, "websocket")
	default:
		msg := "unknown operation " + strconv.Quote(first.raw)
		if s := progSuggest(first.raw, serviceKeywords); s != "" {
			msg += "; did you mean " + strconv.Quote(s) + "?"
		}
		return op, p.errf(first.col, msg+" (expected one of: "+serviceOpList+")")
	}
	if err != nil {
		return op, err
	}
	if t, ok := p.next(); ok {
		msg := "unexpected " + t.describe() + " after a complete " + strconv.Quote(op.Kind.String()) + " operation (one operation per line)"
		if !t.quoted && strings.HasPrefix(t.raw, "#") {
			msg += "; comments must be on a line of their own"
		}
		return op, p.errf(t.col, msg)
	}
	return op, nil
}

// respond reads `respond STATUS [header "N: v"]... [body PARTS | body stream]`.
func (p *progParser) respond(op *ServiceOp) *Error {
	s, ok := p.next()
	if !ok {
		return p.errf(p.endCol(), `respond needs a STATUS, e.g. respond 200 body "hello"`)
	}
	if s.quoted {
		return p.errf(s.col, "respond needs a STATUS such as 200, found "+s.describe()+" (STATUS is not quoted)")
	}
	if len(s.raw) != 3 || s.raw[0] < '1' || s.raw[0] > '9' || s.raw[1] < '0' || s.raw[1] > '9' || s.raw[2] < '0' || s.raw[2] > '9' {
		return p.errf(s.col, "STATUS "+strconv.Quote(s.raw)+" must be three digits from 100 to 999, e.g. 200")
	}
	op.Status, _ = strconv.Atoi(s.raw)
	bodyGiven := false
	for {
		o, ok := p.next()
		if !ok {
			return nil
		}
		if o.quoted {
			return p.errf(o.col, "unexpected "+o.describe()+" (expected header or body)")
		}
		switch o.raw {
		case "header":
			name, value, err := p.headerArg("Content-Type: text/plain")
			if err != nil {
				return err
			}
			op.Headers = append(op.Headers, [2]string{name, value})
		case "body":
			if bodyGiven {
				return p.errf(o.col, "body given twice (a response has one body)")
			}
			bodyGiven = true
			if err := p.responseBody(op); err != nil {
				return err
			}
		default:
			msg := "unknown option " + strconv.Quote(o.raw) + " (expected header or body)"
			if s := progSuggest(o.raw, []string{"header", "body"}); s != "" {
				msg += "; did you mean " + strconv.Quote(s) + "?"
			}
			if strings.HasPrefix(o.raw, "#") {
				msg += "; comments must be on a line of their own"
			}
			return p.errf(o.col, msg)
		}
	}
}

// responseBody reads what follows `body`: stream, or parts ("TEXT", echo,
// count) up to the next option.
func (p *progParser) responseBody(op *ServiceOp) *Error {
	b, ok := p.next()
	if !ok {
		return p.errf(p.endCol(), `body needs a quoted "TEXT", echo, count, stream or request, e.g. body "hello"`)
	}
	if !b.quoted && (b.raw == "stream" || b.raw == "request") {
		op.Body = BodyStream
		if b.raw == "request" {
			op.Body = BodyRequest
		}
		return nil
	}
	op.Body = BodyParts
	p.pos--
	for {
		t, ok := p.peek()
		if !ok || (!t.quoted && (t.raw == "header" || t.raw == "body")) {
			return nil
		}
		p.pos++
		switch {
		case t.quoted:
			op.Parts = append(op.Parts, BodyPart{Kind: PartText, Text: []byte(t.val)})
		case t.raw == "echo":
			op.Parts = append(op.Parts, BodyPart{Kind: PartEcho})
		case t.raw == "count":
			op.Parts = append(op.Parts, BodyPart{Kind: PartCount})
		case t.raw == "stream", t.raw == "request":
			return p.errf(t.col, "body "+t.raw+" stands alone (it is the whole body)")
		default:
			msg := `expected a quoted "TEXT", echo, count, stream or request in body, found ` + t.describe()
			if s := progSuggest(t.raw, []string{"echo", "count", "stream", "request", "header"}); s != "" {
				msg += "; did you mean " + strconv.Quote(s) + "?"
			}
			return p.errf(t.col, msg)
		}
	}
}

// add appends op to the section after checking it may run there.
func (b *sectionBuilder) add(op ServiceOp, p *progParser, first progToken) *Error {
	col := first.col
	name := strconv.Quote(op.Kind.String())
	if b.phase == 3 {
		return p.errf(col, "nothing runs after "+strconv.Quote(b.endedBy.Kind.String())+" on line "+strconv.Itoa(b.endedBy.Line)+" (it ends the section)")
	}
	if b.phase == 2 && op.Kind != SvcUpgrade {
		return p.errf(col, name+" cannot follow a respond with a complete body (line "+strconv.Itoa(b.endedBy.Line)+"): the response is the future's value; only upgrade may follow it (use body stream to keep producing)")
	}
	needBody := func() *Error {
		if b.requestGone {
			return p.errf(col, name+" needs the request body, but drop request gave it away when call returned")
		}
		if b.bodyGone != "" {
			return p.errf(col, name+" needs the request body, but "+b.bodyGone)
		}
		return nil
	}
	handlerOnly := func() *Error {
		if b.phase == 1 {
			return p.errf(col, name+" cannot run while producing a body stream (the response was sent on line "+strconv.Itoa(b.endedBy.Line)+"; the request went with the service future)")
		}
		return nil
	}
	switch op.Kind {
	case SvcDropRequest:
		if len(b.sec.Ops) > 0 {
			return p.errf(col, "drop request must be the section's first operation (it is what call does with the request before the future runs)")
		}
		b.requestGone = true
	case SvcNotReady:
		if b.started {
			return p.errf(col, "not-ready must come before the section's other operations (poll_ready is polled before call)")
		}
	case SvcReadBody, SvcReadFrame, SvcDropBody, SvcHoldBody:
		if err := handlerOnly(); err != nil {
			return err
		}
		if err := needBody(); err != nil {
			return err
		}
		switch op.Kind {
		case SvcReadBody, SvcReadFrame:
			b.reads = true
		case SvcDropBody:
			b.bodyGone = "drop body on line " + strconv.Itoa(op.Line) + " dropped it"
		case SvcHoldBody:
			b.phase, b.endedBy = 3, op
		}
	case SvcFail:
		b.phase, b.endedBy = 3, op
	case SvcRespond:
		if err := handlerOnly(); err != nil {
			return err
		}
		if op.Body == BodyRequest {
			if err := needBody(); err != nil {
				return err
			}
		}
		for _, part := range op.Parts {
			switch {
			case part.Kind == PartText:
			case b.requestGone:
				return p.errf(col, "body echo and body count need the request body, but drop request gave it away")
			case !b.reads:
				return p.errf(col, "body echo and body count are the request body bytes read so far, and this section reads none: put read-body (or read-frame) before it, or stream the request body back with body request")
			}
		}
		b.respondStatus = op.Status
		b.endedBy = op
		if op.Body == BodyStream {
			b.phase = 1
		} else {
			b.phase = 2
		}
	case SvcSendChunk, SvcEndBody:
		if b.phase != 1 {
			return p.errf(col, name+" needs a respond ... body stream before it")
		}
		if op.Kind == SvcEndBody {
			b.phase, b.endedBy = 3, op
		}
	case SvcUpgrade:
		if b.phase != 2 {
			return p.errf(col, "upgrade must come right after a respond 101 (or a 2xx to CONNECT) that has no body")
		}
		if s := b.respondStatus; s != 101 && (s < 200 || s > 299) {
			return p.errf(col, "upgrade after a respond "+strconv.Itoa(s)+": only a 101 (or a 2xx to CONNECT) hands the connection over")
		}
		if b.endedBy.Body != BodyNone {
			return p.errf(col, "upgrade after a respond with a body: a 101 has none")
		}
		if b.requestGone {
			return p.errf(col, "upgrade needs the request's OnUpgrade, but drop request gave it away")
		}
		b.phase, b.endedBy = 3, op
	case SvcAcceptWebSocket:
		if err := handlerOnly(); err != nil {
			return err
		}
		if b.requestGone {
			return p.errf(col, "accept websocket needs the request's OnUpgrade, but drop request gave it away")
		}
		b.phase, b.endedBy = 3, op
	}
	if op.Kind != SvcDropRequest && op.Kind != SvcNotReady {
		b.started = true
	}
	b.sec.Ops = append(b.sec.Ops, op)
	return nil
}

// finish checks the section is complete: it has operations and every path
// through it answers (respond, fail, hold body or accept websocket).
func (b *sectionBuilder) finish() *Error {
	line := b.sec.Line
	if len(b.sec.Ops) == 0 {
		return &Error{Line: line, Col: 1, Msg: "this section has no operations (add at least a respond)"}
	}
	if b.phase == 0 {
		last := b.sec.Ops[len(b.sec.Ops)-1]
		return &Error{Line: last.Line, Col: 1, Msg: "the section ends without answering: add respond, fail, hold body or accept websocket"}
	}
	return nil
}

// describeAt names the character at the start of s.
func describeAt(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	return progDescribeChar(s, r)
}
