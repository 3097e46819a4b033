package timeline

// Breakpoints: a small expression language over a Timeline's events and
// the state after each of them, for RunTo, RunBackTo and Find.
//
// Atoms:
//
//	kind == yield                 an event field compared with a value
//	reading == KeepAlive          a state field (the view after the event)
//	reading == "Body(Length(5))"  Reading/Writing with their codec, quoted
//	iter >= 16, requests == 2     numbers: == != < > <= >=
//	is_closing, !done             a boolean field alone (or == true / false)
//	transition keep_alive -> Disabled
//	transition reading Body -> Closed   with the state it left; * = any
//	transition reading                  any change of reading
//	wire-out contains "HTTP/1.1 100"    the stream to the client, as recorded
//	                                    up to the event; wire-in: to the server
//	note contains "drain"         a note event whose text contains the string
//	error contains "ECONNRESET"   an error event whose kind or text contains it
//	detail contains "eof"         any string field: contains
//
// combined with && (binds tighter), ||, ! and parentheses. Values are bare
// words (letters, digits, _ . and -), numbers (optionally negative) or
// double-quoted strings with the escapes \" \\ \n \r \t and \xNN. Field names
// may use - for _ (keep-alive).
//
// Event fields: seq, step, task, kind, span, field, from, to, name, detail,
// ref, n, off. State fields: reading, writing, keep_alive, notify_read,
// is_closing, iter, body_tx, body_rx, in_flight, queue, wanting, read_buf,
// write_buf, wire_in, wire_out, clock (ms since the epoch), requests,
// upgraded, done, input (the input index). In mode both, client.reading,
// client.iter, ... are the client connection's (the plain names are the
// server's); a transition atom matches either connection.
//
// When it hits: an expression that looks at the event (kind, transition,
// note, error, span, field, from, to, name, detail, ref, n, off) hits at
// every event where it is true; an expression over state only hits where
// it becomes true (true at the event, false at the one before), so
// `reading == KeepAlive` stops where reading turns KeepAlive and
// `wire-out contains "HTTP/1.1 100"` where those bytes are written.
//
// A bad expression is a *BreakpointError naming the 1-based column (in
// characters) and what was expected there.

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/h1"
	"github.com/connlab/connlab/engine/trace"
)

// BreakpointError is a bad breakpoint expression.
type BreakpointError struct {
	Pos int // 1-based column, in characters
	Msg string
}

func (e *BreakpointError) Error() string {
	return "breakpoint: column " + strconv.Itoa(e.Pos) + ": " + e.Msg
}

// --- lexer ---

type bpTokKind uint8

const (
	bpEOF bpTokKind = iota
	bpIdent
	bpNum
	bpStr
	bpOp // == != < > <= >= && || ! -> ( )
)

type bpToken struct {
	kind bpTokKind
	text string // source text (an op, an identifier, a number)
	str  string // a string's decoded value
	num  int64
	pos  int // 1-based column
}

func (t bpToken) describe() string {
	switch t.kind {
	case bpEOF:
		return "the end of the expression"
	case bpStr:
		return "the string " + strconv.Quote(t.str)
	}
	return "\"" + t.text + "\""
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '*' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || c == '.' || (c >= '0' && c <= '9')
}

