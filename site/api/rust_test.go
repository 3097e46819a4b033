//go:build !(js && wasm)

// These tests drive the handler through net/http; the js build of this
// package (the Worker's, on site/internal/httpx's own types) is driven
// through workerd by site/cmd/worker's tests.

package api

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/rustgen"
	"github.com/connlab/connlab/engine/session"
)

// rustFile is mode both with a service program and a client program.
const rustFile = `{"version": 1, "mode": "both",
 "client_program": ["handshake", "spawn conn", "send POST / header \"Host: x\" body \"hi\"", "await response", "read-body"],
 "service_program": ["read-body", "respond 200 body echo"],
 "input": [{"wait_ms": 10}]}`

// TestRust: POST /api/rust answers rustgen.Beside's text and line ranges
// for both sides; ?test=NAME answers what connlab export --rust prints.
func TestRust(t *testing.T) {
	f, err := session.ParseBytes([]byte(rustFile))
	if err != nil {
		t.Fatal(err)
	}
	server, client := rustgen.Beside(f)
	rec := do(t, New(Options{}), "POST", "/api/rust", strings.NewReader(rustFile))
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got RustAnswer
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	for _, side := range []struct {
		name string
		got  *RustCode
		want rustgen.Code
	}{{"server", got.Server, server}, {"client", got.Client, client}} {
		if side.got == nil {
			t.Fatalf("%s: null", side.name)
		}
		if side.got.Text != side.want.Text || len(side.got.Ops) != len(side.want.Ops) || len(side.want.Ops) == 0 {
			t.Fatalf("%s: text or %d ops differ from rustgen's (%d ops)", side.name, len(side.got.Ops), len(side.want.Ops))
		}
		for i, r := range side.want.Ops {
			if side.got.Ops[i] != [2]int{r.First, r.Last} || side.got.OpLines[i] != side.want.OpLines[i] {
				t.Errorf("%s op %d: %v line %d, want %v line %d", side.name, i, side.got.Ops[i], side.got.OpLines[i], r, side.want.OpLines[i])
			}
		}
	}

	want, err := rustgen.Export(f, "my session")
	if err != nil {
		t.Fatal(err)
	}
	rec = do(t, New(Options{}), "POST", "/api/rust?test=my+session", strings.NewReader(rustFile))
	if rec.Code != 200 || rec.Body.String() != want {
		t.Fatalf("?test: status %d, body differs from rustgen.Export (%d vs %d bytes)", rec.Code, rec.Body.Len(), len(want))
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("?test: Content-Type %q", ct)
	}
}

// TestRustOneSide: mode server with a catalog handler has the service's
// Rust and no client; mode client has only the client.
func TestRustOneSide(t *testing.T) {
	for _, tc := range []struct {
		file           string
		server, client bool
	}{
		{`{"version": 1, "handler": "echo", "input": []}`, true, false},
		{`{"version": 1, "service_program": ["respond 200 body \"x\""], "input": []}`, true, false},
		{`{"version": 1, "mode": "client", "client_program": ["handshake", "spawn conn", "send GET / header \"Host: x\"", "await response"], "input": []}`, false, true},
	} {
		rec := do(t, New(Options{}), "POST", "/api/rust", strings.NewReader(tc.file))
		var got RustAnswer
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 {
			t.Fatalf("%s: %d %s", tc.file, rec.Code, rec.Body)
		}
		if (got.Server != nil) != tc.server || (got.Client != nil) != tc.client {
			t.Errorf("%s: server %v client %v", tc.file, got.Server != nil, got.Client != nil)
		}
	}
}

// TestRustBadInput: a bad session names the key (the service program's
// line and column), an over-long name is refused, GET is not allowed.
func TestRustBadInput(t *testing.T) {
	rec := do(t, New(Options{}), "POST", "/api/rust", strings.NewReader(`{"version": 1, "service_program": ["respond 200", "bogus op"], "input": []}`))
	e := decodeError(t, rec)
	if rec.Code != 400 || e.Key != "service_program" || !strings.Contains(e.Message, "line 2, column 1") {
		t.Errorf("bad program: %d %+v", rec.Code, e)
	}
	rec = do(t, New(Options{}), "POST", "/api/rust?test="+strings.Repeat("a", 101), strings.NewReader(rustFile))
	if e := decodeError(t, rec); rec.Code != 400 || e.Key != "test" {
		t.Errorf("long name: %d %+v", rec.Code, e)
	}
	rec = do(t, New(Options{}), "GET", "/api/rust", nil)
	if e := decodeError(t, rec); rec.Code != 405 || e.Code != CodeMethodNotAllowed {
		t.Errorf("GET: %d %+v", rec.Code, e)
	}
	rec = do(t, New(Options{Limits: Limits{MaxInputs: 1}}), "POST", "/api/rust?test=x", strings.NewReader(strings.Replace(rustFile, `[{"wait_ms": 10}]`, `[{"wait_ms": 10}, {"wait_ms": 10}]`, 1)))
	if e := decodeError(t, rec); rec.Code != 422 || e.Code != CodeTooManyInputs {
		t.Errorf("too many inputs: %d %+v", rec.Code, e)
	}
}

// TestRunServiceProgram: /api/run with a service_program answers the
// transcript the session gives natively (the CLI's), and the same bytes
// as the catalog handler the program writes out.
func TestRunServiceProgram(t *testing.T) {
	const prog = `{"version": 1, "service_program": ["read-body", "respond 200 body echo"], "input": [{"send": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"}]}`
	want, _ := cliOutput(t, []byte(prog), true)
	rec := do(t, New(Options{}), "POST", "/api/run?events=1", strings.NewReader(prog))
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), want) {
		t.Fatalf("status %d; body differs from the native run", rec.Code)
	}
	byName := strings.Replace(prog, `"service_program": ["read-body", "respond 200 body echo"]`, `"handler": "echo"`, 1)
	rec2 := do(t, New(Options{}), "POST", "/api/run", strings.NewReader(byName))
	rec1 := do(t, New(Options{}), "POST", "/api/run", strings.NewReader(prog))
	if rec1.Code != 200 || rec1.Body.String() != rec2.Body.String() {
		t.Errorf("the echo program and handler echo answer differently:\n%s\n%s", rec1.Body, rec2.Body)
	}
}
