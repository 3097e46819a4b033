package timeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/engine/trace"
)

func newTimeline(t testing.TB, path string) *Timeline {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := session.ParseBytes(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	tl, err := New(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if tl.Err() != nil {
		t.Fatalf("%s: run: %v", path, tl.Err())
	}
	return tl
}

// scenarioDir holds the session files these tests replay: engine/session's
// golden scenarios, whose transcripts a timeline must reproduce.
const scenarioDir = "../session/testdata/scenarios/"

func scenarioPath(name string) string { return scenarioDir + name + ".json" }

func scenarioFiles(t *testing.T) []string {
	files, err := filepath.Glob(scenarioDir + "*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	return files
}

func loadScenario(t *testing.T, path string) *session.File {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := session.ParseBytes(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

func runScenario(t *testing.T, f *session.File, withTrace bool) *session.Session {
	t.Helper()
	s := session.New(f, session.Options{Trace: withTrace})
	if err := s.Run(); err != nil {
		t.Fatalf("run: %v", err)
	}
	return s
}

// variant is a Reading/Writing value without its codec.
func variant(s string) string {
	v, _, _ := strings.Cut(s, "(")
	return v
}

// TestTimelineMatchesSession: a timeline records exactly the events of a
// traced run of the same file, ends in the same transcript, and its last
// view shows the final state.
func TestTimelineMatchesSession(t *testing.T) {
	for _, path := range scenarioFiles(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			tl := newTimeline(t, path)
			s := runScenario(t, loadScenario(t, path), true)
			if !reflect.DeepEqual(tl.EventsInRange(0, tl.Len()), s.Rec.Events()) {
				t.Fatal("the timeline's events differ from a traced run's")
			}
			if !reflect.DeepEqual(tl.Session().Transcript(false), s.Transcript(false)) {
				t.Fatal("the timeline's transcript differs from a plain run's")
			}
			in, out := tl.Wire()
			if tl.File().Mode != "client" {
				if !bytes.Equal(in, s.ToServer()) || !bytes.HasPrefix(out, s.ToClient()) {
					t.Fatal("recorded wire differs from the transcript's streams")
				}
			}
			v := tl.ViewAt(tl.Len() - 1)
			fin := s.Transcript(false).Final
			if tl.File().Mode != "client" || s.ClientConn() != nil {
				if variant(v.Reading) != fin.Reading || variant(v.Writing) != fin.Writing || v.KeepAlive != fin.KeepAlive {
					t.Errorf("last view %s/%s/%s, final %+v", v.Reading, v.Writing, v.KeepAlive, fin)
				}
			}
			if v.Requests != s.Transcript(false).RequestsSeen {
				t.Errorf("last view requests %d, transcript %d", v.Requests, s.Transcript(false).RequestsSeen)
			}
			if v.WireIn != int64(len(in)) || v.WireOut != int64(len(out)) {
				t.Errorf("last view wire %d/%d, streams %d/%d", v.WireIn, v.WireOut, len(in), len(out))
			}
		})
	}
}

// TestViewsFollowTheTrace checks every view against the event it belongs
// to: a transition shows its target, io events show the bytes they moved,
// the counters never go back.
func TestViewsFollowTheTrace(t *testing.T) {
	for _, path := range scenarioFiles(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			tl := newTimeline(t, path)
			mode := tl.File().Mode
			serverTask := int32(tl.Session().ServerTask())
			var prev View
			for i := 0; i < tl.Len(); i++ {
				v, e := tl.ViewAt(i), tl.Event(i)
				if v.Seq != i || v.Kind != e.Kind.String() || v.Step != int(e.Step) || v.Task != int(e.Task) || v.Span != tl.SpanString(e.Span) {
					t.Fatalf("event %d: view header %+v for event %+v", i, v, e)
				}
				if i > 0 && (v.WireIn < prev.WireIn || v.WireOut < prev.WireOut || v.ClockMS < prev.ClockMS || v.Requests < prev.Requests || v.Input < prev.Input) {
					t.Fatalf("event %d: a counter went back: %+v after %+v", i, v, prev)
				}
				if v.Iter < 0 || v.Iter > 16 || (v.Iter > 0 && !strings.HasPrefix(v.Span, "Dispatcher.poll") && !strings.Contains(v.Span, "/Dispatcher.poll")) {
					t.Fatalf("event %d: iter %d in span %q", i, v.Iter, v.Span)
				}
				conn := &v
				if mode == "both" && e.Task != serverTask {
					conn = v.Client
				}
				switch e.Kind {
				case trace.KindTransition:
					var got string
					switch e.Field {
					case "reading":
						got = variant(conn.Reading)
					case "writing":
						got = variant(conn.Writing)
					case "keep_alive":
						got = conn.KeepAlive
					case "notify_read":
						got = fmt.Sprint(conn.NotifyRead)
					case "is_closing":
						got = fmt.Sprint(conn.IsClosing)
					}
					if got != e.To {
						t.Fatalf("event %d: transition %s %s -> %s, view shows %q", i, e.Field, e.From, e.To, got)
					}
				case trace.KindIter:
					if conn.Iter != int(e.N) {
						t.Fatalf("event %d: iter event %d, view iter %d", i, e.N, conn.Iter)
					}
				case trace.KindIO:
					if e.N > 0 && e.Name == "write" {
						have := v.WireOut
						if e.Field == "client" {
							have = v.WireIn
						}
						if have < e.Off+e.N {
							t.Fatalf("event %d: wrote up to %d, view has %d", i, e.Off+e.N, have)
						}
					}
				case trace.KindYield:
					if conn.Iter != 16 {
						t.Fatalf("event %d: yield with iter %d", i, conn.Iter)
					}
				}
				prev = v
			}
		})
	}
}

// TestViewMatchesLiveStateAtIdle: after every input the view at the last
// event is what the live connection shows.
func TestViewMatchesLiveStateAtIdle(t *testing.T) {
	for _, path := range scenarioFiles(t) {
		f := loadScenario(t, path)
		if f.Mode != "server" {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			short := *f
			short.Input = nil
			tl, err := New(&short)
			if err != nil {
				t.Fatal(err)
			}
			for k, in := range f.Input {
				if err := tl.Append(in); err != nil {
					t.Fatal(err)
				}
				s := tl.Session()
				d := s.Server.Dispatcher()
				cv := d.View()
				v := tl.ViewAt(tl.Len() - 1)
				live := View{
					Reading: cv.State.ReadingString(), Writing: cv.State.WritingString(), KeepAlive: cv.State.KeepAlive.String(),
					NotifyRead: cv.State.NotifyRead, IsClosing: cv.IsClosing, BodyTx: cv.BodyTx.String(), BodyRx: cv.BodyRx,
					InFlight: d.InFlight(), ReadBuf: cv.ReadBuf, WriteBuf: cv.WriteBuf,
					WireIn: s.Duplex.ToServer.Written(), WireOut: s.Duplex.ToClient.Written(), ClockMS: s.Ex.Clock().Now() - session.EpochMillis,
					Requests: s.Server.RequestsSeen(), Upgraded: s.Server.Upgraded(), Done: s.Server.Done(),
				}
				got := v
				got.Seq, got.Step, got.Task, got.Span, got.Kind, got.Iter, got.Input = 0, 0, 0, "", "", 0, 0
				if s.Server.Upgraded() {
					// the Conn gave its buffers away with the transport
					got.ReadBuf, got.WriteBuf, live.ReadBuf, live.WriteBuf = 0, 0, 0, 0
				}
				if in.WaitMS != nil && got.ClockMS != live.ClockMS {
					// a wait that wakes nothing records no event
					got.ClockMS = live.ClockMS
				}
				if got != live {
					t.Fatalf("after input %d: view at event %d\n%+v\nlive\n%+v", k, v.Seq, got, live)
				}
			}
		})
	}
}

