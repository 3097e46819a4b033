package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestRunPrintsTranscript(t *testing.T) {
	code, out, errs := runCLI(t, "", "run", "../../session/testdata/scenarios/pipeline-2.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var tr struct {
		Version      int                    `json:"version"`
		RequestsSeen int                    `json:"requests_seen"`
		PeerEOF      bool                   `json:"peer_eof"`
		Result       struct{ State string } `json:"result"`
		Events       []json.RawMessage      `json:"events"`
	}
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if tr.Version != 1 || tr.RequestsSeen != 2 || !tr.PeerEOF || tr.Result.State != "closed" || len(tr.Events) != 0 {
		t.Fatalf("transcript %+v", tr)
	}
}

func TestRunEventsAndStdin(t *testing.T) {
	data, err := os.ReadFile("../../session/testdata/scenarios/pipeline-17.json")
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, string(data), "run", "-", "--events")
	if code != 0 || !strings.Contains(out, `"kind": "yield"`) || !strings.Contains(out, `"span": "Dispatcher.poll/Dispatcher.pollLoop#1`) {
		t.Fatalf("exit %d, output lacks events:\n%.400s", code, out)
	}
}

func TestTextTranscriptShowsCRLFAndTransitions(t *testing.T) {
	code, out, _ := runCLI(t, "", "demo", "--text")
	for _, want := range []string{"GET /a HTTP/1.1\\r\\n\n", "HTTP/1.1 200 OK\\r\\n\n", "== transitions", "keep_alive  Busy -> Idle", "== result: closed"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("exit %d; text transcript lacks %q:\n%s", code, want, out)
		}
	}
}

func TestBadSessionFileExits2NamingTheKey(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"unknown-key.json": `{"version":1,"handler":"hello","colour":"red"}`,
		"wrong-type.json":  `{"version":1,"handler":"hello","transport":{"capacity":"big"}}`,
		"handler.json":     `{"version":1,"handler":"teapot"}`,
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		code, out, errs := runCLI(t, "", "run", p)
		if code != 2 || out != "" {
			t.Errorf("%s: exit %d, stdout %q", name, code, out)
		}
		key := map[string]string{"unknown-key.json": "colour", "wrong-type.json": "transport.capacity", "handler.json": "handler"}[name]
		if !strings.Contains(errs, key) {
			t.Errorf("%s: stderr %q does not name %q", name, errs, key)
		}
	}
	if code, _, _ := runCLI(t, "", "run", filepath.Join(dir, "missing.json")); code != 2 {
		t.Errorf("missing file: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

func TestBenchPrintsFigures(t *testing.T) {
	code, out, errs := runCLI(t, "", "bench", "--requests", "320", "--pipeline", "16")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Requests int     `json:"requests"`
		Seconds  float64 `json:"seconds"`
		ReqPerS  float64 `json:"req_per_s"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Requests != 320 || r.Seconds <= 0 || r.ReqPerS <= 0 {
		t.Fatalf("bench output %q (%v)", out, err)
	}
}
