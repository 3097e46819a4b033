// Package session runs connlab: a transport, an executor, the engine roles,
// the handler catalog and an input log, stepped deterministically. A
// session file (v1) is also the permalink and /api/run format; a transcript
// is what running one produces.
package session

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// File is a session file, version 1.
type File struct {
	Version       int           `json:"version"`
	Mode          string        `json:"mode"`
	Handler       string        `json:"handler"`
	ServerOptions ServerOptions `json:"server_options"`
	Transport     Transport     `json:"transport"`
	Input         []Input       `json:"input"`
	// ClientProgram is the client side's user code (modes client and both).
	ClientProgram []string `json:"client_program,omitempty"`
	program       []Op
	// StepBudget caps executor steps per input (0 = DefaultStepBudget).
	StepBudget int `json:"step_budget,omitempty"`
}

// ServerOptions are the server connection's settings (hyper's http1 Builder).
type ServerOptions struct {
	KeepAlive           *bool  `json:"keep_alive"`
	HalfClose           bool   `json:"half_close"`
	TitleCaseHeaders    bool   `json:"title_case_headers"`
	MaxBufSize          *int   `json:"max_buf_size"`
	HeaderReadTimeoutMS *int64 `json:"header_read_timeout_ms"`
}

// Transport sets up the in-memory duplex.
type Transport struct {
	Capacity  int `json:"capacity"`
	ReadChunk int `json:"read_chunk"`
}

// Input is one entry of the input log; exactly one field is set.
type Input struct {
	Send     *string `json:"send,omitempty"`
	SendB64  *string `json:"send_b64,omitempty"`
	WaitMS   *int64  `json:"wait_ms,omitempty"`
	Shutdown *string `json:"shutdown,omitempty"`
	Fault    *string `json:"fault,omitempty"`
}

// DefaultStepBudget bounds how long one input may keep the engine busy.
const DefaultStepBudget = 200000

// Faults the transport can inject.
var faults = map[string]string{
	"reset":          "the peer resets the connection: the engine's next read or write fails with ECONNRESET",
	"vanish":         "the peer is gone: reads give EOF, writes fail, shutdown fails with ENOTCONN",
	"stall-writes":   "the peer stops reading: the engine's writes back up",
	"release-writes": "the peer reads again",
}

// Error is a bad session file: it names the key that was wrong.
type Error struct {
	Key string
	Msg string
}

func (e *Error) Error() string {
	if e.Key == "" {
		return "session: " + e.Msg
	}
	return "session: " + e.Key + ": " + e.Msg
}

func keyErr(key, format string, args ...any) *Error {
	return &Error{Key: key, Msg: fmt.Sprintf(format, args...)}
}

// Parse reads and validates a session file. Unknown keys and bad values are
// an *Error naming the key.
func Parse(r io.Reader) (*File, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{Msg: "reading: " + err.Error()}
	}
	return ParseBytes(data)
}

// ParseBytes is Parse over a byte slice.
func ParseBytes(data []byte) (*File, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, jsonError(err)
	}
	if dec.More() {
		return nil, &Error{Msg: "trailing data after the session object"}
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// jsonError rewrites encoding/json's errors to name the key.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		key := te.Field
		if key == "" {
			key = "(top level)"
		}
		return keyErr(key, "expected %s, got JSON %s", goTypeName(te.Type.String()), te.Value)
	case errors.As(err, &se):
		return &Error{Msg: fmt.Sprintf("invalid JSON at byte %d: %s", se.Offset, se.Error())}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return &Error{Key: strings.Trim(name, `"`), Msg: "unknown key"}
	case errors.Is(err, io.EOF):
		return &Error{Msg: "empty input: expected a session object"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Msg: "invalid JSON: unexpected end of input"}
	}
	return &Error{Msg: err.Error()}
}

func goTypeName(t string) string {
	t = strings.TrimPrefix(t, "*")
	switch {
	case strings.HasPrefix(t, "int"):
		return "a number"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "a string"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	}
	return "an object"
}

