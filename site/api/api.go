// Package api is connlab's HTTP API, the dynamic part of the site:
//
//	POST /api/run        a session file (at most 64 KiB) → its transcript, computed
//	                     by the engine; ?events=1 adds the trace, ?text=1 answers
//	                     with the human transcript as text/plain
//	GET  /api/health     {"status":"ok", …}
//	GET  /api/scenarios  the scenario library as JSON
//	GET  /api/scenarios/NAME  one scenario; its "session" is a session file
//
// The same handler runs in the Cloudflare Worker (site/cmd/worker, through
// github.com/syumai/workers) and in the native server of `make run`
// (site/cmd/serve). Bad input never reaches the engine unchecked and never
// costs a 500: it gets a 4xx whose JSON body names the problem,
//
//	{"error": {"code": "unknown_key", "message": "…", "key": "server_option"}}
//
// and every run is bounded (body size, input count, steps, trace length), so a
// request cannot keep a Worker busy.
//
// The package also holds the static site's header policy (headers.go) and the
// native file server that applies it (static.go); the edge applies the same
// policy through the _headers file HeadersFile writes.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/connlab/connlab/engine/poll"
	"github.com/connlab/connlab/engine/services"
	"github.com/connlab/connlab/engine/session"
	"github.com/connlab/connlab/site/internal/httpx"
)

// Version is the API's version, reported by /api/health. It changes when a
// response changes shape incompatibly.
const Version = 1

// Limits bound what one request may cost. Zero fields take the defaults.
type Limits struct {
	// MaxBodyBytes caps the request body, the session file. Default 64 KiB.
	MaxBodyBytes int64
	// MaxInputs caps the length of the session's input list. Default 1000.
	MaxInputs int
	// MaxInputBytes caps the bytes the inputs send (send, and send_b64
	// decoded), in all. Default 64 KiB, which the body limit implies anyway.
	MaxInputBytes int
	// MaxStepBudget caps a session's own step_budget (steps per input).
	// Default session.DefaultStepBudget, the engine's default.
	MaxStepBudget int
	// MaxSteps caps executor steps over the whole run. Default 100 000: the
	// longest scenario in the library takes a few dozen.
	MaxSteps int
	// MaxTracedSteps caps them when the trace is recorded (?events=1 or
	// ?text=1). Default 10 000.
	MaxTracedSteps int
	// MaxEvents caps the trace (checked after every input). Default 20 000,
	// some 4 MB of JSON, which workerd takes about 0.4 s to produce.
	MaxEvents int
	// MaxWallTime caps the wall time of one /api/run's run (from the
	// session's start to its end); the clock is read every
	// session.InterruptEvery steps (the engine never reads it). Default 1 s.
	// Local workerd's clock moves while code computes; Cloudflare documents
	// that its edge advances Date.now() only on I/O (a timing-attack
	// mitigation), so there MaxSteps and the platform's CPU limit are the
	// bounds that hold.
	MaxWallTime time.Duration
}

// DefaultLimits are the limits a zero Limits stands for.
var DefaultLimits = Limits{
	MaxBodyBytes:   64 << 10,
	MaxInputs:      1000,
	MaxInputBytes:  64 << 10,
	MaxStepBudget:  session.DefaultStepBudget,
	MaxSteps:       100_000,
	MaxTracedSteps: 10_000,
	MaxEvents:      20_000,
	MaxWallTime:    time.Second,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBodyBytes > 0 {
		d.MaxBodyBytes = l.MaxBodyBytes
	}
	if l.MaxInputs > 0 {
		d.MaxInputs = l.MaxInputs
	}
	if l.MaxInputBytes > 0 {
		d.MaxInputBytes = l.MaxInputBytes
	}
	if l.MaxStepBudget > 0 {
		d.MaxStepBudget = l.MaxStepBudget
	}
	if l.MaxSteps > 0 {
		d.MaxSteps = l.MaxSteps
	}
	if l.MaxTracedSteps > 0 {
		d.MaxTracedSteps = l.MaxTracedSteps
	}
	if l.MaxEvents > 0 {
		d.MaxEvents = l.MaxEvents
	}
	if l.MaxWallTime > 0 {
		d.MaxWallTime = l.MaxWallTime
	}
	return d
}

