package conformance

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"
)

// TestRecord runs every case through the hyper1-oracle binary named by
// HYPER1_ORACLE and writes hyper's answers (date values masked) beside the
// case files, under CONNLAB_RECORD_DIR (default testdata). With
// HYPER1_ORACLE_TRACED (the traced build) it also writes, for every server
// case, hyper's own trace events, and for every client case too when that
// build's client-case takes --hyper-trace (oracle/client-trace.patch). Without HYPER1_ORACLE it is skipped:
// record.sh runs it.
func TestRecord(t *testing.T) {
	oracle := os.Getenv("HYPER1_ORACLE")
	if oracle == "" {
		t.Skip("HYPER1_ORACLE is not set (record.sh sets it)")
	}
	if runtime.GOOS == "js" {
		t.Skip("recording runs the oracle binary: not under js/wasm")
	}
	traced := os.Getenv("HYPER1_ORACLE_TRACED")
	dir := os.Getenv("CONNLAB_RECORD_DIR")
	if dir == "" {
		dir = "testdata"
	}
	files, err := loadCases()
	if err != nil {
		t.Fatal(err)
	}
	clientTraced := true // until the traced oracle shows it cannot
	for _, cf := range files {
		var out []any
		var traces []caseTrace
		for i := range cf.Server {
			sc := &cf.Server[i]
			in, err := sc.oracleInput()
			if err != nil {
				t.Fatalf("%s/%s: %v", cf.Group, sc.Name, err)
			}
			raw := runOracle(t, oracle, "case", in)
			out = append(out, serverAnswerOf(t, sc.Name, raw))
			if traced != "" {
				raw := runOracle(t, traced, "case", in, "--hyper-trace")
				var v struct {
					Trace []traceEvent `json:"hyper_trace"`
				}
				if err := json.Unmarshal(raw, &v); err != nil {
					t.Fatalf("%s/%s: traced oracle: %v", cf.Group, sc.Name, err)
				}
				traces = append(traces, caseTrace{sc.Name, v.Trace})
			}
		}
		for i := range cf.Client {
			cc := &cf.Client[i]
			in, err := cc.oracleInput()
			if err != nil {
				t.Fatalf("%s/%s: %v", cf.Group, cc.Name, err)
			}
			raw := runOracle(t, oracle, "client-case", in)
			out = append(out, clientAnswerOf(t, cc.Name, raw))
			if traced != "" && clientTraced {
				raw := runOracle(t, traced, "client-case", in, "--hyper-trace")
				var v struct {
					Trace *[]traceEvent `json:"hyper_trace"`
				}
				if err := json.Unmarshal(raw, &v); err != nil {
					t.Fatalf("%s/%s: traced oracle: %v", cf.Group, cc.Name, err)
				}
				if v.Trace == nil {
					// an oracle without oracle/client-trace.patch ignores
					// the flag: record no client traces at all
					t.Logf("%s: the traced oracle's client-case has no --hyper-trace (apply oracle/client-trace.patch): client traces not recorded", traced)
					clientTraced, traces = false, nil
					continue
				}
				traces = append(traces, caseTrace{cc.Name, *v.Trace})
			}
		}
		writeJSON(t, answerPath(dir, cf), out)
		if traces != nil {
			writeTraces(t, tracePath(dir, cf), traces)
		}
	}
}

func runOracle(t *testing.T, bin, mode string, input []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, append([]string{mode}, args...)...)
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && len(out) == 0 {
		t.Fatalf("%s %s: %v\n%s\ninput: %s", bin, mode, err, stderr.String(), input)
	}
	return out
}

// serverAnswerOf keeps the oracle's answer with the date masked and the
// response as text when it is text.
func serverAnswerOf(t *testing.T, name string, raw []byte) *serverAnswer {
	var v struct {
		ResponseB64  string  `json:"response_b64"`
		EOF          bool    `json:"eof"`
		ServerResult string  `json:"server_result"`
		RequestsSeen int     `json:"requests_seen"`
		ReadError    *string `json:"read_error"`
		WriteError   *string `json:"write_error"`
		Error        string  `json:"error"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: oracle output: %v\n%s", name, err, raw)
	}
	resp, err := base64.StdEncoding.DecodeString(v.ResponseB64)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	a := &serverAnswer{Name: name, EOF: v.EOF, ServerResult: v.ServerResult, RequestsSeen: v.RequestsSeen,
		ReadError: v.ReadError, WriteError: v.WriteError, Error: v.Error}
	a.Response, a.ResponseB64 = textOrB64(maskDate(resp))
	return a
}

// clientAnswerOf keeps every key of the oracle's answer, with the name
// first and to_server as text when it is text.
func clientAnswerOf(t *testing.T, name string, raw []byte) json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: oracle output: %v\n%s", name, err, raw)
	}
	if r, ok := m["to_server_b64"]; ok {
		var s string
		if err := json.Unmarshal(r, &s); err == nil {
			if b, err := base64.StdEncoding.DecodeString(s); err == nil {
				if text, _ := textOrB64(b); text != nil {
					delete(m, "to_server_b64")
					m["to_server"], _ = json.Marshal(*text)
				}
			}
		}
	}
	delete(m, "hyper") // the version is in record.sh's output and the README
	var b bytes.Buffer
	b.WriteString(`{"name":`)
	n, _ := json.Marshal(name)
	b.Write(n)
	body, _ := json.Marshal(m) // keys sorted
	b.WriteString(",")
	b.Write(body[1:])
	return b.Bytes()
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		t.Fatal(fmt.Errorf("writing %s: %v", path, err))
	}
}

// traceEvent is one of hyper's trace!/debug! events as the traced oracle
// prints it.
type traceEvent struct {
	Level  string `json:"level"`
	Loc    string `json:"loc"`
	Msg    string `json:"msg"`
	Target string `json:"target"`
}

type caseTrace struct {
	name   string
	events []traceEvent
}

// addrRE matches the pointers some of hyper's messages print (poll_loop
// yielding (self = 0x…)); they change from run to run.
var addrRE = regexp.MustCompile(`0x[0-9a-f]{8,}`)

// maxTraceRows caps the rows kept per case: a few cases (2000 chunk
// extensions, a 17 KB trailer) make hyper log tens of thousands of events.
const maxTraceRows = 600

// writeTraces writes one row per event, [level, "file:line", message] or
// [level, "file:line", message, n] for n identical events in a row; the
// target is the file's module. A case past maxTraceRows rows ends with
// ["omitted", "", "N more events"].
func writeTraces(t *testing.T, path string, traces []caseTrace) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, ct := range traces {
		name, _ := json.Marshal(ct.name)
		fmt.Fprintf(&b, "{\"name\": %s, \"hyper_trace\": [", name)
		rows := 0
		for j := 0; j < len(ct.events); {
			e := ct.events[j]
			n := 1
			for j+n < len(ct.events) && ct.events[j+n] == e {
				n++
			}
			if rows > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n  ")
			if rows == maxTraceRows {
				fmt.Fprintf(&b, "[\"omitted\", \"\", \"%d more events\"]", len(ct.events)-j)
				break
			}
			row := []any{e.Level, e.Loc, addrRE.ReplaceAllString(e.Msg, "0xADDR")}
			if n > 1 {
				row = append(row, n)
			}
			enc, _ := json.Marshal(row)
			b.Write(enc)
			rows++
			j += n
		}
		b.WriteString("]}")
		if i < len(traces)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
