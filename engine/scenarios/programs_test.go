package scenarios

// The expectations and claims of programs.go's scenarios, added to the
// tables of library_test.go and claims_table_test.go here so that those
// files stay as they are.

import (
	"reflect"
	"strings"
	"testing"

	"github.com/connlab/connlab/engine/services"
)

func init() {
	for name, want := range programExpectations {
		libraryExpectations[name] = want
	}
	for name, claims := range programClaims {
		scenarioClaims[name] = claims
	}
}

var programExpectations = map[string]libraryExpect{
	"upload-413-unread":           {State: "error", Kind: "closed", Requests: 1, PeerEOF: true},
	"upload-413-connection-close": {State: "error", Kind: "closed", Requests: 1, PeerEOF: true},
	"grpc-first-frame-deadlock":   {State: "deadlock", Requests: 1},
	"grpc-first-frame-fixed":      {State: "closed", Requests: 1, PeerEOF: true},
	"poll-ready-backpressure":     {State: "closed", Requests: 3, PeerEOF: true},
}

var programClaims = map[string][]scenarioClaim{
	"upload-413-unread": {
		at("mark 1", "the service answers 413 without reading the body", "reading=Body", "client.writing=Body"),
		at("mark 2", "the body was dropped unread: drain or close", "reading=Body"),
		at("transition reading Body -> Closed", "gives up with close_read", "reading=Closed"),
		at("mark 3", "the client's program finds the connection gone", "reading=Closed", "client.reading=Closed"),
		at("end", "keep-alive is switched off", "keep_alive=Disabled"),
		at("end", "its ready fails with channel closed", "result=error", "hits=note contains \"channel closed\""),
		at("end", "the client connection ended with connection closed before message completed", "hits=error contains \"connection closed before message completed\""),
	},
	"upload-413-connection-close": {
		at("mark 1", "the 413 says connection: close", "writing=Closed"),
		at("mark 1", "the server's writing side ends with the response", "hits=transition writing Body -> Closed"),
		at("mark 2", "the body was dropped unread: drain or close", "reading=Body"),
		at("end", "gives up keep-alive for this connection at once", "client.keep_alive=Disabled", "hits=transition keep_alive Busy -> Disabled"),
		at("end", "ready fails with channel closed", "result=error"),
	},
	"grpc-first-frame-deadlock": {
		at("mark 1", "the request head goes out with a streaming body", "client.writing=Body"),
		at("mark 2", "the service waits for the first body frame", "reading=Body", "in_flight=POST /echo.Echo/Say"),
		at("end", "connlab reports a deadlock", "result=deadlock", "waits~=body channel", "waits~=await response", "waits~=request body stream"),
	},
	"grpc-first-frame-fixed": {
		at("mark 1", "the program ends the body before awaiting", "hits=note contains \"body sender: 5 bytes\"", "never=note contains \"response 200\""),
		at("mark 2", "the reply ends with its trailer", "writing=KeepAlive"),
		at("transition keep_alive Busy -> Idle", "drains it and the connection stays reusable", "keep_alive=Idle"),
		at("end", "both connections close cleanly", "result=closed"),
	},
	"poll-ready-backpressure": {
		at("mark 2", "poll_ready is Pending for 100 ms", "hits=kind == timer && detail == \"service poll_ready\" && name == arm && n == 1767225600100"),
		at("mark 1", "GET /1 in flight; the other two wait unparsed", "in_flight=GET /1", "requests=1", "read_buf=56"),
		at("mark 2", "GET /1 answered, GET /2 parsed at last", "in_flight=GET /2", "requests=2", "clock=100"),
	},
}

// TestProgramScenariosRunTheLibrarysPrograms: each scenario of programs.go
// runs, line for line, the problem program of services.Programs it
// reproduces (comments aside), so the UI's library and the scenarios show
// the same code.
func TestProgramScenariosRunTheLibrarysPrograms(t *testing.T) {
	uses := map[string]string{
		"upload-413-unread":           "upload-413-unread",
		"upload-413-connection-close": "upload-413-connection-close",
		"grpc-first-frame-deadlock":   "grpc-first-frame",
		"grpc-first-frame-fixed":      "grpc-first-frame",
		"poll-ready-backpressure":     "not-ready",
	}
	progs := map[string]string{}
	for _, p := range services.Programs() {
		if p.Kind == "problem" {
			progs[p.Name] = p.Source
		}
	}
	for _, sc := range programEntries {
		name, ok := uses[sc.Name]
		if !ok {
			t.Errorf("%s: which problem program does it run?", sc.Name)
			continue
		}
		src, ok := progs[name]
		if !ok {
			t.Errorf("%s: no problem program %q in services.Programs", sc.Name, name)
			continue
		}
		f, err := sc.File()
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, line := range strings.Split(src, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "#") {
				want = append(want, line)
			}
		}
		if !reflect.DeepEqual(f.ServiceProgram, want) {
			t.Errorf("%s runs\n%q\nbut the program %s is\n%q", sc.Name, f.ServiceProgram, name, want)
		}
	}
}