// Options configure New.
type Options struct {
	Limits Limits
	// Now is the wall clock for Limits.MaxWallTime; nil is time.Now. Tests
	// pass a clock of their own.
	Now func() time.Time
	// Observe, when set, is told how long each phase of a /api/run that
	// answers 200 took (time.Now, never Now): "read" (the body), "parse"
	// (and the limits' checks), "engine" (the run) and "json" (the
	// transcript, encoded and written). The Worker's benchmark reports
	// them (make bench-worker); nil costs nothing.
	Observe func(phase string, d time.Duration)
}

// BodyReadLimit is the most of a request body the handler ever reads: the
// limit, one byte more to see a body is over it, and what it drains of a
// body of unknown length that is (see readBody). The Worker's shim reads
// no more than this before handing the body to Go.
func (o Options) BodyReadLimit() int64 {
	return o.Limits.withDefaults().MaxBodyBytes + 1 + drainMax
}

// New returns the handler for /api/run, /api/health and /api/scenarios. It
// answers every other path with a JSON 404, so it can be mounted at /api/.
func New(opts Options) httpx.Handler {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &handler{limits: opts.Limits.withDefaults(), now: now, observe: opts.Observe}
}

type handler struct {
	limits  Limits
	now     func() time.Time
	observe func(string, time.Duration)
}

// phase tells Options.Observe that a phase ended, and starts the next.
// Without Observe it reads no clock.
func (h *handler) phase(t *time.Time, name string) {
	if h.observe == nil {
		return
	}
	now := time.Now()
	h.observe(name, now.Sub(*t))
	*t = now
}

// Error is the body of every error response: {"error": Error}.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Key names the session file key (or query parameter) that was wrong.
	Key string `json:"key,omitempty"`
}

type errorBody struct {
	Error Error `json:"error"`
}

// Error codes.
const (
	CodeNotFound         = "not_found"
	CodeMethodNotAllowed = "method_not_allowed"
	CodeBodyTooLarge     = "body_too_large"
	CodeBodyRead         = "body_read"
	CodeInvalidJSON      = "invalid_json"
	CodeUnknownKey       = "unknown_key"
	CodeInvalidSession   = "invalid_session"
	CodeBadQuery         = "bad_query"
	CodeTooManyInputs    = "too_many_inputs"
	CodeInputTooLarge    = "input_too_large"
	CodeStepBudget       = "step_budget_too_large"
	CodeBudgetExceeded   = "step_budget_exceeded"
	CodeTraceTooLong     = "trace_too_long"
	CodeTimeBudget       = "time_budget_exceeded"
	CodeInternal         = "internal"
)

func (h *handler) ServeHTTP(w httpx.ResponseWriter, r *httpx.Request) {
	defer func() {
		// An engine bug must not take the Worker down with it; the request
		// still gets an answer naming the failure.
		if v := recover(); v != nil {
			if v == httpx.ErrAbortHandler {
				panic(v)
			}
			writeError(w, r, httpx.StatusInternalServerError, Error{Code: CodeInternal, Message: fmt.Sprintf("internal error: %v", v)})
		}
	}()
	switch r.URL.Path {
	case "/api/run":
		if !allow(w, r, httpx.MethodPost) {
			return
		}
		h.run(w, r)
	case "/api/rust":
		if !allow(w, r, httpx.MethodPost) {
			return
		}
		h.rust(w, r)
	case "/api/health":
		if !allow(w, r, httpx.MethodGet, httpx.MethodHead) {
			return
		}
		writeJSON(w, r, httpx.StatusOK, "no-store", health())
	case "/api/scenarios":
		if !allow(w, r, httpx.MethodGet, httpx.MethodHead) {
			return
		}
		scenarioListAnswer(w, r)
	default:
		if name, ok := strings.CutPrefix(r.URL.Path, "/api/scenarios/"); ok && name != "" && !strings.Contains(name, "/") {
			if !allow(w, r, httpx.MethodGet, httpx.MethodHead) {
				return
			}
			scenario(w, r, name)
			return
		}
		writeError(w, r, httpx.StatusNotFound, Error{Code: CodeNotFound,
			Message: fmt.Sprintf("no API route %s: use POST /api/run, POST /api/rust, GET /api/health or GET /api/scenarios", r.URL.Path)})
	}
}

