package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const scenarioDir = "../../session/testdata/scenarios/"

type stepJSON struct {
	Event  int `json:"event"`
	Events int `json:"events"`
	Trace  struct {
		Kind string `json:"kind"`
		N    int64  `json:"n"`
	} `json:"trace"`
	View struct {
		Seq      int    `json:"seq"`
		Kind     string `json:"kind"`
		Iter     int    `json:"iter"`
		Reading  string `json:"reading"`
		Requests int    `json:"requests"`
		WireOut  int64  `json:"wire_out"`
		Done     bool   `json:"done"`
	} `json:"view"`
}

func decodeStep(t *testing.T, out string) stepJSON {
	t.Helper()
	var s stepJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return s
}

func TestStepBreakPrintsFirstHit(t *testing.T) {
	code, out, errs := runCLI(t, "", "step", scenarioDir+"pipeline-17.json", "--break", "kind == yield")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	s := decodeStep(t, out)
	if s.View.Kind != "yield" || s.View.Iter != 16 || s.Trace.Kind != "yield" || s.Event != s.View.Seq || s.View.Requests != 16 || s.Events <= s.Event {
		t.Fatalf("break at %+v", s)
	}
	// --to the same event prints the same view
	code, out2, _ := runCLI(t, "", "step", "--to", itoa(s.Event), scenarioDir+"pipeline-17.json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if s2 := decodeStep(t, out2); s2.View != s.View {
		t.Fatalf("--to %d: %+v, --break: %+v", s.Event, s2.View, s.View)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestStepTo(t *testing.T) {
	code, out, errs := runCLI(t, "", "step", scenarioDir+"continue-echo.json", "--to", "-1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	last := decodeStep(t, out)
	if last.Event != last.Events-1 || !last.View.Done || last.View.Reading != "Closed" {
		t.Fatalf("last event: %+v", last)
	}
	code, out, _ = runCLI(t, "", "step", scenarioDir+"continue-echo.json", "--to", "0")
	if s := decodeStep(t, out); code != 0 || s.Event != 0 || s.View.Seq != 0 {
		t.Fatalf("event 0: %d %+v", code, s)
	}
	// from stdin, as text
	data, err := os.ReadFile(scenarioDir + "continue-echo.json")
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, string(data), "step", "-", "--break", `wire-out contains "HTTP/1.1 100"`, "--text")
	for _, want := range []string{"hits at event 34", "event 34 of ", "io ", "server write 25 bytes at 0", "reading=Body(Length(5))", "body_tx=Ready", `in_flight="POST /"`, "to_server=69 to_client=25"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("exit %d; text lacks %q:\n%s", code, want, out)
		}
	}
}

func TestStepErrors(t *testing.T) {
	file := scenarioDir + "pipeline-2.json"
	for _, c := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"step", file, "--break", "kind == yeild"}, 2, []string{"bad breakpoint", "kind == yeild", "        ^ column 9: unknown kind \"yeild\""}},
		{[]string{"step", file, "--break", "(kind == yield"}, 2, []string{"column 15", `expected ")"`}},
		{[]string{"step", file, "--break", "kind == yield"}, 1, []string{"never hits", "kind == yield"}},
		{[]string{"step", file, "--to", "100000"}, 2, []string{"out of range", "events"}},
		{[]string{"step", file, "--to", "x"}, 2, []string{"expected an event number"}},
		{[]string{"step", file}, 2, []string{"exactly one of --to N or --break EXPR"}},
		{[]string{"step", file, "--to", "1", "--break", "kind == poll"}, 2, []string{"exactly one of"}},
		{[]string{"step", "--to", "1"}, 2, []string{"one session file"}},
		{[]string{"step", "missing.json", "--to", "1"}, 2, []string{"missing.json"}},
		{[]string{"export", file}, 2, []string{"expected --go"}},
		{[]string{"export", "--go"}, 2, []string{"one session file"}},
		{[]string{"export", "--go", "--rust", file}, 2, []string{"expected --go or --rust"}},
	} {
		code, out, errs := runCLI(t, "", c.args...)
		if code != c.code || out != "" {
			t.Errorf("%v: exit %d (want %d), stdout %q", c.args, code, c.code, out)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, w, errs)
			}
		}
	}
}

func TestExportPrintsGoTest(t *testing.T) {
	code, out, errs := runCLI(t, "", "export", "--go", scenarioDir+"pipeline-2.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"package connlab_export_test", `"github.com/connlab/connlab/engine/session"`, "func TestReplayPipeline2(t *testing.T)",
		`bytesEqual("to_client"`, `equal("result.state", tr.Result.State, "closed")`, `equal("requests_seen", tr.RequestsSeen, 2)`} {
		if !strings.Contains(out, want) {
			t.Fatalf("export lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, "", "export", "--go", "--name", "my case", scenarioDir+"pipeline-2.json")
	if code != 0 || !strings.Contains(out, "func TestReplayMyCase(") {
		t.Fatalf("--name: exit %d\n%.300s", code, out)
	}
}

// export --rust prints the Rust test of rustgen.Export (its goldens pin the
// text); a session it cannot render is an error naming why, exit 1.
func TestExportPrintsRustTest(t *testing.T) {
	code, out, errs := runCLI(t, "", "export", "--rust", "--name", "my case", scenarioDir+"pipeline-2.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"fn replay_my_case() {", "async fn handle(", "hyper::server::conn::http1::Builder::new()",
		`check(&mut diffs, "requests seen", seen.load(Ordering::SeqCst).to_string(), "2");`} {
		if !strings.Contains(out, want) {
			t.Fatalf("export --rust lacks %q:\n%.400s", want, out)
		}
	}
	dropped := `{"version":1,"mode":"client","client_program":["handshake","spawn conn","drop sender","send GET /"]}`
	code, out, errs = runCLI(t, dropped, "export", "--rust", "-")
	if code != 1 || out != "" || !strings.Contains(errs, "no Rust equivalent: line 4: the sender was dropped") {
		t.Fatalf("send after drop sender: exit %d, stdout %.100q, stderr %q", code, out, errs)
	}
}

func TestUsageListsStepAndExport(t *testing.T) {
	_, out, _ := runCLI(t, "", "help")
	if !strings.Contains(out, "connlab step FILE --to N") || !strings.Contains(out, "connlab export --go FILE") ||
		!strings.Contains(out, "connlab export --rust FILE") {
		t.Fatalf("usage:\n%s", out)
	}
}

// A library scenario is named as scenario:NAME, as the docs' embed guide
// shows; an unknown name is an error that says where the names are.
func TestStepLibraryScenario(t *testing.T) {
	code, out, errs := runCLI(t, "", "step", "scenario:keep-alive", "--break", "transition keep_alive -> Idle")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	s := decodeStep(t, out)
	if s.Event <= 0 || s.Event >= s.Events || s.Trace.Kind != "transition" {
		t.Errorf("step scenario:keep-alive --break: got event %d of %d (%s), want the transition in the middle", s.Event, s.Events, s.Trace.Kind)
	}
	code, _, errs = runCLI(t, "", "run", "scenario:no-such-thing")
	if code != 2 || !strings.Contains(errs, `no scenario named "no-such-thing"`) {
		t.Errorf("run scenario:no-such-thing: exit %d, stderr %q", code, errs)
	}
}
