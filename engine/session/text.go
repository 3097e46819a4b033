package session

import (
	"strconv"
	"strings"

	"github.com/connlab/connlab/engine/trace"
)

// VisibleBytes renders bytes for a terminal: CR and LF become visible
// `\r` and `\n` marks (a real newline follows each LF so lines stay lines),
// tabs `\t`, other control and non-ASCII bytes `\xNN`.
func VisibleBytes(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		switch {
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\n':
			sb.WriteString("\\n\n")
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\\':
			sb.WriteString(`\\`)
		case c < 0x20 || c >= 0x7f:
			const hex = "0123456789abcdef"
			sb.WriteString(`\x`)
			sb.WriteByte(hex[c>>4])
			sb.WriteByte(hex[c&0xf])
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// Text renders the human transcript: both byte streams with CRLF visible,
// then the state transitions step by step, then the result.
func (s *Session) Text() string {
	var b strings.Builder
	t := s.Transcript(false)
	section := func(title string, data []byte) {
		b.WriteString("== " + title + " (" + strconv.Itoa(len(data)) + " bytes)\n")
		if len(data) == 0 {
			b.WriteString("(nothing)\n")
			return
		}
		v := VisibleBytes(data)
		b.WriteString(v)
		if !strings.HasSuffix(v, "\n") {
			b.WriteString("\n")
		}
	}
	section("client → server", s.toServer)
	section("server → client", s.toClient)
	if s.Rec != nil {
		b.WriteString("== transitions\n")
		for _, e := range s.Rec.Events() {
			step := "step " + padRight(strconv.Itoa(int(e.Step)), 4) + " "
			switch e.Kind {
			case trace.KindTransition:
				b.WriteString(step + padRight(e.Field, 11) + " " + e.From + " -> " + e.To + "    " + s.Rec.SpanString(e.Span) + "\n")
			case trace.KindYield:
				b.WriteString(step + "yield       poll_loop spent " + strconv.FormatInt(e.N, 10) + " iterations\n")
			case trace.KindUpgrade:
				if e.Name == "drop" {
					b.WriteString(step + "upgrade     " + e.Detail + "\n")
					break
				}
				b.WriteString(step + "upgrade     " + e.Name + " with " + strconv.FormatInt(e.N, 10) + " leftover bytes " + strconv.Quote(e.Detail) + "\n")
			case trace.KindFrame:
				b.WriteString(step + "frame " + padRight(e.Field, 3) + "   " + e.Name + " " + e.Detail + ", " + strconv.FormatInt(e.N, 10) + " bytes\n")
			case trace.KindError:
				b.WriteString(step + "error       " + e.Name + ": " + e.Detail + "\n")
			}
		}
	}
	if t.Client != nil {
		b.WriteString("== client program\n")
		for _, l := range t.Client.Log {
			b.WriteString(l + "\n")
		}
	}
	b.WriteString("== result: " + t.Result.State)
	if t.Result.Error != nil {
		b.WriteString(" (" + t.Result.Error.Kind)
		if t.Result.Error.Errno != "" {
			b.WriteString(" " + t.Result.Error.Errno)
		}
		b.WriteString(": " + t.Result.Error.Detail + ")")
	}
	if t.Result.Benign {
		b.WriteString(" [benign]")
	}
	b.WriteString("\n" + t.Result.Explain)
	for _, w := range t.Result.Waits {
		b.WriteString("\n  task " + strconv.Itoa(int(w.Task)) + " " + strconv.Quote(w.Name) + " waits on " + wordList(w.WaitsOn))
		if len(w.WokenBy) > 0 {
			b.WriteString(", woken by " + wordList(w.WokenBy))
		}
	}
	b.WriteString("\nrequests seen " + strconv.Itoa(t.RequestsSeen) + ", steps " + strconv.Itoa(t.Steps) + ", peer eof " + strconv.FormatBool(t.PeerEOF) +
		"\nfinal reading=" + t.Final.Reading + " writing=" + t.Final.Writing + " keep_alive=" + t.Final.KeepAlive + "\n")
	return b.String()
}