// Health is /api/health's answer.
type Health struct {
	Status     string `json:"status"`
	Service    string `json:"service"`
	APIVersion int    `json:"api_version"`
	Go         string `json:"go"`
	// Platform is GOOS/GOARCH: js/wasm in the Worker.
	Platform string `json:"platform"`
	Handlers int    `json:"handlers"`
}

func health() Health {
	return Health{Status: "ok", Service: "connlab", APIVersion: Version, Go: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH, Handlers: len(services.Handlers())}
}

// allow answers 405 (with Allow) unless the method is one of methods. It
// answers OPTIONS itself, the CORS preflight: 204 with the methods allowed
// and the content-type request header (see CORSAllowOrigin).
func allow(w httpx.ResponseWriter, r *httpx.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	list := strings.Join(append(methods, httpx.MethodOptions), ", ")
	w.Header().Set("Allow", list)
	if r.Method == httpx.MethodOptions {
		h := w.Header()
		APIHeaders(h)
		h.Set("Access-Control-Allow-Methods", list)
		h.Set("Access-Control-Allow-Headers", CORSAllowHeaders)
		h.Set("Access-Control-Max-Age", CORSMaxAge)
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(httpx.StatusNoContent)
		return false
	}
	writeError(w, r, httpx.StatusMethodNotAllowed, Error{Code: CodeMethodNotAllowed,
		Message: fmt.Sprintf("method %s is not allowed on %s: use %s", r.Method, r.URL.Path, list)})
	return false
}

// flag reads a boolean query parameter: absent, "0" or "false" is false;
// present with no value, "1" or "true" is true; anything else is an error.
func flag(r *httpx.Request, name string) (bool, *Error) {
	q := r.URL.Query()
	vs, ok := q[name]
	if !ok {
		return false, nil
	}
	switch v := vs[len(vs)-1]; v {
	case "", "1", "true":
		return true, nil
	case "0", "false":
		return false, nil
	default:
		return false, &Error{Code: CodeBadQuery, Key: name,
			Message: fmt.Sprintf("query parameter %s must be 1 or 0 (true or false), got %q", name, v)}
	}
}

func (h *handler) run(w httpx.ResponseWriter, r *httpx.Request) {
	events, e := flag(r, "events")
	if e != nil {
		writeError(w, r, httpx.StatusBadRequest, *e)
		return
	}
	text, e := flag(r, "text")
	if e != nil {
		writeError(w, r, httpx.StatusBadRequest, *e)
		return
	}
	h.runSession(w, r, events, text)
}

func (h *handler) runSession(w httpx.ResponseWriter, r *httpx.Request, events, text bool) {
	lim := h.limits
	var mark time.Time
	if h.observe != nil {
		mark = time.Now()
	}
	body, status, e := readBody(r, lim.MaxBodyBytes)
	if e != nil {
		writeError(w, r, status, *e)
		return
	}
	h.phase(&mark, "read")
	f, e := parse(body)
	if e != nil {
		writeError(w, r, httpx.StatusBadRequest, *e)
		return
	}
	if status, e := checkSize(f, lim); e != nil {
		writeError(w, r, status, *e)
		return
	}
	traced := events || text
	h.phase(&mark, "parse")
	s := session.New(f, session.Options{Trace: traced})
	if status, e := h.runWithin(s, traced, "shorten the session or run it with the CLI (connlab run FILE)"); e != nil {
		writeError(w, r, status, *e)
		return
	}
	h.phase(&mark, "engine")
	if text {
		writeBody(w, r, httpx.StatusOK, "text/plain; charset=utf-8", "no-store", []byte(s.Text()))
	} else {
		writeJSON(w, r, httpx.StatusOK, "no-store", s.Transcript(events))
	}
	h.phase(&mark, "json")
}