func bpLex(src string) ([]bpToken, error) {
	var toks []bpToken
	col := func(i int) int { return utf8.RuneCountInString(src[:i]) + 1 }
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			start := i
			var b strings.Builder
			i++
			closed := false
			for i < len(src) {
				ch := src[i]
				if ch == '"' {
					i++
					closed = true
					break
				}
				if ch != '\\' {
					b.WriteByte(ch)
					i++
					continue
				}
				if i+1 >= len(src) {
					return nil, &BreakpointError{Pos: col(i), Msg: "unfinished escape at the end of the string"}
				}
				switch e := src[i+1]; e {
				case '"', '\\':
					b.WriteByte(e)
					i += 2
				case 'n':
					b.WriteByte('\n')
					i += 2
				case 'r':
					b.WriteByte('\r')
					i += 2
				case 't':
					b.WriteByte('\t')
					i += 2
				case 'x':
					if i+4 <= len(src) {
						if v, err := strconv.ParseUint(src[i+2:i+4], 16, 8); err == nil {
							b.WriteByte(byte(v))
							i += 4
							continue
						}
					}
					return nil, &BreakpointError{Pos: col(i), Msg: `bad escape: \x needs two hex digits`}
				default:
					return nil, &BreakpointError{Pos: col(i), Msg: `unknown escape \` + string(rune(e)) + `: use \" \\ \n \r \t or \xNN`}
				}
			}
			if !closed {
				return nil, &BreakpointError{Pos: col(start), Msg: "unterminated string: expected a closing \""}
			}
			toks = append(toks, bpToken{kind: bpStr, text: src[start:i], str: b.String(), pos: col(start)})
		case c >= '0' && c <= '9' || (c == '-' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9'):
			start := i
			i++
			for i < len(src) && src[i] >= '0' && src[i] <= '9' {
				i++
			}
			if i < len(src) && isIdentChar(src[i]) {
				return nil, &BreakpointError{Pos: col(start), Msg: "bad number " + strconv.Quote(src[start:i+1])}
			}
			n, err := strconv.ParseInt(src[start:i], 10, 64)
			if err != nil {
				return nil, &BreakpointError{Pos: col(start), Msg: "number " + src[start:i] + " out of range"}
			}
			toks = append(toks, bpToken{kind: bpNum, text: src[start:i], num: n, pos: col(start)})
		case isIdentStart(c):
			start := i
			i++
			for i < len(src) {
				if isIdentChar(src[i]) {
					i++
				} else if src[i] == '-' && i+1 < len(src) && isIdentChar(src[i+1]) && src[i+1] != '*' {
					i++
				} else {
					break
				}
			}
			toks = append(toks, bpToken{kind: bpIdent, text: src[start:i], pos: col(start)})
		default:
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			switch two {
			case "==", "!=", "<=", ">=", "&&", "||", "->":
				toks = append(toks, bpToken{kind: bpOp, text: two, pos: col(i)})
				i += 2
				continue
			}
			switch c {
			case '<', '>', '!', '(', ')':
				toks = append(toks, bpToken{kind: bpOp, text: string(c), pos: col(i)})
				i++
			case '=':
				return nil, &BreakpointError{Pos: col(i), Msg: "unexpected \"=\": use == to compare"}
			case '&':
				return nil, &BreakpointError{Pos: col(i), Msg: "unexpected \"&\": use && for and"}
			case '|':
				return nil, &BreakpointError{Pos: col(i), Msg: "unexpected \"|\": use || for or"}
			default:
				r, _ := utf8.DecodeRuneInString(src[i:])
				return nil, &BreakpointError{Pos: col(i), Msg: "unexpected character " + strconv.QuoteRune(r)}
			}
		}
	}
	toks = append(toks, bpToken{kind: bpEOF, pos: utf8.RuneCountInString(src) + 1})
	return toks, nil
}

// --- fields ---

type bpType uint8

const (
	bpTNum bpType = iota
	bpTStr
	bpTBool
)

type bpFieldID uint8

const (
	fSeq bpFieldID = iota
	fStep
	fTask
	fKind
	fSpan
	fField
	fFrom
	fTo
	fName
	fDetail
	fRef
	fN
	fOff
	fReading
	fWriting
	fKeepAlive
	fNotifyRead
	fIsClosing
	fIter
	fBodyTx
	fBodyRx
	fInFlight
	fQueue
	fWanting
	fReadBuf
	fWriteBuf
	fRequests
	fUpgraded
	fDone
	fWireIn
	fWireOut
	fClock
	fInput
)

type bpField struct {
	name  string
	id    bpFieldID
	typ   bpType
	event bool // a property of the event rather than of the state
	conn  bool // a connection's field (client.X exists in mode both)
}