// TestViewsAtKnownEvents pins views at events of golden scenarios.
func TestViewsAtKnownEvents(t *testing.T) {
	tl := newTimeline(t, scenarioPath("pipeline-17"))
	y, err := tl.Find("kind == yield", -1)
	if err != nil || y < 0 {
		t.Fatalf("no yield: %d %v", y, err)
	}
	v := tl.ViewAt(y)
	if v.Kind != "yield" || v.Iter != 16 || v.Requests != 16 || v.Reading != "Init" || v.KeepAlive != "Idle" || v.Span != "Dispatcher.poll" || v.Input != 0 {
		t.Fatalf("view at the yield: %+v", v)
	}
	if v.WireIn != 17*27 || v.ReadBuf != 27 {
		t.Fatalf("at the yield the 17th request waits in the buffer: %+v", v)
	}
	first := tl.ViewAt(0)
	// the first event is hyper's builder warning (a note), before the loop
	if first.Kind != "note" || first.Iter != 0 || first.Reading != "Init" || first.KeepAlive != "Busy" || first.Input != -1 {
		t.Fatalf("first view %+v", first)
	}
	last := tl.ViewAt(tl.Len() - 1)
	if !last.Done || last.Requests != 17 || last.Reading != "Closed" || last.KeepAlive != "Disabled" || !last.IsClosing || last.WireOut != 1360 || last.Input != 1 {
		t.Fatalf("last view %+v", last)
	}

	ce := newTimeline(t, scenarioPath("continue-echo"))
	i, _ := ce.Find(`wire-out contains "HTTP/1.1 100 Continue"`, -1)
	v = ce.ViewAt(i)
	if e := ce.Event(i); e.Kind != trace.KindIO || e.Name != "write" || e.Off != 0 || e.N != 25 {
		t.Fatalf("100 Continue written by %+v", e)
	}
	if v.Reading != "Body(Length(5))" || v.BodyTx != "Ready" || v.InFlight != "POST /" || v.WireOut != 25 || v.WriteBuf != 0 || v.Requests != 1 {
		t.Fatalf("view at the 100 Continue: %+v", v)
	}
	// the body arrives with the second input: Length(5) counts down to the end
	j, _ := ce.Find(`transition reading Body -> KeepAlive`, -1)
	if j < 0 || ce.InputIndexAt(j) != 1 || ce.ViewAt(j).Reading != "KeepAlive" || ce.ViewAt(j-1).Reading != "Body(Length(0))" {
		t.Fatalf("body end at %d: %+v / %+v", j, ce.ViewAt(j), ce.ViewAt(j-1))
	}

	// the body sender stays visible while poll_read has it out to send a
	// frame: no flicker between the first want and the sender's eof
	ready, _ := ce.Find("body_tx == Ready", -1)
	eof, _ := ce.Find(`kind == body && name == eof`, -1)
	if ready < 0 || eof <= ready {
		t.Fatalf("body sender: ready at %d, eof at %d", ready, eof)
	}
	for k := ready; k < eof; k++ {
		if ce.ViewAt(k).BodyTx == "" {
			t.Fatalf("event %d: body_tx flickers to none while the sender is open (%+v)", k, ce.Event(k))
		}
	}
	if ce.ViewAt(eof).BodyTx != "" {
		t.Fatalf("body_tx after the sender's eof: %q", ce.ViewAt(eof).BodyTx)
	}

	// mode both: the client connection has its own fields
	both := newTimeline(t, scenarioPath("seed001-fixed"))
	lv := both.ViewAt(both.Len() - 1)
	if lv.Client == nil || lv.Client.Reading == "" || both.ViewAt(0).Client == nil {
		t.Fatalf("mode both without client view: %+v", lv)
	}
	if k, _ := both.Find("client.requests == 1", -1); k < 0 || both.ViewAt(k).Client.Requests != 1 {
		t.Fatalf("client requests: %d", k)
	}
	if k, _ := both.Find("client.iter == 1", -1); k < 0 || both.ViewAt(k).Client.Iter != 1 {
		t.Fatalf("client iteration: %d", k)
	}
	// codecs: a chunked decoder at the head, a chunked encoder streaming
	for _, c := range []struct{ scenario, expr, field, want string }{
		{"chunked-echo", "transition reading -> Body", "reading", "Body(Chunked(Start))"},
		{"stream", "transition writing -> Body", "writing", "Body(Chunked)"},
		{"continue-echo", "transition reading -> Continue", "reading", "Continue(Length(5))"},
		{"pipeline-2", "transition writing -> Body", "writing", "Body(Length(5))"},
	} {
		x := newTimeline(t, scenarioPath(c.scenario))
		i, _ := x.Find(c.expr, -1)
		v := x.ViewAt(i)
		if got := map[string]string{"reading": v.Reading, "writing": v.Writing}[c.field]; i < 0 || got != c.want {
			t.Errorf("%s: %s at %d shows %s %q, want %q", c.scenario, c.expr, i, c.field, got, c.want)
		}
	}
	// mode client: the client connection is the main one, with its queue
	cl := newTimeline(t, scenarioPath("client-typed"))
	// event 0 is hyper's "client handshake HTTP/1", noted before the connection exists
	if v := cl.ViewAt(1); v.Client != nil || v.Reading != "Init" {
		t.Fatalf("client view after its handshake: %+v", v)
	}
	if i, _ := cl.Find("queue > 0", -1); i < 0 || cl.ViewAt(i).Queue != 1 {
		t.Fatalf("client queue: %d", i)
	}
	if i, _ := cl.Find(`in_flight != ""`, -1); i < 0 || cl.ViewAt(i).InFlight != "GET /x" || cl.ViewAt(i).Requests != 1 {
		t.Fatalf("client in flight at %d: %+v", i, cl.ViewAt(i))
	}

	if tl.ViewAt(0).Client != nil {
		t.Fatal("mode server with a client view")
	}
}

