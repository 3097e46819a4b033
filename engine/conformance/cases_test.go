package conformance

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/connlab/connlab/engine/program"
	"github.com/connlab/connlab/engine/session"
)

// A case file: one group of cases from one source.
type caseFile struct {
	Group   string `json:"group"`
	Comment string `json:"comment,omitempty"`
	Server  []serverCase
	Client  []clientCase
	path    string
}

// serverCase is one server case: the oracle's `case` input (mode 1) and,
// from the same fields, the connlab session (mode server).
type serverCase struct {
	Name    string `json:"name"`
	Source  string `json:"source"`
	Handler string `json:"handler"`
	// Chunks are what the client writes, in order, with a pause between
	// them; "" is a pause only. Text, with {{S*N}} standing for S repeated
	// N times. ChunksB64 replaces Chunks for bytes that are not text.
	Chunks    []string `json:"chunks,omitempty"`
	ChunksB64 []string `json:"chunks_b64,omitempty"`
	// Bytewise splits every chunk into one chunk per byte.
	Bytewise  bool            `json:"bytewise,omitempty"`
	HalfClose bool            `json:"half_close,omitempty"`
	PauseMS   json.RawMessage `json:"pause_ms,omitempty"`
	Options   serverOptions   `json:"options"`
	// KnownDifference says why the engine's answer differs from hyper's.
	KnownDifference string `json:"known_difference,omitempty"`
	// KnownTraceDifference says why the engine's notes differ from
	// hyper's recorded trace messages for this case (TestHyperTraceSequence).
	KnownTraceDifference string `json:"known_trace_difference,omitempty"`
}

type serverOptions struct {
	HalfCloseAllowed    bool   `json:"half_close_allowed,omitempty"`
	KeepAlive           *bool  `json:"keep_alive,omitempty"`
	TitleCaseHeaders    bool   `json:"title_case_headers,omitempty"`
	MaxBufSize          *int   `json:"max_buf_size,omitempty"`
	HeaderReadTimeoutMS *int64 `json:"header_read_timeout_ms,omitempty"`
}

// clientCase is one client case: a connlab client program (converted to
// the oracle's ops) and the scripted server's steps.
type clientCase struct {
	Name            string        `json:"name"`
	Source          string        `json:"source"`
	Program         []string      `json:"program"`
	Server          []serverStep  `json:"server"`
	Options         clientOptions `json:"options"`
	KnownDifference string        `json:"known_difference,omitempty"`
	// KnownTraceDifference: as serverCase's, for the client's notes.
	KnownTraceDifference string `json:"known_trace_difference,omitempty"`
}

type clientOptions struct {
	TitleCaseHeaders bool `json:"title_case_headers,omitempty"`
	MaxBufSize       *int `json:"max_buf_size,omitempty"`
}

// serverStep is one step of the scripted server (the oracle's format).
type serverStep struct {
	Send         *string `json:"send,omitempty"`
	SendB64      *string `json:"send_b64,omitempty"`
	SendBytewise *string `json:"send_bytewise,omitempty"`
	WaitMS       *int64  `json:"wait_ms,omitempty"`
	Shutdown     *string `json:"shutdown,omitempty"`
}

// serverAnswer is what hyper answered to a server case (date masked).
type serverAnswer struct {
	Name         string  `json:"name"`
	Response     *string `json:"response,omitempty"`
	ResponseB64  *string `json:"response_b64,omitempty"`
	EOF          bool    `json:"eof"`
	ServerResult string  `json:"server_result"`
	RequestsSeen int     `json:"requests_seen"`
	ReadError    *string `json:"read_error"`
	WriteError   *string `json:"write_error"`
	Error        string  `json:"error,omitempty"` // the oracle refused the case
}

// clientAnswer is what hyper answered to a client case (the oracle's output).
// The file keeps every key of the oracle's output; to_server_b64 becomes
// to_server when the bytes are text.
type clientAnswer struct {
	Name        string        `json:"name"`
	ToServerB64 *string       `json:"to_server_b64"`
	ToServer    *string       `json:"to_server"`
	ServerEOF   bool          `json:"server_eof"`
	Program     clientProgram `json:"program"`
	Conn        clientConn    `json:"conn"`
	Log         []clientLog   `json:"log"`
	Error       string        `json:"error,omitempty"`
}

type clientProgram struct {
	Done     bool      `json:"done"`
	AtOp     *int      `json:"at_op"`
	FailedAt *int      `json:"failed_at"`
	Error    *hyperErr `json:"error"`
}

type hyperErr struct {
	Kind      string          `json:"kind"`
	Parse     *string         `json:"parse"`
	HyperKind *string         `json:"hyper_kind"`
	Display   string          `json:"display"`
	Harness   bool            `json:"harness,omitempty"`
	Is        json.RawMessage `json:"is,omitempty"`
	Debug     string          `json:"debug,omitempty"`
}