var bpFields = []bpField{
	{"seq", fSeq, bpTNum, false, false},
	{"step", fStep, bpTNum, false, false},
	{"task", fTask, bpTNum, false, false},
	{"kind", fKind, bpTStr, true, false},
	{"span", fSpan, bpTStr, true, false},
	{"field", fField, bpTStr, true, false},
	{"from", fFrom, bpTStr, true, false},
	{"to", fTo, bpTStr, true, false},
	{"name", fName, bpTStr, true, false},
	{"detail", fDetail, bpTStr, true, false},
	{"ref", fRef, bpTStr, true, false},
	{"n", fN, bpTNum, true, false},
	{"off", fOff, bpTNum, true, false},
	{"reading", fReading, bpTStr, false, true},
	{"writing", fWriting, bpTStr, false, true},
	{"keep_alive", fKeepAlive, bpTStr, false, true},
	{"notify_read", fNotifyRead, bpTBool, false, true},
	{"is_closing", fIsClosing, bpTBool, false, true},
	{"iter", fIter, bpTNum, false, true},
	{"body_tx", fBodyTx, bpTStr, false, true},
	{"body_rx", fBodyRx, bpTBool, false, true},
	{"in_flight", fInFlight, bpTStr, false, true},
	{"queue", fQueue, bpTNum, false, true},
	{"wanting", fWanting, bpTBool, false, true},
	{"read_buf", fReadBuf, bpTNum, false, true},
	{"write_buf", fWriteBuf, bpTNum, false, true},
	{"requests", fRequests, bpTNum, false, true},
	{"upgraded", fUpgraded, bpTBool, false, true},
	{"done", fDone, bpTBool, false, true},
	{"wire_in", fWireIn, bpTNum, false, false},
	{"wire_out", fWireOut, bpTNum, false, false},
	{"clock", fClock, bpTNum, false, false},
	{"input", fInput, bpTNum, false, false},
}

func bpFieldNames() string {
	var names []string
	for _, f := range bpFields {
		names = append(names, f.name)
	}
	return strings.Join(names, ", ")
}

func bpLookupField(name string) (bpField, bool) {
	name = strings.ReplaceAll(name, "-", "_")
	for _, f := range bpFields {
		if f.name == name {
			return f, true
		}
	}
	return bpField{}, false
}

// --- syntax tree ---

type bpOpKind uint8

const (
	bpOr bpOpKind = iota
	bpAnd
	bpNot
	bpCmpNum   // field cmp num
	bpCmpStr   // field ==/!= str
	bpCmpKind  // kind ==/!= k
	bpContains // string field contains str
	bpWire     // wire-in/out contains str
	bpBool     // bool field
	bpTrans    // transition
	bpNote     // note contains str
	bpError    // error contains str
)

type bpNode struct {
	op      bpOpKind
	l, r    *bpNode
	field   bpField
	client  bool
	cmp     string
	num     int64
	str     string
	variant bool // compare a Reading/Writing variant name, ignoring the codec
	neg     bool // != (for string and kind comparisons)
	tFrom   string
	tTo     string
	out     bool  // bpWire: the stream to the client
	need    int64 // bpWire: stream length at which str is complete; -1 never
	event   bool  // the subtree looks at the event
}

type bpParser struct {
	toks []bpToken
	p    int
	mode string
}

func (p *bpParser) peek() bpToken { return p.toks[p.p] }
func (p *bpParser) next() bpToken {
	t := p.toks[p.p]
	if t.kind != bpEOF {
		p.p++
	}
	return t
}

func (p *bpParser) isOp(s string) bool {
	t := p.peek()
	return t.kind == bpOp && t.text == s
}

func bpErr(t bpToken, msg string) error {
	return &BreakpointError{Pos: t.pos, Msg: msg}
}

// compileBreakpoint parses expr for a session of the given mode.
func compileBreakpoint(expr, mode string) (*bpNode, error) {
	toks, err := bpLex(expr)
	if err != nil {
		return nil, err
	}
	if toks[0].kind == bpEOF {
		return nil, &BreakpointError{Pos: 1, Msg: "empty expression: expected a condition such as kind == yield"}
	}
	p := &bpParser{toks: toks, mode: mode}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != bpEOF {
		if t.kind == bpOp && t.text == ")" {
			return nil, bpErr(t, "unexpected \")\" with no \"(\" to close")
		}
		return nil, bpErr(t, "unexpected "+t.describe()+": expected && or || or the end of the expression")
	}
	return n, nil
}

func (p *bpParser) or() (*bpNode, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.isOp("||") {
		p.next()
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &bpNode{op: bpOr, l: l, r: r, event: l.event || r.event}
	}
	return l, nil
}

func (p *bpParser) and() (*bpNode, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.isOp("&&") {
		p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &bpNode{op: bpAnd, l: l, r: r, event: l.event || r.event}
	}
	return l, nil
}