func TestParseUnit(t *testing.T) {
	for i, s := range []string{"event", "call", "poll", "iter", "request"} {
		u, err := ParseUnit(s)
		if err != nil || u != Unit(i) || u.String() != s {
			t.Fatalf("%q: %v %v", s, u, err)
		}
	}
	if _, err := ParseUnit("frame"); err == nil || !strings.Contains(err.Error(), "event, call, poll, iter, request") {
		t.Fatalf("bad unit: %v", err)
	}
}

// TestStepUnitsBothWays walks every unit forward from the start and back
// from the end: each stop is an event of the unit (or an end), every such
// event is visited, and the walk stops at the boundaries.
func TestStepUnitsBothWays(t *testing.T) {
	for _, name := range []string{"pipeline-17", "continue-echo", "seed001-fixed", "client-typed"} {
		tl := newTimeline(t, scenarioPath(name))
		n := tl.Len()
		is := map[Unit]func(i int) bool{
			UnitEvent: func(int) bool { return true },
			UnitCall: func(i int) bool {
				k := tl.Event(i).Kind
				return k == trace.KindCall || k == trace.KindRet
			},
			UnitPoll: func(i int) bool { return tl.Event(i).Kind == trace.KindPoll },
			UnitIter: func(i int) bool { return tl.Event(i).Kind == trace.KindIter },
			UnitRequest: func(i int) bool {
				return i > 0 && tl.ViewAt(i).Requests != tl.ViewAt(i-1).Requests || i == 0 && tl.ViewAt(0).Requests > 0
			},
		}
		for u := UnitEvent; u <= UnitRequest; u++ {
			var want []int
			for i := 1; i < n; i++ {
				if is[u](i) {
					want = append(want, i)
				}
			}
			if len(want) == 0 || want[len(want)-1] != n-1 {
				want = append(want, n-1)
			}
			tl.JumpTo(0)
			if tl.StepBack(u) || tl.Cursor() != 0 {
				t.Fatalf("%s %s: stepped back from the start", name, u)
			}
			var got []int
			for tl.StepForward(u) {
				got = append(got, tl.Cursor())
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: forward by %s\n got %v\nwant %v", name, u, got, want)
			}
			if tl.Cursor() != n-1 || tl.StepForward(u) {
				t.Fatalf("%s %s: not stopped at the end", name, u)
			}
			var back []int
			for tl.StepBack(u) {
				back = append(back, tl.Cursor())
			}
			var wantBack []int
			for i := n - 2; i >= 1; i-- {
				if is[u](i) {
					wantBack = append(wantBack, i)
				}
			}
			if len(wantBack) == 0 || wantBack[len(wantBack)-1] != 0 {
				wantBack = append(wantBack, 0)
			}
			if !reflect.DeepEqual(back, wantBack) {
				t.Fatalf("%s: back by %s\n got %v\nwant %v", name, u, back, wantBack)
			}
			if tl.Cursor() != 0 {
				t.Fatalf("%s %s: back walk ended at %d", name, u, tl.Cursor())
			}
		}
		// from the middle of a step, back by poll lands on the previous
		// step's poll event
		mid := n / 2
		for tl.Event(mid).Kind == trace.KindPoll {
			mid++
		}
		tl.JumpTo(mid)
		tl.StepBack(UnitPoll)
		if c := tl.Cursor(); c != 0 && (tl.Event(c).Kind != trace.KindPoll || tl.Event(c).Step >= tl.Event(mid).Step) {
			t.Fatalf("%s: back by poll from %d landed on %d (%+v)", name, mid, c, tl.Event(c))
		}
	}
}

