package program

// Client programs: the user code of the client side of a session, one
// operation per line, as given in a session file's "client_program". This
// file is the syntax only (Parse); running a program is elsewhere.
//
// The grammar, line by line with the hyper call each one stands for, is in
// the package doc (doc.go).

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// OpKind is a client program operation.
type OpKind uint8

// The client program operations.
const (
	OpHandshake OpKind = iota + 1
	OpSpawnConn
	OpAwaitConn
	OpSend
	OpSendBody
	OpEndBody
	OpAwaitResponse
	OpReadBody
	OpDropSender
	OpDropResponse
	OpSleep
	OpTimeoutAwaitResponse
	OpCloseWrite
	OpWithUpgrades
	OpReady
	OpTrySend
	OpSendTrailers
	OpAwaitUpgrade
	OpUpgradedWrite
	OpUpgradedRead
)

// progKindNames are the keyword forms, indexed by OpKind.
var progKindNames = [...]string{
	OpHandshake:            "handshake",
	OpSpawnConn:            "spawn conn",
	OpAwaitConn:            "await conn",
	OpSend:                 "send",
	OpSendBody:             "send-body",
	OpEndBody:              "end-body",
	OpAwaitResponse:        "await response",
	OpReadBody:             "read-body",
	OpDropSender:           "drop sender",
	OpDropResponse:         "drop response",
	OpSleep:                "sleep",
	OpTimeoutAwaitResponse: "timeout await response",
	OpCloseWrite:           "close write",
	OpWithUpgrades:         "with upgrades",
	OpReady:                "ready",
	OpTrySend:              "try send",
	OpSendTrailers:         "send-trailers",
	OpAwaitUpgrade:         "await upgrade",
	OpUpgradedWrite:        "upgraded write",
	OpUpgradedRead:         "upgraded read",
}

// String is the keyword form, e.g. "spawn conn", "timeout await response".
func (k OpKind) String() string {
	if k >= 1 && int(k) < len(progKindNames) {
		return progKindNames[k]
	}
	return "OpKind(" + strconv.Itoa(int(k)) + ")"
}

// Op is one parsed line.
type Op struct {
	Kind    OpKind
	Line    int         // 1-based line number (index in the program + 1)
	Method  string      // OpSend, OpTrySend
	Path    string      // OpSend, OpTrySend
	Version string      // OpSend, OpTrySend: "HTTP/1.0" or "HTTP/1.1" when given, "" otherwise (HTTP/1.1)
	Body    []byte      // OpSend, OpTrySend with body "TEXT"; OpSendBody, OpUpgradedWrite (nil otherwise; non-nil, possibly empty, when given)
	HasBody bool        // OpSend, OpTrySend: a body "TEXT" was given (may be empty "")
	Stream  bool        // OpSend, OpTrySend: body stream (fed later by send-body/end-body)
	Headers [][2]string // OpSend, OpTrySend: the header fields; OpSendTrailers: the trailer fields; name, value (value with surrounding spaces and tabs trimmed); nil if none
	MS      int64       // OpSleep, OpTimeoutAwaitResponse
	Text    string      // the original line, for traces
}

// Error is a bad line: it names the line and column (1-based, the
// column of the offending token or character, counted in characters; a
// missing token is reported just past the end of the line's last token).
type Error struct {
	Line, Col int
	Msg       string
	// Field is the session file key the program is in: "client_program"
	// when empty, "service_program" for a service program.
	Field string
}

func (e *Error) Error() string {
	field := e.Field
	if field == "" {
		field = "client_program"
	}
	return field + " line " + strconv.Itoa(e.Line) + ", column " + strconv.Itoa(e.Col) + ": " + e.Msg
}

// MaxDurationMS caps a DURATION (1 hour).
const MaxDurationMS int64 = 3600 * 1000

// progOpList is what an unknown operation is told to use.
const progOpList = "handshake, with upgrades, spawn conn, await conn, ready, send, try send, " +
	"send-body, send-trailers, end-body, await response, read-body, drop sender, drop response, " +
	"sleep, timeout, close write, await upgrade, upgraded write, upgraded read"

// progKeywords are the first words of operations (for suggestions).
var progKeywords = []string{
	"handshake", "spawn", "await", "send", "send-body", "end-body",
	"read-body", "drop", "sleep", "timeout", "close", "with", "ready", "try",
	"send-trailers", "upgraded",
}

