package body_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/body"
	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/trace"
)

type funcTask func(cx *poll.Context) bool

func (f funcTask) Poll(cx *poll.Context) bool { return f(cx) }

var (
	_ body.Body = body.Incoming{}
	_ body.Body = (*body.Full)(nil)
	_ body.Body = (*body.Chunks)(nil)
	_ body.Body = body.EmptyBody{}
)

// describe renders a poll of a body as a short string.
func describe(p poll.Poll[body.Result]) string {
	switch {
	case !p.Ready:
		return "pending"
	case p.Value.Err != nil:
		return "err " + p.Value.Err.Error()
	case p.Value.End:
		return "end"
	case p.Value.Frame.Kind == body.FrameData:
		return "data " + string(p.Value.Frame.Data)
	case p.Value.Frame.Kind == body.FrameTrailers:
		var s []string
		for _, h := range p.Value.Frame.Trailers {
			s = append(s, string(h.Name)+"="+string(h.Value))
		}
		return "trailers " + strings.Join(s, ",")
	}
	return fmt.Sprintf("frame kind %d", p.Value.Frame.Kind)
}

// readyTask polls tx.PollReady until it is ready and keeps the result.
type readyTask struct {
	tx    body.Sender
	polls int
	res   error
	ready bool
}

func (r *readyTask) Poll(cx *poll.Context) bool {
	r.polls++
	p := r.tx.PollReady(cx)
	if p.IsPending() {
		return false
	}
	r.ready, r.res = true, p.Value
	return true
}

// frameTask polls rx once per wake-up and logs every result until the end.
type frameTask struct {
	rx  body.Incoming
	log []string
}

func (f *frameTask) Poll(cx *poll.Context) bool {
	for {
		p := f.rx.PollFrame(cx)
		f.log = append(f.log, describe(p))
		if !p.Ready {
			return false
		}
		if p.Value.End || p.Value.Err != nil {
			return true
		}
	}
}

func TestSenderReadiness(t *testing.T) {
	for _, tc := range []struct {
		name   string
		wanter bool
	}{{"no wanter", false}, {"100-continue", true}} {
		t.Run(tc.name, func(t *testing.T) {
			rec := trace.New()
			ex := poll.NewExecutor(0, rec)
			tx, rx := body.NewChannel(ex, -1, tc.wanter, rec)
			if tx.IsNone() || rx.IsNone() {
				t.Fatal("channel halves are none")
			}
			wantWant := "Ready"
			if tc.wanter {
				wantWant = "Pending"
			}
			if tx.WantState().String() != wantWant {
				t.Fatalf("WantState = %v, want %q", tx.WantState(), wantWant)
			}
			rt := &readyTask{tx: tx}
			sid := ex.Spawn("sender", rt)
			ex.RunUntilIdle(0)
			if ex.Done(sid) == tc.wanter {
				t.Fatalf("sender ready = %v, want %v", ex.Done(sid), !tc.wanter)
			}
			if !tc.wanter {
				if rt.res != nil || rt.polls != 1 {
					t.Fatalf("PollReady = %v after %d polls", rt.res, rt.polls)
				}
				return
			}
			ws := ex.StallReport()
			if len(ws) != 1 || !reflect.DeepEqual(ws[0].WaitsOn, []string{"body channel want (connection side)"}) {
				t.Fatalf("stall report %+v", ws)
			}
			// The first PollFrame (nothing to read yet) flips want and
			// wakes the sender.
			ft := &frameTask{rx: rx}
			ex.Spawn("service", ft)
			ex.RunUntilIdle(0)
			if !ex.Done(sid) || rt.res != nil || rt.polls != 2 {
				t.Fatalf("sender done %v res %v polls %d", ex.Done(sid), rt.res, rt.polls)
			}
			if tx.WantState() != body.WantReady || !reflect.DeepEqual(ft.log, []string{"pending"}) {
				t.Fatalf("Want %v, service saw %v", tx.WantState(), ft.log)
			}
			var ops []string
			for _, e := range rec.Events() {
				if e.Kind == trace.KindBody {
					ops = append(ops, e.Name)
				}
			}
			if !reflect.DeepEqual(ops, []string{"want"}) {
				t.Fatalf("body events %v", ops)
			}
			// A second PollFrame does not signal want again.
			rx.PollFrame(poll.NewContext())
			if n := countBody(rec, "want"); n != 1 {
				t.Fatalf("%d want events", n)
			}
		})
	}
}

