package session

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden transcripts under testdata/")

func loadScenario(t *testing.T, path string) *File {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseBytes(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

func runScenario(t *testing.T, f *File, withTrace bool) *Session {
	t.Helper()
	s := New(f, Options{Trace: withTrace})
	if err := s.Run(); err != nil {
		t.Fatalf("run: %v", err)
	}
	return s
}

func scenarioFiles(t *testing.T) []string {
	files, err := filepath.Glob("testdata/scenarios/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	return files
}

// goldenText is what a scenario's golden holds: the human transcript (both
// byte streams, every state transition) and the JSON transcript.
func goldenText(s *Session) []byte {
	var b bytes.Buffer
	b.WriteString(s.Text())
	b.WriteString("== transcript\n")
	j, _ := json.MarshalIndent(s.Transcript(false), "", "  ")
	b.Write(j)
	b.WriteByte('\n')
	return b.Bytes()
}

// TestScenarioGoldens replays every session file under testdata/scenarios
// and compares with its golden transcript.
func TestScenarioGoldens(t *testing.T) {
	for _, path := range scenarioFiles(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			got := goldenText(runScenario(t, loadScenario(t, path), true))
			golden := strings.TrimSuffix(path, ".json") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("transcript differs from %s (run with -update after checking):\n%s", golden, firstDiff(string(want), string(got)))
			}
		})
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(lengths differ)"
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// TestDeterminism: the same session twice gives the identical transcript
// and the identical trace.
func TestDeterminism(t *testing.T) {
	for _, path := range scenarioFiles(t) {
		f := loadScenario(t, path)
		a := runScenario(t, f, true)
		b := runScenario(t, loadScenario(t, path), true)
		if !reflect.DeepEqual(a.Transcript(true), b.Transcript(true)) {
			t.Errorf("%s: two runs differ", path)
		}
		if a.Rec.Len() == 0 {
			t.Errorf("%s: no events recorded", path)
		}
	}
}

// TestTraceDoesNotChangeBehaviour: recording is observation only.
func TestTraceDoesNotChangeBehaviour(t *testing.T) {
	for _, path := range scenarioFiles(t) {
		a := runScenario(t, loadScenario(t, path), true).Transcript(false)
		b := runScenario(t, loadScenario(t, path), false).Transcript(false)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: tracing changed the transcript", path)
		}
	}
}

// splitSensitive are scenarios whose outcome rightly depends on how bytes
// arrive: draining a dropped body only succeeds if the body is already
// buffered when the service lets go of it (§12.10.2.5), so byte-by-byte
// delivery turns a drain into a close; and a service that reads one frame
// answers with whatever that frame held; a client's `upgraded read` is one
// read, so its bytes (the leftover buffered with the 101, or one byte of
// the transport) depend on how the head arrived.
var splitSensitive = map[string]bool{"drain": true, "close-read": true, "drop-after-one-chunk": true, "client-with-upgrades": true}

// TestSplitInvariance: the same bytes read whole, byte by byte and 7 at a
// time give the client identical bytes.
func TestSplitInvariance(t *testing.T) {
	for _, path := range scenarioFiles(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		if splitSensitive[name] {
			continue
		}
		var base []byte
		for _, chunk := range []int{0, 1, 7} {
			f := loadScenario(t, path)
			f.Transport.ReadChunk = chunk
			got := runScenario(t, f, false).ToClient()
			if chunk == 0 {
				base = got
				continue
			}
			if !bytes.Equal(base, got) {
				t.Errorf("%s: read_chunk %d gives different bytes:\n%s", name, chunk, firstDiff(VisibleBytes(base), VisibleBytes(got)))
			}
		}
	}
}

// TestDrainIsSplitSensitive documents the one exception above: the same
// request drains when whole and closes when dripped.
func TestDrainIsSplitSensitive(t *testing.T) {
	f := loadScenario(t, "testdata/scenarios/drain.json")
	whole := runScenario(t, f, false)
	f = loadScenario(t, "testdata/scenarios/drain.json")
	f.Transport.ReadChunk = 1
	dripped := runScenario(t, f, false)
	if whole.Server.RequestsSeen() != 2 || dripped.Server.RequestsSeen() != 1 {
		t.Fatalf("requests seen: whole %d (want 2, drained), dripped %d (want 1, closed)", whole.Server.RequestsSeen(), dripped.Server.RequestsSeen())
	}
}
