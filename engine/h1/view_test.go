package h1

import (
	"testing"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

// TestConnViewAtEveryEvent: the one view agrees with the Dispatcher's and
// the Conn's own fields at every event, and at a transition event it already shows the
// event's target value (the setters assign, then record), so nothing needs
// the event's To string.
func TestConnViewAtEveryEvent(t *testing.T) {
	svc := svcFunc(func(req *Request) ServiceFuture {
		in := req.TakeBody()
		return futFunc(func(cx *poll.Context) poll.Poll[Response] {
			for {
				p := in.PollFrame(cx)
				if !p.Ready {
					return poll.Pending[Response]()
				}
				if p.Value.End {
					return poll.Ready(Response{Head: ResponseHead{Status: 200}, Body: body.NewFull([]byte("ok"))})
				}
			}
		})
	})
	h := newHarness(t, svc, DefaultOptions())
	d := h.srv.Dispatcher()
	c := d.Conn()
	events, transitions, withBody, inFlight := 0, 0, 0, 0
	h.rec.OnEvent = func(seq int) {
		events++
		v := d.View()
		if v.State != c.StateKey() || v.IsClosing != d.isClosing || v.Iter != d.iter || v.BodyRx != (d.bodyRx != nil) ||
			(v.BodyTx != body.WantNone) != d.hasBodyTx || v.BodyTx != d.bodyTxWant() ||
			v.BodyTxHeld != d.bodyTx.WantState() || v.ReadBuf != len(c.io.unread()) || v.WriteBuf != c.io.bufferedLen() {
			t.Errorf("event %d: view %+v disagrees with the Dispatcher and Conn", seq, v)
		}
		if m, u, ok := d.inFlightParts(); ok != v.InFlight || m != v.Method || string(u) != string(v.URI) {
			t.Errorf("event %d: in flight %v %q %q, view %v %q %q", seq, ok, m, u, v.InFlight, v.Method, v.URI)
		}
		if v.BodyTx != body.WantNone {
			withBody++
		}
		if v.InFlight {
			inFlight++
		}
		if h.rec.KindAt(seq) != trace.KindTransition {
			return
		}
		transitions++
		f, _, to := h.rec.TransitionAt(seq)
		var now uint8
		switch StateField(f) {
		case FieldReading:
			now = uint8(v.State.Reading)
		case FieldWriting:
			now = uint8(v.State.Writing)
		case FieldKeepAlive:
			now = uint8(v.State.KeepAlive)
		case FieldNotifyRead:
			now = b2u(v.State.NotifyRead)
		case FieldIsClosing:
			now = b2u(v.IsClosing)
		default:
			t.Fatalf("event %d: transition without a typed field: %+v", seq, h.rec.At(seq))
		}
		if now != to {
			t.Errorf("event %d: %v is %d in the view at its own transition to %d", seq, StateField(f), now, to)
		}
	}
	h.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhe")
	h.send("llo")
	h.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if events == 0 || transitions < 10 || withBody == 0 || inFlight == 0 {
		t.Fatalf("too little seen: %d events, %d transitions, %d with a body, %d in flight", events, transitions, withBody, inFlight)
	}
	if a := testing.AllocsPerRun(100, func() { _ = d.View() }); a != 0 {
		t.Errorf("View allocates %v times", a)
	}
}