func countBody(rec *trace.Recorder, op string) int {
	n := 0
	for _, e := range rec.Events() {
		if e.Kind == trace.KindBody && e.Name == op {
			n++
		}
	}
	return n
}

func TestOneChunkAtATime(t *testing.T) {
	ex := poll.NewExecutor(0, nil)
	tx, rx := body.NewChannel(ex, -1, false, nil)
	if err := tx.TrySendData([]byte("one")); err != nil {
		t.Fatal(err)
	}
	err := tx.TrySendData([]byte("two"))
	if err == nil || errors.Is(err, body.ErrCanceled) {
		t.Fatalf("second send before the first was taken: %v, want a full-channel error", err)
	}
	rt := &readyTask{tx: tx}
	sid := ex.Spawn("sender", rt)
	ex.RunUntilIdle(0)
	if ex.Done(sid) {
		t.Fatal("PollReady ready while the slot is taken")
	}
	cx := poll.NewContext()
	if got := describe(rx.PollFrame(cx)); got != "data one" {
		t.Fatalf("receiver got %q", got)
	}
	if !ex.Runnable() {
		t.Fatal("taking the chunk did not wake the sender")
	}
	ex.RunUntilIdle(0)
	if !ex.Done(sid) || rt.res != nil {
		t.Fatalf("sender done %v res %v", ex.Done(sid), rt.res)
	}
	if err := tx.TrySendData([]byte("two")); err != nil {
		t.Fatal(err)
	}
	if got := describe(rx.PollFrame(cx)); got != "data two" {
		t.Fatalf("receiver got %q", got)
	}
	if got := describe(rx.PollFrame(cx)); got != "pending" {
		t.Fatalf("empty channel: %q", got)
	}
}

func TestDataIsCopied(t *testing.T) {
	tx, rx := body.NewChannel(nil, -1, false, nil)
	src := []byte("hello")
	if err := tx.TrySendData(src); err != nil {
		t.Fatal(err)
	}
	copy(src, "XXXXX")
	if got := describe(rx.PollFrame(poll.NewContext())); got != "data hello" {
		t.Fatalf("receiver saw %q after the source changed", got)
	}
	tr := []body.Header{body.H("x-sum", "abc")}
	if err := tx.TrySendTrailers(tr); err != nil {
		t.Fatal(err)
	}
	tr[0].Name[0], tr[0].Value[0] = 'Z', 'Z'
	if got := describe(rx.PollFrame(poll.NewContext())); got != "trailers x-sum=abc" {
		t.Fatalf("receiver saw %q after the trailers changed", got)
	}
}

func TestChannelSequences(t *testing.T) {
	type step struct {
		send  func(tx body.Sender) // nil: the receiver polls
		wants string               // what the poll yields
	}
	data := func(s string) func(body.Sender) {
		return func(tx body.Sender) {
			if err := tx.TrySendData([]byte(s)); err != nil {
				panic(err)
			}
		}
	}
	recv := func(want string) step { return step{nil, want} }
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"close after data", []step{
			{data("a"), ""}, {func(tx body.Sender) { tx.Close() }, ""},
			recv("data a"), recv("end"), recv("end"),
		}},
		{"close when empty", []step{
			recv("pending"), {func(tx body.Sender) { tx.Close(); tx.Close() }, ""}, recv("end"),
		}},
		{"trailers end the stream", []step{
			{data("a"), ""}, recv("data a"),
			{func(tx body.Sender) { tx.TrySendTrailers([]body.Header{body.H("k", "v"), body.H("k2", "v2")}) }, ""},
			recv("trailers k=v,k2=v2"), recv("end"),
		}},
		{"data before trailers", []step{
			{data("a"), ""},
			{func(tx body.Sender) { tx.TrySendTrailers([]body.Header{body.H("k", "v")}) }, ""},
			recv("data a"), recv("trailers k=v"), recv("end"),
		}},
		{"error then end", []step{
			recv("pending"),
			{func(tx body.Sender) { tx.SendError(errors.New("boom")) }, ""},
			recv("err boom"), recv("end"),
		}},
		{"data before error", []step{
			{data("a"), ""},
			{func(tx body.Sender) { tx.SendError(errors.New("boom")) }, ""},
			recv("data a"), recv("err boom"), recv("end"),
		}},
		{"empty chunk", []step{
			{data(""), ""}, recv("data "), recv("pending"),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := poll.NewExecutor(0, nil)
			tx, rx := body.NewChannel(ex, -1, false, nil)
			var got, want []string
			for _, s := range tc.steps {
				if s.send != nil {
					s.send(tx)
					continue
				}
				got = append(got, describe(rx.PollFrame(poll.NewContext())))
				want = append(want, s.wants)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("receiver saw %q, want %q", got, want)
			}
		})
	}
}