// Parse parses all lines. It returns the first error, a
// *Error. Blank and comment lines produce no Op (so a program of
// only those gives a nil slice).
func Parse(lines []string) ([]Op, error) {
	var ops []Op
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		op, err := progParseLine(line, i+1)
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// progToken is one token of a line.
type progToken struct {
	raw    string // the source text (with the quotes, for a string)
	val    string // the decoded value of a string; raw for a word
	col    int    // 1-based column of the first character
	end    int    // byte offset just past the token
	quoted bool
}

// progParser parses one non-blank, non-comment line.
type progParser struct {
	line   string
	lineNo int
	toks   []progToken
	pos    int
}

// errf, colOf and endCol are kept out of line: inlined at their hundred
// or so call sites they cost the browser's wasm tens of kilobytes.
//
//go:noinline
func (p *progParser) errf(col int, msg string) *Error {
	return &Error{Line: p.lineNo, Col: col, Msg: msg}
}

// colOf is the 1-based column of byte offset off.
//
//go:noinline
func (p *progParser) colOf(off int) int {
	return utf8.RuneCountInString(p.line[:off]) + 1
}

// endCol is where a missing token is reported: just past the last token.
//
//go:noinline
func (p *progParser) endCol() int {
	if len(p.toks) == 0 {
		return 1
	}
	return p.colOf(p.toks[len(p.toks)-1].end)
}

// peek is the next token without taking it.
func (p *progParser) peek() (progToken, bool) {
	if p.pos >= len(p.toks) {
		return progToken{}, false
	}
	return p.toks[p.pos], true
}

func (p *progParser) next() (progToken, bool) {
	if p.pos >= len(p.toks) {
		return progToken{}, false
	}
	t := p.toks[p.pos]
	p.pos++
	return t, true
}

// describe names a token in a message.
func (t progToken) describe() string {
	if t.quoted {
		return "string " + t.raw
	}
	return strconv.Quote(t.raw)
}

func progParseLine(line string, lineNo int) (Op, *Error) {
	p := &progParser{line: line, lineNo: lineNo}
	if err := p.lex(); err != nil {
		return Op{}, err
	}
	op := Op{Line: lineNo, Text: line}
	first, _ := p.next() // the line is not blank: there is a token
	if first.quoted {
		return Op{}, p.errf(first.col, "expected an operation, found "+first.describe()+" (expected one of: "+progOpList+")")
	}
	var err *Error
	switch first.raw {
	case "handshake":
		op.Kind = OpHandshake
	case "spawn":
		op.Kind = OpSpawnConn
		err = p.word(first, "conn")
	case "await":
		var w string
		w, err = p.wordOf(first, "conn", "response", "upgrade")
		switch w {
		case "conn":
			op.Kind = OpAwaitConn
		case "upgrade":
			op.Kind = OpAwaitUpgrade
		default:
			op.Kind = OpAwaitResponse
		}
	case "with":
		op.Kind = OpWithUpgrades
		err = p.word(first, "upgrades")
	case "ready":
		op.Kind = OpReady
	case "try":
		op.Kind = OpTrySend
		if err = p.word(first, "send"); err == nil {
			err = p.send(&op)
		}
	case "upgraded":
		var w string
		w, err = p.wordOf(first, "write", "read")
		if w == "read" {
			op.Kind = OpUpgradedRead
			break
		}
		op.Kind = OpUpgradedWrite
		if err != nil {
			break
		}
		t, ok := p.next()
		switch {
		case !ok:
			err = p.errf(p.endCol(), `upgraded write needs a quoted "TEXT", e.g. upgraded write "ping"`)
		case !t.quoted:
			err = p.errf(t.col, `upgraded write needs a quoted "TEXT", found `+t.describe())
		default:
			op.Body = []byte(t.val)
		}
	case "send-trailers":
		op.Kind = OpSendTrailers
		for {
			t, ok := p.next()
			if !ok {
				break
			}
			if !t.quoted {
				err = p.errf(t.col, `send-trailers takes quoted "Name: value" fields, found `+t.describe())
				break
			}
			name, value, herr := p.header(t)
			if herr != nil {
				err = herr
				break
			}
			op.Headers = append(op.Headers, [2]string{name, value})
		}
		if err == nil && len(op.Headers) == 0 {
			err = p.errf(p.endCol(), `send-trailers needs at least one quoted "Name: value", e.g. send-trailers "X-Checksum: 9a"`)
		}
	case "drop":
		var w string
		w, err = p.wordOf(first, "sender", "response")
		if w == "sender" {
			op.Kind = OpDropSender
		} else {
			op.Kind = OpDropResponse
		}
	case "close":
		op.Kind = OpCloseWrite
		err = p.word(first, "write")
	case "end-body":
		op.Kind = OpEndBody
	case "read-body":
		op.Kind = OpReadBody
	case "send-body":
		op.Kind = OpSendBody
		t, ok := p.next()
		switch {
		case !ok:
			err = p.errf(p.endCol(), `send-body needs a quoted "TEXT", e.g. send-body "hello"`)
		case !t.quoted:
			err = p.errf(t.col, `send-body needs a quoted "TEXT", found `+t.describe())
		default:
			op.Body = []byte(t.val)
		}
	case "sleep":
		op.Kind = OpSleep
		t, ok := p.next()
		if !ok {
			err = p.errf(p.endCol(), "sleep needs a DURATION, e.g. sleep 50ms")
		} else {
			op.MS, err = p.duration(t)
		}
	case "timeout":
		op.Kind = OpTimeoutAwaitResponse
		err = p.timeout(&op)
	case "send":
		op.Kind = OpSend
		err = p.send(&op)
	default:
		msg := "unknown operation " + strconv.Quote(first.raw)
		if s := progSuggest(first.raw, progKeywords); s != "" {
			msg += "; did you mean " + strconv.Quote(s) + "?"
		}
		return Op{}, p.errf(first.col, msg+" (expected one of: "+progOpList+")")
	}
	if err != nil {
		return Op{}, err
	}
	if t, ok := p.next(); ok {
		msg := "unexpected " + t.describe() + " after a complete " + strconv.Quote(op.Kind.String()) + " operation (one operation per line)"
		if !t.quoted && strings.HasPrefix(t.raw, "#") {
			msg += "; comments must be on a line of their own"
		}
		return Op{}, p.errf(t.col, msg)
	}
	return op, nil
}

// word reads the second word of a two-word operation.
func (p *progParser) word(first progToken, want string) *Error {
	_, err := p.wordOf(first, want)
	return err
}

// wordOf reads one of the words that may follow first.
func (p *progParser) wordOf(first progToken, wants ...string) (string, *Error) {
	quoted := make([]string, len(wants))
	for i, w := range wants {
		quoted[i] = strconv.Quote(w)
	}
	expected := strings.Join(quoted, " or ")
	t, ok := p.next()
	if !ok {
		return "", p.errf(p.endCol(), "expected "+expected+" after "+strconv.Quote(first.raw))
	}
	if !t.quoted {
		for _, w := range wants {
			if t.raw == w {
				return w, nil
			}
		}
	}
	msg := "expected " + expected + " after " + strconv.Quote(first.raw) + ", found " + t.describe()
	if !t.quoted {
		if s := progSuggest(t.raw, wants); s != "" {
			msg += "; did you mean " + strconv.Quote(s) + "?"
		}
	}
	return "", p.errf(t.col, msg)
}

func (p *progParser) timeout(op *Op) *Error {
	t, ok := p.next()
	if !ok {
		return p.errf(p.endCol(), "timeout needs a DURATION, e.g. timeout 2s await response")
	}
	ms, err := p.duration(t)
	if err != nil {
		return err
	}
	op.MS = ms
	a, ok := p.next()
	if !ok {
		return p.errf(p.endCol(), `expected "await response" after "timeout `+t.raw+`"`)
	}
	if a.quoted || a.raw != "await" {
		msg := `expected "await response" after "timeout ` + t.raw + `", found ` + a.describe()
		if !a.quoted {
			if s := progSuggest(a.raw, []string{"await"}); s != "" {
				msg += "; did you mean " + strconv.Quote(s) + "?"
			}
		}
		return p.errf(a.col, msg)
	}
	_, err = p.wordOf(progToken{raw: "timeout " + t.raw + " await"}, "response")
	return err
}

// duration parses a DURATION token into milliseconds.
func (p *progParser) duration(t progToken) (int64, *Error) {
	if t.quoted {
		return 0, p.errf(t.col, "expected a DURATION such as 50ms or 2s, found "+t.describe()+" (durations are not quoted)")
	}
	s := t.raw
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 {
		if s[0] == '-' || s[0] == '+' {
			return 0, p.errf(t.col, "duration "+strconv.Quote(s)+" must be a positive whole number followed by ms or s, e.g. 50ms")
		}
		return 0, p.errf(t.col, "duration "+strconv.Quote(s)+" must start with a number, e.g. 50ms or 2s")
	}
	unit := s[n:]
	var mult int64
	switch {
	case unit == "":
		return 0, p.errf(t.col, "duration "+strconv.Quote(s)+" needs a unit: ms or s")
	case unit == "ms":
		mult = 1
	case unit == "s":
		mult = 1000
	case unit[0] == '.' || unit[0] == ',':
		return 0, p.errf(t.col, "duration "+strconv.Quote(s)+" must be a whole number (e.g. 1500ms instead of 1.5s)")
	default:
		return 0, p.errf(p.colOf(t.end-len(unit)), "duration "+strconv.Quote(s)+" has unknown unit "+strconv.Quote(unit)+" (expected ms or s)")
	}
	digits := strings.TrimLeft(s[:n], "0")
	if digits == "" {
		return 0, p.errf(t.col, "duration "+strconv.Quote(s)+" must be positive")
	}
	if len(digits) > 10 { // well over the cap; avoids overflow
		return 0, p.errf(t.col, "duration "+strconv.Quote(s)+" exceeds the maximum of 1 hour (3600s)")
	}
	v, _ := strconv.ParseInt(digits, 10, 64)
	ms := v * mult
	if ms > MaxDurationMS {
		return 0, p.errf(t.col, "duration "+strconv.Quote(s)+" exceeds the maximum of 1 hour (3600s)")
	}
	return ms, nil
}

func (p *progParser) send(op *Op) *Error {
	m, ok := p.next()
	if !ok {
		return p.errf(p.endCol(), "send needs METHOD and PATH, e.g. send GET /")
	}
	if m.quoted {
		return p.errf(m.col, "send needs a METHOD such as GET, found "+m.describe()+" (METHOD is not quoted)")
	}
	for i := 0; i < len(m.raw); {
		r, size := utf8.DecodeRuneInString(m.raw[i:])
		if size != 1 || !progIsTchar(m.raw[i]) {
			return p.errf(p.colOf(m.end-len(m.raw)+i), "invalid character "+progDescribeChar(m.raw[i:], r)+" in METHOD "+strconv.Quote(m.raw)+" (METHOD is an HTTP token, e.g. GET or POST)")
		}
		i += size
	}
	op.Method = m.raw
	t, ok := p.next()
	if !ok {
		return p.errf(p.endCol(), "send "+m.raw+" needs a PATH after the METHOD, e.g. send "+m.raw+" /")
	}
	if t.quoted {
		return p.errf(t.col, "send "+m.raw+" needs a PATH such as /, found "+t.describe()+" (PATH is not quoted)")
	}
	if t.raw == "body" || t.raw == "header" || strings.HasPrefix(strings.ToUpper(t.raw), "HTTP/") {
		return p.errf(t.col, "send "+m.raw+" needs a PATH before "+strconv.Quote(t.raw)+", e.g. send "+m.raw+" / "+t.raw+" ...")
	}
	for i := 0; i < len(t.raw); {
		c := t.raw[i]
		r, size := utf8.DecodeRuneInString(t.raw[i:])
		if c < 0x21 || c > 0x7e {
			msg := "invalid character " + progDescribeChar(t.raw[i:], r) + " in PATH " + strconv.Quote(t.raw)
			if c >= 0x80 {
				var enc strings.Builder
				for _, b := range []byte(t.raw[i : i+size]) {
					enc.WriteString("%" + hexUpper(b))
				}
				msg += " (use percent-encoding: " + enc.String() + ")"
			} else {
				msg += " (PATH is a request-target of visible ASCII characters)"
			}
			return p.errf(p.colOf(t.end-len(t.raw)+i), msg)
		}
		i += size
	}
	op.Path = t.raw
	if v, ok := p.peek(); ok && !v.quoted && strings.HasPrefix(strings.ToUpper(v.raw), "HTTP/") {
		p.pos++
		if v.raw != "HTTP/1.0" && v.raw != "HTTP/1.1" {
			return p.errf(v.col, "unsupported version "+strconv.Quote(v.raw)+" (an HTTP/1 client sends HTTP/1.0 or HTTP/1.1)")
		}
		op.Version = v.raw
	}
	bodyGiven := false
	for {
		o, ok := p.next()
		if !ok {
			return nil
		}
		if o.quoted {
			return p.errf(o.col, "unexpected "+o.describe()+" (expected body or header)")
		}
		if strings.HasPrefix(strings.ToUpper(o.raw), "HTTP/") {
			return p.errf(o.col, "the version "+strconv.Quote(o.raw)+" goes right after the PATH, e.g. send "+m.raw+" "+t.raw+" HTTP/1.0")
		}
		switch o.raw {
		case "body":
			if bodyGiven {
				return p.errf(o.col, "body given twice (a request has one body)")
			}
			bodyGiven = true
			b, ok := p.next()
			switch {
			case !ok:
				return p.errf(p.endCol(), `body needs a quoted "TEXT" or stream, e.g. body "hello" or body stream`)
			case b.quoted:
				op.Body = []byte(b.val)
				op.HasBody = true
			case b.raw == "stream":
				op.Stream = true
			default:
				msg := `expected a quoted "TEXT" or stream after body, found ` + b.describe()
				if s := progSuggest(b.raw, []string{"stream"}); s != "" {
					msg += "; did you mean " + strconv.Quote(s) + "?"
				}
				return p.errf(b.col, msg)
			}
		case "header":
			name, value, err := p.headerArg("X-Trace: 1")
			if err != nil {
				return err
			}
			op.Headers = append(op.Headers, [2]string{name, value})
		default:
			msg := "unknown option " + strconv.Quote(o.raw) + " (expected body or header)"
			if s := progSuggest(o.raw, []string{"body", "header"}); s != "" {
				msg += "; did you mean " + strconv.Quote(s) + "?"
			}
			return p.errf(o.col, msg)
		}
	}
}

// header checks a "Name: value" string.
// headerArg reads the quoted "Name: value" after a header keyword, both
// languages' (a request's header, a response's); example is the one the
// error shows when it is missing.
func (p *progParser) headerArg(example string) (name, value string, err *Error) {
	h, ok := p.next()
	if !ok {
		return "", "", p.errf(p.endCol(), `header needs a quoted "Name: value", e.g. header "`+example+`"`)
	}
	if !h.quoted {
		return "", "", p.errf(h.col, `header needs a quoted "Name: value", found `+h.describe())
	}
	return p.header(h)
}

func (p *progParser) header(h progToken) (name, value string, err *Error) {
	colon := strings.IndexByte(h.val, ':')
	if colon < 0 {
		return "", "", p.errf(h.col, "header "+h.raw+` has no colon (expected "Name: value")`)
	}
	name = h.val[:colon]
	if name == "" {
		return "", "", p.errf(h.col, "header "+h.raw+` has an empty name before the colon (expected "Name: value")`)
	}
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		c := name[i]
		if size != 1 || !progIsTchar(c) {
			if c == ' ' || c == '\t' {
				return "", "", p.errf(h.col, "header "+h.raw+": whitespace is not allowed in the name "+strconv.Quote(name)+` (expected "Name: value")`)
			}
			return "", "", p.errf(h.col, "header "+h.raw+": invalid character "+progDescribeChar(name[i:], r)+" in the name "+strconv.Quote(name)+" (a name is an HTTP token, e.g. X-Trace)")
		}
		i += size
	}
	value = strings.Trim(h.val[colon+1:], " \t")
	for i := 0; i < len(value); i++ {
		if c := value[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return "", "", p.errf(h.col, "header "+h.raw+": the value contains the control character 0x"+hexUpper(c)+" (values may not contain CR, LF, NUL or other control characters)")
		}
	}
	return name, value, nil
}

