//go:build !(js && wasm)

// These tests drive the handler through net/http; the js build of this
// package (the Worker's, on site/internal/httpx's own types) is driven
// through workerd by site/cmd/worker's tests.

package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/session"
)

// do sends one request to h and returns the recorded response.
func do(t *testing.T, h http.Handler, method, target string, body io.Reader) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decodeError decodes an error body, failing unless it is one.
func decodeError(t *testing.T, rec *httptest.ResponseRecorder) Error {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("error Content-Type = %q, want application/json; body %s", ct, rec.Body)
	}
	var b struct {
		Error *Error `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil || b.Error == nil {
		t.Fatalf("error body %q: %v", rec.Body, err)
	}
	if b.Error.Code == "" || b.Error.Message == "" {
		t.Fatalf("error body %q lacks code or message", rec.Body)
	}
	return *b.Error
}

func scenarioFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../engine/session/testdata/scenarios/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario files: %v", err)
	}
	return files
}

// cliOutput is what `connlab run FILE [--events]` prints for data, computed
// in process the way the CLI computes it.
func cliOutput(t *testing.T, data []byte, events bool) (jsonOut []byte, text string) {
	t.Helper()
	f, err := session.ParseBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	s := session.New(f, session.Options{Trace: true})
	if err := s.Run(); err != nil {
		t.Fatalf("run: %v", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s.Transcript(events)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), s.Text()
}

// TestRunScenarios runs every scenario file through POST /api/run, plain,
// with ?events=1 and with ?text=1, and checks the answers are the CLI's.
func TestRunScenarios(t *testing.T) {
	h := New(Options{})
	for _, file := range scenarioFiles(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			rec := do(t, h, "POST", "/api/run", bytes.NewReader(data))
			if len(data) > 64<<10 {
				// uri-too-long needs a URI over hyper's 65534-byte limit, so
				// its file is over the API's 64 KiB: the browser runs it.
				if e := decodeError(t, rec); rec.Code != 413 || e.Code != CodeBodyTooLarge {
					t.Errorf("%d-byte file: %d %+v, want 413", len(data), rec.Code, e)
				}
				return
			}
			want, _ := cliOutput(t, data, false)
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			checkAPIHeaders(t, rec.Header(), "application/json")
			if got := rec.Body.Bytes(); !bytes.Equal(got, want) {
				t.Errorf("transcript differs from the CLI's\n got: %s\nwant: %s", got, want)
			}
			if cl := rec.Header().Get("Content-Length"); cl != fmt.Sprint(rec.Body.Len()) {
				t.Errorf("Content-Length %s, body %d bytes", cl, rec.Body.Len())
			}

			wantEvents, wantText := cliOutput(t, data, true)
			rec = do(t, h, "POST", "/api/run?events=1", bytes.NewReader(data))
			if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), wantEvents) {
				t.Errorf("?events=1: status %d, body differs from connlab run --events (%d vs %d bytes)", rec.Code, rec.Body.Len(), len(wantEvents))
			}
			var tr struct{ Events []json.RawMessage }
			if err := json.Unmarshal(rec.Body.Bytes(), &tr); err != nil || len(tr.Events) == 0 {
				t.Errorf("?events=1: no events (%v)", err)
			}

			rec = do(t, h, "POST", "/api/run?text=1", bytes.NewReader(data))
			if rec.Code != 200 {
				t.Fatalf("?text=1: status %d: %s", rec.Code, rec.Body)
			}
			checkAPIHeaders(t, rec.Header(), "text/plain; charset=utf-8")
			if got := rec.Body.String(); got != wantText {
				t.Errorf("?text=1 differs from connlab run --text\n got: %s\nwant: %s", got, wantText)
			}
		})
	}
}

func checkAPIHeaders(t *testing.T, h http.Header, contentType string) {
	t.Helper()
	for k, want := range map[string]string{
		"Content-Type":                contentType,
		"X-Content-Type-Options":      "nosniff",
		"Content-Security-Policy":     APICSP,
		"Cache-Control":               "no-store",
		"Referrer-Policy":             ReferrerPolicy,
		"Access-Control-Allow-Origin": "*",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestRunDemo(t *testing.T) {
	data, err := json.Marshal(session.Demo())
	if err != nil {
		t.Fatal(err)
	}
	rec := do(t, New(Options{}), "POST", "/api/run", bytes.NewReader(data))
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var tr session.Transcript
	if err := json.Unmarshal(rec.Body.Bytes(), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.RequestsSeen < 2 || tr.Events != nil {
		t.Errorf("demo transcript: %d requests, %d events", tr.RequestsSeen, len(tr.Events))
	}
}

// hello is a small valid session with n pipelined GETs in one send.
func hello(n int, extra string) string {
	return fmt.Sprintf(`{"version": 1, "handler": "hello"%s, "input": [{"send": %q}]}`,
		extra, strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", n))
}

// slowEcho is a session that takes about n steps: echo reading an n-byte
// body one byte per read.
func slowEcho(n int, extra string) string {
	return fmt.Sprintf(`{"version": 1, "handler": "echo", "transport": {"read_chunk": 1}%s, "input": [{"send": %q}]}`,
		extra, fmt.Sprintf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s", n, strings.Repeat("x", n)))
}

// TestBadInput: every kind of bad request gets a 4xx whose JSON error names
// the problem, never a 500.
func TestBadInput(t *testing.T) {
	inputs := func(n int) string {
		return `{"version": 1, "handler": "hello", "input": [` + strings.TrimSuffix(strings.Repeat(`{"wait_ms": 1},`, n), ",") + `]}`
	}
	tests := []struct {
		name    string
		method  string
		target  string
		body    string
		limits  Limits
		status  int
		code    string
		key     string
		message string // a substring of the message
	}{
		{name: "invalid JSON", body: `{"version": 1,`, status: 400, code: CodeInvalidJSON, message: "not valid JSON"},
		{name: "not JSON at all", body: `GET / HTTP/1.1`, status: 400, code: CodeInvalidJSON},
		{name: "empty body", body: ``, status: 400, code: CodeInvalidJSON, message: "empty body"},
		{name: "two objects", body: `{"version": 1, "handler": "hello"} {}`, status: 400, code: CodeInvalidJSON},
		{name: "array", body: `[1, 2]`, status: 400, code: CodeInvalidSession, key: "(top level)"},
		{name: "unknown key", body: `{"version": 1, "handler": "hello", "handlr": "echo"}`, status: 400, code: CodeUnknownKey, key: "handlr"},
		{name: "unknown nested key", body: `{"version": 1, "handler": "hello", "server_options": {"keepalive": true}}`, status: 400, code: CodeUnknownKey, key: "keepalive"},
		{name: "unknown input key", body: `{"version": 1, "handler": "hello", "input": [{"sned": "x"}]}`, status: 400, code: CodeUnknownKey, key: "sned"},
		{name: "wrong type", body: `{"version": "1", "handler": "hello"}`, status: 400, code: CodeInvalidSession, key: "version"},
		{name: "wrong version", body: `{"version": 2, "handler": "hello"}`, status: 400, code: CodeInvalidSession, key: "version"},
		{name: "unknown handler", body: `{"version": 1, "handler": "nope"}`, status: 400, code: CodeInvalidSession, key: "handler"},
		{name: "bad base64", body: `{"version": 1, "handler": "hello", "input": [{"send_b64": "!!"}]}`, status: 400, code: CodeInvalidSession, key: "input[0].send_b64"},
		{name: "two fields in an input", body: `{"version": 1, "handler": "hello", "input": [{"send": "x", "wait_ms": 1}]}`, status: 400, code: CodeInvalidSession, key: "input[0]"},
		{name: "negative step budget", body: `{"version": 1, "handler": "hello", "step_budget": -1}`, status: 400, code: CodeInvalidSession, key: "step_budget"},
		{name: "oversize", body: hello(3000, ""), status: 413, code: CodeBodyTooLarge},
		{name: "just over the limit", body: `{"version": 1, "handler": "hello"}` + strings.Repeat(" ", 64<<10), status: 413, code: CodeBodyTooLarge},
		{name: "wrong method", method: "GET", body: ``, status: 405, code: CodeMethodNotAllowed},
		{name: "PUT", method: "PUT", body: hello(1, ""), status: 405, code: CodeMethodNotAllowed},
		{name: "bad events flag", target: "/api/run?events=yes", body: hello(1, ""), status: 400, code: CodeBadQuery, key: "events"},
		{name: "bad text flag", target: "/api/run?text=2", body: hello(1, ""), status: 400, code: CodeBadQuery, key: "text"},
		{name: "too many inputs", body: inputs(1001), status: 422, code: CodeTooManyInputs, key: "input"},
		{name: "too many bytes", body: `{"version": 1, "handler": "hello", "input": [{"send": "0123456789"}, {"send_b64": "MDEyMzQ1Njc4OQ=="}]}`, limits: Limits{MaxInputBytes: 19}, status: 422, code: CodeInputTooLarge, key: "input", message: "20 bytes"},
		{name: "step budget over the maximum", body: hello(1, `, "step_budget": 200001`), status: 422, code: CodeStepBudget, key: "step_budget"},
		{name: "own step budget exceeded", body: slowEcho(100, `, "step_budget": 30`), status: 422, code: CodeBudgetExceeded, key: "step_budget", message: "step budget of 30"},
		{name: "run's step limit exceeded", body: slowEcho(100, ""), limits: Limits{MaxSteps: 50}, status: 422, code: CodeBudgetExceeded, key: "step_budget", message: "more than 50 steps"},
		{name: "run's step limit over inputs", body: `{"version": 1, "handler": "echo", "input": [` + strings.TrimSuffix(strings.Repeat(`{"send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx"},`, 30), ",") + `]}`, limits: Limits{MaxSteps: 20}, status: 422, code: CodeBudgetExceeded, key: "step_budget", message: "more than 20 steps"},
		{name: "traced step limit exceeded", target: "/api/run?events=1", body: slowEcho(100, ""), limits: Limits{MaxTracedSteps: 50}, status: 422, code: CodeBudgetExceeded, key: "step_budget", message: "traced run"},
		{name: "trace too long", target: "/api/run?text=1", body: hello(40, ""), limits: Limits{MaxEvents: 50}, status: 422, code: CodeTraceTooLong, key: "events"},
		{name: "unknown route", target: "/api/runs", body: ``, status: 404, code: CodeNotFound},
		{name: "health by POST", target: "/api/health", body: ``, status: 405, code: CodeMethodNotAllowed},
		{name: "scenarios by DELETE", method: "DELETE", target: "/api/scenarios", status: 405, code: CodeMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method, target := tc.method, tc.target
			if method == "" {
				method = "POST"
			}
			if target == "" {
				target = "/api/run"
			}
			rec := do(t, New(Options{Limits: tc.limits}), method, target, strings.NewReader(tc.body))
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			e := decodeError(t, rec)
			if e.Code != tc.code || e.Key != tc.key {
				t.Errorf("error %+v, want code %q key %q", e, tc.code, tc.key)
			}
			if !strings.Contains(e.Message, tc.message) {
				t.Errorf("message %q does not say %q", e.Message, tc.message)
			}
			if tc.status == 405 && rec.Header().Get("Allow") == "" {
				t.Errorf("405 without Allow")
			}
			checkAPIHeaders(t, rec.Header(), "application/json")
		})
	}
}

// TestOversizeUnknownLength: a body without Content-Length is cut at the
// limit (and drainMax more), not read to the end.
func TestOversizeUnknownLength(t *testing.T) {
	r := &endless{}
	req := httptest.NewRequest("POST", "/api/run", r)
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	New(Options{}).ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if r.n > 64<<10+1+drainMax+32<<10 {
		t.Errorf("read %d bytes of an endless body, want at most the limit + 1 and %d more", r.n, drainMax)
	}
	rec = do(t, New(Options{}), "POST", "/api/run", strings.NewReader(strings.Repeat(" ", 64<<10)))
	if e := decodeError(t, rec); rec.Code != 400 || e.Code != CodeInvalidJSON {
		t.Errorf("64 KiB of spaces: %d %+v", rec.Code, e)
	}
}

type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.n += len(p)
	return len(p), nil
}

// TestBudgetLeavesFileAlone: drive restores the file's step budget.
func TestBudgetLeavesFileAlone(t *testing.T) {
	f, err := session.ParseBytes([]byte(hello(2, "")))
	if err != nil {
		t.Fatal(err)
	}
	s := session.New(f, session.Options{})
	if e := drive(s, DefaultLimits, false); e != nil {
		t.Fatal(e)
	}
	if f.StepBudget != 0 {
		t.Errorf("step_budget left at %d", f.StepBudget)
	}
}

func TestQueryFlags(t *testing.T) {
	h := New(Options{})
	body := hello(1, "")
	for _, target := range []string{"/api/run?events", "/api/run?events=true", "/api/run?events=0&events=1"} {
		rec := do(t, h, "POST", target, strings.NewReader(body))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"events": [`) {
			t.Errorf("%s: %d, events missing", target, rec.Code)
		}
	}
	for _, target := range []string{"/api/run?events=0", "/api/run?events=false&text=0", "/api/run?cachebust=7"} {
		rec := do(t, h, "POST", target, strings.NewReader(body))
		if rec.Code != 200 || strings.Contains(rec.Body.String(), `"events"`) {
			t.Errorf("%s: %d, events present", target, rec.Code)
		}
	}
	rec := do(t, h, "POST", "/api/run?text=1&events=1", strings.NewReader(body))
	if rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), "== client → server") {
		t.Errorf("text and events: %d %.40q", rec.Code, rec.Body)
	}
}