type clientConn struct {
	State    string    `json:"state"`
	Error    *hyperErr `json:"error,omitempty"`
	DuringOp *int      `json:"during_op,omitempty"`
}

type clientLog struct {
	Op       int             `json:"op"`
	Event    string          `json:"event"`
	Status   int             `json:"status,omitempty"`
	Version  string          `json:"version,omitempty"`
	Headers  [][2]string     `json:"headers,omitempty"`
	BodyB64  *string         `json:"body_b64,omitempty"`
	Trailers json.RawMessage `json:"trailers,omitempty"`
	Error    *hyperErr       `json:"error,omitempty"`
}

// loadCases reads every case file under testdata/server and testdata/client.
func loadCases() ([]*caseFile, error) {
	var out []*caseFile
	for _, kind := range []string{"server", "client"} {
		paths, err := filepath.Glob(filepath.Join("testdata", kind, "*.json"))
		if err != nil {
			return nil, err
		}
		sort.Strings(paths)
		for _, p := range paths {
			if strings.HasSuffix(p, ".hyper.json") || strings.HasSuffix(p, ".trace.json") {
				continue
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			var raw struct {
				Group   string          `json:"group"`
				Comment string          `json:"comment"`
				Cases   json.RawMessage `json:"cases"`
			}
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&raw); err != nil {
				return nil, fmt.Errorf("%s: %v", p, err)
			}
			cf := &caseFile{Group: raw.Group, Comment: raw.Comment, path: p}
			dec = json.NewDecoder(bytes.NewReader(raw.Cases))
			dec.DisallowUnknownFields()
			if kind == "server" {
				err = dec.Decode(&cf.Server)
			} else {
				err = dec.Decode(&cf.Client)
			}
			if err != nil {
				return nil, fmt.Errorf("%s: cases: %v", p, err)
			}
			out = append(out, cf)
		}
	}
	return out, nil
}

// answerPath is where hyper's answers to a case file are kept.
func answerPath(dir string, cf *caseFile) string {
	base := strings.TrimSuffix(filepath.Base(cf.path), ".json")
	return filepath.Join(dir, filepath.Base(filepath.Dir(cf.path)), base+".hyper.json")
}

// tracePath is where the traced oracle's hyper trace of a case file is kept.
func tracePath(dir string, cf *caseFile) string {
	base := strings.TrimSuffix(filepath.Base(cf.path), ".json")
	return filepath.Join(dir, filepath.Base(filepath.Dir(cf.path)), base+".trace.json")
}

var repeatRE = regexp.MustCompile(`\{\{([^*}]*)\*([0-9]+)\}\}`)

// expand replaces {{S*N}} with S repeated N times.
func expand(s string) string {
	return repeatRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := repeatRE.FindStringSubmatch(m)
		n, _ := strconv.Atoi(sub[2])
		return strings.Repeat(sub[1], n)
	})
}

