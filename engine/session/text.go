package session

import (
	"fmt"
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
			fmt.Fprintf(&sb, `\x%02x`, c)
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
		fmt.Fprintf(&b, "== %s (%d bytes)\n", title, len(data))
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
			switch e.Kind {
			case trace.KindTransition:
				fmt.Fprintf(&b, "step %-4d %-11s %s -> %s    %s\n", e.Step, e.Field, e.From, e.To, s.Rec.SpanString(e.Span))
			case trace.KindYield:
				fmt.Fprintf(&b, "step %-4d yield       poll_loop spent %d iterations\n", e.Step, e.N)
			case trace.KindUpgrade:
				fmt.Fprintf(&b, "step %-4d upgrade     %s with %d leftover bytes %q\n", e.Step, e.Name, e.N, e.Detail)
			case trace.KindFrame:
				fmt.Fprintf(&b, "step %-4d frame %-3s   %s %s, %d bytes\n", e.Step, e.Field, e.Name, e.Detail, e.N)
			case trace.KindError:
				fmt.Fprintf(&b, "step %-4d error       %s: %s\n", e.Step, e.Name, e.Detail)
			}
		}
	}
	if t.Client != nil {
		b.WriteString("== client program\n")
		for _, l := range t.Client.Log {
			b.WriteString(l + "\n")
		}
	}
	fmt.Fprintf(&b, "== result: %s", t.Result.State)
	if t.Result.Error != nil {
		fmt.Fprintf(&b, " (%s", t.Result.Error.Kind)
		if t.Result.Error.Errno != "" {
			fmt.Fprintf(&b, " %s", t.Result.Error.Errno)
		}
		fmt.Fprintf(&b, ": %s)", t.Result.Error.Detail)
	}
	if t.Result.Benign {
		b.WriteString(" [benign]")
	}
	fmt.Fprintf(&b, "\n%s", t.Result.Explain)
	for _, w := range t.Result.Waits {
		fmt.Fprintf(&b, "\n  task %d %q waits on %v", w.Task, w.Name, w.WaitsOn)
		if len(w.WokenBy) > 0 {
			fmt.Fprintf(&b, ", woken by %v", w.WokenBy)
		}
	}
	fmt.Fprintf(&b, "\nrequests seen %d, steps %d, peer eof %v\nfinal reading=%s writing=%s keep_alive=%s\n",
		t.RequestsSeen, t.Steps, t.PeerEOF, t.Final.Reading, t.Final.Writing, t.Final.KeepAlive)
	return b.String()
}
