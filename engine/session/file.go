package session

import (
	"errors"
	"io"
	"strconv"
	"strings"

	b64enc "github.com/connlab/connlab/engine/b64"
	"github.com/connlab/connlab/engine/program"
	"github.com/connlab/connlab/engine/services"
)

// File is a session file, version 1. Its JSON is read and written by hand
// (filejson.go); the tags say what the keys are.
type File struct {
	Version       int           `json:"version"`
	Mode          string        `json:"mode"`
	Handler       string        `json:"handler"`
	ServerOptions ServerOptions `json:"server_options"`
	Transport     Transport     `json:"transport"`
	Input         []Input       `json:"input"`
	// ClientProgram is the client side's user code (modes client and both).
	ClientProgram []string `json:"client_program,omitempty"`
	program       []program.Op
	// ServiceProgram is the server side's user code as a service program
	// (modes server and both), in place of Handler: the two are exclusive.
	ServiceProgram []string `json:"service_program,omitempty"`
	service        *program.Service
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

// isFault reports whether name is a fault the transport can inject (a
// switch, not a map literal, which is built by code at init in the
// browser's wasm too):
//
//   - reset: the peer resets the connection: the engine's next read or
//     write fails with ECONNRESET
//   - vanish: the peer is gone: reads give EOF, writes fail, shutdown fails
//     with ENOTCONN
//   - stall-writes: the peer stops reading: the engine's writes back up
//   - release-writes: the peer reads again
func isFault(name string) bool {
	switch name {
	case "reset", "vanish", "stall-writes", "release-writes":
		return true
	}
	return false
}

// Error is a bad session file: it names the key that was wrong.
type Error struct {
	// Key is the path of the key that was wrong, such as input[2].send or
	// transport.capacity; "(top level)" for the file itself; "" when the
	// file is not JSON at all. For an unknown key it is the key alone, as
	// written (what /api/run reports), and In says where it is.
	Key string
	// In is the object holding an unknown key ("" for the top level, or
	// e.g. server_options or input[3]).
	In  string
	Msg string
}

func (e *Error) Error() string {
	key := e.Key
	if e.In != "" {
		key = e.In + "." + key
	}
	if key == "" {
		return "session: " + e.Msg
	}
	return "session: " + key + ": " + e.Msg
}

func keyErr(key, msg string) *Error { return &Error{Key: key, Msg: msg} }

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
	f, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return f, nil
}

// Validate checks values the JSON types cannot.
func (f *File) Validate() error {
	if f.Version != 1 {
		return keyErr("version", "must be 1, got "+strconv.Itoa(f.Version))
	}
	mode, ok := ParseMode(f.Mode)
	if !ok {
		return keyErr("mode", "must be \"server\", \"client\" or \"both\", got "+strconv.Quote(f.Mode))
	}
	f.Mode = mode.String()
	if mode == ModeServer && len(f.ClientProgram) > 0 {
		return keyErr("client_program", "only modes \"client\" and \"both\" run a client program (mode is \"server\")")
	}
	if mode.HasClient() {
		if len(f.ClientProgram) == 0 {
			return keyErr("client_program", "mode "+strconv.Quote(f.Mode)+" needs a client program, e.g. [\"handshake\", \"spawn conn\", \"send GET / header \\\"Host: x\\\"\", \"await response\"]")
		}
		ops, err := program.Parse(f.ClientProgram)
		if err != nil {
			return &Error{Key: "client_program", Msg: err.Error()}
		}
		f.program = ops
	}
	f.service = nil
	if mode == ModeClient {
		if f.Handler != "" {
			return keyErr("handler", "mode \"client\" has no engine server: you type the server's bytes (remove handler, or use mode \"both\")")
		}
		if f.ServiceProgram != nil {
			return keyErr("service_program", "mode \"client\" has no engine server: you type the server's bytes (remove service_program, or use mode \"both\")")
		}
		return f.validateCommon()
	}
	if f.ServiceProgram != nil {
		if f.Handler != "" {
			return keyErr("service_program", "handler and service_program are exclusive: the server's user code is either a catalog handler or a program (remove one; handler "+strconv.Quote(f.Handler)+" is the program of the same name in the library)")
		}
		svc, err := program.ParseServiceLines(f.ServiceProgram)
		if err != nil {
			return &Error{Key: "service_program", Msg: err.Error()}
		}
		f.service = svc
		return f.validateCommon()
	}
	if f.Handler == "" {
		return keyErr("handler", "missing: name one of "+handlerNames()+", or give a service_program")
	}
	if _, ok := services.LookupHandler(f.Handler); !ok {
		return keyErr("handler", "unknown handler "+strconv.Quote(f.Handler)+": use one of "+handlerNames())
	}
	return f.validateCommon()
}