func (p *bpParser) unary() (*bpNode, error) {
	t := p.peek()
	switch {
	case t.kind == bpOp && t.text == "!":
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &bpNode{op: bpNot, l: x, event: x.event}, nil
	case t.kind == bpOp && t.text == "(":
		p.next()
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.isOp(")") {
			return nil, bpErr(p.peek(), "expected \")\" to close the \"(\" at column "+strconv.Itoa(t.pos)+", got "+p.peek().describe())
		}
		p.next()
		return x, nil
	case t.kind == bpIdent:
		return p.atom()
	}
	return nil, bpErr(t, "expected a condition (a field such as kind, reading or iter; transition; wire-out; note; \"(\" or \"!\"), got "+t.describe())
}

// isCmpOp reports whether op compares (a switch, not a map literal, which
// is built by code at init in the browser's wasm too).
func isCmpOp(op string) bool {
	switch op {
	case "==", "!=", "<", ">", "<=", ">=":
		return true
	}
	return false
}

// value reads a comparison's right-hand side: a bare word, number or string.
func (p *bpParser) value(after bpToken) (bpToken, error) {
	t := p.peek()
	switch t.kind {
	case bpIdent, bpNum, bpStr:
		p.next()
		return t, nil
	}
	return t, bpErr(t, "expected a value after "+after.describe()+", got "+t.describe())
}

func (t bpToken) word() string {
	if t.kind == bpStr {
		return t.str
	}
	return t.text
}

func (p *bpParser) atom() (*bpNode, error) {
	id := p.next()
	name := strings.ReplaceAll(id.text, "-", "_")
	switch name {
	case "transition":
		return p.transition(id)
	case "note", "error":
		kw := p.peek()
		if kw.kind != bpIdent || kw.text != "contains" {
			return nil, bpErr(kw, "expected contains after "+id.text+" (as in "+id.text+" contains \"text\"), got "+kw.describe())
		}
		p.next()
		s := p.peek()
		if s.kind != bpStr {
			return nil, bpErr(s, "expected a quoted string after contains, got "+s.describe())
		}
		p.next()
		op := bpNote
		if name == "error" {
			op = bpError
		}
		return &bpNode{op: op, str: s.str, event: true}, nil
	}
	client := false
	if rest, ok := strings.CutPrefix(name, "client."); ok {
		if p.mode != "both" {
			return nil, bpErr(id, "client."+rest+": only mode both has a second connection (use "+rest+")")
		}
		client, name = true, rest
	}
	f, ok := bpLookupField(name)
	if !ok {
		return nil, bpErr(id, "unknown field "+strconv.Quote(id.text)+": expected one of "+bpFieldNames()+" (or transition, note, error)")
	}
	if client && !f.conn {
		return nil, bpErr(id, f.name+" is not a connection field: write it without client.")
	}
	op := p.peek()
	switch {
	case op.kind == bpIdent && op.text == "contains":
		p.next()
		s := p.peek()
		if s.kind != bpStr {
			return nil, bpErr(s, "expected a quoted string after contains, got "+s.describe())
		}
		p.next()
		switch f.id {
		case fWireIn, fWireOut:
			return &bpNode{op: bpWire, str: s.str, out: f.id == fWireOut}, nil
		}
		if f.typ != bpTStr {
			return nil, bpErr(op, f.name+" is not text: contains applies to text fields and wire-in/wire-out")
		}
		return &bpNode{op: bpContains, field: f, client: client, str: s.str, event: f.event}, nil
	case op.kind == bpOp && isCmpOp(op.text):
		p.next()
		v, err := p.value(op)
		if err != nil {
			return nil, err
		}
		return p.compare(f, client, op, v)
	}
	if f.typ == bpTBool {
		return &bpNode{op: bpBool, field: f, client: client}, nil
	}
	return nil, bpErr(op, "expected ==, !=, <, >, <=, >= or contains after "+id.text+", got "+op.describe())
}