func TestReceiverWokenBySender(t *testing.T) {
	for _, tc := range []struct {
		name string
		act  func(tx body.Sender)
		want []string
	}{
		{"data", func(tx body.Sender) { tx.TrySendData([]byte("x")); tx.Close() }, []string{"pending", "data x", "end"}},
		{"trailers", func(tx body.Sender) { tx.TrySendTrailers([]body.Header{body.H("a", "b")}) }, []string{"pending", "trailers a=b", "end"}},
		{"error", func(tx body.Sender) { tx.SendError(errors.New("bad chunk")) }, []string{"pending", "err bad chunk"}},
		{"close", func(tx body.Sender) { tx.Close() }, []string{"pending", "end"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := poll.NewExecutor(0, nil)
			tx, rx := body.NewChannel(ex, -1, false, nil)
			ft := &frameTask{rx: rx}
			id := ex.Spawn("service", ft)
			ex.RunUntilIdle(0)
			ws := ex.StallReport()
			if len(ws) != 1 || !reflect.DeepEqual(ws[0].WaitsOn, []string{"body channel data (service side)"}) ||
				!reflect.DeepEqual(ws[0].WokenBy, []string{"the connection reading body bytes"}) {
				t.Fatalf("stall report %+v", ws)
			}
			tc.act(tx)
			if !ex.Runnable() {
				t.Fatal("receiver not woken")
			}
			ex.RunUntilIdle(0)
			if !ex.Done(id) || !reflect.DeepEqual(ft.log, tc.want) {
				t.Fatalf("done %v log %q, want %q", ex.Done(id), ft.log, tc.want)
			}
		})
	}
}