func (f *File) validateCommon() error {
	if o := f.ServerOptions.MaxBufSize; o != nil && *o < 8192 {
		return keyErr("server_options.max_buf_size", "must be at least 8192 (hyper's minimum), got "+strconv.Itoa(*o))
	}
	if o := f.ServerOptions.HeaderReadTimeoutMS; o != nil && *o <= 0 {
		return keyErr("server_options.header_read_timeout_ms", "must be positive, got "+strconv.FormatInt(*o, 10))
	}
	if f.Transport.Capacity < 0 || f.Transport.Capacity > 64<<20 {
		return keyErr("transport.capacity", "must be between 1 and 67108864 (0 = default 65536), got "+strconv.Itoa(f.Transport.Capacity))
	}
	if f.Transport.ReadChunk < 0 {
		return keyErr("transport.read_chunk", "must be 0 (no cap) or positive, got "+strconv.Itoa(f.Transport.ReadChunk))
	}
	if f.StepBudget < 0 {
		return keyErr("step_budget", "must be positive, got "+strconv.Itoa(f.StepBudget))
	}
	for i := range f.Input {
		key := "input[" + strconv.Itoa(i) + "]"
		if err := f.Input[i].validate(key); err != nil {
			return err
		}
		if in := f.Input[i]; f.RunMode() == ModeBoth && (in.Send != nil || in.SendB64 != nil || in.Shutdown != nil) {
			return keyErr(key, "mode \"both\" has no person on the wire: only wait_ms and fault inputs apply")
		}
	}
	return nil
}

// Program returns the parsed client program.
func (f *File) Program() []program.Op { return f.program }

// Service returns the parsed service program (nil when the server runs a
// catalog handler, or there is no server).
func (f *File) Service() *program.Service { return f.service }

func (in *Input) validate(key string) error {
	n := 0
	for _, set := range []bool{in.Send != nil, in.SendB64 != nil, in.WaitMS != nil, in.Shutdown != nil, in.Fault != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return keyErr(key, "must have exactly one of send, send_b64, wait_ms, shutdown, fault (has "+strconv.Itoa(n)+")")
	}
	switch {
	case in.SendB64 != nil:
		if _, err := decodeB64(*in.SendB64); err != nil {
			return keyErr(key+".send_b64", err.Error())
		}
	case in.WaitMS != nil:
		if *in.WaitMS < 0 {
			return keyErr(key+".wait_ms", "must not be negative, got "+strconv.FormatInt(*in.WaitMS, 10))
		}
	case in.Shutdown != nil:
		if *in.Shutdown != "write" {
			return keyErr(key+".shutdown", "must be \"write\", got "+strconv.Quote(*in.Shutdown))
		}
	case in.Fault != nil:
		if !isFault(*in.Fault) {
			return keyErr(key+".fault", "unknown fault "+strconv.Quote(*in.Fault)+": use one of reset, vanish, stall-writes, release-writes")
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
		b, _ := decodeB64(*in.SendB64)
		return b
	}
	return nil
}

// SendLen is len(in.Bytes()) of a valid input without building the bytes
// (a page's progress bar weighs every send each frame of a long run).
func (in *Input) SendLen() int {
	if in.Send != nil {
		return len(*in.Send)
	}
	if in.SendB64 == nil {
		return 0
	}
	s := *in.SendB64 // strict, padded: whole quads, at most two '='
	n := len(s) / 4 * 3
	for i := len(s) - 1; i >= 0 && i >= len(s)-2 && s[i] == '='; i-- {
		n--
	}
	return n
}

// strictB64 is standard base64 with padding whose unused bits must be
// zero, so one byte string has one spelling.
var strictB64 = b64enc.StdStrict

// decodeB64 reads send_b64: one line of strict standard base64.
// b64 (as encoding/base64) skips CR and LF anywhere in its input (MIME's line
// breaks); a session file's bytes are exactly what the field says, so a
// line break is an error that says where it is.
func decodeB64(s string) ([]byte, error) {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return nil, errors.New("not valid base64: line break at offset " + strconv.Itoa(i) + " (send_b64 is one line of standard base64, without line breaks)")
	}
	b, err := strictB64.DecodeString(s)
	if err != nil {
		return nil, errors.New("not valid base64: " + err.Error())
	}
	return b, nil
}

func handlerNames() string {
	var names []string
	for _, h := range services.Handlers() {
		names = append(names, h.Name)
	}
	return strings.Join(names, ", ")
}
