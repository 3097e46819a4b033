package ui

import (
	"bytes"
	"strconv"
)

// Wire dissection: a lenient reading of an HTTP/1 byte stream into
// segments (start line, header names and values, line ends, chunk sizes,
// body, upgraded bytes, bytes that are not HTTP), so the wire panels can
// colour what the engine read and wrote. It is for showing, never for
// deciding: the engine's own parser (engine/h1) decides what the bytes
// mean, and where they disagree the engine's error says so.

// SegKind is what a run of wire bytes is.
type SegKind uint8

const (
	SegStart       SegKind = iota // request line or status line
	SegHeaderName                 // a header's name and its colon
	SegHeaderValue                // a header's value
	SegEOL                        // a line end (CR LF or a bare LF), or an empty line
	SegBody                       // message body (chunk data included)
	SegChunkSize                  // a chunk-size line, with extensions
	SegUpgraded                   // bytes after an upgrade (101 or a CONNECT tunnel)
	SegJunk                       // bytes that do not read as HTTP/1
)

var segClasses = [...]string{
	SegStart: "w-sl", SegHeaderName: "w-hn", SegHeaderValue: "w-hv", SegEOL: "w-eol",
	SegBody: "w-bd", SegChunkSize: "w-cs", SegUpgraded: "w-up", SegJunk: "w-bad",
}

var segNames = [...]string{
	SegStart: "start line", SegHeaderName: "header name", SegHeaderValue: "header value", SegEOL: "line end",
	SegBody: "body", SegChunkSize: "chunk size", SegUpgraded: "upgraded", SegJunk: "not HTTP",
}

func (k SegKind) String() string { return segNames[k] }

// Segment is bytes [Lo, Hi) of a stream.
type Segment struct {
	Lo, Hi int
	Kind   SegKind
}

// message is what the dissector learned about one message.
type message struct {
	method  string
	status  int
	upgrade bool // a request with an Upgrade header
}

type dissector struct {
	b    []byte
	pos  int
	segs []Segment
}

func (d *dissector) add(lo, hi int, k SegKind) {
	if hi <= lo {
		return
	}
	if n := len(d.segs); n > 0 && d.segs[n-1].Kind == k && d.segs[n-1].Hi == lo && k != SegEOL {
		d.segs[n-1].Hi = hi
		return
	}
	d.segs = append(d.segs, Segment{lo, hi, k})
}

// line returns the next line [pos, end) and the index after its LF; ok is
// false when no LF follows (an incomplete line).
func (d *dissector) line() (end, next int, ok bool) {
	i := bytes.IndexByte(d.b[d.pos:], '\n')
	if i < 0 {
		return len(d.b), len(d.b), false
	}
	lf := d.pos + i
	end = lf
	if end > d.pos && d.b[end-1] == '\r' {
		end--
	}
	return end, lf + 1, true
}

// head reads a start line and header fields up to the empty line. It
// returns the headers as name/value pairs; ok is false when the head is
// incomplete (everything left was consumed as far as it goes).
func (d *dissector) head(startOK func([]byte) bool) (hdrs [][2][]byte, start []byte, ok, junk bool) {
	end, next, complete := d.line()
	start = d.b[d.pos:end]
	if !startOK(start) && (complete || len(start) > 0 && !prefixOfHTTP(start)) {
		d.add(d.pos, len(d.b), SegJunk)
		d.pos = len(d.b)
		return nil, start, false, true
	}
	d.add(d.pos, end, SegStart)
	d.add(end, next, SegEOL)
	d.pos = next
	if !complete {
		return nil, start, false, false
	}
	for d.pos < len(d.b) {
		end, next, complete := d.line()
		if end == d.pos && complete {
			d.add(d.pos, next, SegEOL)
			d.pos = next
			return hdrs, start, true, false
		}
		l := d.b[d.pos:end]
		c := bytes.IndexByte(l, ':')
		switch {
		case c > 0 && l[0] != ' ' && l[0] != '\t':
			d.add(d.pos, d.pos+c+1, SegHeaderName)
			d.add(d.pos+c+1, end, SegHeaderValue)
			hdrs = append(hdrs, [2][]byte{l[:c], bytes.TrimSpace(l[c+1:])})
		case len(l) > 0 && (l[0] == ' ' || l[0] == '\t'):
			d.add(d.pos, end, SegHeaderValue) // obs-fold
		case !complete:
			d.add(d.pos, end, SegHeaderName)
		default:
			d.add(d.pos, end, SegJunk)
		}
		d.add(end, next, SegEOL)
		d.pos = next
		if !complete {
			return hdrs, start, false, false
		}
	}
	return hdrs, start, false, false
}