// Validate checks values the JSON types cannot.
func (f *File) Validate() error {
	if f.Version != 1 {
		return keyErr("version", "must be 1, got %d", f.Version)
	}
	switch f.Mode {
	case "":
		f.Mode = "server"
	case "server", "client", "both":
	default:
		return keyErr("mode", "must be \"server\", \"client\" or \"both\", got %q", f.Mode)
	}
	if f.Mode == "server" && len(f.ClientProgram) > 0 {
		return keyErr("client_program", "only modes \"client\" and \"both\" run a client program (mode is \"server\")")
	}
	if f.Mode != "server" {
		if len(f.ClientProgram) == 0 {
			return keyErr("client_program", "mode %q needs a client program, e.g. [\"handshake\", \"spawn conn\", \"send GET / header \\\"Host: x\\\"\", \"await response\"]", f.Mode)
		}
		ops, err := ParseProgram(f.ClientProgram)
		if err != nil {
			return &Error{Key: "client_program", Msg: err.Error()}
		}
		f.program = ops
	}
	if f.Mode == "client" {
		if f.Handler != "" {
			return keyErr("handler", "mode \"client\" has no engine server: you type the server's bytes (remove handler, or use mode \"both\")")
		}
		return f.validateCommon()
	}
	if f.Handler == "" {
		return keyErr("handler", "missing: name one of %s", handlerNames())
	}
	if _, ok := LookupHandler(f.Handler); !ok {
		return keyErr("handler", "unknown handler %q: use one of %s", f.Handler, handlerNames())
	}
	return f.validateCommon()
}

func (f *File) validateCommon() error {
	if o := f.ServerOptions.MaxBufSize; o != nil && *o < 8192 {
		return keyErr("server_options.max_buf_size", "must be at least 8192 (hyper's minimum), got %d", *o)
	}
	if o := f.ServerOptions.HeaderReadTimeoutMS; o != nil && *o <= 0 {
		return keyErr("server_options.header_read_timeout_ms", "must be positive, got %d", *o)
	}
	if f.Transport.Capacity < 0 || f.Transport.Capacity > 64<<20 {
		return keyErr("transport.capacity", "must be between 1 and 67108864 (0 = default 65536), got %d", f.Transport.Capacity)
	}
	if f.Transport.ReadChunk < 0 {
		return keyErr("transport.read_chunk", "must be 0 (no cap) or positive, got %d", f.Transport.ReadChunk)
	}
	if f.StepBudget < 0 {
		return keyErr("step_budget", "must be positive, got %d", f.StepBudget)
	}
	for i := range f.Input {
		key := fmt.Sprintf("input[%d]", i)
		if err := f.Input[i].validate(key); err != nil {
			return err
		}
		if in := f.Input[i]; f.Mode == "both" && (in.Send != nil || in.SendB64 != nil || in.Shutdown != nil) {
			return keyErr(key, "mode \"both\" has no person on the wire: only wait_ms and fault inputs apply")
		}
	}
	return nil
}

// Program returns the parsed client program.
func (f *File) Program() []Op { return f.program }

func (in *Input) validate(key string) error {
	n := 0
	for _, set := range []bool{in.Send != nil, in.SendB64 != nil, in.WaitMS != nil, in.Shutdown != nil, in.Fault != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return keyErr(key, "must have exactly one of send, send_b64, wait_ms, shutdown, fault (has %d)", n)
	}
	switch {
	case in.SendB64 != nil:
		if _, err := base64.StdEncoding.DecodeString(*in.SendB64); err != nil {
			return keyErr(key+".send_b64", "not valid base64: %v", err)
		}
	case in.WaitMS != nil:
		if *in.WaitMS < 0 {
			return keyErr(key+".wait_ms", "must not be negative, got %d", *in.WaitMS)
		}
	case in.Shutdown != nil:
		if *in.Shutdown != "write" {
			return keyErr(key+".shutdown", "must be \"write\", got %q", *in.Shutdown)
		}
	case in.Fault != nil:
		if _, ok := faults[*in.Fault]; !ok {
			return keyErr(key+".fault", "unknown fault %q: use one of reset, vanish, stall-writes, release-writes", *in.Fault)
		}
	}
	return nil
}

// Bytes returns the bytes a send or send_b64 input carries.
func (in *Input) Bytes() []byte {
	if in.Send != nil {
		return []byte(*in.Send)
	}
	if in.SendB64 != nil {
		b, _ := base64.StdEncoding.DecodeString(*in.SendB64)
		return b
	}
	return nil
}

func handlerNames() string {
	var names []string
	for _, h := range Handlers() {
		names = append(names, h.Name)
	}
	return strings.Join(names, ", ")
}
