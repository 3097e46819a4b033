package session

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRejectsBadFilesNamingTheKey(t *testing.T) {
	cases := []struct {
		name, json, key, msg string
	}{
		{"unknown top-level key", `{"version":1,"handler":"hello","bogus":1}`, "bogus", "unknown key"},
		{"unknown nested key", `{"version":1,"handler":"hello","server_options":{"keepalive":true}}`, "keepalive", "unknown key"},
		{"wrong type in an input", `{"version":1,"handler":"hello","input":[{"send":true}]}`, "input[0].send", "a string"},
		{"wrong type", `{"version":1,"handler":"hello","server_options":{"keep_alive":"yes"}}`, "server_options.keep_alive", "true or false"},
		{"wrong version", `{"version":2,"handler":"hello"}`, "version", "must be 1"},
		{"unknown handler", `{"version":1,"handler":"nope"}`, "handler", "unknown handler"},
		{"missing handler", `{"version":1}`, "handler", "missing"},
		{"bad mode", `{"version":1,"mode":"peer","handler":"hello"}`, "mode", "must be"},
		{"two actions in one input", `{"version":1,"handler":"hello","input":[{"send":"x","wait_ms":1}]}`, "input[0]", "exactly one"},
		{"empty input entry", `{"version":1,"handler":"hello","input":[{}]}`, "input[0]", "exactly one"},
		{"bad base64", `{"version":1,"handler":"hello","input":[{"send_b64":"!!"}]}`, "input[0].send_b64", "base64"},
		{"negative wait", `{"version":1,"handler":"hello","input":[{"wait_ms":-1}]}`, "input[0].wait_ms", "negative"},
		{"bad shutdown", `{"version":1,"handler":"hello","input":[{"shutdown":"read"}]}`, "input[0].shutdown", "write"},
		{"unknown fault", `{"version":1,"handler":"hello","input":[{"fault":"meteor"}]}`, "input[0].fault", "unknown fault"},
		{"small max_buf_size", `{"version":1,"handler":"hello","server_options":{"max_buf_size":10}}`, "server_options.max_buf_size", "8192"},
		{"negative read_chunk", `{"version":1,"handler":"hello","transport":{"read_chunk":-1}}`, "transport.read_chunk", "0"},
		{"input not an array", `{"version":1,"handler":"hello","input":{}}`, "input", "an array"},
		// null is a type error wherever a value is required (issue 14)
		{"null version", `{"version":null,"handler":"hello"}`, "version", "expected an integer, got null"},
		{"null mode", `{"version":1,"mode":null,"handler":"hello"}`, "mode", "expected a string, got null"},
		{"null handler", `{"version":1,"handler":null}`, "handler", "expected a string, got null"},
		{"null input", `{"version":1,"handler":"hello","input":null}`, "input", "expected an array, got null"},
		{"null transport", `{"version":1,"handler":"hello","transport":null}`, "transport", "expected an object, got null"},
		{"null server_options", `{"version":1,"handler":"hello","server_options":null}`, "server_options", "expected an object, got null"},
		{"null capacity", `{"version":1,"handler":"hello","transport":{"capacity":null}}`, "transport.capacity", "expected an integer, got null"},
		{"null half_close", `{"version":1,"handler":"hello","server_options":{"half_close":null}}`, "server_options.half_close", "expected true or false, got null"},
		{"null input entry", `{"version":1,"handler":"hello","input":[null]}`, "input[0]", "expected an object, got null"},
		{"null send", `{"version":1,"handler":"hello","input":[{"send":null}]}`, "input[0].send", "expected a string, got null"},
		{"null send beside another key", `{"version":1,"handler":"hello","input":[{"send":null,"wait_ms":5}]}`, "input[0].send", "got null"},
		{"null wait_ms", `{"version":1,"handler":"hello","input":[{"wait_ms":null}]}`, "input[0].wait_ms", "expected an integer, got null"},
		{"null client_program", `{"version":1,"mode":"client","client_program":null}`, "client_program", "expected an array, got null"},
		{"null step_budget", `{"version":1,"handler":"hello","step_budget":null}`, "step_budget", "expected an integer, got null"},
		// send_b64 is one line of strict base64
		{"base64 with a newline", `{"version":1,"handler":"hello","input":[{"send_b64":"R0VU\nIC8="}]}`, "input[0].send_b64", "line break at offset 4"},
		{"base64 with a CR", `{"version":1,"handler":"hello","input":[{"send_b64":"R0VUIC8=\r"}]}`, "input[0].send_b64", "line break at offset 8"},
		{"base64 with non-zero padding bits", `{"version":1,"handler":"hello","input":[{"send_b64":"R0VUIC9="}]}`, "input[0].send_b64", "not valid base64"},
	}
	for _, c := range cases {
		_, err := ParseBytes([]byte(c.json))
		var se *Error
		if !errors.As(err, &se) {
			t.Errorf("%s: err = %v, want *session.Error", c.name, err)
			continue
		}
		if se.Key != c.key || !strings.Contains(se.Msg, c.msg) {
			t.Errorf("%s: got key %q msg %q, want key %q and %q in the message", c.name, se.Key, se.Msg, c.key, c.msg)
		}
	}
}

