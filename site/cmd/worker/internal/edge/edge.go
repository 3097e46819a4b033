// Package edge runs an http.Handler (site/internal/httpx) for the Worker's JavaScript shim
// (site/cmd/worker/js/edge.mjs): one Go instance serves request after
// request, each a synchronous call with the whole request in and the whole
// response out. This file is the part that does not touch JavaScript
// (building the request, recording the response), so it is tested natively;
// edge_js.go is the glue.
//
// Why not github.com/syumai/workers: its shim starts a new Go instance for
// every request (WebAssembly.Instance, the Go runtime, every package's
// init), about 10 ms each in workerd, and streams bodies through io.Pipe,
// goroutines and promises. The API reads whole bodies and writes whole
// responses, so one synchronous call per request is enough, and no two
// requests are ever inside Go at once (JavaScript is single-threaded and the
// call does not return to the event loop until the response is complete).
package edge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/connlab/connlab/site/internal/httpx"
)

// Request is a request as the shim hands it over: the body read already
// (at most the handler's read limit; see Info.BodyLimit).
type Request struct {
	Method, URL string
	// Header is the request's header fields in order, name then value
	// (the Fetch API's Headers joins repeated fields with ", ").
	Header []string
	// Body is nil for a request without one (GET), else the bytes read.
	Body []byte
	// BodyError, when not "", is why reading the body stopped early (the
	// client went away): the handler reads Body, then this error.
	BodyError string
}

// Response is a complete response.
type Response struct {
	Status int
	Header httpx.Header
	Body   []byte
	// Retire tells the shim to drop this Go instance after this response:
	// the handler panicked (a 500), so its state is not to be trusted.
	Retire bool
}

// Do runs h on req. It never panics: a panic that escapes h becomes the
// 500 of Crash, with Retire set.
func Do(h httpx.Handler, errHeaders func(httpx.Header), req Request) (res Response) {
	r, err := newRequest(req)
	if err != nil {
		return Crash(errHeaders, httpx.StatusBadRequest, "bad_request", err.Error())
	}
	rec := &recorder{header: httpx.Header{}}
	defer func() {
		if v := recover(); v != nil {
			res = Crash(errHeaders, httpx.StatusInternalServerError, "internal", fmt.Sprintf("internal error: %v", v))
			res.Retire = true
		}
	}()
	h.ServeHTTP(rec, r)
	status := rec.status
	if status == 0 {
		status = httpx.StatusOK
	}
	return Response{Status: status, Header: rec.header, Body: rec.body.Bytes(),
		Retire: status == httpx.StatusInternalServerError}
}

// newRequest builds the *httpx.Request the handler sees, as net/http's
// server would for the same request: ContentLength from Content-Length
// (-1 when a body comes without one), Host from the Host field, a body
// that is never nil.
func newRequest(req Request) (*httpx.Request, error) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, fmt.Errorf("the request URL %q does not parse: %v", req.URL, err)
	}
	if len(req.Header)%2 != 0 {
		return nil, fmt.Errorf("%d header strings: want name, value pairs", len(req.Header))
	}
	h := make(httpx.Header, len(req.Header)/2)
	for i := 0; i < len(req.Header); i += 2 {
		h.Add(req.Header[i], req.Header[i+1])
	}
	r := &httpx.Request{
		Method:     req.Method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Body:       httpx.NoBody,
		Host:       u.Host,
		RequestURI: u.RequestURI(),
		RemoteAddr: h.Get("Cf-Connecting-Ip"),
	}
	if host := h.Get("Host"); host != "" {
		r.Host = host
	}
	if req.Body != nil || req.BodyError != "" {
		var body io.Reader = bytes.NewReader(req.Body)
		if req.BodyError != "" {
			body = io.MultiReader(body, failingReader{errors.New(req.BodyError)})
		}
		r.Body = io.NopCloser(body)
		r.ContentLength = -1
	}
	if n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil && n >= 0 {
		r.ContentLength = n
	}
	return r, nil
}

// failingReader is a body whose reading failed.
type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

// recorder is the httpx.ResponseWriter: the first WriteHeader wins, as in
// net/http, and a Write before it is a 200.
type recorder struct {
	header httpx.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() httpx.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *recorder) Write(p []byte) (int, error) {
	w.WriteHeader(httpx.StatusOK)
	return w.body.Write(p)
}

// joinHeader is h as serve returns it: "name\nvalue\nname\nvalue...". A
// newline or carriage return inside a value becomes a space, as net/http's
// server writes it; names come from the handler's own code.
func joinHeader(h httpx.Header) string {
	var b strings.Builder
	for name, vs := range h {
		for _, v := range vs {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(name)
			b.WriteByte('\n')
			b.WriteString(newlines.Replace(v))
		}
	}
	return b.String()
}

var newlines = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// Crash is the API's error response {"error": {"code", "message"}} with
// the headers errHeaders sets: what Do answers for a panic, and (built
// once at start) what the shim answers when the Go instance itself stopped
// mid-request.
func Crash(errHeaders func(httpx.Header), status int, code, msg string) Response {
	h := httpx.Header{}
	if errHeaders != nil {
		errHeaders(h)
	}
	type apiError struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	body, _ := json.MarshalIndent(struct {
		Error apiError `json:"error"`
	}{apiError{code, msg}}, "", "  ")
	body = append(body, '\n')
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	return Response{Status: status, Header: h, Body: body}
}