func (p *bpParser) compare(f bpField, client bool, op, v bpToken) (*bpNode, error) {
	n := &bpNode{field: f, client: client, cmp: op.text, event: f.event, neg: op.text == "!="}
	eqOnly := func() error {
		if op.text != "==" && op.text != "!=" {
			return bpErr(op, f.name+" is not a number: compare it with == or !=")
		}
		return nil
	}
	switch f.typ {
	case bpTNum:
		if v.kind != bpNum {
			return nil, bpErr(v, f.name+" is a number: expected a number after "+op.text+", got "+v.describe())
		}
		n.op, n.num = bpCmpNum, v.num
		return n, nil
	case bpTBool:
		if err := eqOnly(); err != nil {
			return nil, err
		}
		w := v.word()
		if v.kind == bpNum || (w != "true" && w != "false") {
			return nil, bpErr(v, f.name+" is true or false, got "+v.describe())
		}
		// x == false is !x; x != true is !x
		b := &bpNode{op: bpBool, field: f, client: client}
		if (w == "true") == (op.text == "==") {
			return b, nil
		}
		return &bpNode{op: bpNot, l: b}, nil
	}
	if err := eqOnly(); err != nil {
		return nil, err
	}
	w := v.word()
	n.op, n.str = bpCmpStr, w
	switch f.id {
	case fKind:
		k, ok := trace.KindFromString(w)
		if !ok {
			return nil, bpErr(v, "unknown kind "+strconv.Quote(w)+": expected one of "+kindNames())
		}
		n.op, n.num = bpCmpKind, int64(k)
	case fReading, fWriting:
		names := stateNames(h1.FieldReading)
		if f.id == fWriting {
			names = stateNames(h1.FieldWriting)
		}
		variant, _, hasCodec := strings.Cut(w, "(")
		if !contains(names, variant) {
			return nil, bpErr(v, "unknown "+f.name+" state "+strconv.Quote(w)+": expected one of "+strings.Join(names, ", "))
		}
		n.variant = !hasCodec
	case fKeepAlive:
		if names := stateNames(h1.FieldKeepAlive); !contains(names, w) {
			return nil, bpErr(v, "unknown keep_alive state "+strconv.Quote(w)+": expected one of "+strings.Join(names, ", "))
		}
	case fBodyTx:
		if w == "none" {
			n.str = ""
		} else if w != "" && !contains([]string{"Pending", "Ready", "Closed"}, w) {
			return nil, bpErr(v, "unknown body_tx state "+strconv.Quote(w)+": expected Pending, Ready, Closed or none")
		}
	}
	return n, nil
}

// transitionValues lists the values a transition field takes (nil for a
// field no transition event carries), from the engine's own tables.
func transitionValues(field string) []string {
	for _, t := range h1.Transitions() {
		if t.Field.String() == field {
			return t.States
		}
	}
	return nil
}

// stateNames lists the states of one of the Conn's fields, from the
// engine's transition table.
func stateNames(f h1.StateField) []string { return h1.Transitions()[f-h1.FieldReading].States }