func TestJumpToClamps(t *testing.T) {
	tl := newTimeline(t, scenarioPath("pipeline-2"))
	n := tl.Len()
	for _, c := range []struct{ to, want int }{{-5, 0}, {0, 0}, {7, 7}, {n - 1, n - 1}, {n, n - 1}, {1 << 30, n - 1}} {
		tl.JumpTo(c.to)
		if tl.Cursor() != c.want || tl.View().Seq != c.want {
			t.Fatalf("JumpTo(%d): cursor %d, want %d", c.to, tl.Cursor(), c.want)
		}
	}
	if tl.ViewAt(-3).Seq != 0 || tl.ViewAt(n+3).Seq != n-1 || tl.Event(n).Seq != -1 || tl.Event(-1).Seq != -1 {
		t.Fatal("ViewAt/Event out of range")
	}
	if len(tl.EventsInRange(-10, 3)) != 3 || len(tl.EventsInRange(n-2, n+5)) != 2 || tl.EventsInRange(5, 5) != nil {
		t.Fatal("EventsInRange clamping")
	}
}

func TestInputIndexAt(t *testing.T) {
	tl := newTimeline(t, scenarioPath("keep-alive")) // three inputs
	if tl.Applied() != 3 {
		t.Fatalf("applied %d", tl.Applied())
	}
	for k := 0; k < 3; k++ {
		s := tl.InputStart(k)
		if s <= 0 || tl.InputIndexAt(s) != k || tl.InputIndexAt(s-1) != k-1 {
			t.Fatalf("input %d starts at %d: index there %d, before %d", k, s, tl.InputIndexAt(s), tl.InputIndexAt(s-1))
		}
	}
	if tl.InputIndexAt(0) != -1 || tl.InputIndexAt(tl.Len()-1) != 2 || tl.InputStart(3) != -1 {
		t.Fatal("input index at the ends")
	}
}