// TestParseNullOnlyForOptions: the three Option settings of hyper's
// builder take null for "hyper's default"; an input log written from a
// File without one reads back as empty.
func TestParseNullOnlyForOptions(t *testing.T) {
	f, err := ParseBytes([]byte(`{"version":1,"handler":"hello","server_options":{"keep_alive":null,"max_buf_size":null,"header_read_timeout_ms":null}}`))
	if err != nil {
		t.Fatal(err)
	}
	if o := f.ServerOptions; o.KeepAlive != nil || o.MaxBufSize != nil || o.HeaderReadTimeoutMS != nil {
		t.Errorf("null options read as %+v, want all nil", o)
	}
	js := (&File{Version: 1, Handler: "hello"}).AppendJSON(nil, false)
	if !strings.Contains(string(js), `"input":[]`) {
		t.Errorf("a File without input writes %s, want \"input\":[]", js)
	}
	back, err := ParseBytes(js)
	if err != nil || back.Input == nil || len(back.Input) != 0 {
		t.Errorf("%s reads back as %+v, %v", js, back, err)
	}
}

func TestParseRejectsMalformedJSON(t *testing.T) {
	for _, in := range []string{``, `{`, `{"version":1,}`, `[]`, `{"version":1,"handler":"hello"} {}`, `{"version":1,"handler":"hello"}}`} {
		if _, err := ParseBytes([]byte(in)); err == nil {
			t.Errorf("%q parsed without error", in)
		}
	}
}