func TestHealth(t *testing.T) {
	h := New(Options{})
	rec := do(t, h, "GET", "/api/health", nil)
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	checkAPIHeaders(t, rec.Header(), "application/json")
	var got Health
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Status != "ok" || got.APIVersion != Version || got.Platform == "" || got.Handlers == 0 {
		t.Errorf("health %+v", got)
	}
}

// TestHead: a HEAD is answered like a GET, Content-Length included, and the
// handler writes the body all the same (the Worker's FixedLengthStream must
// see every byte Content-Length promised; not writing it was a 500 in
// workerd); the server leaves it off the wire.
func TestHead(t *testing.T) {
	h := New(Options{})
	for _, p := range []string{"/api/health", "/api/scenarios", "/api/scenarios/keep-alive", "/api/nope", "/api/run"} {
		get, head := do(t, h, "GET", p, nil), do(t, h, "HEAD", p, nil)
		wantCode := get.Code
		if p == "/api/run" {
			wantCode = 405 // POST only, both ways
		}
		if head.Code != wantCode {
			t.Errorf("HEAD %s: %d, want %d", p, head.Code, wantCode)
		}
		if cl := head.Header().Get("Content-Length"); cl != strconv.Itoa(head.Body.Len()) || cl == "0" {
			t.Errorf("HEAD %s: Content-Length %s but the handler wrote %d bytes", p, cl, head.Body.Len())
		}
		if p != "/api/run" && !bytes.Equal(head.Body.Bytes(), get.Body.Bytes()) {
			t.Errorf("HEAD %s: the handler wrote a body other than GET's", p)
		}
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, _ := http.NewRequest("HEAD", srv.URL+"/api/health", nil)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || len(body) != 0 || res.ContentLength <= 0 {
		t.Errorf("HEAD over HTTP: %d, %d body bytes, Content-Length %d", res.StatusCode, len(body), res.ContentLength)
	}
}

// TestNeverServerError throws mangled session files at the handler: each
// gets an answer below 500.
func TestNeverServerError(t *testing.T) {
	h := New(Options{})
	seeds := [][]byte{[]byte(hello(2, "")), []byte(`{"version": 1, "mode": "client", "client_program": ["handshake"]}`)}
	for _, file := range scenarioFiles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, data)
	}
	n := 0
	for _, seed := range seeds {
		for cut := 0; cut < len(seed); cut += 1 + len(seed)/23 {
			for _, body := range [][]byte{seed[:cut], append(append([]byte{}, seed[:cut]...), seed[cut+1:]...)} {
				n++
				rec := do(t, h, "POST", "/api/run?events=1", bytes.NewReader(body))
				if rec.Code >= 500 {
					t.Fatalf("%d for %q: %s", rec.Code, body, rec.Body)
				}
				if rec.Code != 200 {
					decodeError(t, rec)
				}
			}
		}
	}
	t.Logf("%d mangled sessions, no 5xx", n)
}