func TestMatchingEvent(t *testing.T) {
	tl := newTimeline(t, scenarioPath("continue-echo"))
	pairs := 0
	for i := 0; i < tl.Len(); i++ {
		e := tl.Event(i)
		switch e.Kind {
		case trace.KindCall:
			j := tl.MatchingEvent(i)
			if j < 0 {
				continue
			}
			r := tl.Event(j)
			if r.Kind != trace.KindRet || r.Name != e.Name || r.Span != e.Span || tl.MatchingEvent(j) != i {
				t.Fatalf("call %d %s matched %d %+v", i, e.Name, j, r)
			}
			pairs++
		case trace.KindRet:
			if tl.MatchingEvent(i) < 0 {
				t.Fatalf("ret %d %s has no call", i, e.Name)
			}
		default:
			if tl.MatchingEvent(i) != -1 {
				t.Fatalf("event %d (%s) matched", i, e.Kind)
			}
		}
	}
	if pairs == 0 {
		t.Fatal("no call/ret pairs")
	}
}

func TestWireSpans(t *testing.T) {
	tl := newTimeline(t, scenarioPath("pipeline-17"))
	in, out := tl.Wire()
	var readIn, wroteOut int64
	for _, sp := range tl.WireSpans() {
		e := tl.Event(sp.Event)
		if e.Kind != trace.KindIO || e.Off != sp.Lo || e.Off+e.N != sp.Hi || sp.End != "server" {
			t.Fatalf("span %+v for %+v", sp, e)
		}
		switch sp.Stream {
		case "to_server":
			if sp.Op != "read" || sp.Lo != readIn {
				t.Fatalf("read span %+v, expected from %d", sp, readIn)
			}
			readIn = sp.Hi
		case "to_client":
			if sp.Op != "write" || sp.Lo != wroteOut {
				t.Fatalf("write span %+v, expected from %d", sp, wroteOut)
			}
			wroteOut = sp.Hi
		}
	}
	if readIn != int64(len(in)) || wroteOut != int64(len(out)) {
		t.Fatalf("spans cover %d/%d of %d/%d bytes", readIn, wroteOut, len(in), len(out))
	}
	if i := tl.EventAtWire("to_client", 0); i < 0 || tl.Event(i).Name != "write" {
		t.Fatalf("byte 0 of to_client: event %d", i)
	}
	if tl.EventAtWire("to_client", int64(len(out))) != -1 {
		t.Fatal("a byte past the end has an event")
	}
}

func sameTimelinePrefix(t *testing.T, what string, a, b *Timeline, n int) {
	t.Helper()
	// span ids are handles into each recorder's call tree (a fork keeps
	// the old tree, so its new spans may number differently): compare the
	// paths they name
	ea, eb := a.EventsInRange(0, n), b.EventsInRange(0, n)
	for i := range ea {
		sa, sb := a.SpanString(ea[i].Span), b.SpanString(eb[i].Span)
		if sa != sb {
			t.Fatalf("%s: event %d in span %q, want %q", what, i, sa, sb)
		}
		ea[i].Span, eb[i].Span = 0, 0
	}
	if !reflect.DeepEqual(ea, eb) {
		t.Fatalf("%s: events differ in the first %d", what, n)
	}
	for i := 0; i < n; i++ {
		va, vb := a.ViewAt(i), b.ViewAt(i)
		if !reflect.DeepEqual(va, vb) {
			t.Fatalf("%s: view %d differs:\n%+v\n%+v", what, i, va, vb)
		}
	}
}