func TestDropCancelsSender(t *testing.T) {
	rec := trace.New()
	ex := poll.NewExecutor(0, rec)
	tx, rx := body.NewChannel(ex, 10, false, rec)
	if err := tx.TrySendData([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	rt := &readyTask{tx: tx}
	sid := ex.Spawn("sender", rt)
	ex.RunUntilIdle(0)
	if ex.Done(sid) {
		t.Fatal("sender ready with a full slot")
	}
	rx.Drop()
	if !ex.Runnable() {
		t.Fatal("Drop did not wake the sender")
	}
	ex.RunUntilIdle(0)
	if !ex.Done(sid) || !errors.Is(rt.res, body.ErrCanceled) {
		t.Fatalf("PollReady after Drop: done %v res %v", ex.Done(sid), rt.res)
	}
	if tx.WantState() != body.WantClosed {
		t.Fatalf("Want = %v", tx.WantState())
	}
	if p := tx.PollReady(poll.NewContext()); !p.Ready || !errors.Is(p.Value, body.ErrCanceled) {
		t.Fatalf("PollReady = %+v", p)
	}
	if err := tx.TrySendData([]byte("x")); !errors.Is(err, body.ErrCanceled) {
		t.Fatalf("TrySendData after Drop = %v", err)
	}
	if err := tx.TrySendTrailers([]body.Header{body.H("a", "b")}); !errors.Is(err, body.ErrCanceled) {
		t.Fatalf("TrySendTrailers after Drop = %v", err)
	}
	tx.SendError(errors.New("ignored"))
	rx.Drop() // twice is fine
	var ops []string
	for _, e := range rec.Events() {
		if e.Kind == trace.KindBody {
			ops = append(ops, fmt.Sprintf("%s %d %s", e.Name, e.N, e.Detail))
		}
	}
	if want := []string{"send 3 ", "cancel 0 receiver dropped"}; !reflect.DeepEqual(ops, want) {
		t.Fatalf("body events %q, want %q", ops, want)
	}
}

func TestSizeHintAndEndStream(t *testing.T) {
	type check struct {
		size uint64
		ok   bool
		end  bool
	}
	for _, tc := range []struct {
		name   string
		length int64
		chunks []string
		checks []check // before any chunk, then after each is received
	}{
		{"known", 5, []string{"abc", "de"}, []check{{5, true, false}, {2, true, false}, {0, true, true}}},
		{"zero", 0, nil, []check{{0, true, true}}},
		{"unknown", -1, []string{"abc"}, []check{{0, false, false}, {0, false, false}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx, rx := body.NewChannel(nil, tc.length, false, nil)
			cx := poll.NewContext()
			verify := func(i int) {
				t.Helper()
				n, ok := rx.SizeHint()
				c := tc.checks[i]
				if n != c.size || ok != c.ok || rx.IsEndStream() != c.end {
					t.Fatalf("check %d: SizeHint %d,%v IsEndStream %v; want %+v", i, n, ok, rx.IsEndStream(), c)
				}
			}
			verify(0)
			for i, c := range tc.chunks {
				tx.TrySendData([]byte(c))
				if tc.length > 0 && rx.IsEndStream() {
					t.Fatal("end of stream while a chunk waits in the slot")
				}
				if got := describe(rx.PollFrame(cx)); got != "data "+c {
					t.Fatalf("got %q", got)
				}
				verify(i + 1)
			}
			if tc.length < 0 {
				tx.Close()
				if rx.IsEndStream() {
					t.Fatal("unknown length: IsEndStream is not known early (hyper: content_length == 0)")
				}
			}
		})
	}
	// A pending error keeps the stream open even at length 0.
	tx, rx := body.NewChannel(nil, 0, false, nil)
	tx.SendError(errors.New("x"))
	if rx.IsEndStream() {
		t.Fatal("IsEndStream with an error pending")
	}
}

func TestEmptyIncoming(t *testing.T) {
	for _, rx := range []body.Incoming{body.Empty(), {}} {
		if !rx.IsNone() || !rx.IsEndStream() {
			t.Fatal("Empty is not none/end")
		}
		if n, ok := rx.SizeHint(); n != 0 || !ok {
			t.Fatalf("SizeHint %d %v", n, ok)
		}
		for i := 0; i < 2; i++ {
			if got := describe(rx.PollFrame(poll.NewContext())); got != "end" {
				t.Fatalf("poll %d: %q", i, got)
			}
		}
		rx.Drop()
	}
	var tx body.Sender
	if !tx.IsNone() || tx.WantState() != body.WantNone {
		t.Fatal("zero Sender")
	}
	tx.SendError(errors.New("x")) // no panic
	tx.Close()
}

func TestBodyTraceEvents(t *testing.T) {
	rec := trace.New()
	ex := poll.NewExecutor(0, rec)
	tx, rx := body.NewChannel(ex, -1, true, rec)
	cx := poll.NewContext()
	rx.PollFrame(cx)
	tx.TrySendData([]byte("12345"))
	rx.PollFrame(cx)
	tx.TrySendTrailers([]body.Header{body.H("a", "1"), body.H("b", "2")})
	tx.SendError(errors.New("late"))
	tx.Close()
	tx.Close() // a second close records nothing
	var ops []string
	for _, e := range rec.Events() {
		if e.Kind != trace.KindBody {
			t.Fatalf("unexpected event %+v", e)
		}
		ops = append(ops, fmt.Sprintf("%s %d %s", e.Name, e.N, e.Detail))
	}
	want := []string{"want 0 ", "send 5 ", "trailers 2 ", "error 0 late", "eof 0 "}
	if !reflect.DeepEqual(ops, want) {
		t.Fatalf("events %q, want %q", ops, want)
	}
	// Without a recorder nothing is recorded and nothing breaks.
	tx2, rx2 := body.NewChannel(ex, -1, true, nil)
	rx2.PollFrame(cx)
	tx2.TrySendData([]byte("x"))
	tx2.Close()
	if describe(rx2.PollFrame(cx)) != "data x" || describe(rx2.PollFrame(cx)) != "end" || rec.Len() != len(want) {
		t.Fatal("channel without a recorder")
	}
}

func TestCloneHeaders(t *testing.T) {
	src := []body.Header{body.H("a", "1"), body.H("b", "2")}
	dst := body.CloneHeaders([]body.Header{body.H("z", "0")}, src)
	src[0].Name[0] = 'X'
	if len(dst) != 3 || string(dst[1].Name) != "a" || string(dst[2].Value) != "2" {
		t.Fatalf("CloneHeaders = %q", dst)
	}
}

// TestWantNames: the want signal is typed, its names are the ones views
// show, and the Sender reports it typed and by name.
func TestWantNames(t *testing.T) {
	for w, name := range map[body.Want]string{body.WantNone: "", body.WantPending: "Pending", body.WantReady: "Ready", body.WantClosed: "Closed", body.Want(9): "Want(9)"} {
		if w.String() != name {
			t.Errorf("Want(%d).String() = %q, want %q", uint8(w), w.String(), name)
		}
	}
	var none body.Sender
	if none.WantState() != body.WantNone {
		t.Errorf("no channel: %v", none.WantState())
	}
	ex := poll.NewExecutor(0, nil)
	tx, rx := body.NewChannel(ex, 3, true, nil)
	if tx.WantState() != body.WantPending || tx.WantState().String() != "Pending" {
		t.Errorf("expect-continue channel starts %v", tx.WantState())
	}
	rx.Drop()
	if tx.WantState() != body.WantClosed || tx.WantState().String() != "Closed" {
		t.Errorf("after Drop: %v", tx.WantState())
	}
}

// wakeTask counts its polls; each poll calls PollReady once (like the
// dispatcher's poll_read) and never finishes on its own.
type wakeTask struct {
	tx    body.Sender
	polls int
	last  poll.Poll[error]
}

func (w *wakeTask) Poll(cx *poll.Context) bool {
	w.polls++
	w.last = w.tx.PollReady(cx)
	return false
}

// TestReadySenderWokenByDrop is hyper's watch: poll_ready registers the
// waker on every call, Ready or not, so the receiver dropping the body
// wakes a sender that was Ready (waiting for body bytes, not for want)
// at once (issue 15 item 1).
func TestReadySenderWokenByDrop(t *testing.T) {
	for _, wanter := range []bool{false, true} {
		ex := poll.NewExecutor(0, nil)
		tx, rx := body.NewChannel(ex, 5, wanter, nil)
		if wanter {
			rx.PollFrame(poll.NewContext()) // want: Pending -> Ready
		}
		w := &wakeTask{tx: tx}
		ex.Spawn("connection", w)
		ex.RunUntilIdle(0)
		if w.polls != 1 || !w.last.Ready || w.last.Value != nil {
			t.Fatalf("wanter %v: %d polls, last %+v: want one Ready(nil)", wanter, w.polls, w.last)
		}
		rx.Drop()
		if !ex.Runnable() {
			t.Fatalf("wanter %v: dropping the body did not wake the Ready sender", wanter)
		}
		ex.RunUntilIdle(0)
		if w.polls != 2 || !errors.Is(w.last.Value, body.ErrCanceled) {
			t.Fatalf("wanter %v: %d polls, last %+v: want a second poll seeing ErrCanceled", wanter, w.polls, w.last)
		}
	}
}

// TestWantWakesOnlyOnChange: the watch wakes only when the value changes.
// A Ready sender is not woken by the receiver polling (want stays Ready),
// nor by it taking a chunk the sender never parked on; it is woken by the
// first poll of a 100-continue body (Pending -> Ready) and by a chunk
// taken while it was parked on the full slot.
func TestWantWakesOnlyOnChange(t *testing.T) {
	ex := poll.NewExecutor(0, nil)
	tx, rx := body.NewChannel(ex, -1, false, nil)
	w := &wakeTask{tx: tx}
	ex.Spawn("connection", w)
	ex.RunUntilIdle(0)
	rx.PollFrame(poll.NewContext())
	rx.PollFrame(poll.NewContext())
	if ex.Runnable() {
		t.Fatal("polling the body (want already Ready) woke the sender")
	}
	if err := tx.TrySendData([]byte("a")); err != nil {
		t.Fatal(err)
	}
	rx.PollFrame(poll.NewContext()) // takes "a": the sender was not parked
	if ex.Runnable() {
		t.Fatal("taking a chunk woke a sender that had not parked on it")
	}
	if err := tx.TrySendData([]byte("b")); err != nil {
		t.Fatal(err)
	}
	ex.WakeTask(1)
	ex.RunUntilIdle(0) // PollReady: the slot is full, the sender parks
	if w.last.Ready {
		t.Fatalf("PollReady with a full slot = %+v, want Pending", w.last)
	}
	rx.PollFrame(poll.NewContext()) // takes "b": unparks
	if !ex.Runnable() {
		t.Fatal("taking the chunk did not wake the parked sender")
	}
	ex.RunUntilIdle(0)

	ex2 := poll.NewExecutor(0, nil)
	tx2, rx2 := body.NewChannel(ex2, 3, true, nil)
	w2 := &wakeTask{tx: tx2}
	ex2.Spawn("connection", w2)
	ex2.RunUntilIdle(0)
	if w2.last.Ready {
		t.Fatal("100-continue sender Ready before the body was polled")
	}
	rx2.PollFrame(poll.NewContext())
	if !ex2.Runnable() {
		t.Fatal("the first poll of the body (Pending -> Ready) did not wake the sender")
	}
	ex2.RunUntilIdle(0)
	rx2.PollFrame(poll.NewContext())
	if ex2.Runnable() {
		t.Fatal("a second poll of the body woke the sender again")
	}
}