func (p *bpParser) transition(kw bpToken) (*bpNode, error) {
	ft := p.peek()
	if ft.kind != bpIdent {
		return nil, bpErr(ft, "expected a field after transition (reading, writing, keep_alive, notify_read, is_closing), got "+ft.describe())
	}
	p.next()
	field := strings.ReplaceAll(ft.text, "-", "_")
	vals := transitionValues(field)
	if vals == nil {
		return nil, bpErr(ft, "unknown transition field "+strconv.Quote(ft.text)+": expected reading, writing, keep_alive, notify_read or is_closing")
	}
	n := &bpNode{op: bpTrans, str: field, event: true}
	check := func(t bpToken) (string, error) {
		w := t.word()
		if w == "*" {
			return "", nil
		}
		if t.kind == bpNum || !contains(vals, w) {
			return "", bpErr(t, "unknown "+field+" state "+t.describe()+": expected one of "+strings.Join(vals, ", ")+" or *")
		}
		return w, nil
	}
	// [FROM] -> TO, or nothing (any change)
	t := p.peek()
	if t.kind == bpIdent || t.kind == bpStr {
		p.next()
		from, err := check(t)
		if err != nil {
			return nil, err
		}
		n.tFrom = from
		if !p.isOp("->") {
			return nil, bpErr(p.peek(), "expected -> after transition "+ft.text+" "+t.word()+", got "+p.peek().describe())
		}
	}
	if p.isOp("->") {
		arrow := p.next()
		v := p.peek()
		if v.kind != bpIdent && v.kind != bpStr {
			return nil, bpErr(v, "expected a "+field+" state after "+arrow.describe()+", got "+v.describe())
		}
		p.next()
		to, err := check(v)
		if err != nil {
			return nil, err
		}
		n.tTo = to
	}
	return n, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func kindNames() string {
	var names []string
	for k := trace.Kind(1); k.String() != "unknown"; k++ {
		names = append(names, k.String())
	}
	return strings.Join(names, ", ")
}

// --- evaluation ---

type bpCtx struct {
	t     *Timeline
	i     int
	sn    *snap
	ev    trace.Event
	evOK  bool
	spans map[int32]string
}

func (c *bpCtx) at(i int) {
	c.i = i
	c.sn = c.t.c.snapAt(i)
	c.evOK = false
}

func (c *bpCtx) event() *trace.Event {
	if !c.evOK {
		c.ev = c.t.s.Rec.At(c.i)
		c.evOK = true
	}
	return &c.ev
}

func (c *bpCtx) conn(client bool) *connSnap {
	if client {
		return &c.sn.client
	}
	return &c.sn.main
}

func (c *bpCtx) num(f bpField, client bool) int64 {
	cs := c.conn(client)
	switch f.id {
	case fSeq:
		return int64(c.i)
	case fStep:
		return int64(c.event().Step)
	case fTask:
		return int64(c.t.s.Rec.TaskAt(c.i))
	case fN:
		return c.event().N
	case fOff:
		return c.event().Off
	case fIter:
		return int64(cs.iter)
	case fQueue:
		return int64(cs.queue)
	case fReadBuf:
		return int64(cs.readBuf)
	case fWriteBuf:
		return int64(cs.writeBuf)
	case fRequests:
		return int64(cs.requests)
	case fWireIn:
		return c.sn.wireIn
	case fWireOut:
		return c.sn.wireOut
	case fClock:
		return c.sn.clock
	case fInput:
		return int64(c.t.InputIndexAt(c.i))
	}
	return 0
}

func (c *bpCtx) str(f bpField, client bool) string {
	cs := c.conn(client)
	names := c.t.c.names
	switch f.id {
	case fKind:
		return c.t.s.Rec.KindAt(c.i).String()
	case fSpan:
		id := c.t.s.Rec.SpanAt(c.i)
		s, ok := c.spans[id]
		if !ok {
			s = c.t.s.Rec.SpanString(id)
			c.spans[id] = s
		}
		return s
	case fField:
		return c.event().Field
	case fFrom:
		return c.event().From
	case fTo:
		return c.event().To
	case fName:
		return c.event().Name
	case fDetail:
		return c.event().Detail
	case fRef:
		return c.event().Ref
	case fReading:
		if cs.flags&flagPresent == 0 {
			return ""
		}
		return names[cs.reading]
	case fWriting:
		if cs.flags&flagPresent == 0 {
			return ""
		}
		return names[cs.writing]
	case fKeepAlive:
		if cs.flags&flagPresent == 0 {
			return ""
		}
		return h1.KA(cs.ka).String()
	case fBodyTx:
		return body.Want(cs.bodyTx).String()
	case fInFlight:
		return names[cs.inFlight]
	}
	return ""
}

func (c *bpCtx) boolean(f bpField, client bool) bool {
	cs := c.conn(client)
	switch f.id {
	case fNotifyRead:
		return cs.flags&flagNotifyRead != 0
	case fIsClosing:
		return cs.flags&flagIsClosing != 0
	case fBodyRx:
		return cs.flags&flagBodyRx != 0
	case fWanting:
		return cs.flags&flagWanting != 0
	case fUpgraded:
		return cs.flags&flagUpgraded != 0
	case fDone:
		return cs.flags&flagDone != 0
	}
	return false
}

func (c *bpCtx) eval(n *bpNode) bool {
	switch n.op {
	case bpOr:
		return c.eval(n.l) || c.eval(n.r)
	case bpAnd:
		return c.eval(n.l) && c.eval(n.r)
	case bpNot:
		return !c.eval(n.l)
	case bpBool:
		return c.boolean(n.field, n.client)
	case bpCmpNum:
		v := c.num(n.field, n.client)
		switch n.cmp {
		case "==":
			return v == n.num
		case "!=":
			return v != n.num
		case "<":
			return v < n.num
		case ">":
			return v > n.num
		case "<=":
			return v <= n.num
		}
		return v >= n.num
	case bpCmpKind:
		return (c.t.s.Rec.KindAt(c.i) == trace.Kind(n.num)) != n.neg
	case bpCmpStr:
		v := c.str(n.field, n.client)
		eq := v == n.str
		if !eq && n.variant && strings.HasPrefix(v, n.str) && len(v) > len(n.str) && v[len(n.str)] == '(' {
			eq = true
		}
		return eq != n.neg
	case bpContains:
		return strings.Contains(c.str(n.field, n.client), n.str)
	case bpWire:
		have := c.sn.wireIn
		if n.out {
			have = c.sn.wireOut
		}
		return n.need >= 0 && have >= n.need
	case bpTrans:
		if c.t.s.Rec.KindAt(c.i) != trace.KindTransition {
			return false
		}
		e := c.event()
		return e.Field == n.str && (n.tFrom == "" || e.From == n.tFrom) && (n.tTo == "" || e.To == n.tTo)
	case bpNote:
		return c.t.s.Rec.KindAt(c.i) == trace.KindNote && strings.Contains(c.event().Detail, n.str)
	case bpError:
		if c.t.s.Rec.KindAt(c.i) != trace.KindError {
			return false
		}
		e := c.event()
		return strings.Contains(e.Name, n.str) || strings.Contains(e.Detail, n.str)
	}
	return false
}

// prepare resolves wire-in/wire-out searches against the recorded streams.
func (t *Timeline) prepare(n *bpNode) {
	if n == nil {
		return
	}
	if n.op == bpWire {
		in, out := t.Wire()
		s := in
		if n.out {
			s = out
		}
		n.need = -1
		if i := bytes.Index(s, []byte(n.str)); i >= 0 {
			n.need = int64(i + len(n.str))
		}
	}
	t.prepare(n.l)
	t.prepare(n.r)
}

// CheckBreakpoint parses expr without running it: nil, or a
// *BreakpointError.
func (t *Timeline) CheckBreakpoint(expr string) error {
	_, err := compileBreakpoint(expr, t.file.Mode)
	return err
}

// Find returns the first event after from (-1: from the start) where the
// breakpoint hits, or -1 when it never does. See the top of breakpoint.go
// for the language and when an expression hits.
func (t *Timeline) Find(expr string, from int) (int, error) {
	n, err := compileBreakpoint(expr, t.file.Mode)
	if err != nil {
		return -1, err
	}
	t.prepare(n)
	c := &bpCtx{t: t, spans: map[int32]string{}}
	start := max(from+1, 0)
	prev := false
	if !n.event && start > 0 && start < t.Len() {
		c.at(start - 1)
		prev = c.eval(n)
	}
	for i := start; i < t.Len(); i++ {
		c.at(i)
		v := c.eval(n)
		if v && (n.event || !prev) {
			return i, nil
		}
		prev = v
	}
	return -1, nil
}

// FindBack returns the last event before from where the breakpoint hits,
// or -1.
func (t *Timeline) FindBack(expr string, from int) (int, error) {
	n, err := compileBreakpoint(expr, t.file.Mode)
	if err != nil {
		return -1, err
	}
	t.prepare(n)
	c := &bpCtx{t: t, spans: map[int32]string{}}
	i := min(from-1, t.Len()-1)
	if i < 0 {
		return -1, nil
	}
	c.at(i)
	cur := c.eval(n)
	for ; i >= 0; i-- {
		prev := false
		if i > 0 {
			c.at(i - 1)
			prev = c.eval(n)
		}
		if cur && (n.event || !prev) {
			return i, nil
		}
		cur = prev
	}
	return -1, nil
}

// RunTo moves the cursor forward to the first event after it where the
// breakpoint hits; when it never does, the cursor stays and hit is false.
// A bad expression is a *BreakpointError.
func (t *Timeline) RunTo(expr string) (hit bool, err error) {
	i, err := t.Find(expr, t.cursor)
	if err != nil || i < 0 {
		return false, err
	}
	t.cursor = i
	return true, nil
}

// RunBackTo moves the cursor back to the last event before it where the
// breakpoint hits (reverse continue).
func (t *Timeline) RunBackTo(expr string) (hit bool, err error) {
	i, err := t.FindBack(expr, t.cursor)
	if err != nil || i < 0 {
		return false, err
	}
	t.cursor = i
	return true, nil
}