// TestForkSameInputReproduces: forking with the input that came next gives
// exactly the original events and views, whatever event of the input the
// cursor is on.
func TestForkSameInputReproduces(t *testing.T) {
	for _, name := range []string{"continue-echo", "keep-alive", "slowloris", "stall-and-release", "client-unexpected-bytes", "upgrade-echo-leftover"} {
		orig := newTimeline(t, scenarioPath(name))
		inputs := orig.File().Input
		for k := -1; k+1 < len(inputs); k++ {
			lo := 0
			if k >= 0 {
				lo = orig.InputStart(k)
			}
			hi := orig.InputStart(k + 1)
			for _, c := range []int{lo, (lo + hi) / 2, hi - 1} {
				if c < 0 || c >= orig.Len() || orig.InputIndexAt(c) != k {
					continue
				}
				tl := newTimeline(t, scenarioPath(name))
				tl.JumpTo(c)
				if err := tl.Fork(inputs[k+1]); err != nil {
					t.Fatalf("%s: fork at %d: %v", name, c, err)
				}
				what := fmt.Sprintf("%s fork at event %d (input %d)", name, c, k)
				if got := tl.File().Input; !reflect.DeepEqual(got, inputs[:k+2]) {
					t.Fatalf("%s: input log %d entries, want %d", what, len(got), k+2)
				}
				end := orig.Len()
				if k+2 < len(inputs) {
					end = orig.InputStart(k + 2)
				}
				if tl.Len() != end {
					t.Fatalf("%s: %d events, want %d", what, tl.Len(), end)
				}
				sameTimelinePrefix(t, what, tl, orig, end)
				if want := min(orig.InputStart(k+1), end-1); tl.Cursor() != want {
					t.Fatalf("%s: cursor %d, want the first new event %d", what, tl.Cursor(), want)
				}
			}
		}
	}
}

func sendInput(s string) session.Input { return session.Input{Send: &s} }

// TestForkDifferentInput: the old future is discarded and the new input
// plays out.
func TestForkDifferentInput(t *testing.T) {
	tl := newTimeline(t, scenarioPath("continue-echo"))
	oldLen := tl.Len()
	// go back to where the 100 Continue was written and send another body
	if hit, err := tl.RunTo(`wire-out contains "100 Continue"`); !hit || err != nil {
		t.Fatalf("run to: %v %v", hit, err)
	}
	at := tl.Cursor()
	if err := tl.Fork(sendInput("HELLO")); err != nil {
		t.Fatal(err)
	}
	if got := len(tl.File().Input); got != 2 || *tl.File().Input[1].Send != "HELLO" {
		t.Fatalf("input log after fork: %d entries", got)
	}
	if tl.Cursor() <= at || tl.InputIndexAt(tl.Cursor()) != 1 {
		t.Fatalf("cursor %d after fork at %d", tl.Cursor(), at)
	}
	_, out := tl.Wire()
	if !bytes.HasSuffix(out, []byte("\r\n\r\nHELLO")) {
		t.Fatalf("forked session answered %q", out)
	}
	if tl.Len() == oldLen {
		t.Fatal("the fork kept the old length")
	}
	tr := tl.Session().Transcript(false)
	if tr.Result.State != "running" || tr.RequestsSeen != 1 {
		t.Fatalf("forked result %+v", tr.Result)
	}
	// fork before any input: the prefix is empty
	tl.JumpTo(0)
	if err := tl.Fork(sendInput("GET / HTTP/1.1\r\nHost: y\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	if len(tl.File().Input) != 1 || tl.Session().Transcript(false).RequestsSeen != 1 {
		t.Fatalf("fork at the start: %d inputs", len(tl.File().Input))
	}
	// the timeline's file is its own: the original is untouched
	f := loadScenario(t, scenarioPath("continue-echo"))
	tl2, _ := New(f)
	tl2.JumpTo(0)
	tl2.Fork(sendInput("x"))
	if len(f.Input) != 3 {
		t.Fatal("Fork changed the caller's File")
	}
}

func TestForkBadInputLeavesTimeline(t *testing.T) {
	tl := newTimeline(t, scenarioPath("keep-alive"))
	tl.JumpTo(5)
	n, in := tl.Len(), len(tl.File().Input)
	neg := int64(-1)
	s := "x"
	for _, bad := range []session.Input{{}, {WaitMS: &neg}, {Send: &s, WaitMS: new(int64)}} {
		err := tl.Fork(bad)
		var fe *session.Error
		if err == nil || !errorsAs(err, &fe) || !strings.HasPrefix(fe.Key, "input[") {
			t.Fatalf("bad input %+v: %v", bad, err)
		}
		if err := tl.Append(bad); err == nil {
			t.Fatalf("append of bad input %+v", bad)
		}
		if tl.Len() != n || len(tl.File().Input) != in || tl.Cursor() != 5 {
			t.Fatal("a bad input changed the timeline")
		}
	}
	// mode both takes no bytes from a person
	both := newTimeline(t, scenarioPath("seed001-fixed"))
	if err := both.Append(sendInput("x")); err == nil {
		t.Fatal("mode both accepted a send")
	}
}

func errorsAs(err error, target **session.Error) bool {
	e, ok := err.(*session.Error)
	if ok {
		*target = e
	}
	return ok
}

// TestAppend: applying the inputs one by one gives the same timeline as
// running them all.
func TestAppend(t *testing.T) {
	for _, name := range []string{"keep-alive", "continue-echo", "client-unexpected-bytes"} {
		full := newTimeline(t, scenarioPath(name))
		f := loadScenario(t, scenarioPath(name))
		inputs := f.Input
		f.Input = nil
		tl, err := New(f)
		if err != nil {
			t.Fatal(err)
		}
		for k, in := range inputs {
			before := tl.Len()
			if err := tl.Append(in); err != nil {
				t.Fatal(err)
			}
			if tl.InputStart(k) != before || (tl.Len() > before && tl.Cursor() != before) {
				t.Fatalf("%s: input %d starts at %d (cursor %d), want %d", name, k, tl.InputStart(k), tl.Cursor(), before)
			}
		}
		if tl.Len() != full.Len() {
			t.Fatalf("%s: %d events appended, %d in one run", name, tl.Len(), full.Len())
		}
		sameTimelinePrefix(t, name+" append", tl, full, full.Len())
		if !reflect.DeepEqual(tl.Session().Transcript(true), full.Session().Transcript(true)) {
			t.Fatalf("%s: transcripts differ", name)
		}
	}
}

func TestAppendAfterBudgetError(t *testing.T) {
	f := loadScenario(t, scenarioPath("pipeline-17"))
	f.StepBudget = 1
	tl, err := New(f)
	if err != nil {
		t.Fatal(err)
	}
	if tl.Err() == nil || tl.Applied() == len(f.Input) {
		t.Fatalf("budget of 1 step: err %v, applied %d", tl.Err(), tl.Applied())
	}
	err = tl.Append(sendInput("x"))
	if want := "session: the run stopped earlier, so no more input applies: " + tl.Err().Error(); err == nil || err.Error() != want {
		t.Fatalf("append after a stopped run: %v, want %q", err, want)
	}
	// the refusal wraps the error that stopped the run
	if !errors.Is(err, tl.Err()) {
		t.Errorf("errors.Is(%v, %v) = false", err, tl.Err())
	}
	if !errors.As(err, new(*poll.ErrBudget)) {
		t.Errorf("errors.As(%v, *poll.ErrBudget) = false", err)
	}
}

// --- budgets (make bench) ---

// bigSession pipelines requests tiny GETs to hello, 16 per input.
func bigSession(requests int) *session.File {
	batch := strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 16)
	f := &session.File{Version: 1, Mode: "server", Handler: "hello"}
	for i := 0; i < requests; i += 16 {
		f.Input = append(f.Input, sendInput(batch))
	}
	if err := f.Validate(); err != nil {
		panic(err)
	}
	return f
}