// chunks returns the bytes of every chunk, split byte by byte if asked.
func (c *serverCase) chunks() ([][]byte, error) {
	var out [][]byte
	if len(c.Chunks) > 0 && len(c.ChunksB64) > 0 {
		return nil, fmt.Errorf("both chunks and chunks_b64")
	}
	for _, s := range c.Chunks {
		out = append(out, []byte(expand(s)))
	}
	for _, s := range c.ChunksB64 {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if c.Bytewise {
		var split [][]byte
		for _, ch := range out {
			for i := range ch {
				split = append(split, ch[i:i+1])
			}
		}
		out = split
	}
	return out, nil
}

// pauses returns the pause before chunk k (k ≥ 1) as pause_ms gives it, 0
// for the oracle's regular 1 ms gap.
func (c *serverCase) pauses(n int) ([]int64, error) {
	out := make([]int64, n)
	if len(c.PauseMS) == 0 {
		return out, nil
	}
	var one int64
	if err := json.Unmarshal(c.PauseMS, &one); err == nil {
		for k := 1; k < n; k++ {
			out[k] = one
		}
		return out, nil
	}
	var list []int64
	if err := json.Unmarshal(c.PauseMS, &list); err != nil {
		return nil, fmt.Errorf("pause_ms: %v", err)
	}
	for k, p := range list {
		if k+1 < n {
			out[k+1] = p
		}
	}
	return out, nil
}

// oracleInput is the oracle's mode 1 case.
func (c *serverCase) oracleInput() ([]byte, error) {
	chunks, err := c.chunks()
	if err != nil {
		return nil, err
	}
	enc := make([]string, len(chunks))
	for i, ch := range chunks {
		enc[i] = base64.StdEncoding.EncodeToString(ch)
	}
	in := map[string]any{
		"handler":    c.Handler,
		"chunks":     enc,
		"half_close": c.HalfClose,
		"options":    c.Options,
	}
	if len(c.PauseMS) > 0 {
		in["pause_ms"] = c.PauseMS
	}
	return json.Marshal(in)
}

// sessionFile is the equivalent connlab session: each chunk a send_b64
// input (inputs apply once the engine is idle, as the oracle pauses
// between chunks), a pause_ms gap a wait_ms on the virtual clock,
// half_close a shutdown of the write side, and with a header read timeout
// a final wait as long as the oracle's last idle wait (timeout + 300 ms).
func (c *serverCase) sessionFile() (*session.File, error) {
	chunks, err := c.chunks()
	if err != nil {
		return nil, err
	}
	pauses, err := c.pauses(len(chunks))
	if err != nil {
		return nil, err
	}
	f := &session.File{
		Version: 1,
		Mode:    "server",
		Handler: c.Handler,
		ServerOptions: session.ServerOptions{
			KeepAlive:           c.Options.KeepAlive,
			HalfClose:           c.Options.HalfCloseAllowed,
			TitleCaseHeaders:    c.Options.TitleCaseHeaders,
			MaxBufSize:          c.Options.MaxBufSize,
			HeaderReadTimeoutMS: c.Options.HeaderReadTimeoutMS,
		},
		Transport: session.Transport{Capacity: 65536},
	}
	for k, ch := range chunks {
		if pauses[k] > 1 {
			ms := pauses[k]
			f.Input = append(f.Input, session.Input{WaitMS: &ms})
		}
		if len(ch) > 0 {
			s := base64.StdEncoding.EncodeToString(ch)
			f.Input = append(f.Input, session.Input{SendB64: &s})
		}
	}
	if c.HalfClose {
		w := "write"
		f.Input = append(f.Input, session.Input{Shutdown: &w})
	}
	if t := c.Options.HeaderReadTimeoutMS; t != nil {
		ms := *t + 300
		f.Input = append(f.Input, session.Input{WaitMS: &ms})
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return f, nil
}

// oracleInput is the oracle's mode 2 case: the program's lines as ops.
func (c *clientCase) oracleInput() ([]byte, error) {
	ops, err := program.Parse(c.Program)
	if err != nil {
		return nil, err
	}
	var list []map[string]any
	for _, op := range ops {
		m := map[string]any{}
		switch op.Kind {
		case program.OpHandshake:
			m["op"] = "handshake"
		case program.OpSpawnConn:
			m["op"] = "spawn_conn"
		case program.OpAwaitConn:
			m["op"] = "await_conn"
		case program.OpSend:
			if op.Version == "HTTP/1.0" {
				// the oracle's send builds an HTTP/1.1 request
				return nil, fmt.Errorf("line %d: the oracle has no HTTP/1.0 send", op.Line)
			}
			m["op"] = "send"
			m["method"] = op.Method
			m["uri"] = op.Path
			hs := [][2]string{}
			for _, h := range op.Headers {
				hs = append(hs, h)
			}
			m["headers"] = hs
			switch {
			case op.Stream:
				m["stream"] = true
			case op.HasBody:
				m["body_b64"] = base64.StdEncoding.EncodeToString(op.Body)
			}
		case program.OpSendBody:
			m["op"] = "send_body"
			m["data_b64"] = base64.StdEncoding.EncodeToString(op.Body)
		case program.OpEndBody:
			m["op"] = "end_body"
		case program.OpAwaitResponse:
			m["op"] = "await_response"
		case program.OpTimeoutAwaitResponse:
			m["op"] = "await_response"
			m["timeout_ms"] = op.MS
		case program.OpReadBody:
			m["op"] = "read_body"
		case program.OpDropSender:
			m["op"] = "drop_sender"
		case program.OpDropResponse:
			m["op"] = "drop_response"
		case program.OpSleep:
			m["op"] = "sleep"
			m["ms"] = op.MS
		default:
			return nil, fmt.Errorf("line %d: %s has no oracle op", op.Line, op.Kind)
		}
		list = append(list, m)
	}
	steps := make([]serverStep, len(c.Server))
	for i, st := range c.Server {
		steps[i] = st
		if st.Send != nil {
			s := expand(*st.Send)
			steps[i].Send = &s
		}
	}
	in := map[string]any{"client": list, "server": steps, "options": c.Options}
	return json.Marshal(in)
}

// sessionFile is the equivalent connlab session: mode client, the program
// as is, each server step an input (send_bytewise one input per byte).
func (c *clientCase) sessionFile() (*session.File, error) {
	f := &session.File{
		Version:       1,
		Mode:          "client",
		ClientProgram: c.Program,
		ServerOptions: session.ServerOptions{TitleCaseHeaders: c.Options.TitleCaseHeaders, MaxBufSize: c.Options.MaxBufSize},
		Transport:     session.Transport{Capacity: 65536},
	}
	for _, st := range c.Server {
		switch {
		case st.Send != nil:
			s := base64.StdEncoding.EncodeToString([]byte(expand(*st.Send)))
			f.Input = append(f.Input, session.Input{SendB64: &s})
		case st.SendB64 != nil:
			s := *st.SendB64
			f.Input = append(f.Input, session.Input{SendB64: &s})
		case st.SendBytewise != nil:
			for _, b := range []byte(*st.SendBytewise) {
				s := base64.StdEncoding.EncodeToString([]byte{b})
				f.Input = append(f.Input, session.Input{SendB64: &s})
			}
		case st.WaitMS != nil:
			ms := *st.WaitMS
			f.Input = append(f.Input, session.Input{WaitMS: &ms})
		case st.Shutdown != nil:
			w := *st.Shutdown
			f.Input = append(f.Input, session.Input{Shutdown: &w})
		default:
			return nil, fmt.Errorf("empty server step")
		}
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return f, nil
}

var dateRE = regexp.MustCompile(`(?im)^(date: )[^\r\n]*`)

// maskDate replaces every date header's value.
func maskDate(b []byte) []byte {
	return dateRE.ReplaceAll(b, []byte("${1}<masked>"))
}

// textOrB64 sets one of the two fields: text when the bytes are UTF-8.
func textOrB64(b []byte) (*string, *string) {
	if utf8.Valid(b) {
		s := string(b)
		return &s, nil
	}
	s := base64.StdEncoding.EncodeToString(b)
	return nil, &s
}

// response returns hyper's response bytes.
func (a *serverAnswer) response() []byte {
	if a.Response != nil {
		return []byte(*a.Response)
	}
	if a.ResponseB64 != nil {
		b, _ := base64.StdEncoding.DecodeString(*a.ResponseB64)
		return b
	}
	return nil
}

// hyperKinds maps hyper's error descriptions (the start of Display) to
// connlab's kind names.
var hyperKinds = []struct{ prefix, kind, parse string }{
	{"invalid HTTP method parsed", "parse", "method"},
	{"invalid HTTP version parsed (found HTTP2 preface)", "parse", "version-h2"},
	{"invalid HTTP version parsed", "parse", "version"},
	{"invalid URI", "parse", "uri"},
	{"URI too long", "parse", "uri-too-long"},
	{"invalid HTTP header parsed", "parse", "header-token"},
	{"invalid content-length parsed", "parse", "content-length-invalid"},
	{"invalid transfer-encoding parsed", "parse", "transfer-encoding-invalid"},
	{"unexpected transfer-encoding parsed", "parse", "transfer-encoding-unexpected"},
	{"message head is too large", "parse", "too-large"},
	{"invalid HTTP status-code parsed", "parse", "status"},
	{"internal error inside Hyper", "parse", "internal"},
	{"connection closed before message completed", "incomplete", ""},
	{"received unexpected message from connection", "unexpected-message", ""},
	{"read header from client timeout", "header-timeout", ""},
	{"error from user's Service", "user", ""},
	{"error from user's Body stream", "user-body", ""},
	{"error reading a body from connection", "body", ""},
	{"error writing a body to connection", "body-write", ""},
	{"connection error", "io", ""},
	{"error shutting down connection", "shutdown", ""},
	{"operation was canceled", "canceled", ""},
	{"channel closed", "closed", ""},
}

// hyperOutcome names hyper's server result as connlab's result: "closed"
// for ok, "running" for still-running, "error KIND[/PARSE]" for an error.
func hyperOutcome(serverResult string) string {
	switch serverResult {
	case "ok":
		return "closed"
	case "still-running":
		return "running"
	}
	msg := strings.TrimPrefix(serverResult, "error: ")
	for _, k := range hyperKinds {
		if strings.HasPrefix(msg, k.prefix) {
			if k.parse != "" {
				return "error " + k.kind + "/" + k.parse
			}
			return "error " + k.kind
		}
	}
	return "error unknown(" + msg + ")"
}

// engineOutcome names a connlab transcript's result the same way; an
// upgraded connection is hyper's ok (the connection future resolves once
// the IO is handed to the upgrade).
func engineOutcome(r session.Result) string {
	switch r.State {
	case "upgraded":
		return "closed"
	case "error":
		if r.Error == nil {
			return "error ?"
		}
		if r.Error.Parse != "" {
			return "error " + r.Error.Kind + "/" + r.Error.Parse
		}
		return "error " + r.Error.Kind
	}
	return r.State
}

func errName(e *hyperErr) string {
	if e == nil {
		return ""
	}
	if e.Parse != nil && *e.Parse != "" {
		return e.Kind + "/" + *e.Parse
	}
	return e.Kind
}