// lex splits the line into tokens, decoding strings.
func (p *progParser) lex() *Error {
	line := p.line
	i := 0
	for i < len(line) {
		c := line[i]
		if c == ' ' || c == '\t' {
			i++
			continue
		}
		start := i
		if c == '"' {
			val, end, err := p.lexString(start)
			if err != nil {
				return err
			}
			i = end
			if i < len(line) && line[i] != ' ' && line[i] != '\t' {
				r, _ := utf8.DecodeRuneInString(line[i:])
				return p.errf(p.colOf(i), "unexpected "+progDescribeChar(line[i:], r)+" right after a closing quote (separate tokens with a space)")
			}
			p.toks = append(p.toks, progToken{raw: line[start:i], val: val, col: p.colOf(start), end: i, quoted: true})
			continue
		}
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			c := line[i]
			if c == '"' {
				return p.errf(p.colOf(i), "unexpected quote inside the word "+strconv.Quote(line[start:i])+" (put a space before a string)")
			}
			if c < 0x20 || c == 0x7f {
				return p.errf(p.colOf(i), "unexpected control character 0x"+hexUpper(c)+" (tokens are separated by spaces or tabs)")
			}
			i++
		}
		p.toks = append(p.toks, progToken{raw: line[start:i], val: line[start:i], col: p.colOf(start), end: i})
	}
	return nil
}