func bigTimeline(tb testing.TB, events int) *Timeline {
	// about 23 events per request
	f := bigSession(events/20 + 16)
	tl, err := New(f)
	if err != nil || tl.Err() != nil {
		tb.Fatal(err, tl.Err())
	}
	if tl.Len() < events {
		tb.Fatalf("only %d events", tl.Len())
	}
	return tl
}

func BenchmarkTimelineStepBack(b *testing.B) {
	tl := bigTimeline(b, 100_000)
	tl.JumpTo(tl.Len() - 1)
	b.ReportAllocs()
	for b.Loop() {
		if !tl.StepBack(UnitEvent) {
			tl.JumpTo(tl.Len() - 1)
		}
		_ = tl.View()
	}
}

func BenchmarkTimelineJumpTo(b *testing.B) {
	tl := bigTimeline(b, 100_000)
	n := tl.Len()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i = (i + 7919) % n
		tl.JumpTo(i)
		_ = tl.View()
	}
}

func BenchmarkTimelineFork(b *testing.B) {
	tl := bigTimeline(b, 100_000)
	n := tl.Len()
	in := tl.File().Input[0]
	b.ReportAllocs()
	for b.Loop() {
		// fork at the middle: replay half the inputs, apply one more
		tl.JumpTo(n / 2)
		if err := tl.Fork(in); err != nil {
			b.Fatal(err)
		}
		// a fresh full timeline for the next round
		b.StopTimer()
		tl = bigTimeline(b, 100_000)
		b.StartTimer()
	}
}