// checkSize refuses a session larger than the API runs: too many inputs,
// too many bytes sent, a step budget over the maximum.
func checkSize(f *session.File, lim Limits) (int, *Error) {
	if n := len(f.Input); n > lim.MaxInputs {
		return httpx.StatusUnprocessableEntity, &Error{Code: CodeTooManyInputs, Key: "input",
			Message: fmt.Sprintf("the session has %d inputs; the API runs at most %d (run longer sessions with the CLI: connlab run FILE)", n, lim.MaxInputs)}
	}
	sent := 0
	for i := range f.Input {
		sent += len(f.Input[i].Bytes())
	}
	if sent > lim.MaxInputBytes {
		return httpx.StatusUnprocessableEntity, &Error{Code: CodeInputTooLarge, Key: "input",
			Message: fmt.Sprintf("the inputs send %d bytes; the API sends at most %d", sent, lim.MaxInputBytes)}
	}
	if f.StepBudget > lim.MaxStepBudget {
		return httpx.StatusUnprocessableEntity, &Error{Code: CodeStepBudget, Key: "step_budget",
			Message: fmt.Sprintf("step_budget %d is over the API's maximum of %d steps per input (run it with the CLI: connlab run FILE)", f.StepBudget, lim.MaxStepBudget)}
	}
	return 0, nil
}

// runWithin drives s within the API's limits, timing it from here:
// reading the body waits on the client, and in workerd on the other
// requests the isolate serves. A run over the wall time is a 503 whose
// message ends with advice (what to do instead).
func (h *handler) runWithin(s *session.Session, traced bool, advice string) (int, *Error) {
	lim := h.limits
	start := h.now()
	var cut *wallTimeError
	s.Interrupt = func(steps int) error {
		if el := h.now().Sub(start); el > lim.MaxWallTime {
			cut = &wallTimeError{elapsed: el, steps: steps}
			return cut
		}
		return nil
	}
	if e := drive(s, lim, traced); e != nil {
		if cut != nil {
			// Not the session's fault alone (the machine may be busy), so
			// not a 4xx: the server would not finish it in time.
			return httpx.StatusServiceUnavailable, &Error{Code: CodeTimeBudget,
				Message: fmt.Sprintf("run cut after %d ms (at step %d): the API's wall-time limit is %d ms per request; %s",
					cut.elapsed.Milliseconds(), cut.steps, lim.MaxWallTime.Milliseconds(), advice)}
		}
		return httpx.StatusUnprocessableEntity, e
	}
	return 0, nil
}

// wallTimeError is what Session.Interrupt returns when a run is over
// Limits.MaxWallTime.
type wallTimeError struct {
	elapsed time.Duration
	steps   int
}

func (e *wallTimeError) Error() string {
	return fmt.Sprintf("run cut after %v at step %d", e.elapsed, e.steps)
}

// drainMax is how much of a too-large body of unknown length readBody
// reads on before answering.
const drainMax = 1 << 20

// readBody reads the whole request body, at most max bytes. It reads before
// anything is written: in workerd, streaming the request body into the
// response does not work.
func readBody(r *httpx.Request, max int64) ([]byte, int, *Error) {
	tooLarge := func() ([]byte, int, *Error) {
		return nil, httpx.StatusRequestEntityTooLarge, &Error{Code: CodeBodyTooLarge,
			Message: fmt.Sprintf("the session file is larger than %d bytes (%d KiB), the API's limit", max, max>>10)}
	}
	if r.ContentLength > max {
		return tooLarge()
	}
	if r.Body == nil {
		return nil, 0, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, max+1))
	if err != nil {
		var mbe *httpx.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge()
		}
		return nil, httpx.StatusBadRequest, &Error{Code: CodeBodyRead, Message: "reading the request body: " + err.Error()}
	}
	if int64(len(body)) > max {
		// A body of unknown length (chunked) turned out too large. Read on
		// a little before answering: wrangler dev's workerd fails the next
		// request when a worker answers with the request body half read
		// (a JavaScript worker does the same; cancelling the stream does
		// not help, reading it does).
		io.CopyN(io.Discard, r.Body, drainMax)
		return tooLarge()
	}
	return body, 0, nil
}

// parse checks the body is one JSON value and a valid session file.
func parse(body []byte) (*session.File, *Error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, &Error{Code: CodeInvalidJSON, Message: "empty body: expected a session file (a JSON object), e.g. {\"version\": 1, \"handler\": \"hello\", \"input\": [{\"send\": \"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n\"}]}"}
	}
	if !json.Valid(body) {
		var v any
		err := json.Unmarshal(body, &v)
		msg := "the body is not valid JSON"
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			msg = fmt.Sprintf("the body is not valid JSON: %v (at byte %d)", se, se.Offset)
		case err != nil:
			msg = "the body is not valid JSON: " + err.Error()
		}
		return nil, &Error{Code: CodeInvalidJSON, Message: msg}
	}
	f, err := session.ParseBytes(body)
	if err != nil {
		var se *session.Error
		if !errors.As(err, &se) {
			return nil, &Error{Code: CodeInvalidSession, Message: err.Error()}
		}
		code := CodeInvalidSession
		if se.Msg == "unknown key" {
			code = CodeUnknownKey
		}
		return nil, &Error{Code: code, Key: se.Key, Message: se.Error()}
	}
	return f, nil
}