// TestParseErrorMessages: what a person reads for each kind of mistake:
// the path to the value (with the input's index), or the line and column
// of a syntax error.
func TestParseErrorMessages(t *testing.T) {
	cases := []struct{ in, want string }{
		{``, "session: empty input: expected a session object"},
		{" \n\t", "session: empty input: expected a session object"},
		{"{\n  \"version\": 1,\n}", "session: invalid JSON at line 3, column 1: '}' after ',': JSON allows no comma after the last member"},
		{"{\"version\": 1,\n \"handler\": \"hello\"\n \"input\": []}", "session: invalid JSON at line 3, column 2: expected ',' or '}' after an object member, found '\"'"},
		{`{"version":1,"handler":"hello","input":[{"send":"GET /\q"}]}`, `session: invalid JSON at line 1, column 55: invalid escape in a string: '\' followed by 'q' (JSON has \" \\ \/ \b \f \n \r \t and \uXXXX)`},
		{`{"version":1,"handler":"hello"} {}`, "session: invalid JSON at line 1, column 33: unexpected '{' after the end of the top-level value"},
		{`{"version":1,"handler":"hello"}}`, "session: invalid JSON at line 1, column 32: unexpected '}' after the end of the top-level value"},
		{`[]`, "session: (top level): expected an object, got JSON array"},
		{`{"version":1,"handler":"hello","input":[{"send":"x"},{"wait_ms":1},{"send":1}]}`, "session: input[2].send: expected a string, got JSON number"},
		{`{"version":1,"handler":"hello","input":[{"wait_ms":1.5}]}`, "session: input[0].wait_ms: expected an integer, got 1.5 (a whole number is written without fraction or exponent)"},
		{`{"version":1,"handler":"hello","transport":{"capacity":1e3}}`, "session: transport.capacity: expected an integer, got 1e3 (a whole number is written without fraction or exponent)"},
		{`{"version":1,"handler":"hello","transport":{"capacity":99999999999999999999}}`, "session: transport.capacity: the integer 99999999999999999999 is out of range (-9223372036854775808 to 9223372036854775807)"},
		{`{"version":1,"handler":"hello","server_options":{"keep_alive":"yes"}}`, "session: server_options.keep_alive: expected true or false, got JSON string"},
		{`{"version":1,"handler":"hello","server_options":{"keepalive":true}}`, "session: server_options.keepalive: unknown key"},
		{`{"version":1,"handler":"hello","input":[{"send":"x"},{"sned":"x"}]}`, "session: input[1].sned: unknown key"},
		{`{"Version":1,"handler":"hello"}`, "session: Version: unknown key"},
		{`{"version":1,"handler":"hello","handler":"echo"}`, "session: handler: repeated key: each key may appear once in an object"},
		{`{"version":1,"handler":"hello","client_program":["a","b",3]}`, "session: client_program[2]: expected a string, got JSON number"},
		{`{"version":1,"handler":"hello","client_program":["a",null,3]}`, "session: client_program[1]: expected a string, got null"},
		{`{"version":null,"handler":"hello"}`, "session: version: expected an integer, got null"},
	}
	for _, c := range cases {
		_, err := ParseBytes([]byte(c.in))
		if err == nil || err.Error() != c.want {
			t.Errorf("%q:\n got %v\nwant %s", c.in, err, c.want)
		}
	}
	// an unknown key is reported as written, and where it is
	_, err := ParseBytes([]byte(`{"version":1,"handler":"hello","input":[{"sned":"x"}]}`))
	var se *Error
	if !errors.As(err, &se) || se.Key != "sned" || se.In != "input[0]" || se.Msg != "unknown key" {
		t.Errorf("unknown input key: %#v", se)
	}
}

func TestParseAcceptsTheDesignExample(t *testing.T) {
	f, err := ParseBytes([]byte(`{
  "version": 1, "mode": "server", "handler": "echo",
  "server_options": {"keep_alive": true, "half_close": false, "title_case_headers": false,
                     "max_buf_size": null, "header_read_timeout_ms": null},
  "transport": {"capacity": 65536, "read_chunk": 0},
  "input": [
    {"send": "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
    {"send_b64": "R0VUIC8="},
    {"wait_ms": 100},
    {"shutdown": "write"},
    {"fault": "reset"}
  ]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Input) != 5 || string(f.Input[1].Bytes()) != "GET /" {
		t.Fatalf("parsed %+v", f.Input)
	}
}

// TestStepBudgetStopsRunaways: a session that never becomes idle within its
// budget stops with a clear error instead of hanging.
func TestStepBudgetStopsRunaways(t *testing.T) {
	f, err := ParseBytes([]byte(`{"version":1,"handler":"hello","step_budget":3,"input":[{"send":"` + strings.Repeat(`GET / HTTP/1.1\r\n\r\n`, 100) + `"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s := New(f, Options{})
	err = s.Run()
	if err == nil || !strings.Contains(err.Error(), "step budget") {
		t.Fatalf("err = %v, want a step budget error", err)
	}
}