// prefixOfHTTP reports whether an incomplete first line could still become
// a start line (so a half-typed request is not painted as junk).
func prefixOfHTTP(l []byte) bool {
	for _, c := range l {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func requestLineOK(l []byte) bool {
	sp1 := bytes.IndexByte(l, ' ')
	sp2 := bytes.LastIndexByte(l, ' ')
	if sp1 <= 0 || sp2 <= sp1 {
		return false
	}
	for _, c := range l[:sp1] {
		if !isTchar(c) {
			return false
		}
	}
	v := l[sp2+1:]
	return len(v) == 8 && bytes.HasPrefix(v, []byte("HTTP/")) && v[6] == '.'
}

func statusLineOK(l []byte) bool {
	return len(l) >= 12 && bytes.HasPrefix(l, []byte("HTTP/")) && l[8] == ' ' &&
		isDigit(l[9]) && isDigit(l[10]) && isDigit(l[11])
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isTchar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', isDigit(c):
		return true
	}
	return bytes.IndexByte([]byte("!#$%&'*+-.^_`|~"), c) >= 0
}

// framing is how a message's body is delimited.
type framing struct {
	chunked bool
	length  int64 // -1: none given
}

func framingOf(hdrs [][2][]byte) framing {
	f := framing{length: -1}
	for _, h := range hdrs {
		switch {
		case bytes.EqualFold(h[0], []byte("transfer-encoding")):
			v := bytes.TrimSpace(h[1])
			if i := bytes.LastIndexByte(v, ','); i >= 0 {
				v = bytes.TrimSpace(v[i+1:])
			}
			f.chunked = bytes.EqualFold(v, []byte("chunked"))
		case bytes.EqualFold(h[0], []byte("content-length")):
			if n, err := strconv.ParseInt(string(h[1]), 10, 64); err == nil && n >= 0 {
				f.length = n
			}
		}
	}
	return f
}

func hasHeader(hdrs [][2][]byte, name string) bool {
	for _, h := range hdrs {
		if bytes.EqualFold(h[0], []byte(name)) {
			return true
		}
	}
	return false
}

// body consumes a body of the given framing; untilClose takes the rest.
func (d *dissector) body(f framing, untilClose bool) {
	switch {
	case f.chunked:
		d.chunked()
	case f.length >= 0:
		end := min(len(d.b), d.pos+int(min(f.length, int64(len(d.b)))))
		d.add(d.pos, end, SegBody)
		d.pos = end
	case untilClose:
		d.add(d.pos, len(d.b), SegBody)
		d.pos = len(d.b)
	}
}

func (d *dissector) chunked() {
	for d.pos < len(d.b) {
		end, next, complete := d.line()
		l := d.b[d.pos:end]
		d.add(d.pos, end, SegChunkSize)
		d.add(end, next, SegEOL)
		d.pos = next
		if !complete {
			return
		}
		sz := l
		if i := bytes.IndexByte(sz, ';'); i >= 0 {
			sz = sz[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(sz)), 16, 64)
		if err != nil || n < 0 {
			d.add(d.pos, len(d.b), SegJunk)
			d.pos = len(d.b)
			return
		}
		if n == 0 {
			// trailers, then the empty line
			for d.pos < len(d.b) {
				end, next, complete := d.line()
				if end == d.pos {
					d.add(d.pos, next, SegEOL)
					d.pos = next
					return
				}
				l := d.b[d.pos:end]
				if c := bytes.IndexByte(l, ':'); c > 0 {
					d.add(d.pos, d.pos+c+1, SegHeaderName)
					d.add(d.pos+c+1, end, SegHeaderValue)
				} else {
					d.add(d.pos, end, SegHeaderName)
				}
				d.add(end, next, SegEOL)
				d.pos = next
				if !complete {
					return
				}
			}
			return
		}
		end = min(len(d.b), d.pos+int(min(n, int64(len(d.b)))))
		d.add(d.pos, end, SegBody)
		d.pos = end
		if d.pos >= len(d.b) {
			return
		}
		// the CRLF after the data
		e, nx, ok := d.line()
		if e != d.pos {
			d.add(d.pos, e, SegJunk)
		}
		d.add(e, nx, SegEOL)
		d.pos = nx
		if !ok {
			return
		}
	}
}

// skipEmptyLines consumes line ends before a message (RFC 9112 §2.2: a
// server SHOULD ignore at least one empty line before a request-line).
func (d *dissector) skipEmptyLines() {
	for d.pos < len(d.b) {
		switch {
		case d.b[d.pos] == '\n':
			d.add(d.pos, d.pos+1, SegEOL)
			d.pos++
		case d.b[d.pos] == '\r' && d.pos+1 < len(d.b) && d.b[d.pos+1] == '\n':
			d.add(d.pos, d.pos+2, SegEOL)
			d.pos += 2
		default:
			return
		}
	}
}

// dissectRequests reads a stream of requests. upgradeAfter is the index of
// the request after whose head the stream switched protocols (-1: none).
func dissectRequests(b []byte, upgradeAfter int) ([]Segment, []message) {
	d := &dissector{b: b}
	msgs := d.requests(nil, upgradeAfter, nil)
	return d.segs, msgs
}

// mark is where a dissection can resume when its stream grows: the end
// of the last message whose reading no later byte can change (it ended
// before the stream did), with the segments and messages up to there.
type mark struct{ pos, segs, msgs, k int }

// requests reads requests from d.pos on, after msgs, and moves m (if
// given) past each message that is settled.
func (d *dissector) requests(msgs []message, upgradeAfter int, m *mark) []message {
	b := d.b
	for d.pos < len(b) {
		d.skipEmptyLines()
		if d.pos >= len(b) {
			break
		}
		hdrs, start, ok, junk := d.head(requestLineOK)
		if junk || !ok {
			break
		}
		msg := message{upgrade: hasHeader(hdrs, "upgrade")}
		if i := bytes.IndexByte(start, ' '); i > 0 {
			msg.method = string(start[:i])
		}
		msgs = append(msgs, msg)
		if len(msgs)-1 == upgradeAfter {
			d.add(d.pos, len(b), SegUpgraded)
			d.pos = len(b)
			break
		}
		d.body(framingOf(hdrs), false)
		// a message read up to the stream's end may read on differently
		// with more bytes (a body, a line end); one that ended before it
		// cannot
		if m != nil && d.pos < len(b) {
			*m = mark{pos: d.pos, segs: len(d.segs), msgs: len(msgs)}
		}
	}
	return msgs
}

// dissectResponses reads a stream of responses to reqs. It returns the
// index of the request whose response switched protocols (-1: none).
func dissectResponses(b []byte, reqs []message) ([]Segment, int) {
	d := &dissector{b: b}
	_, up := d.responses(reqs, 0, nil)
	return d.segs, up
}

// responses reads responses from d.pos on, the next final one answering
// reqs[k]; it returns k as it ends and the index of the request whose
// response switched protocols (-1: none). m (if given) moves past each
// settled response: one that ended before the stream did and whose
// request was known (a HEAD or CONNECT request changes its reading).
func (d *dissector) responses(reqs []message, k int, m *mark) (int, int) {
	b := d.b
	for d.pos < len(b) {
		hdrs, start, ok, junk := d.head(statusLineOK)
		if junk || !ok {
			break
		}
		status, _ := strconv.Atoi(string(start[9:12]))
		var req message
		known := k < len(reqs)
		if known {
			req = reqs[k]
		}
		switch {
		case status == 101 || req.method == "CONNECT" && status/100 == 2:
			d.add(d.pos, len(b), SegUpgraded)
			d.pos = len(b)
			return k, k
		case status/100 == 1:
			// interim: the final response follows
		default:
			k++
			if req.method != "HEAD" && status != 204 && status != 304 {
				d.body(framingOf(hdrs), true)
			}
		}
		if m != nil && known && d.pos < len(b) {
			*m = mark{pos: d.pos, segs: len(d.segs), k: k}
		}
	}
	return k, -1
}

// Dissect reads both streams of an exchange: requests toward the server
// and responses toward the client.
func Dissect(toServer, toClient []byte) (in, out []Segment) {
	in, reqs := dissectRequests(toServer, -1)
	out, up := dissectResponses(toClient, reqs)
	if up >= 0 {
		in, _ = dissectRequests(toServer, up)
	}
	return in, out
}
