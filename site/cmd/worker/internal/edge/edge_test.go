//go:build !(js && wasm)

package edge

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/connlab/connlab/site/api"
)

func TestRequest(t *testing.T) {
	var got *http.Request
	var body string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		b, _ := io.ReadAll(r.Body)
		body = string(b)
	})
	for _, tc := range []struct {
		name    string
		req     Request
		length  int64
		body    string
		host    string
		remote  string
		reqURI  string
		header2 string
	}{
		{name: "GET", req: Request{Method: "GET", URL: "https://c.example/api/health?x=1", Header: []string{"accept", "a, b"}},
			length: 0, host: "c.example", reqURI: "/api/health?x=1"},
		{name: "POST with length", req: Request{Method: "POST", URL: "http://h/api/run", Body: []byte("{}"),
			Header: []string{"content-length", "2", "host", "other:8787", "cf-connecting-ip", "192.0.2.1"}},
			length: 2, body: "{}", host: "other:8787", remote: "192.0.2.1", reqURI: "/api/run"},
		{name: "POST chunked", req: Request{Method: "POST", URL: "http://h/api/run", Body: []byte("abc")},
			length: -1, body: "abc", host: "h", reqURI: "/api/run"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body = "<unread>"
			res := Do(h, nil, tc.req)
			if res.Status != 200 || res.Retire {
				t.Fatalf("status %d retire %v", res.Status, res.Retire)
			}
			if got.Body == nil || body != tc.body {
				t.Errorf("body %q (nil %v), want %q", body, got.Body == nil, tc.body)
			}
			if got.Method != tc.req.Method || got.ContentLength != tc.length || got.Host != tc.host ||
				got.RemoteAddr != tc.remote || got.RequestURI != tc.reqURI || got.ProtoMajor != 1 {
				t.Errorf("request %s %d host %q remote %q uri %q", got.Method, got.ContentLength, got.Host, got.RemoteAddr, got.RequestURI)
			}
		})
	}
	if got := Do(h, nil, Request{Method: "GET", URL: "http://h/", Header: []string{"accept", "a, b"}}); got.Status != 200 {
		t.Fatal(got.Status)
	}
	// the Fetch API joins a repeated field; it stays one value, commas and all
	if v := got.Header.Values("Accept"); len(v) != 1 || v[0] != "a, b" {
		t.Errorf("Accept %q", v)
	}
	if res := Do(h, api.APIHeaders, Request{Method: "GET", URL: "http://h/", Header: []string{"odd"}}); res.Status != 400 {
		t.Errorf("odd header list: %d", res.Status)
	}
}

func TestResponse(t *testing.T) {
	res := Do(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-A", "1")
		w.WriteHeader(201)
		w.WriteHeader(202) // net/http keeps the first
		w.Write([]byte("one "))
		w.Write([]byte("two"))
	}), nil, Request{Method: "GET", URL: "http://h/"})
	if res.Status != 201 || string(res.Body) != "one two" || res.Header.Get("X-A") != "1" || res.Retire {
		t.Errorf("%d %q %v retire %v", res.Status, res.Body, res.Header, res.Retire)
	}
	res = Do(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("x")) }), nil, Request{Method: "GET", URL: "http://h/"})
	if res.Status != 200 {
		t.Errorf("a write without WriteHeader: %d", res.Status)
	}
}

// A panic that escapes the handler is the API's JSON 500, and retires
// the instance; so does a 500 the handler answered itself (the API's own
// recovered panic).
func TestPanicRetires(t *testing.T) {
	res := Do(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }),
		api.APIHeaders, Request{Method: "GET", URL: "http://h/"})
	var e struct{ Error api.Error }
	if err := json.Unmarshal(res.Body, &e); err != nil {
		t.Fatal(err)
	}
	if res.Status != 500 || !res.Retire || e.Error.Code != api.CodeInternal || e.Error.Message != "internal error: boom" {
		t.Errorf("%d retire %v %s", res.Status, res.Retire, res.Body)
	}
	if res.Header.Get("Content-Security-Policy") != api.APICSP || res.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", res.Header)
	}
	res = Do(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }), nil, Request{Method: "GET", URL: "http://h/"})
	if !res.Retire {
		t.Error("a 500 from the handler does not retire the instance")
	}
	res = Do(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }), nil, Request{Method: "GET", URL: "http://h/"})
	if res.Retire {
		t.Error("a 503 (a run over its wall time) retires the instance")
	}
}

// TestJoinHeader: every field, one name and one value a line, none of them
// broken by a newline in a value.
func TestJoinHeader(t *testing.T) {
	h := http.Header{"A": {"1", "2"}, "B": {"x\r\ny\nz\rw"}}
	lines := strings.Split(joinHeader(h), "\n")
	got := map[string][]string{}
	for i := 0; i+1 < len(lines); i += 2 {
		got[lines[i]] = append(got[lines[i]], lines[i+1])
	}
	if len(lines) != 6 || !reflect.DeepEqual(got, map[string][]string{"A": {"1", "2"}, "B": {"x y z w"}}) {
		t.Errorf("%q", lines)
	}
	if joinHeader(http.Header{}) != "" {
		t.Error("no fields is not the empty string")
	}
}

// TestBodyError: a body whose reading failed reads as what came, then the
// error, as the handler would have read it from the stream.
func TestBodyError(t *testing.T) {
	var got []byte
	var err error
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got, err = io.ReadAll(r.Body) })
	Do(h, nil, Request{Method: "POST", URL: "http://h/", Body: []byte("ab"), BodyError: "gone"})
	if string(got) != "ab" || err == nil || err.Error() != "gone" {
		t.Errorf("read %q, %v", got, err)
	}
	Do(h, nil, Request{Method: "POST", URL: "http://h/", BodyError: "gone at once"})
	if len(got) != 0 || err == nil || err.Error() != "gone at once" {
		t.Errorf("read %q, %v", got, err)
	}
}