// drive runs the session as Session.Run does (run until idle, then apply
// each input), within the limits: before each input the step budget is
// lowered to what is left of the run's total, and after each input the
// steps and the trace are measured. A session within the limits runs
// exactly as Run runs it, so its transcript is the CLI's.
func drive(s *session.Session, lim Limits, traced bool) *Error {
	f := s.File
	orig := f.StepBudget
	perInput := orig
	if perInput <= 0 {
		perInput = session.DefaultStepBudget
	}
	total, what := lim.MaxSteps, "a run"
	if traced {
		total, what = lim.MaxTracedSteps, "a traced run (?events=1 or ?text=1)"
	}
	// step sets the budget for the next run-until-idle and runs it.
	step := func(run func() error) *Error {
		budget := min(perInput, max(total-s.Ex.Steps(), 1))
		f.StepBudget = budget
		err := run()
		var be *poll.ErrBudget
		if errors.As(err, &be) && budget == perInput {
			return &Error{Code: CodeBudgetExceeded, Key: "step_budget",
				Message: fmt.Sprintf("%v (the engine ran %d steps in one input without becoming idle; raise step_budget, at most %d, or shorten the input)", err, perInput, lim.MaxStepBudget)}
		}
		if be != nil || s.Ex.Steps() > total {
			// Each input may take one step past what was left, since a
			// budget of 0 means the default; so the total is checked too.
			return &Error{Code: CodeBudgetExceeded, Key: "step_budget",
				Message: fmt.Sprintf("run cut after %d steps: the session takes more than %d steps, the API's limit for %s; run it with the CLI (connlab run FILE)", s.Ex.Steps(), total, what)}
		}
		if err != nil {
			return &Error{Code: CodeBudgetExceeded, Key: "step_budget", Message: err.Error()}
		}
		if traced && s.Rec.Len() > lim.MaxEvents {
			return &Error{Code: CodeTraceTooLong, Key: "events",
				Message: fmt.Sprintf("the trace has more than %d events, the API's limit; ask without ?events=1 and ?text=1, or run it with the CLI (connlab run FILE --events)", lim.MaxEvents)}
		}
		return nil
	}
	defer func() { f.StepBudget = orig }()
	if e := step(s.RunUntilIdle); e != nil {
		return e
	}
	for i := range f.Input {
		in := f.Input[i]
		if e := step(func() error { return s.Apply(in) }); e != nil {
			return e
		}
	}
	return nil
}

// writeJSON answers with v as JSON, indented as the CLI prints it, so
// `curl --data-binary @session.json …/api/run` reads like `connlab run`.
func writeJSON(w httpx.ResponseWriter, r *httpx.Request, status int, cache string, v any) {
	b, err := encodeJSON(v)
	if err != nil {
		writeError(w, r, httpx.StatusInternalServerError, Error{Code: CodeInternal, Message: "encoding the response: " + err.Error()})
		return
	}
	writeBody(w, r, status, "application/json", cache, b)
}

// encodeJSON is v as writeJSON sends it: indented, with a final newline.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeError(w httpx.ResponseWriter, r *httpx.Request, status int, e Error) {
	b, _ := json.MarshalIndent(errorBody{e}, "", "  ")
	writeBody(w, r, status, "application/json", "no-store", append(b, '\n'))
}

// writeBody writes a complete response. Headers go out with the first
// write (in the Worker the response starts then), so all are set before it.
//
// A HEAD gets GET's headers, Content-Length included, and the body is
// written all the same: the server leaves it off the wire (net/http
// discards it, workerd sends no body for HEAD). Not writing it broke the
// Worker: syumai/workers turns a Content-Length into a FixedLengthStream,
// which failed with "did not see all expected bytes" and a 500.
func writeBody(w httpx.ResponseWriter, r *httpx.Request, status int, contentType, cache string, body []byte) {
	h := w.Header()
	APIHeaders(h)
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", cache)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}