// TestTimelineBudgets measures the time-travel budgets (issues 5 and 19)
// on sessions of 10 000, 100 000 and 1 000 000 events and prints them as JSON, one
// line per size (make bench runs it with CONNLAB_BENCH=1;
// CONNLAB_TL_EVENTS=200000 measures one other size): StepBack and JumpTo
// (each with the View the UI renders) at most 1 ms, Fork at any point at
// most 500 ms, at most 100 bytes of memory per recorded event, the event
// itself included. The figures are printed with ok true or false; a
// measurement of time is not a test's failure on a shared machine.
func TestTimelineBudgets(t *testing.T) {
	if os.Getenv("CONNLAB_BENCH") == "" {
		t.Skip("set CONNLAB_BENCH=1 (make bench) to measure the time-travel budgets")
	}
	sizes := []int{10_000, 100_000, 1_000_000}
	if s := os.Getenv("CONNLAB_TL_EVENTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("CONNLAB_TL_EVENTS=%q: want a number of events", s)
		}
		sizes = []int{n}
	}
	for _, events := range sizes {
		out, _ := json.Marshal(measureTimeline(t, events))
		fmt.Println(string(out))
	}
}

// measureTimeline records a session of at least events events and
// measures it.
func measureTimeline(t *testing.T, events int) map[string]any {
	// about 33 events per request
	f := bigSession(events/32 + 16)

	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	start := time.Now()
	tl, err := New(f)
	buildMS := ms(time.Since(start))
	runtime.GC()
	runtime.ReadMemStats(&m1)
	if err != nil || tl.Err() != nil {
		t.Fatal(err, tl.Err())
	}
	n := tl.Len()
	if n < events {
		t.Fatalf("only %d events", n)
	}
	bytesPerEvent := float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc)) / float64(n)
	runtime.KeepAlive(tl)

	// StepBack by every unit, and JumpTo: the worst average over a sweep
	stepBack := 0.0
	for u := UnitEvent; u <= UnitRequest; u++ {
		tl.JumpTo(n - 1)
		const k = 2000
		start := time.Now()
		for i := 0; i < k; i++ {
			if !tl.StepBack(u) {
				tl.JumpTo(n - 1)
			}
			_ = tl.View()
		}
		stepBack = max(stepBack, ms(time.Since(start))/k)
	}
	const jumps = 20000
	start = time.Now()
	for i := 0; i < jumps; i++ {
		tl.JumpTo((i * 7919) % n)
		_ = tl.View()
	}
	jumpTo := ms(time.Since(start)) / jumps
	maxStep := 0.0
	tl.JumpTo(n - 1)
	for tl.StepBack(UnitEvent) {
		if tl.Cursor()%997 != 0 {
			continue
		}
		s := time.Now()
		tl.StepBack(UnitRequest)
		_ = tl.View()
		maxStep = max(maxStep, ms(time.Since(s)))
	}

	forks := map[string]float64{}
	worst := 0.0
	// 100% is the last input: forking there appends without a replay; 99%
	// replays all but the last few inputs
	for _, pct := range []int{25, 50, 75, 99, 100} {
		fk, _ := New(f)
		at := (fk.Len() - 1) * pct / 100
		fk.JumpTo(at)
		k := fk.InputIndexAt(at)
		next := f.Input[0]
		start := time.Now()
		if err := fk.Fork(next); err != nil {
			t.Fatal(err)
		}
		d := ms(time.Since(start))
		if len(fk.File().Input) != k+2 {
			t.Fatalf("fork at %d%%: %d inputs, want %d", pct, len(fk.File().Input), k+2)
		}
		forks[fmt.Sprintf("%d%%", pct)] = d
		worst = max(worst, d)
	}
	return map[string]any{
		"measurement":      "time travel (issues 5 and 19)",
		"events":           n,
		"build_ms":         round(buildMS),
		"step_back_ms":     round(stepBack),
		"step_back_max_ms": round(maxStep),
		"jump_to_ms":       round(jumpTo),
		"fork_ms":          map[string]float64{"25%": round(forks["25%"]), "50%": round(forks["50%"]), "75%": round(forks["75%"]), "99%": round(forks["99%"]), "100%": round(forks["100%"])},
		"bytes_per_event":  round(bytesPerEvent),
		"budgets":          "step back and jump <= 1 ms, fork <= 500 ms, <= 100 bytes per event",
		"ok":               stepBack <= 1 && jumpTo <= 1 && maxStep <= 1 && worst <= 500 && bytesPerEvent <= 100,
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func round(x float64) float64 {
	if x >= 10 {
		return float64(int64(x*10+0.5)) / 10
	}
	return float64(int64(x*10000+0.5)) / 10000
}
