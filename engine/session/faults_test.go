package session

import (
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/trace"
)

func scenario(t *testing.T, name string) (*Session, *Transcript) {
	t.Helper()
	s := runScenario(t, loadScenario(t, "testdata/scenarios/"+name+".json"), true)
	return s, s.Transcript(false)
}

func eventsOf(s *Session, k trace.Kind) []trace.Event {
	var out []trace.Event
	for _, e := range s.Rec.Events() {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

// TestSlowloris: a head dripped slower than the timeout ends the connection
// with header-timeout and no response.
func TestSlowloris(t *testing.T) {
	s, tr := scenario(t, "slowloris")
	if tr.Result.Error == nil || tr.Result.Error.Kind != "header-timeout" || len(s.ToClient()) != 0 || !tr.PeerEOF {
		t.Fatalf("result %+v, output %q", tr.Result, s.ToClient())
	}
	fired := false
	for _, e := range eventsOf(s, trace.KindTimer) {
		if e.Name == "fire" && e.N == EpochMillis+1000 {
			fired = true
		}
	}
	if !fired {
		t.Fatalf("no timer fired at the 1000 ms deadline: %+v", eventsOf(s, trace.KindTimer))
	}
}

// TestHeaderTimeoutRearmedAfterKeepAlive: after a keep-alive response the
// next head's timer starts at once (idle sets notify_read), on the same
// timer, reset rather than re-created.
func TestHeaderTimeoutRearmedAfterKeepAlive(t *testing.T) {
	s, tr := scenario(t, "timeout-rearmed")
	if tr.Result.Error == nil || tr.Result.Error.Kind != "header-timeout" || tr.RequestsSeen != 1 {
		t.Fatalf("result %+v requests %d", tr.Result, tr.RequestsSeen)
	}
	var ops []string
	for _, e := range eventsOf(s, trace.KindTimer) {
		ops = append(ops, e.Name+"@"+itoa(int(e.N-EpochMillis)))
	}
	if got := strings.Join(ops, " "); got != "arm@1000 clear@1000 arm@1500 fire@1500" {
		t.Fatalf("timer ops %q", got)
	}
	if n := s.Ex.Clock().TimerCount(); n != 1 {
		t.Fatalf("%d timers created, want the one timer re-armed", n)
	}
	_, met := scenario(t, "timeout-met")
	if met.Result.State != "closed" {
		t.Fatalf("a head within the timeout: %+v", met.Result)
	}
}

// TestHalfClose: the client's FIN before the response is an incomplete
// message unless half-close is allowed.
func TestHalfClose(t *testing.T) {
	s, tr := scenario(t, "half-close-not-allowed")
	if tr.Result.Error == nil || tr.Result.Error.Kind != "incomplete" || len(s.ToClient()) != 0 {
		t.Fatalf("not allowed: %+v %q", tr.Result, s.ToClient())
	}
	s, tr = scenario(t, "half-close-allowed")
	if tr.Result.State != "closed" || !strings.HasSuffix(string(s.ToClient()), "late") {
		t.Fatalf("allowed: %+v %q", tr.Result, s.ToClient())
	}
}

// TestFaultClassification: benign when the peer left after a complete
// exchange, not when a message was cut off.
func TestFaultClassification(t *testing.T) {
	for name, want := range map[string]struct {
		kind, errno string
		benign      bool
	}{
		"seed003-wrk-enotconn": {"shutdown", "ENOTCONN", true},
		"reset-idle":           {"shutdown", "ENOTCONN", true},
		"reset-mid-body":       {"user", "ECONNRESET", false},
		"vanish-mid-response":  {"incomplete", "", false},
	} {
		_, tr := scenario(t, name)
		e := tr.Result.Error
		if e == nil || e.Kind != want.kind || e.Errno != want.errno || tr.Result.Benign != want.benign || tr.Result.Explain == "" {
			t.Errorf("%s: result %+v error %+v, want %+v", name, tr.Result, e, want)
		}
	}
	s, tr := scenario(t, "seed003-wrk-enotconn")
	if strings.Count(string(s.ToClient()), "HTTP/1.1 200 OK") != 12 || !strings.Contains(tr.Result.Error.Detail, "Transport endpoint is not connected") {
		t.Fatalf("seed 003: %+v", tr.Result)
	}
}

// TestStallWritesBacksUp: while the peer does not read, the response waits
// in a full pipe; released, it completes.
func TestStallWritesBacksUp(t *testing.T) {
	f := loadScenario(t, "testdata/scenarios/stall-and-release.json")
	s := New(f, Options{})
	for _, in := range f.Input[:2] {
		if err := s.Apply(in); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.ToClient()) != 0 || s.Duplex.ToClient.Free() != 0 || s.Server.Dispatcher().View().WriteBuf == 0 {
		t.Fatalf("stalled: read %d, pipe free %d, buffered %d", len(s.ToClient()), s.Duplex.ToClient.Free(), s.Server.Dispatcher().View().WriteBuf)
	}
	for _, in := range f.Input[2:] {
		if err := s.Apply(in); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.HasSuffix(string(s.ToClient()), strings.Repeat("x", 3000)) {
		t.Fatalf("after release: %d bytes", len(s.ToClient()))
	}
}

// TestUpgradeHandsOverLeftover: the bytes after the head go to the
// upgraded protocol first, in an upgrade event.
func TestUpgradeHandsOverLeftover(t *testing.T) {
	s, tr := scenario(t, "upgrade-echo-leftover")
	ups := eventsOf(s, trace.KindUpgrade)
	if tr.Result.State != "upgraded" || len(ups) != 1 || ups[0].Detail != "already here;" || ups[0].N != 13 {
		t.Fatalf("result %+v upgrade events %+v", tr.Result, ups)
	}
	if !strings.HasSuffix(string(s.ToClient()), "\r\n\r\nalready here; later") || !tr.PeerEOF {
		t.Fatalf("echo: %q", s.ToClient())
	}
	s, tr = scenario(t, "connect-tunnel")
	if tr.Result.State != "upgraded" || !strings.HasPrefix(string(s.ToClient()), "HTTP/1.1 200 OK\r\ndate: ") || !strings.HasSuffix(string(s.ToClient()), "hello tunnel") {
		t.Fatalf("CONNECT: %+v %q", tr.Result, s.ToClient())
	}
}