// lexString decodes the string starting at the quote at start; end is the
// offset just past the closing quote.
func (p *progParser) lexString(start int) (val string, end int, err *Error) {
	line := p.line
	var b strings.Builder
	i := start + 1
	for i < len(line) {
		c := line[i]
		switch {
		case c == '"':
			return b.String(), i + 1, nil
		case c == '\\':
			if i+1 >= len(line) {
				return "", 0, p.errf(p.colOf(start), `unterminated string (missing closing ")`)
			}
			e := line[i+1]
			switch e {
			case '"', '\\':
				b.WriteByte(e)
			case 'r':
				b.WriteByte('\r')
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'x':
				hi, ok1 := progUnhex(line, i+2)
				lo, ok2 := progUnhex(line, i+3)
				if !ok1 || !ok2 {
					shown := line[i:min(len(line), i+4)]
					if j := strings.IndexByte(shown[2:], '"'); j >= 0 {
						shown = shown[:2+j]
					}
					shown = progVisible(shown)
					return "", 0, p.errf(p.colOf(i), "bad escape "+shown+` (\x needs two hex digits, e.g. \x00 or \x7F)`)
				}
				b.WriteByte(hi<<4 | lo)
				i += 4
				continue
			default:
				r, size := utf8.DecodeRuneInString(line[i+1:])
				shown := `\` + line[i+1:i+1+size]
				if r < 0x20 || r == 0x7f || r == utf8.RuneError {
					shown = `\ followed by byte 0x` + hexUpper(e)
				}
				return "", 0, p.errf(p.colOf(i), "bad escape "+shown+` (allowed: \" \\ \r \n \t \xNN)`)
			}
			i += 2
		case (c < 0x20 && c != '\t') || c == 0x7f:
			return "", 0, p.errf(p.colOf(i), "raw control character 0x"+hexUpper(c)+` in a string (write it as an escape such as \r, \n or \x`+hexUpper(c)+")")
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", 0, p.errf(p.colOf(start), `unterminated string (missing closing ")`)
}

// progVisible shows s with bytes other than printable ASCII as <0xNN>.
func progVisible(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
		} else {
			b.WriteString("<0x" + hexUpper(c) + ">")
		}
	}
	return b.String()
}

func progUnhex(s string, i int) (byte, bool) {
	if i >= len(s) {
		return 0, false
	}
	c := s[i]
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// progIsTchar reports whether c is an RFC 9110 token character.
func progIsTchar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// progDescribeChar shows the character at the start of s (decoded as r).
func progDescribeChar(s string, r rune) string {
	if r == utf8.RuneError && len(s) > 0 {
		if _, size := utf8.DecodeRuneInString(s); size <= 1 {
			return "0x" + hexUpper(s[0]) + " (not UTF-8)"
		}
	}
	return strconv.QuoteRune(r)
}

// progSuggest is the candidate closest to word (case-insensitively) if it
// is within edit distance 2 and closer than the word's length.
func progSuggest(word string, candidates []string) string {
	if len(word) > 32 {
		return ""
	}
	w := strings.ToLower(word)
	best, bestD := "", 3
	for _, c := range candidates {
		d := progEditDistance(w, c)
		if d < bestD && d < len(w) {
			best, bestD = c, d
		}
	}
	return best
}

// progEditDistance is the optimal string alignment distance (Levenshtein
// plus adjacent transpositions) between a and b, by bytes.
func progEditDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
